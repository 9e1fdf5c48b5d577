import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isToolError, type ToolError } from '@sfmcp/plugin-api';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GitRepo,
  clone,
  gitVersion,
  isRepository,
  parseGitVersion,
  parseMergeTree,
  repositoryRoot,
  versionAtLeast,
  type GitOptions,
} from '../../src/lib/git.js';

// Every git process, ours and the fixtures', runs without the user's config, with a test identity.
const home = mkdtempSync(join(tmpdir(), 'sfmcp-git-home-'));
const env = {
  HOME: home,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.com',
  GIT_TERMINAL_PROMPT: '0',
};
const roots: string[] = [];

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

/** Runs git for the fixtures (argument arrays, no shell). */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
}

function write(dir: string, path: string, content: string | Buffer): void {
  const file = join(dir, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}

interface Fixture {
  root: string;
  remote: string;
  url: string;
  /** A second clone standing for a colleague who pushes to the same remote. */
  colleague: string;
  traced: string[][];
  options: GitOptions;
}

/** A bare remote with main, uat and a work item branch, and a colleague's clone of it. */
function fixture(): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'sfmcp-git-'));
  roots.push(root);
  const remote = join(root, 'remote.git');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  const colleague = join(root, 'colleague');
  git(root, 'clone', '--quiet', remote, colleague);
  write(colleague, 'sfdx-project.json', '{"packageDirectories":[{"path":"force-app","default":true}]}\n');
  write(colleague, 'force-app/main/default/classes/AccountService.cls', 'public class AccountService {\n}\n');
  write(colleague, 'force-app/main/default/classes/Legacy.cls', 'public class Legacy {}\n');
  write(colleague, '.gitignore', '.sfdx/\n');
  git(colleague, 'add', '--all');
  git(colleague, 'commit', '--quiet', '-m', 'Initial project');
  git(colleague, 'push', '--quiet', 'origin', 'main');
  git(colleague, 'push', '--quiet', 'origin', 'main:uat');
  git(colleague, 'switch', '--quiet', '-c', 'WI-000001');
  write(colleague, 'force-app/main/default/classes/Region.cls', 'public class Region {}\n');
  git(colleague, 'add', '--all');
  git(colleague, 'commit', '--quiet', '-m', 'WI-000001 Region');
  git(colleague, 'push', '--quiet', 'origin', 'WI-000001');
  git(colleague, 'switch', '--quiet', 'main');
  const traced: string[][] = [];
  return {
    root,
    remote,
    url: `file://${remote}`,
    colleague,
    traced,
    options: { env, trace: (args) => traced.push([...args]) },
  };
}

async function cloned(f: Fixture): Promise<GitRepo> {
  return clone(f.url, join(f.root, 'work'), { ...f.options, allowFile: true });
}

async function failure(promise: Promise<unknown>): Promise<ToolError> {
  try {
    await promise;
  } catch (error) {
    if (isToolError(error)) return error;
    throw error;
  }
  throw new Error('expected a ToolError');
}

function remoteRefs(f: Fixture): string {
  return git(f.remote, 'for-each-ref', '--format=%(refname) %(objectname)');
}

