// Agent test runs over the wire calls @salesforce/agents' AgentTester makes (through jsforce's request, as it does).
import type { Connection } from '@salesforce/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo } from './fixtures/clients.js';

let org: LocalOrg;
let connection: Connection;

interface Results {
  status: string;
  errorMessage?: string;
  subjectName: string;
  testCases: Array<{
    status: string;
    inputs: { utterance: string };
    generatedData: { topic: string; actionsSequence: string[]; outcome: string };
    testResults: Array<{
      name: string;
      result: string | null;
      status: string;
      expectedValue: string;
      actualValue: string;
      errorCode?: string;
      errorMessage?: string;
    }>;
    testNumber: number;
  }>;
}

const NOT_RUN =
  "Not run: the sfmcp local org (a test double) cannot run agents. Declare this test case's outcome in the seed (declared.agentTests) to simulate it.";

beforeAll(async () => {
  org = await startLocalOrg({
    seed: {
      declared: {
        agentTests: {
          Resort_Manager_Test: {
            subjectName: 'Resort_Manager',
            testCases: [
              {
                utterance: 'Book a massage',
                expectedTopic: 'Reservations',
                actualTopic: 'Reservations',
                expectedActions: ['BookSpaService'],
                actualActions: ['BookSpaService'],
                expectedOutcome: 'Booked.',
                actualOutcome: 'Booked.',
              },
              { utterance: 'Cancel my stay', expectedTopic: 'Cancellations', actualTopic: 'Reservations' },
            ],
          },
          Undeclared_Test: {
            subjectName: 'Resort_Manager',
            testCases: [
              {
                utterance: 'Book a massage',
                expectedTopic: 'Reservations',
                expectedActions: ['BookSpaService'],
              },
              {
                utterance: 'Book a room',
                expectedTopic: 'Reservations',
                actualTopic: 'Reservations',
                expectedOutcome: 'Booked.',
              },
              { utterance: 'Hello' },
              { utterance: 'Crash', expectedTopic: 'Reservations', error: 'The agent timed out.' },
            ],
          },
          Slow_Test: { pendingPolls: 2 },
        },
      },
    },
  });
  connection = await connectTo(org);
});

afterAll(async () => {
  await org?.stop();
});

const start = (name: string) =>
  connection.request<{ runId: string; status: string }>({
    method: 'POST',
    url: '/einstein/ai-evaluations/runs',
    body: JSON.stringify({ aiEvaluationDefinitionName: name }),
  });

