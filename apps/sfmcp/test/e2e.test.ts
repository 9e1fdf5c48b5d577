import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authorizeOrgs, callTool, spawnHttpServer, spawnServer } from '@sfmcp/testkit';
import { beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
const example = fileURLToPath(new URL('../../../examples/sfmcp-plugin-example', import.meta.url));
const env = () => ({ HOME: homedir() });

function run(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env() },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('sfmcp binary', () => {
  it('prints its version and its help with the installed toolsets', () => {
    expect(run(['--version']).stdout).toMatch(/^sfmcp \d+\.\d+\.\d+/);
    const help = run(['--help', '--plugin', example]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--orgs <list>/);
    expect(help.stdout).toMatch(/^Usage: sfmcp \[flags\]/);
    expect(help.stdout).toMatch(/example \(sfmcp-plugin-example\)/);
    expect(help.stdout).toMatch(/convert_record_id/);
  });

  it('exits 2 on an unknown flag, toolset or tool, naming the valid ones', () => {
    expect(run(['--nope'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unknown option '--nope'/),
    });
    const toolset = run(['--plugin', example, '--toolsets', 'nope']);
    expect(toolset).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unknown toolset: nope\. Valid toolsets: all, .*example/),
    });
    const tool = run(['--plugin', example, '--tools', 'nope_tool']);
    expect(tool).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unknown tool: nope_tool\. Valid tools: .*convert_record_id/),
    });
  });

  it('lists discovered plugins and why each loaded', () => {
    const listed = run(['--list-plugins', '--plugin', example]);
    expect(listed.stdout).toMatch(
      /loaded\s+sfmcp-plugin-example@0\.1\.0 — toolset example, 2 tools\n\s+from .*examples\/sfmcp-plugin-example \(--plugin\)/,
    );
  });

  it('serves over stdio: lists tools and calls one', async () => {
    const server = await spawnServer({
      bin,
      args: ['--plugin', example, '--tools', 'convert_record_id'],
      env: env(),
    });
    const names = (await server.client.listTools()).tools.map((tool) => tool.name).sort();
    expect(names).toEqual(['convert_record_id', 'get_username', 'resume_tool_operation']);
    const result = await callTool(server.client, 'convert_record_id', { ids: ['001A0000006Vm9r'] });
    expect(result.structuredContent).toEqual({
      ids: [{ id15: '001A0000006Vm9r', id18: '001A0000006Vm9rIAC', keyPrefix: '001' }],
    });
    await server.close();
  });

  it('serves over Streamable HTTP: lists tools and calls one', async () => {
    const server = await spawnHttpServer({
      bin,
      args: ['--plugin', example, '--tools', 'convert_record_id'],
      env: env(),
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect((await server.client.listTools()).tools.map((tool) => tool.name)).toContain('convert_record_id');
    const result = await callTool(server.client, 'convert_record_id', { ids: ['hello'] });
    expect(result.isError).toBe(true);
    await server.close();
  });

  it('keeps serving when a plugin is broken, and names it', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'broken-plugin-'));
    writeFileSync(
      join(broken, 'package.json'),
      JSON.stringify({ name: 'sfmcp-plugin-broken', type: 'module', main: 'index.js', sfmcp: {} }),
    );
    writeFileSync(join(broken, 'index.js'), "throw new Error('this plugin is broken');\n");
    const server = await spawnServer({
      bin,
      args: ['--plugin', broken, '--plugin', example, '--tools', 'convert_record_id'],
      env: env(),
    });
    expect((await server.client.listTools()).tools.map((tool) => tool.name)).toContain('convert_record_id');
    expect(server.stderr()).toMatch(
      /plugin sfmcp-plugin-broken not loaded: could not load: this plugin is broken/,
    );
    await server.close();
  });
});

describe('sfmcp binary with orgs', () => {
  beforeAll(async () => {
    // Port 9 has no server: the orgs' kind cannot be read, so the server must treat them as production.
    await authorizeOrgs({
      orgs: [
        { username: 'dev@acme.com', alias: 'dev', instanceUrl: 'http://127.0.0.1:9', accessToken: '00D!dev' },
        {
          username: 'other@acme.com',
          alias: 'other',
          instanceUrl: 'http://127.0.0.1:9',
          accessToken: '00D!other',
        },
      ],
      targetOrg: 'dev',
    });
    mkdirSync(join(homedir(), 'work'), { recursive: true });
  });

  it('refuses an org outside the allowlist', async () => {
    const server = await spawnServer({
      bin,
      args: ['--plugin', example, '--orgs', 'DEFAULT_TARGET_ORG'],
      env: env(),
      cwd: join(homedir(), 'work'),
    });
    const result = await callTool(server.client, 'add_record_note', {
      recordId: '001000000000001AAA',
      title: 'x',
      usernameOrAlias: 'other',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/"other" is not allowed for this server\. Allowed: dev \(dev@acme.com\)/);
    await server.close();
  });

  it('refuses a write to an org it cannot show is not production', async () => {
    const server = await spawnServer({ bin, args: ['--plugin', example, '--orgs', 'dev'], env: env() });
    const result = await callTool(server.client, 'add_record_note', {
      recordId: '001000000000001AAA',
      title: 'x',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Refused: dev \(dev@acme.com\) is a production org/);
    await server.close();
  });
});
