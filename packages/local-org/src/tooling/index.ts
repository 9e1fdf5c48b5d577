/**
 * The Tooling API (`/services/data/vXX.X/tooling/...`): query with paging, sObject CRUD and
 * describe for Tooling objects, Apex test runs and anonymous Apex.
 */
import { checkApexSyntax, describeApexClass, describeApexTrigger } from '../apex/index.js';
import { SalesforceApiError } from '../errors.js';
import type { RouteHandler, RouteReply, RouteRequest } from '../http/types.js';
import { executeSoql } from '../soql/index.js';
import type { ObjectDef, OrgState, StoredRecord } from '../state/types.js';
import { saveApexSource } from './apexRecords.js';
import { anonymousApexResult, writeApexLog } from './anonymous.js';
import { describeGlobal, describeObject, describeObjectBasics } from './describe.js';
import { runTestsAsynchronously, runTestsSynchronously } from './testRuns.js';

export { registerToolingObjects, toolingObjectDefs } from './objects.js';
export { handleApexSoap } from './apexSoap.js';
export { handleCometd } from './cometd.js';

const DEFAULT_API_VERSION = '62.0';
const DEFAULT_BATCH_SIZE = 2000;

interface QueryCursor {
  records: Record<string, unknown>[];
  totalSize: number;
}

/** Open query cursors per org; kept in memory only, as Salesforce keeps them only for a while. */
const cursors = new WeakMap<OrgState, { counter: number; open: Map<string, QueryCursor> }>();

function cursorsOf(org: OrgState) {
  let state = cursors.get(org);
  if (!state) {
    state = { counter: 0, open: new Map() };
    cursors.set(org, state);
  }
  return state;
}

function notFound(): SalesforceApiError {
  return new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

function json(status: number, body: unknown): RouteReply {
  // A string answer is a JSON string, quoted (runTestsAsynchronous answers `"707..."`): the router sends strings as they are.
  const encoded = typeof body === 'string' ? JSON.stringify(body) : body;
  return { status, headers: { 'content-type': 'application/json;charset=UTF-8' }, body: encoded };
}

function batchSize(request: RouteRequest): number {
  const header = request.headers['sforce-query-options'];
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const match = /batchSize\s*=\s*(\d+)/i.exec(text);
  if (!match) return DEFAULT_BATCH_SIZE;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(200, Number(match[1])));
}

function page(
  org: OrgState,
  apiVersion: string,
  cursorId: string,
  cursor: QueryCursor,
  offset: number,
  size: number,
): Record<string, unknown> {
  const records = cursor.records.slice(offset, offset + size);
  const nextOffset = offset + records.length;
  const done = nextOffset >= cursor.records.length;
  if (done) cursorsOf(org).open.delete(cursorId);
  return {
    size: cursor.totalSize,
    totalSize: cursor.totalSize,
    done,
    ...(done
      ? {}
      : { nextRecordsUrl: `/services/data/v${apiVersion}/tooling/query/${cursorId}-${nextOffset}` }),
    queryLocator: done ? null : `${cursorId}-${nextOffset}`,
    entityTypeName: entityTypeOf(cursor.records),
    records,
  };
}

function entityTypeOf(records: Record<string, unknown>[]): string | null {
  const attributes = records[0]?.attributes as { type?: string } | undefined;
  return attributes?.type ?? null;
}

function runQuery(
  request: RouteRequest,
  org: OrgState,
  apiVersion: string,
  includeDeleted: boolean,
): RouteReply {
  const soql = request.query.get('q');
  if (!soql) throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string (q) is required.');
  const result = executeSoql(soql, org, { api: 'tooling', apiVersion: `v${apiVersion}`, includeDeleted });
  const state = cursorsOf(org);
  state.counter += 1;
  const cursorId = `01g${String(state.counter).padStart(12, '0')}`;
  const cursor = { records: result.records, totalSize: result.totalSize };
  state.open.set(cursorId, cursor);
  return json(200, page(org, apiVersion, cursorId, cursor, 0, batchSize(request)));
}

