import type { TestResult } from '@salesforce/apex-node';
import {
  type OrgHandle,
  type ToolContext,
  ToolError,
  type ToolResult,
  takeWithinBudget,
  toolResult,
  z,
  soqlString,
  salesforceCall,
  pollUntilDone,
  cancelled,
  budgetAfter,
} from '@sfmcp/plugin-api';
import { lineRanges } from './lines.js';
import { HINTS } from './hints.js';

export const apexRunOutput = z.object({
  testRunId: z.string(),
  /** ApexTestRunResult status: Queued, Processing, Completed, Failed, Aborted. */
  status: z.string(),
  finished: z.boolean(),
  outcome: z.string().optional(),
  summary: z
    .object({
      testsRan: z.number(),
      passing: z.number(),
      failing: z.number(),
      skipped: z.number(),
      testTotalTimeInMs: z.number().optional(),
      testRunCoverage: z.string().optional(),
      orgWideCoverage: z.string().optional(),
    })
    .optional(),
  failures: z.array(
    z.object({ name: z.string(), outcome: z.string(), message: z.string(), stackTrace: z.string() }),
  ),
  tests: z.array(z.object({ name: z.string(), outcome: z.string(), runTime: z.number() })).optional(),
  coverage: z
    .array(
      z.object({
        name: z.string(),
        percentage: z.string(),
        linesCovered: z.number(),
        linesUncovered: z.number(),
        uncoveredLines: z.array(z.number()),
      }),
    )
    .optional(),
  nextCursor: z.string().optional(),
});

export type ApexRunOutput = z.infer<typeof apexRunOutput>;

/** What a run_apex_test cursor is bound to (with the org): the rows of one run, named in its state. */
export const APEX_RUN_LISTING = { listing: 'apex test run rows', tool: 'run_apex_test' } as const;

export interface ApexReportOptions {
  codeCoverage: boolean;
  verbose: boolean;
  /** How long to wait for the run to finish. */
  waitMs: number;
  /** Index of the first result row to show (from a cursor). */
  offset?: number;
  /** The run was started by this call: cancelling the call aborts it in the org. */
  abortOnCancel?: boolean;
}

interface RunSummaryRecord {
  Status: string;
  ClassesEnqueued?: number | null;
  ClassesCompleted?: number | null;
  MethodsEnqueued?: number | null;
  MethodsCompleted?: number | null;
  MethodsFailed?: number | null;
}

const FINISHED = ['Completed', 'Failed', 'Aborted'];
const OPEN_QUEUE_STATUSES = ['Holding', 'Queued', 'Preparing', 'Processing'];

async function runSummary(org: OrgHandle, runId: string): Promise<RunSummaryRecord> {
  const result = await salesforceCall(
    async () =>
      org.connection.tooling.query<RunSummaryRecord>(
        'SELECT Status, ClassesEnqueued, ClassesCompleted, MethodsEnqueued, MethodsCompleted, MethodsFailed ' +
          `FROM ApexTestRunResult WHERE AsyncApexJobId = ${soqlString(runId)}`,
      ),
    { hints: HINTS },
  );
  const record = result.records[0];
  if (!record) {
    throw new ToolError(
      `No Apex test run with id ${runId} in ${org.label}.`,
      'Pass the 707... id a run returned; runs are kept for a limited time.',
    );
  }
  return record;
}

/** Marks the run's open queue items Aborted, as apex-node does when a run is cancelled. */
async function abortRun(org: OrgHandle, runId: string): Promise<number> {
  const items = await org.connection.tooling.query<{ Id: string; Status: string }>(
    `SELECT Id, Status FROM ApexTestQueueItem WHERE ParentJobId = ${soqlString(runId)}`,
  );
  const open = items.records.filter((item) => OPEN_QUEUE_STATUSES.includes(item.Status));
  for (const item of open) {
    await org.connection.tooling.sobject('ApexTestQueueItem').update({ Id: item.Id, Status: 'Aborted' });
  }
  return open.length;
}

function fullName(test: TestResult['tests'][number]): string {
  return test.fullName || `${test.apexClass?.name ?? ''}.${test.methodName}`;
}

type Row =
  | { kind: 'failure'; name: string; outcome: string; message: string; stackTrace: string }
  | { kind: 'test'; name: string; outcome: string; runTime: number }
  | {
      kind: 'coverage';
      name: string;
      percentage: string;
      linesCovered: number;
      linesUncovered: number;
      uncoveredLines: number[];
    };

