// Deploys that take time (startLocalOrg({ timing: { deployMs } })): source-deploy-retrieve sees them
// Pending or InProgress before they are done, then Succeeded; a cancel mid-way ends Canceled, with nothing deployed.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { TestService, type TestResult } from '@salesforce/apex-node';
import { MetadataApiDeploy, RequestStatus } from '@salesforce/source-deploy-retrieve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBinArguments } from '../src/bin-options.js';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { INVOICE_SERVICE, INVOICE_SERVICE_TEST } from './fixtures/apex.js';
import { connectTo, pollEvery } from './fixtures/clients.js';
import { Scratch } from './fixtures/projects.js';

// Generous: the states are checked, never the durations, on a slow shared machine.
const DEPLOY_MS = 4000;
const TEST_RUN_MS = 4000;

let org: LocalOrg;
let connection: Connection;
const scratch = new Scratch();

function classPackage(name: string): string {
  const dir = scratch.dir('slow-deploy-');
  mkdirSync(join(dir, 'classes'));
  writeFileSync(
    join(dir, 'package.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n    <types>\n        <members>${name}</members>\n        <name>ApexClass</name>\n    </types>\n    <version>62.0</version>\n</Package>\n`,
  );
  writeFileSync(join(dir, 'classes', `${name}.cls`), `public class ${name} {\n}\n`);
  writeFileSync(
    join(dir, 'classes', `${name}.cls-meta.xml`),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n',
  );
  return dir;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** checkStatus until `wanted` (or a finished state) is seen; every status seen, in order. */
async function watch(operation: MetadataApiDeploy, wanted: string): Promise<string[]> {
  const seen: string[] = [];
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const status = await operation.checkStatus();
    if (seen.at(-1) !== status.status) seen.push(status.status);
    if (status.status === wanted || status.done) return seen;
    await pause(20);
  }
  return seen;
}

async function classCount(name: string): Promise<number> {
  return (await connection.tooling.query(`SELECT Id FROM ApexClass WHERE Name = '${name}'`)).totalSize;
}

beforeAll(async () => {
  org = await startLocalOrg({
    timing: { deployMs: DEPLOY_MS, testRunMs: TEST_RUN_MS },
    seed: {
      declared: {
        apexTests: {
          results: {
            'InvoiceServiceTest.sumsAmounts': { outcome: 'Pass' },
            'InvoiceServiceTest.ignoresBlankAmounts': { outcome: 'Pass' },
          },
        },
      },
    },
  });
  connection = await connectTo(org);
});

afterAll(async () => {
  await org?.stop();
  scratch.clean();
});

describe('deploys that take time', () => {
  it('is seen in progress before it is done, then Succeeded', async () => {
    const operation = new MetadataApiDeploy({
      usernameOrConnection: connection,
      mdapiPath: classPackage('SlowOne'),
    });
    await operation.start();
    const first = await operation.checkStatus();
    expect(first.done).toBe(false);
    expect(['Pending', 'InProgress']).toContain(first.status);
    const seen = await watch(operation, 'InProgress');
    expect(seen.at(-1)).toBe('InProgress');
    const during = await operation.checkStatus();
    if (!during.done) {
      expect(during.numberComponentsTotal).toBe(1);
      expect(during.numberComponentsDeployed).toBe(0);
      expect(await classCount('SlowOne')).toBe(0);
    }
    const result = await operation.pollStatus(100, 120);
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(result.response.numberComponentsDeployed).toBe(1);
    expect(await classCount('SlowOne')).toBe(1);
  });

  it('a cancel mid-way goes Canceling, then Canceled, with nothing deployed', async () => {
    const operation = new MetadataApiDeploy({
      usernameOrConnection: connection,
      mdapiPath: classPackage('SlowTwo'),
    });
    await operation.start();
    const seen = await watch(operation, 'InProgress');
    expect(seen.at(-1)).toBe('InProgress');
    await operation.cancel();
    const after = await operation.checkStatus();
    expect(['Canceling', 'Canceled']).toContain(after.status);
    const result = await operation.pollStatus(100, 120);
    expect(result.response.status).toBe(RequestStatus.Canceled);
    expect(result.response.numberComponentsDeployed).toBe(0);
    expect(await classCount('SlowTwo')).toBe(0);
  });
});

describe('Apex test runs that take time', () => {
  it('runTestAsynchronous sees the run Queued or Processing, then Completed', async () => {
    for (const body of [INVOICE_SERVICE, INVOICE_SERVICE_TEST]) {
      expect((await connection.tooling.create('ApexClass', { Body: body })).success).toBe(true);
    }
    const testService = new TestService(connection);
    const payload = await testService.buildAsyncPayload(
      'RunSpecifiedTests' as never,
      undefined,
      'InvoiceServiceTest',
    );
    const running = testService.runTestAsynchronous(
      payload,
      false,
      false,
      undefined,
      undefined,
      undefined,
      pollEvery(50),
    ) as Promise<TestResult>;
    const seen: string[] = [];
    for (let attempt = 0; attempt < 400 && seen.at(-1) !== 'Completed'; attempt += 1) {
      const runs = await connection.tooling.query<{ Status: string }>(
        'SELECT Status FROM ApexTestRunResult ORDER BY CreatedDate DESC LIMIT 1',
      );
      const status = runs.records[0]?.Status;
      if (status && seen.at(-1) !== status) seen.push(status);
      if (seen.includes('Processing')) break;
      await pause(20);
    }
    expect(seen).toContain('Processing');
    expect(seen).not.toContain('Completed');
    const items = await connection.tooling.query<{ Status: string }>('SELECT Status FROM ApexTestQueueItem');
    expect(items.records.map((item) => item.Status)).toEqual(['Processing']);
    const result = await running;
    expect(result.summary).toMatchObject({ outcome: 'Passed', testsRan: 2, passing: 2 });
    const after = await connection.tooling.query<{ Status: string }>(
      `SELECT Status FROM ApexTestRunResult WHERE AsyncApexJobId = '${result.summary.testRunId}'`,
    );
    expect(after.records[0]?.Status).toBe('Completed');
    const job = await connection.tooling.query<{ Status: string }>(
      `SELECT Status FROM AsyncApexJob WHERE Id = '${result.summary.testRunId}'`,
    );
    expect(job.records[0]?.Status).toBe('Completed');
  });
});

describe('sfmcp-local-org timing flags', () => {
  it('takes --deploy-ms and --test-run-ms, and refuses what is not a number of milliseconds', () => {
    expect(parseBinArguments(['--deploy-ms', '2000', '--test-run-ms', '500']).timing).toEqual({
      deployMs: 2000,
      testRunMs: 500,
    });
    expect(parseBinArguments([]).timing).toBeUndefined();
    expect(() => parseBinArguments(['--deploy-ms', 'soon'])).toThrow(
      /--deploy-ms takes a number of milliseconds/,
    );
  });
});