function queryMore(request: RouteRequest, org: OrgState, apiVersion: string, locator: string): RouteReply {
  const match = /^(.+)-(\d+)$/.exec(locator);
  const cursor = match ? cursorsOf(org).open.get(match[1] ?? '') : undefined;
  if (!match || !cursor) throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  return json(200, page(org, apiVersion, match[1] ?? '', cursor, Number(match[2]), batchSize(request)));
}

function toolingObject(org: OrgState, name: string): ObjectDef {
  const def = org.schema.getObject(name);
  if (!def || (def.api !== 'tooling' && def.api !== 'both')) {
    throw new SalesforceApiError(404, 'NOT_FOUND', `The requested resource does not exist`);
  }
  return def;
}

function parseJsonBody(request: RouteRequest): Record<string, unknown> {
  const text = request.body.toString('utf8').trim();
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function recordJson(
  def: ObjectDef,
  record: StoredRecord,
  apiVersion: string,
  fields?: string[],
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    attributes: {
      type: def.name,
      url: `/services/data/v${apiVersion}/tooling/sobjects/${def.name}/${record.Id}`,
    },
  };
  const wanted = fields?.map((name) =>
    def.fields.find((field) => field.name.toLowerCase() === name.toLowerCase()),
  );
  for (const field of wanted ?? def.fields) {
    if (!field) continue;
    body[field.name] = record[field.name] ?? null;
  }
  return body;
}

function findRecord(org: OrgState, def: ObjectDef, id: string): StoredRecord {
  const record = org.records.get(id);
  if (!record || org.schema.objectForId(record.Id)?.name !== def.name) {
    throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  return record;
}

/** ApexClass / ApexTrigger writes go through the parser so derived fields stay true to the body. */
function apexValues(
  def: ObjectDef,
  values: Record<string, unknown>,
  existing?: StoredRecord,
): { name: string; body: string } | undefined {
  if (def.name !== 'ApexClass' && def.name !== 'ApexTrigger') return undefined;
  const body =
    typeof values.Body === 'string'
      ? values.Body
      : typeof existing?.Body === 'string'
        ? existing.Body
        : undefined;
  if (body === undefined)
    throw new SalesforceApiError(400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [Body]', [
      'Body',
    ]);
  const kind = def.name === 'ApexClass' ? 'class' : 'trigger';
  const [problem] = checkApexSyntax(body, kind);
  if (problem) {
    throw new SalesforceApiError(
      400,
      'COMPILE_ERROR',
      `line ${problem.line}, column ${problem.column}: ${problem.problem}`,
    );
  }
  const name = kind === 'class' ? describeApexClass(body)?.name : describeApexTrigger(body)?.name;
  return { name: name ?? String(values.Name ?? existing?.Name ?? ''), body };
}

/**
 * Datetimes as Salesforce takes them besides ISO 8601: epoch milliseconds and RFC 1123 dates
 * (apex-node sets a TraceFlag's StartDate to `Date.now()` and its ExpirationDate to `toUTCString()`).
 */
function normalizeDateTimes(def: ObjectDef, values: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = def.fields.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (field?.type === 'datetime' && typeof value === 'number' && Number.isFinite(value)) {
      result[name] = new Date(value).toISOString();
    } else if (
      field?.type === 'datetime' &&
      typeof value === 'string' &&
      /^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} /.test(value) &&
      !Number.isNaN(Date.parse(value))
    ) {
      result[name] = new Date(Date.parse(value)).toISOString();
    } else {
      result[name] = value;
    }
  }
  return result;
}

function createRecord(
  org: OrgState,
  def: ObjectDef,
  rawValues: Record<string, unknown>,
  apiVersion: string,
): StoredRecord {
  const values = normalizeDateTimes(def, rawValues);
  if (!def.createable)
    throw new SalesforceApiError(
      400,
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      `entity type cannot be inserted: ${def.name}`,
    );
  const apex = apexValues(def, values);
  if (!apex) return org.records.insert(def.name, values);
  return saveApexSource(org, def.name as 'ApexClass' | 'ApexTrigger', {
    ...apex,
    apiVersion: Number(values.ApiVersion ?? apiVersion),
  }).record;
}

