/** Builders for field and object definitions, so the standard objects read like a table. */
import type { FieldDef, FieldType, ObjectDef, PicklistValue } from './types.js';

export interface FieldOptions {
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  /** Not nillable and not defaulted: a create must give it. */
  required?: boolean;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  defaultedOnCreate?: boolean;
  defaultValue?: unknown;
  unique?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  calculated?: boolean;
  autoNumber?: boolean;
  restricted?: boolean;
  nameField?: boolean;
  referenceTo?: string[];
  relationshipName?: string;
  cascadeDelete?: boolean;
  custom?: boolean;
  description?: string;
}

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  string: 255,
  textarea: 255,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
  multipicklist: 4099,
  combobox: 255,
  reference: 18,
  encryptedstring: 175,
};

/** Field types whose values are text: a describe gives them a `length` (and a `byteLength`). */
export const TEXT_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'encryptedstring',
  'id',
  'reference',
]);

/** The `soapType` a describe gives each field type, in the REST and the Tooling API alike. */
export const SOAP_TYPES: Record<FieldType, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  combobox: 'xsd:string',
  encryptedstring: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  long: 'xsd:long',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
  base64: 'xsd:base64Binary',
  address: 'urn:address',
  location: 'urn:location',
};

/** `Account_Id__c` → `Account Id`; `BillingCity` → `Billing City`. */
export function labelFromName(name: string): string {
  const base = name.replace(/__c$/i, '').replace(/Id$/, '').replace(/_/g, ' ');
  return base.replace(/([a-z])([A-Z])/g, '$1 $2').trim() || name;
}

export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const readOnly = options.calculated === true || options.autoNumber === true;
  const isBoolean = type === 'boolean';
  const def: FieldDef = {
    name,
    label: options.label ?? labelFromName(name),
    type,
    nillable: options.nillable ?? (!options.required && !isBoolean && !options.autoNumber),
    createable: options.createable ?? !readOnly,
    updateable: options.updateable ?? !readOnly,
    defaultedOnCreate:
      options.defaultedOnCreate ??
      (isBoolean || options.defaultValue !== undefined || options.autoNumber === true),
    custom: options.custom ?? /__c$/i.test(name),
  };
  const length = options.length ?? DEFAULT_LENGTH[type];
  if (length !== undefined) def.length = length;
  if (options.precision !== undefined) def.precision = options.precision;
  if (options.scale !== undefined) def.scale = options.scale;
  if (options.defaultValue !== undefined) def.defaultValue = options.defaultValue;
  else if (isBoolean) def.defaultValue = false;
  if (options.unique) def.unique = true;
  if (options.externalId) def.externalId = true;
  if (options.idLookup ?? (options.externalId || options.unique)) def.idLookup = true;
  if (options.calculated) def.calculated = true;
  if (options.autoNumber) def.autoNumber = true;
  if (options.restricted) def.restrictedPicklist = true;
  if (options.nameField) def.nameField = true;
  if (options.referenceTo) def.referenceTo = options.referenceTo;
  if (options.relationshipName) def.relationshipName = options.relationshipName;
  if (options.cascadeDelete) def.cascadeDelete = true;
  if (options.description) def.description = options.description;
  return def;
}

export const text = (name: string, length = 255, options: FieldOptions = {}) =>
  field(name, 'string', { ...options, length });
export const longText = (name: string, length = 32000, options: FieldOptions = {}) =>
  field(name, 'textarea', { ...options, length });
export const checkbox = (name: string, options: FieldOptions = {}) => field(name, 'boolean', options);
export const date = (name: string, options: FieldOptions = {}) => field(name, 'date', options);
export const datetime = (name: string, options: FieldOptions = {}) => field(name, 'datetime', options);
export const integer = (name: string, digits = 9, options: FieldOptions = {}) =>
  field(name, 'int', { precision: digits, scale: 0, ...options });
export const number = (name: string, precision = 18, scale = 0, options: FieldOptions = {}) =>
  field(name, 'double', { precision, scale, ...options });
export const currency = (name: string, precision = 18, scale = 2, options: FieldOptions = {}) =>
  field(name, 'currency', { precision, scale, ...options });
export const percent = (name: string, precision = 3, scale = 0, options: FieldOptions = {}) =>
  field(name, 'percent', { precision, scale, ...options });
export const email = (name: string, options: FieldOptions = {}) => field(name, 'email', options);
export const phone = (name: string, options: FieldOptions = {}) => field(name, 'phone', options);
export const url = (name: string, options: FieldOptions = {}) => field(name, 'url', options);

export function picklistValues(values: readonly string[], defaultValue?: string): PicklistValue[] {
  return values.map((value) => ({ value, label: value, active: true, defaultValue: value === defaultValue }));
}

export function picklist(
  name: string,
  values: readonly string[],
  options: FieldOptions & { default?: string } = {},
): FieldDef {
  const def = field(name, 'picklist', {
    ...options,
    ...(options.default !== undefined ? { defaultValue: options.default } : {}),
  });
  def.picklistValues = picklistValues(values, options.default);
  return def;
}

