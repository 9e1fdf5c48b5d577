import { createHash } from 'node:crypto';
import { type OrgHandle, ToolError } from '@sfmcp/plugin-api';

/** One batch of a query, as the REST API returns it; `locator` names the next batch. */
export interface QueryBatch {
  totalSize: number;
  done: boolean;
  /** The next batch's query locator (`01g…-2000`), read from nextRecordsUrl. */
  locator?: string;
  records: Record<string, unknown>[];
}

export interface FetchBatchOptions {
  /** The SOQL, for the first batch. */
  query: string;
  /** A query locator to fetch instead of running the query. */
  locator?: string | null;
  tooling?: boolean;
  /** Records per batch the org should send (200 to 2,000; a hint Salesforce may lower). */
  batchSize?: number;
  /** queryAll: include deleted and archived records. */
  all?: boolean;
}

/** Salesforce's query locator: a record id, a dash and the row the batch starts at. Nothing else is sent. */
const LOCATOR = /^[a-zA-Z0-9]{15,18}-\d{1,9}$/;
const NEXT_RECORDS_URL = /^\/services\/data\/v\d{2,3}\.\d\/(?:tooling\/)?(?:query|queryAll)\/([^/?#]+)$/;

/**
 * Salesforce takes at most 16,384 bytes of URI and headers per REST call; a longer query goes in the body of a
 * Composite request, as Salesforce recommends (the SOQL limit itself is 100,000 characters).
 */
const MAX_QUERY_URL_BYTES = 14_000;

function apiBase(org: Pick<OrgHandle, 'connection'>, tooling: boolean): string {
  return `/services/data/v${org.connection.version}/${tooling ? 'tooling/' : ''}`;
}

/** The REST (or Tooling) URL that runs a query. */
export function queryUrl(
  org: Pick<OrgHandle, 'connection'>,
  query: string,
  tooling = false,
  all = false,
): string {
  return `${apiBase(org, tooling)}${all && !tooling ? 'queryAll' : 'query'}?q=${encodeURIComponent(query)}`;
}

/** The locator in a nextRecordsUrl the org sent; anything not shaped like Salesforce's is refused. */
export function locatorOf(nextRecordsUrl: string): string {
  const locator = NEXT_RECORDS_URL.exec(nextRecordsUrl)?.[1];
  if (!locator || !LOCATOR.test(locator)) {
    throw new ToolError(
      'The org answered a query with a nextRecordsUrl that is not a Salesforce query locator; the rest of the rows were not fetched.',
      undefined,
      { kind: 'salesforce', code: 'UNEXPECTED_LOCATOR' },
    );
  }
  return locator;
}

/** The URL of a batch: built here, on this org's own API, from a checked locator (never taken from a cursor). */
function batchUrl(
  org: Pick<OrgHandle, 'connection'>,
  locator: string,
  tooling: boolean,
  all: boolean,
): string {
  if (!LOCATOR.test(locator)) throw new ToolError('The cursor is not valid.', undefined, { kind: 'invalid' });
  return `${apiBase(org, tooling)}${all && !tooling ? 'queryAll' : 'query'}/${locator}`;
}

interface RawBatch {
  totalSize?: number;
  done?: boolean;
  nextRecordsUrl?: string;
  records?: Record<string, unknown>[];
}

/** A query too long for a URL, run as a Composite subrequest; its failure is rethrown as the API's own error. */
async function viaComposite(
  org: Pick<OrgHandle, 'connection'>,
  url: string,
  headers: Record<string, string>,
  tooling: boolean,
): Promise<RawBatch> {
  if (tooling) {
    throw new ToolError(
      `The query is too long for the Tooling API: Salesforce takes at most 16,384 bytes of URI per call, and this query needs ${Buffer.byteLength(url)}.`,
      'Shorten it: fewer fields, or several queries with shorter IN lists.',
      { kind: 'invalid', code: 'QUERY_TOO_LONG' },
    );
  }
  const reply = await org.connection.request<{
    compositeResponse?: { body: unknown; httpStatusCode: number }[];
  }>({
    method: 'POST',
    url: `${apiBase(org, false)}composite`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      allOrNone: false,
      compositeRequest: [{ method: 'GET', url, referenceId: 'query', httpHeaders: headers }],
    }),
  });
  const sub = reply.compositeResponse?.[0];
  if (!sub) throw new ToolError('The org answered the Composite query request with no result.');
  if (sub.httpStatusCode >= 400) {
    const first = (Array.isArray(sub.body) ? sub.body[0] : sub.body) as
      { errorCode?: string; message?: string } | undefined;
    throw Object.assign(new Error(first?.message ?? `HTTP ${sub.httpStatusCode}`), {
      errorCode: first?.errorCode ?? `ERROR_HTTP_${sub.httpStatusCode}`,
    });
  }
  return sub.body as RawBatch;
}

