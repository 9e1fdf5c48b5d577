/**
 * `composite` (subrequests with `@{ref.path}` references) and `composite/tree/<Object>` (record trees
 * inserted as one unit, as `sf data import tree` sends them).
 */
import { SalesforceApiError } from '../errors.js';
import type { RouteReply, RouteRequest } from '../http/types.js';
import type { LocalOrgState } from '../state/index.js';
import type { ObjectDef } from '../state/types.js';
import { createOne, fieldValues, requireObject } from './records.js';

const MAX_SUBREQUESTS = 25;
const MAX_TREE_RECORDS = 200;

type Dispatch = (request: RouteRequest, segments: string[]) => RouteReply;

interface SubrequestResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const HALTED = [
  {
    errorCode: 'PROCESSING_HALTED',
    message: 'The transaction was rolled back since another operation in the same transaction failed.',
  },
];

/** `refA.records[0].Id` against the results so far. */
function lookUpReference(results: Map<string, unknown>, expression: string): unknown {
  const parts = expression.split('.').flatMap((part) => {
    const [name, ...indexes] = part.split('[');
    return [name as string, ...indexes.map((index) => Number(index.replace(']', '')))];
  });
  const [referenceId, ...path] = parts;
  if (typeof referenceId !== 'string' || !results.has(referenceId)) return undefined;
  let value: unknown = results.get(referenceId);
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

function substitute(text: string, results: Map<string, unknown>): string {
  return text.replace(/@\{([^}]+)\}/g, (_whole, expression: string) => {
    const value = lookUpReference(results, expression);
    if (value === undefined || value === null || typeof value === 'object') {
      throw new SalesforceApiError(
        400,
        'INVALID_REFERENCE',
        `Invalid reference specified. No value for ${expression} found in ${expression.split('.')[0]}. Provided referenceId ('${expression.split('.')[0]}') must match one of the referenceIds of a previous subrequest.`,
      );
    }
    return String(value);
  });
}

function substituteInBody(body: unknown, results: Map<string, unknown>): unknown {
  if (typeof body === 'string') return substitute(body, results);
  if (Array.isArray(body)) return body.map((entry) => substituteInBody(entry, results));
  if (body && typeof body === 'object') {
    return Object.fromEntries(
      Object.entries(body).map(([key, value]) => [key, substituteInBody(value, results)]),
    );
  }
  return body;
}

function errorReply(error: unknown): { status: number; body: unknown } {
  if (error instanceof SalesforceApiError) {
    return {
      status: error.status,
      body: [
        {
          message: error.message,
          errorCode: error.errorCode,
          ...(error.fields.length > 0 ? { fields: error.fields } : {}),
        },
      ],
    };
  }
  throw error;
}

export function handleComposite(
  request: RouteRequest,
  org: LocalOrgState,
  body: unknown,
  dispatch: Dispatch,
): RouteReply {
  const { allOrNone, compositeRequest } = (body ?? {}) as { allOrNone?: unknown; compositeRequest?: unknown };
  if (!Array.isArray(compositeRequest) || compositeRequest.length === 0) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The request body needs a compositeRequest array of subrequests.',
    );
  }
  if (compositeRequest.length > MAX_SUBREQUESTS) {
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `Limit exceeded: a composite request can have at most ${MAX_SUBREQUESTS} subrequests.`,
    );
  }
  const results = new Map<string, unknown>();
  const responses: SubrequestResult[] = [];
  const runOne = (entry: unknown): SubrequestResult => {
    const {
      method,
      url,
      body: subBody,
      referenceId,
      httpHeaders,
    } = (entry ?? {}) as {
      method?: unknown;
      url?: unknown;
      body?: unknown;
      referenceId?: unknown;
      httpHeaders?: unknown;
    };
    const reference = typeof referenceId === 'string' ? referenceId : '';
    try {
      if (typeof method !== 'string' || typeof url !== 'string' || reference === '') {
        throw new SalesforceApiError(
          400,
          'JSON_PARSER_ERROR',
          'Every subrequest needs method, url and referenceId.',
        );
      }
      const resolvedUrl = new URL(substitute(url, results), 'http://127.0.0.1');
      const match = /^\/services\/data\/v(\d+\.\d)\/(.*)$/.exec(resolvedUrl.pathname);
      if (!match || match[1] !== request.apiVersion) {
        throw new SalesforceApiError(
          400,
          'INVALID_URL',
          `The url of a subrequest must start with /services/data/v${request.apiVersion ?? ''}/`,
        );
      }
      const segments = (match[2] ?? '').split('/');
      if (segments[segments.length - 1] === '' && segments.length > 1) segments.pop();
      if (segments[0] === 'composite' && segments[1] !== 'sobjects') {
        throw new SalesforceApiError(
          400,
          'INVALID_URL',
          'A composite subrequest cannot be another composite request.',
        );
      }
      const reply = dispatch(
        {
          method: method.toUpperCase(),
          path: resolvedUrl.pathname,
          query: resolvedUrl.searchParams,
          headers: { ...request.headers, ...((httpHeaders ?? {}) as Record<string, string>) },
          body: Buffer.from(
            subBody === undefined ? '' : JSON.stringify(substituteInBody(subBody, results)),
            'utf8',
          ),
          apiVersion: request.apiVersion as string,
        },
        segments,
      );
      if (reply.status < 400) results.set(reference, reply.body);
      return {
        body: reply.body ?? null,
        httpHeaders:
          reply.status === 201 && reply.body && typeof reply.body === 'object' && 'id' in reply.body
            ? { Location: `${resolvedUrl.pathname}/${String((reply.body as { id: unknown }).id)}` }
            : {},
        httpStatusCode: reply.status,
        referenceId: reference,
      };
    } catch (error) {
      const failed = errorReply(error);
      return { body: failed.body, httpHeaders: {}, httpStatusCode: failed.status, referenceId: reference };
    }
  };

  if (allOrNone !== true) {
    for (const entry of compositeRequest) responses.push(runOne(entry));
    return { status: 200, body: { compositeResponse: responses } };
  }
  let failedAt = -1;
  try {
    org.records.transaction(() => {
      compositeRequest.forEach((entry, index) => {
        const response = runOne(entry);
        responses.push(response);
        if (response.httpStatusCode >= 400) {
          failedAt = index;
          throw new Error('composite subrequest failed');
        }
      });
    });
  } catch (error) {
    if (failedAt < 0) throw error;
    const halted = compositeRequest.map((entry, index): SubrequestResult => {
      if (index === failedAt) return responses[index] as SubrequestResult;
      const referenceId = String((entry as { referenceId?: unknown } | null)?.referenceId ?? '');
      return { body: HALTED, httpHeaders: {}, httpStatusCode: 400, referenceId };
    });
    return { status: 200, body: { compositeResponse: halted } };
  }
  return { status: 200, body: { compositeResponse: responses } };
}

