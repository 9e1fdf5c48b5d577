/** sObject rows and collections: create, read, update, delete, upsert by external id. */
import { randomUUID } from 'node:crypto';
import { SalesforceApiError } from '../errors.js';
import { isWellFormedId, toId18 } from '../state/ids.js';
import { coerceFieldValue, formatDateTime } from '../state/values.js';
import type { LocalOrgState } from '../state/index.js';
import type { ObjectDef, StoredRecord } from '../state/types.js';

export const MAX_COLLECTION_SIZE = 200;

export const NOT_FOUND = () =>
  new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export function requireObject(org: LocalOrgState, name: string): ObjectDef {
  const def = org.schema.getObject(name);
  if (!def || def.api === 'tooling') throw NOT_FOUND();
  return def;
}

export function recordUrl(version: string, objectName: string, id: string): string {
  return `/services/data/v${version}/sobjects/${objectName}/${id}`;
}

/** A stored row in the REST shape: `attributes` first, then fields in describe order (or the asked-for ones). */
export function renderRecord(
  def: ObjectDef,
  record: StoredRecord,
  version: string,
  fields?: string[],
): Record<string, unknown> {
  const rendered: Record<string, unknown> = {
    attributes: { type: def.name, url: recordUrl(version, def.name, record.Id) },
  };
  const names = fields ?? def.fields.map((field) => field.name);
  for (const name of names) rendered[name] = record[name] ?? null;
  return rendered;
}

/** `?fields=Name,Industry` → canonical names; unknown names are INVALID_FIELD as in a query. */
export function parseFieldList(
  def: ObjectDef,
  org: LocalOrgState,
  fieldsParameter: string | null,
): string[] | undefined {
  if (fieldsParameter === null || fieldsParameter.trim() === '') return undefined;
  const names: string[] = [];
  for (const raw of fieldsParameter.split(',')) {
    const name = raw.trim();
    if (!name) continue;
    const field = org.schema.getField(def.name, name);
    if (!field) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        [name],
      );
    }
    names.push(field.name);
  }
  return names.includes('Id') ? names : ['Id', ...names];
}

/**
 * The row an id in a URL names. A segment that is no id at all is taken by Salesforce as an external id
 * field name, hence its message; an id of another object, or a row that does not exist, is NOT_FOUND.
 */
export function requireRowById(org: LocalOrgState, def: ObjectDef, idSegment: string): StoredRecord {
  if (!isWellFormedId(idSegment)) {
    if (/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(idSegment)) {
      throw new SalesforceApiError(
        400,
        'MALFORMED_ID',
        `${def.name} ID: id value of incorrect type: ${idSegment}`,
        ['Id'],
      );
    }
    throw new SalesforceApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${idSegment}`,
    );
  }
  const id = toId18(idSegment) as string;
  if (org.schema.objectForId(id)?.name !== def.name) throw NOT_FOUND();
  const deleted = org.records.get(id, { includeDeleted: true });
  if (!deleted) throw NOT_FOUND();
  if (deleted.IsDeleted) throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  return deleted;
}

/** Strips `attributes` and checks the body is an object of field values. */
export function fieldValues(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of sObject: the request body must be a JSON object of field names and values.',
    );
  }
  const { attributes: _attributes, ...values } = body as Record<string, unknown>;
  return values;
}

/**
 * `"Account": {"External_Id__c": "ERP-1"}` sets AccountId to the account with that external id, as
 * Salesforce allows in creates, updates and upserts. Other keys pass through unchanged.
 */
export function resolveRelationships(
  org: LocalOrgState,
  def: ObjectDef,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      resolved[name] = value;
      continue;
    }
    const field = def.fields.find(
      (candidate) =>
        candidate.type === 'reference' && candidate.relationshipName?.toLowerCase() === name.toLowerCase(),
    );
    if (!field) {
      resolved[name] = value;
      continue;
    }
    const { attributes, ...keys } = value as Record<string, unknown> & { attributes?: { type?: unknown } };
    const targetName = typeof attributes?.type === 'string' ? attributes.type : field.referenceTo?.[0];
    const target = targetName ? org.schema.getObject(targetName) : undefined;
    const entries = Object.entries(keys);
    if (!target || entries.length !== 1) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `${field.relationshipName}: a relationship is set with exactly one external id field of ${targetName ?? 'its object'}`,
        [field.name],
      );
    }
    const [keyName, keyValue] = entries[0] as [string, unknown];
    const keyField = org.schema.getField(target.name, keyName);
    if (!keyField || !(keyField.externalId || keyField.idLookup)) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `Field name provided, ${keyName} is not an External ID or indexed field for ${target.name}`,
        [field.name],
      );
    }
    const matches = org.records.findByField(target.name, keyField.name, keyValue);
    if (matches.length === 0) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `Foreign key external ID: ${String(keyValue)} not found for field ${keyField.name} in entity ${target.name}`,
        [field.name],
      );
    }
    if (matches.length > 1) {
      throw new SalesforceApiError(
        400,
        'DUPLICATE_EXTERNAL_ID',
        `Foreign key external ID: ${String(keyValue)} matches more than one ${target.name} on field ${keyField.name}`,
        [field.name],
      );
    }
    resolved[field.name] = matches[0];
  }
  return resolved;
}

export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
}

function failure(error: unknown, id: string | null = null): SaveResult {
  if (error instanceof SalesforceApiError) {
    return {
      id,
      success: false,
      errors: [{ statusCode: error.errorCode, message: error.message, fields: error.fields }],
    };
  }
  return {
    id,
    success: false,
    errors: [
      {
        statusCode: 'UNKNOWN_EXCEPTION',
        message: error instanceof Error ? error.message : String(error),
        fields: [],
      },
    ],
  };
}

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [] as string[],
};

/**
 * Runs one operation per record. With allOrNone, the whole batch is one transaction: the first failure
 * undoes everything, the failing record reports its error and every other record reports the rollback.
 * Without it, each record succeeds or fails on its own.
 */
export function runCollection<T>(
  org: LocalOrgState,
  items: T[],
  allOrNone: boolean,
  operation: (item: T) => SaveResult,
  idOf: (item: T) => string | null = () => null,
): SaveResult[] {
  if (!allOrNone) {
    return items.map((item) => {
      try {
        return org.records.transaction(() => operation(item));
      } catch (error) {
        return failure(error, idOf(item));
      }
    });
  }
  const results: SaveResult[] = [];
  let failedAt = -1;
  let failed: SaveResult | undefined;
  try {
    org.records.transaction(() => {
      items.forEach((item, index) => {
        try {
          results.push(operation(item));
        } catch (error) {
          failedAt = index;
          failed = failure(error, idOf(item));
          throw error;
        }
      });
    });
    return results;
  } catch (error) {
    if (failedAt < 0 || !failed) throw error;
    return items.map((item, index) =>
      index === failedAt ? (failed as SaveResult) : { id: idOf(item), success: false, errors: [ROLLED_BACK] },
    );
  }
}

/** `attributes.type` of a collection record, or the object the URL names. */
export function collectionObject(org: LocalOrgState, record: unknown, fallback?: string): ObjectDef {
  const type =
    record && typeof record === 'object' && !Array.isArray(record)
      ? ((record as { attributes?: { type?: unknown } }).attributes?.type ?? fallback)
      : fallback;
  if (typeof type !== 'string' || type === '') {
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE',
      'Must specify a type in the attributes of each record in the collection',
      [],
    );
  }
  const def = org.schema.getObject(type);
  if (!def || def.api === 'tooling')
    throw new SalesforceApiError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`, []);
  return def;
}

