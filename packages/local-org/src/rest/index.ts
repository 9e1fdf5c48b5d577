/** The REST API under `/services/data/vXX.X/`: sobjects, composite collections, query, search, limits. */
import { SalesforceApiError } from '../errors.js';
import type { RouteReply, RouteRequest } from '../http/types.js';
import { executeSosl } from '../soql/index.js';
import type { LocalOrgState } from '../state/index.js';
import { formatDateTime } from '../state/values.js';
import { handleComposite, handleTree } from './composite.js';
import { describeGlobal, describeObject, objectBasicInfo } from './describe.js';
import { handleGraphql } from './graphql/index.js';
import { limitsBody } from './limits.js';
import { batchSizeFrom, type QueryCursors } from './query.js';
import {
  MAX_COLLECTION_SIZE,
  NOT_FOUND,
  collectionObject,
  createOne,
  deleteOne,
  fieldValues,
  parseFieldList,
  recordUrl,
  renderRecord,
  requireObject,
  requireOperation,
  resolveRelationships,
  requireRowById,
  runCollection,
  updateOne,
  upsertOne,
  type SaveResult,
} from './records.js';

export { describeField, describeGlobal, describeObject } from './describe.js';
export { QueryCursors, batchSizeFrom, DEFAULT_BATCH_SIZE, type QueryPage } from './query.js';
export { userInfo, identity } from './identity.js';
export { limitsBody } from './limits.js';

/** API versions the org answers to, oldest first (Spring '14 to Spring '26). */
export const API_VERSIONS: string[] = Array.from({ length: 66 - 30 }, (_, index) => `${31 + index}.0`);
export const LATEST_API_VERSION = API_VERSIONS[API_VERSIONS.length - 1] as string;

const SEASONS = ['Winter', 'Spring', 'Summer'] as const;

/** `GET /services/data`: v20.0 was Winter '11, with three releases a year since. */
export function versionsList(): Array<{ label: string; url: string; version: string }> {
  return API_VERSIONS.map((version) => {
    const offset = Number(version.slice(0, -2)) - 20;
    const season = SEASONS[offset % 3] as string;
    const year = 11 + Math.floor(offset / 3);
    return { label: `${season} '${year}`, url: `/services/data/v${version}`, version };
  });
}

export interface RestContext {
  org: LocalOrgState;
  cursors: QueryCursors;
}

/** A path segment as text; a broken %-escape names no resource. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw NOT_FOUND();
  }
}

function json(status: number, body: unknown): RouteReply {
  return { status, body };
}

function parseJsonBody(request: RouteRequest): unknown {
  const text = request.body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Unexpected character in the request body: ${detail}`,
    );
  }
}

function methodNotAllowed(method: string, allowed: string[]): SalesforceApiError {
  return new SalesforceApiError(
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`,
  );
}

function resources(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  return {
    tooling: `${base}/tooling`,
    metadata: `${base}/metadata`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    search: `${base}/search`,
    sobjects: `${base}/sobjects`,
    composite: `${base}/composite`,
    limits: `${base}/limits`,
  };
}

/** Dispatches `rest` (the path after `/services/data/vXX.X/`, split on `/`). */
export function handleRest(request: RouteRequest, segments: string[], context: RestContext): RouteReply {
  const version = request.apiVersion as string;
  const { org } = context;
  const [resource, ...rest] = segments;
  const method = request.method;
  switch (resource) {
    case undefined:
    case '':
      if (method !== 'GET') throw methodNotAllowed(method, ['GET', 'HEAD']);
      return json(200, resources(version));
    case 'sobjects':
      return handleSobjects(request, rest, context);
    case 'composite':
      if (rest[0] === 'sobjects') return handleCollections(request, rest.slice(1), context);
      if (rest[0] === 'tree' && rest[1] && rest.length === 2) {
        if (method !== 'POST') throw methodNotAllowed(method, ['POST']);
        return handleTree(org, decodeSegment(rest[1]), parseJsonBody(request));
      }
      if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
        if (method !== 'POST') throw methodNotAllowed(method, ['POST']);
        return handleComposite(request, org, parseJsonBody(request), (subrequest, subSegments) =>
          handleRest(subrequest, subSegments, context),
        );
      }
      throw new SalesforceApiError(
        404,
        'NOT_FOUND',
        `The composite resource /${rest.join('/')} is not supported by this local org (a test double); use composite, composite/tree or composite/sobjects.`,
      );
    case 'query':
    case 'queryAll': {
      if (method !== 'GET') throw methodNotAllowed(method, ['GET', 'HEAD']);
      const includeDeleted = resource === 'queryAll';
      if (rest.length > 0 && rest[0] !== '')
        return json(200, context.cursors.next(decodeSegment(rest[0] as string), version, 'data', org.userId));
      if (request.query.has('explain')) {
        throw new SalesforceApiError(
          400,
          'NOT_SUPPORTED',
          'Query plans (explain) are not supported by this local org (a test double).',
        );
      }
      const soql = request.query.get('q');
      if (soql === null || soql.trim() === '') {
        throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
      }
      const batchSize = batchSizeFrom(request.headers['sforce-query-options']);
      return json(200, context.cursors.run(soql, org, { version, includeDeleted, batchSize }));
    }
    case 'search': {
      if (method !== 'GET') throw methodNotAllowed(method, ['GET', 'HEAD']);
      const sosl = request.query.get('q');
      if (sosl === null || sosl.trim() === '')
        throw new SalesforceApiError(
          400,
          'MALFORMED_SEARCH',
          'No search term found. The search term must be enclosed in braces.',
        );
      return json(200, executeSosl(sosl, org, `v${version}`));
    }
    case 'graphql':
      if (rest.length > 0 && rest[0] !== '') throw NOT_FOUND();
      return handleGraphql(request, org);
    case 'limits':
      if (method !== 'GET') throw methodNotAllowed(method, ['GET', 'HEAD']);
      return json(200, limitsBody(org));
    default:
      throw NOT_FOUND();
  }
}

