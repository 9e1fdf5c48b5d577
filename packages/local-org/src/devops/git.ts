/**
 * The git work behind DevOps Center: bare repositories under the org's git root, and the branch,
 * ancestry and merge operations the Connect endpoints need. git runs through execFile with an
 * argument array (never a shell), with no user or system configuration and a fixed identity; every
 * name that reaches git is checked first, and refs are always passed as full `refs/heads/...` names.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

export const GIT_IDENTITY = { name: 'Local Org DevOps Center', email: 'devops@local-org.sfmcp.test' };

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** git's environment: nothing from the user's configuration, no prompts, a fixed identity. */
function gitEnvironment(fixedDate?: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: GIT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: GIT_IDENTITY.email,
    GIT_COMMITTER_NAME: GIT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: GIT_IDENTITY.email,
    ...(fixedDate ? { GIT_AUTHOR_DATE: fixedDate, GIT_COMMITTER_DATE: fixedDate } : {}),
  };
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git; resolves with its exit code (a non-zero code is not an error here; a missing git is). */
export function git(args: string[], options: { cwd: string; fixedDate?: string }): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      'git',
      ['-c', 'init.defaultBranch=main', '-c', 'core.hooksPath=/dev/null', ...args],
      {
        cwd: options.cwd,
        env: gitEnvironment(options.fixedDate),
        maxBuffer: 16 * 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : undefined) : 0;
        if (code === undefined) {
          reject(new GitError(`git could not run: ${error?.message ?? 'unknown error'}`));
          return;
        }
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}

/** Like `git`, but a non-zero exit is a GitError. */
export async function gitOk(args: string[], options: { cwd: string; fixedDate?: string }): Promise<string> {
  const result = await git(args, options);
  if (result.code !== 0)
    throw new GitError(
      `git ${args[0] ?? ''} failed: ${result.stderr.trim() || result.stdout.trim()}`,
      result.stderr,
    );
  return result.stdout;
}

export async function gitAvailable(): Promise<boolean> {
  try {
    return (await git(['--version'], { cwd: tmpdir() })).code === 0;
  } catch {
    return false;
  }
}

// Branch names DevOps Center and git both accept, without anything git would read as an option.
const BRANCH_NAME = /^[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$/;
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

export function isValidBranchName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    BRANCH_NAME.test(name) &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !name.endsWith('.lock') &&
    !name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))
  );
}

/** A repository owner or name: one path segment. */
export function isValidRepositorySegment(name: unknown): name is string {
  return typeof name === 'string' && PATH_SEGMENT.test(name) && !name.endsWith('.git') && name !== '..';
}

/** A full or abbreviated commit id. */
export function isCommitId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{7,64}$/i.test(value);
}

/** `<gitRoot>/<owner>/<name>`, checked to stay inside the git root. */
export function repositoryPath(gitRoot: string, owner: string, name: string): string {
  if (!isValidRepositorySegment(owner) || !isValidRepositorySegment(name))
    throw new GitError(`Not a repository owner/name the local org accepts: ${owner}/${name}`);
  const root = resolve(gitRoot);
  const path = resolve(root, owner, name);
  if (!path.startsWith(root + sep))
    throw new GitError(`Repository path leaves the git root: ${owner}/${name}`);
  return path;
}

/** A `/`-separated path inside a work tree, out of `.git`. */
export function isRelativeFilePath(relativePath: unknown): relativePath is string {
  if (typeof relativePath !== 'string' || relativePath === '' || relativePath.includes('\\')) return false;
  return !relativePath
    .split('/')
    .some((part) => part === '' || part === '.' || part === '..' || part.toLowerCase() === '.git');
}

/** A relative file path from a seed, checked to stay inside the work tree and out of `.git`. */
function workTreeFile(workTree: string, relativePath: string): string {
  if (!isRelativeFilePath(relativePath))
    throw new GitError(`Not a relative file path the local org accepts: ${relativePath}`);
  return join(workTree, ...relativePath.split('/'));
}

