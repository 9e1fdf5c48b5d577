/**
 * CustomObject and CustomField metadata into the org's schema (so deployed objects and fields
 * appear in describe and SOQL), and back from the schema into metadata for objects that were
 * seeded rather than deployed.
 */
import { XMLParser } from 'fast-xml-parser';
import { buildCustomField, buildCustomObject } from '../state/index.js';
import type { FieldDef, ObjectDef, Schema } from '../state/types.js';
import type { SeedCustomField, SeedCustomObject } from '../seed/types.js';
import { isCustomMetadataType, upsertCustomMetadataType } from './customMetadata.js';
import { asArray, escapeXml, textOf } from './xml.js';

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

export interface FieldProblem {
  fullName: string;
  problem: string;
}

export interface ObjectPlan {
  objectName: string;
  /** For a custom object: its definition; for a standard object only fields are added. */
  customObject?: SeedCustomObject;
  fields: SeedCustomField[];
  /** Fields whose type the local org keeps as metadata only (Location, ExternalLookup...). */
  unsupportedFields: string[];
  problems: FieldProblem[];
  objectProblem?: string;
  /** For a custom metadata type (`Foo__mdt`): its labels. */
  metadataType?: { label: string; labelPlural: string };
}

function bool(value: unknown): boolean {
  return textOf(value) === 'true';
}