function handleSobjects(request: RouteRequest, segments: string[], context: RestContext): RouteReply {
  const { org } = context;
  const version = request.apiVersion as string;
  const method = request.method;
  const [objectName, second, third, ...more] = segments.map(decodeSegment);
  if (!objectName) {
    if (method !== 'GET') throw methodNotAllowed(method, ['GET', 'HEAD']);
    return json(200, describeGlobal(org.schema, version));
  }
  const def = requireObject(org, objectName);
  if (more.length > 0) throw NOT_FOUND();
  if (second === undefined || second === '') {
    if (method === 'GET') return json(200, objectBasicInfo(def, version));
    if (method === 'POST') {
      const result = createOne(org, def, fieldValues(parseJsonBody(request)));
      return json(201, result);
    }
    throw methodNotAllowed(method, ['GET', 'HEAD', 'POST']);
  }
  if (second === 'describe' && (third === undefined || third === '')) {
    if (method !== 'GET') throw methodNotAllowed(method, ['GET', 'HEAD']);
    return json(200, describeObject(org.schema, def, version));
  }
  if ((second === 'updated' || second === 'deleted') && (third === undefined || third === '')) {
    if (method !== 'GET') throw methodNotAllowed(method, ['GET', 'HEAD']);
    return json(200, changedRecords(org, def.name, second, request.query));
  }
  if (third !== undefined && third !== '')
    return handleByExternalId(request, def.name, second, third, context);
  const record = requireRowById(org, def, second);
  switch (method) {
    case 'GET': {
      const fields = parseFieldList(def, org, request.query.get('fields'));
      return json(200, renderRecord(def, record, version, fields));
    }
    case 'PATCH': {
      const values = fieldValues(parseJsonBody(request));
      const { Id: givenId, ...updates } = values;
      if (
        givenId !== undefined &&
        givenId !== null &&
        String(givenId).slice(0, 15) !== record.Id.slice(0, 15)
      ) {
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD',
          'The Id field should not be specified in the sobject data.',
          ['Id'],
        );
      }
      requireOperation(def, 'update');
      org.records.update(def.name, record.Id, resolveRelationships(org, def, updates), {
        visibleSchema: org.schema,
      });
      return { status: 204 };
    }
    case 'DELETE':
      requireOperation(def, 'delete');
      org.records.delete(def.name, record.Id);
      return { status: 204 };
    default:
      throw methodNotAllowed(method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
  }
}

