/**
 * Agentforce Testing Center runs, as @salesforce/agents' AgentTester calls them:
 *
 * - `POST /services/data/vXX.X/einstein/ai-evaluations/runs` `{"aiEvaluationDefinitionName": "..."}` → `{ runId, status }`
 * - `GET  .../einstein/ai-evaluations/runs/<runId>` → `{ status, startTime, endTime? }`
 * - `GET  .../einstein/ai-evaluations/runs/<runId>/results` → `{ status, startTime, endTime?, subjectName, testCases: [...] }`
 * - `POST .../einstein/ai-evaluations/runs/<runId>/cancel` → `{ success: true }`
 *
 * The local org cannot run an agent: which tests exist and what each test case does come from the
 * seed's `declared.agentTests` (see {@link declaredAgentTest}). Run ids start with `4KB`, the prefix
 * AgentTester's factory reads as Testing Center.
 */
import { SalesforceApiError } from '../errors.js';
import type { RouteReply, RouteRequest } from '../http/types.js';
import { caseSafeSuffix } from '../state/ids.js';
import type { OrgState } from '../state/types.js';

/**
 * One agent test (an AiEvaluationDefinition) as a seed declares it, under `declared.agentTests.<name>`:
 *
 * ```json
 * {
 *   "agentTests": {
 *     "Resort_Manager_Test": {
 *       "subjectName": "Resort_Manager",
 *       "pendingPolls": 1,
 *       "testCases": [
 *         { "utterance": "Book a massage for tomorrow", "expectedTopic": "Reservations",
 *           "expectedActions": ["BookSpaService"], "expectedOutcome": "The massage is booked." },
 *         { "utterance": "Cancel my stay", "expectedTopic": "Cancellations", "actualTopic": "Reservations",
 *           "expectedActions": ["CancelBooking"], "actualActions": [] }
 *       ]
 *     }
 *   }
 * }
 * ```
 *
 * A test case checks the expectations it names (topic, actions, outcome) against the agent's answer,
 * which is the declared `actual*` value: `actualTopic` for `expectedTopic`, `actualActions` for
 * `expectedActions`, `actualOutcome` for `expectedOutcome`. `error` makes the case end in ERROR with
 * that message. **An outcome that is not declared is reported as not run, never as passed**: an
 * expectation without its declared actual value is not scored (`result: null`, `status: "ERROR"`,
 * `errorCode: "NOT_RUN"` and a message saying the local org cannot run agents), and its test case ends
 * in ERROR, the status Salesforce gives a case that did not complete (the API has no "skipped"); a case
 * with nothing declared at all (no actual value, no `error`) is not run either, and the run's
 * `errorMessage` names the cases not run. Declared actual values that equal the expected ones pass;
 * ones that differ fail. `pendingPolls` (default 0) is how many status calls answer IN_PROGRESS before
 * the run completes. A test without `testCases` has one case, with nothing declared: not run.
 */
export interface DeclaredAgentTestCase {
  utterance: string;
  expectedTopic?: string;
  expectedActions?: string[];
  expectedOutcome?: string;
  actualTopic?: string;
  actualActions?: string[];
  actualOutcome?: string;
  error?: string;
}

export interface DeclaredAgentTest {
  subjectName: string;
  pendingPolls: number;
  testCases: DeclaredAgentTestCase[];
}

type TestStatus = 'NEW' | 'IN_PROGRESS' | 'COMPLETED' | 'ERROR' | 'TERMINATED';

interface AgentTestRun {
  runId: string;
  definition: string;
  test: DeclaredAgentTest;
  startTime: string;
  endTime?: string;
  pendingPolls: number;
  status: TestStatus;
}

const RUNS_KEY = 'agents.testRuns';
const RUN_PREFIX = '4KB';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function toTestCase(value: unknown, index: number): DeclaredAgentTestCase {
  const entry = isRecord(value) ? value : {};
  const testCase: DeclaredAgentTestCase = { utterance: text(entry.utterance) ?? `Test case ${index + 1}` };
  const fields = ['expectedTopic', 'expectedOutcome', 'actualTopic', 'actualOutcome', 'error'] as const;
  for (const field of fields) {
    const fieldValue = text(entry[field]);
    if (fieldValue !== undefined) testCase[field] = fieldValue;
  }
  const expectedActions = strings(entry.expectedActions);
  if (expectedActions) testCase.expectedActions = expectedActions;
  const actualActions = strings(entry.actualActions);
  if (actualActions) testCase.actualActions = actualActions;
  return testCase;
}

/** The declared agent test of that name (case-insensitive), if the seed has one. */
export function declaredAgentTest(
  declared: Record<string, unknown>,
  name: string,
): DeclaredAgentTest | undefined {
  const tests = isRecord(declared.agentTests) ? declared.agentTests : {};
  const key = Object.keys(tests).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  if (key === undefined) return undefined;
  const entry = isRecord(tests[key]) ? tests[key] : {};
  const cases = Array.isArray(entry.testCases) ? entry.testCases : [{}];
  return {
    subjectName: text(entry.subjectName) ?? key,
    pendingPolls:
      typeof entry.pendingPolls === 'number' && entry.pendingPolls > 0 ? Math.floor(entry.pendingPolls) : 0,
    testCases: cases.map(toTestCase),
  };
}

