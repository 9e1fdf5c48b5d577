// Through the real clients: @salesforce/apex-node's TestService and jsforce's Tooling API against startLocalOrg.
import { ExecuteService, LogService, TestService, type TestResult } from '@salesforce/apex-node';
import type { Connection } from '@salesforce/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { handleApexSoap, handleCometd } from '../src/tooling/index.js';
import { INVOICE_SERVICE as SERVICE, INVOICE_SERVICE_TEST as SERVICE_TEST } from './fixtures/apex.js';
import { connectTo, failure, pollEvery } from './fixtures/clients.js';

const FAILURE = {
  outcome: 'Fail',
  message: 'System.AssertException: Assertion Failed: Expected: 1, Actual: 0',
  stackTrace: 'Class.InvoiceServiceTest.ignoresBlankAmounts: line 9, column 1',
};

let org: LocalOrg;
let connection: Connection;
let testService: TestService;

beforeAll(async () => {
  org = await startLocalOrg({
    seed: {
      declared: {
        apexTests: {
          results: {
            'InvoiceServiceTest.sumsAmounts': { outcome: 'Pass' },
            'InvoiceServiceTest.ignoresBlankAmounts': FAILURE,
          },
          coverage: { InvoiceService: { covered: [3, 4, 5, 7], uncovered: [6] } },
        },
        anonymousApex: [
          {
            contains: 'delete',
            success: false,
            exceptionMessage: 'System.DmlException: Delete failed.',
            exceptionStackTrace: 'AnonymousBlock: line 1, column 1',
            log: '62.0 APEX_CODE,DEBUG\nExecute Anonymous: delete',
          },
          { contains: "System.debug('", success: true },
        ],
      },
    },
  });
  connection = await connectTo(org);
  for (const body of [SERVICE, SERVICE_TEST]) {
    const created = await connection.tooling.create('ApexClass', { Body: body });
    expect(created.success).toBe(true);
  }
  testService = new TestService(connection);
});

afterAll(async () => {
  await org?.stop();
});

function expectRunOutcome(result: TestResult): void {
  expect(result.summary).toMatchObject({
    outcome: 'Failed',
    testsRan: 2,
    passing: 1,
    failing: 1,
    orgWideCoverage: '80%',
    testRunCoverage: '80%',
  });
  const failed = result.tests.find((test) => test.outcome === 'Fail');
  expect(failed).toMatchObject({
    methodName: 'ignoresBlankAmounts',
    message: FAILURE.message,
    stackTrace: FAILURE.stackTrace,
    fullName: 'InvoiceServiceTest.ignoresBlankAmounts',
    diagnostic: { lineNumber: 9, columnNumber: 1, className: 'InvoiceServiceTest' },
  });
  expect(result.tests.find((test) => test.outcome === 'Pass')?.methodName).toBe('sumsAmounts');
  expect(result.codecoverage).toEqual([
    expect.objectContaining({
      name: 'InvoiceService',
      type: 'ApexClass',
      numLinesCovered: 4,
      numLinesUncovered: 1,
      percentage: '80%',
      coveredLines: [3, 4, 5, 7],
      uncoveredLines: [6],
    }),
  ]);
  const perClass = result.tests.find((test) => test.methodName === 'sumsAmounts')?.perClassCoverage;
  expect(perClass).toEqual([
    expect.objectContaining({
      apexClassOrTriggerName: 'InvoiceService',
      numLinesCovered: 4,
      percentage: '80%',
    }),
  ]);
}

