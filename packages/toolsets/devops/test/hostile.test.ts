// What a hostile caller (or a hostile record in the org) tries: paths out of the workspace, branch names
// that are shell or git options, another repository's clone, a dirty tree to be thrown away. Each is
// refused with a clear message, before git runs, and leaves nothing changed.
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevopsTestServer, git, startDevopsServer } from './setup.js';

const SERVICE = 'force-app/main/default/classes/AccountService.cls';

describe('devops tools refuse', () => {
  let server: DevopsTestServer;
  let clone: string;
  let remote: string;
  beforeAll(async () => {
    server = await startDevopsServer();
    clone = join(server.workspace, 'acme');
    remote = join(server.org.gitRoot!, 'acme', 'acme-sales-app');
    const checkedOut = await server.call('checkout_devops_center_work_item', {
      workItemName: 'WI-000001',
      localPath: 'acme',
    });
    expect(checkedOut.isError, checkedOut.text).toBeFalsy();
  });
  afterAll(() => server.close());

  const refused = async (name: string, args: Record<string, unknown>, pattern: RegExp) => {
    const result = await server.call(name, args);
    expect(result.isError, `${name} should have been refused: ${result.text}`).toBe(true);
    expect(result.text).toMatch(pattern);
    return result;
  };

  it('a clone outside the workspace, by .., by an absolute path or through a link', async () => {
    const outside = join(tmpdir(), `sfmcp-devops-outside-${process.pid}`);
    await refused(
      'checkout_devops_center_work_item',
      { workItemName: 'WI-000001', localPath: '../escaped' },
      /outside/i,
    );
    await refused(
      'checkout_devops_center_work_item',
      { workItemName: 'WI-000001', localPath: outside },
      /outside/i,
    );
    mkdirSync(outside, { recursive: true });
    symlinkSync(outside, join(server.workspace, 'link'));
    await refused(
      'checkout_devops_center_work_item',
      { workItemName: 'WI-000001', localPath: 'link' },
      /outside/i,
    );
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(server.workspace, '..', 'escaped'))).toBe(false);
  });

  it('branch names that are shell metacharacters or git options, before git runs', async () => {
    for (const sourcebranch of [
      'WI-000001; touch pwned',
      '$(touch pwned)',
      '--upload-pack=touch pwned',
      'a..b',
    ]) {
      await refused(
        'detect_devops_center_merge_conflict',
        { localPath: 'acme', sourcebranch, targetBranch: 'integration' },
        /Refused the source branch/,
      );
    }
    await refused(
      'resolve_devops_center_deployment_failure',
      {
        workItemName: 'WI-000001',
        sourceBranchName: 'main`touch pwned`',
        errorDetails: "No such column 'VIP__c' on entity 'Account'",
        localPath: 'acme',
      },
      /Refused the source branch/,
    );
    expect(existsSync(join(clone, 'pwned'))).toBe(false);
    expect(existsSync(join(server.workspace, 'pwned'))).toBe(false);
  });

  it('a branch name from the org that is not a safe git branch', async () => {
    const records = server.org.state.records;
    const branch = [...records.rows('SourceCodeRepositoryBranch')].find((row) => row.Name === 'WI-000003')!;
    records.update(
      'SourceCodeRepositoryBranch',
      branch.Id as string,
      { Name: '-c core.sshCommand=touch pwned' },
      { trusted: true },
    );
    try {
      await refused(
        'checkout_devops_center_work_item',
        { workItemName: 'WI-000003', localPath: 'acme' },
        /Refused the branch/,
      );
      expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('WI-000001');
    } finally {
      records.update(
        'SourceCodeRepositoryBranch',
        branch.Id as string,
        { Name: 'WI-000003' },
        { trusted: true },
      );
    }
  });

  it('a resolution for a path outside the repository', async () => {
    for (const path of ['../../outside.cls', '/etc/passwd', '.git/config', '-rf']) {
      await refused(
        'resolve_devops_center_merge_conflict',
        { workItemName: 'WI-000001', localPath: 'acme', resolutions: [{ path, take: 'ours' }] },
        /Refused the path/,
      );
    }
    expect(git(clone, 'status', '--porcelain')).toBe('');
  });

  it('to throw away a dirty working tree: switching, merging and copying all stop, and the change stays', async () => {
    const edited = `${readFileSync(join(clone, SERVICE), 'utf8')}\n// work in progress\n`;
    writeFileSync(join(clone, SERVICE), edited);
    writeFileSync(join(clone, 'notes.txt'), 'untracked and precious\n');
    await refused(
      'checkout_devops_center_work_item',
      { workItemName: 'WI-000003', localPath: 'acme' },
      /uncommitted changes[\s\S]*AccountService\.cls/,
    );
    await refused(
      'resolve_devops_center_merge_conflict',
      { workItemName: 'WI-000001', localPath: 'acme' },
      /uncommitted changes/,
    );
    expect(readFileSync(join(clone, SERVICE), 'utf8')).toBe(edited);
    expect(readFileSync(join(clone, 'notes.txt'), 'utf8')).toBe('untracked and precious\n');
    expect(git(clone, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('WI-000001');
    git(clone, 'checkout', '--', SERVICE);
    git(clone, 'clean', '-fq');
  });

  it("to work in a clone of another repository, or to commit on another work item's branch", async () => {
    const other = join(server.workspace, 'other');
    mkdirSync(other);
    git(other, 'init', '-q', '-b', 'main');
    git(other, 'remote', 'add', 'origin', 'https://github.com/someone/else.git');
    await refused(
      'checkout_devops_center_work_item',
      { workItemName: 'WI-000001', localPath: 'other' },
      /is a clone of https:\/\/github\.com\/someone\/else\.git, not of WI-000001's repository/,
    );
    await refused(
      'commit_devops_center_work_item',
      { workItemName: 'WI-000003', commitMessage: 'Sneak it in', repoPath: 'acme' },
      /The clone is on WI-000001, not on WI-000003's branch WI-000003. Nothing was committed/,
    );
    expect(git(remote, 'rev-parse', 'refs/heads/WI-000003')).toBe(
      git(clone, 'rev-parse', 'origin/WI-000003'),
    );
  });

  it('a forged cursor, and arguments too large to be real', async () => {
    const projects = await server.call('list_devops_center_projects', {});
    const projectId = (projects.structuredContent?.projects as { id: string }[])[0]!.id;
    const forged = Buffer.from(JSON.stringify({ l: 'http://attacker.example/steal', s: 0, n: 0 })).toString(
      'base64url',
    );
    await refused('list_devops_center_work_items', { project: { Id: projectId }, cursor: forged }, /cursor/i);
    await refused(
      'commit_devops_center_work_item',
      { workItemName: 'WI-000001', commitMessage: 'x'.repeat(1_000_000), repoPath: 'acme' },
      /commitMessage/,
    );
    await refused(
      'detect_devops_center_merge_conflict',
      { localPath: 'acme', sourcebranch: 'b'.repeat(10_000), targetBranch: 'integration' },
      /sourcebranch/,
    );
    expect(git(clone, 'status', '--porcelain')).toBe('');
  });

  it('a work item with no branch, or one that does not exist', async () => {
    await refused(
      'checkout_devops_center_work_item',
      { workItemName: 'WI-000002', localPath: 'acme' },
      /WI-000002 has no branch yet[\s\S]*In Progress/,
    );
    await refused(
      'checkout_devops_center_work_item',
      { workItemName: "WI-1' OR Name != '", localPath: 'acme' },
      /No work item/,
    );
  });

  it('a promotion of an item not ready, without the review step, or with a token for other work items', async () => {
    const before = git(remote, 'rev-parse', 'refs/heads/integration');
    await refused(
      'promote_devops_center_work_item',
      { workItemNames: ['WI-000001'] },
      /WI-000001: In Progress, not Ready to Promote/,
    );
    const ready = await server.call('update_devops_center_work_item_status', {
      workItemName: 'WI-000001',
      status: 'Ready to Promote',
    });
    expect(ready.isError, ready.text).toBeFalsy();
    const preview = await server.call('promote_devops_center_work_item', { workItemNames: ['WI-000003'] });
    expect(preview.isError, preview.text).toBeFalsy();
    const token = /confirmationToken: "([^"]+)"/.exec(preview.text)![1]!;
    await refused(
      'promote_devops_center_work_item',
      { workItemNames: ['WI-000001'], confirmationToken: token },
      /confirmation/i,
    );
    expect(git(remote, 'rev-parse', 'refs/heads/integration')).toBe(before);
  });
});
