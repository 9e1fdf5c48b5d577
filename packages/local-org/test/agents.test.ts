// Agent test runs over the wire calls @salesforce/agents' AgentTester makes (through jsforce's request, as it does).
import { AuthInfo, Connection } from '@salesforce/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';

let org: LocalOrg;
let connection: Connection;

interface Results {
  status: string;
  subjectName: string;
  testCases: Array<{
    status: string;
    inputs: { utterance: string };
    generatedData: { topic: string; actionsSequence: string[] };
    testResults: Array<{ name: string; result: string | null; expectedValue: string; actualValue: string }>;
    testNumber: number;
  }>;
}

beforeAll(async () => {
  org = await startLocalOrg({
    seed: {
      declared: {
        agentTests: {
          Resort_Manager_Test: {
            subjectName: 'Resort_Manager',
            testCases: [
              { utterance: 'Book a massage', expectedTopic: 'Reservations', expectedActions: ['BookSpaService'], expectedOutcome: 'Booked.' },
              { utterance: 'Cancel my stay', expectedTopic: 'Cancellations', actualTopic: 'Reservations' },
            ],
          },
          Slow_Test: { pendingPolls: 2 },
        },
      },
    },
  });
  const authInfo = await AuthInfo.create({
    username: org.username,
    accessTokenOptions: { accessToken: org.accessToken, instanceUrl: org.instanceUrl, loginUrl: org.loginUrl },
  });
  connection = await Connection.create({ authInfo, connectionOptions: { version: '62.0' } });
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
    const status = await connection.requestGet<{ status: string; startTime: string }>(`/einstein/ai-evaluations/runs/${started.runId}`);
    expect(status.status).toBe('COMPLETED');
    const results = await connection.requestGet<Results>(`/einstein/ai-evaluations/runs/${started.runId}/results`);
    expect(results).toMatchObject({ status: 'COMPLETED', subjectName: 'Resort_Manager' });
    expect(results.testCases).toHaveLength(2);
    const [first, second] = results.testCases;
    expect(first?.testResults.map((result) => [result.name, result.result])).toEqual([
      ['topic_assertion', 'PASS'],
      ['actions_assertion', 'PASS'],
      ['output_validation', 'PASS'],
    ]);
    expect(first?.generatedData).toMatchObject({ topic: 'Reservations', actionsSequence: ['BookSpaService'] });
    expect(second?.testResults).toEqual([
      expect.objectContaining({ name: 'topic_assertion', result: 'FAILURE', expectedValue: 'Cancellations', actualValue: 'Reservations' }),
    ]);
  });

  it('keeps a run in progress for its declared polls, and cancels one', async () => {
    const started = await start('Slow_Test');
    expect(started.status).toBe('NEW');
    const statuses: string[] = [];
    for (let poll = 0; poll < 3; poll++) {
      statuses.push((await connection.requestGet<{ status: string }>(`/einstein/ai-evaluations/runs/${started.runId}`)).status);
    }
    expect(statuses).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED']);
    const results = await connection.requestGet<Results>(`/einstein/ai-evaluations/runs/${started.runId}/results`);
    expect(results.testCases).toHaveLength(1);
    expect(results.testCases[0]?.testResults).toEqual([]);

    const another = await start('slow_test');
    const cancelled = await connection.request<{ success: boolean }>({ method: 'POST', url: `/einstein/ai-evaluations/runs/${another.runId}/cancel`, body: '{}' });
    expect(cancelled).toEqual({ success: true });
    expect((await connection.requestGet<{ status: string }>(`/einstein/ai-evaluations/runs/${another.runId}`)).status).toBe('TERMINATED');
  });

  it('refuses an unknown test and an unknown run id', async () => {
    await expect(start('Nope')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(connection.requestGet('/einstein/ai-evaluations/runs/4KB000000000000AAA')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(connection.request({ method: 'POST', url: '/einstein/ai-evaluations/runs', body: '{}' })).rejects.toMatchObject({ errorCode: 'INVALID_INPUT' });
  });
});
