import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { LIMITS, ToolError, defineTool, toolResult, z } from '@sfmcp/plugin-api';

import { csvLine } from '../lib/csv.js';
import { type QueryBatch, fetchBatch } from '../lib/query-pages.js';
import { type FlatRecord, flattenRecord, orderColumns } from '../lib/records.js';
import { parseSoql, queryError } from '../lib/soql.js';

const output = z.object({
  file: z.string(),
  rows: z.number().int(),
  totalSize: z.number().int(),
  columns: z.array(z.string()),
  bytes: z.number().int(),
});

export const exportRecords = defineTool({
  name: 'export_records',
  title: 'Export query results to CSV',
  description:
    'Runs a SOQL query through all its pages into a CSV file in the project, for results too big to show. Reports progress; refuses to overwrite a file unless overwrite is true. Changes nothing in the org.',
  input: z.object({
    query: z.string().min(1).max(LIMITS.query).describe('The SOQL query.'),
    outputFile: z.string().min(1).max(LIMITS.path).describe('CSV path, relative to the project root.'),
    useToolingApi: z.boolean().optional().describe('Query the Tooling API.'),
    overwrite: z.boolean().optional().describe('Replace an existing file.'),
  }),
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  changesOrg: false,
  release: 'preview',
  needsOrg: true,
  takesDirectory: true,
  async handler(input, ctx) {
    const project = await ctx.project();
    const parsed = await parseSoql(input.query);
    const org = await ctx.org();
    const tooling = input.useToolingApi ?? false;
    // Opened first, so a path that cannot be written is refused before any query runs; it appears on commit.
    const out = await project.createFile(input.outputFile, { overwrite: input.overwrite ?? false });

    const work = await mkdtemp(join(tmpdir(), 'sfmcp-export-'));
    const rowsFile = join(work, 'rows.jsonl');
    const cleanUp = async (failed: boolean) => {
      await rm(work, { recursive: true, force: true });
      if (failed) await out.discard();
    };
    const seen = new Map<string, null>();
    let rows = 0;
    let totalSize = 0;
    try {
      // 1. Every page into a JSON-lines file, learning the columns as they come.
      const handle = await open(rowsFile, 'w');
      try {
        let batch: QueryBatch | undefined;
        let locator: string | null = null;
        do {
          if (ctx.signal.aborted) throw new ToolError(`Cancelled after ${rows} rows; no file was written.`);
          try {
            batch = await fetchBatch(org, { query: input.query, locator, tooling, batchSize: 2000 });
          } catch (error) {
            throw await queryError(org, error, parsed, { tooling });
          }
          totalSize = batch.totalSize;
          const chunk: string[] = [];
          for (const record of batch.records) {
            const flat = flattenRecord(record);
            for (const key of Object.keys(flat)) if (!seen.has(key)) seen.set(key, null);
            chunk.push(JSON.stringify(flat));
          }
          if (chunk.length) await handle.write(`${chunk.join('\n')}\n`);
          rows += batch.records.length;
          locator = batch.locator ?? null;
          await ctx.progress(rows, totalSize, `${rows} of ${totalSize} rows`);
        } while (locator);
      } finally {
        await handle.close();
      }
      if (ctx.signal.aborted) throw new ToolError(`Cancelled after ${rows} rows; no file was written.`);

      // 2. The CSV: header, then the rows with the columns in query order (RFC 4180, CRLF).
      const columns = orderColumns([Object.fromEntries(seen)], parsed.columns);
      // Lines are gathered into ~64 KB writes: one system call per row would be slow on large exports.
      let pending: string[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (pending.length) await out.write(pending.join(''));
        pending = [];
        pendingBytes = 0;
      };
      const write = async (line: string) => {
        pending.push(`${line}\r\n`);
        pendingBytes += line.length + 2;
        if (pendingBytes >= 65_536) await flush();
      };
      await write(csvLine(columns));
      const lines = createInterface({ input: createReadStream(rowsFile), crlfDelay: Infinity });
      for await (const line of lines) {
        if (!line) continue;
        const row = JSON.parse(line) as FlatRecord;
        await write(csvLine(columns.map((column) => row[column])));
      }
      await flush();
      if (ctx.signal.aborted) throw new ToolError(`Cancelled after ${rows} rows; no file was written.`);
      await out.commit();
      await cleanUp(false);
      const bytes = (await stat(out.path)).size;
      const shownPath = relative(project.root, out.path);
      return toolResult({
        text: `Exported ${rows} rows (totalSize ${totalSize}) to ${shownPath} (${(bytes / 1024).toFixed(1)} KB). Columns: ${columns.join(', ')}`,
        structured: { file: shownPath, rows, totalSize, columns, bytes },
        org,
      });
    } catch (error) {
      await cleanUp(true);
      throw error;
    }
  },
});