function handleByExternalId(
  request: RouteRequest,
  objectName: string,
  fieldName: string,
  value: string,
  context: RestContext,
): RouteReply {
  const { org } = context;
  const version = request.apiVersion as string;
  const def = requireObject(org, objectName);
  const field = org.schema.getField(def.name, fieldName);
  if (!field || !(field.externalId || field.idLookup)) {
    throw new SalesforceApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  }
  if (request.method === 'PATCH') {
    const result = upsertOne(org, def, field.name, value, fieldValues(parseJsonBody(request)));
    if (result.matches)
      return json(
        300,
        result.matches.map((id) => recordUrl(version, def.name, id)),
      );
    return json(result.created ? 201 : 200, {
      id: result.id,
      success: true,
      errors: [],
      created: result.created,
    });
  }
  const matches = org.records.findByField(def.name, field.name, value);
  if (matches.length === 0) throw NOT_FOUND();
  if (matches.length > 1)
    return json(
      300,
      matches.map((id) => recordUrl(version, def.name, id)),
    );
  const id = matches[0] as string;
  if (request.method === 'GET') {
    const fields = parseFieldList(def, org, request.query.get('fields'));
    return json(
      200,
      renderRecord(
        def,
        org.records.get(id) as NonNullable<ReturnType<typeof org.records.get>>,
        version,
        fields,
      ),
    );
  }
  if (request.method === 'DELETE') {
    requireOperation(def, 'delete');
    org.records.delete(def.name, id);
    return { status: 204 };
  }
  throw methodNotAllowed(request.method, ['GET', 'HEAD', 'PATCH', 'DELETE']);
}