function num(value: unknown): number | undefined {
  const text = textOf(value);
  if (text === undefined || text === '') return undefined;
  const parsed = Number(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}

const SIMPLE_TYPES: Record<string, SeedCustomField['type']> = {
  text: 'string',
  encryptedtext: 'string',
  autonumber: 'string',
  textarea: 'textarea',
  longtextarea: 'textarea',
  html: 'textarea',
  number: 'double',
  currency: 'currency',
  percent: 'percent',
  checkbox: 'boolean',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
  email: 'email',
  phone: 'phone',
  url: 'url',
  picklist: 'picklist',
  multiselectpicklist: 'multipicklist',
  lookup: 'reference',
  masterdetail: 'reference',
  hierarchy: 'reference',
  summary: 'double',
};

function defaultValueOf(type: SeedCustomField['type'], raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  if (type === 'boolean') return raw.toLowerCase() === 'true';
  const quoted = /^"(.*)"$|^'(.*)'$/s.exec(raw);
  if (quoted) return quoted[1] ?? quoted[2];
  if (['double', 'currency', 'percent'].includes(type) && Number.isFinite(Number(raw))) return Number(raw);
  return undefined;
}

/** One `<fields>` element of an object, as a seed-style field; undefined when only kept as metadata. */
export function fieldSpecFromMetadata(
  objectName: string,
  field: Record<string, unknown>,
  knownObject: (name: string) => boolean,
): { spec?: SeedCustomField; problem?: string; unsupported?: boolean } {
  const fullName = textOf(field.fullName) ?? '';
  const typeName = (textOf(field.type) ?? '').toLowerCase();
  if (!typeName) {
    // Standard fields appear in object files with only their settings (picklist values, tracking).
    if (!/__c$/i.test(fullName)) return {};
    return { problem: `Must specify the type of the custom field ${objectName}.${fullName}` };
  }
  if (!/__c$/i.test(fullName)) return {};
  const type = SIMPLE_TYPES[typeName];
  if (!type) return { unsupported: true };
  const label = textOf(field.label);
  if (!label)
    return { problem: `Must specify a non-empty label for the CustomField ${objectName}.${fullName}` };
  const spec: SeedCustomField = { name: fullName, type, label };
  const length = num(field.length);
  if (length !== undefined) spec.length = length;
  else if (typeName === 'textarea') spec.length = 255;
  const precision = num(field.precision);
  if (precision !== undefined) spec.precision = precision;
  const scale = num(field.scale);
  if (scale !== undefined) spec.scale = scale;
  if (bool(field.required)) spec.required = true;
  if (bool(field.unique)) spec.unique = true;
  if (bool(field.externalId)) spec.externalId = true;
  const description = textOf(field.description);
  if (description) spec.description = description;
  const defaultValue = defaultValueOf(type, textOf(field.defaultValue));
  if (defaultValue !== undefined) spec.defaultValue = defaultValue;
  if (type === 'boolean' && spec.defaultValue === undefined) spec.defaultValue = false;
  if (type === 'picklist' || type === 'multipicklist') {
    const valueSet = (field.valueSet ?? {}) as Record<string, unknown>;
    const definition = (valueSet.valueSetDefinition ?? {}) as Record<string, unknown>;
    const values = asArray(definition.value as unknown).map((value) => value as Record<string, unknown>);
    spec.values = values.map((value) => textOf(value.fullName) ?? '').filter(Boolean);
    const defaultEntry = values.find((value) => bool(value.default));
    if (defaultEntry) spec.defaultValue = textOf(defaultEntry.fullName);
    if (bool(valueSet.restricted)) spec.restricted = true;
  }
  if (type === 'reference') {
    const referenceTo = typeName === 'hierarchy' ? 'User' : textOf(field.referenceTo);
    if (!referenceTo)
      return { problem: `Must specify a referenceTo value for the CustomField ${objectName}.${fullName}` };
    if (!knownObject(referenceTo)) {
      return { problem: `referenceTo value of '${referenceTo}' does not resolve to a valid sObject type` };
    }
    spec.referenceTo = referenceTo;
    const relationshipName = textOf(field.relationshipName);
    if (relationshipName) spec.childRelationshipName = relationshipName;
    if (typeName === 'masterdetail') spec.masterDetail = true;
  }
  return { spec };
}

/** Reads an object's metadata (`objects/Foo__c.object`) into what the schema needs. */
export function planObject(
  objectName: string,
  xml: string,
  knownObject: (name: string) => boolean,
): ObjectPlan {
  const parsed = parser.parse(xml) as Record<string, unknown>;
  const root = (parsed.CustomObject ?? {}) as Record<string, unknown>;
  const plan: ObjectPlan = { objectName, fields: [], unsupportedFields: [], problems: [] };
  const isCustom = /__c$/i.test(objectName);
  if (isCustomMetadataType(objectName)) {
    const label = textOf(root.label);
    const pluralLabel = textOf(root.pluralLabel);
    if (!label) plan.objectProblem = 'Must specify a non-empty label for the CustomObject';
    else if (!pluralLabel) plan.objectProblem = 'Must specify a non-empty plural label for the CustomObject';
    plan.metadataType = { label: label ?? objectName, labelPlural: pluralLabel ?? objectName };
  }
  if (isCustom) {
    const label = textOf(root.label);
    const pluralLabel = textOf(root.pluralLabel);
    const nameField = (root.nameField ?? {}) as Record<string, unknown>;
    if (!label) plan.objectProblem = 'Must specify a non-empty label for the CustomObject';
    else if (!pluralLabel) plan.objectProblem = 'Must specify a non-empty plural label for the CustomObject';
    else if (!textOf(nameField.label)) plan.objectProblem = 'Must specify a name field for the CustomObject';
    const nameFieldType = textOf(nameField.type);
    plan.customObject = {
      name: objectName,
      ...(label ? { label } : {}),
      ...(pluralLabel ? { labelPlural: pluralLabel } : {}),
      ...(textOf(root.description) ? { description: textOf(root.description) as string } : {}),
      nameField: {
        ...(textOf(nameField.label) ? { label: textOf(nameField.label) as string } : {}),
        ...(nameFieldType === 'AutoNumber'
          ? { autoNumberFormat: textOf(nameField.displayFormat) ?? '{0}' }
          : {}),
      },
    };
  }
  const known = (name: string) => knownObject(name) || name.toLowerCase() === objectName.toLowerCase();
  for (const field of asArray(root.fields as unknown)) {
    if (typeof field !== 'object' || field === null) continue;
    const entry = field as Record<string, unknown>;
    const fullName = textOf(entry.fullName) ?? '';
    const result = fieldSpecFromMetadata(objectName, entry, known);
    if (result.problem)
      plan.problems.push({ fullName: `${objectName}.${fullName}`, problem: result.problem });
    else if (result.unsupported) plan.unsupportedFields.push(fullName);
    else if (result.spec) plan.fields.push(result.spec);
  }
  return plan;
}

function keyPrefixFor(schema: Schema): string {
  return schema.nextCustomKeyPrefix();
}

function markCalculated(def: FieldDef, field: Record<string, unknown> | undefined): FieldDef {
  if (!field) return def;
  if (textOf(field.formula) !== undefined || (textOf(field.type) ?? '').toLowerCase() === 'summary') {
    return { ...def, calculated: true, createable: false, updateable: false, nillable: true };
  }
  if ((textOf(field.type) ?? '').toLowerCase() === 'autonumber') {
    return { ...def, autoNumber: true, createable: false, updateable: false, defaultedOnCreate: true };
  }
  return def;
}

/** Writes a planned object into the schema. */
export function applyObjectPlan(schema: Schema, plan: ObjectPlan, xml: string): void {
  const parsed = parser.parse(xml) as Record<string, unknown>;
  const root = (parsed.CustomObject ?? {}) as Record<string, unknown>;
  const rawFields = new Map(
    asArray(root.fields as unknown).map((field) => [
      String(textOf((field as Record<string, unknown>).fullName) ?? '').toLowerCase(),
      field as Record<string, unknown>,
    ]),
  );
  const existing = schema.getObject(plan.objectName);
  if (plan.metadataType) {
    upsertCustomMetadataType(
      schema,
      plan.objectName,
      plan.metadataType.label,
      plan.metadataType.labelPlural,
      plan.fields,
    );
    return;
  }
  if (plan.customObject) {
    const def: ObjectDef = buildCustomObject(
      { ...plan.customObject, fields: plan.fields },
      existing?.keyPrefix ?? keyPrefixFor(schema),
    );
    def.fields = def.fields.map((field) => markCalculated(field, rawFields.get(field.name.toLowerCase())));
    schema.upsertObject(def);
    return;
  }
  if (!existing) return;
  for (const spec of plan.fields) {
    schema.upsertField(
      existing.name,
      markCalculated(buildCustomField(spec), rawFields.get(spec.name.toLowerCase())),
    );
  }
}

const METADATA_FIELD_TYPES: Partial<Record<FieldDef['type'], string>> = {
  string: 'Text',
  textarea: 'LongTextArea',
  boolean: 'Checkbox',
  int: 'Number',
  double: 'Number',
  currency: 'Currency',
  percent: 'Percent',
  date: 'Date',
  datetime: 'DateTime',
  time: 'Time',
  email: 'Email',
  phone: 'Phone',
  url: 'Url',
  picklist: 'Picklist',
  multipicklist: 'MultiselectPicklist',
  reference: 'Lookup',
};

/** A `<fields>` element for a custom field the schema has (for objects that were seeded, not deployed). */
export function fieldToMetadataXml(field: FieldDef): string | undefined {
  const type =
    field.type === 'reference' && field.cascadeDelete ? 'MasterDetail' : METADATA_FIELD_TYPES[field.type];
  if (!type || !field.custom) return undefined;
  const lines = [`<fields>`, `        <fullName>${escapeXml(field.name)}</fullName>`];
  if (field.defaultValue !== undefined && field.type === 'boolean')
    lines.push(`        <defaultValue>${field.defaultValue ? 'true' : 'false'}</defaultValue>`);
  if (field.description) lines.push(`        <description>${escapeXml(field.description)}</description>`);
  if (field.externalId) lines.push(`        <externalId>true</externalId>`);
  lines.push(`        <label>${escapeXml(field.label)}</label>`);
  if (
    ['string', 'textarea', 'email', 'phone', 'url'].includes(field.type) &&
    field.length &&
    !['email', 'phone', 'url'].includes(field.type)
  ) {
    lines.push(`        <length>${field.length}</length>`);
  }
  if (['double', 'int', 'currency', 'percent'].includes(field.type)) {
    lines.push(`        <precision>${field.precision ?? 18}</precision>`);
  }
  if (field.type === 'reference') {
    lines.push(`        <referenceTo>${escapeXml(field.referenceTo?.[0] ?? '')}</referenceTo>`);
    if (field.relationshipName)
      lines.push(
        `        <relationshipName>${escapeXml(field.relationshipName.replace(/__r$/i, ''))}</relationshipName>`,
      );
  }
  if (!field.nillable && field.type !== 'boolean') lines.push(`        <required>true</required>`);
  if (['double', 'int', 'currency', 'percent'].includes(field.type))
    lines.push(`        <scale>${field.scale ?? 0}</scale>`);
  lines.push(`        <type>${type}</type>`);
  if (field.unique) lines.push(`        <unique>true</unique>`);
  if (field.type === 'picklist' || field.type === 'multipicklist') {
    lines.push(
      '        <valueSet>',
      '            <valueSetDefinition>',
      '                <sorted>false</sorted>',
    );
    for (const value of field.picklistValues ?? []) {
      lines.push(
        '                <value>',
        `                    <fullName>${escapeXml(value.value)}</fullName>`,
        `                    <default>${value.defaultValue ? 'true' : 'false'}</default>`,
        `                    <label>${escapeXml(value.label)}</label>`,
        '                </value>',
      );
    }
    lines.push('            </valueSetDefinition>', '        </valueSet>');
  }
  if (field.type === 'textarea') lines.push(`        <visibleLines>3</visibleLines>`);
  lines.push('    </fields>');
  return lines.join('\n');
}

/** The parent elements of an object that was seeded rather than deployed. */
export function objectHeaderXml(def: ObjectDef): string[] {
  const nameField =
    def.fields.find((field) => field.nameField) ?? def.fields.find((field) => field.name === 'Name');
  const header = [`<deploymentStatus>Deployed</deploymentStatus>`];
  if (def.description) header.push(`<description>${escapeXml(def.description)}</description>`);
  header.push(`<label>${escapeXml(def.label)}</label>`);
  if (nameField) {
    header.push(
      [
        '<nameField>',
        `        <label>${escapeXml(nameField.label)}</label>`,
        `        <type>${nameField.autoNumber ? 'AutoNumber' : 'Text'}</type>`,
        '    </nameField>',
      ].join('\n'),
    );
  }
  header.push(
    `<pluralLabel>${escapeXml(def.labelPlural)}</pluralLabel>`,
    `<sharingModel>ReadWrite</sharingModel>`,
  );
  return header;
}
