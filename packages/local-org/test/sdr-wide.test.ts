// A project with many metadata types the org only keeps as files deploys whole and retrieves as it went in.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@salesforce/core';
import { ComponentSet, RequestStatus } from '@salesforce/source-deploy-retrieve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo } from './fixtures/clients.js';
import { filesUnder, Scratch } from './fixtures/projects.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/dx-project-wide', import.meta.url));

let org: LocalOrg;
let connection: Connection;
const scratch = new Scratch();

function copyProject(): string {
  return scratch.copy(FIXTURE, 'sdr-wide-');
}

beforeAll(async () => {
  org = await startLocalOrg({
    seed: { users: [{ Username: 'wide@local-org.sfmcp.test', LastName: 'Wide' }] },
  });
  connection = await connectTo(org);
});

afterAll(async () => {
  await org?.stop();
  scratch.clean();
});

describe('a project of many metadata types', () => {
  it('deploys whole and retrieves file for file, binaries included', async () => {
    const source = copyProject();
    const deployed = await (
      await ComponentSet.fromSource(join(source, 'force-app')).deploy({ usernameOrConnection: connection })
    ).pollStatus(50, 60);
    expect(deployed.response.details.componentFailures ?? []).toEqual([]);
    expect(deployed.response.status).toBe(RequestStatus.Succeeded);
    const types = new Set(deployed.getFileResponses().map((response) => response.type));
    for (const type of [
      'Document',
      'DocumentFolder',
      'EmailTemplate',
      'EmailFolder',
      'StaticResource',
      'Flow',
      'CustomMetadata',
      'GlobalValueSet',
      'Workflow',
      'Profile',
      'CustomApplication',
      'ApexPage',
      'QuickAction',
      'Settings',
    ]) {
      expect(types, type).toContain(type);
    }

    const settings = await connection.query<{ DeveloperName: string; MasterLabel: string; Code__c: string }>(
      'SELECT DeveloperName, MasterLabel, Code__c FROM Region_Setting__mdt',
    );
    expect(
      settings.records.map((record) => [record.DeveloperName, record.MasterLabel, record.Code__c]),
    ).toEqual([['EMEA', 'EMEA', 'EU']]);

    const target = scratch.dir('sdr-wide-out-');
    const retrieved = await (
      await ComponentSet.fromSource(join(source, 'force-app')).retrieve({
        usernameOrConnection: connection,
        output: join(target, 'force-app'),
        merge: false,
      })
    ).pollStatus(50, 60);
    expect(retrieved.response.status).toBe(RequestStatus.Succeeded);
    expect(retrieved.response.messages ?? []).toEqual([]);
    const expected = filesUnder(join(source, 'force-app'));
    const actual = filesUnder(join(target, 'force-app'));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected) expect(actual.get(path)?.equals(content), path).toBe(true);
  });
});