/** The API refuses writes an object does not allow, before looking at the values. */
export function requireOperation(def: ObjectDef, operation: 'insert' | 'update' | 'delete'): void {
  if (def.denied?.includes(operation))
    throw new SalesforceApiError(
      400,
      'INSUFFICIENT_ACCESS_OR_READONLY',
      'insufficient access rights on object id',
    );
  const allowed =
    operation === 'insert' ? def.createable : operation === 'update' ? def.updateable : def.deletable;
  if (!allowed)
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE_FOR_OPERATION',
      `entity type ${def.name} does not support ${operation}`,
    );
}

/** Where published platform events are kept (`org.extensions`), newest last, for tests and inspection. */
export const PUBLISHED_EVENTS = 'platformEvents';
const MAX_KEPT_EVENTS = 10_000;

export interface PublishedEvent {
  sobject: string;
  /** The id the publish result carried (not a record id: events are not stored as records). */
  id: string;
  fields: Record<string, unknown>;
}

interface PublishedEvents {
  replayId: number;
  events: PublishedEvent[];
}

export function isPlatformEvent(def: ObjectDef): boolean {
  return /__e$/i.test(def.name);
}

/**
 * Creating a platform event publishes it: the values are checked like a record's, the event is kept in
 * `org.extensions` (it is not a record and cannot be queried), and the result carries an id with the
 * event object's key prefix and, as high-volume events answer, OPERATION_ENQUEUED with the event's UUID.
 * No subscriber runs (the local org has no Apex triggers, flows or streaming clients).
 */
