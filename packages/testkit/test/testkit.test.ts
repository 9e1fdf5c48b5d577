import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiVersion, definePlugin, defineTool, z } from '@sfmcp/plugin-api';
import { describe, expect, it } from 'vitest';
import {
  authorizeOrgs,
  checkReadmeToolTable,
  checkToolSnapshots,
  createTestServer,
  renderToolTable,
} from '../src/index.js';

const hello = defineTool({
  name: 'say_hello',
  title: 'Say hello',
  description: 'Says hello.',
  input: z.object({ name: z.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  handler: async ({ name }) => ({ text: `hello ${name}` }),
});
const plugin = definePlugin({ toolset: 'hello', description: 'Hello.', apiVersion, tools: [hello] });

describe('createTestServer', () => {
  it('serves exactly the given plugins and joins result text', async () => {
    const server = await createTestServer({ plugins: [plugin] });
    expect((await server.client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
      'get_username',
      'resume_tool_operation',
      'say_hello',
    ]);
    expect((await server.call('say_hello', { name: 'Ada' })).text).toBe('hello Ada');
    await server.close();
  });
});

describe('authorizeOrgs', () => {
  it('writes auth files that @salesforce/core reads back, with aliases and target-org', async () => {
    await authorizeOrgs({
      orgs: [
        {
          username: 'ada@example.com',
          alias: 'ada',
          instanceUrl: 'http://127.0.0.1:9',
          accessToken: '00D!secret',
        },
      ],
      targetOrg: 'ada',
    });
    const { AuthInfo } = await import('@salesforce/core');
    const fields = (await AuthInfo.create({ username: 'ada@example.com' })).getFields(true);
    expect(fields).toMatchObject({
      username: 'ada@example.com',
      instanceUrl: 'http://127.0.0.1:9',
      accessToken: '00D!secret',
    });
    expect(JSON.parse(readFileSync(join(homedir(), '.sfdx', 'alias.json'), 'utf8')).orgs).toEqual({
      ada: 'ada@example.com',
    });
    expect(JSON.parse(readFileSync(join(homedir(), '.sf', 'config.json'), 'utf8'))).toEqual({
      'target-org': 'ada',
    });
  });
});

describe('checkToolSnapshots', () => {
  it('reports missing, changed and stale snapshots, and accepts them on update', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snaps-'));
    expect(checkToolSnapshots({ plugin, dir, update: false })[0]).toMatch(/say_hello: no snapshot/);
    expect(checkToolSnapshots({ plugin, dir, update: true })).toEqual([]);
    expect(checkToolSnapshots({ plugin, dir, update: false })).toEqual([]);
    writeFileSync(join(dir, 'say_hello.json'), '{}\n');
    writeFileSync(join(dir, 'gone_tool.json'), '{}\n');
    expect(checkToolSnapshots({ plugin, dir, update: false })).toEqual([
      expect.stringMatching(/say_hello: its published definition changed/),
      expect.stringMatching(/gone_tool.json: snapshot of a tool that no longer exists/),
    ]);
  });
});

describe('checkReadmeToolTable', () => {
  it('finds a stale table and regenerates it', () => {
    const readme = join(mkdtempSync(join(tmpdir(), 'readme-')), 'README.md');
    writeFileSync(
      readme,
      '# x\n\n<!-- tools:start (generated from the tool definitions; do not edit) -->\nold\n<!-- tools:end -->\n',
    );
    expect(checkReadmeToolTable({ tools: plugin.tools, readme, update: false })[0]).toMatch(/stale/);
    expect(checkReadmeToolTable({ tools: plugin.tools, readme, update: true })).toEqual([]);
    expect(readFileSync(readme, 'utf8')).toContain(renderToolTable(plugin.tools));
    expect(renderToolTable(plugin.tools)).toContain('| `say_hello` | Says hello. | `name` | read-only, GA |');
  });
});
