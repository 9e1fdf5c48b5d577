/**
 * Custom metadata types (`Foo__mdt`) and their records (`customMetadata/Foo.Bar.md`): a deployed
 * type becomes a queryable object, and each deployed record a row of it, so SOQL such as
 * `SELECT Code__c FROM Region_Setting__mdt` answers as in a real org. Clients cannot write these
 * rows through the data API; only deploys (and destructive changes) change them.
 */
import { XMLParser } from 'fast-xml-parser';
import { buildCustomFields, type CustomFieldSpec } from '../state/custom.js';
import type { FieldDef, ObjectDef, OrgState, Schema, StoredRecord } from '../state/types.js';
import { insertAsOrg, updateAsOrg } from '../tooling/trusted.js';
import { asArray, textOf } from './xml.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

export function isCustomMetadataType(objectName: string): boolean {
  return /__mdt$/i.test(objectName);
}

function text(name: string, label: string, length: number, options: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    label,
    type: 'string',
    length,
    nillable: true,
    createable: false,
    updateable: false,
    defaultedOnCreate: false,
    custom: false,
    ...options,
  };
}

/** The object a custom metadata type is queried as. */
export function customMetadataObject(
  name: string,
  label: string,
  labelPlural: string,
  keyPrefix: string,
  fields: CustomFieldSpec[],
): ObjectDef {
  return {
    name,
    label,
    labelPlural,
    keyPrefix,
    custom: true,
    api: 'data',
    queryable: true,
    createable: false,
    updateable: false,
    deletable: false,
    searchable: false,
    fields: [
      {
        ...text('Id', 'Record ID', 18),
        type: 'id',
        nillable: false,
        defaultedOnCreate: true,
        idLookup: true,
      },
      text('DeveloperName', 'Custom Metadata Record Name', 40, { nillable: false, idLookup: true }),
      text('MasterLabel', 'Label', 40, { nillable: false, nameField: true }),
      text('Label', 'Label', 40),
      text('Language', 'Master Language', 40),
      text('NamespacePrefix', 'Namespace Prefix', 15),
      text('QualifiedApiName', 'Qualified API Name', 70, { idLookup: true }),
      {
        ...text('IsProtected', 'Protected Component', 0),
        type: 'boolean',
        length: undefined,
        nillable: false,
        defaultValue: false,
        defaultedOnCreate: true,
      },
      {
        ...text('SystemModstamp', 'System Modstamp', 0),
        type: 'datetime',
        length: undefined,
        nillable: false,
        defaultedOnCreate: true,
      },
      ...fields.flatMap(buildCustomFields).map((def) => ({ ...def, createable: false, updateable: false })),
    ],
  };
}

export interface CustomMetadataRecordPlan {
  objectName: string;
  developerName: string;
  values: Record<string, unknown>;
  problem?: string;
}

function typedValue(field: FieldDef | undefined, raw: unknown): unknown {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'object' && (raw as Record<string, unknown>)['@nil'] === 'true') return null;
  const value = textOf(raw);
  if (value === undefined) return null;
  switch (field?.type) {
    case 'boolean':
      return value === 'true';
    case 'double':
    case 'int':
    case 'currency':
    case 'percent':
      return Number(value);
    default:
      return value;
  }
}

/** A custom metadata relationship field: its FieldDef is text (the target's API name) with `referenceTo`. */
function isMetadataRelationship(field: FieldDef): boolean {
  return field.type === 'string' && (field.referenceTo?.length ?? 0) > 0;
}

/**
 * Why a metadata relationship value does not resolve, or undefined when it does. Objects deployed in the
 * same deploy are taken as they will be (their fields are not known before they are applied); records
 * of another custom metadata type are checked only for their type.
 */
