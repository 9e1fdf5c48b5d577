// DevOps Center (standard objects) through the real clients: a @salesforce/core Connection for SOQL,
// describe and the Connect resources, and plain git against the org's bare repositories.
import type { Connection } from '@salesforce/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeed } from '../src/seed/index.js';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo, failure } from './fixtures/clients.js';
import {
  branchHead,
  branches,
  clone,
  commitChange,
  devops,
  errorOf,
  fileOnBranch,
  git,
  readText,
  removeScratchDirectories,
} from './devops-git.js';

let org: LocalOrg;
let connection: Connection;
let bare: string;
let projectId: string;
let pipelineId: string;
const stages: Record<string, string> = {};
const items: Record<string, string> = {};

interface WorkItemRow {
  Id: string;
  Name: string;
  Status: string;
  DevopsPipelineStage: { Name: string } | null;
  SourceCodeRepositoryBranch: { Name: string } | null;
}

async function workItem(name: string): Promise<WorkItemRow> {
  const result = await connection.query<WorkItemRow>(
    `SELECT Id, Name, Status, DevopsPipelineStage.Name, SourceCodeRepositoryBranch.Name FROM WorkItem WHERE Name = '${name}'`,
  );
  return result.records[0] as WorkItemRow;
}

async function request(token: string) {
  const result = await connection.query<{
    Status: string;
    Message: string;
    ErrorDetails: string | null;
    OperationType: string;
  }>(
    `SELECT Status, Message, ErrorDetails, OperationType FROM DevopsRequestInfo WHERE RequestToken = '${token}'`,
  );
  return result.records[0];
}

const connect = <T>(method: 'POST' | 'PATCH' | 'GET', path: string, body?: unknown) =>
  connection.request<T>({
    method,
    url: `/services/data/v62.0/connect/devops/${path}`,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: { 'content-type': 'application/json' },
  });

async function createItem(subject: string): Promise<{ id: string; name: string }> {
  const created = await connect<{ id: string; name: string }>('POST', `projects/${projectId}/workitem`, {
    subject,
  });
  items[created.name] = created.id;
  return created;
}

async function setStatus(name: string, status: string) {
  return connect<{ id: string; name: string; status: string }>(
    'PATCH',
    `projects/${projectId}/workitem/${items[name]}`,
    { status },
  );
}

async function promote(names: string[], stage: string, extra: Record<string, unknown> = {}) {
  const reply = await connect<{ requestId: string }>('POST', `pipelines/${pipelineId}/promote`, {
    workitemIds: names.map((name) => items[name]),
    targetStageId: stages[stage],
    allWorkItemsInStage: false,
    isCheckDeploy: false,
    deployOptions: { testLevel: 'NoTestRun', isFullDeploy: false },
    ...extra,
  });
  return { requestId: reply.requestId, request: await request(reply.requestId) };
}

/** A work item IN_PROGRESS whose branch has one pushed commit writing `file`; returns its name. */
async function itemWithChange(subject: string, file: string, content: string): Promise<string> {
  const { name } = await createItem(subject);
  await setStatus(name, 'IN_PROGRESS');
  const work = await clone(`file://${bare}`);
  await commitChange(work, name, file, content, subject);
  await git(work, 'push', '--quiet', 'origin', name);
  return name;
}

beforeAll(async () => {
  org = await startLocalOrg({ seed: demoSeed() });
  connection = await connectTo(org);
  bare = `${org.gitRoot}/acme/acme-sales-app`;
  const project = await connection.query<{ Id: string }>(
    "SELECT Id FROM DevopsProject WHERE Name = 'Acme Sales App'",
  );
  projectId = project.records[0]?.Id as string;
  const link = await connection.query<{ DevopsPipelineId: string }>(
    `SELECT DevopsPipelineId FROM DevopsProjectPipeline WHERE DevopsProjectId = '${projectId}'`,
  );
  pipelineId = link.records[0]?.DevopsPipelineId as string;
  const stageRows = await connection.query<{ Id: string; Name: string }>(
    `SELECT Id, Name FROM DevopsPipelineStage WHERE DevopsPipelineId = '${pipelineId}'`,
  );
  for (const stage of stageRows.records) stages[stage.Name] = stage.Id;
  const itemRows = await connection.query<{ Id: string; Name: string }>('SELECT Id, Name FROM WorkItem');
  for (const item of itemRows.records) items[item.Name] = item.Id;
});

