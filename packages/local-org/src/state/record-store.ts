import { SalesforceApiError } from '../errors.js';
import { IdAllocator, toId18 } from './ids.js';
import type { Journal } from './journal.js';
import { afterWrite, deriveFields, validateRecord } from './rules.js';
import type { OrgSchema } from './schema.js';
import type { FieldDef, ObjectDef, RecordStore, Schema, StoredRecord } from './types.js';
import { badValue, coerceFieldValue, formatDateTime } from './values.js';

export interface WriteOptions {
  /** Seeding and loading: keep this id instead of making one. */
  id?: string;
  /** Seeding and loading: accept values for read-only fields (CreatedDate, IsClosed...) as given. */
  trusted?: boolean;
  /**
   * The schema as the writing user sees it (their field-level security): a field it lacks is no such
   * column, a field it shows read-only is not writable. The org's own schema when left out.
   */
  visibleSchema?: Pick<Schema, 'getField'>;
}

const NOT_WRITABLE_MESSAGE =
  'Please check the security settings of this field and verify that it is read/write for your profile or permission set.';

/** Keys every record carries that are never written by clients. */
const IGNORED_INPUT_KEYS = new Set(['attributes']);

type UniqueIndex = Map<string, Set<string>>;

export class OrgRecordStore implements RecordStore {
  /** object (lower case) → id → record, in insertion order. */
  private readonly tables = new Map<string, Map<string, StoredRecord>>();
  private readonly ids = new IdAllocator();
  /** `object.field` (lower case) → lower-cased value → ids: unique and external id fields. */
  private readonly uniqueIndexes = new Map<string, UniqueIndex>();
  private autoNumbers = new Map<string, number>();
  /** The user audit fields and OwnerId name; createOrgState sets it once the admin user has an id. */
  actingUserId = '';

  constructor(
    private readonly schema: OrgSchema,
    private readonly journal: Journal,
    private readonly now: () => Date,
    private readonly onChange: () => void = () => {},
  ) {}

  rows(objectName: string, options: { includeDeleted?: boolean } = {}): Iterable<StoredRecord> {
    const table = this.tables.get(objectName.toLowerCase());
    if (!table) return [];
    if (options.includeDeleted) return table.values();
    return filterLive(table.values());
  }

  /** Number of live rows of an object, without iterating them. */
  count(objectName: string): number {
    let count = 0;
    for (const _ of this.rows(objectName)) count += 1;
    return count;
  }

  get(id: string, options: { includeDeleted?: boolean } = {}): StoredRecord | undefined {
    const id18 = toId18(id);
    if (!id18) return undefined;
    const def = this.schema.objectForId(id18);
    if (!def) return undefined;
    const record = this.tables.get(def.name.toLowerCase())?.get(id18);
    if (!record || (record.IsDeleted && !options.includeDeleted)) return undefined;
    return record;
  }

  newId(objectName: string): string {
    return this.ids.next(this.requireObject(objectName).keyPrefix);
  }

  transaction<T>(work: () => T): T {
    return this.journal.run(work);
  }

  /** How to take back a change kept outside the store (a published platform event) if the running transaction rolls back. */
  recordUndo(undo: () => void): void {
    this.journal.record(undo);
  }

  insert(objectName: string, values: Record<string, unknown>, options: WriteOptions = {}): StoredRecord {
    const def = this.requireObject(objectName);
    const changes = this.coerceInput(def, values, 'create', options);
    const id = options.id ? this.adoptId(def, options.id) : this.ids.next(def.keyPrefix);
    const timestamp = formatDateTime(this.now());
    const record: StoredRecord = { ...recordTemplate(def) };
    record.Id = id;
    record.IsDeleted = false;
    if ('OwnerId' in record) record.OwnerId = this.actingUserId || null;
    record.CreatedDate = timestamp;
    record.CreatedById = this.actingUserId || null;
    record.LastModifiedDate = timestamp;
    record.LastModifiedById = this.actingUserId || null;
    record.SystemModstamp = timestamp;
    for (const autoNumber of def.fields)
      if (autoNumber.autoNumber) record[autoNumber.name] = this.nextAutoNumber(def, autoNumber);
    Object.assign(record, changes);
    deriveFields(def, record, undefined, changes, this);
    this.checkRecord(def, record, undefined, options.trusted ?? false);

    const table = this.table(def);
    table.set(id, record);
    this.indexRecord(def, record, undefined);
    this.journal.record(() => {
      table.delete(id);
      this.indexRecord(def, undefined, record);
    });
    afterWrite(def, record, undefined, this);
    this.onChange();
    return table.get(id) ?? record;
  }