function rowText(row: Row): string {
  if (row.kind === 'failure') return `${row.name} | ${row.outcome} | ${row.message} | ${row.stackTrace}`;
  if (row.kind === 'test') return `${row.name} | ${row.outcome} | ${row.runTime}`;
  return `${row.name} | ${row.percentage} | ${row.linesCovered}/${row.linesCovered + row.linesUncovered} | ${lineRanges(row.uncoveredLines)}`;
}

/** Rows in the order the text shows them: failures first, then every test (verbose), then coverage. */
function resultRows(result: TestResult, options: Pick<ApexReportOptions, 'codeCoverage' | 'verbose'>): Row[] {
  const rows: Row[] = [];
  for (const test of result.tests) {
    if (test.outcome !== 'Fail' && test.outcome !== 'CompileFail') continue;
    rows.push({
      kind: 'failure',
      name: fullName(test),
      outcome: test.outcome,
      message: test.message ?? '',
      stackTrace: test.stackTrace ?? '',
    });
  }
  if (options.verbose) {
    for (const test of result.tests) {
      rows.push({
        kind: 'test',
        name: fullName(test),
        outcome: test.outcome,
        runTime: Number(test.runTime ?? 0),
      });
    }
  }
  if (options.codeCoverage) {
    const coverage = [...(result.codecoverage ?? [])].sort(
      (a, b) => parseFloat(a.percentage) - parseFloat(b.percentage) || a.name.localeCompare(b.name),
    );
    for (const entry of coverage) {
      rows.push({
        kind: 'coverage',
        name: entry.name,
        percentage: entry.percentage,
        linesCovered: entry.numLinesCovered,
        linesUncovered: entry.numLinesUncovered,
        uncoveredLines: entry.uncoveredLines ?? [],
      });
    }
  }
  return rows;
}

const SECTION_HEADERS: Record<Row['kind'], string> = {
  failure: 'Failures:\ntest | outcome | message | stack trace\n--- | --- | --- | ---',
  test: 'Tests:\ntest | outcome | ms\n--- | --- | ---',
  coverage:
    'Coverage (least covered first):\nclass | covered | lines | uncovered lines\n--- | --- | --- | ---',
};

function stillRunning(org: OrgHandle, runId: string, summary: RunSummaryRecord): ToolResult<ApexRunOutput> {
  const done = summary.MethodsCompleted ?? 0;
  const total = summary.MethodsEnqueued ?? 0;
  const finished = FINISHED.includes(summary.Status);
  return toolResult({
    text:
      `Apex test run ${runId} is ${finished ? `finished (${summary.Status})` : summary.Status}` +
      (total && !finished ? ` (${done} of ${total} test methods done)` : '') +
      `. ${finished ? 'Get its results' : 'Resume it'} with resume_tool_operation (jobId: "${runId}") or run_apex_test (testRunId: "${runId}").`,
    structured: { testRunId: runId, status: summary.Status, finished, failures: [] },
    org,
  });
}

/** The answer for a run started with async: its id and status, to resume. */
export async function startedApexRun(org: OrgHandle, runId: string): Promise<ToolResult<ApexRunOutput>> {
  return stillRunning(org, runId, await runSummary(org, runId));
}

/**
 * Waits (within options.waitMs) for an Apex test run, reporting progress, and then reports it with
 * apex-node: counts, failures with message and stack trace, and coverage when asked. A run still going
 * after the wait is answered with its id, to resume.
 */
