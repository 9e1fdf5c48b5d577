/**
 * The contract between the parts of the local org: the schema and record store (state/),
 * the SOQL and SOSL engines (soql/), REST (rest/), Tooling (tooling/) and Metadata SOAP (metadata/).
 * Every part programs against these interfaces, never against another part's internals.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'boolean'
  | 'int'
  | 'long'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'reference'
  | 'base64'
  | 'encryptedstring'
  | 'address'
  | 'location';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDef {
  /** Canonical API name, e.g. `AccountId`, `Region__c`. Lookups are case-insensitive. */
  name: string;
  label: string;
  type: FieldType;
  /** Text length (string, textarea, email, phone, url, picklist...). */
  length?: number;
  /** Number precision and scale (double, currency, percent, int). */
  precision?: number;
  scale?: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  /** The org fills it when a create leaves it out (defaults, checkboxes, audit fields). */
  defaultedOnCreate: boolean;
  defaultValue?: unknown;
  unique?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  custom: boolean;
  calculated?: boolean;
  autoNumber?: boolean;
  /** An auto number's display format, e.g. `WI-{000000}` (counting from 1); without one, `00001000`, `00001001`... */
  autoNumberFormat?: string;
  /** The first number an auto number gives (CustomField `startingNumber`); without one 1 (or 1000 without a format). */
  autoNumberStart?: number;
  /** A component of a compound field (`Location__Latitude__s` of `Location__c`): describe's `compoundFieldName`. */
  compoundFieldName?: string;
  /** A geolocation field shown in decimal degrees (CustomField `displayLocationInDecimal`). */
  displayLocationInDecimal?: boolean;
  picklistValues?: PicklistValue[];
  /** A restricted picklist rejects values outside `picklistValues` (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST). */
  restrictedPicklist?: boolean;
  /** The field that names a record (`Name`, `CaseNumber`, `Subject`); describe reports it as `nameField`. */
  nameField?: boolean;
  /** For references: target object names, and the relationship name used in SOQL paths (`Account`, `Parent__r`). */
  referenceTo?: string[];
  relationshipName?: string;
  /**
   * For references: the name the parent side uses in subqueries (`Contacts`, `Invoices__r`).
   * Custom lookups deployed through the Metadata API carry it (CustomField `relationshipName` + `__r`).
   */
  childRelationshipName?: string;
  /** For a master-detail reference. */
  cascadeDelete?: boolean;
  description?: string;
}

export interface ObjectDef {
  /** Canonical API name: `Account`, `Invoice__c`. */
  name: string;
  label: string;
  labelPlural: string;
  /** Three-character id prefix: `001` for Account. */
  keyPrefix: string;
  custom: boolean;
  /** Which API serves it: ordinary sObjects are `data`; ApexClass and ApexTrigger are `both`. */
  api: 'data' | 'tooling' | 'both';
  queryable: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  searchable: boolean;
  fields: FieldDef[];
  description?: string;
  /**
   * In a user's view of the schema (access.ts): operations the object allows that this user's object
   * permissions do not (their writes are INSUFFICIENT_ACCESS_OR_READONLY).
   */
  denied?: Array<'insert' | 'update' | 'delete'>;
}

export interface ChildRelationship {
  /** Name used in a SOQL subquery: `Contacts`, `Opportunities`, `Invoices__r`. */
  relationshipName: string;
  childSObject: string;
  field: string;
  cascadeDelete: boolean;
}

/** A stored record: canonical field names to values (dates as `YYYY-MM-DD`, datetimes as ISO strings with `.000+0000`). */
export interface StoredRecord {
  Id: string;
  IsDeleted?: boolean;
  [field: string]: unknown;
}

export interface Schema {
  /** Case-insensitive. */
  getObject(name: string): ObjectDef | undefined;
  listObjects(api?: 'data' | 'tooling'): ObjectDef[];
  getField(objectName: string, fieldName: string): FieldDef | undefined;
  childRelationships(objectName: string): ChildRelationship[];
  /** The object an id belongs to, by its key prefix. */
  objectForId(id: string): ObjectDef | undefined;
  /** Add or replace a (custom) object; used by Metadata API deploys. */
  upsertObject(def: ObjectDef): void;
  /** Add or replace a field on an object; used by Metadata API deploys. */
  upsertField(objectName: string, field: FieldDef): void;
  /** Delete a custom field and its values (destructive deploys); undone with the transaction it ran in. */
  removeField(objectName: string, fieldName: string): void;
  /** Delete a custom object and its records (destructive deploys); undone with the transaction it ran in. */
  removeObject(name: string): void;
  /** A key prefix no object uses yet, for a new custom object (`a00`, `a01`, ...). */
  nextCustomKeyPrefix(): string;
}

export interface RecordStore {
  /** Rows of one object, in insertion order; soft-deleted rows only when asked. */
  rows(objectName: string, options?: { includeDeleted?: boolean }): Iterable<StoredRecord>;
  get(id: string, options?: { includeDeleted?: boolean }): StoredRecord | undefined;
  /**
   * Validates against the schema, fills ids, defaults and audit fields; throws SalesforceApiError.
   * `trusted` is for the org's own writes (seeds, test results, deploys): read-only fields such as
   * CreatedDate may then be set. Whether an object allows API inserts/updates/deletes is checked by
   * the API routes, not here. Returned records are the stored ones: do not mutate them.
   */
  insert(
    objectName: string,
    values: Record<string, unknown>,
    options?: { trusted?: boolean; id?: string },
  ): StoredRecord;
  update(
    objectName: string,
    id: string,
    values: Record<string, unknown>,
    options?: { trusted?: boolean },
  ): StoredRecord;
  /** Soft delete (queryAll still sees it). */
  delete(objectName: string, id: string): void;
  /**
   * Runs `work` as one unit: if it throws, every insert/update/delete it made is undone.
   * Collections with allOrNone, deploy rollback and seeding use it.
   */
  transaction<T>(work: () => T): T;
  newId(objectName: string): string;
}

/** Everything one running local org holds. */
export interface OrgState {
  readonly schema: Schema;
  readonly records: RecordStore;
  readonly orgId: string;
  readonly userId: string;
  readonly username: string;
  /** The clock queries and date literals use (tests may fix it). */
  now(): Date;
  /** API limit counters that move as calls are made. */
  readonly limits: Map<string, { Max: number; Remaining: number }>;
  /** Non-data state the Tooling and Metadata parts keep (test runs, deploy jobs, stored metadata files). */
  readonly extensions: Map<string, unknown>;
  /** Declared behaviour from the seed that the org cannot have (Apex test outcomes, coverage, anonymous Apex results). */
  readonly declared: Record<string, unknown>;
}