  // Whether an object allows insert, update or delete through the API is the API's check (REST and
  // Tooling routes); the store serves the org's own writes too (test results, deploys).
  update(
    objectName: string,
    id: string,
    values: Record<string, unknown>,
    options: WriteOptions = {},
  ): StoredRecord {
    const def = this.requireObject(objectName);
    const previous = this.requireRecord(def, id);
    const changes = this.coerceInput(def, values, 'update', options);
    const record: StoredRecord = { ...previous, ...changes };
    if (!options.trusted || changes.LastModifiedDate === undefined) {
      const timestamp = formatDateTime(this.now());
      record.LastModifiedDate = timestamp;
      record.SystemModstamp = timestamp;
      record.LastModifiedById = this.actingUserId || previous.LastModifiedById || null;
    }
    deriveFields(def, record, previous, changes, this);
    this.checkRecord(def, record, previous, options.trusted ?? false);

    const table = this.table(def);
    table.set(previous.Id, record);
    this.indexRecord(def, record, previous);
    this.journal.record(() => {
      table.set(previous.Id, previous);
      this.indexRecord(def, previous, record);
    });
    afterWrite(def, record, previous, this);
    this.onChange();
    return table.get(previous.Id) ?? record;
  }

  delete(objectName: string, id: string): void {
    const def = this.requireObject(objectName);
    const previous = this.requireRecord(def, id);
    const table = this.table(def);
    const timestamp = formatDateTime(this.now());
    const deleted: StoredRecord = { ...previous, IsDeleted: true, SystemModstamp: timestamp };
    table.set(previous.Id, deleted);
    this.indexRecord(def, undefined, previous);
    this.journal.record(() => {
      table.set(previous.Id, previous);
      this.indexRecord(def, previous, undefined);
    });
    // Master-detail children (and the standard children Salesforce deletes with an Account) go too.
    for (const child of this.schema.childRelationships(def.name)) {
      if (!child.cascadeDelete) continue;
      for (const row of [...this.rows(child.childSObject)]) {
        if (row[child.field] === previous.Id) this.delete(child.childSObject, row.Id);
      }
    }
    this.onChange();
  }

  /** Brings back a soft-deleted record (the REST `undelete` is not offered; persistence and tests use it). */
  undelete(objectName: string, id: string): StoredRecord {
    const def = this.requireObject(objectName);
    const id18 = toId18(id);
    const table = this.table(def);
    const previous = id18 ? table.get(id18) : undefined;
    if (!previous || !previous.IsDeleted)
      throw new SalesforceApiError(400, 'UNDELETE_FAILED', 'Entity is not in the recycle bin');
    const restored: StoredRecord = { ...previous, IsDeleted: false };
    table.set(previous.Id, restored);
    this.indexRecord(def, restored, undefined);
    this.journal.record(() => {
      table.set(previous.Id, previous);
      this.indexRecord(def, undefined, restored);
    });
    this.onChange();
    return restored;
  }

  /** Ids of live records whose unique or external id field has this value (case-insensitive). */
  findByField(objectName: string, fieldName: string, value: unknown): string[] {
    const def = this.requireObject(objectName);
    const field = this.schema.getField(def.name, fieldName);
    if (!field) return [];
    if (field.name === 'Id') {
      const record = typeof value === 'string' ? this.get(value) : undefined;
      return record && this.schema.objectForId(record.Id) === def ? [record.Id] : [];
    }
    if (value === null || value === undefined) return [];
    if (field.unique || field.externalId) {
      return [...(this.index(def, field).get(String(value).toLowerCase()) ?? [])];
    }
    const wanted = String(value).toLowerCase();
    const ids: string[] = [];
    for (const row of this.rows(def.name)) {
      const stored = row[field.name];
      if (stored !== null && stored !== undefined && String(stored).toLowerCase() === wanted)
        ids.push(row.Id);
    }
    return ids;
  }

  /** Every table, for persistence. */
  allTables(): Array<[string, StoredRecord[]]> {
    return [...this.tables.entries()].map(([key, table]) => [
      this.schema.getObject(key)?.name ?? key,
      [...table.values()],
    ]);
  }

