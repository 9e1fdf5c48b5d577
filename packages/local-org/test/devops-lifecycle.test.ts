// Where DevOps Center's git repositories live across starts and stops, and orgs without DevOps Center.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrgState } from '../src/state/index.js';
import { demoSeed } from '../src/seed/index.js';
import { startLocalOrg } from '../src/server.js';
import { failure } from './fixtures/clients.js';
import { branchHead, branches, devops, errorOf, query, removeScratchDirectories } from './devops-git.js';

const dataDirs: string[] = [];

afterAll(() => {
  for (const directory of dataDirs) rmSync(directory, { recursive: true, force: true });
  removeScratchDirectories();
});

describe('the git root', () => {
  it('is a temporary folder without a data dir, and stop() removes it', async () => {
    const org = await startLocalOrg({ seed: demoSeed() });
    expect(org.gitRoot.startsWith(tmpdir())).toBe(true);
    expect(await branches(join(org.gitRoot, 'acme', 'acme-sales-app'))).toEqual([
      'WI-000001',
      'WI-000003',
      'integration',
      'main',
      'uat',
    ]);
    await org.stop();
    expect(existsSync(org.gitRoot)).toBe(false);
  });

  it('is <dataDir>/git with a data dir: a restart keeps the repositories, records and reviews as they were', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'devops-data-'));
    dataDirs.push(dataDir);
    const first = await startLocalOrg({ seed: demoSeed(), dataDir });
    expect(first.gitRoot).toBe(join(dataDir, 'git'));
    const project = await query<{ Id: string }>(first, 'SELECT Id FROM DevopsProject');
    const projectId = project[0]?.Id as string;
    const created = await devops(first, 'POST', `projects/${projectId}/workitem`, {
      subject: 'Survives a restart',
    });
    const item = created.body as { id: string; name: string };
    await devops(first, 'PATCH', `projects/${projectId}/workitem/${item.id}`, { status: 'IN_PROGRESS' });
    const wi1 = await query<{ Id: string }>(first, "SELECT Id FROM WorkItem WHERE Name = 'WI-000001'");
    const review = (await devops(first, 'POST', `workItems/${wi1[0]?.Id}/review`, {})).body as { id: string };
    const bare = join(first.gitRoot, 'acme', 'acme-sales-app');
    const head = await branchHead(bare, 'WI-000004');
    await first.stop();
    expect(existsSync(bare)).toBe(true);

    const second = await startLocalOrg({ seed: demoSeed(), dataDir });
    try {
      expect(second.restored).toBe(true);
      expect(second.gitRoot).toBe(join(dataDir, 'git'));
      expect(await branchHead(bare, 'WI-000004')).toBe(head);
      const row = await query<{ Status: string; SourceCodeRepositoryBranch: { Name: string } }>(
        second,
        "SELECT Status, SourceCodeRepositoryBranch.Name FROM WorkItem WHERE Name = 'WI-000004'",
      );
      expect(row[0]).toMatchObject({
        Status: 'IN_PROGRESS',
        SourceCodeRepositoryBranch: { Name: 'WI-000004' },
      });
      const provider = await query<{ BaseUrl: string }>(second, 'SELECT BaseUrl FROM SourceCodeRepoProvider');
      expect(provider[0]?.BaseUrl).toBe(`file://${join(dataDir, 'git')}`);
      const fetched = await devops(second, 'GET', `reviews/${review.id}`);
      expect(fetched).toMatchObject({
        status: 200,
        body: { id: review.id, sourceBranch: 'WI-000001', status: 'OPEN' },
      });
      // Auto numbers continue after the restored ones.
      const next = await devops(second, 'POST', `projects/${projectId}/workitem`, {
        subject: 'After the restart',
      });
      expect((next.body as { name: string }).name).toBe('WI-000005');
    } finally {
      await second.stop();
    }
    expect(existsSync(join(dataDir, 'git'))).toBe(true);
  });

  it('refuses to start a new org over repositories left in the data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'devops-data-'));
    dataDirs.push(dataDir);
    const first = await startLocalOrg({ seed: demoSeed(), dataDir });
    await first.stop();
    rmSync(join(dataDir, 'local-org-state.json'));
    await expect(startLocalOrg({ seed: demoSeed(), dataDir })).rejects.toThrow(
      /already exists but the org's state is new/,
    );
  });
});

describe('an org without DevOps Center', () => {
  it('has neither model and answers 404 under connect/devops', async () => {
    const org = await startLocalOrg({ seed: demoSeed({ devopsModel: 'none' }) });
    try {
      for (const objectName of ['DevopsProject', 'WorkItem', 'DevopsRequestInfo', 'sf_devops__Project__c']) {
        const error = await failure(() => query(org, `SELECT Id FROM ${objectName} LIMIT 1`));
        expect(error.errorCode).toBe('INVALID_TYPE');
      }
      const reply = await devops(org, 'POST', 'pipelines/0Rp000000000001/promote', {});
      expect(reply.status).toBe(404);
      expect(errorOf(reply).message).toContain('DevOps Center is not enabled');
    } finally {
      await org.stop();
    }
  });
});

describe('a hostile devops seed', () => {
  it('is refused before anything touches the disk', () => {
    const base = demoSeed().devops;
    if (!base) throw new Error('the demo seed declares devops');
    const project = base.projects[0];
    if (!project) throw new Error('the demo seed has a project');
    const withRepository = (repository: Partial<typeof project.repository>) => ({
      devops: { ...base, projects: [{ ...project, repository: { ...project.repository, ...repository } }] },
    });
    expect(() => createOrgState(withRepository({ owner: '..' }))).toThrow(/single path segments/);
    expect(() => createOrgState(withRepository({ name: 'a/b' }))).toThrow(/single path segments/);
    expect(() => createOrgState(withRepository({ defaultBranch: '--upload-pack=x' }))).toThrow(
      /not a branch name/,
    );
  });

  it('refuses seed files outside the work tree', async () => {
    const base = demoSeed().devops;
    const project = base?.projects[0];
    if (!base || !project) throw new Error('the demo seed declares devops');
    const seed = {
      ...demoSeed(),
      devops: {
        ...base,
        projects: [{ ...project, repository: { ...project.repository, files: { '../escape.txt': 'x' } } }],
      },
    };
    await expect(startLocalOrg({ seed })).rejects.toThrow(/Not a relative file path/);
  });
});
