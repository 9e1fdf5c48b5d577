// What the local org cannot do it does not pretend to: tests and anonymous Apex the seed declares nothing
// for are reported as not run, through the real clients (apex-node's TestService and ExecuteService, jsforce).
import { ExecuteService, TestService, type TestResult } from '@salesforce/apex-node';
import type { Connection } from '@salesforce/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { handleApexSoap } from '../src/tooling/index.js';
import { INVOICE_SERVICE as SERVICE, INVOICE_SERVICE_TEST as SERVICE_TEST } from './fixtures/apex.js';
import { connectTo, pollEvery } from './fixtures/clients.js';

describe('what the seed does not declare is not run, never passed', () => {
  const LEDGER_TEST = [
    '@IsTest',
    'private class LedgerTest {',
    '    @IsTest',
    '    static void balances() {',
    '        System.assert(true);',
    '    }',
    '}',
  ].join('\n');
  const NOT_RUN =
    "Not run: the sfmcp local org (a test double) cannot run Apex. Declare this test's outcome in the seed (declared.apexTests) to simulate it.";
  let bare: LocalOrg;
  let bareConnection: Connection;
  let service: TestService;

  beforeAll(async () => {
    bare = await startLocalOrg({
      seed: {
        declared: {
          apexTests: {
            // sumsAmounts is declared; ignoresBlankAmounts names no valid outcome; LedgerTest declares nothing.
            results: {
              'InvoiceServiceTest.sumsAmounts': { outcome: 'Pass' },
              'InvoiceServiceTest.ignoresBlankAmounts': { outcome: 'Passed' },
            },
            // No coveredBy: this coverage counts for every test method that ran.
            coverage: { InvoiceService: { covered: [3, 4, 5, 7], uncovered: [6] } },
          },
        },
      },
    });
    bareConnection = await connectTo(bare);
    for (const body of [SERVICE, SERVICE_TEST, LEDGER_TEST])
      await bareConnection.tooling.create('ApexClass', { Body: body });
    service = new TestService(bareConnection);
  });

  afterAll(async () => {
    await bare?.stop();
  });

  /** Runs the named test classes asynchronously, as `sf apex run test --class-names` does, and waits for the result. */
  async function runSpecified(classNames: string): Promise<TestResult> {
    const payload = await service.buildAsyncPayload('RunSpecifiedTests' as never, undefined, classNames);
    return (await service.runTestAsynchronous(
      payload,
      true,
      false,
      undefined,
      undefined,
      undefined,
      pollEvery(20),
    )) as TestResult;
  }

  it('reports an undeclared test as Skip with why, earning no coverage, and keeps the org-wide coverage it reported', async () => {
    const result = await runSpecified('LedgerTest');
    expect(result.summary).toMatchObject({
      outcome: 'Skipped',
      testsRan: 1,
      passing: 0,
      failing: 0,
      skipped: 1,
      orgWideCoverage: '0%',
    });
    expect(result.tests).toEqual([
      expect.objectContaining({ methodName: 'balances', outcome: 'Skip', message: NOT_RUN }),
    ]);
    expect(result.tests[0]?.perClassCoverage).toBeUndefined();
    expect(result.codecoverage).toEqual([]);
    const runId = result.summary.testRunId;
    const [run] = (
      await bareConnection.tooling.query<Record<string, unknown>>(
        `SELECT Status, MethodsEnqueued, MethodsCompleted, MethodsFailed FROM ApexTestRunResult WHERE AsyncApexJobId = '${runId}'`,
      )
    ).records;
    expect(run).toMatchObject({
      Status: 'Completed',
      MethodsEnqueued: 1,
      MethodsCompleted: 0,
      MethodsFailed: 0,
    });
    const [item] = (
      await bareConnection.tooling.query<Record<string, unknown>>(
        `SELECT Status, ExtendedStatus FROM ApexTestQueueItem WHERE ParentJobId = '${runId}'`,
      )
    ).records;
    expect(item).toMatchObject({ Status: 'Completed', ExtendedStatus: '(0/1)' });
    expect((await bareConnection.tooling.query('SELECT Id FROM ApexCodeCoverage')).totalSize).toBe(0);
    // The run reported org-wide 0%; the org keeps that figure rather than having none.
    const orgWide = await bareConnection.tooling.query<{ PercentCovered: number }>(
      'SELECT PercentCovered FROM ApexOrgWideCoverage',
    );
    expect(orgWide.records.map((record) => record.PercentCovered)).toEqual([0]);
    expect((await bareConnection.tooling.query('SELECT Id FROM ApexCodeCoverageAggregate')).totalSize).toBe(
      0,
    );
  });

  it('counts only declared outcomes, and attributes coverage only to tests that ran', async () => {
    const result = await runSpecified('InvoiceServiceTest');
    expect(result.summary).toMatchObject({
      testsRan: 2,
      passing: 1,
      failing: 0,
      skipped: 1,
      orgWideCoverage: '80%',
      testRunCoverage: '80%',
    });
    const skipped = result.tests.find((test) => test.methodName === 'ignoresBlankAmounts');
    expect(skipped).toMatchObject({ outcome: 'Skip' });
    expect(skipped?.message).toBe(
      `${NOT_RUN} (Its declared outcome "Passed" is not one of Pass, Fail, CompileFail, Skip.)`,
    );
    expect(skipped?.perClassCoverage).toBeUndefined();
    expect(result.tests.find((test) => test.methodName === 'sumsAmounts')?.perClassCoverage).toEqual([
      expect.objectContaining({ apexClassOrTriggerName: 'InvoiceService' }),
    ]);
    const perMethod = await bareConnection.tooling.query<{ TestMethodName: string }>(
      'SELECT TestMethodName FROM ApexCodeCoverage',
    );
    expect(perMethod.records.map((record) => record.TestMethodName)).toEqual(['sumsAmounts']);
    const orgWide = await bareConnection.tooling.query<{ PercentCovered: number }>(
      'SELECT PercentCovered FROM ApexOrgWideCoverage',
    );
    expect(orgWide.records.map((record) => record.PercentCovered)).toEqual([80]);
  });

  it('answers runTestsSynchronous with a not-run test among failures (its only non-passing list) and a warning, never a success', async () => {
    const result = (await service.runTestSynchronous(
      { tests: [{ className: 'LedgerTest' }], testLevel: 'RunSpecifiedTests' as never },
      true,
    )) as TestResult;
    expect(result.summary).toMatchObject({ outcome: 'Failed', passing: 0, failing: 1 });
    expect(result.tests).toEqual([expect.objectContaining({ methodName: 'balances', message: NOT_RUN })]);
    const raw = await bareConnection.tooling.request<Record<string, unknown>>({
      method: 'POST',
      url: `${bareConnection.tooling._baseUrl()}/runTestsSynchronous`,
      body: JSON.stringify({ tests: [{ className: 'LedgerTest' }], testLevel: 'RunSpecifiedTests' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(raw).toMatchObject({ successes: [], numFailures: 1, numTestsRun: 1, codeCoverage: [] });
    expect(raw.codeCoverageWarnings).toEqual([
      expect.objectContaining({
        name: 'LedgerTest',
        message: expect.stringMatching(
          /^Not run: LedgerTest\.balances\. The sfmcp local org \(a test double\) cannot run Apex;/,
        ),
      }),
    ]);
  });

  it('answers an undeclared anonymous block as compiled but not executed, with no log; syntax errors still come from the parser', async () => {
    const code = "System.debug('x'); Integer i = 1/0;";
    const NOT_EXECUTED =
      "Not executed: the sfmcp local org (a test double) cannot run Apex. Declare this block's outcome in the seed (declared.anonymousApex) to simulate it.";
    const rest = await bareConnection.tooling.executeAnonymous(code);
    expect(rest).toMatchObject({
      compiled: true,
      success: false,
      line: -1,
      column: -1,
      compileProblem: null,
      exceptionMessage: NOT_EXECUTED,
      exceptionStackTrace: null,
    });
    const viaCli = await new ExecuteService(bareConnection).executeAnonymous({ apexCode: code });
    expect(viaCli).toMatchObject({ compiled: true, success: false });
    expect(viaCli.logs).toBeUndefined();
    expect(viaCli.diagnostic?.[0]).toMatchObject({ exceptionMessage: NOT_EXECUTED });
    const soap = String(
      (
        await handleApexSoap(
          {
            method: 'POST',
            path: '/services/Soap/s/62.0',
            query: new URLSearchParams(),
            headers: { 'content-type': 'text/xml' },
            body: Buffer.from(
              `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><executeAnonymous xmlns="http://soap.sforce.com/2006/08/apex"><apexcode>${code}</apexcode></executeAnonymous></env:Body></env:Envelope>`,
            ),
          },
          bare.state,
        )
      ).body,
    );
    expect(soap).toContain('<compiled>true</compiled>');
    expect(soap).toContain('<success>false</success>');
    expect(soap).not.toContain('DebuggingInfo');
    expect((await bareConnection.tooling.query('SELECT Id FROM ApexLog')).totalSize).toBe(0);
    const broken = await bareConnection.tooling.executeAnonymous('Integer x = ;');
    expect(broken).toMatchObject({
      compiled: false,
      success: false,
      compileProblem: "Unexpected token ';'.",
    });
  });
});
