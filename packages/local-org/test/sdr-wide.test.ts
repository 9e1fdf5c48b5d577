// A project with many metadata types the org only keeps as files deploys whole and retrieves as it went in.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthInfo, Connection } from '@salesforce/core';
import { ComponentSet, RequestStatus } from '@salesforce/source-deploy-retrieve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/dx-project-wide', import.meta.url));

let org: LocalOrg;
let connection: Connection;
const scratch: string[] = [];

function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sdr-wide-'));
  scratch.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function filesUnder(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path).replace(/^metadataPackage_\d+\//, ''), readFileSync(path));
    }
  };
  walk(root);
  return files;
}

beforeAll(async () => {
  org = await startLocalOrg({ seed: { users: [{ Username: 'wide@local-org.sfmcp.test', LastName: 'Wide' }] } });
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

describe('a project of many metadata types', () => {
  it('deploys whole and retrieves file for file, binaries included', async () => {
    const source = copyProject();
    const deployed = await (await ComponentSet.fromSource(join(source, 'force-app')).deploy({ usernameOrConnection: connection })).pollStatus(50, 60);
    expect(deployed.response.details.componentFailures ?? []).toEqual([]);
    expect(deployed.response.status).toBe(RequestStatus.Succeeded);
    const types = new Set(deployed.getFileResponses().map((response) => response.type));
    for (const type of ['Document', 'DocumentFolder', 'EmailTemplate', 'EmailFolder', 'StaticResource', 'Flow', 'CustomMetadata', 'GlobalValueSet', 'Workflow', 'Profile', 'CustomApplication', 'ApexPage', 'QuickAction', 'Settings']) {
      expect(types, type).toContain(type);
    }

    const settings = await connection.query<{ DeveloperName: string; MasterLabel: string; Code__c: string }>('SELECT DeveloperName, MasterLabel, Code__c FROM Region_Setting__mdt');
    expect(settings.records.map((record) => [record.DeveloperName, record.MasterLabel, record.Code__c])).toEqual([['EMEA', 'EMEA', 'EU']]);

    const target = mkdtempSync(join(tmpdir(), 'sdr-wide-out-'));
    scratch.push(target);
    const retrieved = await (
      await ComponentSet.fromSource(join(source, 'force-app')).retrieve({ usernameOrConnection: connection, output: join(target, 'force-app'), merge: false })
    ).pollStatus(50, 60);
    expect(retrieved.response.status).toBe(RequestStatus.Succeeded);
    expect(retrieved.response.messages ?? []).toEqual([]);
    const expected = filesUnder(join(source, 'force-app'));
    const actual = filesUnder(join(target, 'force-app'));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected) expect(actual.get(path)?.equals(content), path).toBe(true);
  });
});
