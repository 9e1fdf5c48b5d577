// DevOps Center on the managed package's objects (sf_devops__...), through a @salesforce/core Connection and git.
import type { Connection } from '@salesforce/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeed } from '../src/seed/index.js';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo, failure } from './fixtures/clients.js';
import {
  branchHead,
  clone,
  commitChange,
  devops,
  errorOf,
  fileOnBranch,
  git,
  removeScratchDirectories,
} from './devops-git.js';

let org: LocalOrg;
let connection: Connection;
let projectId: string;
let pipelineId: string;
const stages: Record<string, string> = {};
const items: Record<string, string> = {};

const connect = <T>(method: 'POST' | 'PATCH', path: string, body: unknown) =>
  connection.request<T>({
    method,
    url: `/services/data/v62.0/connect/devops/${path}`,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

interface WorkItemRow {
  Id: string;
  Name: string;
  sf_devops__State__c: string;
  sf_devops__Branch__r: { sf_devops__Name__c: string } | null;
}

async function workItem(name: string): Promise<WorkItemRow> {
  const result = await connection.query<WorkItemRow>(
    `SELECT Id, Name, sf_devops__State__c, sf_devops__Branch__r.sf_devops__Name__c FROM sf_devops__Work_Item__c WHERE Name = '${name}'`,
  );
  return result.records[0] as WorkItemRow;
}

beforeAll(async () => {
  org = await startLocalOrg({ seed: demoSeed({ devopsModel: 'managed-package' }) });
  connection = await connectTo(org);
  const project = await connection.query<{ Id: string }>(
    "SELECT Id FROM sf_devops__Project__c WHERE Name = 'Acme Sales App'",
  );
  projectId = project.records[0]?.Id as string;
  const pipeline = await connection.query<{ Id: string }>(
    `SELECT Id FROM sf_devops__Pipeline__c WHERE sf_devops__Project__c = '${projectId}' AND sf_devops__Activated__c = true`,
  );
  pipelineId = pipeline.records[0]?.Id as string;
  const stageRows = await connection.query<{ Id: string; Name: string }>(
    `SELECT Id, Name FROM sf_devops__Pipeline_Stage__c WHERE sf_devops__Pipeline__c = '${pipelineId}'`,
  );
  for (const stage of stageRows.records) stages[stage.Name] = stage.Id;
  const itemRows = await connection.query<{ Id: string; Name: string }>(
    'SELECT Id, Name FROM sf_devops__Work_Item__c',
  );
  for (const item of itemRows.records) items[item.Name] = item.Id;
});

afterAll(async () => {
  await org?.stop();
  removeScratchDirectories();
});

describe('the managed-package model', () => {
  it('has the seeded project, stages and work items in sf_devops__ objects, with relationship paths', async () => {
    const result = await connection.query<
      WorkItemRow & {
        sf_devops__Subject__c: string;
        sf_devops__Project__r: { Name: string };
        sf_devops__Assigned_To__r: { Username: string };
      }
    >(
      'SELECT Name, sf_devops__Subject__c, sf_devops__State__c, sf_devops__Branch__r.sf_devops__Name__c, sf_devops__Project__r.Name, sf_devops__Assigned_To__r.Username FROM sf_devops__Work_Item__c ORDER BY Name',
    );
    expect(
      result.records.map((row) => [
        row.Name,
        row.sf_devops__Subject__c,
        row.sf_devops__State__c,
        row.sf_devops__Branch__r?.sf_devops__Name__c ?? null,
        row.sf_devops__Project__r.Name,
        row.sf_devops__Assigned_To__r.Username,
      ]),
    ).toEqual([
      [
        'WI-000001',
        'Show region on the account card',
        'IN_PROGRESS',
        'WI-000001',
        'Acme Sales App',
        'admin@harborlane.sfmcp.test',
      ],
      ['WI-000002', 'Round discounts to cents', 'NEW', null, 'Acme Sales App', 'admin@harborlane.sfmcp.test'],
      [
        'WI-000003',
        'Add a VIP flag to Account',
        'READY_TO_PROMOTE',
        'WI-000003',
        'Acme Sales App',
        'admin@harborlane.sfmcp.test',
      ],
    ]);
    const stageRows = await connection.query<{
      Name: string;
      sf_devops__Next_Stage__r: { Name: string } | null;
      sf_devops__Branch__r: {
        sf_devops__Name__c: string;
        sf_devops__Repository__r: { sf_devops__Url__c: string };
      };
    }>(
      'SELECT Name, sf_devops__Next_Stage__r.Name, sf_devops__Branch__r.sf_devops__Name__c, sf_devops__Branch__r.sf_devops__Repository__r.sf_devops__Url__c FROM sf_devops__Pipeline_Stage__c ORDER BY Name',
    );
    expect(
      stageRows.records.map((row) => [
        row.Name,
        row.sf_devops__Next_Stage__r?.Name ?? null,
        row.sf_devops__Branch__r.sf_devops__Name__c,
      ]),
    ).toEqual([
      ['Integration', 'UAT', 'integration'],
      ['Production', null, 'main'],
      ['UAT', 'Production', 'uat'],
    ]);
    const url = stageRows.records[0]?.sf_devops__Branch__r.sf_devops__Repository__r.sf_devops__Url__c;
    expect(url).toBe(`file://${org.gitRoot}/acme/acme-sales-app`);
    const work = await clone(url as string);
    expect(await fileOnBranch(`${work}/.git`, 'main', 'sfdx-project.json')).toContain('force-app');
  });

  it("knows only the package's objects: the standard model's are INVALID_TYPE", async () => {
    for (const objectName of ['DevopsProject', 'WorkItem', 'DevopsPipelineStage', 'SourceCodeRepository']) {
      const error = await failure(async () => connection.query(`SELECT Id FROM ${objectName} LIMIT 1`));
      expect(error.errorCode).toBe('INVALID_TYPE');
    }
    const describe = await connection.describe('sf_devops__Work_Item__c');
    expect(describe.custom).toBe(true);
    expect(
      describe.fields
        .find((field) => field.name === 'sf_devops__State__c')
        ?.picklistValues?.map((value) => value.value),
    ).toContain('READY_TO_PROMOTE');
  });

  it('runs the same flow: create, IN_PROGRESS with a branch, commit, review, promote', async () => {
    const bare = `${org.gitRoot}/acme/acme-sales-app`;
    const created = await connect<{ id: string; name: string; status: string }>(
      'POST',
      `projects/${projectId}/workitem`,
      {
        subject: 'Flag overdue renewals',
      },
    );
    expect(created).toMatchObject({ name: 'WI-000004', status: 'NEW' });
    items[created.name] = created.id;
    await connect('PATCH', `projects/${projectId}/workitem/${created.id}`, { status: 'IN_PROGRESS' });
    expect(await branchHead(bare, 'WI-000004')).toBe(await branchHead(bare, 'integration'));
    expect(await workItem('WI-000004')).toMatchObject({
      sf_devops__State__c: 'IN_PROGRESS',
      sf_devops__Branch__r: { sf_devops__Name__c: 'WI-000004' },
    });

    const work = await clone(`file://${bare}`);
    const commit = await commitChange(
      work,
      'WI-000004',
      'README.md',
      '# Acme Sales App\n\nRenewals are flagged.\n',
      'Flag renewals',
    );
    await git(work, 'push', '--quiet', 'origin', 'WI-000004');
    const registered = await connect<{ status: string }>('POST', `workItems/${created.id}/commitlite`, {
      requestId: 'mp-commit-1',
      commitMessage: 'Flag renewals',
      commitId: commit,
      changes: [{ fullName: 'README', type: 'Document', operation: 'modify' }],
    });
    expect(registered.status).toBe('SUCCESS');
    const info = await connection.query<{ Status: string }>(
      "SELECT Status FROM DevopsRequestInfo WHERE RequestToken = 'mp-commit-1'",
    );
    expect(info.records[0]?.Status).toBe('SUCCESS');

    const review = await connect<{ targetBranch: string; status: string }>(
      'POST',
      `workItems/${created.id}/review`,
      {},
    );
    expect(review).toMatchObject({ targetBranch: 'integration', status: 'OPEN' });
    expect((await workItem('WI-000004')).sf_devops__State__c).toBe('IN_REVIEW');

    const early = await devops(org, 'POST', `pipelines/${pipelineId}/promote`, {
      workitemIds: [created.id],
      targetStageId: stages.Integration,
    });
    expect(early.status).toBe(400);
    expect(errorOf(early).message).toContain('READY_TO_PROMOTE');

    await connect('PATCH', `projects/${projectId}/workitem/${created.id}`, { status: 'READY_TO_PROMOTE' });
    const promoted = await connect<{ requestId: string }>('POST', `pipelines/${pipelineId}/promote`, {
      workitemIds: [created.id, items['WI-000003']],
      targetStageId: stages.Integration,
      allWorkItemsInStage: false,
      isCheckDeploy: false,
      deployOptions: { testLevel: 'NoTestRun', isFullDeploy: false },
    });
    const request = await connection.query<{ Status: string; Message: string }>(
      `SELECT Status, Message FROM DevopsRequestInfo WHERE RequestToken = '${promoted.requestId}'`,
    );
    expect(request.records[0]?.Status).toBe('SUCCESS');
    expect(request.records[0]?.Message).toContain('stage environments are not modeled by the local org');
    expect(await fileOnBranch(bare, 'integration', 'README.md')).toContain('Renewals are flagged');
    expect(
      await fileOnBranch(
        bare,
        'integration',
        'force-app/main/default/objects/Account/fields/VIP__c.field-meta.xml',
      ),
    ).toBeDefined();

    const promotes = await connection.query<{
      sf_devops__Work_Item__r: { Name: string; sf_devops__State__c: string };
      sf_devops__Pipeline_Stage__r: { Name: string };
      sf_devops__Deployment_Result__r: {
        sf_devops__Completion_Date__c: string | null;
        sf_devops__Deployment_Id__c: string | null;
        sf_devops__Status__r: { sf_devops__Status__c: string; sf_devops__Message__c: string };
      };
    }>(
      'SELECT sf_devops__Work_Item__r.Name, sf_devops__Work_Item__r.sf_devops__State__c, sf_devops__Pipeline_Stage__r.Name, sf_devops__Deployment_Result__r.sf_devops__Completion_Date__c, sf_devops__Deployment_Result__r.sf_devops__Deployment_Id__c, sf_devops__Deployment_Result__r.sf_devops__Status__r.sf_devops__Status__c, sf_devops__Deployment_Result__r.sf_devops__Status__r.sf_devops__Message__c FROM sf_devops__Work_Item_Promote__c ORDER BY sf_devops__Work_Item__r.Name',
    );
    expect(
      promotes.records.map((row) => [
        row.sf_devops__Work_Item__r.Name,
        row.sf_devops__Work_Item__r.sf_devops__State__c,
        row.sf_devops__Pipeline_Stage__r.Name,
      ]),
    ).toEqual([
      ['WI-000003', 'PROMOTED', 'Integration'],
      ['WI-000004', 'PROMOTED', 'Integration'],
    ]);
    const result = promotes.records[0]?.sf_devops__Deployment_Result__r;
    expect(result?.sf_devops__Completion_Date__c).toEqual(expect.any(String));
    // Nothing was deployed, so there is no deployment id.
    expect(result?.sf_devops__Deployment_Id__c).toBeNull();
    expect(result?.sf_devops__Status__r).toMatchObject({ sf_devops__Status__c: 'Completed' });

    // The next promotion goes to UAT: the package's current stage is the latest Work Item Promote.
    const skipping = await devops(org, 'POST', `pipelines/${pipelineId}/promote`, {
      workitemIds: [created.id],
      targetStageId: stages.Integration,
    });
    expect(errorOf(skipping).message).toBe(
      'WI-000004 can be promoted to UAT, not to Integration (stages are promoted in order)',
    );
  });
});