describe('Apex tests through @salesforce/apex-node', () => {
  it('runs tests synchronously with a declared failure and coverage', async () => {
    const result = (await testService.runTestSynchronous(
      { tests: [{ className: 'InvoiceServiceTest' }], testLevel: 'RunSpecifiedTests' },
      true,
    )) as TestResult;
    expectRunOutcome(result);
  });

  it('runs tests asynchronously and polls the run records to completion', async () => {
    const payload = await testService.buildAsyncPayload(
      'RunSpecifiedTests' as never,
      undefined,
      'InvoiceServiceTest',
    );
    const result = (await testService.runTestAsynchronous(
      payload,
      true,
      false,
      undefined,
      undefined,
      undefined,
      pollEvery(20),
    )) as TestResult;
    expectRunOutcome(result);
    expect(result.summary.testRunId).toMatch(/^707/);
    const results = await connection.tooling.query<{
      MethodName: string;
      Outcome: string;
      ApexClass: { Name: string };
    }>(
      `SELECT MethodName, Outcome, ApexClass.Name FROM ApexTestResult WHERE AsyncApexJobId = '${result.summary.testRunId}' ORDER BY MethodName`,
    );
    expect(
      results.records.map((record) => [record.ApexClass.Name, record.MethodName, record.Outcome]),
    ).toEqual([
      ['InvoiceServiceTest', 'ignoresBlankAmounts', 'Fail'],
      ['InvoiceServiceTest', 'sumsAmounts', 'Pass'],
    ]);
    const reported = (await testService.runTestAsynchronous(payload, false, true)) as { testRunId: string };
    expect(reported.testRunId).toMatch(/^707/);
  });

  it('runs a single method and a test suite', async () => {
    const single = (await testService.runTestSynchronous(
      {
        tests: [{ className: 'InvoiceServiceTest', testMethods: ['sumsAmounts'] }],
        testLevel: 'RunSpecifiedTests',
      },
      false,
    )) as TestResult;
    expect(single.summary).toMatchObject({ outcome: 'Passed', testsRan: 1, passing: 1 });
    await testService.buildSuite('InvoiceSuite', ['InvoiceServiceTest']);
    const suites = await testService.retrieveAllSuites();
    expect(suites.map((suite) => suite.TestSuiteName)).toEqual(['InvoiceSuite']);
    const suiteRun = (await testService.runTestAsynchronous(
      { suiteNames: 'InvoiceSuite', testLevel: 'RunSpecifiedTests' as never },
      false,
      false,
      undefined,
      undefined,
      undefined,
      pollEvery(20),
    )) as TestResult;
    expect(suiteRun.summary).toMatchObject({ testsRan: 2, failing: 1 });
  });

  it('rejects a class that has no test methods', async () => {
    const error = await failure(() =>
      testService.runTestSynchronous({
        tests: [{ className: 'InvoiceService' }],
        testLevel: 'RunSpecifiedTests',
      }),
    );
    expect(error.message).toContain("This class name's value is invalid: InvoiceService");
  });
});

