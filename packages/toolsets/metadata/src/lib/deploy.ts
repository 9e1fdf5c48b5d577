import { dirname } from 'node:path';
import type {
  ComponentSet,
  DeployResult,
  MetadataApiDeploy,
  MetadataApiDeployStatus,
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

export const componentRow = z.object({
  state: z.string(),
  type: z.string(),
  fullName: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  problem: z.string().optional(),
});
export type ComponentRow = z.infer<typeof componentRow>;

export const deployOutput = z.object({
  jobId: z.string(),
  done: z.boolean(),
  status: z.string(),
  success: z.boolean(),
  checkOnly: z.boolean(),
  counts: z.record(z.string(), z.number()),
  components: z.array(componentRow),
  omittedComponents: z.number().int(),
  tests: z.object({ run: z.number(), failed: z.number() }).optional(),
  testFailures: z.array(
    z.object({
      name: z.string(),
      methodName: z.string().optional(),
      message: z.string(),
      stackTrace: z.string().optional(),
    }),
  ),
  coverage: z.array(
    z.object({ name: z.string(), percent: z.number(), uncoveredLines: z.array(z.number()).optional() }),
  ),
  errorMessage: z.string().optional(),
});
export type DeployOutput = z.infer<typeof deployOutput>;

function list<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Bundles are folders: a row names the folder, not whichever of its files came first. */
const BUNDLE_TYPES = new Set([
  'LightningComponentBundle',
  'AuraDefinitionBundle',
  'ExperienceBundle',
  'DigitalExperienceBundle',
  'WaveTemplateBundle',
]);

const STATE_ORDER: Record<string, number> = { Failed: 0, Created: 1, Changed: 2, Deleted: 3, Unchanged: 4 };

/** One row per component (files of a bundle folded together), failures first. */
export function componentRows(project: DxProject | undefined, result: DeployResult): ComponentRow[] {
  const rows = new Map<string, ComponentRow>();
  const failed = result.response.status !== 'Succeeded' && result.response.status !== 'SucceededPartial';
  for (const response of result.getFileResponses()) {
    const key = `${response.type}#${response.fullName}`;
    const file = project ? relativeToProject(project, response.filePath) : response.filePath;
    if (response.state === 'Failed') {
      const row: ComponentRow = { state: 'Failed', type: response.type, fullName: response.fullName };
      if (file) row.file = file;
      if (response.lineNumber !== undefined) row.line = Number(response.lineNumber);
      if (response.columnNumber !== undefined) row.column = Number(response.columnNumber);
      row.problem = response.error;
      const existing = rows.get(key);
      // Several problems on one component: keep the first, note the rest.
      if (existing?.state === 'Failed') existing.problem = `${existing.problem}; ${row.problem}`;
      else rows.set(key, row);
      continue;
    }
    if (rows.has(key)) continue;
    // A failed deploy rolls everything back: what the org reported as created was not kept.
    const state =
      failed && String(result.response.rollbackOnError) !== 'false' ? 'NotSaved' : String(response.state);
    const shown = file && BUNDLE_TYPES.has(response.type) ? dirname(file) : file;
    rows.set(key, {
      state,
      type: response.type,
      fullName: response.fullName,
      ...(shown ? { file: shown } : {}),
    });
  }
  for (const success of list(result.response.details?.componentSuccesses)) {
    if (String(success.deleted) !== 'true' || !success.componentType) continue;
    rows.set(`${success.componentType}#${success.fullName}`, {
      state: failed ? 'NotSaved' : 'Deleted',
      type: success.componentType,
      fullName: success.fullName,
    });
  }
  // A deployed component the org warns about (Salesforce's problemType Warning): SDR's file responses
  // drop the text, so it is taken from the success itself and shown in the row.
  for (const success of list(result.response.details?.componentSuccesses)) {
    const warned = success as { problem?: string; problemType?: string };
    if (warned.problemType !== 'Warning' || !warned.problem || !success.componentType) continue;
    const row = rows.get(`${success.componentType}#${success.fullName}`);
    if (row && row.state !== 'Failed' && !row.problem) row.problem = `Warning: ${warned.problem}`;
  }
  for (const failure of list(result.response.details?.componentFailures)) {
    const key = `${failure.componentType ?? ''}#${failure.fullName}`;
    if (rows.has(key) && rows.get(key)?.state === 'Failed') continue;
    if (!failure.problem) continue;
    rows.set(key, {
      state: 'Failed',
      type: failure.componentType ?? '',
      fullName: failure.fullName,
      ...(failure.fileName ? { file: failure.fileName } : {}),
      ...(failure.lineNumber !== undefined ? { line: Number(failure.lineNumber) } : {}),
      ...(failure.columnNumber !== undefined ? { column: Number(failure.columnNumber) } : {}),
      problem: failure.problem,
    });
  }
  return [...rows.values()].sort(
    (a, b) =>
      (STATE_ORDER[a.state] ?? 5) - (STATE_ORDER[b.state] ?? 5) ||
      a.type.localeCompare(b.type) ||
      a.fullName.localeCompare(b.fullName),
  );
}

function testDetails(
  status: MetadataApiDeployStatus,
): Pick<DeployOutput, 'tests' | 'testFailures' | 'coverage'> {
  const run = status.details?.runTestResult;
  const testFailures = list(run?.failures).map((failure) => ({
    name: String(failure.name),
    ...(failure.methodName ? { methodName: String(failure.methodName) } : {}),
    message: String(failure.message ?? ''),
    ...(failure.stackTrace ? { stackTrace: String(failure.stackTrace) } : {}),
  }));
  const coverage = list(run?.codeCoverage).map((entry) => {
    const total = Number(entry.numLocations ?? 0);
    const uncovered = Number(entry.numLocationsNotCovered ?? 0);
    const lines = list(entry.locationsNotCovered).map((location) => Number(location.line));
    return {
      name: String(entry.name),
      percent: total === 0 ? 100 : Math.round(((total - uncovered) / total) * 1000) / 10,
      ...(lines.length ? { uncoveredLines: lines } : {}),
    };
  });
  const testsRun = Number(status.numberTestsCompleted ?? 0) + Number(status.numberTestErrors ?? 0);
  return {
    ...(run || testsRun > 0
      ? {
          tests: {
            run: Number(run?.numTestsRun ?? testsRun),
            failed: Number(run?.numFailures ?? status.numberTestErrors ?? 0),
          },
        }
      : {}),
    testFailures,
    coverage,
  };
}

/** What the text gives one test warning at most, and all of them together. */
const WARNING_LINE_CHARS = 300;
const WARNINGS_BUDGET = 2000;

/**
 * Tests the deploy asked for that did not run (neither completed nor in error), and the org's
 * `runTestResult.codeCoverageWarnings` (coverage short of what is required, or, from the sfmcp local
 * org, the tests it could not run), one short line each.
 */
function testWarnings(status: MetadataApiDeployStatus): { notRun: number; warnings: string[] } {
  const total = Number(status.numberTestsTotal ?? 0);
  const ran = Number(status.numberTestsCompleted ?? 0) + Number(status.numberTestErrors ?? 0);
  const warnings = list(status.details?.runTestResult?.codeCoverageWarnings).map((warning) => {
    const name = (warning as { name?: unknown }).name;
    const subject = typeof name === 'string' && name ? name : String(warning.id ?? '');
    const line = `${subject ? `${subject}: ` : ''}${String(warning.message ?? '')}`
      .replace(/\s+/g, ' ')
      .trim();
    return line.length > WARNING_LINE_CHARS ? `${line.slice(0, WARNING_LINE_CHARS - 1)}…` : line;
  });
  return { notRun: Number.isFinite(total - ran) ? Math.max(0, total - ran) : 0, warnings };
}

/** The structured result and its text, cut to the response budget (failures first; counts always complete). */
export function describeDeploy(
  ctx: Pick<ToolContext, 'responseBudget'>,
  project: DxProject | undefined,
  result: DeployResult,
): { text: string; structured: DeployOutput } {
  const status = result.response;
  const rows = componentRows(project, result);
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.state] = (counts[row.state] ?? 0) + 1;
  const tests = testDetails(status);
  const { notRun, warnings } = testWarnings(status);
  const checkOnly = String(status.checkOnly) === 'true';
  const success = String(status.success) === 'true';
  const lines: string[] = [];
  const what = checkOnly ? 'Validation' : 'Deploy';
  // A validation whose tests did not all run is not one quick_deploy accepts: it is not suggested then.
  const validated =
    notRun > 0
      ? ` (validated only: nothing was saved; ${notRun} test${notRun === 1 ? '' : 's'} did not run, so quick_deploy will not accept it)`
      : warnings.length
        ? ' (validated only: nothing was saved; the org reported test warnings, below: quick_deploy may refuse it)'
        : ' (validated only: nothing was saved; quick_deploy it with this id)';
  lines.push(
    `${what} ${status.id}: ${status.status}${checkOnly && success ? validated : ''}${!success && status.status === 'Failed' ? ' — nothing was saved (rolled back)' : ''}.`,
  );
  lines.push(
    `Components: ${
      Object.entries(counts)
        .map(([state, count]) => `${count} ${state}`)
        .join(', ') || 'none'
    }.`,
  );
  if (status.errorMessage) lines.push(`Error: ${status.errorMessage}`);
  const columns = ['state', 'type', 'fullName', 'file', 'line', 'column', 'problem'].filter((column) =>
    rows.some((row) => row[column as keyof ComponentRow] !== undefined),
  );
  const budget = budgetAfter(ctx);
  const size = (row: ComponentRow) => JSON.stringify(row).length;
  let shown = takeWithinBudget(rows, size, budget).items;
  if (shown.length === rows.length) {
    if (rows.length) lines.push('', formatTable(shown, columns));
  } else {
    // Too many for one row each: failures in full, then the rest as names grouped by state and type.
    shown = takeWithinBudget(
      rows.filter((row) => row.state === 'Failed'),
      size,
      budget / 2,
    ).items;
    if (shown.length) lines.push('', formatTable(shown, columns));
    const grouped = groupedNames(
      rows.filter((row) => row.state !== 'Failed'),
      (row) => `${row.state} ${row.type}`,
      (row) => row.fullName,
      budget - lines.join('\n').length,
    );
    lines.push(...grouped.lines);
    const listed = shown.length + grouped.listed;
    if (listed < rows.length) {
      lines.push(
        `(${rows.length - listed} components not listed to stay within the response budget; the counts above include them. Deploy smaller parts (sourceDir) to see every row.)`,
      );
    }
  }
  const omitted = rows.length - shown.length;
  const testsLine = Boolean(tests.tests && (tests.tests.run > 0 || tests.tests.failed > 0 || notRun > 0));
  if (tests.tests && testsLine)
    lines.push(
      '',
      `Tests: ${tests.tests.run} run, ${tests.tests.failed} failed${notRun > 0 ? `, ${notRun} not run` : ''}.`,
    );
  if (warnings.length) {
    const page = takeWithinBudget(warnings, (line) => line.length + 2, WARNINGS_BUDGET);
    if (!testsLine) lines.push('');
    lines.push('Test warnings:', ...page.items.map((line) => `- ${line}`));
    if (page.nextOffset !== undefined) {
      lines.push(
        `(${warnings.length - page.nextOffset} more warnings not shown, to stay within the response budget.)`,
      );
    }
  }
  if (tests.testFailures.length) {
    lines.push(
      formatTable(
        tests.testFailures.map((failure) => ({
          test: failure.methodName ? `${failure.name}.${failure.methodName}` : failure.name,
          message: failure.message,
          stackTrace: failure.stackTrace,
        })),
      ),
    );
  }
  if (tests.coverage.length) {
    lines.push(
      'Coverage:',
      formatTable(
        tests.coverage.map((entry) => ({
          class: entry.name,
          percent: entry.percent,
          uncoveredLines: entry.uncoveredLines?.join(','),
        })),
      ),
    );
  }
  return {
    text: lines.join('\n'),
    structured: {
      jobId: status.id,
      done: true,
      status: String(status.status),
      success,
      checkOnly,
      counts,
      components: shown,
      omittedComponents: omitted,
      ...tests,
      ...(status.errorMessage ? { errorMessage: String(status.errorMessage) } : {}),
    },
  };
}