function relationshipProblem(
  field: FieldDef,
  value: string,
  values: Record<string, unknown>,
  def: ObjectDef,
  objectOf: (name: string) => ObjectDef | undefined,
  deployedObject: (name: string) => boolean,
): string | undefined {
  const bad = `${field.label}: bad value for restricted picklist field: ${value}`;
  const entity = (name: string) => {
    const object = objectOf(name);
    return object && object.api !== 'tooling' && !isCustomMetadataType(object.name) ? object : undefined;
  };
  const target = field.referenceTo?.[0] ?? '';
  if (target === 'EntityDefinition') {
    return entity(value) || deployedObject(value) ? undefined : bad;
  }
  if (target === 'FieldDefinition') {
    let objectName: string | undefined;
    let fieldName = value;
    const dot = value.indexOf('.');
    if (dot > 0) {
      objectName = value.slice(0, dot);
      fieldName = value.slice(dot + 1);
    } else {
      // `Industry` alone: the object is the record's EntityDefinition relationship (the controlling field).
      const controlling = def.fields.filter(
        (candidate) => isMetadataRelationship(candidate) && candidate.referenceTo?.[0] === 'EntityDefinition',
      );
      const given = controlling.map((candidate) => values[candidate.name]).filter((entry) => entry);
      if (given.length === 1) objectName = String(given[0]);
    }
    if (!objectName || !fieldName) return bad;
    if (deployedObject(objectName)) return undefined;
    const object = entity(objectName);
    const known = object?.fields.some(
      (candidate) => candidate.name.toLowerCase() === fieldName.toLowerCase(),
    );
    return known ? undefined : bad;
  }
  return objectOf(target) ? undefined : bad;
}

/** Reads `customMetadata/<Type>.<Record>.md` against the schema the deploy will leave. */
export function planCustomMetadataRecord(
  fullName: string,
  xml: string,
  objectOf: (name: string) => ObjectDef | undefined,
  /** Whether an object is deployed in the same deploy (a relationship may point at it). */
  deployedObject: (name: string) => boolean = () => false,
): CustomMetadataRecordPlan {
  const dot = fullName.indexOf('.');
  const objectName = `${fullName.slice(0, dot)}__mdt`;
  const developerName = fullName.slice(dot + 1);
  const plan: CustomMetadataRecordPlan = { objectName, developerName, values: {} };
  const def = objectOf(objectName);
  if (dot <= 0 || !def)
    return { ...plan, problem: `Invalid custom metadata type: ${objectName} does not exist` };
  const root = ((parser.parse(xml) as Record<string, unknown>).CustomMetadata ?? {}) as Record<
    string,
    unknown
  >;
  const label = textOf(root.label) ?? developerName;
  plan.values = {
    DeveloperName: developerName,
    MasterLabel: label,
    Label: label,
    Language: 'en_US',
    QualifiedApiName: developerName,
    IsProtected: textOf(root.protected) === 'true',
  };
  for (const entry of asArray(root.values as unknown)) {
    const item = entry as Record<string, unknown>;
    const fieldName = textOf(item.field) ?? '';
    const field = def.fields.find((candidate) => candidate.name.toLowerCase() === fieldName.toLowerCase());
    if (!field || !field.custom)
      return { ...plan, problem: `Invalid field: ${fieldName} is not a field of ${objectName}` };
    plan.values[field.name] = typedValue(field, item.value);
  }
  for (const field of def.fields) {
    const value = plan.values[field.name];
    if (!isMetadataRelationship(field) || value === null || value === undefined || value === '') continue;
    const problem = relationshipProblem(field, String(value), plan.values, def, objectOf, deployedObject);
    if (problem) return { ...plan, problem };
  }
  return plan;
}

function findRow(org: OrgState, objectName: string, developerName: string): StoredRecord | undefined {
  for (const row of org.records.rows(objectName)) {
    if (String(row.DeveloperName ?? '').toLowerCase() === developerName.toLowerCase()) return row;
  }
  return undefined;
}

export function saveCustomMetadataRecord(org: OrgState, plan: CustomMetadataRecordPlan): void {
  const existing = findRow(org, plan.objectName, plan.developerName);
  if (existing) updateAsOrg(org, plan.objectName, existing.Id, plan.values);
  else insertAsOrg(org, plan.objectName, plan.values);
}

export function deleteCustomMetadataRecord(org: OrgState, fullName: string): void {
  const dot = fullName.indexOf('.');
  const objectName = `${fullName.slice(0, dot)}__mdt`;
  if (!org.schema.getObject(objectName)) return;
  const existing = findRow(org, objectName, fullName.slice(dot + 1));
  const def = org.schema.getObject(objectName);
  if (!existing || !def) return;
  // Clients may not delete these rows, a deploy may: the object allows it for this one delete (all journaled).
  org.schema.upsertObject({ ...def, deletable: true });
  org.records.delete(objectName, existing.Id);
  org.schema.upsertObject(def);
}

export function upsertCustomMetadataType(
  schema: Schema,
  name: string,
  label: string,
  labelPlural: string,
  fields: CustomFieldSpec[],
): void {
  const existing = schema.getObject(name);
  schema.upsertObject(
    customMetadataObject(
      name,
      label,
      labelPlural,
      existing?.keyPrefix ?? schema.nextCustomKeyPrefix(),
      fields,
    ),
  );
}
