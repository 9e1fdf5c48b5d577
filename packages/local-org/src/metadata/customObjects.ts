/**
 * CustomObject and CustomField metadata into the org's schema (so deployed objects and fields
 * appear in describe and SOQL), and back from the schema into metadata for objects that were
 * seeded rather than deployed.
 */
import { XMLParser } from 'fast-xml-parser';
import {
  buildCustomFields,
  buildCustomObject,
  type CustomFieldSpec,
  type CustomObjectSpec,
} from '../state/custom.js';
import { datetime, lookup, objectDef, text } from '../state/fields.js';
import type { FieldDef, ObjectDef, Schema } from '../state/types.js';
import type { SeedCustomField } from '../seed/types.js';
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
  customObject?: CustomObjectSpec;
  /** For a platform event (`Foo__e`): its labels. */
  platformEvent?: { label: string; labelPlural: string; description?: string };
  fields: CustomFieldSpec[];
  /** Fields whose type the local org keeps as metadata only (ExternalLookup, IndirectLookup...). */
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

/** Where a custom metadata relationship may point besides another custom metadata type. */
const METADATA_RELATIONSHIP_TARGETS = new Set(['entitydefinition', 'fielddefinition']);

/** A `<type>MetadataRelationship</type>` field of a custom metadata type: stored as the target's API name. */
function metadataRelationshipSpec(
  objectName: string,
  field: Record<string, unknown>,
  knownObject: (name: string) => boolean,
): { spec?: CustomFieldSpec; problem?: string; unsupported?: boolean } {
  const fullName = textOf(field.fullName) ?? '';
  if (!isCustomMetadataType(objectName)) return { unsupported: true };
  const label = textOf(field.label);
  if (!label)
    return { problem: `Must specify a non-empty label for the CustomField ${objectName}.${fullName}` };
  const referenceTo = textOf(field.referenceTo);
  if (!referenceTo)
    return { problem: `Must specify a referenceTo value for the CustomField ${objectName}.${fullName}` };
  if (referenceTo.toLowerCase() === objectName.toLowerCase()) {
    return {
      problem:
        'Cannot add a self-lookup relationship child with cascade or restrict options to the object itself',
    };
  }
  const target = referenceTo.toLowerCase();
  if (
    !METADATA_RELATIONSHIP_TARGETS.has(target) &&
    !(isCustomMetadataType(referenceTo) && knownObject(referenceTo))
  )
    return { problem: `referenceTo value of '${referenceTo}' does not resolve to a valid sObject type` };
  const controllingField = textOf(field.metadataRelationshipControllingField);
  if (target === 'fielddefinition' && !controllingField)
    return { problem: 'Metadata relationships to Field Definition require a controlling field.' };
  const canonical =
    target === 'entitydefinition'
      ? 'EntityDefinition'
      : target === 'fielddefinition'
        ? 'FieldDefinition'
        : referenceTo;
  const relationshipName = textOf(field.relationshipName);
  const spec: CustomFieldSpec = {
    name: fullName,
    type: 'string',
    label,
    length: 255,
    metadataRelationship: {
      referenceTo: canonical,
      ...(relationshipName ? { relationshipName } : {}),
      ...(controllingField ? { controllingField } : {}),
    },
  };
  if (bool(field.required)) spec.required = true;
  const description = textOf(field.description);
  if (description) spec.description = description;
  return { spec };
}

