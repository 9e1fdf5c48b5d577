/**
 * `query` and `queryAll` with Salesforce's paging: the whole result of a query is kept under a
 * cursor id, pages are slices of it, and `nextRecordsUrl` is `/services/data/vXX.X/query/<cursor>-<offset>`.
 */
import { SalesforceApiError } from '../errors.js';
import { caseSafeSuffix, encodeCounter } from '../state/ids.js';
import type { OrgState } from '../state/types.js';
import { executeSoql } from '../soql/index.js';

export const DEFAULT_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;
/** Salesforce lets a query cursor live 15 minutes after its last use. */
const CURSOR_IDLE_MS = 15 * 60 * 1000;
/** Salesforce allows ten open cursors per user; a few more here, the oldest goes first. */
const MAX_CURSORS = 50;
/** Rows held across all cursors before the oldest cursors go, to bound memory. */
const MAX_HELD_ROWS = 400_000;

interface Cursor {
  records: Record<string, unknown>[];
  totalSize: number;
  batchSize: number;
  lastUsed: number;
  resource: 'query' | 'queryAll';
  /** The user who ran the query: a locator is theirs alone, as a Salesforce query locator is. */
  owner: string;
}

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

/** `Sforce-Query-Options: batchSize=500` → 500, kept within 200..2000. */
export function batchSizeFrom(header: string | string[] | undefined): number {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const match = /batchSize\s*=\s*(\d+)/i.exec(text);
  if (!match) return DEFAULT_BATCH_SIZE;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(match[1])));
}

export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();
  private counter = 0;

  constructor(private readonly clock: () => number = () => Date.now()) {}

  run(
    soql: string,
    org: OrgState,
    options: { version: string; includeDeleted: boolean; batchSize: number; api?: 'data' | 'tooling' },
  ): QueryPage {
    const result = executeSoql(soql, org, {
      api: options.api ?? 'data',
      apiVersion: `v${options.version}`,
      includeDeleted: options.includeDeleted,
    });
    if (result.records.length <= options.batchSize) {
      return { totalSize: result.totalSize, done: true, records: result.records };
    }
    const id = this.newCursorId();
    this.expire();
    this.cursors.set(id, {
      records: result.records,
      totalSize: result.totalSize,
      batchSize: options.batchSize,
      lastUsed: this.clock(),
      resource: options.includeDeleted ? 'queryAll' : 'query',
      owner: org.userId,
    });
    return this.page(id, 0, options.version, options.api ?? 'data');
  }

  /** `01gDn0000000001AAA-2000` → the page that starts at 2000, for the user who ran the query (`userId`). */
  next(locator: string, version: string, api: 'data' | 'tooling' = 'data', userId?: string): QueryPage {
    const match = /^([a-zA-Z0-9]{15,18})-(\d+)$/.exec(locator);
    this.expire();
    const cursor = match ? this.cursors.get(match[1] as string) : undefined;
    if (!match || !cursor || (userId !== undefined && cursor.owner !== userId)) {
      throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    return this.page(match[1] as string, Number(match[2]), version, api);
  }

  get size(): number {
    return this.cursors.size;
  }

  private page(id: string, offset: number, version: string, api: 'data' | 'tooling'): QueryPage {
    const cursor = this.cursors.get(id) as Cursor;
    if (offset >= cursor.records.length && cursor.records.length > 0) {
      throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    cursor.lastUsed = this.clock();
    this.cursors.delete(id);
    this.cursors.set(id, cursor);
    const end = offset + cursor.batchSize;
    const records = cursor.records.slice(offset, end);
    // A locator stays usable until the cursor expires (clients that resume a listing re-read pages).
    const done = end >= cursor.records.length;
    const prefix = api === 'tooling' ? `/services/data/v${version}/tooling` : `/services/data/v${version}`;
    return {
      totalSize: cursor.totalSize,
      done,
      ...(done ? {} : { nextRecordsUrl: `${prefix}/${cursor.resource}/${id}-${end}` }),
      records,
    };
  }

  private newCursorId(): string {
    this.counter += 1;
    const id15 = `01gQc0${encodeCounter(this.counter)}`;
    return id15 + caseSafeSuffix(id15);
  }

  private expire(): void {
    const cutoff = this.clock() - CURSOR_IDLE_MS;
    for (const [id, cursor] of this.cursors) {
      if (cursor.lastUsed < cutoff) this.cursors.delete(id);
    }
    let held = 0;
    for (const cursor of this.cursors.values()) held += cursor.records.length;
    while (this.cursors.size >= MAX_CURSORS || (held > MAX_HELD_ROWS && this.cursors.size > 1)) {
      const oldest = this.cursors.keys().next().value as string;
      held -= this.cursors.get(oldest)?.records.length ?? 0;
      this.cursors.delete(oldest);
    }
  }
}