  /** Loads stored rows exactly as they were saved (persistence). */
  restore(objectName: string, rows: StoredRecord[]): void {
    const def = this.requireObject(objectName);
    const table = this.table(def);
    for (const row of rows) {
      table.set(row.Id, row);
      this.ids.observe(row.Id);
      for (const autoNumber of def.fields) {
        if (!autoNumber.autoNumber) continue;
        const value = autoNumberValue(autoNumber, row[autoNumber.name]);
        const key = autoNumberKey(def, autoNumber);
        if (Number.isFinite(value) && value >= (this.autoNumbers.get(key) ?? 0))
          this.autoNumbers.set(key, value + 1);
      }
    }
    this.uniqueIndexes.clear();
  }

  requireObject(objectName: string): ObjectDef {
    const def = this.schema.getObject(objectName);
    if (!def)
      throw new SalesforceApiError(400, 'INVALID_TYPE', `sObject type '${objectName}' is not supported.`);
    return def;
  }

  private requireRecord(def: ObjectDef, id: string): StoredRecord {
    const id18 = toId18(id);
    if (!id18)
      throw new SalesforceApiError(400, 'MALFORMED_ID', `${def.name} ID: id value of incorrect type: ${id}`, [
        'Id',
      ]);
    if (this.schema.objectForId(id18) !== def) {
      throw new SalesforceApiError(400, 'MALFORMED_ID', `${def.name} ID: id value of incorrect type: ${id}`, [
        'Id',
      ]);
    }
    const record = this.tables.get(def.name.toLowerCase())?.get(id18);
    if (!record) throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (record.IsDeleted) throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    return record;
  }

  private table(def: ObjectDef): Map<string, StoredRecord> {
    const key = def.name.toLowerCase();
    let table = this.tables.get(key);
    if (!table) {
      table = new Map();
      this.tables.set(key, table);
    }
    return table;
  }

  private adoptId(def: ObjectDef, id: string): string {
    const id18 = toId18(id);
    if (!id18 || id18.slice(0, 3) !== def.keyPrefix) {
      throw new SalesforceApiError(400, 'MALFORMED_ID', `${def.name} ID: id value of incorrect type: ${id}`, [
        'Id',
      ]);
    }
    if (this.tables.get(def.name.toLowerCase())?.has(id18)) {
      throw new SalesforceApiError(
        400,
        'DUPLICATE_VALUE',
        `duplicate value found: Id duplicates value on record with id: ${id18}`,
        ['Id'],
      );
    }
    this.ids.observe(id18);
    return id18;
  }

  private nextAutoNumber(def: ObjectDef, field: FieldDef): string {
    const key = autoNumberKey(def, field);
    const format = field.autoNumberFormat;
    const next = this.autoNumbers.get(key) ?? field.autoNumberStart ?? (format ? 1 : 1000);
    this.autoNumbers.set(key, next + 1);
    this.journal.record(() => this.autoNumbers.set(key, next));
    return format ? formatAutoNumber(format, next) : String(next).padStart(8, '0');
  }

