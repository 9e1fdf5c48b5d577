// Destructive changes through the real clients: source-deploy-retrieve deletes custom fields and objects
// from a local org, with their data, refuses what Salesforce refuses, and a failed deploy changes nothing.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from '@salesforce/core';
import { ComponentSet, RequestStatus, type DeployResult } from '@salesforce/source-deploy-retrieve';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo, failure } from './fixtures/clients.js';
import { Scratch, deployDeletions } from './fixtures/projects.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/destructive-project', import.meta.url));

let org: LocalOrg;
let connection: Connection;
const scratch = new Scratch();

/** Deploys an empty package with the given destructive manifests (file name → types). */
function deleteWith(
  manifests: Record<string, Record<string, string[]>>,
  apiOptions: Record<string, unknown> = {},
): Promise<DeployResult> {
  return deployDeletions(connection, scratch, manifests, apiOptions);
}

/** Everything a failed deploy must leave as it was: custom objects and fields, records, stored metadata. */
function orgPicture(): string {
  const objects = org.state.schema
    .listObjects()
    .filter((def) => def.custom || def.name === 'Account')
    .map((def) => [def.name, def.fields.map((field) => field.name).sort()]);
  const tables = org.state.records.allTables().filter(([name]) => /__c$/i.test(name) || name === 'Account');
  const store = structuredClone(org.state.extensions.get('metadata.store')) as { idCounter?: number };
  // Every deploy takes a job id from the counter: that is not a change to the org.
  delete store.idCounter;
  return JSON.stringify({ objects, tables, store });
}

const successes = (result: DeployResult) => [result.response.details.componentSuccesses ?? []].flat();
const failures = (result: DeployResult) => [result.response.details.componentFailures ?? []].flat();

let projectId = '';
let accountId = '';

beforeAll(async () => {
  org = await startLocalOrg();
  connection = await connectTo(org);
  const deployed = await (
    await ComponentSet.fromSource(join(FIXTURE, 'force-app')).deploy({ usernameOrConnection: connection })
  ).pollStatus(50, 60);
  expect(deployed.response.status).toBe(RequestStatus.Succeeded);
  const project = await connection.sobject('Project__c').create({
    Name: 'Harbour',
    Budget__c: 25000,
    Notes__c: 'keep the old pier',
    Code__c: 'HB-1',
  });
  projectId = String((project as { id: string }).id);
  await connection.sobject('Project_Task__c').create({ Name: 'Survey', Project__c: projectId, Hours__c: 4 });
  const account = await connection.sobject('Account').create({
    Name: 'Destructive Ltd',
    Region_Code__c: 'EMEA',
    Health_Score__c: 80,
  });
  accountId = String((account as { id: string }).id);
});

afterAll(async () => {
  await org?.stop();
  scratch.clean();
});

