import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ToolError, excerpt } from '@sfmcp/plugin-api';
import { checkBranchName, checkRemoteUrl, checkRepoPath, redactUrl, redactUrls } from './git-refs.js';

/**
 * A small git client over `spawn` with argument arrays — no shell, ever. Every branch name, ref, URL and path is
 * validated (git-refs.ts) before git runs; paths always follow `--`. It never forces, never discards
 * work and never skips hooks: the user's identity, credential helper and hooks stay theirs.
 */

/** `merge-tree --write-tree` (conflict checks without a checkout) arrived in git 2.38. */
export const MIN_GIT_VERSION: readonly [number, number, number] = [2, 38, 0];

const NETWORK_TIMEOUT_MS = 120_000;
const LOCAL_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const STDERR_LINES = 6;
const LISTED_FILES = 20;

/** Protocols that run arbitrary commands stay off whatever the user's config says; paths print raw. */
const GLOBAL_ARGS = [
  '-c',
  'protocol.ext.allow=never',
  '-c',
  'protocol.fd.allow=never',
  '-c',
  'core.quotePath=false',
];

/** Variables that would point git at another repository, index or work tree than the one we name. */
const LOCATING_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

export interface GitOptions {
  /** Extra environment for every git process (tests: GIT_CONFIG_GLOBAL, identity, HOME). */
  env?: Record<string, string | undefined>;
  /** Called with the argument list of every git process before it starts (for logs and tests). */
  trace?: (args: readonly string[]) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
}

interface RunOptions extends CallOptions {
  cwd?: string;
  network?: boolean;
  input?: string;
  /** Exit codes that are answers, not failures (`ls-remote --exit-code` → 2). */
  okExitCodes?: readonly number[];
  hint?: string;
}

interface RunResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

function gitEnvironment(extra: GitOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of LOCATING_VARIABLES) delete env[name];
  Object.assign(env, {
    // Never wait for a human: no prompts for passwords, passphrases or editors.
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GCM_INTERACTIVE: 'never',
    GIT_EDITOR: 'true',
    GIT_MERGE_AUTOEDIT: 'no',
    // Messages in English, so they can be read back; paths after `--` are names, not patterns.
    LC_ALL: 'C',
    GIT_LITERAL_PATHSPECS: '1',
  });
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** How an error message shows a command: without our `-c` settings, URLs redacted, long values cut. */
function display(args: readonly string[]): string {
  return redactUrls(['git', ...args.map((arg) => excerpt(arg, 80))].join(' '));
}

function firstLines(text: string): string {
  const lines = redactUrls(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0 && !/^hint: /.test(line));
  return lines.slice(0, STDERR_LINES).join('\n');
}

