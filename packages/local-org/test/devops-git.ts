/** What the DevOps Center suites share: git as a client runs it, and the Connect calls. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalOrg } from '../src/server.js';

const ENVIRONMENT: NodeJS.ProcessEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  LANG: 'C',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Test Developer',
  GIT_AUTHOR_EMAIL: 'developer@example.test',
  GIT_COMMITTER_NAME: 'Test Developer',
  GIT_COMMITTER_EMAIL: 'developer@example.test',
};

/** Runs git without a shell; rejects with git's stderr on a non-zero exit. */
export function git(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env: ENVIRONMENT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

const scratch: string[] = [];

export function scratchDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'devops-test-'));
  scratch.push(directory);
  return directory;
}

export function removeScratchDirectories(): void {
  for (const directory of scratch.splice(0)) rmSync(directory, { recursive: true, force: true });
}

/** A clone of `url` in a new scratch directory. */
export async function clone(url: string): Promise<string> {
  const directory = scratchDirectory();
  await git(directory, 'clone', '--quiet', '--', url, 'work');
  return join(directory, 'work');
}

/** Checks out `branch`, rewrites `file` with `content`, commits; returns the commit id. */
export async function commitChange(
  work: string,
  branch: string,
  file: string,
  content: string,
  message: string,
) {
  await git(work, 'fetch', '--quiet', 'origin');
  await git(work, 'checkout', '--quiet', '-B', branch, `origin/${branch}`);
  await writeFile(join(work, file), content);
  await git(work, 'add', '--', file);
  await git(work, 'commit', '--quiet', '-m', message);
  return (await git(work, 'rev-parse', 'HEAD')).trim();
}

/** `file` as it is on `branch` of the bare repository. */
export async function fileOnBranch(bare: string, branch: string, file: string): Promise<string | undefined> {
  try {
    return await git(bare, 'show', `refs/heads/${branch}:${file}`);
  } catch {
    return undefined;
  }
}

export async function branchHead(bare: string, branch: string): Promise<string | undefined> {
  try {
    return (await git(bare, 'rev-parse', '--verify', `refs/heads/${branch}`)).trim();
  } catch {
    return undefined;
  }
}

export async function branches(bare: string): Promise<string[]> {
  const output = await git(bare, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/');
  return output.split('\n').filter(Boolean).sort();
}

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

export interface Reply {
  status: number;
  body: unknown;
}

/** A Connect call under `/services/data/v62.0/connect/devops/`, with the org's token. */
export async function devops(org: LocalOrg, method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${org.instanceUrl}/services/data/v62.0/connect/devops/${path}`, {
    method,
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** The first error of a Salesforce error reply. */
export function errorOf(reply: Reply): { errorCode: string; message: string } {
  return (reply.body as Array<{ errorCode: string; message: string }>)[0] as {
    errorCode: string;
    message: string;
  };
}

/** A SOQL query over REST with the org's token (for orgs a test starts after its first Connection). */
export async function query<T>(org: LocalOrg, soql: string): Promise<T[]> {
  const response = await fetch(`${org.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, {
    headers: { authorization: `Bearer ${org.accessToken}` },
  });
  const body = (await response.json()) as unknown;
  if (!response.ok) {
    const [error] = body as Array<{ errorCode: string; message: string }>;
    throw Object.assign(new Error(error?.message ?? 'query failed'), { errorCode: error?.errorCode });
  }
  return (body as { records: T[] }).records;
}