describe('Tooling API', () => {
  it('queries ApexClass with the fields the CLI reads', async () => {
    const result = await connection.tooling.query<{
      Name: string;
      Status: string;
      IsValid: boolean;
      LengthWithoutComments: number;
      NamespacePrefix: string | null;
      Body: string;
    }>(
      'SELECT Id, Name, Status, IsValid, LengthWithoutComments, NamespacePrefix, Body FROM ApexClass ORDER BY Name',
    );
    expect(result.records.map((record) => record.Name)).toEqual(['InvoiceService', 'InvoiceServiceTest']);
    expect(result.records[0]).toMatchObject({
      Status: 'Active',
      IsValid: true,
      NamespacePrefix: null,
      LengthWithoutComments: SERVICE.length,
      Body: SERVICE,
    });
    const bad = await failure(async () => connection.tooling.query('SELECT Nope FROM ApexClass'));
    expect(bad.errorCode).toBe('INVALID_FIELD');
  });

  it('pages query results with nextRecordsUrl', async () => {
    for (let index = 0; index < 205; index++) {
      await connection.tooling.create('DebugLevel', {
        DeveloperName: `Level${index}`,
        MasterLabel: `Level ${index}`,
        ApexCode: 'FINEST',
      });
    }
    const first = await fetch(
      `${org.instanceUrl}/services/data/v62.0/tooling/query?q=${encodeURIComponent('SELECT Id, DeveloperName FROM DebugLevel')}`,
      {
        headers: { authorization: `Bearer ${org.accessToken}`, 'sforce-query-options': 'batchSize=200' },
      },
    );
    const page = (await first.json()) as {
      totalSize: number;
      done: boolean;
      records: unknown[];
      nextRecordsUrl: string;
    };
    expect(page).toMatchObject({ totalSize: 205, done: false });
    expect(page.records).toHaveLength(200);
    expect(page.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/tooling\/query\/01g/);
    const rest = await connection.tooling.queryMore(page.nextRecordsUrl);
    expect(rest).toMatchObject({ done: true, totalSize: 205 });
    expect(rest.records).toHaveLength(5);
    const all = await connection.tooling.query('SELECT Id FROM DebugLevel', {
      autoFetch: true,
      maxFetch: 1000,
    });
    expect(all.totalSize).toBe(205);
  });

  it('creates, reads, updates and deletes trace flags and debug levels, and describes them', async () => {
    const level = await connection.tooling.create('DebugLevel', {
      DeveloperName: 'SfmcpDebug',
      MasterLabel: 'sfmcp debug',
      ApexCode: 'FINEST',
      Visualforce: 'NONE',
    });
    const start = new Date('2026-11-24T10:00:00.000Z');
    const flag = await connection.tooling.create('TraceFlag', {
      TracedEntityId: org.userId,
      DebugLevelId: level.id,
      LogType: 'DEVELOPER_LOG',
      StartDate: start.toISOString(),
      ExpirationDate: new Date(start.getTime() + 3600_000).toISOString(),
    });
    expect(flag.id).toMatch(/^7tf/);
    const read = (await connection.tooling.retrieve('TraceFlag', flag.id as string)) as Record<
      string,
      unknown
    >;
    expect(read).toMatchObject({
      LogType: 'DEVELOPER_LOG',
      DebugLevelId: level.id,
      TracedEntityId: org.userId,
    });
    await connection.tooling.update('TraceFlag', {
      Id: flag.id as string,
      ExpirationDate: new Date(start.getTime() + 7200_000).toISOString(),
    });
    const flags = await connection.tooling.query<{ DebugLevel: { DeveloperName: string } }>(
      `SELECT Id, DebugLevel.DeveloperName FROM TraceFlag WHERE TracedEntityId = '${org.userId}'`,
    );
    expect(flags.records.map((record) => record.DebugLevel.DeveloperName)).toEqual(['SfmcpDebug']);
    await connection.tooling.destroy('TraceFlag', flag.id as string);
    expect((await connection.tooling.query('SELECT Id FROM TraceFlag')).totalSize).toBe(0);

    const described = await connection.tooling.describe('TraceFlag');
    expect(described).toMatchObject({ name: 'TraceFlag', keyPrefix: '7tf', createable: true });
    expect(
      described.fields.find((field) => field.name === 'LogType')?.picklistValues?.map((value) => value.value),
    ).toEqual(['USER_DEBUG', 'CLASS_TRACING', 'DEVELOPER_LOG']);
    const coverage = await connection.tooling.describe('ApexCodeCoverageAggregate');
    expect(coverage.fields.find((field) => field.name === 'Coverage')).toMatchObject({
      type: 'complexvalue',
    });
    const global = await connection.tooling.describeGlobal();
    expect(global.sobjects.map((object) => object.name)).toEqual(
      expect.arrayContaining(['ApexClass', 'ApexTestResult', 'TraceFlag']),
    );
    const readOnly = await failure(() => connection.tooling.create('ApexTestResult', { MethodName: 'x' }));
    expect(readOnly.errorCode).toBe('CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY');
  });

  it('creates, updates and deletes several records at once (sObject collections)', async () => {
    const created = await connection.tooling.create('ApexTestSuite', [
      { TestSuiteName: 'SuiteA' },
      { TestSuiteName: 'SuiteB' },
    ]);
    expect(created.map((result) => result.success)).toEqual([true, true]);
    const ids = created.map((result) => result.id as string);
    const updated = await connection.tooling.update('ApexTestSuite', [
      { Id: ids[0] as string, TestSuiteName: 'SuiteA2' },
    ]);
    expect(updated[0]).toMatchObject({ success: true, id: ids[0] });
    const mixed = await connection.tooling.create(
      'ApexTestSuite',
      [{ TestSuiteName: 'SuiteC' }, { Nope__c: 1 }],
      { allOrNone: true },
    );
    expect(mixed.map((result) => result.success)).toEqual([false, false]);
    expect(mixed[0]?.errors).toEqual([
      expect.objectContaining({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }),
    ]);
    const names = await connection.tooling.query<{ TestSuiteName: string }>(
      "SELECT TestSuiteName FROM ApexTestSuite WHERE TestSuiteName LIKE 'Suite%' ORDER BY TestSuiteName",
    );
    expect(names.records.map((record) => record.TestSuiteName)).toEqual(['SuiteA2', 'SuiteB']);
    const deleted = await connection.tooling.destroy('ApexTestSuite', ids);
    expect(deleted.map((result) => result.success)).toEqual([true, true]);
  });

  it('compiles anonymous Apex and answers with declared outcomes', async () => {
    const ok = await connection.tooling.executeAnonymous("System.debug('hello');");
    expect(ok).toMatchObject({ compiled: true, success: true, line: -1, column: -1, compileProblem: null });
    const broken = await connection.tooling.executeAnonymous('Integer x = ;');
    expect(broken).toMatchObject({
      compiled: false,
      success: false,
      line: 1,
      column: 13,
      compileProblem: "Unexpected token ';'.",
    });
    const declared = await connection.tooling.executeAnonymous('delete [SELECT Id FROM Account];');
    expect(declared).toMatchObject({
      compiled: true,
      success: false,
      exceptionMessage: 'System.DmlException: Delete failed.',
    });
    const logs = await connection.tooling.query<{ Id: string; LogLength: number; Operation: string }>(
      'SELECT Id, LogLength, Operation FROM ApexLog',
    );
    expect(logs.totalSize).toBe(1);
    const body = await connection.tooling.request(
      `/services/data/v62.0/tooling/sobjects/ApexLog/${logs.records[0]?.Id}/Body`,
    );
    expect(body).toContain('Execute Anonymous: delete');
  });

  it('sets up a trace flag and reads debug logs the way apex-node LogService does', async () => {
    const logs = new LogService(connection);
    await logs.prepareTraceFlag('');
    const flags = await connection.tooling.query<{
      LogType: string;
      DebugLevel: { ApexCode: string };
      ExpirationDate: string;
    }>(
      `SELECT LogType, DebugLevel.ApexCode, ExpirationDate FROM TraceFlag WHERE TracedEntityId = '${org.userId}'`,
    );
    expect(flags.records).toHaveLength(1);
    expect(flags.records[0]).toMatchObject({ LogType: 'DEVELOPER_LOG', DebugLevel: { ApexCode: 'FINEST' } });
    await logs.prepareTraceFlag('');
    expect((await connection.tooling.query('SELECT Id FROM TraceFlag')).totalSize).toBe(1);
    const [latest] = await logs.getLogs({ numberOfLogs: 1 });
    expect(latest?.log).toContain('Execute Anonymous: delete');
  });

  it('rejects an ApexClass body that does not compile', async () => {
    const error = await failure(() =>
      connection.tooling.create('ApexClass', { Body: 'public class Nope {' }),
    );
    expect(error.errorCode).toBe('COMPILE_ERROR');
    expect(error.message).toContain('line 1, column 20');
  });
});

