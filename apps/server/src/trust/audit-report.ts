import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AuditFilters, ServerOptions } from '../cli.js';
import type { AuditEntry, AuditOutcome } from './audit-log.js';

const OUTCOMES: readonly AuditOutcome[] = ['ok', 'error', 'refused', 'awaiting-confirmation', 'declined'];
const SPAN = /^(\d+)\s*(m|min|h|d|w)$/i;
const SPAN_MS: Record<string, number> = {
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export interface AuditReport {
  text: string;
  /** 0: printed; 1: the file cannot be read; 2: a filter is wrong. */
  exitCode: number;
}

class FilterError extends Error {}

/** `--since 2h` (a span back from now) or an ISO time. */
function parseTime(flag: string, value: string, now: number): number {
  const span = SPAN.exec(value.trim());
  if (span) return now - Number(span[1]) * SPAN_MS[span[2]!.toLowerCase()]!;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new FilterError(
      `--${flag} ${value}: give a time (2026-12-01, 2026-12-01T09:00Z) or a span back from now (30m, 2h, 7d).`,
    );
  return time;
}

function matcher(filters: AuditFilters, now: number): (entry: AuditEntry) => boolean {
  if (filters.outcome !== undefined && !OUTCOMES.includes(filters.outcome as AuditOutcome))
    throw new FilterError(`--outcome ${filters.outcome}: one of ${OUTCOMES.join(', ')}.`);
  const since = filters.since !== undefined ? parseTime('since', filters.since, now) : undefined;
  const until = filters.until !== undefined ? parseTime('until', filters.until, now) : undefined;
  const org = filters.org?.toLowerCase();
  const tool = filters.tool?.toLowerCase();
  return (entry) => {
    const time = Date.parse(entry.time);
    if (since !== undefined && !(time >= since)) return false;
    if (until !== undefined && !(time <= until)) return false;
    if (filters.outcome !== undefined && entry.outcome !== filters.outcome) return false;
    if (tool !== undefined && entry.tool.toLowerCase() !== tool) return false;
    if (org !== undefined && !entry.orgs.some((name) => name.toLowerCase().includes(org))) return false;
    return true;
  };
}

function isEntry(value: unknown): value is AuditEntry {
  const entry = value as Partial<AuditEntry> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.time === 'string' &&
    typeof entry.tool === 'string' &&
    Array.isArray(entry.orgs) &&
    typeof entry.outcome === 'string'
  );
}

function cell(value: string, width: number): string {
  const flat = value.replace(/\s+/g, ' ');
  return (flat.length > width ? `${flat.slice(0, width - 1)}…` : flat).padEnd(width);
}

function table(entries: readonly AuditEntry[]): string {
  const columns: Array<[string, number, (entry: AuditEntry) => string]> = [
    ['TIME', 20, (entry) => entry.time.replace('T', ' ').slice(0, 19)],
    ['TOOL', 28, (entry) => entry.tool],
    ['ORG', 30, (entry) => entry.orgs.join(', ') || '-'],
    ['OUTCOME', 21, (entry) => entry.outcome],
    ['MS', 7, (entry) => (entry.durationMs === undefined ? '' : String(entry.durationMs))],
    ['READ', 6, (entry) => String(entry.records?.read ?? '')],
    ['WROTE', 6, (entry) => String((entry.records?.written ?? 0) + (entry.components ?? 0))],
    ['CLIENT', 16, (entry) => entry.client ?? ''],
    ['MESSAGE', 60, (entry) => entry.message ?? ''],
  ];
  const lines = [
    columns
      .map(([title, width]) => cell(title, width))
      .join(' ')
      .trimEnd(),
  ];
  for (const entry of entries)
    lines.push(
      columns
        .map(([, width, read]) => cell(read(entry), width))
        .join(' ')
        .trimEnd(),
    );
  return lines.join('\n');
}

/**
 * `sfmcp audit`: the audit file, filtered by org, tool, outcome or time, as a table (or JSON lines with
 * --json). Reads the file only: it starts no plugin and opens no org.
 */
export async function runAuditReport(
  options: ServerOptions,
  filters: AuditFilters,
  now: number = Date.now(),
): Promise<AuditReport> {
  const path = options.auditLog ?? join(homedir(), '.sfmcp', 'audit.jsonl');
  let keep: (entry: AuditEntry) => boolean;
  try {
    keep = matcher(filters, now);
  } catch (error) {
    if (error instanceof FilterError) return { text: `sfmcp audit: ${error.message}`, exitCode: 2 };
    throw error;
  }
  try {
    if (!(await stat(path)).isFile()) return { text: `sfmcp audit: ${path} is not a file.`, exitCode: 1 };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      text:
        code === 'ENOENT'
          ? `sfmcp audit: no audit file at ${path} (nothing was audited yet, or give --audit-log <file>).`
          : `sfmcp audit: cannot read ${path}: ${code ?? (error as Error).message}`,
      exitCode: 1,
    };
  }
  const entries: AuditEntry[] = [];
  let unreadable = 0;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      unreadable += 1;
      continue;
    }
    if (!isEntry(value)) {
      unreadable += 1;
      continue;
    }
    if (keep(value)) entries.push(value);
  }
  const skipped = unreadable
    ? `\n(${unreadable} line${unreadable === 1 ? '' : 's'} of ${path} could not be read)`
    : '';
  if (filters.json)
    // Lines only: what a script pipes on (unreadable lines are left out, as in the table).
    return { text: entries.map((entry) => JSON.stringify(entry)).join('\n'), exitCode: 0 };
  if (!entries.length) return { text: `No audited calls match in ${path}.${skipped}`, exitCode: 0 };
  return {
    text: `${table(entries)}\n${entries.length} call${entries.length === 1 ? '' : 's'} (${path})${skipped}`,
    exitCode: 0,
  };
}