  /** Field names to stored values, checked one by one; throws the first error Salesforce would. */
  private coerceInput(
    def: ObjectDef,
    values: Record<string, unknown>,
    mode: 'create' | 'update',
    options: WriteOptions,
  ): Record<string, unknown> {
    const trusted = options.trusted ?? false;
    const schema = options.visibleSchema ?? this.schema;
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw new SalesforceApiError(
        400,
        'JSON_PARSER_ERROR',
        'The request body must be a JSON object of field names and values.',
      );
    }
    const changes: Record<string, unknown> = {};
    const notWritable: string[] = [];
    for (const [name, raw] of Object.entries(values)) {
      if (IGNORED_INPUT_KEYS.has(name) || raw === undefined) continue;
      const field = schema.getField(def.name, name);
      if (!field) {
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD',
          `No such column '${name}' on sobject of type ${def.name}`,
          [name],
        );
      }
      if (field.name === 'Id') {
        // An update body may repeat the record's own id; anything else names a field clients cannot set.
        if (mode === 'update' || trusted) continue;
        throw new SalesforceApiError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
      }
      if (raw !== null && typeof raw === 'object' && field.type !== 'address' && field.type !== 'location') {
        throw badValue(
          'INVALID_TYPE_ON_FIELD_IN_RECORD',
          `${field.label}: value not of required type: ${JSON.stringify(raw)}`,
          field,
        );
      }
      const writable = mode === 'create' ? field.createable : field.updateable;
      if (!writable && !trusted) {
        notWritable.push(field.name);
        continue;
      }
      if (trusted && (field.type === 'address' || field.type === 'location' || field.calculated)) {
        changes[field.name] = raw;
        continue;
      }
      changes[field.name] = coerceFieldValue(field, raw);
    }
    if (notWritable.length > 0) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${notWritable.join(', ')}. ${NOT_WRITABLE_MESSAGE}`,
        notWritable,
      );
    }
    return changes;
  }

  /** Required fields, references, uniqueness and the object's own rules, on the record as it would be stored. */
  private checkRecord(
    def: ObjectDef,
    record: StoredRecord,
    previous: StoredRecord | undefined,
    trusted: boolean,
  ): void {
    const missing: string[] = [];
    for (const field of def.fields) {
      const value = record[field.name];
      if (
        (value === null || value === undefined) &&
        !field.nillable &&
        field.type !== 'boolean' &&
        field.createable &&
        !field.calculated
      ) {
        missing.push(field.name);
      }
    }
    if (missing.length > 0) {
      throw new SalesforceApiError(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      );
    }
    for (const field of def.fields) {
      if (field.type === 'reference') this.checkReference(field, record, previous);
    }
    for (const field of def.fields) {
      if (!field.unique) continue;
      const value = record[field.name];
      if (value === null || value === undefined || value === previous?.[field.name]) continue;
      const clash = [...(this.index(def, field).get(String(value).toLowerCase()) ?? [])].find(
        (other) => other !== record.Id,
      );
      if (clash) {
        throw new SalesforceApiError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${clash}`,
          [field.name],
        );
      }
    }
    validateRecord(def, record, previous, this, trusted);
  }

  private checkReference(field: FieldDef, record: StoredRecord, previous: StoredRecord | undefined): void {
    const value = record[field.name];
    if (typeof value !== 'string' || value === previous?.[field.name]) return;
    const target = this.schema.objectForId(value);
    const allowed = field.referenceTo ?? [];
    if (!target || !allowed.some((name) => name.toLowerCase() === target.name.toLowerCase())) {
      throw badValue(
        'FIELD_INTEGRITY_EXCEPTION',
        `${field.label}: id value of incorrect type: ${value}`,
        field,
      );
    }
    // The acting user's id exists before the user record while an org is being built.
    if (!this.get(value) && value !== record.Id && value !== this.actingUserId) {
      throw new SalesforceApiError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [
        field.name,
      ]);
    }
  }

  private index(def: ObjectDef, field: FieldDef): UniqueIndex {
    const key = `${def.name}.${field.name}`.toLowerCase();
    let index = this.uniqueIndexes.get(key);
    if (!index) {
      index = new Map();
      for (const row of this.rows(def.name)) addToIndex(index, row[field.name], row.Id);
      this.uniqueIndexes.set(key, index);
    }
    return index;
  }

  /** Keeps built indexes in step with a write: `added` is the record now stored, `removed` the one replaced. */
  private indexRecord(
    def: ObjectDef,
    added: StoredRecord | undefined,
    removed: StoredRecord | undefined,
  ): void {
    for (const field of def.fields) {
      if (!field.unique && !field.externalId) continue;
      const index = this.uniqueIndexes.get(`${def.name}.${field.name}`.toLowerCase());
      if (!index) continue;
      if (removed && !removed.IsDeleted) removeFromIndex(index, removed[field.name], removed.Id);
      if (added && !added.IsDeleted) addToIndex(index, added[field.name], added.Id);
    }
  }

  /** A field added to an object with records: existing rows get its default (false for checkboxes), as in a real org. */
  fillNewFields(def: ObjectDef): void {
    const table = this.tables.get(def.name.toLowerCase());
    const first = table?.values().next().value;
    if (!table || !first) return;
    const added = def.fields.filter((field) => !(field.name in first));
    if (added.length === 0) return;
    for (const row of table.values()) {
      for (const field of added) {
        if (!(field.name in row))
          row[field.name] =
            field.type === 'boolean' ? (field.defaultValue ?? false) : (field.defaultValue ?? null);
      }
    }
  }

  /** Called when the schema changes: indexes are rebuilt on next use against the new fields. */
  clearIndexes(): void {
    this.uniqueIndexes.clear();
  }

  /**
   * Fields deleted from the schema: their values leave every row of the object (soft-deleted ones
   * too), as the data goes with a deleted field in a real org. A rollback puts the rows back.
   */
  dropFieldValues(objectName: string, fieldNames: string[]): void {
    const table = this.tables.get(objectName.toLowerCase());
    if (!table || fieldNames.length === 0) return;
    const dropped = new Set(fieldNames);
    const previous = new Map(table);
    for (const [id, row] of previous) {
      const kept: StoredRecord = { Id: row.Id };
      for (const [key, value] of Object.entries(row)) if (!dropped.has(key)) kept[key] = value;
      table.set(id, kept);
    }
    this.uniqueIndexes.clear();
    this.journal.record(() => {
      for (const [id, row] of previous) table.set(id, row);
      this.uniqueIndexes.clear();
    });
    this.onChange();
  }

  /** An object deleted from the schema: its rows (and its auto number counters) go with it; a rollback puts them back. */
  dropTable(objectName: string): void {
    const key = objectName.toLowerCase();
    const table = this.tables.get(key);
    const counters = [...this.autoNumbers].filter(
      ([counter]) => counter === key || counter.startsWith(`${key}.`),
    );
    const order = [...this.tables.keys()];
    this.tables.delete(key);
    for (const [counter] of counters) this.autoNumbers.delete(counter);
    this.uniqueIndexes.clear();
    this.journal.record(() => {
      if (table) {
        // Back in its place, so every listing of the tables reads as before.
        const entries = new Map(this.tables);
        entries.set(key, table);
        this.tables.clear();
        for (const name of order) {
          const entry = entries.get(name);
          if (entry) this.tables.set(name, entry);
          entries.delete(name);
        }
        for (const [name, entry] of entries) this.tables.set(name, entry);
      }
      for (const [counter, value] of counters) this.autoNumbers.set(counter, value);
      this.uniqueIndexes.clear();
    });
    this.onChange();
  }
}