describe('Apex SOAP executeAnonymous (what apex-node ExecuteService sends)', () => {
  it('runs through the real ExecuteService', async () => {
    const service = new ExecuteService(connection);
    const ok = await service.executeAnonymous({ apexCode: "System.debug('from the CLI');" });
    expect(ok).toMatchObject({ compiled: true, success: true });
    expect(ok.logs).toContain("Execute Anonymous: System.debug('from the CLI');");
    const broken = await service.executeAnonymous({ apexCode: 'Integer x = ;' });
    expect(broken).toMatchObject({ compiled: false, success: false });
    expect(broken.diagnostic?.[0]).toMatchObject({
      lineNumber: '1',
      columnNumber: '13',
      compileProblem: "Unexpected token ';'.",
    });
  });

  function envelope(code: string): Buffer {
    const escaped = code
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/'/g, '&apos;')
      .replace(/"/g, '&quot;');
    return Buffer.from(
      `<env:Envelope xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cmd="http://soap.sforce.com/2006/08/apex" xmlns:apex="http://soap.sforce.com/2006/08/apex">
    <env:Header><cmd:SessionHeader><cmd:sessionId>token</cmd:sessionId></cmd:SessionHeader><apex:DebuggingHeader><apex:debugLevel>DEBUGONLY</apex:debugLevel></apex:DebuggingHeader></env:Header>
    <env:Body><executeAnonymous xmlns="http://soap.sforce.com/2006/08/apex"><apexcode>${escaped}</apexcode></executeAnonymous></env:Body>
</env:Envelope>`,
    );
  }

  async function run(code: string): Promise<string> {
    const reply = await handleApexSoap(
      {
        method: 'POST',
        path: '/services/Soap/s/62.0/00D',
        query: new URLSearchParams(),
        headers: { 'content-type': 'text/xml' },
        body: envelope(code),
      },
      org.state,
    );
    expect(reply.status).toBe(200);
    return String(reply.body);
  }

  it('answers compiled and successful blocks with a debug log header', async () => {
    const ok = await run("System.debug('<hi>');");
    expect(ok).toContain('<compiled>true</compiled>');
    expect(ok).toContain('<success>true</success>');
    expect(ok).toContain('<compileProblem xsi:nil="true"/>');
    expect(ok).toContain('<DebuggingInfo><debugLog>');
    expect(ok).toContain('Execute Anonymous: System.debug(&apos;&lt;hi&gt;&apos;);'.replace(/&apos;/g, "'"));
  });

  it('reports compile problems with line and column, and declared exceptions', async () => {
    const broken = await run('Integer x = ;');
    expect(broken).toContain('<compiled>false</compiled><exceptionMessage xsi:nil="true"/>');
    expect(broken).toContain("<compileProblem>Unexpected token ';'.</compileProblem>");
    expect(broken).toContain('<line>1</line>');
    expect(broken).toContain('<column>13</column>');
    const failing = await run('delete [SELECT Id FROM Contact];');
    expect(failing).toContain('<exceptionMessage>System.DmlException: Delete failed.</exceptionMessage>');
    expect(failing).toContain('<success>false</success>');
  });
});

describe('reportAsyncResults (CometD handshake, then the finished run)', () => {
  it('reports a finished asynchronous run through the real streaming client', async () => {
    const service = new TestService(connection);
    const started = (await service.runTestAsynchronous(
      { tests: [{ className: 'InvoiceServiceTest' }], testLevel: 'RunSpecifiedTests' as never },
      false,
      true,
    )) as {
      testRunId: string;
    };
    const report = (await service.reportAsyncResults(started.testRunId, true)) as TestResult;
    expect(report.summary).toMatchObject({
      testRunId: started.testRunId,
      testsRan: 2,
      failing: 1,
      outcome: 'Failed',
    });
    expect(report.codecoverage?.[0]).toMatchObject({ name: 'InvoiceService', percentage: '80%' });
  });

  it('answers Bayeux messages: handshake, connect without spinning, unknown clients and channels', async () => {
    const call = async (messages: unknown[]) =>
      (
        await handleCometd(
          {
            method: 'POST',
            path: '/cometd/62.0',
            query: new URLSearchParams(),
            headers: {},
            body: Buffer.from(JSON.stringify(messages)),
          },
          org.state,
        )
      ).body as Array<Record<string, unknown>>;
    const [handshake] = await call([
      { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' },
    ]);
    expect(handshake).toMatchObject({
      channel: '/meta/handshake',
      successful: true,
      id: '1',
      supportedConnectionTypes: ['long-polling'],
    });
    const clientId = handshake?.clientId;
    const [connect] = await call([
      { channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '2' },
    ]);
    expect(connect).toMatchObject({ successful: true, advice: { reconnect: 'none' } });
    const [subscribed, refused] = await call([
      { channel: '/meta/subscribe', clientId, subscription: '/systemTopic/TestResult' },
      { channel: '/meta/subscribe', clientId, subscription: '/topic/Nope' },
    ]);
    expect(subscribed).toMatchObject({ successful: true });
    expect(refused).toMatchObject({ successful: false });
    const [stranger] = await call([{ channel: '/meta/connect', clientId: 'nobody' }]);
    expect(stranger).toMatchObject({
      successful: false,
      error: '403::Unknown client',
      advice: { reconnect: 'handshake' },
    });
  });
});
