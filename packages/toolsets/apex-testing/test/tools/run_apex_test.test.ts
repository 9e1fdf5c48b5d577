import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testItems } from '../../src/tools/run_apex_test.js';
import { FAILURE, createApexClasses, startApexServer, stateRecords } from '../helpers.js';

let server: LocalOrgTestServer;
const auditLog = join(mkdtempSync(join(tmpdir(), 'sfmcp-apex-audit-')), 'audit.jsonl');

function auditEntries(): Array<{ tool: string; outcome: string; message?: string }> {
  if (!existsSync(auditLog)) return [];
  return readFileSync(auditLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { tool: string; outcome: string; message?: string });
}

beforeAll(async () => {
  server = await startApexServer({ args: ['--audit-log', auditLog] });
});

afterAll(async () => {
  await server?.close();
});

describe('run_apex_test', () => {
  it('runs a test class asynchronously and reports the declared failure, its stack trace and coverage', async () => {
    const progress: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = (await server.client.callTool(
      { name: 'run_apex_test', arguments: { classNames: ['InvoiceServiceTest'], codeCoverage: true } },
      undefined,
      { onprogress: (value) => progress.push(value) },
    )) as { isError?: boolean; content: Array<{ text: string }>; structuredContent: Record<string, unknown> };
    expect(result.isError).toBeFalsy();
    const text = result.content[0]?.text ?? '';
    expect(text).toMatch(/^Org: local-test/);
    expect(text).toContain('Failed. 2 ran, 1 passed, 1 failed, 0 skipped');
    expect(text).toContain(
      `InvoiceServiceTest.ignoresBlankAmounts | Fail | ${FAILURE.message} | ${FAILURE.stackTrace}`,
    );
    expect(text).toContain('InvoiceService | 80% | 4/5 | 6');
    expect(result.structuredContent).toMatchObject({
      status: 'Completed',
      finished: true,
      outcome: 'Failed',
      summary: { testsRan: 2, passing: 1, failing: 1, skipped: 0, testRunCoverage: '80%' },
      failures: [
        {
          name: 'InvoiceServiceTest.ignoresBlankAmounts',
          message: FAILURE.message,
          stackTrace: FAILURE.stackTrace,
        },
      ],
      coverage: [
        {
          name: 'InvoiceService',
          percentage: '80%',
          linesCovered: 4,
          linesUncovered: 1,
          uncoveredLines: [6],
        },
      ],
    });
    expect(String(result.structuredContent.testRunId)).toMatch(/^707/);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ progress: 2, total: 2 });
  });

  it('starts a run with async and resumes it by id, through run_apex_test and resume_tool_operation', async () => {
    const started = await server.call('run_apex_test', {
      methodNames: ['InvoiceServiceTest.sumsAmounts'],
      async: true,
    });
    expect(started.isError).toBeFalsy();
    const runId = String((started.structuredContent as { testRunId: string }).testRunId);
    expect(runId).toMatch(/^707/);
    expect(started.text).toContain(`resume_tool_operation (jobId: "${runId}")`);
    expect(started.structuredContent).toMatchObject({ failures: [] });

    const byTool = await server.call('run_apex_test', { testRunId: runId, verbose: true });
    expect(byTool.text).toContain(`Apex test run ${runId}: Passed. 1 ran, 1 passed, 0 failed`);
    expect(byTool.text).toContain('InvoiceServiceTest.sumsAmounts | Pass |');
    expect(byTool.structuredContent).toMatchObject({
      tests: [{ name: 'InvoiceServiceTest.sumsAmounts', outcome: 'Pass' }],
    });

    const resumed = await server.call('resume_tool_operation', { jobId: runId, wait: 1 });
    expect(resumed.isError).toBeFalsy();
    expect(resumed.text).toContain(`Apex test run ${runId}: Passed.`);
  });

  it('returns the run id when the run is still going after the wait', async () => {
    const started = await server.call('run_apex_test', { classNames: ['InvoiceServiceTest'], async: true });
    const runId = String((started.structuredContent as { testRunId: string }).testRunId);
    const [runResult] = stateRecords(server, 'ApexTestRunResult').filter(
      (record) => record.AsyncApexJobId === runId,
    );
    server.org.state.records.update('ApexTestRunResult', String(runResult?.Id), {
      Status: 'Processing',
      MethodsCompleted: 1,
    });
    const pending = await server.call('run_apex_test', { testRunId: runId, wait: 0 });
    expect(pending.isError).toBeFalsy();
    expect(pending.text).toContain(`Apex test run ${runId} is Processing (1 of 2 test methods done)`);
    expect(pending.structuredContent).toMatchObject({
      testRunId: runId,
      status: 'Processing',
      finished: false,
    });
    server.org.state.records.update('ApexTestRunResult', String(runResult?.Id), {
      Status: 'Completed',
      MethodsCompleted: 2,
    });
  });

  it('stops waiting when the client cancels, leaving a run it did not start alone', async () => {
    const started = await server.call('run_apex_test', { classNames: ['InvoiceServiceTest'], async: true });
    const runId = String((started.structuredContent as { testRunId: string }).testRunId);
    const [runResult] = stateRecords(server, 'ApexTestRunResult').filter(
      (record) => record.AsyncApexJobId === runId,
    );
    server.org.state.records.update('ApexTestRunResult', String(runResult?.Id), {
      Status: 'Processing',
      MethodsCompleted: 0,
      ClassesCompleted: 0,
    });
    const controller = new AbortController();
    const messages: string[] = [];
    const call = server.client.callTool(
      { name: 'run_apex_test', arguments: { testRunId: runId, wait: 5 } },
      undefined,
      {
        signal: controller.signal,
        onprogress: (progress) => {
          messages.push(String(progress.message));
          controller.abort();
        },
      },
    );
    await expect(call).rejects.toThrow();
    expect(messages[0]).toBe('Processing: 0 of 1 test classes done');
    await vi.waitFor(
      () =>
        expect(auditEntries()).toContainEqual(
          expect.objectContaining({
            tool: 'run_apex_test',
            outcome: 'error',
            message: 'Cancelled by the client.',
          }),
        ),
      { timeout: 10_000, interval: 50 },
    );
    expect(
      stateRecords(server, 'ApexTestRunResult').find((record) => record.Id === runResult?.Id)?.Status,
    ).toBe('Processing');
    server.org.state.records.update('ApexTestRunResult', String(runResult?.Id), {
      Status: 'Completed',
      MethodsCompleted: 2,
    });
  });

  it('refuses named tests with another test level, an unknown class and a bad run id, changing nothing', async () => {
    const runsBefore = stateRecords(server, 'ApexTestRunResult').length;
    const mixed = await server.call('run_apex_test', {
      testLevel: 'RunLocalTests',
      classNames: ['InvoiceServiceTest'],
    });
    expect(mixed.isError).toBe(true);
    expect(mixed.text).toContain('go with testLevel RunSpecifiedTests');
    const unknown = await server.call('run_apex_test', { classNames: ['NoSuchTest'] });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('NoSuchTest');
    const badId = await server.call('run_apex_test', { testRunId: '001000000000001AAA' });
    expect(badId.isError).toBe(true);
    expect(badId.text).toContain('is not an Apex test run id');
    const missing = await server.call('run_apex_test', { testRunId: '707000000000000AAA' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('No Apex test run with id 707000000000000AAA');
    expect(stateRecords(server, 'ApexTestRunResult')).toHaveLength(runsBefore);
  });

  it('reports tests whose outcome the local org does not declare as skipped (not run), never as passed', async () => {
    await createApexClasses(server, [
      [
        '@IsTest',
        'private class LedgerTest {',
        '    @IsTest',
        '    static void balances() {',
        '        System.assert(true);',
        '    }',
        '}',
      ].join('\n'),
    ]);
    const notRun =
      "Not run: the sfmcp local org (a test double) cannot run Apex. Declare this test's outcome in the seed (declared.apexTests) to simulate it.";
    const alone = await server.call('run_apex_test', {
      classNames: ['LedgerTest'],
      verbose: true,
      codeCoverage: true,
    });
    expect(alone.isError).toBeFalsy();
    expect(alone.text).toContain(': Skipped. 0 ran, 0 passed, 0 failed, 1 skipped');
    expect(alone.text).toContain(`1 test did not run. ${notRun}`);
    expect(alone.text).toContain('LedgerTest.balances | Skip |');
    expect(alone.text).not.toMatch(/Passed/);
    expect(alone.structuredContent).toMatchObject({
      outcome: 'Skipped',
      summary: { passing: 0, failing: 0, skipped: 1 },
      tests: [{ name: 'LedgerTest.balances', outcome: 'Skip' }],
    });
    const mixed = await server.call('run_apex_test', {
      methodNames: ['InvoiceServiceTest.sumsAmounts', 'LedgerTest.balances'],
    });
    expect(mixed.text).toContain(': Not all tests ran. 1 ran, 1 passed, 0 failed, 1 skipped');
    expect(mixed.structuredContent).toMatchObject({ summary: { passing: 1, failing: 0, skipped: 1 } });
  });

  it('groups classes and Class.method names into one test list', () => {
    expect(testItems(['A', 'B'], ['A.one', 'A.two', 'C.three'])).toEqual([
      { className: 'A', testMethods: ['one', 'two'] },
      { className: 'C', testMethods: ['three'] },
      { className: 'B' },
    ]);
    expect(testItems(['Only'], ['bare'])).toEqual([{ className: 'Only', testMethods: ['bare'] }]);
    expect(() => testItems([], ['bare'])).toThrow('needs its class');
  });
});

describe('run_apex_test on an org without test classes', () => {
  it('says that no test ran, as a readable error (found by the hostile-input run)', async () => {
    const { createLocalOrgTestServer } = await import('@sfmcp/testkit');
    const plugin = (await import('../../src/index.js')).default;
    const empty = await createLocalOrgTestServer({ plugins: [plugin] });
    try {
      const result = await empty.call('run_apex_test', { testLevel: 'RunAllTestsInOrg' });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^Apex test run 707\w+ ran no tests: the org has no test classes/);
      expect(result.text).not.toContain('run_apex_test failed');
    } finally {
      await empty.close();
    }
  });
});
