import { createHash } from 'node:crypto';
import type { OrgHandle } from '@sfmcp/plugin-api';

/** One batch of a query, as the REST API returns it. */
export interface QueryBatch {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

export interface FetchBatchOptions {
  /** The SOQL, for the first batch. */
  query: string;
  /** A nextRecordsUrl to fetch instead of running the query. */
  locator?: string | null;
  tooling?: boolean;
  /** Records per batch the org should send (200 to 2,000; a hint Salesforce may lower). */
  batchSize?: number;
  /** queryAll: include deleted and archived records. */
  all?: boolean;
}

/** The REST (or Tooling) URL that runs a query. */
export function queryUrl(
  org: Pick<OrgHandle, 'connection'>,
  query: string,
  tooling = false,
  all = false,
): string {
  const base = `/services/data/v${org.connection.version}/${tooling ? 'tooling/' : ''}`;
  return `${base}${all && !tooling ? 'queryAll' : 'query'}?q=${encodeURIComponent(query)}`;
}

/** Fetches one batch: the query's first, or the one at `locator` (a nextRecordsUrl). */
export async function fetchBatch(
  org: Pick<OrgHandle, 'connection'>,
  options: FetchBatchOptions,
): Promise<QueryBatch> {
  const url = options.locator ?? queryUrl(org, options.query, options.tooling, options.all);
  const headers: Record<string, string> = {};
  if (options.batchSize !== undefined) {
    const size = Math.min(2000, Math.max(200, Math.round(options.batchSize)));
    headers['Sforce-Query-Options'] = `batchSize=${size}`;
  }
  const batch = await org.connection.request<QueryBatch>({ method: 'GET', url, headers });
  return {
    totalSize: batch.totalSize ?? batch.records?.length ?? 0,
    done: batch.done !== false,
    ...(batch.nextRecordsUrl ? { nextRecordsUrl: batch.nextRecordsUrl } : {}),
    records: batch.records ?? [],
  };
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

/** Where a continuation starts: the batch (a nextRecordsUrl, or null for the first) and the row in it. */
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
 * locator's row offset (`…/query/01g…-4000`) when it has one, else batch by batch.
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
  while (point.n >= start + batch.records.length && batch.nextRecordsUrl) {
    const jump = /-(\d+)$/.exec(batch.nextRecordsUrl);
    const nextStart = jump ? Number(jump[1]) : start + batch.records.length;
    if (jump && point.n > nextStart) {
      locator = batch.nextRecordsUrl.replace(/-\d+$/, `-${point.n}`);
      start = point.n;
    } else {
      locator = batch.nextRecordsUrl;
      start = nextStart;
    }
    batch = await fetchBatch(org, { ...options, locator });
  }
  return { batch, locator, skip: Math.max(0, point.n - start) };
}
