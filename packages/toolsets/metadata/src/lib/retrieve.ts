import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type {
  ComponentSet,
  MetadataApiRetrieve,
  MetadataApiRetrieveStatus,
  RetrieveResult,
} from '@salesforce/source-deploy-retrieve';
import {
  type DxProject,
  type OrgHandle,
  type ToolContext,
  ToolError,
  formatTable,
  takeWithinBudget,
  toolResult,
  z,
  toToolError,
  type PollOutcome,
  pollUntilDone,
  budgetAfter,
} from '@sfmcp/plugin-api';
import { relativeToProject } from './components.js';
import { groupedNames } from './grouped.js';
import { HINTS } from './hints.js';

export const retrieveOutput = z.object({
  jobId: z.string(),
  done: z.boolean(),
  status: z.string(),
  counts: z.record(z.string(), z.number()),
  files: z.array(
    z.object({
      state: z.string(),
      type: z.string(),
      fullName: z.string(),
      file: z.string().optional(),
      problem: z.string().optional(),
    }),
  ),
  omittedFiles: z.number().int(),
  conflicts: z.array(z.string()),
  messages: z.array(z.string()),
});
export type RetrieveOutput = z.infer<typeof retrieveOutput>;

function digest(path: string): string | undefined {
  try {
    return createHash('sha1').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** Digests of the project files a retrieve may overwrite, to tell changed from unchanged afterwards. */
export function snapshotFiles(components: ComponentSet | undefined): Map<string, string> {
  const before = new Map<string, string>();
  for (const component of components?.getSourceComponents() ?? []) {
    const paths = [component.xml, ...(component.content ? component.walkContent() : [])];
    for (const path of paths) {
      if (!path) continue;
      const hash = digest(path);
      if (hash) before.set(path, hash);
    }
  }
  return before;
}

export function describeRetrieve(
  ctx: Pick<ToolContext, 'responseBudget'>,
  project: DxProject,
  result: RetrieveResult,
  before: Map<string, string>,
  conflicts: string[],
): { text: string; structured: RetrieveOutput } {
  const rows: RetrieveOutput['files'] = [];
  for (const response of result.getFileResponses()) {
    const file = relativeToProject(project, response.filePath);
    if (response.state === 'Failed') {
      rows.push({
        state: 'Failed',
        type: response.type,
        fullName: response.fullName,
        ...(file ? { file } : {}),
        problem: response.error,
      });
      continue;
    }
    let state = String(response.state);
    if (response.filePath && state !== 'Deleted') {
      const old = before.get(response.filePath);
      if (old === undefined) state = existsSync(response.filePath) ? 'Created' : state;
      else state = old === digest(response.filePath) ? 'Unchanged' : 'Changed';
    }
    rows.push({ state, type: response.type, fullName: response.fullName, ...(file ? { file } : {}) });
  }
  const order: Record<string, number> = { Failed: 0, Changed: 1, Created: 2, Deleted: 3, Unchanged: 4 };
  rows.sort(
    (a, b) => (order[a.state] ?? 5) - (order[b.state] ?? 5) || (a.file ?? '').localeCompare(b.file ?? ''),
  );
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.state] = (counts[row.state] ?? 0) + 1;
  const messages = [result.response.messages ?? []].flat().map((message) => String(message.problem));
  const status = String(result.response.status);
  const budget = budgetAfter(ctx);
  const size = (row: RetrieveOutput['files'][number]) => JSON.stringify(row).length;
  const lines = [
    `Retrieve ${result.response.id}: ${status}. Files: ${
      Object.entries(counts)
        .map(([state, count]) => `${count} ${state}`)
        .join(', ') || 'none'
    }.`,
  ];
  if (conflicts.length)
    lines.push(
      `Conflicts (changed both locally and in the org; the org's version was written): ${conflicts.join(', ')}`,
    );
  if (messages.length) lines.push(`Messages: ${messages.join('; ')}`);
  const table = (items: RetrieveOutput['files']) =>
    formatTable(
      items,
      ['state', 'type', 'fullName', 'file', 'problem'].filter((column) =>
        items.some((row) => row[column as keyof typeof row] !== undefined),
      ),
    );
  let shown = takeWithinBudget(rows, size, budget).items;
  if (shown.length === rows.length) {
    if (rows.length) lines.push('', table(shown));
  } else {
    // Too many files for one row each: failures and changed files in full, the rest as components by state and type.
    const important = (row: RetrieveOutput['files'][number]) =>
      row.state === 'Failed' || row.state === 'Changed';
    shown = takeWithinBudget(rows.filter(important), size, budget / 2).items;
    if (shown.length) lines.push('', table(shown));
    const rest = rows.filter((row) => !important(row));
    const seen = new Set<string>();
    const components = rest.filter((row) => {
      const key = `${row.state}#${row.type}#${row.fullName}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const grouped = groupedNames(
      components,
      (row) => `${row.state} ${row.type}`,
      (row) => row.fullName,
      budget - lines.join('\n').length,
    );
    lines.push(...grouped.lines);
    if (grouped.listed < components.length || shown.length < rows.length - rest.length) {
      lines.push(
        '(Not every file is listed, to stay within the response budget; the counts above include them all.)',
      );
    }
  }
  const omitted = rows.length - shown.length;
  return {
    text: lines.join('\n'),
    structured: {
      jobId: String(result.response.id),
      done: true,
      status,
      counts,
      files: shown,
      omittedFiles: omitted,
      conflicts,
      messages,
    },
  };
}

/** Waits for a retrieve, then writes what came back into the project (source format, merged with what is there). */
export async function finishRetrieve(options: {
  ctx: ToolContext;
  org: OrgHandle;
  project: DxProject;
  operation: MetadataApiRetrieve;
  components?: ComponentSet;
  jobId: string;
  waitMinutes: number;
  conflicts?: string[];
  afterSuccess?: (result: RetrieveResult) => Promise<void>;
}) {
  const { ctx, org, project, operation, jobId } = options;
  const before = snapshotFiles(options.components);
  // wait 0: hand the job id back at once, without asking the org; cancelling stops the wait (nothing to undo).
  const outcome: PollOutcome<MetadataApiRetrieveStatus> =
    options.waitMinutes === 0
      ? { done: false }
      : await pollUntilDone<MetadataApiRetrieveStatus>({
          ctx,
          waitMs: options.waitMinutes * 60_000,
          check: async () => {
            const status = await operation.checkStatus();
            if (!status.done) await ctx.progress(0, undefined, `Retrieve ${jobId}: ${status.status}`);
            return { done: Boolean(status.done), status };
          },
        }).catch((error: unknown) => {
          throw toToolError(error, { hints: HINTS, wrapOthers: true });
        });
  if (!outcome.done) {
    const status = String(outcome.status?.status ?? 'Queued');
    return toolResult({
      text: `The retrieve ${jobId} is still running (${status}). Call resume_tool_operation with jobId "${jobId}" to wait for it and write its files.`,
      structured: {
        jobId,
        done: false,
        status,
        counts: {},
        files: [],
        omittedFiles: 0,
        conflicts: [],
        messages: [],
      } satisfies RetrieveOutput,
      org,
    });
  }
  if (ctx.signal.aborted)
    throw new ToolError('Cancelled: the retrieve finished in the org, but no files were written.');
  await project.makeDirectory(project.packageDirectories[0] ?? project.root);
  // source-deploy-retrieve writes the files itself: no link may sit where it writes (package directories).
  await project.assertNoLinks(project.packageDirectories);
  let result: RetrieveResult | undefined;
  try {
    // The job is done: this polls once and extracts the zip into the project.
    result = await operation.pollStatus(100, 60);
  } catch (error) {
    throw toToolError(error, { hints: HINTS, wrapOthers: true });
  }
  if (!result) throw new ToolError(`Retrieve ${jobId} returned no result.`);
  if (options.afterSuccess && String(result.response.status) === 'Succeeded')
    await options.afterSuccess(result);
  const { text, structured } = describeRetrieve(ctx, project, result, before, options.conflicts ?? []);
  return toolResult({ text, structured, org });
}
