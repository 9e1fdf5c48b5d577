import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type AnyTool, changesOrg } from '@sfmcp/plugin-api';

export const TABLE_START = '<!-- tools:start (generated from the tool definitions; do not edit) -->';
export const TABLE_END = '<!-- tools:end -->';

export interface ReadmeTableOptions {
  tools: readonly AnyTool[];
  readme: string | URL;
  /** Rewrite the table (default: the UPDATE_TOOLSNAPS environment variable). */
  update?: boolean;
}

function argumentsOf(tool: AnyTool): string {
  const shape = tool.input.shape as Record<string, { isOptional?: () => boolean }>;
  const names = Object.entries(shape).map(([name, schema]) => (schema.isOptional?.() ? `${name}?` : name));
  return names.length ? names.map((name) => `\`${name}\``).join(', ') : '—';
}

/** The tools table a toolset README carries, generated from the definitions. */
export function renderToolTable(tools: readonly AnyTool[]): string {
  const rows = tools.map((tool) => {
    const traits = [
      tool.annotations.readOnlyHint
        ? 'read-only'
        : !changesOrg(tool)
          ? 'writes local files'
          : tool.annotations.destructiveHint
            ? 'destructive'
            : 'changes orgs',
      tool.release === 'preview' ? 'preview' : 'GA',
    ].join(', ');
    return `| \`${tool.name}\` | ${tool.description.replace(/\|/g, '\\|')} | ${argumentsOf(tool)} | ${traits} |`;
  });
  return [
    TABLE_START,
    '| Tool | What it does | Inputs | Kind |',
    '| --- | --- | --- | --- |',
    ...rows,
    TABLE_END,
  ].join('\n');
}

/** Returns a problem when the README's generated table is missing or stale; rewrites it when updating. */
export function checkReadmeToolTable(options: ReadmeTableOptions): string[] {
  const path = typeof options.readme === 'string' ? options.readme : fileURLToPath(options.readme);
  const update = options.update ?? Boolean(process.env.UPDATE_TOOLSNAPS);
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start)
    return [`${path}: no generated tools table (add the markers ${TABLE_START} ... ${TABLE_END})`];
  const current = text.slice(start, end + TABLE_END.length);
  const wanted = renderToolTable(options.tools);
  if (current === wanted) return [];
  if (update) {
    writeFileSync(path, text.slice(0, start) + wanted + text.slice(end + TABLE_END.length));
    return [];
  }
  return [`${path}: the tools table is stale (regenerate with UPDATE_TOOLSNAPS=1)`];
}
