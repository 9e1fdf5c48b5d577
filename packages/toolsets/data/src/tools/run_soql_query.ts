import {
  LIMITS,
  ToolError,
  cursorArgument,
  defineTool,
  toolResult,
  z,
  budgetAfter,
  takeWithinBudget,
} from '@sfmcp/plugin-api';

import { type FlatRecord, flattenRecord, orderColumns, tableHeader, tableLines } from '../lib/records.js';
import { type QueryBatch, fetchBatch, queryDigest, resumeQuery } from '../lib/query-pages.js';
import { parseSoql, queryError } from '../lib/soql.js';

/**
 * Where a continuation starts, sealed by the server in a cursor bound to this org and query: the batch's
 * query locator (null: run the query again), never a URL, and the row in it.
 */
interface QueryCursor extends Record<string, unknown> {
  /** The batch's query locator, or null for the query's first batch. */
  l: string | null;
  /** Rows of that batch already shown. */
  s: number;
  /** Rows shown before this page, over all pages. */
  n: number;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const output = z.object({
  totalSize: z.number().int(),
  /** Rows before this page. */
  offset: z.number().int(),
  columns: z.array(z.string()),
  records: z.array(z.looseObject({})),
  done: z.boolean(),
  nextCursor: z.string().optional(),
});

export const runSoqlQuery = defineTool({
  name: 'run_soql_query',
  title: 'Run a SOQL query',
  description:
    'Runs a SOQL query (or a Tooling API query) and returns the rows as a table with totalSize. Parent fields show as Account.Owner.Name. Large results come in pages: call again with the same query and the cursor given.',
  input: z.object({
    query: z.string().min(1).max(LIMITS.query).describe('The SOQL query.'),
    useToolingApi: z.boolean().optional().describe('Query the Tooling API (ApexClass, ...).'),
    maxRows: z.number().int().min(1).max(2000).optional().describe('Rows per page (default 200, max 2000).'),
    cursor: cursorArgument,
  }),
  output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  takesDirectory: true,
  async handler(input, ctx) {
    const tooling = input.useToolingApi ?? false;
    const maxRows = input.maxRows ?? 200;
    const digest = queryDigest(input.query, tooling);
    const parsed = await parseSoql(input.query);
    const org = await ctx.org();
    const binding = { org: org.username, listing: { query: digest } };
    const state = input.cursor ? ctx.cursors.open<QueryCursor>(input.cursor, binding) : undefined;
    if (
      state &&
      (!(state.l === null || typeof state.l === 'string') || !isCount(state.s) || !isCount(state.n))
    )
      throw new ToolError('The cursor is not valid.', 'Leave it out to run the query from the start.');

    const rows: FlatRecord[] = [];
    /** Where each row came from, so a page cut anywhere can continue exactly there. */
    const origins: { locator: string | null; index: number }[] = [];
    let locator: string | null = state?.l ?? null;
    let skip = state?.s ?? 0;
    let totalSize = 0;
    let next: { locator: string | null; index: number } | undefined;
    try {
      let batch: QueryBatch;
      if (state) {
        const resumed = await resumeQuery(org, { query: input.query, tooling, batchSize: maxRows }, state);
        ({ batch, locator, skip } = resumed);
      } else batch = await fetchBatch(org, { query: input.query, tooling, batchSize: maxRows });
      for (;;) {
        totalSize = batch.totalSize;
        const available = batch.records.length - skip;
        const take = Math.max(0, Math.min(available, maxRows - rows.length));
        for (let index = skip; index < skip + take; index++) {
          rows.push(flattenRecord(batch.records[index]!));
          origins.push({ locator, index });
        }
        if (take < available) {
          next = { locator, index: skip + take };
          break;
        }
        if (!batch.locator) break;
        if (rows.length >= maxRows) {
          next = { locator: batch.locator, index: 0 };
          break;
        }
        if (ctx.signal.aborted) throw new ToolError('Cancelled.');
        locator = batch.locator;
        skip = 0;
        batch = await fetchBatch(org, { query: input.query, locator, tooling, batchSize: maxRows });
      }
    } catch (error) {
      throw await queryError(org, error, parsed, { tooling });
    }

    const columns = orderColumns(rows, parsed.columns);
    const header = tableHeader(columns);
    // Rows go in while the text and structured content together fit the budget; the cursor continues there.
    const lines = tableLines(rows, columns);
    const page = takeWithinBudget(
      lines.map((line, index) => ({ line, row: rows[index]! })),
      ({ line, row }) => Buffer.byteLength(line) + Buffer.byteLength(JSON.stringify(row)),
      budgetAfter(ctx, header),
    );
    const fit = page.items.length;
    lines.length = fit;
    if (fit < rows.length) next = origins[fit];
    const shown = fit < rows.length ? rows.slice(0, fit) : rows;
    const offset = state?.n ?? 0;
    const nextCursor = next
      ? ctx.cursors.seal({ l: next.locator, s: next.index, n: offset + shown.length }, binding)
      : undefined;

    const range = shown.length ? `rows ${offset + 1}–${offset + shown.length}` : 'no rows';
    const text = [`totalSize: ${totalSize} · ${range}`];
    if (shown.length) text.push(header, lines.join('\n'));
    if (nextCursor) text.push(`More rows: call again with the same query and cursor: "${nextCursor}"`);
    return toolResult({
      text: text.join('\n'),
      structured: {
        totalSize,
        offset,
        columns,
        records: shown,
        done: nextCursor === undefined,
        ...(nextCursor ? { nextCursor } : {}),
      },
      org,
    });
  },
});