export function multiPicklist(name: string, values: readonly string[], options: FieldOptions = {}): FieldDef {
  const def = field(name, 'multipicklist', options);
  def.picklistValues = picklistValues(values);
  return def;
}

export function combobox(name: string, values: readonly string[], options: FieldOptions = {}): FieldDef {
  const def = field(name, 'combobox', options);
  def.picklistValues = picklistValues(values);
  return def;
}

export function lookup(name: string, referenceTo: string | string[], options: FieldOptions = {}): FieldDef {
  const targets = Array.isArray(referenceTo) ? referenceTo : [referenceTo];
  const relationshipName =
    options.relationshipName ??
    (name.endsWith('__c') ? name.replace(/__c$/, '__r') : name.replace(/Id$/, ''));
  return field(name, 'reference', { ...options, referenceTo: targets, relationshipName });
}

/** Street/City/State/PostalCode/Country plus the compound address field, as on Account's BillingAddress. */
export function address(prefix: string): FieldDef[] {
  return [
    field(`${prefix}Street`, 'textarea', { length: 255, label: `${prefix} Street`.trim() }),
    text(`${prefix}City`, 40, { label: `${prefix} City`.trim() }),
    text(`${prefix}State`, 80, { label: `${prefix} State/Province`.trim() }),
    text(`${prefix}PostalCode`, 20, { label: `${prefix} Zip/Postal Code`.trim() }),
    text(`${prefix}Country`, 80, { label: `${prefix} Country`.trim() }),
    field(`${prefix}Address`, 'address', {
      label: `${prefix} Address`.trim(),
      createable: false,
      updateable: false,
    }),
  ];
}

/**
 * A geolocation field as Salesforce has it: the compound `Location__c` (type location, read-only, its value
 * `{latitude, longitude}` filled from the components) and the two writable components
 * `Location__Latitude__s` and `Location__Longitude__s` (doubles, `compoundFieldName` the compound's name).
 */
export function geolocation(
  name: string,
  options: {
    label?: string;
    scale?: number;
    required?: boolean;
    displayInDecimal?: boolean;
    description?: string;
  } = {},
): FieldDef[] {
  const base = name.replace(/__c$/i, '');
  const label = options.label ?? labelFromName(name);
  const scale = options.scale ?? 0;
  const compound = field(name, 'location', {
    label,
    createable: false,
    updateable: false,
    nillable: true,
    scale,
    custom: /__c$/i.test(name),
    ...(options.description ? { description: options.description } : {}),
  });
  if (options.displayInDecimal) compound.displayLocationInDecimal = true;
  const component = (part: 'Latitude' | 'Longitude'): FieldDef => {
    const def = number(`${base}__${part}__s`, 18, scale, {
      label: `${label} (${part})`,
      required: options.required === true,
      custom: compound.custom,
    });
    def.compoundFieldName = name;
    if (options.displayInDecimal) def.displayLocationInDecimal = true;
    return def;
  };
  return [compound, component('Latitude'), component('Longitude')];
}

export interface ObjectOptions {
  label?: string;
  labelPlural?: string;
  custom?: boolean;
  api?: ObjectDef['api'];
  /** Has OwnerId (records belong to a user or queue). */
  ownable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  queryable?: boolean;
  searchable?: boolean;
  description?: string;
}

/** The fields every object has: Id, IsDeleted and the audit fields. */
export function systemFields(ownable: boolean): FieldDef[] {
  const fields: FieldDef[] = [
    field('Id', 'id', {
      label: `Record ID`,
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
      idLookup: true,
    }),
    field('IsDeleted', 'boolean', { label: 'Deleted', createable: false, updateable: false }),
  ];
  if (ownable) {
    fields.push(
      lookup('OwnerId', ['User', 'Group'], {
        label: 'Owner ID',
        relationshipName: 'Owner',
        nillable: false,
        defaultedOnCreate: true,
      }),
    );
  }
  fields.push(
    datetime('CreatedDate', {
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    }),
    lookup('CreatedById', 'User', {
      label: 'Created By ID',
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    }),
    datetime('LastModifiedDate', {
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    }),
    lookup('LastModifiedById', 'User', {
      label: 'Last Modified By ID',
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    }),
    datetime('SystemModstamp', {
      label: 'System Modstamp',
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    }),
  );
  return fields;
}

export function objectDef(
  name: string,
  keyPrefix: string,
  fields: FieldDef[],
  options: ObjectOptions = {},
): ObjectDef {
  const label = options.label ?? labelFromName(name);
  const def: ObjectDef = {
    name,
    label,
    labelPlural:
      options.labelPlural ??
      (label.endsWith('s') ? `${label}es` : label.endsWith('y') ? `${label.slice(0, -1)}ies` : `${label}s`),
    keyPrefix,
    custom: options.custom ?? /__c$/i.test(name),
    api: options.api ?? 'data',
    queryable: options.queryable ?? true,
    createable: options.createable ?? true,
    updateable: options.updateable ?? true,
    deletable: options.deletable ?? true,
    searchable: options.searchable ?? true,
    fields: [...systemFields(options.ownable ?? false), ...fields],
  };
  if (options.description) def.description = options.description;
  return def;
}
