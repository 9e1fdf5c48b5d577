import type { AgentTestResultsResponse } from '@salesforce/agents';
import {
  type OrgHandle,
  type ToolContext,
  ToolError,
  type ToolResult,
  takeWithinBudget,
  toolResult,
  z,
  salesforceCall,
  pollUntilDone,
  budgetAfter,
} from '@sfmcp/plugin-api';
import { HINTS } from './hints.js';

export const agentRunOutput = z.object({
  runId: z.string(),
  /** NEW, IN_PROGRESS, COMPLETED, ERROR, TERMINATED */
  status: z.string(),
  finished: z.boolean(),
  subjectName: z.string().optional(),
  total: z.number().optional(),
  passed: z.number().optional(),
  failed: z.number().optional(),
  testCases: z.array(
    z.object({
      testNumber: z.number(),
      utterance: z.string(),
      status: z.string(),
      passed: z.boolean(),
      topic: z.string(),
      actions: z.array(z.string()),
      outcome: z.string(),
      failures: z.array(
        z.object({
          name: z.string(),
          expected: z.string(),
          actual: z.string(),
          explanation: z.string().optional(),
        }),
      ),
    }),
  ),
  nextCursor: z.string().optional(),
});

export type AgentRunOutput = z.infer<typeof agentRunOutput>;
type TestCaseRow = AgentRunOutput['testCases'][number];

/** What a run_agent_test cursor is bound to (with the org): the test cases of one run, named in its state. */
export const AGENT_RUN_LISTING = { listing: 'agent test run cases', tool: 'run_agent_test' } as const;

const RUNNING = ['NEW', 'IN_PROGRESS'];

const EXPECTATION_NAMES: Record<string, string> = {
  topic_assertion: 'topic',
  topic_sequence_match: 'topic',
  actions_assertion: 'actions',
  action_sequence_match: 'actions',
  output_validation: 'outcome',
  bot_response_rating: 'outcome',
};

async function tester(org: OrgHandle) {
  const { AgentTester } = await import('@salesforce/agents');
  return new AgentTester(org.connection);
}

/** Starts an agent test (an AiEvaluationDefinition) and returns its run id. */
export async function startAgentRun(org: OrgHandle, agentApiName: string): Promise<string> {
  const agentTester = await tester(org);
  const started = await salesforceCall(() => agentTester.start(agentApiName), {
    hints: HINTS,
    hint: 'Check the agent test name: it is the AiEvaluationDefinition API name (aiEvaluationDefinitions/*.aiEvaluationDefinition-meta.xml).',
  });
  if (!started?.runId) throw new ToolError('Salesforce did not return an agent test run id.');
  return started.runId;
}

/**
 * Why a test case did not run, for its row's text: the messages of its expectations that were not scored
 * (the output schema has no field for it).
 */
const notRunReasons = new WeakMap<TestCaseRow, string>();

/** A case that neither passed nor failed an expectation did not run (ERROR or TERMINATED, unscored). */
function verdict(row: TestCaseRow): 'passed' | 'failed' | 'not run' {
  if (row.passed) return 'passed';
  if (row.failures.length > 0 || row.status.toUpperCase() === 'COMPLETED') return 'failed';
  return 'not run';
}

function testCaseRows(results: AgentTestResultsResponse): TestCaseRow[] {
  return results.testCases.map((testCase) => {
    const failures = testCase.testResults
      .filter((result) => result.result === 'FAILURE')
      .map((result) => ({
        name: EXPECTATION_NAMES[result.name] ?? result.name,
        expected: result.expectedValue ?? '',
        actual: result.actualValue ?? '',
        ...(result.errorMessage || result.metricExplainability
          ? { explanation: result.errorMessage ?? result.metricExplainability }
          : {}),
      }));
    const row: TestCaseRow = {
      testNumber: testCase.testNumber,
      utterance: testCase.inputs?.utterance ?? '',
      status: testCase.status,
      passed:
        testCase.status.toUpperCase() === 'COMPLETED' &&
        testCase.testResults.every((result) => result.result === 'PASS'),
      topic: testCase.generatedData?.topic ?? '',
      actions: testCase.generatedData?.actionsSequence ?? [],
      outcome: testCase.generatedData?.outcome ?? '',
      failures,
    };
    const reasons = [
      ...new Set(
        testCase.testResults
          .filter((result) => result.result !== 'PASS' && result.result !== 'FAILURE' && result.errorMessage)
          .map((result) => String(result.errorMessage)),
      ),
    ];
    if (reasons.length) notRunReasons.set(row, reasons.join(' '));
    return row;
  });
}