const templates = new WeakMap<ObjectDef, StoredRecord>();

/**
 * A new record of an object starts as a copy of this: every field, defaults filled in. Made by
 * JSON.parse so that V8 gives it (and every copy) one shared shape with fast properties; records built
 * key by key fall into dictionary mode and take twice the memory (it matters at 100,000 rows).
 */
function recordTemplate(def: ObjectDef): StoredRecord {
  let template = templates.get(def);
  if (!template) {
    const values: Record<string, unknown> = { Id: '' };
    for (const field of def.fields) {
      if (field.name === 'Id') continue;
      const fallback =
        field.defaultedOnCreate && field.defaultValue !== undefined ? field.defaultValue : null;
      values[field.name] = fallback !== null && typeof fallback === 'object' ? null : fallback;
    }
    template = JSON.parse(JSON.stringify(values)) as StoredRecord;
    templates.set(def, template);
  }
  return template;
}

function* filterLive(records: Iterable<StoredRecord>): Iterable<StoredRecord> {
  for (const record of records) if (!record.IsDeleted) yield record;
}

function addToIndex(index: UniqueIndex, value: unknown, id: string): void {
  if (value === null || value === undefined) return;
  const key = String(value).toLowerCase();
  let ids = index.get(key);
  if (!ids) {
    ids = new Set();
    index.set(key, ids);
  }
  ids.add(id);
}

function removeFromIndex(index: UniqueIndex, value: unknown, id: string): void {
  if (value === null || value === undefined) return;
  const key = String(value).toLowerCase();
  const ids = index.get(key);
  ids?.delete(id);
  if (ids && ids.size === 0) index.delete(key);
}

const AUTO_NUMBER_DIGITS = /\{(0+)\}/;

/** `WI-{000000}` and 7 → `WI-000007`. */
function formatAutoNumber(format: string, value: number): string {
  return format.replace(AUTO_NUMBER_DIGITS, (_all, zeros: string) =>
    String(value).padStart(zeros.length, '0'),
  );
}

/** The counter behind a stored auto number (`WI-000007` → 7), so a restored org continues after it. */
/** Each auto number field counts on its own (an object may have an auto-number Name and auto-number fields). */
function autoNumberKey(def: ObjectDef, field: FieldDef): string {
  return `${def.name.toLowerCase()}.${field.name.toLowerCase()}`;
}

function autoNumberValue(field: FieldDef, value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  if (!field.autoNumberFormat) return Number(value);
  const digits = /(\d+)\D*$/.exec(value);
  return digits ? Number(digits[1]) : Number.NaN;
}
