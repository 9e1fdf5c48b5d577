// Through the real clients: @salesforce/source-deploy-retrieve deploys and retrieves a DX project against startLocalOrg.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@salesforce/core';
import {
  ComponentSet,
  MetadataApiDeploy,
  RequestStatus,
  type DeployResult,
} from '@salesforce/source-deploy-retrieve';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo, failure } from './fixtures/clients.js';
import { deployDeletions, filesUnder, Scratch } from './fixtures/projects.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/dx-project', import.meta.url));

let org: LocalOrg;
let connection: Connection;
const scratch = new Scratch();

function copyProject(): string {
  return scratch.copy(FIXTURE, 'sdr-project-');
}

async function deploy(dir: string, apiOptions: Record<string, unknown> = {}): Promise<DeployResult> {
  const components = ComponentSet.fromSource(join(dir, 'force-app'));
  const operation = await components.deploy({ usernameOrConnection: connection, apiOptions });
  return operation.pollStatus(50, 60);
}

beforeAll(async () => {
  org = await startLocalOrg({
    seed: {
      declared: {
        apexTests: {
          coverage: { InvoiceService: { covered: [3, 4, 5, 7], uncovered: [6] } },
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

describe('source-deploy-retrieve against the local org', () => {
  it('deploys a DX project: Apex, a custom object with fields, LWC and Aura bundles, a permission set and other types kept as files', async () => {
    const result = await deploy(copyProject());
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(result.response.success).toBe(true);
    const responses = result.getFileResponses();
    const byType = (type: string) =>
      responses.filter((response) => response.type === type).map((response) => response.fullName);
    expect(new Set(byType('ApexClass'))).toEqual(new Set(['InvoiceService', 'InvoiceServiceTest']));
    expect(byType('CustomObject')).toContain('Invoice__c');
    expect(byType('LightningComponentBundle')).toContain('invoiceList');
    expect(byType('PermissionSet')).toContain('Invoice_Manager');
    for (const [type, name] of [
      ['ApexTrigger', 'InvoiceTrigger'],
      ['StaticResource', 'invoiceHelpers'],
      ['CustomLabel', 'Invoice_Paid'],
      ['Layout', 'Invoice__c-Invoice Layout'],
      ['CustomTab', 'Invoice__c'],
      ['AuraDefinitionBundle', 'invoiceBanner'],
      ['ReportFolder', 'InvoiceReports'],
      ['Report', 'InvoiceReports/Open_Invoices'],
      ['FlexiPage', 'Invoice_Record_Page'],
    ]) {
      expect(byType(type as string), type).toContain(name);
    }
    expect(responses.every((response) => response.state === 'Created')).toBe(true);

    const classes = await connection.tooling.query<{ Name: string; Status: string; ApiVersion: number }>(
      "SELECT Name, Status, ApiVersion FROM ApexClass WHERE Name LIKE 'Invoice%' ORDER BY Name",
    );
    expect(classes.records.map((record) => [record.Name, record.Status, record.ApiVersion])).toEqual([
      ['InvoiceService', 'Active', 62],
      ['InvoiceServiceTest', 'Active', 62],
    ]);

    const triggers = await connection.tooling.query<{
      Name: string;
      TableEnumOrId: string;
      UsageBeforeInsert: boolean;
      UsageAfterInsert: boolean;
    }>('SELECT Name, TableEnumOrId, UsageBeforeInsert, UsageAfterInsert FROM ApexTrigger');
    expect(
      triggers.records.map((record) => [
        record.Name,
        record.TableEnumOrId,
        record.UsageBeforeInsert,
        record.UsageAfterInsert,
      ]),
    ).toEqual([['InvoiceTrigger', 'Invoice__c', true, false]]);

    const invoice = await connection.describe('Invoice__c');
    const fields = new Map(invoice.fields.map((field) => [field.name, field]));
    expect(invoice.label).toBe('Invoice');
    expect(fields.get('Amount__c')).toMatchObject({ type: 'currency', precision: 16, scale: 2 });
    expect(fields.get('Status__c')?.picklistValues?.map((value) => value.value)).toEqual([
      'Draft',
      'Sent',
      'Paid',
    ]);
    expect(fields.get('Customer__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Customer__r',
    });
    expect(fields.get('Paid__c')).toMatchObject({ type: 'boolean' });
    expect(fields.get('Due_Date__c')).toMatchObject({ type: 'date' });
    expect(fields.get('Name')).toMatchObject({ autoNumber: true });

    const account = await connection.sobject('Account').create({ Name: 'Acme' });
    await connection
      .sobject('Invoice__c')
      .create({ Amount__c: 120.5, Status__c: 'Sent', Customer__c: (account as { id: string }).id });
    const rows = await connection.query<{ Amount__c: number; Customer__r: { Name: string } }>(
      "SELECT Amount__c, Customer__r.Name FROM Invoice__c WHERE Status__c = 'Sent'",
    );
    expect(rows.records.map((row) => [row.Amount__c, row.Customer__r.Name])).toEqual([[120.5, 'Acme']]);
  });

  it('retrieves what was deployed into a clean project, file for file', async () => {
    const source = copyProject();
    const target = copyProject();
    rmSync(join(target, 'force-app'), { recursive: true, force: true });
    const components = ComponentSet.fromSource(join(source, 'force-app'));
    const operation = await components.retrieve({
      usernameOrConnection: connection,
      output: join(target, 'force-app'),
      merge: false,
    });
    const result = await operation.pollStatus(50, 60);
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(result.response.messages ?? []).toEqual([]);
    const expected = filesUnder(join(source, 'force-app'));
    // Outside a package directory SDR writes into a folder of its own naming (metadataPackage_<time>): filesUnder leaves it out.
    const actual = filesUnder(join(target, 'force-app'));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected)
      expect(actual.get(path)?.toString('utf8'), path).toBe(content.toString('utf8'));
  });

  it('reports an Apex class that does not compile per component, with line and column, and changes nothing', async () => {
    const dir = copyProject();
    const classes = join(dir, 'force-app/main/default/classes');
    const meta = readFileSync(join(classes, 'InvoiceService.cls-meta.xml'), 'utf8');
    writeFileSync(
      join(classes, 'Broken.cls'),
      'public class Broken {\n    public void run() {\n        Integer total = 1\n    }\n}\n',
    );
    writeFileSync(join(classes, 'Broken.cls-meta.xml'), meta);
    writeFileSync(join(classes, 'Fine.cls'), 'public class Fine {\n}\n');
    writeFileSync(join(classes, 'Fine.cls-meta.xml'), meta);
    const result = await deploy(dir);
    expect(result.response.status).toBe(RequestStatus.Failed);
    expect(result.response.success).toBe(false);
    const failures = result.getFileResponses().filter((response) => response.state === 'Failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      type: 'ApexClass',
      fullName: 'Broken',
      lineNumber: 4,
      columnNumber: 5,
      error: "Missing ';' at '}' (4:5)",
      problemType: 'Error',
    });
    expect((failures[0] as { filePath?: string }).filePath).toMatch(/classes\/Broken\.cls$/);
    const rolledBack = await connection.tooling.query(
      "SELECT Id FROM ApexClass WHERE Name IN ('Broken', 'Fine')",
    );
    expect(rolledBack.totalSize).toBe(0);
  });

  it("reports a validation's tests with no declared outcome as not run, never as passed, and refuses to quick deploy it", async () => {
    const dir = copyProject();
    const validation = await deploy(dir, {
      checkOnly: true,
      testLevel: 'RunSpecifiedTests',
      runTests: ['InvoiceServiceTest'],
    });
    // The components are fine (nothing saved: checkOnly); the two tests asked for were not run.
    expect(validation.response).toMatchObject({
      status: RequestStatus.Succeeded,
      checkOnly: true,
      numberTestsTotal: 2,
      numberTestsCompleted: 0,
      numberTestErrors: 0,
    });
    const run = validation.response.details.runTestResult;
    expect(run).toMatchObject({ numTestsRun: 0, numFailures: 0 });
    expect([run?.successes ?? []].flat()).toEqual([]);
    expect([run?.failures ?? []].flat()).toEqual([]);
    // Declared coverage is not earned by tests that did not run.
    expect([run?.codeCoverage ?? []].flat()).toEqual([]);
    const warnings = [run?.codeCoverageWarnings ?? []].flat();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      name: 'InvoiceServiceTest',
      message:
        'Not run: InvoiceServiceTest.sumsAmounts, InvoiceServiceTest.ignoresBlankAmounts. The sfmcp local org (a test double) cannot run Apex; ' +
        "declare these tests' outcomes in the seed (declared.apexTests) to simulate them.",
    });
    expect(String(warnings[0]?.id)).toMatch(/^01p/);
    const quick = await failure(() =>
      new MetadataApiDeploy({
        id: validation.response.id,
        usernameOrConnection: connection,
      }).deployRecentValidation(),
    );
    expect(quick.message).toMatch(/INVALID_ID_FIELD.*whose Apex tests ran/);
  });

  it('validates with checkOnly, changes nothing, then quick deploys the validation', async () => {
    const declared = org.state.declared.apexTests;
    org.state.declared.apexTests = {
      results: {
        'InvoiceServiceTest.sumsAmounts': { outcome: 'Pass' },
        'InvoiceServiceTest.ignoresBlankAmounts': { outcome: 'Pass' },
      },
      coverage: { InvoiceService: { covered: [3, 4, 5, 7], uncovered: [6] } },
    };
    onTestFinished(() => {
      org.state.declared.apexTests = declared;
    });
    const dir = copyProject();
    const classes = join(dir, 'force-app/main/default/classes');
    writeFileSync(
      join(classes, 'InvoiceFormatter.cls'),
      "public class InvoiceFormatter {\n    public static String label(String name) {\n        return 'Invoice ' + name;\n    }\n}\n",
    );
    writeFileSync(
      join(classes, 'InvoiceFormatter.cls-meta.xml'),
      readFileSync(join(classes, 'InvoiceService.cls-meta.xml'), 'utf8'),
    );
    const validation = await deploy(dir, {
      checkOnly: true,
      testLevel: 'RunSpecifiedTests',
      runTests: ['InvoiceServiceTest'],
    });
    expect(validation.response).toMatchObject({
      status: RequestStatus.Succeeded,
      checkOnly: true,
      numberTestsTotal: 2,
      numberTestsCompleted: 2,
      numberTestErrors: 0,
    });
    expect(validation.response.details.runTestResult).toMatchObject({ numTestsRun: 2, numFailures: 0 });
    expect([validation.response.details.runTestResult?.codeCoverageWarnings ?? []].flat()).toEqual([]);
    expect(
      (await connection.tooling.query("SELECT Id FROM ApexClass WHERE Name = 'InvoiceFormatter'")).totalSize,
    ).toBe(0);

    const quick = new MetadataApiDeploy({ id: validation.response.id, usernameOrConnection: connection });
    const quickId = await quick.deployRecentValidation();
    expect(quickId).toMatch(/^0Af/);
    const quickResult = await new MetadataApiDeploy({
      id: quickId,
      usernameOrConnection: connection,
    }).pollStatus(50, 60);
    expect(quickResult.response).toMatchObject({ status: RequestStatus.Succeeded, checkOnly: false });
    expect(
      (await connection.tooling.query("SELECT Id FROM ApexClass WHERE Name = 'InvoiceFormatter'")).totalSize,
    ).toBe(1);
    const again = await failure(() =>
      new MetadataApiDeploy({
        id: validation.response.id,
        usernameOrConnection: connection,
      }).deployRecentValidation(),
    );
    expect(again.message).toMatch(/INVALID_ID_FIELD/);
  });

  it('fails a deploy whose tests fail (declared) and rolls it back', async () => {
    org.state.declared.apexTests = {
      results: {
        'InvoiceServiceTest.ignoresBlankAmounts': {
          outcome: 'Fail',
          message: 'System.AssertException: Assertion Failed',
          stackTrace: 'Class.InvoiceServiceTest.ignoresBlankAmounts: line 11, column 1',
        },
      },
    };
    try {
      const dir = copyProject();
      const classes = join(dir, 'force-app/main/default/classes');
      writeFileSync(join(classes, 'InvoiceMailer.cls'), 'public class InvoiceMailer {\n}\n');
      writeFileSync(
        join(classes, 'InvoiceMailer.cls-meta.xml'),
        readFileSync(join(classes, 'InvoiceService.cls-meta.xml'), 'utf8'),
      );
      const result = await deploy(dir, { testLevel: 'RunLocalTests' });
      expect(result.response).toMatchObject({
        status: RequestStatus.Failed,
        success: false,
        numberTestErrors: 1,
      });
      const failures = [result.response.details.runTestResult?.failures ?? []].flat();
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({
        name: 'InvoiceServiceTest',
        methodName: 'ignoresBlankAmounts',
        message: 'System.AssertException: Assertion Failed',
      });
      expect(
        (await connection.tooling.query("SELECT Id FROM ApexClass WHERE Name = 'InvoiceMailer'")).totalSize,
      ).toBe(0);
    } finally {
      delete org.state.declared.apexTests;
    }
  });

  it('deletes what destructiveChanges names and warns about what it cannot find', async () => {
    const result = await deployDeletions(connection, scratch, {
      'destructiveChanges.xml': {
        ApexClass: ['InvoiceFormatter', 'NoSuchClass'],
        PermissionSet: ['Invoice_Manager'],
      },
    });
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    const successes = [result.response.details.componentSuccesses ?? []].flat();
    expect(successes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ componentType: 'ApexClass', fullName: 'InvoiceFormatter', deleted: true }),
        expect.objectContaining({
          componentType: 'PermissionSet',
          fullName: 'Invoice_Manager',
          deleted: true,
        }),
        expect.objectContaining({
          componentType: 'ApexClass',
          problem: 'No ApexClass named: NoSuchClass found',
          problemType: 'Warning',
        }),
      ]),
    );
    expect(
      (await connection.tooling.query("SELECT Id FROM ApexClass WHERE Name = 'InvoiceFormatter'")).totalSize,
    ).toBe(0);
    const listed = await connection.metadata.list([{ type: 'PermissionSet' }]);
    expect([listed].flat().map((entry) => entry.fullName)).not.toContain('Invoice_Manager');
  });

  it('deploys over the REST face of the Metadata API (apiOptions.rest)', async () => {
    const dir = copyProject();
    const classes = join(dir, 'force-app/main/default/classes');
    writeFileSync(join(classes, 'InvoiceRestProbe.cls'), 'public class InvoiceRestProbe {\n}\n');
    writeFileSync(
      join(classes, 'InvoiceRestProbe.cls-meta.xml'),
      readFileSync(join(classes, 'InvoiceService.cls-meta.xml'), 'utf8'),
    );
    const result = await deploy(dir, { rest: true });
    expect(result.response).toMatchObject({ status: RequestStatus.Succeeded, success: true });
    const probe = result.getFileResponses().find((response) => response.fullName === 'InvoiceRestProbe');
    expect(probe).toMatchObject({ type: 'ApexClass', state: 'Created' });
    const unchanged = result.getFileResponses().find((response) => response.fullName === 'InvoiceService');
    expect(unchanged?.state).toBe('Unchanged');
    const bad = await fetch(
      `${org.instanceUrl}/services/data/v62.0/metadata/deployRequest/0Af000000000000AAA`,
      { headers: { authorization: `Bearer ${org.accessToken}` } },
    );
    expect(bad.status).toBe(404);
    expect(await bad.json()).toEqual([expect.objectContaining({ errorCode: 'INVALID_ID_FIELD' })]);
  });

  it('reads metadata as typed records', async () => {
    const permissionSet = (await connection.metadata.read(
      'PermissionSet',
      'Invoice_Manager',
    )) as unknown as Record<string, unknown>;
    expect(permissionSet).toMatchObject({
      fullName: 'Invoice_Manager',
      label: 'Invoice Manager',
      hasActivationRequired: false,
    });
    expect([permissionSet.objectPermissions].flat()[0]).toMatchObject({
      object: 'Invoice__c',
      allowCreate: true,
      allowDelete: false,
    });
    const apexClass = (await connection.metadata.read('ApexClass', 'InvoiceService')) as unknown as Record<
      string,
      unknown
    >;
    expect(apexClass).toMatchObject({ fullName: 'InvoiceService', apiVersion: 62, status: 'Active' });
    expect(Buffer.from(String(apexClass.content), 'base64').toString('utf8')).toContain(
      'public with sharing class InvoiceService',
    );
    const invoice = (await connection.metadata.read('CustomObject', 'Invoice__c')) as unknown as {
      label: string;
      fields: Array<{ fullName: string }>;
    };
    expect(invoice.label).toBe('Invoice');
    expect(invoice.fields.map((field) => field.fullName)).toEqual(
      expect.arrayContaining(['Amount__c', 'Status__c']),
    );
    const missing = await connection.metadata.read('PermissionSet', ['Nope']);
    expect(missing).toEqual([expect.not.objectContaining({ fullName: 'Nope' })]);
  });

  it('lists and describes metadata', async () => {
    const classes = [await connection.metadata.list([{ type: 'ApexClass' }])].flat();
    expect(classes.map((entry) => entry.fullName).sort()).toEqual([
      'InvoiceRestProbe',
      'InvoiceService',
      'InvoiceServiceTest',
    ]);
    expect(classes[0]).toMatchObject({
      type: 'ApexClass',
      fileName: expect.stringMatching(/^classes\/Invoice/),
      manageableState: 'unmanaged',
    });
    const fields = [await connection.metadata.list([{ type: 'CustomField' }])].flat();
    expect(fields.map((entry) => entry.fullName)).toEqual(
      expect.arrayContaining(['Invoice__c.Amount__c', 'Invoice__c.Status__c']),
    );
    expect(fields.find((entry) => entry.fullName === 'Invoice__c.Amount__c')).toMatchObject({
      type: 'CustomField',
      fileName: 'objects/Invoice__c.object',
    });
    const objects = [await connection.metadata.list([{ type: 'CustomObject' }])].flat();
    expect(objects.map((entry) => entry.fullName)).toContain('Invoice__c');
    const described = await connection.metadata.describe('62.0');
    const apexClass = described.metadataObjects.find((type) => type.xmlName === 'ApexClass');
    expect(apexClass).toMatchObject({
      directoryName: 'classes',
      suffix: 'cls',
      inFolder: false,
      metaFile: true,
    });
    const customObject = described.metadataObjects.find((type) => type.xmlName === 'CustomObject');
    expect(customObject?.childXmlNames).toContain('CustomField');
    expect(described.metadataObjects.find((type) => type.xmlName === 'Report')).toMatchObject({
      inFolder: true,
      directoryName: 'reports',
    });
  });
});

