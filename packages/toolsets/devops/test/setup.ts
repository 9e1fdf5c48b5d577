import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoSeed } from '@sfmcp/local-org';
import { createLocalOrgTestServer, type LocalOrgTestServer } from '@sfmcp/testkit';
import plugin from '../src/index.js';

/** git in tests: no global or system config of the machine, a fixed identity, never a prompt. */
export function isolateGit(): void {
  Object.assign(process.env, {
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Ada Dev',
    GIT_AUTHOR_EMAIL: 'ada@harborlane.example',
    GIT_COMMITTER_NAME: 'Ada Dev',
    GIT_COMMITTER_EMAIL: 'ada@harborlane.example',
    GIT_TERMINAL_PROMPT: '0',
  });
}

export interface DevopsTestServer extends LocalOrgTestServer {
  /** The server's --project-dir: where clones go. */
  workspace: string;
}

export async function startDevopsServer(
  options: { model?: 'platform' | 'managed-package' | 'none'; args?: string[] } = {},
): Promise<DevopsTestServer> {
  isolateGit();
  const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'sfmcp-devops-ws-')));
  const server = await createLocalOrgTestServer({
    plugins: [plugin],
    seed: demoSeed({ today: new Date('2026-12-01T12:00:00Z'), devopsModel: options.model ?? 'platform' }),
    args: ['--project-dir', workspace, ...(options.args ?? [])],
  });
  return { ...server, workspace };
}

/** git in a folder, for a test to look at what the tools did (never how the tools do it). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/** The confirmation token a preview hands back. */
export function tokenOf(text: string): string {
  const token = /confirmationToken: "([^"]+)"/.exec(text)?.[1];
  if (!token) throw new Error(`no confirmation token in: ${text}`);
  return token;
}
