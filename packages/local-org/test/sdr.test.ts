// Through the real clients: @salesforce/source-deploy-retrieve deploys and retrieves a DX project against startLocalOrg.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthInfo, Connection } from '@salesforce/core';
import { ComponentSet, RequestStatus, type DeployResult } from '@salesforce/source-deploy-retrieve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/dx-project', import.meta.url));

let org: LocalOrg;
let connection: Connection;
const scratch: string[] = [];

function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sdr-project-'));
  scratch.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function filesUnder(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
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
  const authInfo = await AuthInfo.create({
    username: org.username,
    accessTokenOptions: { accessToken: org.accessToken, instanceUrl: org.instanceUrl, loginUrl: org.loginUrl },
  });
  connection = await Connection.create({ authInfo, connectionOptions: { version: '62.0' } });
});

afterAll(async () => {
  await org?.stop();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('source-deploy-retrieve against the local org', () => {
  it('deploys a DX project: Apex, a custom object with fields, an LWC bundle and a permission set', async () => {
    const result = await deploy(copyProject());
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(result.response.success).toBe(true);
    const responses = result.getFileResponses();
    const byType = (type: string) => responses.filter((response) => response.type === type).map((response) => response.fullName);
    expect(new Set(byType('ApexClass'))).toEqual(new Set(['InvoiceService', 'InvoiceServiceTest']));
    expect(byType('CustomObject')).toContain('Invoice__c');
    expect(byType('LightningComponentBundle')).toContain('invoiceList');
    expect(byType('PermissionSet')).toContain('Invoice_Manager');
    expect(responses.every((response) => response.state === 'Created')).toBe(true);

    const classes = await connection.tooling.query<{ Name: string; Status: string; ApiVersion: number }>(
      "SELECT Name, Status, ApiVersion FROM ApexClass WHERE Name LIKE 'Invoice%' ORDER BY Name",
    );
    expect(classes.records.map((record) => [record.Name, record.Status, record.ApiVersion])).toEqual([
      ['InvoiceService', 'Active', 62],
      ['InvoiceServiceTest', 'Active', 62],
    ]);

    const invoice = await connection.describe('Invoice__c');
    const fields = new Map(invoice.fields.map((field) => [field.name, field]));
    expect(invoice.label).toBe('Invoice');
    expect(fields.get('Amount__c')).toMatchObject({ type: 'currency', precision: 16, scale: 2 });
    expect(fields.get('Status__c')?.picklistValues?.map((value) => value.value)).toEqual(['Draft', 'Sent', 'Paid']);
    expect(fields.get('Customer__c')).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Customer__r' });
    expect(fields.get('Paid__c')).toMatchObject({ type: 'boolean' });
    expect(fields.get('Due_Date__c')).toMatchObject({ type: 'date' });
    expect(fields.get('Name')).toMatchObject({ autoNumber: true });

    const account = await connection.sobject('Account').create({ Name: 'Acme' });
    await connection.sobject('Invoice__c').create({ Amount__c: 120.5, Status__c: 'Sent', Customer__c: (account as { id: string }).id });
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
    const operation = await components.retrieve({ usernameOrConnection: connection, output: join(target, 'force-app'), merge: false });
    const result = await operation.pollStatus(50, 60);
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(result.response.messages ?? []).toEqual([]);
    const expected = filesUnder(join(source, 'force-app'));
    // Outside a package directory SDR writes into a folder of its own naming (metadataPackage_<time>).
    const actual = new Map([...filesUnder(join(target, 'force-app'))].map(([path, content]) => [path.replace(/^metadataPackage_\d+\//, ''), content]));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected) expect(actual.get(path), path).toBe(content);
  });
});