afterAll(async () => {
  await org?.stop();
  removeScratchDirectories();
});

describe('the seeded DevOps Center data', () => {
  it('answers SOQL with relationship paths over work items, branches, repositories and stages', async () => {
    const result = await connection.query(
      'SELECT Name, Subject, Status, AssignedTo.Username, SourceCodeRepositoryBranch.Name, SourceCodeRepositoryBranch.SourceCodeRepository.RepositoryOwner, SourceCodeRepositoryBranch.SourceCodeRepository.Name, DevopsPipelineStage.Name, DevopsProject.Name FROM WorkItem ORDER BY Name',
    );
    const rows = result.records.map((row) => {
      const record = row as Record<string, unknown> & {
        AssignedTo: { Username: string };
        SourceCodeRepositoryBranch: {
          Name: string;
          SourceCodeRepository: { RepositoryOwner: string; Name: string };
        } | null;
        DevopsProject: { Name: string };
      };
      return [
        record.Name,
        record.Subject,
        record.Status,
        record.AssignedTo.Username,
        record.SourceCodeRepositoryBranch?.Name ?? null,
        record.SourceCodeRepositoryBranch?.SourceCodeRepository.RepositoryOwner ?? null,
        record.SourceCodeRepositoryBranch?.SourceCodeRepository.Name ?? null,
        record.DevopsPipelineStage,
        record.DevopsProject.Name,
      ];
    });
    expect(rows).toEqual([
      [
        'WI-000001',
        'Show region on the account card',
        'IN_PROGRESS',
        'admin@harborlane.sfmcp.test',
        'WI-000001',
        'acme',
        'acme-sales-app',
        null,
        'Acme Sales App',
      ],
      [
        'WI-000002',
        'Round discounts to cents',
        'NEW',
        'admin@harborlane.sfmcp.test',
        null,
        null,
        null,
        null,
        'Acme Sales App',
      ],
      [
        'WI-000003',
        'Add a VIP flag to Account',
        'READY_TO_PROMOTE',
        'admin@harborlane.sfmcp.test',
        'WI-000003',
        'acme',
        'acme-sales-app',
        null,
        'Acme Sales App',
      ],
    ]);
  });

  it('has the pipeline Integration → UAT → Production on the integration, uat and main branches', async () => {
    const result = await connection.query<{
      Name: string;
      NextStage: { Name: string } | null;
      SourceCodeRepositoryBranch: { Name: string };
      DevopsPipeline: { Name: string };
    }>(
      `SELECT Name, NextStage.Name, SourceCodeRepositoryBranch.Name, DevopsPipeline.Name FROM DevopsPipelineStage ORDER BY Name`,
    );
    expect(
      result.records.map((row) => [
        row.Name,
        row.NextStage?.Name ?? null,
        row.SourceCodeRepositoryBranch.Name,
        row.DevopsPipeline.Name,
      ]),
    ).toEqual([
      ['Integration', 'UAT', 'integration', 'Acme Release Pipeline'],
      ['Production', null, 'main', 'Acme Release Pipeline'],
      ['UAT', 'Production', 'uat', 'Acme Release Pipeline'],
    ]);
  });

  it('gives the clone URL as BaseUrl/RepositoryOwner/ExternalRepositoryName, and git clones it with every seeded branch', async () => {
    const result = await connection.query<{
      RepositoryOwner: string;
      ExternalRepositoryName: string;
      DefaultBranch: string;
      Provider: string;
      SourceCodeRepoProvider: { BaseUrl: string; Provider: string };
    }>(
      'SELECT RepositoryOwner, ExternalRepositoryName, DefaultBranch, Provider, SourceCodeRepoProvider.BaseUrl, SourceCodeRepoProvider.Provider FROM SourceCodeRepository',
    );
    const repository = result.records[0];
    expect(repository).toMatchObject({
      RepositoryOwner: 'acme',
      ExternalRepositoryName: 'acme-sales-app',
      DefaultBranch: 'main',
      Provider: 'GITHUB',
    });
    expect(repository?.SourceCodeRepoProvider.BaseUrl).toBe(`file://${org.gitRoot}`);
    const url = `${repository?.SourceCodeRepoProvider.BaseUrl}/${repository?.RepositoryOwner}/${repository?.ExternalRepositoryName}`;
    const work = await clone(url);
    const remote = (await git(work, 'for-each-ref', '--format=%(refname:short)', 'refs/remotes/origin/'))
      .split('\n')
      .filter((name) => name !== '' && name !== 'origin/HEAD' && name !== 'origin')
      .sort();
    expect(remote).toEqual([
      'origin/WI-000001',
      'origin/WI-000003',
      'origin/integration',
      'origin/main',
      'origin/uat',
    ]);
    expect((await git(work, 'rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('main');
    const sfdxProject = JSON.parse(await readText(`${work}/sfdx-project.json`)) as Record<string, unknown>;
    expect(sfdxProject).toMatchObject({
      packageDirectories: [{ path: 'force-app', default: true }],
      sourceApiVersion: '62.0',
    });
    for (const file of [
      '.forceignore',
      'README.md',
      'force-app/main/default/classes/AccountService.cls',
      'force-app/main/default/classes/AccountService.cls-meta.xml',
      'force-app/main/default/classes/DiscountCalculator.cls',
      'force-app/main/default/classes/DiscountCalculator.cls-meta.xml',
      'force-app/main/default/objects/Account/fields/Region__c.field-meta.xml',
    ])
      for (const branch of ['main', 'integration', 'uat'])
        expect(await fileOnBranch(bare, branch, file)).toBeDefined();
    const vip = 'force-app/main/default/objects/Account/fields/VIP__c.field-meta.xml';
    expect(await fileOnBranch(bare, 'WI-000003', vip)).toContain('<fullName>VIP__c</fullName>');
    expect(await fileOnBranch(bare, 'integration', vip)).toBeUndefined();
    expect(
      await fileOnBranch(bare, 'WI-000001', 'force-app/main/default/classes/AccountService.cls'),
    ).toContain('regionLabel');
  });

  it('describes WorkItem with its status picklist and WI-{000000} names', async () => {
    const describe = await connection.describe('WorkItem');
    const status = describe.fields.find((field) => field.name === 'Status');
    expect(status?.picklistValues?.map((value) => value.value)).toEqual([
      'NEW',
      'IN_PROGRESS',
      'IN_REVIEW',
      'READY_TO_PROMOTE',
      'PROMOTED',
      'CLOSED',
      'NEVERED',
    ]);
    const name = describe.fields.find((field) => field.name === 'Name');
    expect(name?.autoNumber).toBe(true);
  });

  it("knows only the standard model's objects: the managed package's are INVALID_TYPE", async () => {
    for (const objectName of ['sf_devops__Project__c', 'sf_devops__Work_Item__c']) {
      const error = await failure(async () => connection.query(`SELECT Id FROM ${objectName} LIMIT 1`));
      expect(error.errorCode).toBe('INVALID_TYPE');
    }
  });
});

describe('POST projects/{id}/workitem', () => {
  it('creates a NEW work item with the next WI number', async () => {
    const created = await connect<Record<string, unknown>>('POST', `projects/${projectId}/workitem`, {
      subject: 'Log discount overrides',
      description: 'Keep a record of manual discount changes.',
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^1wI/),
      name: 'WI-000004',
      subject: 'Log discount overrides',
      description: 'Keep a record of manual discount changes.',
      status: 'NEW',
    });
    items['WI-000004'] = created.id as string;
    const row = await workItem('WI-000004');
    expect(row).toMatchObject({ Status: 'NEW', SourceCodeRepositoryBranch: null });
  });

  it('answers 400 without a subject, 404 for an unknown project, and 400 for a body that is not JSON', async () => {
    const noSubject = await devops(org, 'POST', `projects/${projectId}/workitem`, { description: 'x' });
    expect(noSubject.status).toBe(400);
    expect(errorOf(noSubject)).toMatchObject({
      errorCode: 'INVALID_API_INPUT',
      message: 'subject is required',
    });
    const wrongType = await devops(org, 'POST', `projects/${projectId}/workitem`, { subject: 42 });
    expect(wrongType.status).toBe(400);
    const unknown = await devops(org, 'POST', `projects/${pipelineId}/workitem`, { subject: 'x' });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).errorCode).toBe('NOT_FOUND');
    const malformed = await devops(org, 'POST', `projects/..%2F..%2Fetc/workitem`, { subject: 'x' });
    expect(malformed.status).toBe(404);
    const notJson = await devops(org, 'POST', `projects/${projectId}/workitem`, '{"subject": ');
    expect(notJson.status).toBe(400);
    expect(errorOf(notJson).errorCode).toBe('JSON_PARSER_ERROR');
    const array = await devops(org, 'POST', `projects/${projectId}/workitem`, '[]');
    expect(array.status).toBe(400);
  });
});