describe('destructive changes', () => {
  it('refuses to delete a field a formula refers to, and changes nothing', async () => {
    const before = orgPicture();
    const result = await deleteWith({ 'destructiveChanges.xml': { CustomField: ['Project__c.Budget__c'] } });
    expect(result.response.status).toBe(RequestStatus.Failed);
    expect(failures(result)).toEqual([
      expect.objectContaining({
        componentType: 'CustomField',
        fullName: 'Project__c.Budget__c',
        problemType: 'Error',
        problem: expect.stringMatching(
          /^This custom field is referenced elsewhere in salesforce\.com\. : .*Project__c\.Budget_Band__c/,
        ),
      }),
    ]);
    expect(orgPicture()).toBe(before);
  });

  it('refuses a field Apex names, a standard field, a standard object and a master with its detail, in one all-or-nothing deploy', async () => {
    const before = orgPicture();
    const result = await deleteWith({
      'destructiveChanges.xml': {
        CustomField: ['Account.Health_Score__c', 'Account.Industry', 'Project__c.Notes__c'],
        CustomObject: ['Account', 'Project__c'],
      },
    });
    expect(result.response.status).toBe(RequestStatus.Failed);
    const problems = Object.fromEntries(failures(result).map((entry) => [entry.fullName, entry.problem]));
    expect(problems['Account.Health_Score__c']).toMatch(
      /referenced elsewhere in salesforce\.com\. : Apex Class - AccountHealth/,
    );
    expect(problems['Account.Industry']).toMatch(/standard field/);
    expect(problems.Account).toMatch(/standard object/);
    expect(problems.Project__c).toMatch(/master.*Project_Task__c\.Project__c/);
    // Notes__c alone could go, but the deploy is all or nothing.
    expect(problems['Project__c.Notes__c']).toBeUndefined();
    expect(result.response.numberComponentsDeployed).toBe(0);
    expect(orgPicture()).toBe(before);
    const row = await connection.query<{ Notes__c: string }>(
      `SELECT Notes__c FROM Project__c WHERE Id = '${projectId}'`,
    );
    expect(row.records[0]?.Notes__c).toBe('keep the old pier');
  });

  it('a validation (checkOnly) of deletions reports them and rolls them back', async () => {
    const before = orgPicture();
    const result = await deleteWith(
      { 'destructiveChanges.xml': { CustomObject: ['Project__c', 'Project_Task__c'] } },
      { checkOnly: true },
    );
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(successes(result)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ componentType: 'CustomObject', fullName: 'Project__c', deleted: true }),
        expect.objectContaining({
          componentType: 'CustomObject',
          fullName: 'Project_Task__c',
          deleted: true,
        }),
      ]),
    );
    expect(orgPicture()).toBe(before);
    expect((await connection.query('SELECT Id FROM Project_Task__c')).totalSize).toBe(1);
  });

  it('deletes a custom field with its data, through a ComponentSet marked for deletion', async () => {
    const fields = join(FIXTURE, 'force-app/main/default/objects');
    const set = await ComponentSet.fromSource({
      fsPaths: [],
      fsDeletePaths: [
        join(fields, 'Account/fields/Region_Code__c.field-meta.xml'),
        join(fields, 'Project__c/fields/Notes__c.field-meta.xml'),
      ],
    });
    set.apiVersion = '62.0';
    const result = await (await set.deploy({ usernameOrConnection: connection })).pollStatus(50, 60);
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(successes(result)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          componentType: 'CustomField',
          fullName: 'Account.Region_Code__c',
          deleted: true,
        }),
        expect.objectContaining({
          componentType: 'CustomField',
          fullName: 'Project__c.Notes__c',
          deleted: true,
        }),
      ]),
    );

    const describe = await connection.sobject('Account').describe();
    expect(describe.fields.map((field) => field.name)).not.toContain('Region_Code__c');
    const error = await failure(async () => {
      await connection.query('SELECT Region_Code__c FROM Account');
    });
    expect(error.message).toMatch(/No such column 'Region_Code__c'/);
    // The data went with the field.
    const stored = org.state.records.get(accountId);
    expect(stored).toBeDefined();
    expect(Object.keys(stored ?? {})).not.toContain('Region_Code__c');
    expect(stored?.Health_Score__c).toBe(80);
    // The metadata went too.
    const listed = [await connection.metadata.list([{ type: 'CustomField' }])]
      .flat()
      .map((entry) => entry.fullName);
    expect(listed).not.toContain('Project__c.Notes__c');
    expect(listed).toContain('Project__c.Budget__c');
    const project = await connection.metadata.read('CustomObject', 'Project__c');
    const fieldNames = [(project as unknown as { fields?: unknown }).fields ?? []]
      .flat()
      .map((field) => (field as { fullName: string }).fullName);
    expect(fieldNames).not.toContain('Notes__c');
    // A field of that name can be made again, empty.
    const again = await (
      await ComponentSet.fromSource(join(FIXTURE, 'force-app/main/default/objects/Project__c')).deploy({
        usernameOrConnection: connection,
      })
    ).pollStatus(50, 60);
    expect(again.response.status).toBe(RequestStatus.Succeeded);
    const row = await connection.query<{ Notes__c: string | null }>(
      `SELECT Notes__c FROM Project__c WHERE Id = '${projectId}'`,
    );
    expect(row.records[0]?.Notes__c).toBeNull();
  });

  it('deletes a formula field and the field it refers to together', async () => {
    const result = await deleteWith({
      'destructiveChanges.xml': { CustomField: ['Project__c.Budget__c', 'Project__c.Budget_Band__c'] },
    });
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    const fields = (await connection.sobject('Project__c').describe()).fields.map((field) => field.name);
    expect(fields).not.toContain('Budget__c');
    expect(fields).not.toContain('Budget_Band__c');
  });

  it('deletes a master object with its detail object and every record of both; the preview-free result counts them', async () => {
    const result = await deleteWith({
      // Master listed first: the org deletes the detail first.
      'destructiveChanges.xml': { CustomObject: ['Project__c', 'Project_Task__c'] },
    });
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect(successes(result)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ componentType: 'CustomObject', fullName: 'Project__c', deleted: true }),
        expect.objectContaining({
          componentType: 'CustomObject',
          fullName: 'Project_Task__c',
          deleted: true,
        }),
      ]),
    );
    expect(result.response.numberComponentsDeployed).toBe(2);
    const error = await failure(async () => {
      await connection.query('SELECT Id FROM Project__c');
    });
    expect(error.message).toMatch(/sObject type 'Project__c' is not supported/);
    const describeError = await failure(() => connection.sobject('Project_Task__c').describe());
    expect(describeError.errorCode).toBe('NOT_FOUND');
    expect(org.state.records.get(projectId)).toBeUndefined();
    expect(org.state.records.allTables().map(([name]) => name)).not.toContain('Project__c');
    const listed = [await connection.metadata.list([{ type: 'CustomObject' }])]
      .flat()
      .map((entry) => entry.fullName);
    expect(listed).not.toContain('Project__c');
    expect(listed).not.toContain('Project_Task__c');
    // Deleting it again finds nothing.
    const again = await deleteWith({ 'destructiveChanges.xml': { CustomObject: ['Project__c'] } });
    expect(again.response.status).toBe(RequestStatus.Succeeded);
    expect(successes(again)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          problem: 'No CustomObject named: Project__c found',
          problemType: 'Warning',
        }),
      ]),
    );
  });

  it('a field Apex names can go once the class goes in the same deploy (destructiveChangesPre)', async () => {
    const result = await deleteWith({
      'destructiveChangesPre.xml': { ApexClass: ['AccountHealth'] },
      'destructiveChangesPost.xml': { CustomField: ['Account.Health_Score__c'] },
    });
    expect(result.response.status).toBe(RequestStatus.Succeeded);
    expect((await connection.sobject('Account').describe()).fields.map((field) => field.name)).not.toContain(
      'Health_Score__c',
    );
  });
});