export async function reportApexRun(
  org: OrgHandle,
  runId: string,
  options: ApexReportOptions,
  ctx: Pick<ToolContext, 'signal' | 'progress' | 'responseBudget' | 'cursors' | 'cleanup'>,
): Promise<ToolResult<ApexRunOutput>> {
  let summary: RunSummaryRecord | undefined;
  try {
    const { done: finished } = await pollUntilDone({
      ctx,
      waitMs: options.waitMs,
      check: async () => {
        summary = await runSummary(org, runId);
        const total = summary.MethodsEnqueued ?? undefined;
        await ctx.progress(
          summary.MethodsCompleted ?? 0,
          total,
          `${summary.Status}: ${summary.ClassesCompleted ?? 0} of ${summary.ClassesEnqueued ?? 0} test classes done`,
        );
        return { done: FINISHED.includes(summary.Status), status: undefined };
      },
    });
    if (!finished && summary) return stillRunning(org, runId, summary);
  } catch (error) {
    if (ctx.signal.aborted && options.abortOnCancel) {
      await ctx.cleanup(() => abortRun(org, runId)).catch(() => 0);
      throw new ToolError(`Cancelled: Apex test run ${runId} was aborted.`);
    }
    throw error;
  }

  const { CancellationTokenSource, TestService } = await import('@salesforce/apex-node');
  const source = new CancellationTokenSource();
  const onAbort = () => void source.asyncCancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let result: TestResult;
  try {
    const service = new TestService(org.connection);
    result = await salesforceCall(
      () => service.reportAsyncResults(runId, options.codeCoverage, source.token),
      { hints: HINTS },
    );
  } catch (error) {
    // apex-node's word for a run that enqueued no test at all (an org without test classes for the level).
    if (error instanceof Error && /No test results were found in the queue/.test(error.message)) {
      throw new ToolError(
        `Apex test run ${runId} ran no tests: the org has no test classes for what was asked.`,
        'list_apex_tests lists the test classes of the org and the project; deploy them first to run them.',
        { kind: 'not-found' },
      );
    }
    throw error;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
  if (ctx.signal.aborted || !result) throw cancelled();

  const rows = resultRows(result, options);
  const offset = options.offset ?? 0;
  const s = result.summary;
  // apex-node counts skipped (not run) tests in testsRan, and says Passed when the rest passed: say neither.
  const outcome = s.outcome === 'Passed' && s.skipped > 0 ? 'Not all tests ran' : s.outcome;
  const headline =
    `Apex test run ${runId}: ${outcome}. ${s.testsRan - s.skipped} ran, ${s.passing} passed, ${s.failing} failed, ${s.skipped} skipped` +
    ` (${s.testTotalTimeInMs ?? 0} ms).` +
    (s.testRunCoverage ? ` Run coverage ${s.testRunCoverage}` : '') +
    (s.orgWideCoverage ? `, org-wide ${s.orgWideCoverage}.` : s.testRunCoverage ? '.' : '');
  const page = takeWithinBudget(
    rows,
    (row) => Buffer.byteLength(rowText(row)),
    budgetAfter(ctx, headline),
    offset,
  );
  const skipMessage = result.tests.find((test) => test.outcome === 'Skip' && test.message)?.message;
  const lines = [headline];
  if (s.skipped > 0)
    lines.push(
      `${s.skipped} test${s.skipped === 1 ? '' : 's'} did not run.${skipMessage ? ` ${skipMessage}` : ''}`,
    );
  let section: Row['kind'] | undefined;
  for (const row of page.items) {
    if (row.kind !== section) {
      section = row.kind;
      lines.push('', SECTION_HEADERS[row.kind]);
    }
    lines.push(rowText(row));
  }
  if (rows.length === 0 && !options.verbose) lines.push('No failures.');
  const nextCursor =
    page.nextOffset !== undefined
      ? ctx.cursors.seal(
          { runId, offset: page.nextOffset, codeCoverage: options.codeCoverage, verbose: options.verbose },
          { ...APEX_RUN_LISTING, org: org.username },
        )
      : undefined;
  if (nextCursor) {
    lines.push(
      '',
      `Showing rows ${offset + 1}-${page.nextOffset} of ${rows.length}. For the rest, call run_apex_test with cursor: "${nextCursor}".`,
    );
  }
  const shown = page.items;
  const structured: ApexRunOutput = {
    testRunId: runId,
    status: summary?.Status ?? 'Completed',
    finished: true,
    outcome: s.outcome,
    summary: {
      testsRan: s.testsRan,
      passing: s.passing,
      failing: s.failing,
      skipped: s.skipped,
      testTotalTimeInMs: s.testTotalTimeInMs,
      ...(s.testRunCoverage ? { testRunCoverage: s.testRunCoverage } : {}),
      ...(s.orgWideCoverage ? { orgWideCoverage: s.orgWideCoverage } : {}),
    },
    failures: shown
      .filter((row) => row.kind === 'failure')
      .map(({ name, outcome, message, stackTrace }) => ({ name, outcome, message, stackTrace })),
    ...(options.verbose
      ? {
          tests: shown
            .filter((row) => row.kind === 'test')
            .map(({ name, outcome, runTime }) => ({ name, outcome, runTime })),
        }
      : {}),
    ...(options.codeCoverage
      ? {
          coverage: shown
            .filter((row) => row.kind === 'coverage')
            .map(({ name, percentage, linesCovered, linesUncovered, uncoveredLines }) => ({
              name,
              percentage,
              linesCovered,
              linesUncovered,
              uncoveredLines,
            })),
        }
      : {}),
    ...(nextCursor ? { nextCursor } : {}),
  };
  return toolResult({ text: lines.join('\n'), structured, org });
}