describe('PATCH projects/{id}/workitem/{id}', () => {
  it('moving to IN_PROGRESS creates the branch from the first stage branch and links it', async () => {
    expect(await branchHead(bare, 'WI-000002')).toBeUndefined();
    const updated = await setStatus('WI-000002', 'IN_PROGRESS');
    expect(updated).toEqual({ id: items['WI-000002'], name: 'WI-000002', status: 'IN_PROGRESS' });
    expect(await branchHead(bare, 'WI-000002')).toBe(await branchHead(bare, 'integration'));
    const row = await workItem('WI-000002');
    expect(row).toMatchObject({ Status: 'IN_PROGRESS', SourceCodeRepositoryBranch: { Name: 'WI-000002' } });
    // Again: the branch is kept, not made twice.
    await setStatus('WI-000002', 'IN_PROGRESS');
    const branchRows = await connection.query(
      "SELECT Id FROM SourceCodeRepositoryBranch WHERE Name = 'WI-000002'",
    );
    expect(branchRows.totalSize).toBe(1);
  });

  it('takes 15-character ids as well as 18-character ones', async () => {
    const created = await devops(org, 'POST', `projects/${projectId.slice(0, 15)}/workitem`, {
      subject: 'Short ids',
    });
    expect(created.status).toBe(201);
    const { id, name } = created.body as { id: string; name: string };
    items[name] = id;
    const updated = await devops(
      org,
      'PATCH',
      `projects/${projectId.slice(0, 15)}/workitem/${id.slice(0, 15)}`,
      {
        status: 'CLOSED',
      },
    );
    expect(updated).toMatchObject({ status: 200, body: { name, status: 'CLOSED' } });
    const row = await connection.query<{ DevopsProjectId: string }>(
      `SELECT DevopsProjectId FROM WorkItem WHERE Name = '${name}'`,
    );
    expect(row.records[0]?.DevopsProjectId).toBe(projectId);
  });

  it('keeps a NEVERED work item NEVERED', async () => {
    const { name } = await createItem('Set aside');
    expect((await setStatus(name, 'NEVERED')).status).toBe('NEVERED');
    const back = await devops(org, 'PATCH', `projects/${projectId}/workitem/${items[name]}`, {
      status: 'IN_PROGRESS',
    });
    expect(back.status).toBe(400);
    expect(errorOf(back).message).toBe(
      `${name} is NEVERED; a work item set aside for good does not come back`,
    );
    expect(await branchHead(bare, name)).toBeUndefined();
  });

  it('rejects a status outside the picklist, PROMOTED, and work items of another project', async () => {
    const bad = await devops(org, 'PATCH', `projects/${projectId}/workitem/${items['WI-000002']}`, {
      status: 'In Progress',
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).message).toContain('status must be one of NEW, IN_PROGRESS');
    const promoted = await devops(org, 'PATCH', `projects/${projectId}/workitem/${items['WI-000002']}`, {
      status: 'PROMOTED',
    });
    expect(promoted.status).toBe(400);
    const other = await connection.sobject('DevopsProject').create({ Name: 'Other project' });
    const otherId = (other as { id: string }).id;
    const elsewhere = await devops(org, 'PATCH', `projects/${otherId}/workitem/${items['WI-000002']}`, {
      status: 'NEW',
    });
    expect(elsewhere.status).toBe(404);
    const unknownItem = await devops(org, 'PATCH', `projects/${projectId}/workitem/${projectId}`, {
      status: 'NEW',
    });
    expect(unknownItem.status).toBe(404);
    const wrongMethod = await devops(org, 'GET', `projects/${projectId}/workitem/${items['WI-000002']}`);
    expect(wrongMethod.status).toBe(405);
  });
});