interface TreeResult {
  referenceId: string;
  id?: string;
  errors?: Array<{ statusCode: string; message: string; fields: string[] }>;
}

/** `POST composite/tree/<Object>`: records with nested child records, all inserted or none. */
export function handleTree(org: LocalOrgState, objectName: string, body: unknown): RouteReply {
  const root = requireObject(org, objectName);
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records) || records.length === 0) {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body needs a records array.');
  }
  const results: TreeResult[] = [];
  let total = 0;
  const insertTree = (def: ObjectDef, record: unknown, parent?: { field: string; id: string }): void => {
    total += 1;
    if (total > MAX_TREE_RECORDS) {
      throw new SalesforceApiError(
        400,
        'LIMIT_EXCEEDED',
        `A tree request can insert at most ${MAX_TREE_RECORDS} records.`,
      );
    }
    const values = fieldValues(record);
    const attributes =
      (record as { attributes?: { type?: unknown; referenceId?: unknown } }).attributes ?? {};
    const referenceId = typeof attributes.referenceId === 'string' ? attributes.referenceId : '';
    if (referenceId === '')
      throw new SalesforceApiError(
        400,
        'INVALID_INPUT',
        'Include a reference ID for each record in the request.',
      );
    if (typeof attributes.type === 'string' && attributes.type.toLowerCase() !== def.name.toLowerCase()) {
      throw new SalesforceApiError(
        400,
        'INVALID_INPUT',
        `The type ${attributes.type} of record ${referenceId} is not ${def.name}.`,
      );
    }
    const own: Record<string, unknown> = {};
    const children: Array<{ relationship: string; records: unknown[] }> = [];
    for (const [name, value] of Object.entries(values)) {
      const nested =
        value && typeof value === 'object' && !Array.isArray(value)
          ? (value as { records?: unknown }).records
          : undefined;
      if (Array.isArray(nested)) children.push({ relationship: name, records: nested });
      else own[name] = value;
    }
    if (parent) own[parent.field] = parent.id;
    let id: string;
    try {
      id = createOne(org, def, own).id as string;
    } catch (error) {
      if (error instanceof SalesforceApiError) {
        results.push({
          referenceId,
          errors: [{ statusCode: error.errorCode, message: error.message, fields: error.fields }],
        });
      }
      throw error;
    }
    results.push({ referenceId, id });
    for (const { relationship, records: childRecords } of children) {
      const child = org.schema
        .childRelationships(def.name)
        .find((entry) => entry.relationshipName.toLowerCase() === relationship.toLowerCase());
      if (!child)
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD',
          `No such relationship '${relationship}' on sobject of type ${def.name}`,
        );
      const childDef = requireObject(org, child.childSObject);
      for (const childRecord of childRecords) insertTree(childDef, childRecord, { field: child.field, id });
    }
  };
  try {
    org.records.transaction(() => {
      for (const record of records) insertTree(root, record);
    });
  } catch (error) {
    if (!(error instanceof SalesforceApiError)) throw error;
    const failed = results.filter((result) => result.errors);
    if (failed.length === 0) throw error;
    return { status: 400, body: { hasErrors: true, results: failed } };
  }
  return { status: 201, body: { hasErrors: false, results } };
}