/** Fetches one batch: the query's first, or the one at `locator`. */
export async function fetchBatch(
  org: Pick<OrgHandle, 'connection'> & Partial<Pick<OrgHandle, 'label'>>,
  options: FetchBatchOptions,
): Promise<QueryBatch> {
  const tooling = options.tooling ?? false;
  const all = options.all ?? false;
  const headers: Record<string, string> = {};
  if (options.batchSize !== undefined) {
    const size = Math.min(2000, Math.max(200, Math.round(options.batchSize)));
    headers['Sforce-Query-Options'] = `batchSize=${size}`;
  }
  let batch: RawBatch;
  if (options.locator) {
    batch = await org.connection.request<RawBatch>({
      method: 'GET',
      url: batchUrl(org, options.locator, tooling, all),
      headers,
    });
  } else {
    const url = queryUrl(org, options.query, tooling, all);
    batch =
      Buffer.byteLength(url) > MAX_QUERY_URL_BYTES
        ? await viaComposite(org, url, headers, tooling)
        : await org.connection.request<RawBatch>({ method: 'GET', url, headers });
  }
  // Never a missing answer read as "no rows": an answer without its records is not a query result.
  if (!isRawBatch(batch)) {
    throw new ToolError(
      `${org.label ?? 'The org'} answered the query with something that is not a query result: its answer could not be read.`,
      'Try again; if it persists, something between this machine and the org is changing its answers.',
      { kind: 'unavailable', code: 'ORG_UNREADABLE' },
    );
  }
  return {
    totalSize: typeof batch.totalSize === 'number' ? batch.totalSize : batch.records.length,
    done: batch.done !== false,
    ...(batch.nextRecordsUrl ? { locator: locatorOf(batch.nextRecordsUrl) } : {}),
    records: batch.records,
  };
}

function isRawBatch(batch: unknown): batch is RawBatch & { records: Record<string, unknown>[] } {
  return (
    typeof batch === 'object' &&
    batch !== null &&
    Array.isArray((batch as RawBatch).records) &&
    ((batch as RawBatch).totalSize === undefined || typeof (batch as RawBatch).totalSize === 'number')
  );
}

/** A short digest naming a query (and which API runs it), so a cursor cannot continue another query. */
export function queryDigest(query: string, tooling = false): string {
  return createHash('sha256')
    .update(`${tooling ? 'tooling' : 'rest'}\n${query.trim()}`)
    .digest('base64url')
    .slice(0, 16);
}

function isInvalidLocator(error: unknown): boolean {
  return (error as { errorCode?: unknown } | null)?.errorCode === 'INVALID_QUERY_LOCATOR';
}

/** Where a continuation starts: the batch (a locator, or null for the first) and the row in it. */
export interface ResumePoint {
  /** The batch to fetch again (null: the query's first batch). */
  l: string | null;
  /** Rows of that batch already taken. */
  s: number;
  /** Rows taken over all batches before the continuation point. */
  n: number;
}

/**
 * Fetches the batch a continuation starts in. Salesforce closes a query's cursor once its last batch
 * was sent (and after 15 idle minutes); then the query runs again and skips to row `n` — by the
 * locator's row offset (`01g…-4000`) when it has one, else batch by batch.
 */
export async function resumeQuery(
  org: Pick<OrgHandle, 'connection'>,
  options: Omit<FetchBatchOptions, 'locator'>,
  point: ResumePoint,
): Promise<{ batch: QueryBatch; locator: string | null; skip: number }> {
  try {
    return {
      batch: await fetchBatch(org, { ...options, locator: point.l }),
      locator: point.l,
      skip: point.s,
    };
  } catch (error) {
    if (!isInvalidLocator(error) || point.l === null) throw error;
  }
  let batch = await fetchBatch(org, options);
  let locator: string | null = null;
  let start = 0;
  while (point.n >= start + batch.records.length && batch.locator) {
    const nextStart = Number(/-(\d+)$/.exec(batch.locator)?.[1] ?? start + batch.records.length);
    if (point.n > nextStart) {
      locator = batch.locator.replace(/-\d+$/, `-${point.n}`);
      start = point.n;
    } else {
      locator = batch.locator;
      start = nextStart;
    }
    batch = await fetchBatch(org, { ...options, locator });
  }
  return { batch, locator, skip: Math.max(0, point.n - start) };
}