describe('POST workItems/{id}/commitlite', () => {
  it('is SUCCESS for a commit pushed to the work item branch, ERROR for one that was not pushed', async () => {
    const work = await clone(`file://${bare}`);
    const file = 'force-app/main/default/classes/DiscountCalculator.cls';
    const content = (await fileOnBranch(bare, 'WI-000002', file))?.replace(
      'return amount - (amount * percent / 100);',
      'return (amount - (amount * percent / 100)).setScale(2, RoundingMode.HALF_UP);',
    ) as string;
    const pushedCommit = await commitChange(work, 'WI-000002', file, content, 'Round discounts to cents');
    await git(work, 'push', '--quiet', 'origin', 'WI-000002');
    const changes = [{ fullName: 'DiscountCalculator', type: 'ApexClass', operation: 'modify' }];
    const completed = await connect<Record<string, unknown>>(
      'POST',
      `workItems/${items['WI-000002']}/commitlite`,
      {
        requestId: 'commit-1',
        commitMessage: 'Round discounts to cents',
        commitId: pushedCommit,
        changes,
      },
    );
    expect(completed).toEqual({ requestId: 'commit-1', status: 'SUCCESS' });
    expect(await request('commit-1')).toMatchObject({ Status: 'SUCCESS', OperationType: 'COMMIT' });

    await commitChange(work, 'WI-000002', file, `${content}// local only\n`, 'Not pushed');
    const unpushed = (await git(work, 'rev-parse', 'HEAD')).trim();
    const failed = await connect<Record<string, unknown>>(
      'POST',
      `workItems/${items['WI-000002']}/commitlite`,
      {
        requestId: 'commit-2',
        commitMessage: 'Not pushed',
        commitId: unpushed,
        changes,
      },
    );
    expect(failed).toEqual({ requestId: 'commit-2', status: 'ERROR' });
    const failedInfo = await request('commit-2');
    expect(failedInfo?.Message).toContain(`Commit ${unpushed} is not on branch WI-000002`);
    expect(JSON.parse(failedInfo?.ErrorDetails ?? 'null')).toMatchObject({
      errorType: 'COMMIT_NOT_ON_BRANCH',
    });
    expect((await request('commit-1'))?.ErrorDetails).toBeNull();
  });

  it('rejects a reused requestId, a malformed commit id, missing changes and a work item without a branch', async () => {
    const base = {
      requestId: 'commit-3',
      commitMessage: 'm',
      commitId: 'abcdef1',
      changes: [{ fullName: 'A', type: 'ApexClass', operation: 'add' }],
    };
    const reused = await devops(org, 'POST', `workItems/${items['WI-000002']}/commitlite`, {
      ...base,
      requestId: 'commit-1',
    });
    expect(reused.status).toBe(400);
    expect(errorOf(reused).errorCode).toBe('DUPLICATE_VALUE');
    const badCommit = await devops(org, 'POST', `workItems/${items['WI-000002']}/commitlite`, {
      ...base,
      commitId: '--upload-pack=touch',
    });
    expect(badCommit.status).toBe(400);
    const noChanges = await devops(org, 'POST', `workItems/${items['WI-000002']}/commitlite`, {
      ...base,
      changes: [],
    });
    expect(noChanges.status).toBe(400);
    const badChange = await devops(org, 'POST', `workItems/${items['WI-000002']}/commitlite`, {
      ...base,
      changes: [{ fullName: 'A', type: 'ApexClass', operation: 'rename' }],
    });
    expect(badChange.status).toBe(400);
    const noBranch = await devops(org, 'POST', `workItems/${items['WI-000004']}/commitlite`, base);
    expect(noBranch.status).toBe(400);
    expect(errorOf(noBranch).message).toContain('has no branch');
    const unknown = await devops(org, 'POST', `workItems/${projectId}/commitlite`, base);
    expect(unknown.status).toBe(404);
    expect(await request('commit-3')).toBeUndefined();
  });
});