function updateRecord(
  org: OrgState,
  def: ObjectDef,
  record: StoredRecord,
  rawValues: Record<string, unknown>,
  apiVersion: string,
): void {
  const values = normalizeDateTimes(def, rawValues);
  if (!def.updateable)
    throw new SalesforceApiError(
      400,
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      `entity type cannot be updated: ${def.name}`,
    );
  const apex = apexValues(def, values, record);
  if (apex)
    saveApexSource(org, def.name as 'ApexClass' | 'ApexTrigger', {
      ...apex,
      apiVersion: Number(values.ApiVersion ?? record.ApiVersion ?? apiVersion),
    });
  else org.records.update(def.name, record.Id, values);
}

function deleteRecord(org: OrgState, def: ObjectDef, record: StoredRecord): void {
  if (!def.deletable)
    throw new SalesforceApiError(
      400,
      'INSUFFICIENT_ACCESS_OR_READONLY',
      `entity type cannot be deleted: ${def.name}`,
    );
  org.records.delete(def.name, record.Id);
  if (def.name === 'ApexLog') {
    const bodies = org.extensions.get('tooling.apexLogBodies') as Record<string, string> | undefined;
    if (bodies) delete bodies[record.Id];
  }
}

type SaveResult = {
  id: string | null;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
};

function saveFailure(id: string | null, error: unknown): SaveResult {
  const apiError =
    error instanceof SalesforceApiError
      ? error
      : new SalesforceApiError(400, 'UNKNOWN_EXCEPTION', (error as Error).message);
  return {
    id,
    success: false,
    errors: [{ statusCode: apiError.errorCode, message: apiError.message, fields: apiError.fields }],
  };
}

class AllOrNoneRollback extends Error {}

/** `tooling/composite/sobjects`: create (POST), update (PATCH) or delete (DELETE ?ids=) up to 200 records. */
function handleCollections(request: RouteRequest, org: OrgState, apiVersion: string): RouteReply {
  let allOrNone: boolean;
  let operations: Array<{ id: string | null; run: () => string }>;
  if (request.method === 'DELETE') {
    const ids = (request.query.get('ids') ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    allOrNone = request.query.get('allOrNone') === 'true';
    operations = ids.map((id) => ({
      id,
      run: () => {
        const def = org.schema.objectForId(id);
        if (!def || (def.api !== 'tooling' && def.api !== 'both'))
          throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
        deleteRecord(org, def, findRecord(org, def, id));
        return id;
      },
    }));
  } else if (request.method === 'POST' || request.method === 'PATCH') {
    const body = parseJsonBody(request);
    allOrNone = body.allOrNone === true;
    const records = Array.isArray(body.records) ? (body.records as unknown[]) : [];
    operations = records.map((entry) => {
      // jsforce sends the id of an update as `id`; Salesforce accepts either.
      const { attributes, Id: upperId, id: lowerId, ...values } = (entry ?? {}) as Record<string, unknown>;
      const Id = upperId ?? lowerId;
      const type = (attributes as { type?: unknown } | undefined)?.type;
      return {
        id: typeof Id === 'string' ? Id : null,
        run: () => {
          if (typeof type !== 'string')
            throw new SalesforceApiError(400, 'INVALID_TYPE', 'Each record needs attributes.type.');
          const def = toolingObject(org, type);
          if (request.method === 'POST') return createRecord(org, def, values, apiVersion).Id;
          if (typeof Id !== 'string')
            throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call');
          updateRecord(org, def, findRecord(org, def, Id), values, apiVersion);
          return Id;
        },
      };
    });
  } else {
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${request.method}' not allowed. Allowed are POST,PATCH,DELETE`,
    );
  }
  if (operations.length > 200)
    throw new SalesforceApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 200 records into this call',
    );
  const results: SaveResult[] = [];
  const runAll = () => {
    for (const operation of operations) {
      try {
        results.push({ id: org.records.transaction(operation.run), success: true, errors: [] });
      } catch (error) {
        results.push(saveFailure(operation.id, error));
      }
    }
    if (allOrNone && results.some((result) => !result.success)) throw new AllOrNoneRollback();
  };
  try {
    org.records.transaction(runAll);
  } catch (error) {
    if (!(error instanceof AllOrNoneRollback)) throw error;
    return json(
      200,
      results.map((result) =>
        result.success
          ? {
              id: request.method === 'POST' ? null : result.id,
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message:
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
              ],
            }
          : result,
      ),
    );
  }
  return json(200, results);
}

