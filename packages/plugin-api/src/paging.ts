import type { ToolContext } from './context.js';
import { ToolError } from './errors.js';

/**
 * What a cursor is bound to, besides the tool that issued it (the server adds that). A cursor issued for
 * one binding is refused for any other: another org, or another listing.
 */
export interface CursorBinding {
  /** Username of the org the listing comes from; leave out for a listing that comes from no org. */
  org?: string;
  /**
   * The arguments that define the listing (an object name, a query, filters), not the page size: a cursor
   * from `Account` is refused for `Contact`. Any JSON value; the server keeps only its digest.
   */
  listing: unknown;
  /**
   * When sealing: the tool that continues the listing, when it is not the one sealing (a resumer's result is
   * continued by the tool that started the job). Default: the tool sealing.
   */
  tool?: string;
}

/**
 * Continuation cursors, sealed by the server: opaque to the model, authenticated (HMAC), bound to the tool,
 * the org and the listing, and expiring. Nothing a tool reads from a cursor came from anywhere but itself.
 */
export interface Cursors {
  /** Seals `state` (small JSON) into a cursor for this tool and `binding`. */
  seal(state: Record<string, unknown>, binding: CursorBinding): string;
  /** The state sealed into `cursor`; throws a ToolError when it is forged, tampered, expired or foreign. */
  open<State extends Record<string, unknown>>(cursor: string, binding: CursorBinding): State;
}

/** The longest cursor any tool accepts: sealed state is small. */
export const MAX_CURSOR_LENGTH = 4096;

export interface BudgetedPage<Item> {
  items: Item[];
  /** Index of the first item not shown; undefined when everything fit. */
  nextOffset?: number;
}

/**
 * Takes items from `offset` while their rendered size fits in `budget` bytes; always at least one,
 * so a caller can make progress. The rest is left for a continuation cursor, never dropped silently.
 */
export function takeWithinBudget<Item>(
  items: readonly Item[],
  sizeOf: (item: Item) => number,
  budget: number,
  offset = 0,
): BudgetedPage<Item> {
  const taken: Item[] = [];
  let used = 0;
  for (let index = offset; index < items.length; index++) {
    const item = items[index] as Item;
    const size = sizeOf(item) + 1;
    if (taken.length > 0 && used + size > budget) return { items: taken, nextOffset: index };
    taken.push(item);
    used += size;
  }
  return { items: taken };
}

/** Bytes a page leaves for what a tool writes around its rows (headings, counts, the cursor line). */
export const PAGE_RESERVE = 2_000;

/**
 * Bytes left for a result's rows once `texts` (its headline, its notes) and PAGE_RESERVE are taken from the
 * response budget; at least 1,000, so a result always shows something. The one way to size a page.
 */
export function budgetAfter(ctx: Pick<ToolContext, 'responseBudget'>, ...texts: string[]): number {
  const used = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  return Math.max(1_000, ctx.responseBudget - PAGE_RESERVE - used);
}

export interface PageRequest<Item> {
  /** The cursor the model passed back, if any. */
  cursor?: string;
  /** What the listing is: the org it came from and the arguments that define it. */
  binding: CursorBinding;
  /**
   * Bytes one item costs the model: its text line plus its structured form, both of which the result
   * carries. A page holds as many as fit in the budget.
   */
  sizeOf(item: Item): number;
  /** Bytes the page may use (default: the response budget less PAGE_RESERVE). */
  budget?: number;
  /** At most this many items on a page (a `limit` argument), whatever the budget allows. */
  limit?: number;
}

export interface Page<Item> {
  items: Item[];
  /** Index of the first item shown. */
  offset: number;
  /** All items in the listing. */
  total: number;
  /** A sealed cursor for the next page; undefined on the last page. */
  nextCursor?: string;
}

/**
 * One page of a listing the tool holds in full (objects, fields, users, coverage rows): starts where the
 * cursor says, takes what fits in the budget, and seals a cursor for the rest. The one way to page a
 * listing, so every paging tool has the same bound, authenticated cursors.
 */
export function pageWithinBudget<Item>(
  ctx: Pick<ToolContext, 'cursors' | 'responseBudget'>,
  items: readonly Item[],
  request: PageRequest<Item>,
): Page<Item> {
  let offset = 0;
  if (request.cursor !== undefined) {
    const state = ctx.cursors.open<{ offset?: unknown }>(request.cursor, request.binding);
    if (typeof state.offset !== 'number' || !Number.isSafeInteger(state.offset) || state.offset < 0) {
      throw new ToolError('The cursor is not valid.', 'Leave the cursor out to start from the beginning.');
    }
    if (state.offset > items.length) {
      throw new ToolError(
        `The listing changed since the cursor was made: it now has ${items.length} entries, and the cursor starts at ${state.offset}.`,
        'Leave the cursor out to start from the beginning.',
      );
    }
    offset = state.offset;
  }
  const budget = request.budget ?? budgetAfter(ctx);
  const end = request.limit === undefined ? items.length : Math.min(items.length, offset + request.limit);
  const page = takeWithinBudget(items.slice(0, end), request.sizeOf, budget, offset);
  if (page.nextOffset === undefined && end < items.length) page.nextOffset = end;
  return {
    items: page.items,
    offset,
    total: items.length,
    ...(page.nextOffset !== undefined
      ? { nextCursor: ctx.cursors.seal({ offset: page.nextOffset }, request.binding) }
      : {}),
  };
}
