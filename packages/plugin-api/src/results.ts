import type { ContentPart } from './content.js';
import type { OrgHandle } from './context.js';
import type { ToolResult } from './tool.js';

/** Clients reject or truncate results over ~25,000 tokens; the default keeps well under (bytes ≈ 4 × tokens). */
export const DEFAULT_RESPONSE_BUDGET = 60_000;

/**
 * A result naming the org it acted on, with text for the model, structured content for programs, and any further
 * content parts (images, audio, embedded resources) after the text.
 */
export function toolResult<Output = never>(options: {
  text: string;
  structured?: Output;
  org?: Pick<OrgHandle, 'label'>;
  content?: readonly ContentPart[];
}): ToolResult<Output> {
  const text = options.org ? `Org: ${options.org.label}\n${options.text}` : options.text;
  return {
    text,
    ...(options.structured === undefined ? {} : { structured: options.structured }),
    ...(options.content?.length ? { content: options.content } : {}),
  };
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