/** The answer when the wait ran out: the job id to resume. */
export function stillRunning(
  jobId: string,
  status: string,
  operation: string,
  checkOnly = false,
): { text: string; structured: DeployOutput } {
  return {
    text: `The ${operation} ${jobId} is still running (${status}). Call resume_tool_operation with jobId "${jobId}" to wait for it, or cancel_deploy to stop it.`,
    structured: {
      jobId,
      done: false,
      status,
      success: false,
      checkOnly,
      counts: {},
      components: [],
      omittedComponents: 0,
      testFailures: [],
      coverage: [],
    },
  };
}

/** Polls a started deploy until it finishes, the wait runs out or the call is cancelled (which cancels the deploy). */
export async function waitForDeploy(
  ctx: ToolContext,
  operation: MetadataApiDeploy,
  jobId: string,
  waitMinutes: number,
): Promise<PollOutcome<MetadataApiDeployStatus>> {
  let cancelRequested = false;
  // wait 0: hand the job id back at once, without asking the org.
  if (waitMinutes === 0) return { done: false };
  return pollUntilDone({
    ctx,
    waitMs: waitMinutes * 60_000,
    // A cancelled call cancels the deploy in the org, then watches it stop.
    onCancel: 'continue',
    check: async () => {
      if (ctx.signal.aborted && !cancelRequested) {
        cancelRequested = true;
        await ctx.cleanup(() => operation.cancel()).catch(() => undefined);
      }
      // After a cancel the call's own requests are aborted: watching the deploy stop is cleanup work.
      const status = ctx.signal.aborted
        ? await ctx.cleanup(() => operation.checkStatus())
        : await operation.checkStatus();
      const done = String(status.done) === 'true';
      if (!done) {
        const deployed =
          Number(status.numberComponentsDeployed ?? 0) + Number(status.numberTestsCompleted ?? 0);
        const total = Number(status.numberComponentsTotal ?? 0) + Number(status.numberTestsTotal ?? 0);
        await ctx.progress(
          deployed,
          total || undefined,
          `Deploy ${jobId}: ${status.status}${status.stateDetail ? ` (${status.stateDetail})` : ''}`,
        );
      }
      return { done, status };
    },
  });
}

