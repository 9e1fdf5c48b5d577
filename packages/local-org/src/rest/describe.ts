/** describeGlobal and sObject describe, in the REST API's JSON shape. */
import { SOAP_TYPES, TEXT_TYPES } from '../state/fields.js';
import type { ChildRelationship, FieldDef, ObjectDef, Schema } from '../state/types.js';

const NUMBER_TYPES = new Set<FieldDef['type']>(['double', 'currency', 'percent']);

function objectUrls(def: ObjectDef, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    listviews: `${base}/listviews`,
    describe: `${base}/describe`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

function globalEntry(def: ObjectDef, version: string): Record<string, unknown> {
  const urls = objectUrls(def, version);
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: def.createable,
    custom: def.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: def.deletable,
    deprecatedAndHidden: false,
    feedEnabled:
      !def.custom && ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'User'].includes(def.name),
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: def.createable,
    mergeable: ['Account', 'Contact', 'Lead', 'Case'].includes(def.name),
    mruEnabled: def.searchable,
    name: def.name,
    queryable: def.queryable,
    replicateable: def.queryable,
    retrieveable: def.queryable,
    searchable: def.searchable,
    triggerable: def.createable,
    undeletable: def.deletable,
    updateable: def.updateable,
    urls: {
      rowTemplate: urls.rowTemplate,
      defaultValues: urls.defaultValues,
      describe: urls.describe,
      sobject: urls.sobject,
    },
  };
}

export function describeGlobal(schema: Schema, version: string): Record<string, unknown> {
  const sobjects = schema
    .listObjects('data')
    .sort((left, right) => left.name.localeCompare(right.name))
    .map((def) => globalEntry(def, version));
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects };
}

export function describeField(field: FieldDef): Record<string, unknown> {
  const isText = TEXT_TYPES.has(field.type);
  const isNumber = NUMBER_TYPES.has(field.type);
  const filterable = field.type !== 'textarea' || (field.length ?? 0) <= 255;
  const compound = field.type === 'address' || field.type === 'location';
  return {
    aggregatable: filterable && field.type !== 'boolean' && !compound,
    aiPredictionField: false,
    autoNumber: field.autoNumber ?? false,
    byteLength: isText ? (field.length ?? 0) * 3 : 0,
    calculated: field.calculated ?? false,
    calculatedFormula: null,
    cascadeDelete: field.cascadeDelete ?? false,
    caseSensitive: false,
    compoundFieldName: field.compoundFieldName ?? compoundName(field),
    controllerName: null,
    createable: field.createable,
    custom: field.custom,
    defaultValue: field.type === 'boolean' ? (field.defaultValue ?? false) : (field.defaultValue ?? null),
    defaultValueFormula: null,
    defaultedOnCreate: field.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: field.type === 'int' ? (field.precision ?? 9) : 0,
    displayLocationInDecimal: field.displayLocationInDecimal ?? false,
    encrypted: field.type === 'encryptedstring',
    externalId: field.externalId ?? false,
    extraTypeInfo: field.type === 'textarea' && (field.length ?? 0) > 255 ? 'plaintextarea' : null,
    filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: filterable && !isNumber && field.type !== 'datetime' && !compound,
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: field.idLookup ?? false,
    inlineHelpText: null,
    label: field.label,
    length: isText ? (field.length ?? 0) : 0,
    mask: null,
    maskType: null,
    name: field.name,
    nameField: field.nameField ?? false,
    namePointing: (field.referenceTo?.length ?? 0) > 1,
    nillable: field.nillable,
    permissionable: field.nillable && !field.calculated && field.createable,
    picklistValues: (field.picklistValues ?? []).map((entry) => ({
      active: entry.active,
      defaultValue: entry.defaultValue,
      label: entry.label,
      validFor: null,
      value: entry.value,
    })),
    polymorphicForeignKey: (field.referenceTo?.length ?? 0) > 1,
    precision: isNumber ? (field.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: field.referenceTo ?? [],
    relationshipName: field.relationshipName ?? null,
    relationshipOrder: field.cascadeDelete && field.custom ? 0 : null,
    restrictedDelete: false,
    restrictedPicklist: field.restrictedPicklist ?? false,
    scale: isNumber || field.type === 'location' ? (field.scale ?? 0) : 0,
    searchPrefilterable: field.type === 'reference',
    soapType: SOAP_TYPES[field.type],
    sortable: filterable && !compound,
    type: field.type,
    unique: field.unique ?? false,
    updateable: field.updateable,
    writeRequiresMasterRead: false,
  };
}

/** `BillingCity` belongs to `BillingAddress`. */
function compoundName(field: FieldDef): string | null {
  const match = /^(Billing|Shipping|Mailing|Other|)(Street|City|State|PostalCode|Country)$/.exec(field.name);
  if (match && field.type !== 'address') return `${match[1]}Address`;
  if (field.name === 'FirstName' || field.name === 'LastName' || field.name === 'Salutation') return 'Name';
  return null;
}

function describeChild(child: ChildRelationship): Record<string, unknown> {
  return {
    cascadeDelete: child.cascadeDelete,
    childSObject: child.childSObject,
    deprecatedAndHidden: false,
    field: child.field,
    junctionIdListNames: [],
    junctionReferenceTo: [],
    relationshipName: child.relationshipName === '' ? null : child.relationshipName,
    restrictedDelete: false,
  };
}

export function describeObject(schema: Schema, def: ObjectDef, version: string): Record<string, unknown> {
  return {
    ...globalEntry(def, version),
    actionOverrides: [],
    childRelationships: schema.childRelationships(def.name).map(describeChild),
    compactLayoutable: def.createable,
    dataTranslationEnabled: false,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: def.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: def.createable
      ? [
          {
            active: true,
            available: true,
            defaultRecordTypeMapping: true,
            developerName: 'Master',
            master: true,
            name: 'Master',
            recordTypeId: '012000000000000AAA',
            urls: {
              layout: `/services/data/v${version}/sobjects/${def.name}/describe/layouts/012000000000000AAA`,
            },
          },
        ]
      : [],
    searchLayoutable: def.searchable,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [{ label: 'All ' + def.labelPlural.toLowerCase(), name: 'everything' }],
    urls: objectUrls(def, version),
  };
}

/** `GET /sobjects/<Object>`: the short describe and recently viewed items (none are tracked). */
export function objectBasicInfo(def: ObjectDef, version: string): Record<string, unknown> {
  return { objectDescribe: globalEntry(def, version), recentItems: [] };
}