function collectionBody(request: RouteRequest): { allOrNone: boolean; records: unknown[] } {
  const body = parseJsonBody(request);
  if (
    body === null ||
    typeof body !== 'object' ||
    Array.isArray(body) ||
    !Array.isArray((body as { records?: unknown }).records)
  ) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be an object with a "records" array.',
    );
  }
  const { allOrNone, records } = body as { allOrNone?: unknown; records: unknown[] };
  if (records.length > MAX_COLLECTION_SIZE) {
    throw new SalesforceApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_COLLECTION_SIZE} records into this call`,
    );
  }
  return { allOrNone: allOrNone === true, records };
}

function idOfRecord(record: unknown): string | null {
  // Field names are case-insensitive: jsforce sends `id`.
  const id =
    record && typeof record === 'object'
      ? Object.entries(record).find(([name]) => name.toLowerCase() === 'id')?.[1]
      : undefined;
  return typeof id === 'string' ? id : null;
}

function handleCollections(request: RouteRequest, segments: string[], context: RestContext): RouteReply {
  const { org } = context;
  const version = request.apiVersion as string;
  const [objectName, externalIdField] = segments.map(decodeSegment);
  switch (request.method) {
    case 'POST': {
      if (objectName) {
        // Retrieve with the ids and fields in the body (for lists too long for a URL).
        const body = parseJsonBody(request) as { ids?: unknown; fields?: unknown };
        const ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
        const fields = Array.isArray(body.fields) ? body.fields.map(String) : [];
        return retrieveCollection(org, objectName, ids, fields.join(','), version);
      }
      const { allOrNone, records } = collectionBody(request);
      return json(
        200,
        runCollection(org, records, allOrNone, (record) => {
          const def = collectionObject(org, record);
          const values = fieldValues(record);
          if (Object.keys(values).some((name) => name.toLowerCase() === 'id'))
            throw new SalesforceApiError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
          return createOne(org, def, values);
        }),
      );
    }
    case 'PATCH': {
      const { allOrNone, records } = collectionBody(request);
      if (objectName && externalIdField) {
        const results = runCollection(org, records, allOrNone, (record): SaveResult => {
          const def = collectionObject(org, record, objectName);
          const values = fieldValues(record);
          const key = Object.entries(values).find(
            ([name]) => name.toLowerCase() === externalIdField.toLowerCase(),
          )?.[1];
          if (key === undefined || key === null || key === '') {
            throw new SalesforceApiError(400, 'MISSING_ARGUMENT', `${externalIdField} not specified`, [
              externalIdField,
            ]);
          }
          const result = upsertOne(org, def, externalIdField, String(key), values);
          if (result.matches) {
            throw new SalesforceApiError(
              300,
              'DUPLICATE_EXTERNAL_ID',
              `${externalIdField}: more than one record found for external id field: ${result.matches.join(', ')}`,
              [externalIdField],
            );
          }
          return { id: result.id, success: true, errors: [], created: result.created ?? false };
        });
        return json(200, results);
      }
      if (objectName) throw NOT_FOUND();
      return json(
        200,
        runCollection(
          org,
          records,
          allOrNone,
          (record) => updateOne(org, collectionObject(org, record), idOfRecord(record), fieldValues(record)),
          idOfRecord,
        ),
      );
    }
    case 'DELETE': {
      if (objectName) throw NOT_FOUND();
      const ids = (request.query.get('ids') ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      if (ids.length === 0)
        throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
      if (ids.length > MAX_COLLECTION_SIZE) {
        throw new SalesforceApiError(
          400,
          'EXCEEDED_ID_LIMIT',
          `record limit reached. cannot submit more than ${MAX_COLLECTION_SIZE} records into this call`,
        );
      }
      const allOrNone = request.query.get('allOrNone') === 'true';
      return json(
        200,
        runCollection(
          org,
          ids,
          allOrNone,
          (id) => deleteOne(org, id),
          (id) => id,
        ),
      );
    }
    case 'GET': {
      if (!objectName) throw methodNotAllowed('GET', ['POST', 'PATCH', 'DELETE']);
      const ids = (request.query.get('ids') ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      return retrieveCollection(org, objectName, ids, request.query.get('fields') ?? '', version);
    }
    default:
      throw methodNotAllowed(request.method, ['GET', 'POST', 'PATCH', 'DELETE']);
  }
}

function retrieveCollection(
  org: LocalOrgState,
  objectName: string,
  ids: string[],
  fieldsParameter: string,
  version: string,
): RouteReply {
  const def = requireObject(org, objectName);
  if (ids.length === 0) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > 2000)
    throw new SalesforceApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 2000 records into this call',
    );
  if (!fieldsParameter) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
  const fields = parseFieldList(def, org, fieldsParameter);
  return json(
    200,
    ids.map((id) => {
      if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id))
        throw new SalesforceApiError(400, 'MALFORMED_ID', `invalid record id: ${id}`);
      const record = org.records.get(id);
      if (!record || org.schema.objectForId(record.Id) !== def) return null;
      return renderRecord(def, record, version, fields);
    }),
  );
}

function parseInstant(query: URLSearchParams, name: 'start' | 'end'): number {
  const text = query.get(name);
  const time = text ? Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new SalesforceApiError(
      400,
      'MISSING_ARGUMENT',
      `${name} parameter is required and must be a dateTime such as 2026-01-01T00:00:00+00:00`,
    );
  }
  return time;
}

/** `sobjects/<Object>/updated` and `/deleted`: what changed between start and end (SystemModstamp). */
function changedRecords(
  org: LocalOrgState,
  objectName: string,
  kind: 'updated' | 'deleted',
  query: URLSearchParams,
): Record<string, unknown> {
  const start = parseInstant(query, 'start');
  const end = parseInstant(query, 'end');
  if (end < start)
    throw new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', 'end date must be after start date');
  const latestDateCovered = formatDateTime(new Date(Math.min(end, org.now().getTime())));
  const inRange = (stamp: unknown) => {
    const time = typeof stamp === 'string' ? Date.parse(stamp.replace('+0000', 'Z')) : Number.NaN;
    return time >= start && time <= end;
  };
  const rows = [...org.records.rows(objectName, { includeDeleted: true })];
  if (kind === 'updated') {
    return {
      ids: rows.filter((row) => !row.IsDeleted && inRange(row.SystemModstamp)).map((row) => row.Id),
      latestDateCovered,
    };
  }
  const earliest = formatDateTime(new Date(org.now().getTime() - 15 * 24 * 60 * 60 * 1000));
  return {
    deletedRecords: rows
      .filter((row) => row.IsDeleted && inRange(row.SystemModstamp))
      .map((row) => ({ id: row.Id, deletedDate: row.SystemModstamp })),
    earliestDateAvailable: earliest,
    latestDateCovered,
  };
}