/** One `<fields>` element of an object, as a seed-style field; undefined when only kept as metadata. */
export function fieldSpecFromMetadata(
  objectName: string,
  field: Record<string, unknown>,
  knownObject: (name: string) => boolean,
): { spec?: CustomFieldSpec; problem?: string; unsupported?: boolean } {
  const fullName = textOf(field.fullName) ?? '';
  const typeName = (textOf(field.type) ?? '').toLowerCase();
  if (!typeName) {
    // Standard fields appear in object files with only their settings (picklist values, tracking).
    if (!/__c$/i.test(fullName)) return {};
    return { problem: `Must specify the type of the custom field ${objectName}.${fullName}` };
  }
  if (!/__c$/i.test(fullName)) return {};
  if (typeName === 'metadatarelationship') return metadataRelationshipSpec(objectName, field, knownObject);
  if (isCustomMetadataType(objectName) && (typeName === 'location' || typeName === 'autonumber')) {
    return {
      problem: `Type ${textOf(field.type) ?? typeName} of CustomMetadataField ${objectName}.${fullName} is not supported for the Entity ${objectName}`,
    };
  }
  const type = typeName === 'location' ? 'double' : SIMPLE_TYPES[typeName];
  if (!type) return { unsupported: true };
  const label = textOf(field.label);
  if (!label)
    return { problem: `Must specify a non-empty label for the CustomField ${objectName}.${fullName}` };
  const spec: CustomFieldSpec = { name: fullName, type, label };
  if (typeName === 'location') {
    const scale = num(field.scale);
    spec.location = {
      ...(scale !== undefined ? { scale } : {}),
      ...(bool(field.displayLocationInDecimal) ? { displayInDecimal: true } : {}),
    };
    if (bool(field.required)) spec.required = true;
    const description = textOf(field.description);
    if (description) spec.description = description;
    return { spec };
  }
  if (typeName === 'autonumber') {
    const start = num(field.startingNumber);
    spec.autoNumber = {
      format: textOf(field.displayFormat) ?? '{0}',
      ...(start !== undefined ? { start } : {}),
    };
  }
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
  if (isPlatformEvent(objectName)) {
    const label = textOf(root.label);
    const pluralLabel = textOf(root.pluralLabel);
    if (!label) plan.objectProblem = 'Must specify a non-empty label for the CustomObject';
    else if (!pluralLabel) plan.objectProblem = 'Must specify a non-empty plural label for the CustomObject';
    const description = textOf(root.description);
    plan.platformEvent = {
      label: label ?? objectName,
      labelPlural: pluralLabel ?? objectName,
      ...(description ? { description } : {}),
    };
  }
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
    const startingNumber = num(nameField.startingNumber);
    plan.customObject = {
      name: objectName,
      ...(label ? { label } : {}),
      ...(pluralLabel ? { labelPlural: pluralLabel } : {}),
      ...(textOf(root.description) ? { description: textOf(root.description) as string } : {}),
      nameField: {
        ...(textOf(nameField.label) ? { label: textOf(nameField.label) as string } : {}),
        ...(nameFieldType === 'AutoNumber'
          ? {
              autoNumberFormat: textOf(nameField.displayFormat) ?? '{0}',
              ...(startingNumber !== undefined ? { startingNumber } : {}),
            }
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
  return def;
}

/** Platform events (`Order_Event__e`) are published, never stored: describable and createable, not queryable. */
export function isPlatformEvent(objectName: string): boolean {
  return /__e$/i.test(objectName);
}

/** Platform event objects take key prefixes `e00`, `e01`, ... (the ids their publish results carry start so). */
function eventKeyPrefix(schema: Schema): string {
  const used = new Set(schema.listObjects().map((def) => def.keyPrefix));
  for (let index = 0; index < 36 * 36; index += 1) {
    const prefix = `e${index.toString(36).padStart(2, '0')}`;
    if (!used.has(prefix)) return prefix;
  }
  throw new Error('No key prefix left for a platform event');
}

/** The object a platform event is described as: its standard event fields and the custom fields declared. */
export function platformEventObject(
  name: string,
  event: NonNullable<ObjectPlan['platformEvent']>,
  keyPrefix: string,
  fields: CustomFieldSpec[],
): ObjectDef {
  const readOnly = { createable: false, updateable: false } as const;
  const base = objectDef(name, keyPrefix, [], {
    label: event.label,
    labelPlural: event.labelPlural,
    custom: true,
    queryable: false,
    createable: true,
    updateable: false,
    deletable: false,
    searchable: false,
    ...(event.description ? { description: event.description } : {}),
  });
  return {
    ...base,
    fields: [
      text('ReplayId', 255, { label: 'Replay ID', ...readOnly, custom: false }),
      datetime('CreatedDate', { ...readOnly, nillable: false, defaultedOnCreate: true, custom: false }),
      lookup('CreatedById', 'User', {
        label: 'Created By ID',
        relationshipName: 'CreatedBy',
        ...readOnly,
        nillable: false,
        defaultedOnCreate: true,
        custom: false,
      }),
      text('EventUuid', 36, { label: 'Event UUID', ...readOnly, custom: false }),
      ...fields.flatMap(buildCustomFields).map((def) => ({ ...def, updateable: false })),
    ],
  };
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
  if (plan.platformEvent) {
    schema.upsertObject(
      platformEventObject(
        plan.objectName,
        plan.platformEvent,
        existing?.keyPrefix ?? eventKeyPrefix(schema),
        plan.fields,
      ),
    );
    return;
  }
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
    for (const def of buildCustomFields(spec))
      schema.upsertField(existing.name, markCalculated(def, rawFields.get(def.name.toLowerCase())));
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
  // A geolocation's components are part of its compound field's metadata.
  if (field.compoundFieldName) return undefined;
  if (field.type === 'location') return locationToMetadataXml(field);
  const type =
    field.type === 'reference' && field.cascadeDelete
      ? 'MasterDetail'
      : field.autoNumber
        ? 'AutoNumber'
        : METADATA_FIELD_TYPES[field.type];
  if (!type || !field.custom) return undefined;
  const lines = [`<fields>`, `        <fullName>${escapeXml(field.name)}</fullName>`];
  if (field.autoNumber) {
    lines.push(`        <displayFormat>${escapeXml(field.autoNumberFormat ?? '{0}')}</displayFormat>`);
    if (field.externalId) lines.push(`        <externalId>true</externalId>`);
    lines.push(`        <label>${escapeXml(field.label)}</label>`);
    if (field.autoNumberStart !== undefined)
      lines.push(`        <startingNumber>${field.autoNumberStart}</startingNumber>`);
    lines.push(`        <type>AutoNumber</type>`, '    </fields>');
    return lines.join('\n');
  }
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

function locationToMetadataXml(field: FieldDef): string | undefined {
  if (!field.custom) return undefined;
  const lines = [
    `<fields>`,
    `        <fullName>${escapeXml(field.name)}</fullName>`,
    `        <displayLocationInDecimal>${field.displayLocationInDecimal ? 'true' : 'false'}</displayLocationInDecimal>`,
  ];
  if (field.description) lines.push(`        <description>${escapeXml(field.description)}</description>`);
  lines.push(
    `        <label>${escapeXml(field.label)}</label>`,
    `        <scale>${field.scale ?? 0}</scale>`,
    `        <type>Location</type>`,
    '    </fields>',
  );
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
        ...(nameField.autoNumber && nameField.autoNumberFormat
          ? [`        <displayFormat>${escapeXml(nameField.autoNumberFormat)}</displayFormat>`]
          : []),
        `        <label>${escapeXml(nameField.label)}</label>`,
        ...(nameField.autoNumberStart !== undefined
          ? [`        <startingNumber>${nameField.autoNumberStart}</startingNumber>`]
          : []),
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