function runsOf(org: OrgState): Record<string, AgentTestRun> {
  let runs = org.extensions.get(RUNS_KEY) as Record<string, AgentTestRun> | undefined;
  if (!runs) {
    runs = {};
    org.extensions.set(RUNS_KEY, runs);
  }
  return runs;
}

function newRunId(org: OrgState): string {
  const counter = Object.keys(runsOf(org)).length + 1;
  const id15 = `${RUN_PREFIX}LO${String(counter).padStart(10, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

function json(status: number, body: unknown): RouteReply {
  return { status, headers: { 'content-type': 'application/json;charset=UTF-8' }, body };
}

function notFound(message = 'The requested resource does not exist'): SalesforceApiError {
  return new SalesforceApiError(404, 'NOT_FOUND', message);
}

function findRun(org: OrgState, runId: string): AgentTestRun {
  const runs = runsOf(org);
  const run =
    runs[runId] ??
    Object.values(runs).find((candidate) => candidate.runId.slice(0, 15) === runId.slice(0, 15));
  if (!run) throw notFound(`No agent test run with id ${runId}.`);
  return run;
}

function parseBody(request: RouteRequest): Record<string, unknown> {
  const raw = request.body.toString('utf8').trim();
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (isRecord(value)) return value;
  } catch {
    // answered below
  }
  throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object.');
}

function startRun(request: RouteRequest, org: OrgState): RouteReply {
  const name = parseBody(request).aiEvaluationDefinitionName;
  if (typeof name !== 'string' || !name.trim()) {
    throw new SalesforceApiError(400, 'INVALID_INPUT', 'aiEvaluationDefinitionName is required.');
  }
  const test = declaredAgentTest(org.declared, name.trim());
  if (!test) throw notFound(`No AiEvaluationDefinition named ${name.trim()} in this org.`);
  const run: AgentTestRun = {
    runId: newRunId(org),
    definition: name.trim(),
    test,
    startTime: org.now().toISOString(),
    pendingPolls: test.pendingPolls,
    status: 'NEW',
  };
  if (run.pendingPolls === 0) finish(org, run);
  runsOf(org)[run.runId] = run;
  return json(200, { runId: run.runId, status: run.status });
}

function finish(org: OrgState, run: AgentTestRun): void {
  run.status = 'COMPLETED';
  run.endTime = org.now().toISOString();
}

function status(org: OrgState, run: AgentTestRun): RouteReply {
  if (run.status === 'NEW' || run.status === 'IN_PROGRESS') {
    if (run.pendingPolls > 0) {
      run.pendingPolls -= 1;
      run.status = 'IN_PROGRESS';
    } else finish(org, run);
  }
  return json(200, { status: run.status, ...timing(run) });
}

/** What an undeclared agent test case (or expectation) says instead of an outcome. */
export const AGENT_NOT_RUN_MESSAGE =
  "Not run: the sfmcp local org (a test double) cannot run agents. Declare this test case's outcome in the seed (declared.agentTests) to simulate it.";

/** The error code of an expectation that was not scored because nothing was declared for it. */
const NOT_RUN_CODE = 'NOT_RUN';

/** True when the case declares something the agent did: an actual value or an error. */
function declaresAnything(testCase: DeclaredAgentTestCase): boolean {
  return (
    testCase.error !== undefined ||
    testCase.actualTopic !== undefined ||
    testCase.actualActions !== undefined ||
    testCase.actualOutcome !== undefined
  );
}

/** True when the case did not run: nothing declared, or an expectation it names has no declared actual value. */
function notRun(testCase: DeclaredAgentTestCase): boolean {
  if (testCase.error !== undefined) return false;
  if (!declaresAnything(testCase)) return true;
  return (
    (testCase.expectedTopic !== undefined && testCase.actualTopic === undefined) ||
    (testCase.expectedActions !== undefined && testCase.actualActions === undefined) ||
    (testCase.expectedOutcome !== undefined && testCase.actualOutcome === undefined)
  );
}

function timing(run: AgentTestRun): Record<string, string> {
  return { startTime: run.startTime, ...(run.endTime ? { endTime: run.endTime } : {}) };
}

/**
 * One expectation of a case. `actual` is the declared value (undefined: nothing declared, so it is not
 * scored); `error` is the case's declared error, which fails every expectation.
 */
function expectation(
  run: AgentTestRun,
  name: string,
  expected: string,
  actual: string | undefined,
  error: string | undefined,
): Record<string, unknown> {
  const base = {
    name,
    actualValue: actual ?? '',
    expectedValue: expected,
    metricLabel: 'Accuracy',
    ...timing(run),
  };
  if (error !== undefined) {
    return {
      ...base,
      score: 0,
      result: 'FAILURE',
      metricExplainability: error,
      status: 'ERROR',
      errorCode: 'AGENT_ERROR',
      errorMessage: error,
    };
  }
  if (actual === undefined) {
    // Nothing declared: not scored, never passed. In a finished run that is an error (it did not run).
    const finished = run.status === 'COMPLETED';
    return {
      ...base,
      score: 0,
      result: null,
      metricExplainability: AGENT_NOT_RUN_MESSAGE,
      status: finished ? 'ERROR' : run.status,
      ...(finished ? { errorCode: NOT_RUN_CODE, errorMessage: AGENT_NOT_RUN_MESSAGE } : {}),
    };
  }
  const passed = expected === actual;
  return {
    ...base,
    score: passed ? 1 : 0,
    result: run.status === 'COMPLETED' ? (passed ? 'PASS' : 'FAILURE') : null,
    metricExplainability: passed
      ? 'The actual value matches the expected value.'
      : 'The actual value does not match the expected value (declared in the local org seed).',
    status: run.status,
  };
}

function caseResult(
  run: AgentTestRun,
  testCase: DeclaredAgentTestCase,
  index: number,
): Record<string, unknown> {
  const status: TestStatus =
    testCase.error || (run.status === 'COMPLETED' && notRun(testCase)) ? 'ERROR' : run.status;
  // The agent's answer is only what the seed declares: nothing is taken from the expectations.
  const actualActions = testCase.actualActions ?? [];
  const testResults: Record<string, unknown>[] = [];
  if (testCase.expectedTopic !== undefined) {
    testResults.push(
      expectation(run, 'topic_assertion', testCase.expectedTopic, testCase.actualTopic, testCase.error),
    );
  }
  if (testCase.expectedActions !== undefined) {
    const actual = testCase.actualActions === undefined ? undefined : JSON.stringify(testCase.actualActions);
    testResults.push(
      expectation(run, 'actions_assertion', JSON.stringify(testCase.expectedActions), actual, testCase.error),
    );
  }
  if (testCase.expectedOutcome !== undefined) {
    testResults.push(
      expectation(run, 'output_validation', testCase.expectedOutcome, testCase.actualOutcome, testCase.error),
    );
  }
  return {
    status,
    ...timing(run),
    inputs: { utterance: testCase.utterance },
    generatedData: {
      actionsSequence: actualActions,
      invokedActions: JSON.stringify(actualActions.map((action) => [{ function: { name: action } }])),
      sessionId: `${run.runId}-${index + 1}`,
      outcome: testCase.actualOutcome ?? '',
      topic: testCase.actualTopic ?? '',
    },
    testResults,
    testNumber: index + 1,
  };
}

/** The run's errorMessage when some of its test cases were not run (nothing declared for them). */
function notRunMessage(run: AgentTestRun): string | undefined {
  if (run.status !== 'COMPLETED') return undefined;
  const numbers = run.test.testCases.flatMap((testCase, index) => (notRun(testCase) ? [index + 1] : []));
  if (!numbers.length) return undefined;
  return (
    `Not run: test case${numbers.length === 1 ? '' : 's'} ${numbers.join(', ')}. The sfmcp local org (a test double) cannot run agents; ` +
    "declare these test cases' outcomes in the seed (declared.agentTests) to simulate them."
  );
}

function results(run: AgentTestRun): RouteReply {
  const done = run.status === 'COMPLETED' || run.status === 'TERMINATED';
  const errorMessage = notRunMessage(run);
  return json(200, {
    status: run.status,
    ...timing(run),
    ...(errorMessage ? { errorMessage } : {}),
    subjectName: run.test.subjectName,
    testCases: done ? run.test.testCases.map((testCase, index) => caseResult(run, testCase, index)) : [],
  });
}

function cancel(org: OrgState, run: AgentTestRun): RouteReply {
  if (run.status === 'NEW' || run.status === 'IN_PROGRESS') {
    run.status = 'TERMINATED';
    run.endTime = org.now().toISOString();
  }
  return json(200, { success: true });
}

/** Handles `/services/data/vXX.X/einstein/ai-evaluations/...`; `segments` is the path after the version. */
export function handleAgents(request: RouteRequest, org: OrgState, segments: string[]): RouteReply {
  const [einstein, evaluations, runs, runId, action, ...extra] = segments;
  if (einstein !== 'einstein' || evaluations !== 'ai-evaluations' || runs !== 'runs' || extra.length > 0)
    throw notFound();
  if (!runId) {
    if (request.method !== 'POST')
      throw new SalesforceApiError(
        405,
        'METHOD_NOT_ALLOWED',
        `HTTP Method '${request.method}' not allowed. Allowed are POST`,
      );
    return startRun(request, org);
  }
  const run = findRun(org, decodeURIComponent(runId));
  if (!action && request.method === 'GET') return status(org, run);
  if (action === 'results' && request.method === 'GET') return results(run);
  if (action === 'cancel' && request.method === 'POST') return cancel(org, run);
  throw notFound();
}