describe('Metadata SOAP errors', () => {
  async function soap(body: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`${org.instanceUrl}/services/Soap/m/62.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: '""' },
      body,
    });
    return { status: response.status, text: await response.text() };
  }

  function envelope(inner: string, sessionId = org.accessToken): string {
    return (
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
      `<soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>${sessionId}</sessionId></SessionHeader></soapenv:Header>` +
      `<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">${inner}</soapenv:Body></soapenv:Envelope>`
    );
  }

  it('answers faults to bad envelopes, unknown operations and corrupt zips, and keeps serving', async () => {
    const unknown = await soap(envelope('<doSomething/>'));
    expect(unknown.status).toBe(500);
    expect(unknown.text).toContain('<faultcode>soapenv:Client</faultcode>');
    expect(unknown.text).toContain(
      'No operation available for request {http://soap.sforce.com/2006/04/metadata}doSomething',
    );

    const notXml = await soap(envelope('<deploy><ZipFile>abc</deploy>'));
    expect(notXml.status).toBe(500);
    expect(notXml.text).toMatch(/<faultcode>[a-z]+:[A-Za-z_]+<\/faultcode>/);

    const corrupt = await soap(
      envelope(
        `<deploy><ZipFile>${Buffer.from('not a zip at all').toString('base64')}</ZipFile><DeployOptions/></deploy>`,
      ),
    );
    expect(corrupt.status).toBe(500);
    expect(corrupt.text).toContain('<faultcode>sf:INVALID_OPERATION</faultcode>');
    expect(corrupt.text).toContain('corrupt');

    const empty = await soap(envelope('<deploy><ZipFile></ZipFile></deploy>'));
    expect(empty.text).toContain('INVALID_OPERATION: No zip file content passed in');

    const badSession = await soap(
      envelope('<describeMetadata><asOfVersion>62.0</asOfVersion></describeMetadata>', 'not-the-token'),
    );
    expect(badSession.status).toBe(500);
    expect(badSession.text).toContain('INVALID_SESSION_ID');

    const unknownId = await failure(() => connection.metadata.checkDeployStatus('0Af000000000000AAA', true));
    expect(unknownId.message).toMatch(/INVALID_ID_FIELD/);

    const noPackageXml = new JSZip();
    noPackageXml.file('classes/A.cls', 'public class A {}');
    const zipBase64 = (await noPackageXml.generateAsync({ type: 'nodebuffer' })).toString('base64');
    const queued = await soap(
      envelope(
        `<deploy><ZipFile>${zipBase64}</ZipFile><DeployOptions><singlePackage>true</singlePackage></DeployOptions></deploy>`,
      ),
    );
    const id = /<id>([^<]+)<\/id>/.exec(queued.text)?.[1] ?? '';
    const status = await connection.metadata.checkDeployStatus(id, true);
    expect(status).toMatchObject({
      done: true,
      status: 'Failed',
      success: false,
      errorMessage: 'No package.xml found',
    });

    const still = await connection.metadata.list([{ type: 'ApexClass' }]);
    expect([still].flat().length).toBeGreaterThan(0);
  });
});