describe('git version', () => {
  it('reads the installed version and knows the minimum', async () => {
    const version = await gitVersion({ env });
    expect(versionAtLeast(parseGitVersion(`git version ${version}`) ?? [])).toBe(true);
    expect(parseGitVersion('git version 2.39.5 (Apple Git-154)')).toEqual([2, 39, 5]);
    expect(parseGitVersion('git version 2.45.1.windows.1')).toEqual([2, 45, 1]);
    expect(versionAtLeast([2, 37, 9])).toBe(false);
    expect(versionAtLeast([2, 38, 0])).toBe(true);
    expect(versionAtLeast([3, 0, 0])).toBe(true);
  });

  it('refuses a git older than 2.38 before running anything else', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'sfmcp-old-git-'));
    roots.push(bin);
    const marker = join(bin, 'ran');
    // A stand-in for an old git: answers --version, and leaves a mark if asked anything else.
    writeFileSync(
      join(bin, 'git'),
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = --version ] && { echo 'git version 2.30.2'; exit 0; }; done\ntouch '${marker}'\n`,
      { mode: 0o755 },
    );
    const repo = new GitRepo(home, { env: { ...env, PATH: bin } });
    const error = await failure(repo.status());
    expect(error.code).toBe('GIT_TOO_OLD');
    expect(error.message).toContain('git 2.30.2 is too old: sfmcp needs git 2.38.0 or later');
    expect(existsSync(marker)).toBe(false);
  });

  it('says so when git is not on PATH', async () => {
    const error = await failure(gitVersion({ env: { PATH: join(home, 'no-such-dir') } }));
    expect(error.message).toBe('git is not installed or not on PATH.');
  });
});

describe('clone and repositories', () => {
  it('clones from a local repository only when file:// is allowed', async () => {
    const f = fixture();
    const target = join(f.root, 'work');
    const refused = await failure(clone(f.url, target, f.options));
    expect(refused.message).toContain('local test org');
    expect(f.traced).toEqual([]);
    expect(existsSync(target)).toBe(false);

    const repo = await cloned(f);
    expect(repo.root).toBe(target);
    expect(await repo.currentBranch()).toBe('main');
    expect(await isRepository(target, { env })).toBe(true);
    expect(await isRepository(join(target, 'force-app'), { env })).toBe(false);
    expect(await repositoryRoot(join(target, 'force-app'), { env })).toBe(target);
    expect(await isRepository(f.root, { env })).toBe(false);
    expect(await isRepository(join(f.root, 'missing'), { env })).toBe(false);
    expect((await GitRepo.open(join(target, 'force-app'), f.options)).root).toBe(target);
    await expect(GitRepo.open(f.root, f.options)).rejects.toThrow('not inside a git repository');
  });

  it('clones a named branch', async () => {
    const f = fixture();
    const repo = await clone(f.url, join(f.root, 'wi'), {
      ...f.options,
      allowFile: true,
      branch: 'WI-000001',
    });
    expect(await repo.currentBranch()).toBe('WI-000001');
    expect(existsSync(join(repo.root, 'force-app/main/default/classes/Region.cls'))).toBe(true);
  });

  it('refuses hostile URLs before git runs', async () => {
    const f = fixture();
    const marker = join(f.root, 'pwned');
    for (const url of [
      `ext::sh -c touch% ${marker}`,
      'fd::3',
      `--upload-pack=touch ${marker}`,
      'https://alice:hunter2@example.com/acme/crm.git',
      'http://example.com/acme/crm.git',
      'https://example.com/acme/crm.git\n--upload-pack=x',
    ]) {
      const error = await failure(clone(url, join(f.root, 'hostile'), { ...f.options, allowFile: true }));
      expect(error.kind).toBe('invalid');
      expect(error.message).not.toContain('hunter2');
    }
    expect(f.traced).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(f.root, 'hostile'))).toBe(false);
  });
});

describe('branches', () => {
  it('tells which branches exist locally and on the remote', async () => {
    const f = fixture();
    const repo = await cloned(f);
    expect(await repo.localBranchExists('main')).toBe(true);
    expect(await repo.localBranchExists('uat')).toBe(false);
    expect(await repo.remoteBranchExists('uat')).toBe(true);
    expect(await repo.remoteBranchExists('WI-000001')).toBe(true);
    expect(await repo.remoteBranchExists('WI-000002')).toBe(false);
    // ls-remote matches on a ref's tail; "000001" is not a branch although a branch ends with it.
    expect(await repo.remoteBranchExists('000001')).toBe(false);
    expect(await repo.headCommit()).toMatch(/^[0-9a-f]{40}$/);
    expect(await repo.remoteUrl()).toBe(f.url);
  });

  it('switches to a branch that exists only on the remote, then back to a local one', async () => {
    const f = fixture();
    const repo = await cloned(f);
    const created = await repo.switchTo('WI-000001');
    expect(created).toMatchObject({ branch: 'WI-000001', created: true, behind: 0, ahead: 0 });
    expect(await repo.currentBranch()).toBe('WI-000001');
    expect(git(repo.root, 'rev-parse', '--abbrev-ref', 'WI-000001@{upstream}').trim()).toBe(
      'origin/WI-000001',
    );
    const back = await repo.switchTo('main');
    expect(back).toMatchObject({ branch: 'main', created: false, fastForwarded: false });
    expect(await repo.currentBranch()).toBe('main');
  });

  it('fetches a branch the clone has not seen yet', async () => {
    const f = fixture();
    const repo = await cloned(f);
    git(f.colleague, 'switch', '--quiet', '-c', 'WI-000002');
    write(f.colleague, 'force-app/main/default/classes/Late.cls', 'public class Late {}\n');
    git(f.colleague, 'add', '--all');
    git(f.colleague, 'commit', '--quiet', '-m', 'late');
    git(f.colleague, 'push', '--quiet', 'origin', 'WI-000002');
    expect(await repo.switchTo('WI-000002')).toMatchObject({ created: true });
    expect(existsSync(join(repo.root, 'force-app/main/default/classes/Late.cls'))).toBe(true);
    const missing = await failure(repo.switchTo('WI-999999'));
    expect(missing.kind).toBe('not-found');
    expect(await repo.currentBranch()).toBe('WI-000002');
  });

  it('fast-forwards a branch that is behind its upstream', async () => {
    const f = fixture();
    const repo = await cloned(f);
    await repo.switchTo('uat');
    await repo.switchTo('main');
    git(f.colleague, 'switch', '--quiet', '-c', 'uat', 'origin/uat');
    write(f.colleague, 'force-app/main/default/classes/Hotfix.cls', 'public class Hotfix {}\n');
    git(f.colleague, 'add', '--all');
    git(f.colleague, 'commit', '--quiet', '-m', 'hotfix');
    git(f.colleague, 'push', '--quiet', 'origin', 'uat');
    await repo.fetch();
    const result = await repo.switchTo('uat');
    expect(result).toMatchObject({
      created: false,
      behind: 1,
      ahead: 0,
      fastForwarded: true,
      diverged: false,
    });
    expect(await repo.headCommit()).toBe(git(f.colleague, 'rev-parse', 'HEAD').trim());
  });

  it('refuses to switch on a dirty tree, lists the files and touches nothing', async () => {
    const f = fixture();
    const repo = await cloned(f);
    const service = join(repo.root, 'force-app/main/default/classes/AccountService.cls');
    writeFileSync(service, 'public class AccountService { /* unsaved work */ }\n');
    write(repo.root, 'notes.txt', 'draft\n');
    const before = git(repo.root, 'status', '--porcelain');
    const error = await failure(repo.switchTo('uat'));
    expect(error.kind).toBe('refused');
    expect(error.message).toContain('force-app/main/default/classes/AccountService.cls');
    expect(error.message).toContain('notes.txt');
    expect(await repo.currentBranch()).toBe('main');
    expect(readFileSync(service, 'utf8')).toContain('unsaved work');
    expect(readFileSync(join(repo.root, 'notes.txt'), 'utf8')).toBe('draft\n');
    expect(git(repo.root, 'status', '--porcelain')).toBe(before);
    expect(await repo.localBranchExists('uat')).toBe(false);
    expect(f.traced.some((args) => args[0] === 'switch')).toBe(false);
  });
});

describe('status, commit and push', () => {
  it('reads status: modified, staged, renamed, untracked with odd names; ignored left out', async () => {
    const f = fixture();
    const repo = await cloned(f);
    expect(await repo.status()).toEqual([]);
    expect(await repo.isDirty()).toBe(false);
    writeFileSync(join(repo.root, 'force-app/main/default/classes/AccountService.cls'), 'changed\n');
    git(
      repo.root,
      'mv',
      'force-app/main/default/classes/Legacy.cls',
      'force-app/main/default/classes/Old.cls',
    );
    write(repo.root, 'docs/Überblick mit Leerzeichen.md', 'x\n');
    write(repo.root, '.sfdx/sfdx-config.json', '{}\n');
    const status = await repo.status();
    expect(status).toEqual(
      expect.arrayContaining([
        { index: ' ', worktree: 'M', path: 'force-app/main/default/classes/AccountService.cls' },
        {
          index: 'R',
          worktree: ' ',
          path: 'force-app/main/default/classes/Old.cls',
          origPath: 'force-app/main/default/classes/Legacy.cls',
        },
        { index: '?', worktree: '?', path: 'docs/Überblick mit Leerzeichen.md' },
      ]),
    );
    expect(status).toHaveLength(3);
    expect(await repo.isDirty()).toBe(true);
  });

  it('commits and pushes, and the remote has the commit', async () => {
    const f = fixture();
    const repo = await cloned(f);
    await repo.switchTo('WI-000001');
    write(repo.root, 'force-app/main/default/classes/Region.cls', 'public class Region { Integer x; }\n');
    await repo.stageAll();
    const sha = await repo.commit('WI-000001 Track region\n\nSecond paragraph; $(id) stays text.');
    expect(git(repo.root, 'log', '-1', '--format=%B', sha)).toContain('$(id) stays text.');
    write(repo.root, 'force-app/main/default/classes/Region.cls', 'public class Region { Integer y; }\n');
    await repo.stageAll();
    const hashed = await repo.commit('#42 keeps its first line\n# and this one');
    expect(git(repo.root, 'log', '-1', '--format=%B', hashed).trim()).toBe(
      '#42 keeps its first line\n# and this one',
    );
    expect(git(repo.root, 'log', '-1', '--format=%an <%ae>', sha).trim()).toBe(
      'Test Author <author@example.com>',
    );
    expect(await repo.push('WI-000001')).toEqual({ branch: 'WI-000001', commit: hashed });
    expect(git(f.remote, 'rev-parse', 'refs/heads/WI-000001').trim()).toBe(hashed);
    expect(git(f.remote, 'rev-parse', 'refs/heads/WI-000001^').trim()).toBe(sha);
  });

  it('refuses an empty message and a commit with nothing staged', async () => {
    const f = fixture();
    const repo = await cloned(f);
    const head = await repo.headCommit();
    expect((await failure(repo.commit('  \n'))).kind).toBe('invalid');
    expect((await failure(repo.commit('nothing'))).code).toBe('NOTHING_TO_COMMIT');
    expect(await repo.headCommit()).toBe(head);
  });

  it('never forces a push the remote rejects', async () => {
    const f = fixture();
    const repo = await cloned(f);
    write(f.colleague, 'force-app/main/default/classes/Theirs.cls', 'public class Theirs {}\n');
    git(f.colleague, 'add', '--all');
    git(f.colleague, 'commit', '--quiet', '-m', 'theirs');
    git(f.colleague, 'push', '--quiet', 'origin', 'main');
    const before = remoteRefs(f);
    write(repo.root, 'force-app/main/default/classes/Mine.cls', 'public class Mine {}\n');
    await repo.stageAll();
    await repo.commit('mine');
    const error = await failure(repo.push('main'));
    expect(error.kind).toBe('failed');
    expect(error.message).toMatch(
      /^git push origin HEAD:refs\/heads\/main failed \(exit 1\):\n[\s\S]*\[rejected\]/,
    );
    expect(error.hint).toContain('never force-pushes');
    expect(remoteRefs(f)).toBe(before);
    expect(f.traced.flat().some((arg) => /force|^-f$|^\+/.test(arg))).toBe(false);
  });

  it('redacts credentials of an existing remote', async () => {
    const f = fixture();
    const repo = await cloned(f);
    git(repo.root, 'remote', 'set-url', 'origin', 'https://bob:hunter2@git.example.com/acme/crm.git');
    expect(await repo.remoteUrl()).toBe('https://***:***@git.example.com/acme/crm.git');
  });
});

describe('reading refs without a checkout', () => {
  it('lists files, shows them, diffs refs and finds the merge base', async () => {
    const f = fixture();
    const repo = await cloned(f);
    await repo.fetch('origin', ['WI-000001']);
    const files = await repo.listFiles('origin/WI-000001');
    expect(files).toContain('force-app/main/default/classes/Region.cls');
    expect(await repo.listFiles('main', ['force-app/main/default/classes'])).toEqual([
      'force-app/main/default/classes/AccountService.cls',
      'force-app/main/default/classes/Legacy.cls',
    ]);
    expect(
      (await repo.showFile('origin/WI-000001', 'force-app/main/default/classes/Region.cls'))?.toString(),
    ).toBe('public class Region {}\n');
    expect(await repo.showFile('main', 'force-app/main/default/classes/Region.cls')).toBeUndefined();
    expect(await repo.showFile('main', 'force-app')).toBeUndefined();
    expect(await repo.changedFilesBetween('main', 'origin/WI-000001')).toEqual([
      { status: 'A', path: 'force-app/main/default/classes/Region.cls' },
    ]);
    expect(await repo.mergeBase('main', 'origin/WI-000001')).toBe(await repo.headCommit());
    expect((await failure(repo.listFiles('no-such-branch'))).kind).toBe('not-found');
    expect(existsSync(join(repo.root, 'force-app/main/default/classes/Region.cls'))).toBe(false);
  });

  it('keeps binary content and reports renames', async () => {
    const f = fixture();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x0a]);
    write(f.colleague, 'force-app/main/default/staticresources/logo.png', png);
    git(
      f.colleague,
      'mv',
      'force-app/main/default/classes/Legacy.cls',
      'force-app/main/default/classes/Renamed.cls',
    );
    git(f.colleague, 'add', '--all');
    git(f.colleague, 'commit', '--quiet', '-m', 'logo');
    const repo = new GitRepo(f.colleague, f.options);
    expect(await repo.showFile('main', 'force-app/main/default/staticresources/logo.png')).toEqual(png);
    const parent = git(f.colleague, 'rev-parse', 'main^').trim();
    expect(await repo.changedFilesBetween(parent, 'main')).toEqual([
      {
        status: 'R',
        origPath: 'force-app/main/default/classes/Legacy.cls',
        path: 'force-app/main/default/classes/Renamed.cls',
      },
      { status: 'A', path: 'force-app/main/default/staticresources/logo.png' },
    ]);
  });
});

/** main and WI-000001 both change AccountService, both add Config.cls, and one deletes Legacy while the other edits it. */
function conflicting(f: Fixture): void {
  git(f.colleague, 'switch', '--quiet', 'WI-000001');
  write(
    f.colleague,
    'force-app/main/default/classes/AccountService.cls',
    'public class AccountService {\n  // WI\n}\n',
  );
  write(f.colleague, 'force-app/main/default/classes/Config.cls', 'public class Config { /* WI */ }\n');
  git(f.colleague, 'rm', '--quiet', 'force-app/main/default/classes/Legacy.cls');
  git(f.colleague, 'add', '--all');
  git(f.colleague, 'commit', '--quiet', '-m', 'WI changes');
  git(f.colleague, 'push', '--quiet', 'origin', 'WI-000001');
  git(f.colleague, 'switch', '--quiet', 'main');
  write(
    f.colleague,
    'force-app/main/default/classes/AccountService.cls',
    'public class AccountService {\n  // main\n}\n',
  );
  write(f.colleague, 'force-app/main/default/classes/Config.cls', 'public class Config { /* main */ }\n');
  write(f.colleague, 'force-app/main/default/classes/Legacy.cls', 'public class Legacy { /* kept */ }\n');
  git(f.colleague, 'add', '--all');
  git(f.colleague, 'commit', '--quiet', '-m', 'main changes');
  git(f.colleague, 'push', '--quiet', 'origin', 'main');
}

describe('merges', () => {
  it('finds content, add/add and modify/delete conflicts without touching the work tree', async () => {
    const f = fixture();
    conflicting(f);
    const repo = await cloned(f);
    await repo.fetch();
    const head = await repo.headCommit();
    const before = readFileSync(join(repo.root, 'force-app/main/default/classes/AccountService.cls'), 'utf8');
    const result = await repo.mergeTreeConflicts('main', 'origin/WI-000001');
    expect(result.clean).toBe(false);
    const byPath = Object.fromEntries(result.conflicts.map((conflict) => [conflict.path, conflict]));
    expect(byPath['force-app/main/default/classes/AccountService.cls']).toMatchObject({
      kind: 'content',
      message: 'CONFLICT (content): Merge conflict in force-app/main/default/classes/AccountService.cls',
    });
    expect(byPath['force-app/main/default/classes/Config.cls']?.kind).toBe('add/add');
    expect(byPath['force-app/main/default/classes/Legacy.cls']?.kind).toBe('modify/delete');
    expect(byPath['force-app/main/default/classes/Legacy.cls']?.message).toContain('deleted in');
    expect(result.conflicts).toHaveLength(3);
    expect(await repo.headCommit()).toBe(head);
    expect(await repo.status()).toEqual([]);
    expect(await repo.isMerging()).toBe(false);
    expect(readFileSync(join(repo.root, 'force-app/main/default/classes/AccountService.cls'), 'utf8')).toBe(
      before,
    );

    const clean = await repo.mergeTreeConflicts('origin/uat', 'main');
    expect(clean).toMatchObject({ clean: true, conflicts: [] });
    expect(clean.tree).toMatch(/^[0-9a-f]{40}$/);
  });

  it('starts a merge, resolves each path and finishes it', async () => {
    const f = fixture();
    conflicting(f);
    const repo = await cloned(f);
    await repo.fetch();
    const started = await repo.startMerge('origin/WI-000001');
    expect(started.alreadyUpToDate).toBe(false);
    expect(started.conflicts.sort()).toEqual([
      'force-app/main/default/classes/AccountService.cls',
      'force-app/main/default/classes/Config.cls',
      'force-app/main/default/classes/Legacy.cls',
    ]);
    expect(await repo.isMerging()).toBe(true);

    await repo.takeSide('force-app/main/default/classes/Config.cls', 'theirs');
    expect(readFileSync(join(repo.root, 'force-app/main/default/classes/Config.cls'), 'utf8')).toContain(
      'WI',
    );
    // Theirs deleted Legacy: taking their side is the deletion.
    await repo.takeSide('force-app/main/default/classes/Legacy.cls', 'theirs');
    expect(existsSync(join(repo.root, 'force-app/main/default/classes/Legacy.cls'))).toBe(false);

    const service = 'force-app/main/default/classes/AccountService.cls';
    const markers = await failure(repo.markResolved(service));
    expect(markers.kind).toBe('refused');
    expect(markers.message).toMatch(/conflict markers on lines \d+, \d+/);
    const unfinished = await failure(repo.finishMerge('Merge WI-000001'));
    expect(unfinished.message).toContain(service);
    writeFileSync(join(repo.root, service), 'public class AccountService {\n  // main\n  // WI\n}\n');
    await repo.markResolved(service);
    expect(await repo.conflictedPaths()).toEqual([]);
    expect((await failure(repo.takeSide(service, 'ours'))).message).toContain('is not in conflict');

    const sha = await repo.finishMerge('Merge WI-000001 into main');
    expect(git(repo.root, 'rev-list', '--parents', '-n', '1', sha).trim().split(' ')).toHaveLength(3);
    expect(await repo.isMerging()).toBe(false);
    expect(await repo.status()).toEqual([]);
    expect(git(repo.root, 'show', `${sha}:${service}`)).toContain('// WI');
  });

  it('keeps our version when asked, and our edit when the other side deleted the file', async () => {
    const f = fixture();
    conflicting(f);
    const repo = await cloned(f);
    await repo.fetch();
    await repo.startMerge('origin/WI-000001');
    await repo.takeSide('force-app/main/default/classes/AccountService.cls', 'ours');
    await repo.takeSide('force-app/main/default/classes/Config.cls', 'ours');
    await repo.takeSide('force-app/main/default/classes/Legacy.cls', 'ours');
    expect(readFileSync(join(repo.root, 'force-app/main/default/classes/Legacy.cls'), 'utf8')).toContain(
      'kept',
    );
    expect(
      readFileSync(join(repo.root, 'force-app/main/default/classes/AccountService.cls'), 'utf8'),
    ).toContain('// main');
    await repo.finishMerge('Merge, keeping main');
    expect(await repo.status()).toEqual([]);
  });

  it('aborts a merge and returns to where it was', async () => {
    const f = fixture();
    conflicting(f);
    const repo = await cloned(f);
    await repo.fetch();
    const head = await repo.headCommit();
    await repo.startMerge('origin/WI-000001');
    expect((await failure(repo.startMerge('origin/uat'))).code).toBe('MERGE_IN_PROGRESS');
    await repo.abortMerge();
    expect(await repo.isMerging()).toBe(false);
    expect(await repo.headCommit()).toBe(head);
    expect(await repo.status()).toEqual([]);
    expect((await failure(repo.abortMerge())).kind).toBe('invalid');
  });

  it('reports a merge with nothing to do, and refuses to merge into a dirty tree', async () => {
    const f = fixture();
    const repo = await cloned(f);
    expect(await repo.startMerge('origin/uat')).toEqual({ alreadyUpToDate: true, conflicts: [] });
    expect(await repo.isMerging()).toBe(false);
    write(repo.root, 'scratch.txt', 'x\n');
    expect((await failure(repo.startMerge('origin/WI-000001'))).kind).toBe('refused');
    expect(await repo.isMerging()).toBe(false);
  });

  it('reads merge-tree output with renames and several messages per path', () => {
    const output = [
      'abc123',
      'a/x.cls',
      'b/y.cls',
      '',
      '1',
      'a/x.cls',
      'Auto-merging',
      'Auto-merging a/x.cls\n',
      '1',
      'a/x.cls',
      'CONFLICT (contents)',
      'CONFLICT (content): Merge conflict in a/x.cls\n',
      '2',
      'b/y.cls',
      'b/z.cls',
      'CONFLICT (rename/rename)',
      'CONFLICT (rename/rename): b/y.cls renamed to b/z.cls in HEAD and to b/w.cls in other.\n',
      '',
    ].join('\0');
    expect(parseMergeTree(output, false)).toEqual({
      clean: false,
      tree: 'abc123',
      conflicts: [
        { path: 'a/x.cls', kind: 'content', message: 'CONFLICT (content): Merge conflict in a/x.cls' },
        {
          path: 'b/y.cls',
          kind: 'rename',
          message: 'CONFLICT (rename/rename): b/y.cls renamed to b/z.cls in HEAD and to b/w.cls in other.',
        },
      ],
    });
  });
});

describe('hostile input', () => {
  const names = ['main;rm -rf ~', '$(id)', '--upload-pack=x', 'a..b', 'x.lock', 'main\nmaster', '-f', 'HEAD'];

  it('refuses hostile branch names before git runs', async () => {
    const f = fixture();
    const repo = await cloned(f);
    const remoteBefore = remoteRefs(f);
    const head = await repo.headCommit();
    f.traced.length = 0;
    for (const name of names) {
      for (const call of [
        () => repo.switchTo(name),
        () => repo.push(name),
        () => repo.fetch('origin', [name]),
        () => repo.fetch(name),
        () => repo.remoteBranchExists(name),
        () => repo.localBranchExists(name),
        () => repo.mergeTreeConflicts('main', name),
        () => repo.mergeTreeConflicts(name, 'main'),
        () => repo.startMerge(name),
        () => repo.listFiles(name),
        () => repo.showFile(name, 'sfdx-project.json'),
        () => repo.changedFilesBetween(name, 'main'),
        () => repo.mergeBase('main', name),
        () => clone(f.url, join(f.root, 'other'), { ...f.options, allowFile: true, branch: name }),
      ]) {
        const error = await failure(call());
        expect(error.kind, name).toBe('invalid');
      }
    }
    expect(f.traced).toEqual([]);
    expect(remoteRefs(f)).toBe(remoteBefore);
    expect(await repo.headCommit()).toBe(head);
    expect(await repo.status()).toEqual([]);
    expect(existsSync(join(f.root, 'other'))).toBe(false);
  });

  it('refuses hostile paths before git runs', async () => {
    const f = fixture();
    const repo = await cloned(f);
    f.traced.length = 0;
    for (const path of ['../outside', '/etc/passwd', '.git/config', '-x', 'a\0b', 'a/../../b']) {
      expect((await failure(repo.showFile('main', path))).kind).toBe('invalid');
      expect((await failure(repo.listFiles('main', [path]))).kind).toBe('invalid');
      expect((await failure(repo.takeSide(path, 'ours'))).kind).toBe('invalid');
      expect((await failure(repo.markResolved(path))).kind).toBe('invalid');
    }
    expect(f.traced).toEqual([]);
  });

  it('treats paths as names, not patterns', async () => {
    const f = fixture();
    const repo = await cloned(f);
    expect(await repo.listFiles('main', ['force-app/main/default/classes/*.cls'])).toEqual([]);
  });
});

describe('cancellation', () => {
  let server: Server | undefined;
  const sockets = new Set<Socket>();

  beforeEach(() => {
    server?.close();
    server = undefined;
  });

  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    server?.close();
  });

  it('stops a clone that hangs when the signal aborts', async () => {
    const f = fixture();
    const controller = new AbortController();
    let sawRequest = false;
    // A remote that accepts the request and never answers: only the abort can end the clone.
    server = createServer(() => {
      sawRequest = true;
      controller.abort();
    });
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((ready) => server?.listen(0, '127.0.0.1', ready));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const closed = new Promise<void>((done) => {
      server?.on('connection', (socket) => socket.on('close', () => done()));
    });
    const error = await failure(
      clone(`http://127.0.0.1:${port}/acme/crm.git`, join(f.root, 'hang'), {
        ...f.options,
        signal: controller.signal,
      }),
    );
    expect(sawRequest).toBe(true);
    expect(error.code).toBe('CANCELLED');
    expect(error.message).toMatch(/^git clone .* was cancelled\.$/);
    // The git process is gone: its connection to the remote closed.
    await closed;
  });

  it('does not start git when the signal is already aborted', async () => {
    const f = fixture();
    const repo = await cloned(f);
    f.traced.length = 0;
    const controller = new AbortController();
    controller.abort();
    expect((await failure(repo.fetch('origin', [], { signal: controller.signal }))).code).toBe('CANCELLED');
    expect((await failure(repo.status({ signal: controller.signal }))).code).toBe('CANCELLED');
    expect(f.traced).toEqual([]);
  });
});