function handleSobjects(
  request: RouteRequest,
  org: OrgState,
  apiVersion: string,
  parts: string[],
): RouteReply {
  const [objectName, idOrAction, subResource] = parts;
  if (!objectName) {
    if (request.method !== 'GET') throw notFound();
    return json(200, describeGlobal(org.schema, apiVersion));
  }
  const def = toolingObject(org, objectName);
  if (!idOrAction) {
    if (request.method === 'GET') return json(200, describeObjectBasics(def, apiVersion));
    if (request.method !== 'POST')
      throw new SalesforceApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${request.method}' not allowed. Allowed are GET,POST`,
      );
    const record = createRecord(org, def, parseJsonBody(request), apiVersion);
    return json(201, { id: record.Id, success: true, errors: [] });
  }
  if (idOrAction === 'describe' && !subResource) {
    if (request.method !== 'GET') throw notFound();
    return json(200, describeObject(org.schema, def, apiVersion));
  }
  const record = findRecord(org, def, idOrAction);
  if (subResource) {
    if (def.name === 'ApexLog' && subResource === 'Body' && request.method === 'GET') {
      const bodies = org.extensions.get('tooling.apexLogBodies') as Record<string, string> | undefined;
      return {
        status: 200,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: bodies?.[record.Id] ?? '',
      };
    }
    throw notFound();
  }
  switch (request.method) {
    case 'GET': {
      const fields = request.query
        .get('fields')
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      return json(200, recordJson(def, record, apiVersion, fields));
    }
    case 'PATCH':
      updateRecord(org, def, record, parseJsonBody(request), apiVersion);
      return { status: 204 };
    case 'DELETE':
      deleteRecord(org, def, record);
      return { status: 204 };
    default:
      throw new SalesforceApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${request.method}' not allowed. Allowed are GET,PATCH,DELETE`,
      );
  }
}

/** `executeAnonymous`: a compile check with the parser; what the block does comes from the seed. */
function executeAnonymous(request: RouteRequest, org: OrgState): RouteReply {
  const body = request.query.get('anonymousBody');
  if (body === null) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'anonymousBody is required');
  const { result, log } = anonymousApexResult(org, body);
  if (log !== undefined) writeApexLog(org, log, '/services/data/tooling/executeAnonymous');
  return json(200, result);
}

/** Handles every request under `/services/data/vXX.X/tooling/`. */
export const handleTooling: RouteHandler = (request, org) => {
  const apiVersion = request.apiVersion ?? /\/v(\d+\.\d+)\//.exec(request.path)?.[1] ?? DEFAULT_API_VERSION;
  const marker = request.path.indexOf('/tooling');
  const rest = marker >= 0 ? request.path.slice(marker + '/tooling'.length) : '';
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const [resource, ...remainder] = parts;
  switch (resource) {
    case 'query':
    case 'queryAll': {
      if (request.method !== 'GET') throw notFound();
      const [locator] = remainder;
      if (locator) return queryMore(request, org, apiVersion, locator);
      return runQuery(request, org, apiVersion, resource === 'queryAll');
    }
    case 'sobjects':
      return handleSobjects(request, org, apiVersion, remainder);
    case 'composite':
      if (remainder[0] === 'sobjects' && remainder.length === 1)
        return handleCollections(request, org, apiVersion);
      throw notFound();
    case 'runTestsSynchronous':
      if (request.method !== 'POST') throw notFound();
      return json(200, runTestsSynchronously(org, parseJsonBody(request)));
    case 'runTestsAsynchronous':
      if (request.method !== 'POST') throw notFound();
      return json(200, runTestsAsynchronously(org, parseJsonBody(request)));
    case 'executeAnonymous':
      if (request.method !== 'GET') throw notFound();
      return executeAnonymous(request, org);
    default:
      throw notFound();
  }
};