describe('einstein/ai-evaluations runs (what AgentTester calls)', () => {
  it('starts a declared test, reports it completed, with passing and declared failing cases', async () => {
    const started = await start('Resort_Manager_Test');
    expect(started.runId).toMatch(/^4KB[a-zA-Z0-9]{15}$/);
    expect(started.status).toBe('COMPLETED');
    const status = await connection.requestGet<{ status: string; startTime: string }>(
      `/einstein/ai-evaluations/runs/${started.runId}`,
    );
    expect(status.status).toBe('COMPLETED');
    const results = await connection.requestGet<Results>(
      `/einstein/ai-evaluations/runs/${started.runId}/results`,
    );
    expect(results).toMatchObject({ status: 'COMPLETED', subjectName: 'Resort_Manager' });
    expect(results).not.toHaveProperty('errorMessage');
    expect(results.testCases).toHaveLength(2);
    expect(results.testCases.map((testCase) => testCase.status)).toEqual(['COMPLETED', 'COMPLETED']);
    const [first, second] = results.testCases;
    expect(first?.testResults.map((result) => [result.name, result.result])).toEqual([
      ['topic_assertion', 'PASS'],
      ['actions_assertion', 'PASS'],
      ['output_validation', 'PASS'],
    ]);
    expect(first?.generatedData).toMatchObject({
      topic: 'Reservations',
      actionsSequence: ['BookSpaService'],
    });
    expect(second?.testResults).toEqual([
      expect.objectContaining({
        name: 'topic_assertion',
        result: 'FAILURE',
        expectedValue: 'Cancellations',
        actualValue: 'Reservations',
      }),
    ]);
  });

  it('reports a test case with no declared outcome as not run (ERROR, unscored), never as passed', async () => {
    const started = await start('Undeclared_Test');
    const results = await connection.requestGet<Results>(
      `/einstein/ai-evaluations/runs/${started.runId}/results`,
    );
    expect(results.status).toBe('COMPLETED');
    expect(results.errorMessage).toBe(
      "Not run: test cases 1, 2, 3. The sfmcp local org (a test double) cannot run agents; declare these test cases' outcomes in the seed (declared.agentTests) to simulate them.",
    );
    const [undeclared, partial, empty, crashed] = results.testCases;
    // Nothing declared: the agent's answer is not made up from the expectations.
    expect(undeclared).toMatchObject({
      status: 'ERROR',
      generatedData: { topic: '', actionsSequence: [], outcome: '' },
    });
    expect(undeclared?.testResults).toEqual([
      expect.objectContaining({
        name: 'topic_assertion',
        result: null,
        status: 'ERROR',
        actualValue: '',
        errorCode: 'NOT_RUN',
        errorMessage: NOT_RUN,
      }),
      expect.objectContaining({
        name: 'actions_assertion',
        result: null,
        status: 'ERROR',
        errorCode: 'NOT_RUN',
        errorMessage: NOT_RUN,
      }),
    ]);
    // Partly declared: what is declared is scored, the rest is not run, and the case did not complete.
    expect(partial?.status).toBe('ERROR');
    expect(partial?.testResults.map((result) => [result.name, result.result, result.errorCode])).toEqual([
      ['topic_assertion', 'PASS', undefined],
      ['output_validation', null, 'NOT_RUN'],
    ]);
    expect(empty).toMatchObject({ status: 'ERROR', testResults: [] });
    expect(crashed?.status).toBe('ERROR');
    expect(crashed?.testResults).toEqual([
      expect.objectContaining({
        result: 'FAILURE',
        errorCode: 'AGENT_ERROR',
        errorMessage: 'The agent timed out.',
      }),
    ]);
    // As AgentTester counts them (passing: completed with every expectation passed; failing: some FAILURE).
    const passing = results.testCases.filter(
      (testCase) =>
        testCase.status === 'COMPLETED' && testCase.testResults.every((result) => result.result === 'PASS'),
    );
    const failing = results.testCases.filter((testCase) =>
      testCase.testResults.some((result) => result.result === 'FAILURE'),
    );
    expect([passing.length, failing.length]).toEqual([0, 1]);
  });

  it('keeps a run in progress for its declared polls, and cancels one', async () => {
    const started = await start('Slow_Test');
    expect(started.status).toBe('NEW');
    const statuses: string[] = [];
    for (let poll = 0; poll < 3; poll++) {
      statuses.push(
        (await connection.requestGet<{ status: string }>(`/einstein/ai-evaluations/runs/${started.runId}`))
          .status,
      );
    }
    expect(statuses).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED']);
    const results = await connection.requestGet<Results>(
      `/einstein/ai-evaluations/runs/${started.runId}/results`,
    );
    expect(results.testCases).toHaveLength(1);
    // A test without declared test cases has one, with nothing declared: not run.
    expect(results.testCases[0]).toMatchObject({ status: 'ERROR', testResults: [] });
    expect(results.errorMessage).toContain('Not run: test case 1.');

    const another = await start('slow_test');
    const cancelled = await connection.request<{ success: boolean }>({
      method: 'POST',
      url: `/einstein/ai-evaluations/runs/${another.runId}/cancel`,
      body: '{}',
    });
    expect(cancelled).toEqual({ success: true });
    expect(
      (await connection.requestGet<{ status: string }>(`/einstein/ai-evaluations/runs/${another.runId}`))
        .status,
    ).toBe('TERMINATED');
  });

  it('refuses an unknown test and an unknown run id', async () => {
    await expect(start('Nope')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(
      connection.requestGet('/einstein/ai-evaluations/runs/4KB000000000000AAA'),
    ).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(
      connection.request({ method: 'POST', url: '/einstein/ai-evaluations/runs', body: '{}' }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_INPUT' });
  });
});
