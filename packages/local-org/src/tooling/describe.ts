/**
 * Describe results for Tooling objects, in the shape of `GET .../tooling/sobjects/<Object>/describe`.
 */
import { SOAP_TYPES, TEXT_TYPES } from '../state/fields.js';
import type { FieldDef, ObjectDef, Schema } from '../state/types.js';

function objectUrls(apiVersion: string, name: string): Record<string, string> {
  const base = `/services/data/v${apiVersion}/tooling/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** Tooling fields whose Salesforce type the record store has no name for (see objects.ts). */
function isComplexValue(field: FieldDef): boolean {
  return field.name === 'Coverage' && field.type === 'location';
}

export function describeField(field: FieldDef): Record<string, unknown> {
  if (isComplexValue(field)) {
    return {
      ...describeField({ ...field, type: 'textarea' }),
      type: 'complexvalue',
      soapType: 'tns:Coverage',
      filterable: false,
      sortable: false,
      groupable: false,
      aggregatable: false,
      length: 0,
      byteLength: 0,
    };
  }
  const textual = TEXT_TYPES.has(field.type);
  const numeric = ['int', 'long', 'double', 'currency', 'percent'].includes(field.type);
  return {
    aggregatable: field.type !== 'textarea',
    autoNumber: field.autoNumber ?? false,
    byteLength: textual ? (field.length ?? 0) * 3 : 0,
    calculated: field.calculated ?? false,
    cascadeDelete: field.cascadeDelete ?? false,
    caseSensitive: false,
    createable: field.createable,
    custom: field.custom,
    defaultValue: field.defaultValue ?? null,
    defaultedOnCreate: field.defaultedOnCreate,
    dependentPicklist: false,
    digits: field.type === 'int' ? (field.precision ?? 9) : 0,
    externalId: field.externalId ?? false,
    filterable: field.type !== 'textarea',
    groupable: !['textarea', 'double', 'currency', 'percent', 'datetime'].includes(field.type),
    idLookup: field.idLookup ?? false,
    inlineHelpText: null,
    label: field.label,
    length: textual ? (field.length ?? 0) : 0,
    name: field.name,
    nameField: field.nameField ?? false,
    namePointing: (field.referenceTo?.length ?? 0) > 1,
    nillable: field.nillable,
    picklistValues: (field.picklistValues ?? []).map((value) => ({ ...value, validFor: null })),
    polymorphicForeignKey: (field.referenceTo?.length ?? 0) > 1,
    precision: numeric && field.type !== 'int' ? (field.precision ?? 0) : 0,
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.relationshipName ?? null,
    restrictedPicklist: field.restrictedPicklist ?? false,
    scale: numeric && field.type !== 'int' ? (field.scale ?? 0) : 0,
    soapType: SOAP_TYPES[field.type],
    sortable: field.type !== 'textarea',
    type: field.type,
    unique: field.unique ?? false,
    updateable: field.updateable,
  };
}

function objectSummary(def: ObjectDef, apiVersion: string): Record<string, unknown> {
  return {
    activateable: false,
    createable: def.createable,
    custom: def.custom,
    customSetting: false,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: false,
    mergeable: false,
    mruEnabled: false,
    name: def.name,
    queryable: def.queryable,
    replicateable: false,
    retrieveable: true,
    searchable: def.searchable,
    triggerable: false,
    undeletable: false,
    updateable: def.updateable,
    urls: objectUrls(apiVersion, def.name),
  };
}

export function describeGlobal(schema: Schema, apiVersion: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: schema.listObjects('tooling').map((def) => objectSummary(def, apiVersion)),
  };
}

export function describeObjectBasics(def: ObjectDef, apiVersion: string): Record<string, unknown> {
  return { objectDescribe: objectSummary(def, apiVersion), recentItems: [] };
}

export function describeObject(schema: Schema, def: ObjectDef, apiVersion: string): Record<string, unknown> {
  return {
    ...objectSummary(def, apiVersion),
    childRelationships: schema.childRelationships(def.name).map((child) => ({
      cascadeDelete: child.cascadeDelete,
      childSObject: child.childSObject,
      deprecatedAndHidden: false,
      field: child.field,
      relationshipName: child.relationshipName,
      restrictedDelete: false,
    })),
    fields: def.fields.map(describeField),
    recordTypeInfos: [],
    supportedScopes: [],
  };
}