export interface DeployRun {
  operation: MetadataApiDeploy;
  components?: ComponentSet;
}

/** Starts (or picks up) a deploy and produces the tool result. */
export async function finishDeploy(
  ctx: ToolContext,
  org: OrgHandle,
  project: DxProject | undefined,
  run: DeployRun,
  jobId: string,
  waitMinutes: number,
  afterSuccess?: (result: DeployResult) => Promise<void>,
) {
  let outcome: PollOutcome<MetadataApiDeployStatus>;
  try {
    outcome = await waitForDeploy(ctx, run.operation, jobId, waitMinutes);
  } catch (error) {
    throw toToolError(error, { hints: HINTS, wrapOthers: true });
  }
  if (!outcome.done) {
    const { text, structured } = stillRunning(
      jobId,
      String(outcome.status?.status ?? 'Queued'),
      'deploy',
      String(outcome.status?.checkOnly) === 'true',
    );
    return toolResult({ text, structured, org });
  }
  const { DeployResult } = await import('@salesforce/source-deploy-retrieve');
  const result = new DeployResult(outcome.status, run.components);
  if (outcome.status.status === 'Canceled') {
    throw new ToolError(`Deploy ${jobId} was cancelled before it finished; nothing was saved.`);
  }
  if (afterSuccess && String(outcome.status.success) === 'true') await afterSuccess(result);
  const { text, structured } = describeDeploy(ctx, project, result);
  return toolResult({ text, structured, org });
}
