import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callTool, spawnServer } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';

const pluginDir = fileURLToPath(new URL('..', import.meta.url));
const serverDir = dirname(fileURLToPath(import.meta.resolve('@sfmcp/server/package.json')));

/** A user's project with @sfmcp/server and this plugin installed side by side in its node_modules. */
function makeUserProject(): string {
  const project = mkdtempSync(join(tmpdir(), 'user-project-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  mkdirSync(join(project, 'node_modules', '@sfmcp'), { recursive: true });
  symlinkSync(serverDir, join(project, 'node_modules', '@sfmcp', 'server'));
  symlinkSync(pluginDir, join(project, 'node_modules', 'sfmcp-plugin-example'));
  return project;
}

describe('installed beside @sfmcp/server', () => {
  it('is discovered without --plugin and its tool can be called', async () => {
    const project = makeUserProject();
    const server = await spawnServer({
      bin: join(project, 'node_modules', '@sfmcp', 'server', 'dist', 'bin.js'),
      args: ['--tools', 'convert_record_id'],
      cwd: project,
      env: { HOME: homedir() },
    });
    const names = (await server.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('convert_record_id');
    const result = await callTool(server.client, 'convert_record_id', { ids: ['001A0000006Vm9rIAC'] });
    expect(result.structuredContent).toEqual({
      ids: [{ id15: '001A0000006Vm9r', id18: '001A0000006Vm9rIAC', keyPrefix: '001' }],
    });
    await server.close();
  });
});