/** Known failures that deserve a hint of what to do. */
function hintFor(stderr: string): string | undefined {
  if (/Please tell me who you are|unable to auto-detect email address/i.test(stderr)) {
    return 'Set your identity: git config --global user.name "…" and user.email "…".';
  }
  if (
    /Authentication failed|could not read Username|Permission denied \(publickey|terminal prompts disabled/i.test(
      stderr,
    )
  ) {
    return 'git could not authenticate: set up a credential helper (https) or an SSH key for this host.';
  }
  if (/\[rejected\]|non-fast-forward|fetch first/i.test(stderr)) {
    return 'The remote has commits you do not have: fetch and merge them first; sfmcp never force-pushes.';
  }
  if (/dubious ownership/i.test(stderr)) {
    return "The repository belongs to another user; git's safe.directory setting decides whether to trust it.";
  }
  if (/Could not resolve host|Connection refused|Connection timed out|unable to access/i.test(stderr)) {
    return 'The repository host could not be reached.';
  }
  return undefined;
}

/** The version of the git each PATH finds, asked once. */
const versionChecks = new Map<string, Promise<string>>();

/** The installed git's version (`2.39.5`). */
export async function gitVersion(options: GitOptions & CallOptions = {}): Promise<string> {
  const { stdout } = await spawnGit(['--version'], options, {
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = stdout.toString('utf8').trim();
  const version = parseGitVersion(text);
  if (!version) throw new ToolError(`Could not read git's version from ${JSON.stringify(excerpt(text))}.`);
  return version.join('.');
}

/** `git version 2.39.5 (Apple Git-154)` → [2, 39, 5]. */
export function parseGitVersion(text: string): [number, number, number] | undefined {
  const match = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** True when `version` is at least `minimum`. */
export function versionAtLeast(
  version: readonly number[],
  minimum: readonly number[] = MIN_GIT_VERSION,
): boolean {
  for (let i = 0; i < minimum.length; i++) {
    const have = version[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}

/** Refuses to go on with a git too old for what the tools do; checked once per process. */
async function ensureSupportedGit(options: GitOptions): Promise<void> {
  const path = options.env && 'PATH' in options.env ? (options.env.PATH ?? '') : (process.env.PATH ?? '');
  let check = versionChecks.get(path);
  if (!check) {
    check = gitVersion(options);
    versionChecks.set(path, check);
  }
  let version: string;
  try {
    version = await check;
  } catch (error) {
    versionChecks.delete(path);
    throw error;
  }
  const parsed = parseGitVersion(`git version ${version}`) ?? [0, 0, 0];
  if (!versionAtLeast(parsed)) {
    throw new ToolError(
      `git ${version} is too old: sfmcp needs git ${MIN_GIT_VERSION.join('.')} or later (merge-tree --write-tree checks merges without a checkout).`,
      'Update git, then try again.',
      { kind: 'failed', code: 'GIT_TOO_OLD' },
    );
  }
}

/** Starts one git process. The only place a process is started. */
function spawnGit(args: readonly string[], options: GitOptions, run: RunOptions): Promise<RunResult> {
  if (run.signal?.aborted) return Promise.reject(cancelled(args));
  options.trace?.(args);
  const timeoutMs = run.network ? NETWORK_TIMEOUT_MS : LOCAL_TIMEOUT_MS;
  // Its own process group, so that stopping git also stops its helpers (git-remote-https, ssh),
  // which would otherwise outlive it and keep the connection open. (execFile cannot detach.)
  const ownGroup = process.platform !== 'win32';
  return new Promise((resolvePromise, reject) => {
    let stopped: 'cancelled' | 'timeout' | 'overflow' | undefined;
    let settled = false;
    let size = 0;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const child = spawn('git', [...GLOBAL_ARGS, ...args], {
      ...(run.cwd ? { cwd: run.cwd } : {}),
      env: gitEnvironment(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      detached: ownGroup,
    });
    const stop = (reason: 'cancelled' | 'timeout' | 'overflow') => {
      stopped ??= reason;
      try {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        // Already gone.
      }
    };
    const onAbort = () => stop('cancelled');
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (outcome: RunResult | ToolError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (outcome instanceof ToolError) reject(outcome);
      else resolvePromise(outcome);
    };
    const collect = (chunks: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) stop('overflow');
      else chunks.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('error', (error: NodeJS.ErrnoException) => finish(startFailure(error, run)));
    child.on('close', (code, signal) => {
      const out = Buffer.concat(stdout);
      const err = Buffer.concat(stderr).toString('utf8');
      if (stopped === 'cancelled') finish(cancelled(args));
      else if (stopped === 'timeout') {
        finish(
          new ToolError(
            `${display(args)} did not finish within ${timeoutMs / 1000} s; stopped it.`,
            hintFor(err),
            {
              kind: run.network ? 'unavailable' : 'failed',
              code: 'GIT_TIMEOUT',
            },
          ),
        );
      } else if (stopped === 'overflow') {
        finish(
          new ToolError(
            `${display(args)} printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB; stopped it.`,
          ),
        );
      } else if (code === 0 || (code !== null && run.okExitCodes?.includes(code))) {
        finish({ stdout: out, stderr: err, exitCode: code });
      } else {
        finish(exitFailure(args, run, code === null ? `killed by ${signal}` : `exit ${code}`, out, err));
      }
    });
    child.stdin.on('error', () => {
      // git may exit before reading its input (a failing hook); its exit status tells what happened.
    });
    child.stdin.end(run.input ?? '');
  });
}

/** git could not be started at all. */
function startFailure(error: NodeJS.ErrnoException, run: RunOptions): ToolError {
  if (error.code === 'ENOENT' && run.cwd && !existsSync(run.cwd)) {
    return new ToolError(`The directory ${run.cwd} does not exist.`, undefined, { kind: 'not-found' });
  }
  if (error.code === 'ENOENT') {
    return new ToolError(
      'git is not installed or not on PATH.',
      'Install git 2.38 or later and put it on PATH.',
      {
        kind: 'failed',
        code: 'GIT_NOT_FOUND',
      },
    );
  }
  return new ToolError(`Could not start git: ${error.message}`, undefined, {
    kind: 'failed',
    code: 'GIT_FAILED',
  });
}

/** git ran and failed: the command (URLs redacted) and the first lines of what it said. */
function exitFailure(
  args: readonly string[],
  run: RunOptions,
  exit: string,
  stdout: Buffer,
  stderr: string,
): ToolError {
  const output = `${stderr}\n${stdout.toString('utf8')}`;
  const details = firstLines(output);
  return new ToolError(
    `${display(args)} failed (${exit})${details ? `:\n${details}` : '.'}`,
    run.hint ?? hintFor(output),
    {
      kind: 'failed',
      code: 'GIT_FAILED',
    },
  );
}

function cancelled(args: readonly string[]): ToolError {
  return new ToolError(`${display(args)} was cancelled.`, undefined, { kind: 'failed', code: 'CANCELLED' });
}

/** Runs git after making sure it is there and new enough. */
async function runGit(
  args: readonly string[],
  options: GitOptions,
  run: RunOptions = {},
): Promise<RunResult> {
  if (run.signal?.aborted) throw cancelled(args);
  await ensureSupportedGit(options);
  return spawnGit(args, options, run);
}

function text(result: RunResult): string {
  return result.stdout.toString('utf8');
}

/** NUL-separated records, the last (empty) one dropped. */
function records(result: RunResult): string[] {
  const parts = text(result).split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

function listFilesForMessage(paths: readonly string[]): string {
  const shown = paths.slice(0, LISTED_FILES).map((path) => `  ${path}`);
  if (paths.length > LISTED_FILES) shown.push(`  … and ${paths.length - LISTED_FILES} more`);
  return shown.join('\n');
}

/** The top of the work tree `dir` is in, or undefined when it is in none. */
export async function repositoryRoot(
  dir: string,
  options: GitOptions & CallOptions = {},
): Promise<string | undefined> {
  const cwd = resolve(dir);
  // A directory that does not exist is not in a repository either.
  const info = await stat(cwd).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  const result = await runGit(['rev-parse', '--show-toplevel'], options, {
    cwd,
    okExitCodes: [128],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.exitCode !== 0) return undefined;
  const root = text(result).trim();
  return root || undefined;
}

/** True when `dir` is the top of a git work tree. */
export async function isRepository(dir: string, options: GitOptions & CallOptions = {}): Promise<boolean> {
  const root = await repositoryRoot(dir, options);
  if (!root) return false;
  const [a, b] = await Promise.all([realpath(root), realpath(resolve(dir))]);
  return a === b;
}

export interface CloneOptions extends GitOptions, CallOptions {
  /** Check out this branch instead of the remote's default. */
  branch?: string;
  /** Allow a file:// URL (the local test org's repositories only). */
  allowFile?: boolean;
}

/** Clones `url` into `dir` (which must not exist or be empty) and returns the repository. */
export async function clone(url: string, dir: string, options: CloneOptions = {}): Promise<GitRepo> {
  checkRemoteUrl(url, { allowFile: options.allowFile === true });
  const branch = options.branch === undefined ? undefined : checkBranchName(options.branch);
  const target = resolve(dir);
  await runGit(
    ['clone', '--no-recurse-submodules', ...(branch ? ['--branch', branch] : []), '--', url, target],
    options,
    {
      network: true,
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
  return new GitRepo(target, options);
}

export interface StatusEntry {
  path: string;
  /** Status in the index (`M`, `A`, `D`, `R`, `C`, `U`, `?` for untracked, ` ` for unchanged). */
  index: string;
  /** Status in the work tree, same letters. */
  worktree: string;
  /** The path before a rename or copy. */
  origPath?: string;
}

export interface SwitchResult {
  branch: string;
  /** The local branch was created from `origin/<branch>`. */
  created: boolean;
  /** Commits the branch was behind its upstream before the switch (fast-forwarded when `fastForwarded`). */
  behind: number;
  /** Local commits not on the upstream. */
  ahead: number;
  fastForwarded: boolean;
  /** Both sides have commits: nothing was merged; the user decides. */
  diverged: boolean;
}

export type ConflictKind = 'content' | 'add/add' | 'modify/delete' | 'rename' | 'other';

export interface MergeConflict {
  path: string;
  kind: ConflictKind;
  /** git's own words (`CONFLICT (content): Merge conflict in …`). */
  message: string;
}

export interface MergeTreeResult {
  clean: boolean;
  conflicts: MergeConflict[];
  /** The tree the merge would produce (with conflict markers where it conflicts). */
  tree: string;
}

export interface ChangedFile {
  /** `A` added, `M` modified, `D` deleted, `R` renamed, `C` copied, `T` type changed. */
  status: string;
  path: string;
  origPath?: string;
}

export interface StartMergeResult {
  /** Nothing to merge: `theirs` is already contained in HEAD. No merge is in progress. */
  alreadyUpToDate: boolean;
  /** Paths left in conflict; the merge stays in progress either way until finished or aborted. */
  conflicts: string[];
}

export interface PushResult {
  branch: string;
  commit: string;
}

/** A git work tree. Every method validates what it passes on. */
export class GitRepo {
  readonly root: string;

  constructor(
    root: string,
    private readonly options: GitOptions = {},
  ) {
    this.root = resolve(root);
  }

  /** The repository whose work tree `dir` is in; a ToolError when it is in none. */
  static async open(dir: string, options: GitOptions & CallOptions = {}): Promise<GitRepo> {
    const root = await repositoryRoot(dir, options);
    if (!root) {
      throw new ToolError(`${dir} is not inside a git repository.`, 'Clone the repository first.', {
        kind: 'not-found',
      });
    }
    return new GitRepo(root, options);
  }

  private run(args: readonly string[], run: RunOptions = {}): Promise<RunResult> {
    return runGit(args, this.options, { cwd: this.root, ...run });
  }

  /** The commit a ref names, verified; a ToolError (`not-found`) when it names none. */
  async resolveCommit(ref: string, what = 'ref', options: CallOptions = {}): Promise<string> {
    checkBranchName(ref, what);
    const result = await this.run(
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
      {
        okExitCodes: [1],
        ...options,
      },
    );
    const sha = text(result).trim();
    if (result.exitCode !== 0 || !sha) {
      throw new ToolError(
        `The ${what} ${JSON.stringify(ref)} does not name a commit in ${this.root}.`,
        'Fetch first?',
        {
          kind: 'not-found',
        },
      );
    }
    return sha;
  }

  async fetch(remote = 'origin', refs: readonly string[] = [], options: CallOptions = {}): Promise<void> {
    checkBranchName(remote, 'remote');
    for (const ref of refs) checkBranchName(ref);
    await this.run(['fetch', '--no-recurse-submodules', remote, ...refs], { network: true, ...options });
  }

  /** Whether `origin` has the branch (asks the remote, not the remote-tracking refs). */
  async remoteBranchExists(branch: string, options: CallOptions = {}): Promise<boolean> {
    checkBranchName(branch);
    const ref = `refs/heads/${branch}`;
    const result = await this.run(['ls-remote', '--heads', '--exit-code', 'origin', ref], {
      network: true,
      okExitCodes: [2],
      ...options,
    });
    // ls-remote matches patterns on their tail; only an exact ref counts.
    return (
      result.exitCode === 0 &&
      text(result)
        .split('\n')
        .some((line) => line.split('\t')[1] === ref)
    );
  }

  async localBranchExists(branch: string, options: CallOptions = {}): Promise<boolean> {
    checkBranchName(branch);
    const result = await this.run(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], {
      okExitCodes: [1],
      ...options,
    });
    return result.exitCode === 0;
  }

  private async remoteTrackingExists(branch: string, options: CallOptions): Promise<boolean> {
    const result = await this.run(['show-ref', '--verify', '--quiet', `refs/remotes/origin/${branch}`], {
      okExitCodes: [1],
      ...options,
    });
    return result.exitCode === 0;
  }

  /** The checked-out branch, or undefined on a detached HEAD. */
  async currentBranch(options: CallOptions = {}): Promise<string | undefined> {
    const result = await this.run(['symbolic-ref', '--quiet', '--short', 'HEAD'], {
      okExitCodes: [1],
      ...options,
    });
    return result.exitCode === 0 ? text(result).trim() : undefined;
  }

  async headCommit(options: CallOptions = {}): Promise<string> {
    const result = await this.run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {
      okExitCodes: [1],
      ...options,
    });
    const sha = text(result).trim();
    if (result.exitCode !== 0 || !sha) {
      throw new ToolError(`The repository ${this.root} has no commits yet.`, undefined, {
        kind: 'not-found',
      });
    }
    return sha;
  }

  /** Changed, staged and untracked files (ignored ones excluded), from `status --porcelain=v1 -z`. */
  async status(options: CallOptions = {}): Promise<StatusEntry[]> {
    const result = await this.run(['status', '--porcelain=v1', '-z', '--untracked-files=all'], options);
    const parts = records(result);
    const entries: StatusEntry[] = [];
    for (let i = 0; i < parts.length; i++) {
      const record = parts[i] ?? '';
      if (record.length < 4) continue;
      const entry: StatusEntry = {
        index: record[0] ?? ' ',
        worktree: record[1] ?? ' ',
        path: record.slice(3),
      };
      if (/[RC]/.test(entry.index) || /[RC]/.test(entry.worktree)) {
        const origPath = parts[++i];
        if (origPath !== undefined) entry.origPath = origPath;
      }
      entries.push(entry);
    }
    return entries;
  }

  async isDirty(options: CallOptions = {}): Promise<boolean> {
    return (await this.status(options)).length > 0;
  }

  /** Refuses (kind `refused`) when anything is changed or untracked, listing it; nothing is touched. */
  private async refuseIfDirty(action: string, options: CallOptions): Promise<void> {
    const entries = await this.status(options);
    if (entries.length === 0) return;
    throw new ToolError(
      `Refused to ${action}: the work tree in ${this.root} has uncommitted changes:\n${listFilesForMessage(
        entries.map((entry) => `${entry.index}${entry.worktree} ${entry.path}`),
      )}`,
      'Commit or stash these changes yourself first; sfmcp never discards them.',
      { kind: 'refused', code: 'DIRTY_WORK_TREE' },
    );
  }

  /**
   * Checks out `branch`: the local branch when there is one, else a new one tracking `origin/<branch>`
   * (fetched when missing). Fast-forwards to the upstream when only behind. Refuses on a dirty tree.
   */
  async switchTo(branch: string, options: CallOptions = {}): Promise<SwitchResult> {
    checkBranchName(branch);
    await this.refuseIfDirty(`switch to ${branch}`, options);
    let created = false;
    if (await this.localBranchExists(branch, options)) {
      await this.run(['switch', '--no-guess', branch], options);
    } else {
      if (!(await this.remoteTrackingExists(branch, options))) {
        await this.fetch('origin', [branch], options).catch((error: unknown) => {
          throw new ToolError(
            `There is no branch ${JSON.stringify(branch)}, locally or on origin.`,
            error instanceof Error ? firstLines(error.message) : undefined,
            { kind: 'not-found' },
          );
        });
      }
      await this.run(['switch', '--no-guess', '-c', branch, '--track', `origin/${branch}`], options);
      created = true;
    }
    const result: SwitchResult = {
      branch,
      created,
      behind: 0,
      ahead: 0,
      fastForwarded: false,
      diverged: false,
    };
    const upstream = text(
      await this.run(['for-each-ref', '--format=%(upstream)', `refs/heads/${branch}`], options),
    ).trim();
    if (!upstream) return result;
    const counts = text(
      await this.run(['rev-list', '--left-right', '--count', `refs/heads/${branch}...${upstream}`], options),
    )
      .trim()
      .split(/\s+/)
      .map(Number);
    result.ahead = counts[0] ?? 0;
    result.behind = counts[1] ?? 0;
    if (result.behind > 0 && result.ahead === 0) {
      await this.run(['merge', '--ff-only', '--end-of-options', upstream], options);
      result.fastForwarded = true;
    } else if (result.behind > 0) {
      result.diverged = true;
    }
    return result;
  }

  /** Stages every change, deletions and untracked files included (`add --all`). */
  async stageAll(options: CallOptions = {}): Promise<void> {
    await this.run(['add', '--all'], options);
  }

  /** Commits what is staged (hooks run); returns the new commit. */
  async commit(message: string, options: CallOptions = {}): Promise<string> {
    checkCommitMessage(message);
    const staged = await this.run(['diff', '--cached', '--quiet'], { okExitCodes: [1], ...options });
    if (staged.exitCode === 0 && !(await this.isMerging(options))) {
      throw new ToolError(`Nothing is staged to commit in ${this.root}.`, 'Stage the changes first.', {
        kind: 'invalid',
        code: 'NOTHING_TO_COMMIT',
      });
    }
    await this.run(['commit', '--file=-', '--cleanup=whitespace'], { input: message, ...options });
    return this.headCommit(options);
  }

  /** Pushes HEAD to `origin/<branch>`; never forced — a rejected push is an error. */
  async push(branch: string, options: CallOptions = {}): Promise<PushResult> {
    checkBranchName(branch);
    const commit = await this.headCommit(options);
    await this.run(['push', 'origin', `HEAD:refs/heads/${branch}`], {
      network: true,
      ...options,
    });
    return { branch, commit };
  }

  /** `origin`'s URL, redacted (a token in it is never returned). */
  async remoteUrl(options: CallOptions = {}): Promise<string | undefined> {
    const result = await this.run(['remote', 'get-url', 'origin'], { okExitCodes: [2, 128], ...options });
    if (result.exitCode !== 0) return undefined;
    return redactUrl(text(result).trim());
  }

  /**
   * What merging `theirs` into `ours` would conflict on, without touching the work tree or index
   * (`merge-tree --write-tree`). Works on any refs: `origin/uat`, `WI-000001`, commit ids.
   */
  async mergeTreeConflicts(
    ours: string,
    theirs: string,
    options: CallOptions = {},
  ): Promise<MergeTreeResult> {
    checkRefs(ours, theirs);
    const [oursCommit, theirsCommit] = [
      await this.resolveCommit(ours, 'ref', options),
      await this.resolveCommit(theirs, 'ref', options),
    ];
    const result = await this.run(
      ['merge-tree', '--write-tree', '--name-only', '-z', '--messages', oursCommit, theirsCommit],
      { okExitCodes: [1], ...options },
    );
    return parseMergeTree(text(result), result.exitCode === 0);
  }

  /** The best common ancestor, or undefined when the histories are unrelated. */
  async mergeBase(a: string, b: string, options: CallOptions = {}): Promise<string | undefined> {
    checkRefs(a, b);
    const [left, right] = [
      await this.resolveCommit(a, 'ref', options),
      await this.resolveCommit(b, 'ref', options),
    ];
    const result = await this.run(['merge-base', left, right], { okExitCodes: [1], ...options });
    return result.exitCode === 0 ? text(result).trim() : undefined;
  }

  /** Files that differ between two commits (`diff --name-status`, renames found). */
  async changedFilesBetween(base: string, head: string, options: CallOptions = {}): Promise<ChangedFile[]> {
    checkRefs(base, head);
    const [from, to] = [
      await this.resolveCommit(base, 'ref', options),
      await this.resolveCommit(head, 'ref', options),
    ];
    const result = await this.run(
      ['diff', '--name-status', '-z', '--find-renames', '--no-ext-diff', from, to],
      options,
    );
    const parts = records(result);
    const files: ChangedFile[] = [];
    for (let i = 0; i < parts.length; i++) {
      const status = parts[i] ?? '';
      const letter = status[0] ?? '?';
      if (letter === 'R' || letter === 'C') {
        const origPath = parts[++i] ?? '';
        files.push({ status: letter, origPath, path: parts[++i] ?? '' });
      } else {
        files.push({ status: letter, path: parts[++i] ?? '' });
      }
    }
    return files;
  }

  /** Every file at `ref` (optionally under `paths`), relative to the repository root. */
  async listFiles(ref: string, paths: readonly string[] = [], options: CallOptions = {}): Promise<string[]> {
    for (const path of paths) checkRepoPath(path);
    const commit = await this.resolveCommit(ref, 'ref', options);
    const result = await this.run(
      [
        'ls-tree',
        '-r',
        '--name-only',
        '-z',
        '--full-tree',
        commit,
        ...(paths.length ? ['--', ...paths] : []),
      ],
      options,
    );
    return records(result);
  }

  /** A file's content at `ref`, or undefined when the ref has no such file. */
  async showFile(ref: string, path: string, options: CallOptions = {}): Promise<Buffer | undefined> {
    checkRepoPath(path);
    const commit = await this.resolveCommit(ref, 'ref', options);
    const object = `${commit}:${path}`;
    const type = await this.run(['cat-file', '-t', object], { okExitCodes: [128], ...options });
    if (type.exitCode !== 0 || text(type).trim() !== 'blob') return undefined;
    return (await this.run(['cat-file', 'blob', object], options)).stdout;
  }

  /**
   * Starts merging `theirs` into the current branch (`merge --no-ff --no-commit`) and leaves the merge
   * in progress: finish it with `finishMerge`, or `abortMerge`. Refuses on a dirty tree.
   */
  async startMerge(theirs: string, options: CallOptions = {}): Promise<StartMergeResult> {
    await this.resolveCommit(theirs, 'ref', options);
    if (await this.isMerging(options)) {
      throw new ToolError(`A merge is already in progress in ${this.root}.`, 'Finish or abort it first.', {
        kind: 'refused',
        code: 'MERGE_IN_PROGRESS',
      });
    }
    await this.refuseIfDirty(`merge ${theirs}`, options);
    const result = await this.run(['merge', '--no-ff', '--no-commit', '--end-of-options', theirs], {
      okExitCodes: [1],
      ...options,
    });
    const merging = await this.isMerging(options);
    if (!merging) {
      if (result.exitCode === 0) return { alreadyUpToDate: true, conflicts: [] };
      throw new ToolError(
        `git merge ${theirs} failed:\n${firstLines(result.stderr || text(result))}`,
        undefined,
        {
          kind: 'failed',
          code: 'GIT_FAILED',
        },
      );
    }
    return { alreadyUpToDate: false, conflicts: await this.conflictedPaths(options) };
  }

  async isMerging(options: CallOptions = {}): Promise<boolean> {
    const result = await this.run(['rev-parse', '--quiet', '--verify', 'MERGE_HEAD'], {
      okExitCodes: [1],
      ...options,
    });
    return result.exitCode === 0;
  }

  /** Paths still unmerged in the index. */
  async conflictedPaths(options: CallOptions = {}): Promise<string[]> {
    return records(await this.run(['diff', '--name-only', '--diff-filter=U', '-z'], options));
  }

  private async requireConflicted(path: string, options: CallOptions): Promise<Set<number>> {
    checkRepoPath(path);
    const stages = new Set<number>();
    for (const record of records(await this.run(['ls-files', '--unmerged', '-z', '--', path], options))) {
      const [meta = '', name] = record.split('\t');
      if (name === path) stages.add(Number(meta.split(' ')[2]));
    }
    if (stages.size === 0) {
      throw new ToolError(
        `${JSON.stringify(path)} is not in conflict.`,
        'conflictedPaths() lists the paths that are.',
        {
          kind: 'invalid',
        },
      );
    }
    return stages;
  }

  /**
   * Resolves a conflicted path by taking one side whole. When that side deleted the file the
   * resolution is the deletion.
   */
  async takeSide(path: string, side: 'ours' | 'theirs', options: CallOptions = {}): Promise<void> {
    const stages = await this.requireConflicted(path, options);
    const stage = side === 'ours' ? 2 : 3;
    if (stages.has(stage)) {
      await this.run(['checkout', `--${side}`, '--', path], options);
      await this.run(['add', '--', path], options);
    } else {
      await this.run(['rm', '--quiet', '--', path], options);
    }
  }

  /** Marks a path the user edited as resolved; refuses while conflict markers remain in it. */
  async markResolved(path: string, options: CallOptions = {}): Promise<void> {
    await this.requireConflicted(path, options);
    const absolute = join(this.root, path);
    const info = await lstat(absolute).catch(() => undefined);
    if (info?.isFile()) {
      const lines = (await readFile(absolute, 'utf8')).split('\n');
      const marked = lines.flatMap((line, index) => (/^(<{7}|>{7}) /.test(line) ? [index + 1] : []));
      if (marked.length > 0) {
        throw new ToolError(
          `Refused to mark ${path} resolved: it still has conflict markers on line${marked.length > 1 ? 's' : ''} ${marked
            .slice(0, 10)
            .join(', ')}.`,
          'Edit the file to keep what should stay, or take one side whole.',
          { kind: 'refused', code: 'CONFLICT_MARKERS' },
        );
      }
    }
    // `add --all` also records a deletion when the user resolved by removing the file.
    await this.run(['add', '--all', '--', path], options);
  }

  /** Commits the merge in progress once no path is left in conflict. */
  async finishMerge(message: string, options: CallOptions = {}): Promise<string> {
    checkCommitMessage(message);
    if (!(await this.isMerging(options))) {
      throw new ToolError(`No merge is in progress in ${this.root}.`, undefined, { kind: 'invalid' });
    }
    const remaining = await this.conflictedPaths(options);
    if (remaining.length > 0) {
      throw new ToolError(
        `Refused to finish the merge: ${remaining.length} path${remaining.length > 1 ? 's are' : ' is'} still in conflict:\n${listFilesForMessage(remaining)}`,
        'Resolve each path (take a side, or edit and mark it resolved) first.',
        { kind: 'refused', code: 'UNRESOLVED_CONFLICTS' },
      );
    }
    return this.commit(message, options);
  }

  /** Abandons the merge in progress, returning the work tree to HEAD. */
  async abortMerge(options: CallOptions = {}): Promise<void> {
    if (!(await this.isMerging(options))) {
      throw new ToolError(`No merge is in progress in ${this.root}.`, undefined, { kind: 'invalid' });
    }
    await this.run(['merge', '--abort'], options);
  }
}

/** Validates every ref of a call before any of them reaches git. */
function checkRefs(...refs: string[]): void {
  for (const ref of refs) checkBranchName(ref, 'ref');
}

function checkCommitMessage(message: string): void {
  if (typeof message !== 'string' || message.trim().length === 0) {
    throw new ToolError('The commit message is empty.', 'Describe the change in a sentence.', {
      kind: 'invalid',
    });
  }
  if (message.includes('\0')) {
    throw new ToolError('Refused the commit message: it contains a NUL byte.', undefined, {
      kind: 'invalid',
    });
  }
}

function conflictKind(type: string, message: string): ConflictKind {
  if (/\(add\/add\)/.test(message)) return 'add/add';
  if (/\(content\)/.test(message) || /\(contents\)/.test(type)) return 'content';
  if (/modify\/delete/.test(type) || /modify\/delete/.test(message)) return 'modify/delete';
  if (/rename/i.test(type) || /rename/i.test(message)) return 'rename';
  return 'other';
}

/**
 * Reads `merge-tree --write-tree --name-only -z --messages` output: the tree, the conflicted paths
 * (ended by an empty record), then messages as `<count> NUL <paths…> NUL <type> NUL <message> NUL`.
 */
export function parseMergeTree(output: string, clean: boolean): MergeTreeResult {
  const parts = output.split('\0');
  let i = 0;
  const tree = parts[i++] ?? '';
  const conflicted: string[] = [];
  while (i < parts.length && parts[i] !== '') conflicted.push(parts[i++] ?? '');
  i++;
  const messages = new Map<string, { type: string; message: string }[]>();
  while (i < parts.length) {
    const count = Number(parts[i++]);
    if (!Number.isInteger(count) || count < 0) break;
    const paths = parts.slice(i, i + count);
    i += count;
    const type = parts[i++] ?? '';
    const message = (parts[i++] ?? '').trim();
    for (const path of paths) messages.set(path, [...(messages.get(path) ?? []), { type, message }]);
  }
  const conflicts = [...new Set(conflicted)].map((path): MergeConflict => {
    const notes = (messages.get(path) ?? []).filter((note) => note.type.startsWith('CONFLICT'));
    const first = notes[0];
    return first
      ? {
          path,
          kind: conflictKind(first.type, first.message),
          message: notes.map((note) => note.message).join('\n'),
        }
      : { path, kind: 'other', message: `CONFLICT: ${path}` };
  });
  return { clean: clean && conflicts.length === 0, conflicts, tree };
}
