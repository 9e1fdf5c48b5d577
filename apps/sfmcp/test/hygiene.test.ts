import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callTool, spawnServer } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
const example = fileURLToPath(new URL('../../../examples/sfmcp-plugin-example', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, HOME: homedir(), ...env },
    input: '',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('start-up failures say one line on stderr, and nothing on stdout', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'sfmcp-hygiene-')), 'a-file');
  writeFileSync(file, '');
  it.each([
    ['an unknown flag', ['--nope'], {}, /^sfmcp: Unknown option '--nope'/],
    ['an unknown toolset', ['--toolsets', 'nope'], {}, /^sfmcp: Unknown toolset: nope/],
    [
      'an unwritable audit log',
      ['--plugin', example, '--tools', 'convert_record_id', '--audit-log', join(file, 'x.jsonl')],
      {},
      /^sfmcp: cannot write the audit log/,
    ],
    [
      'a short SFMCP_SECRET',
      ['--plugin', example, '--tools', 'convert_record_id'],
      { SFMCP_SECRET: 'short' },
      /^sfmcp: SFMCP_SECRET must be at least 32 characters/,
    ],
    [
      'HTTP beyond loopback without a token',
      [
        '--plugin',
        example,
        '--tools',
        'convert_record_id',
        '--transport',
        'http',
        '--host',
        '0.0.0.0',
        '--port',
        '0',
      ],
      {},
      /^sfmcp: --host 0\.0\.0\.0 serves beyond this machine/,
    ],
    ['a bad --org-timeout', ['--org-timeout', '0'], {}, /^sfmcp: --org-timeout must be a positive number/],
  ] as const)('%s', (_what, args, env, message) => {
    const result = run([...args], env);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as { port: number }).port);
    try {
      const child = spawn(
        process.execPath,
        [bin, '--plugin', example, '--tools', 'convert_record_id', '--transport', 'http', '--port', port],
        { env: { ...process.env, HOME: homedir() }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(`sfmcp: port ${port} on 127.0.0.1 is in use: choose another with --port.`);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});

describe('start-up with something broken still serves the rest', () => {
  it('a broken plugin, a corrupt sf auth file and a project whose sfdx-project.json is not JSON', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sfmcp-broken-'));
    const broken = join(root, 'sfmcp-plugin-broken');
    mkdirSync(broken);
    writeFileSync(
      join(broken, 'package.json'),
      JSON.stringify({
        name: 'sfmcp-plugin-broken',
        version: '1.0.0',
        type: 'module',
        main: 'index.js',
        sfmcp: {},
      }),
    );
    writeFileSync(join(broken, 'index.js'), 'throw new Error("this plugin is broken");\n');
    const project = join(root, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'sfdx-project.json'), '{ not json');
    const home = mkdtempSync(join(tmpdir(), 'sfmcp-broken-home-'));
    mkdirSync(join(home, '.sfdx'));
    writeFileSync(join(home, '.sfdx', 'corrupt@example.com.json'), '{ this is not an auth file');
    const server = await spawnServer({
      bin,
      args: ['--plugin', example, '--plugin', broken, '--orgs', 'ALLOW_ALL_ORGS', '--project-dir', project],
      env: { HOME: home },
    });
    try {
      const names = (await server.client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('convert_record_id');
      expect(names).toContain('run_soql_query');
      expect(server.stderr()).toMatch(
        /plugin sfmcp-plugin-broken not loaded: could not load: this plugin is broken/,
      );
      const converted = await callTool(server.client, 'convert_record_id', { ids: ['001000000000001'] });
      expect(converted.isError).toBeFalsy();
      const listed = await callTool(server.client, 'list_all_orgs', {});
      expect(listed.isError, listed.text).toBeFalsy();
      const manifest = await callTool(server.client, 'generate_manifest', { metadata: ['ApexClass:Foo'] });
      expect(manifest.isError).toBe(true);
      expect(manifest.text).toMatch(/sfdx-project\.json is not valid JSON/);
      expect(manifest.text).not.toContain(root);
    } finally {
      await server.close();
    }
  });
});