function rowText(row: TestCaseRow): string {
  const failures = row.failures.map(
    (failure) => `${failure.name}: expected ${failure.expected}, got ${failure.actual}`,
  );
  const reason = notRunReasons.get(row);
  const result = verdict(row);
  return [
    row.testNumber,
    row.utterance,
    result === 'passed' ? 'PASS' : result === 'failed' ? 'FAIL' : `NOT RUN (${row.status})`,
    row.topic,
    row.actions.join(', '),
    [...failures, ...(reason ? [reason] : [])].join('; '),
  ]
    .map((cell) => String(cell).replace(/\|/g, '\\|').replace(/\r?\n/g, '\\n'))
    .join(' | ');
}

/**
 * Waits (within options.waitMs) for an agent test run, reporting progress, then reports each test case
 * with the expectations that failed. A run still going after the wait is answered with its id.
 */
export async function reportAgentRun(
  org: OrgHandle,
  runId: string,
  options: { waitMs: number; offset?: number; cancelOnAbort?: boolean },
  ctx: Pick<ToolContext, 'signal' | 'progress' | 'responseBudget' | 'cursors' | 'cleanup'>,
): Promise<ToolResult<AgentRunOutput>> {
  const agentTester = await tester(org);
  let status = 'NEW';
  try {
    const { done: finished } = await pollUntilDone({
      ctx,
      waitMs: options.waitMs,
      check: async () => {
        status = (await salesforceCall(() => agentTester.status(runId), { hints: HINTS })).status;
        await ctx.progress(RUNNING.includes(status) ? 0 : 1, 1, `Agent test run ${runId}: ${status}`);
        return { done: !RUNNING.includes(status), status: undefined };
      },
    });
    if (!finished) {
      return toolResult({
        text: `Agent test run ${runId} is ${status}. Resume it with resume_tool_operation (jobId: "${runId}").`,
        structured: { runId, status, finished: false, testCases: [] },
        org,
      });
    }
  } catch (error) {
    if (ctx.signal.aborted && options.cancelOnAbort) {
      await ctx.cleanup(() => agentTester.cancel(runId)).catch(() => undefined);
      throw new ToolError(`Cancelled: agent test run ${runId} was cancelled.`);
    }
    throw error;
  }

  const results = await salesforceCall(() => agentTester.results(runId), { hints: HINTS });
  const rows = testCaseRows(results);
  const passed = rows.filter((row) => verdict(row) === 'passed').length;
  const failed = rows.filter((row) => verdict(row) === 'failed').length;
  const notRun = rows.length - passed - failed;
  const headline =
    `Agent test run ${runId} (${results.subjectName}): ${results.status}. ` +
    `${rows.length} test cases: ${passed} passed, ${failed} failed${notRun ? `, ${notRun} not run` : ''}.` +
    (results.errorMessage ? ` ${results.errorMessage}` : '');
  const offset = options.offset ?? 0;
  const page = takeWithinBudget(
    rows,
    (row) => Buffer.byteLength(rowText(row)),
    budgetAfter(ctx, headline),
    offset,
  );
  const lines = [headline];
  if (page.items.length) {
    lines.push(
      '',
      '# | utterance | result | topic | actions | failed expectations, or why not run',
      '--- | --- | --- | --- | --- | ---',
    );
    for (const row of page.items) lines.push(rowText(row));
  }
  const nextCursor =
    page.nextOffset !== undefined
      ? ctx.cursors.seal({ runId, offset: page.nextOffset }, { ...AGENT_RUN_LISTING, org: org.username })
      : undefined;
  if (nextCursor) {
    lines.push(
      '',
      `Showing test cases ${offset + 1}-${page.nextOffset} of ${rows.length}. For the rest, call run_agent_test with cursor: "${nextCursor}".`,
    );
  }
  return toolResult({
    text: lines.join('\n'),
    structured: {
      runId,
      status: results.status,
      finished: true,
      subjectName: results.subjectName,
      total: rows.length,
      passed,
      failed,
      testCases: page.items,
      ...(nextCursor ? { nextCursor } : {}),
    },
    org,
  });
}
