import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AnyTool, type Plugin, changesOrg } from '@sfmcp/plugin-api';
import { publishTool } from '@sfmcp/plugin-api/manifest';

export interface ToolSnapshotOptions {
  plugin: Pick<Plugin, 'tools'> | { tools: readonly AnyTool[] };
  /** The toolset's __toolsnaps__ folder. */
  dir: string | URL;
  /** Accept the current definitions (default: the UPDATE_TOOLSNAPS environment variable). */
  update?: boolean;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, item]) => [key, sortKeys(item)]),
    );
  }
  return value;
}

/** What a tool publishes, as the snapshot keeps it: sorted JSON, so a diff shows exactly what changed. */
export function toolSnapshot(tool: AnyTool): string {
  return (
    JSON.stringify(
      sortKeys({
        ...publishTool(tool),
        release: tool.release,
        needsOrg: tool.needsOrg,
        changesOrg: changesOrg(tool),
      }),
      null,
      2,
    ) + '\n'
  );
}

/**
 * Compares every tool's published definition with `__toolsnaps__/<tool>.json`. Returns the differences
 * (empty when all match). With UPDATE_TOOLSNAPS=1 it writes the snapshots instead: a deliberate interface
 * change then shows up in review.
 */
export function checkToolSnapshots(options: ToolSnapshotOptions): string[] {
  const dir = typeof options.dir === 'string' ? options.dir : fileURLToPath(options.dir);
  const update = options.update ?? Boolean(process.env.UPDATE_TOOLSNAPS);
  const problems: string[] = [];
  const expected = new Set<string>();
  if (update) mkdirSync(dir, { recursive: true });
  for (const tool of options.plugin.tools) {
    const file = join(dir, `${tool.name}.json`);
    expected.add(`${tool.name}.json`);
    const current = toolSnapshot(tool);
    if (update) {
      writeFileSync(file, current);
      continue;
    }
    if (!existsSync(file)) {
      problems.push(
        `${tool.name}: no snapshot yet (first run, or a new tool): write it with UPDATE_TOOLSNAPS=1 and commit ${file}`,
      );
    } else if (readFileSync(file, 'utf8') !== current) {
      problems.push(
        `${tool.name}: its published definition changed (accept with UPDATE_TOOLSNAPS=1, and add a changeset)`,
      );
    }
  }
  if (existsSync(dir)) {
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json') || expected.has(file)) continue;
      if (update) unlinkSync(join(dir, file));
      else problems.push(`${file}: snapshot of a tool that no longer exists`);
    }
  }
  return problems;
}