describe('POST workItems/{id}/review', () => {
  it('opens a review into the next stage branch, sets IN_REVIEW, and returns the same open review again', async () => {
    const review = await connect<Record<string, unknown>>(
      'POST',
      `workItems/${items['WI-000002']}/review`,
      {},
    );
    expect(review).toMatchObject({
      number: 1,
      sourceBranch: 'WI-000002',
      targetBranch: 'integration',
      status: 'OPEN',
      title: '[DevOps Center] Merge WI-000002 to integration',
      url: expect.stringMatching(
        new RegExp(`^${org.instanceUrl}/services/data/v62\\.0/connect/devops/reviews/`),
      ),
    });
    expect((await workItem('WI-000002')).Status).toBe('IN_REVIEW');
    const again = await devops(org, 'POST', `workItems/${items['WI-000002']}/review`, {});
    expect(again.status).toBe(200);
    expect((again.body as { id: string }).id).toBe(review.id);
    const fetched = await connection.request<Record<string, unknown>>(review.url as string);
    expect(fetched).toMatchObject({ id: review.id, status: 'OPEN', repository: 'acme/acme-sales-app' });
  });

  it('answers 400 when the branch has no commits the target lacks, or there is no branch', async () => {
    await setStatus('WI-000004', 'IN_PROGRESS');
    const empty = await devops(org, 'POST', `workItems/${items['WI-000004']}/review`, {});
    expect(empty.status).toBe(400);
    expect(errorOf(empty).message).toBe('The branch WI-000004 has no commits that integration lacks');
    const { name } = await createItem('No branch yet');
    const noBranch = await devops(org, 'POST', `workItems/${items[name]}/review`, {});
    expect(noBranch.status).toBe(400);
    const missing = await devops(org, 'GET', 'reviews/nope');
    expect(missing.status).toBe(404);
  });

  it('refuses a branch name from the records that git could read as an option', async () => {
    const { name } = await createItem('Hostile branch');
    await setStatus(name, 'IN_PROGRESS');
    const row = await workItem(name);
    const branch = await connection.query<{ Id: string }>(
      `SELECT Id FROM SourceCodeRepositoryBranch WHERE Name = '${name}'`,
    );
    await connection
      .sobject('SourceCodeRepositoryBranch')
      .update({ Id: branch.records[0]?.Id as string, Name: '--upload-pack=touch /tmp/pwned' });
    const reply = await devops(org, 'POST', `workItems/${row.Id}/review`, {});
    expect(reply.status).toBe(400);
    expect(errorOf(reply).message).toContain('not a name the local org accepts');
  });
});

