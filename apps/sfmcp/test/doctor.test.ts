// `sfmcp doctor` as a new user runs it: against the local org, an expired login, an org that does not
// answer, a folder that is no DX project, an audit log it cannot write — each reported with its fix, and
// exit code 0 only when the configuration would work.
import { spawn } from 'node:child_process';
import { type Server, type Socket, createServer } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalOrg, startLocalOrg } from '@sfmcp/local-org';
import { authorizeOrgs, makeDxProject } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));

function doctor(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'doctor', ...args], {
      cwd,
      env: { ...process.env, HOME: homedir(), SF_DISABLE_LOG_FILE: 'true', NODE_NO_WARNINGS: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The table row whose Check column is `check`. */
function row(stdout: string, check: string): string {
  const line = stdout.split('\n').find((text) => text.startsWith(`${check} | `));
  if (!line) throw new Error(`no row ${check} in:\n${stdout}`);
  return line;
}

describe('sfmcp doctor', () => {
  let org: LocalOrg;
  let project: string;
  let empty: string;
  // An instance that accepts connections and never answers.
  let stalling: Server;
  const held: Socket[] = [];
  beforeAll(async () => {
    stalling = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    const stallingPort = (stalling.address() as { port: number }).port;
    org = await startLocalOrg();
    project = await makeDxProject(mkdtempSync(join(tmpdir(), 'sfmcp-doctor-project-')));
    empty = mkdtempSync(join(tmpdir(), 'sfmcp-doctor-empty-'));
    await authorizeOrgs({
      orgs: [
        // A real login to a live org.
        {
          username: org.username,
          alias: 'dev-sandbox',
          instanceUrl: org.instanceUrl,
          accessToken: org.accessToken,
          orgId: org.orgId,
          isSandbox: true,
        },
        // An access token the org no longer accepts, and no refresh token: an expired login.
        {
          username: 'expired@harborlane.sfmcp.test',
          alias: 'old-scratch',
          instanceUrl: org.instanceUrl,
          accessToken: '00Dexpired!token',
          isScratch: true,
        },
        // An org whose instance does not answer (nothing listens on port 9).
        {
          username: 'gone@harborlane.sfmcp.test',
          alias: 'gone',
          instanceUrl: 'http://127.0.0.1:9',
          accessToken: '00Dgone!token',
        },
        // An org that takes the connection and then says nothing.
        {
          username: 'stuck@harborlane.sfmcp.test',
          alias: 'stuck',
          instanceUrl: `http://127.0.0.1:${stallingPort}`,
          accessToken: '00Dstuck!token',
        },
      ],
    });
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    stalling?.close();
    await org?.stop();
  });

  it('passes on the local org in a DX project, and prints the client snippet', async () => {
    const result = await doctor(['--local-org', '--client', 'claude-code'], project);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(row(result.stdout, 'Node')).toMatch(/\| ok \| Node 2\d\./);
    expect(row(result.stdout, 'org local (admin@harborlane.sfmcp.test)')).toMatch(
      /\| ok \| connected, local, http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(row(result.stdout, 'DX project')).toContain(`| ok | ${join(project, 'sfdx-project.json')}`);
    expect(result.stdout).toContain('This configuration would start and work.');
    expect(result.stdout).toContain('## Claude Code');
    expect(result.stdout).toContain('claude mcp add sfmcp -- npx -y sfmcp --local-org');
  });

  it('a live sandbox login: connected, its kind from the org, and the snippet pinned to its alias', async () => {
    const result = await doctor(['--orgs', 'dev-sandbox', '--read-only', '--client', 'vscode'], project);
    expect(result.code, result.stdout).toBe(0);
    expect(row(result.stdout, `org dev-sandbox (${org.username})`)).toContain('| ok | connected, sandbox');
    expect(result.stdout).toContain('"servers": {');
    expect(result.stdout).toContain('"args": ["-y", "sfmcp", "--orgs", "dev-sandbox", "--read-only"]');
  });

  it('an expired login and an unreachable org fail, each with its fix', async () => {
    const result = await doctor(['--orgs', 'old-scratch,gone', '--org-timeout', '5'], project);
    expect(result.code).toBe(1);
    expect(row(result.stdout, 'org old-scratch (expired@harborlane.sfmcp.test)')).toMatch(
      /\| fail \| expired: .*\| The login has expired: sf org login web --alias old-scratch/,
    );
    expect(row(result.stdout, 'org gone (gone@harborlane.sfmcp.test)')).toMatch(
      /\| fail \| unreachable: .*\| Check the network and the instance URL \(sf org display --target-org gone\)/,
    );
    expect(result.stdout).toContain('2 problems: this configuration would not work until they are fixed.');
    expect(result.stdout).not.toContain('00Dexpired!token');
  });

  it('an org that stalls is reported once --org-timeout passes, and the doctor still finishes', async () => {
    const result = await doctor(['--orgs', 'stuck', '--org-timeout', '2'], project);
    expect(result.code).toBe(1);
    expect(row(result.stdout, 'org stuck (stuck@harborlane.sfmcp.test)')).toMatch(
      /\| fail \| unreachable: .*\| Check the network/,
    );
    expect(row(result.stdout, 'audit log')).toContain('| ok |');
  });

  it('an alias nobody logged in to', async () => {
    const result = await doctor(['--orgs', 'my-prod'], project);
    expect(result.code).toBe(1);
    expect(row(result.stdout, 'org my-prod')).toMatch(
      /\| fail \| not authenticated .*\| Log in: sf org login web --alias my-prod/,
    );
  });

  it('a folder that is no DX project is a warning with its fix; an unwritable audit log fails', async () => {
    const file = join(empty, 'not-a-folder');
    writeFileSync(file, '');
    const result = await doctor(['--local-org', '--audit-log', join(file, 'audit.jsonl')], empty);
    expect(row(result.stdout, 'DX project')).toMatch(
      /\| warn \| no sfdx-project\.json at or above .* \| Start sfmcp in your project, or pass --project-dir/,
    );
    expect(row(result.stdout, 'audit log')).toMatch(
      /\| fail \| .*cannot be written.*\| Choose a writable file with --audit-log/,
    );
    expect(result.code).toBe(1);
  });

  it('no org access for toolsets that need one', async () => {
    mkdirSync(join(empty, 'sub'), { recursive: true });
    const result = await doctor([], join(empty, 'sub'));
    expect(result.code).toBe(1);
    expect(row(result.stdout, 'orgs')).toMatch(
      /\| fail \| no --orgs: the server has no org access \| Log in \(sf org login web --alias my-sandbox\)/,
    );
  });

  it('an unknown client is a usage error', async () => {
    const result = await doctor(['--client', 'notepad'], project);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--client must be one of claude-code, claude-desktop, cursor, vscode, windsurf, cline',
    );
  });
});
