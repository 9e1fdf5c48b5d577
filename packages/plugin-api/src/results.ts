import type { OrgHandle } from './context.js';
import { ToolError } from './errors.js';
import type { ToolResult } from './tool.js';

/** Clients reject or truncate results over ~25,000 tokens; the default keeps well under (bytes ≈ 4 × tokens). */
export const DEFAULT_RESPONSE_BUDGET = 60_000;

/** A result naming the org it acted on, with text for the model and structured content for programs. */
export function toolResult<Output = never>(options: {
  text: string;
  structured?: Output;
  org?: Pick<OrgHandle, 'label'>;
}): ToolResult<Output> {
  const text = options.org ? `Org: ${options.org.label}\n${options.text}` : options.text;
  return options.structured === undefined ? { text } : { text, structured: options.structured };
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '\\n');
}

/** Column names: the given ones, else every key seen, in first-seen order. */
export function tableColumns(
  rows: readonly Record<string, unknown>[],
  columns?: readonly string[],
): string[] {
  if (columns) return [...columns];
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

/** One table row, as `formatTable` writes it. */
export function formatTableRow(row: Record<string, unknown>, columns: readonly string[]): string {
  return columns.map((column) => cell(row[column])).join(' | ');
}

/** Rows as a compact pipe table: far cheaper for the model than pretty-printed JSON. */
export function formatTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const names = tableColumns(rows, columns);
  if (names.length === 0) return '(no rows)';
  const lines = [names.join(' | '), names.map(() => '---').join(' | ')];
  for (const row of rows) lines.push(formatTableRow(row, names));
  return lines.join('\n');
}

/** An opaque continuation token: base64url of JSON, so the model passes it back as it is. */
export function encodeCursor(state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export function decodeCursor<State extends Record<string, unknown>>(cursor: string): State {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as State;
  } catch {
    // falls through to the error below
  }
  throw new ToolError(
    'The cursor is not valid.',
    'Pass the cursor exactly as a previous result gave it, or leave it out to start again.',
  );
}

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