describe('POST pipelines/{id}/promote', () => {
  it('merges a READY_TO_PROMOTE work item into the first stage branch and records the promotion', async () => {
    const integrationBefore = await branchHead(bare, 'integration');
    const { request: info } = await promote(['WI-000003'], 'Integration');
    expect(info?.Status).toBe('SUCCESS');
    expect(info?.Message).toMatch(
      /^Merged WI-000003 into integration \(stage Integration\) as [0-9a-f]{7}; stage environments are not modeled by the local org/,
    );
    expect(info?.Message).not.toMatch(/deployed successfully/i);
    const vip = 'force-app/main/default/objects/Account/fields/VIP__c.field-meta.xml';
    expect(await fileOnBranch(bare, 'integration', vip)).toContain('VIP__c');
    const parents = (await git(bare, 'rev-list', '--parents', '-n', '1', 'refs/heads/integration'))
      .trim()
      .split(' ');
    expect(parents).toHaveLength(3);
    expect(parents[1]).toBe(integrationBefore);
    expect(await workItem('WI-000003')).toMatchObject({
      Status: 'PROMOTED',
      DevopsPipelineStage: { Name: 'Integration' },
    });
  });

  it('validates without pushing when isCheckDeploy is true', async () => {
    const uatBefore = await branchHead(bare, 'uat');
    const { request: info } = await promote(['WI-000003'], 'UAT', { isCheckDeploy: true });
    expect(info?.Status).toBe('SUCCESS');
    expect(info?.Message).toContain('nothing was pushed');
    expect(await branchHead(bare, 'uat')).toBe(uatBefore);
    expect(await workItem('WI-000003')).toMatchObject({ DevopsPipelineStage: { Name: 'Integration' } });
  });

  it('promotes to the next stage, in order only', async () => {
    const skipping = await devops(org, 'POST', `pipelines/${pipelineId}/promote`, {
      workitemIds: [items['WI-000003']],
      targetStageId: stages.Production,
    });
    expect(skipping.status).toBe(400);
    expect(errorOf(skipping).message).toBe(
      'WI-000003 can be promoted to UAT, not to Production (stages are promoted in order)',
    );
    const { request: info } = await promote(['WI-000003'], 'UAT');
    expect(info?.Status).toBe('SUCCESS');
    expect(
      await fileOnBranch(bare, 'uat', 'force-app/main/default/objects/Account/fields/VIP__c.field-meta.xml'),
    ).toBeDefined();
    expect(await workItem('WI-000003')).toMatchObject({ DevopsPipelineStage: { Name: 'UAT' } });
  });

  it('fails a conflicting promotion with MERGE_CONFLICT and the files, leaving the repository as it was', async () => {
    const readme =
      '# Acme Sales App\n\nSalesforce DX project for the Acme sales team, released through DevOps Center.\n';
    const first = await itemWithChange(
      'Readme: say who owns it',
      'README.md',
      readme.replace('the Acme sales team', 'the Acme revenue team'),
    );
    const second = await itemWithChange(
      'Readme: name the team',
      'README.md',
      readme.replace('the Acme sales team', 'the Acme field sales team'),
    );
    await setStatus(first, 'READY_TO_PROMOTE');
    await setStatus(second, 'READY_TO_PROMOTE');
    expect((await promote([first], 'Integration')).request?.Status).toBe('SUCCESS');
    const before = await branches(bare).then(async (names) =>
      Promise.all(names.map((name) => branchHead(bare, name))),
    );
    const { request: info } = await promote([second], 'Integration');
    expect(info?.Status).toBe('ERROR');
    expect(info?.Message).toMatch(/^MERGE_CONFLICT/);
    expect(info?.Message).toContain('CONFLICTS: README.md');
    expect(JSON.parse(info?.ErrorDetails ?? 'null')).toEqual({
      errorType: 'MERGE_CONFLICT',
      errorMessage: 'CONFLICTS: README.md:content',
    });
    const after = await branches(bare).then(async (names) =>
      Promise.all(names.map((name) => branchHead(bare, name))),
    );
    expect(after).toEqual(before);
    expect(await workItem(second)).toMatchObject({ Status: 'READY_TO_PROMOTE', DevopsPipelineStage: null });
  });

  it('is all or nothing: when the second of two work items conflicts, neither is promoted', async () => {
    const clean = await itemWithChange('Forceignore: skip local settings', '.forceignore', '.sfdx/\n.sf/\n');
    const readme = (await fileOnBranch(bare, 'integration', 'README.md')) as string;
    const conflicting = await itemWithChange(
      'Readme: shipped',
      'README.md',
      readme.replace('released through', 'shipped with'),
    );
    const earlier = await itemWithChange(
      'Readme: delivered',
      'README.md',
      readme.replace('released through', 'delivered through'),
    );
    for (const name of [clean, conflicting, earlier]) await setStatus(name, 'READY_TO_PROMOTE');
    // The same line changes on integration first, so the second work item of the next request conflicts.
    expect((await promote([earlier], 'Integration')).request?.Status).toBe('SUCCESS');
    const integrationBefore = await branchHead(bare, 'integration');
    const { request: info } = await promote([clean, conflicting], 'Integration');
    expect(info?.Status).toBe('ERROR');
    expect(info?.Message).toMatch(/^MERGE_CONFLICT/);
    expect(await branchHead(bare, 'integration')).toBe(integrationBefore);
    expect(await fileOnBranch(bare, 'integration', '.forceignore')).not.toContain('.sfdx/');
    expect(await workItem(clean)).toMatchObject({ Status: 'READY_TO_PROMOTE', DevopsPipelineStage: null });
  });

  it('answers 400/404 for promotions it cannot do', async () => {
    const cases: Array<[unknown, number, string]> = [
      [
        { workitemIds: [items['WI-000001']], targetStageId: stages.Integration },
        400,
        'WI-000001 is IN_PROGRESS; a work item leaves development when it is READY_TO_PROMOTE',
      ],
      [{ workitemIds: [items['WI-000001']] }, 400, 'targetStageId is required'],
      [
        { workitemIds: 'WI-000001', targetStageId: stages.Integration },
        400,
        'workitemIds must be an array of work item ids',
      ],
      [
        { workitemIds: [], targetStageId: stages.Integration },
        400,
        'workitemIds is empty; give work item ids or set allWorkItemsInStage',
      ],
      [
        { workitemIds: [projectId], targetStageId: stages.Integration },
        404,
        `No work item with the id ${projectId.slice(0, 15)}`,
      ],
      [
        { workitemIds: [items['WI-000001']], targetStageId: projectId },
        400,
        `targetStageId ${projectId} is not a stage of the pipeline Acme Release Pipeline`,
      ],
    ];
    for (const [body, status, message] of cases) {
      const reply = await devops(org, 'POST', `pipelines/${pipelineId}/promote`, body);
      expect([reply.status, errorOf(reply).message]).toEqual([status, message]);
    }
    const unknown = await devops(org, 'POST', `pipelines/${projectId}/promote`, {
      workitemIds: [],
      targetStageId: stages.Integration,
    });
    expect(unknown.status).toBe(404);
  });

  it('answers 404 for Connect resources it does not model', async () => {
    const reply = await devops(org, 'GET', 'pipelines');
    expect(reply.status).toBe(404);
    expect(errorOf(reply).errorCode).toBe('NOT_FOUND');
  });
});