describe('deployed metadata in a --data-dir org', () => {
  it('survives a restart: classes, the object in the schema, bundles and deploy results', async () => {
    const dataDir = scratch.dir('local-org-data-');
    const seed = {
      users: [{ Username: 'persist@local-org.sfmcp.test', FirstName: 'Per', LastName: 'Sist' }],
    };
    const first = await startLocalOrg({ dataDir, seed });
    const persisted = await connectTo(first);
    const deployed = await (
      await ComponentSet.fromSource(join(copyProject(), 'force-app')).deploy({
        usernameOrConnection: persisted,
      })
    ).pollStatus(50, 60);
    expect(deployed.response.status).toBe(RequestStatus.Succeeded);
    await first.stop();

    // The same port, so the same connection reaches the restarted org.
    const second = await startLocalOrg({ dataDir, port: first.port });
    try {
      const classes = await persisted.tooling.query<{ Name: string }>(
        'SELECT Name FROM ApexClass ORDER BY Name',
      );
      expect(classes.records.map((record) => record.Name)).toEqual(['InvoiceService', 'InvoiceServiceTest']);
      expect((await persisted.describe('Invoice__c')).fields.map((field) => field.name)).toContain(
        'Amount__c',
      );
      const bundles = [await persisted.metadata.list([{ type: 'LightningComponentBundle' }])].flat();
      expect(bundles.map((entry) => entry.fullName)).toEqual(['invoiceList']);
      const status = await persisted.metadata.checkDeployStatus(deployed.response.id, true);
      expect(status).toMatchObject({ done: true, status: 'Succeeded' });
    } finally {
      await second.stop();
    }
  });
});