function publishEvent(org: LocalOrgState, def: ObjectDef, values: Record<string, unknown>): SaveResult {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object of field names and values.',
    );
  }
  const fields: Record<string, unknown> = {};
  for (const field of def.fields) {
    if (field.createable && field.defaultValue !== undefined) fields[field.name] = field.defaultValue;
  }
  for (const [name, raw] of Object.entries(values)) {
    if (name === 'attributes' || raw === undefined) continue;
    const field = org.schema.getField(def.name, name);
    if (!field)
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on sobject of type ${def.name}`,
        [name],
      );
    if (!field.createable)
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        [field.name],
      );
    fields[field.name] = coerceFieldValue(field, raw);
  }
  const missing = def.fields
    .filter((field) => field.createable && !field.nillable && !field.defaultedOnCreate)
    .filter((field) => fields[field.name] === null || fields[field.name] === undefined)
    .map((field) => field.name);
  if (missing.length)
    throw new SalesforceApiError(
      400,
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  const kept = (org.extensions.get(PUBLISHED_EVENTS) as PublishedEvents | undefined) ?? {
    replayId: 0,
    events: [],
  };
  const id = org.records.newId(def.name);
  const uuid = randomUUID();
  kept.replayId += 1;
  const event: PublishedEvent = {
    sobject: def.name,
    id,
    fields: {
      ReplayId: String(kept.replayId),
      CreatedDate: formatDateTime(org.now()),
      CreatedById: org.userId,
      EventUuid: uuid,
      ...fields,
    },
  };
  kept.events.push(event);
  if (kept.events.length > MAX_KEPT_EVENTS) kept.events.splice(0, kept.events.length - MAX_KEPT_EVENTS);
  org.extensions.set(PUBLISHED_EVENTS, kept);
  // Published after commit: a rolled-back collection or composite request publishes nothing.
  org.records.recordUndo(() => {
    const index = kept.events.indexOf(event);
    if (index >= 0) kept.events.splice(index, 1);
  });
  return { id, success: true, errors: [{ statusCode: 'OPERATION_ENQUEUED', message: uuid, fields: [] }] };
}

export function createOne(org: LocalOrgState, def: ObjectDef, values: Record<string, unknown>): SaveResult {
  requireOperation(def, 'insert');
  if (isPlatformEvent(def)) return publishEvent(org, def, values);
  const record = org.records.insert(def.name, resolveRelationships(org, def, values), {
    visibleSchema: org.schema,
  });
  return { id: record.Id, success: true, errors: [] };
}

export function updateOne(
  org: LocalOrgState,
  def: ObjectDef,
  id: unknown,
  values: Record<string, unknown>,
): SaveResult {
  if (typeof id !== 'string' || id === '') {
    throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
  }
  if (!isWellFormedId(id))
    throw new SalesforceApiError(400, 'MALFORMED_ID', `${def.name} ID: id value of incorrect type: ${id}`, [
      'Id',
    ]);
  const id18 = toId18(id) as string;
  const existing = org.records.get(id18, { includeDeleted: true });
  if (!existing || org.schema.objectForId(id18)?.name !== def.name) {
    throw new SalesforceApiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
  }
  if (existing.IsDeleted) throw new SalesforceApiError(400, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  requireOperation(def, 'update');
  const rest = Object.fromEntries(Object.entries(values).filter(([name]) => name.toLowerCase() !== 'id'));
  org.records.update(def.name, id18, resolveRelationships(org, def, rest), { visibleSchema: org.schema });
  return { id: id18, success: true, errors: [] };
}

export function deleteOne(org: LocalOrgState, id: string): SaveResult {
  if (!isWellFormedId(id)) throw new SalesforceApiError(400, 'MALFORMED_ID', `malformed id ${id}`, []);
  const id18 = toId18(id) as string;
  const def = org.schema.objectForId(id18);
  const existing = org.records.get(id18, { includeDeleted: true });
  if (!def || !existing)
    throw new SalesforceApiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
  if (existing.IsDeleted) throw new SalesforceApiError(400, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  if (def.api === 'tooling')
    throw new SalesforceApiError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
  requireOperation(def, 'delete');
  org.records.delete(def.name, id18);
  return { id: id18, success: true, errors: [] };
}

/** Upsert on an external id field (or `Id`): one match updates it, none creates, several are ambiguous. */
export function upsertOne(
  org: LocalOrgState,
  def: ObjectDef,
  fieldName: string,
  value: string,
  values: Record<string, unknown>,
): SaveResult & { matches?: string[] } {
  const field = org.schema.getField(def.name, fieldName);
  if (!field || !(field.externalId || field.idLookup || field.name === 'Id')) {
    throw new SalesforceApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  }
  const given =
    values[field.name] ??
    Object.entries(values).find(([name]) => name.toLowerCase() === field.name.toLowerCase())?.[1];
  if (given !== undefined && given !== null && String(given) !== value) {
    throw new SalesforceApiError(
      400,
      'INVALID_FIELD',
      `The ${field.name} field should not be specified in the sobject data.`,
      [field.name],
    );
  }
  const matches = org.records.findByField(def.name, field.name, value);
  if (matches.length > 1) {
    return { id: null, success: false, errors: [], matches };
  }
  const rest = resolveRelationships(
    org,
    def,
    Object.fromEntries(
      Object.entries(values).filter(([name]) => name.toLowerCase() !== field.name.toLowerCase()),
    ),
  );
  if (matches.length === 1) {
    requireOperation(def, 'update');
    const id = matches[0] as string;
    const { Id: _id, ...updates } = rest;
    org.records.update(def.name, id, updates, { visibleSchema: org.schema });
    return { id, success: true, errors: [], created: false };
  }
  if (field.name === 'Id') throw NOT_FOUND();
  requireOperation(def, 'insert');
  const record = org.records.insert(
    def.name,
    { ...rest, [field.name]: value },
    { visibleSchema: org.schema },
  );
  return { id: record.Id, success: true, errors: [], created: true };
}
