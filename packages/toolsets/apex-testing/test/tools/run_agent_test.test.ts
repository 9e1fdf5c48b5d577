import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApexServer } from '../helpers.js';

let server: LocalOrgTestServer;

const NOT_RUN =
  "Not run: the sfmcp local org (a test double) cannot run agents. Declare this test case's outcome in the seed (declared.agentTests) to simulate it.";

beforeAll(async () => {
  server = await startApexServer();
  // The local org cannot run an agent: a test case passes only when the seed declares what the agent
  // answered. The shared seed's Resort_Manager_Test leaves its first case undeclared (see the not-run test).
  const agentTests = server.org.state.declared.agentTests as Record<string, unknown>;
  agentTests.Declared_Resort_Manager_Test = {
    subjectName: 'Resort_Manager',
    testCases: [
      {
        utterance: 'Book a massage for tomorrow',
        expectedTopic: 'Reservations',
        actualTopic: 'Reservations',
        expectedActions: ['BookSpaService'],
        actualActions: ['BookSpaService'],
        expectedOutcome: 'The massage is booked.',
        actualOutcome: 'The massage is booked.',
      },
      { utterance: 'Cancel my stay', expectedTopic: 'Cancellations', actualTopic: 'Reservations' },
    ],
  };
  agentTests.Slow_Agent_Test = {
    subjectName: 'Resort_Manager',
    pendingPolls: 1,
    testCases: [{ utterance: 'Hello', expectedTopic: 'Greeting', actualTopic: 'Greeting' }],
  };
});

afterAll(async () => {
  await server?.close();
});

describe('run_agent_test', () => {
  it('runs an agent test through AgentTester and reports each test case', async () => {
    const result = await server.call('run_agent_test', { agentApiName: 'Declared_Resort_Manager_Test' });
    expect(result.isError).toBeFalsy();
    expect(result.text).toMatch(/^Org: local-test/);
    expect(result.text).toContain('(Resort_Manager): COMPLETED. 2 test cases: 1 passed, 1 failed.');
    expect(result.text).toContain('1 | Book a massage for tomorrow | PASS | Reservations | BookSpaService |');
    expect(result.text).toContain(
      '2 | Cancel my stay | FAIL | Reservations |  | topic: expected Cancellations, got Reservations',
    );
    expect(result.structuredContent).toMatchObject({
      status: 'COMPLETED',
      finished: true,
      subjectName: 'Resort_Manager',
      total: 2,
      passed: 1,
      failed: 1,
      testCases: [
        { testNumber: 1, passed: true, topic: 'Reservations', actions: ['BookSpaService'], failures: [] },
        {
          testNumber: 2,
          passed: false,
          failures: [{ name: 'topic', expected: 'Cancellations', actual: 'Reservations' }],
        },
      ],
    });
    expect(String((result.structuredContent as { runId: string }).runId)).toMatch(/^4KB/);
  });

  it('reports a test case whose outcome is not declared as not run, never as passed', async () => {
    const result = await server.call('run_agent_test', { agentApiName: 'Resort_Manager_Test' });
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain(
      '(Resort_Manager): COMPLETED. 2 test cases: 0 passed, 1 failed, 1 not run. Not run: test case 1.',
    );
    expect(result.text).not.toMatch(/\| PASS \|/);
    expect(result.text).toContain(`1 | Book a massage for tomorrow | NOT RUN (ERROR) |  |  | ${NOT_RUN}`);
    expect(result.text).toContain(
      '2 | Cancel my stay | FAIL | Reservations |  | topic: expected Cancellations, got Reservations',
    );
    expect(result.structuredContent).toMatchObject({
      status: 'COMPLETED',
      total: 2,
      passed: 0,
      failed: 1,
      testCases: [
        { testNumber: 1, status: 'ERROR', passed: false, topic: '', actions: [], failures: [] },
        { testNumber: 2, status: 'COMPLETED', passed: false },
      ],
    });
  });

  it('returns the run id of a test still running, and resume_tool_operation picks it up', async () => {
    const started = await server.call('run_agent_test', { agentApiName: 'Slow_Agent_Test', async: true });
    expect(started.isError).toBeFalsy();
    const runId = String((started.structuredContent as { runId: string }).runId);
    expect(started.text).toContain(
      `Agent test run ${runId} is IN_PROGRESS. Resume it with resume_tool_operation (jobId: "${runId}").`,
    );
    expect(started.structuredContent).toMatchObject({ finished: false, testCases: [] });
    const resumed = await server.call('resume_tool_operation', { jobId: runId, wait: 1 });
    expect(resumed.isError).toBeFalsy();
    expect(resumed.text).toContain(
      `Agent test run ${runId} (Resort_Manager): COMPLETED. 1 test cases: 1 passed, 0 failed.`,
    );
  });

  it('cancels the run it started when the client cancels the call', async () => {
    const controller = new AbortController();
    const call = server.client.callTool(
      { name: 'run_agent_test', arguments: { agentApiName: 'Stuck_Agent_Test' } },
      undefined,
      {
        signal: controller.signal,
        onprogress: (progress) => {
          if (String(progress.message).endsWith('IN_PROGRESS')) controller.abort();
        },
      },
    );
    await expect(call).rejects.toThrow();
    const runs = () =>
      Object.values(
        (server.org.state.extensions.get('agents.testRuns') ?? {}) as Record<
          string,
          { definition: string; status: string }
        >,
      );
    await vi.waitFor(
      () => expect(runs().find((run) => run.definition === 'Stuck_Agent_Test')?.status).toBe('TERMINATED'),
      { timeout: 10_000, interval: 50 },
    );
  });

  it('keeps Salesforce’s error for an unknown agent test', async () => {
    const result = await server.call('run_agent_test', { agentApiName: 'No_Such_Test' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('NOT_FOUND: No AiEvaluationDefinition named No_Such_Test in this org.');
    expect(result.text).toContain('AiEvaluationDefinition API name');
  });
});