export async function withScratchDirectory<T>(work: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'sfmcp-local-org-git-'));
  try {
    return await work(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export interface RepositoryBlueprint {
  owner: string;
  name: string;
  defaultBranch: string;
  /** Created from the first commit, in this order. */
  stageBranches: string[];
  files: Record<string, string>;
  /** Branches made from the first stage's branch (the default branch without stages). */
  featureBranches: Array<{
    name: string;
    commits: Array<{ message: string; write?: Record<string, string>; remove?: string[] }>;
  }>;
}

// Seeded history has fixed dates, so the same seed gives the same commit ids.
const SEED_DATE = '2026-01-05T09:00:00+0000';

/** Builds a bare repository with a blueprint's branches and commits (in a scratch work tree, then pushed). */
export async function createSeededRepository(gitRoot: string, blueprint: RepositoryBlueprint): Promise<void> {
  const bare = repositoryPath(gitRoot, blueprint.owner, blueprint.name);
  for (const branch of [
    blueprint.defaultBranch,
    ...blueprint.stageBranches,
    ...blueprint.featureBranches.map((b) => b.name),
  ])
    if (!isValidBranchName(branch)) throw new GitError(`Not a branch name the local org accepts: ${branch}`);
  await mkdir(dirname(bare), { recursive: true });
  await gitOk(['init', '--quiet', '--bare', `--initial-branch=${blueprint.defaultBranch}`, '--', bare], {
    cwd: gitRoot,
  });
  await withScratchDirectory(async (work) => {
    const run = (args: string[]) => gitOk(args, { cwd: work, fixedDate: SEED_DATE });
    await run(['init', '--quiet', `--initial-branch=${blueprint.defaultBranch}`]);
    await writeFiles(work, blueprint.files);
    await run(['add', '--all']);
    await run(['commit', '--quiet', '--allow-empty', '-m', 'Initial project']);
    for (const branch of blueprint.stageBranches)
      if (branch !== blueprint.defaultBranch) await run(['branch', '--', branch]);
    const base = blueprint.stageBranches[0] ?? blueprint.defaultBranch;
    for (const feature of blueprint.featureBranches) {
      await run(['checkout', '--quiet', '-b', feature.name, base]);
      for (const commit of feature.commits) {
        await writeFiles(work, commit.write ?? {});
        for (const removed of commit.remove ?? []) {
          workTreeFile(work, removed);
          await run(['rm', '--quiet', '--', removed]);
        }
        await run(['add', '--all']);
        await run(['commit', '--quiet', '--allow-empty', '-m', commit.message]);
      }
    }
    await run(['push', '--quiet', '--all', '--', bare]);
  });
}

async function writeFiles(workTree: string, files: Record<string, string>): Promise<void> {
  for (const [relativePath, content] of Object.entries(files)) {
    const target = workTreeFile(workTree, relativePath);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** The commit a branch points at, or undefined when the branch does not exist. */
export async function branchHead(bare: string, branch: string): Promise<string | undefined> {
  if (!isValidBranchName(branch)) return undefined;
  const result = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], {
    cwd: bare,
  });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** Creates `branch` at `from`'s commit; fails when it exists. */
export async function createBranch(bare: string, branch: string, from: string): Promise<string> {
  const head = await branchHead(bare, from);
  if (!head) throw new GitError(`Branch ${from} does not exist`);
  if (!isValidBranchName(branch)) throw new GitError(`Not a branch name the local org accepts: ${branch}`);
  await gitOk(['update-ref', `refs/heads/${branch}`, head, ''], { cwd: bare });
  return head;
}

export async function deleteBranch(bare: string, branch: string, expected: string): Promise<void> {
  await git(['update-ref', '-d', `refs/heads/${branch}`, expected], { cwd: bare });
}

/** Whether `commit` is reachable from `branch` (the commit was pushed to it). */
export async function isOnBranch(bare: string, commit: string, branch: string): Promise<boolean> {
  if (!isCommitId(commit) || !(await branchHead(bare, branch))) return false;
  const known = await git(['cat-file', '-e', `${commit}^{commit}`], { cwd: bare });
  if (known.code !== 0) return false;
  const ancestor = await git(['merge-base', '--is-ancestor', commit, `refs/heads/${branch}`], { cwd: bare });
  return ancestor.code === 0;
}

/** How many commits `source` has that `target` lacks. */
export async function commitsAhead(bare: string, source: string, target: string): Promise<number> {
  const output = await gitOk(['rev-list', '--count', `refs/heads/${target}..refs/heads/${source}`], {
    cwd: bare,
  });
  return Number(output.trim());
}

export interface ConflictedFile {
  path: string;
  /** Both sides changed (or added) the file's content; otherwise one side deleted it. */
  kind: 'content' | 'delete';
}

/** The files a stopped merge left unmerged, from `git status` (`UU`/`AA`: content; `DU`/`UD`/...: a deletion). */
async function unmergedFiles(work: string): Promise<ConflictedFile[]> {
  const status = await git(['status', '--porcelain=v1', '-z', '--untracked-files=no'], { cwd: work });
  const files: ConflictedFile[] = [];
  for (const entry of status.stdout.split('\0')) {
    const code = entry.slice(0, 2);
    if (!['UU', 'AA', 'DU', 'UD', 'AU', 'UA', 'DD'].includes(code)) continue;
    files.push({ path: entry.slice(3), kind: code === 'UU' || code === 'AA' ? 'content' : 'delete' });
  }
  return files;
}

export type MergeOutcome =
  | { ok: true; before: string; after: string; pushed: boolean }
  | { ok: false; conflict: { source: string; files: ConflictedFile[] } }
  | { ok: false; error: string };

/**
 * Merges `sources` (in order, `--no-ff`) into `target` in a scratch clone. Everything or nothing: a
 * conflict or failure leaves the bare repository as it was; with `push`, the merged target is pushed
 * as one ref update that fails if the branch moved meanwhile.
 */
export async function mergeBranches(
  bare: string,
  target: string,
  sources: Array<{ branch: string; message: string }>,
  push: boolean,
): Promise<MergeOutcome> {
  const before = await branchHead(bare, target);
  if (!before) return { ok: false, error: `Branch ${target} does not exist` };
  for (const source of sources)
    if (!(await branchHead(bare, source.branch)))
      return { ok: false, error: `Branch ${source.branch} does not exist` };
  return withScratchDirectory(async (work) => {
    await gitOk(['clone', '--quiet', '--no-checkout', '--', bare, work], { cwd: dirname(work) });
    await gitOk(['checkout', '--quiet', '-B', target, `refs/remotes/origin/${target}`], { cwd: work });
    for (const source of sources) {
      const merged = await git(
        ['merge', '--no-ff', '--no-edit', '-m', source.message, `refs/remotes/origin/${source.branch}`],
        { cwd: work },
      );
      if (merged.code !== 0) {
        const files = await unmergedFiles(work);
        if (files.length > 0) return { ok: false, conflict: { source: source.branch, files } };
        return {
          ok: false,
          error: `git merge of ${source.branch} failed: ${merged.stderr.trim() || merged.stdout.trim()}`,
        };
      }
    }
    const after = (await gitOk(['rev-parse', 'HEAD'], { cwd: work })).trim();
    if (push) {
      const pushed = await git(
        [
          'push',
          '--quiet',
          `--force-with-lease=refs/heads/${target}:${before}`,
          'origin',
          `HEAD:refs/heads/${target}`,
        ],
        { cwd: work },
      );
      if (pushed.code !== 0)
        return { ok: false, error: `git push to ${target} failed: ${pushed.stderr.trim()}` };
    }
    return { ok: true, before, after, pushed: push };
  });
}

/** Puts a branch back where it was (undo of a pushed merge when the org's records could not follow). */
export async function resetBranch(bare: string, branch: string, to: string, from: string): Promise<void> {
  await git(['update-ref', `refs/heads/${branch}`, to, from], { cwd: bare });
}
