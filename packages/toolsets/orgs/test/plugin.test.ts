import { checkReadmeToolTable, checkToolSnapshots, createTestServer } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

describe('@sfmcp/orgs', () => {
  it('keeps its tool snapshots and README table current', () => {
    expect(checkToolSnapshots({ plugin, dir: new URL('../__toolsnaps__', import.meta.url) })).toEqual([]);
    expect(
      checkReadmeToolTable({ tools: plugin.tools, readme: new URL('../README.md', import.meta.url) }),
    ).toEqual([]);
  });

  it('loads only its read-only tools with --read-only, and open_org only with --allow-non-ga-tools', async () => {
    const names = async (args: string[]) => {
      const server = await createTestServer({
        plugins: [plugin],
        args: ['--orgs', 'someone@example.test', ...args],
      });
      const { tools } = await server.client.listTools();
      await server.close();
      return tools
        .map((tool) => tool.name)
        .filter((name) => plugin.tools.some((t) => t.name === name))
        .sort();
    };
    expect(await names([])).toEqual(['get_org_info', 'list_all_orgs', 'set_default_org']);
    expect(await names(['--allow-non-ga-tools'])).toEqual([
      'get_org_info',
      'list_all_orgs',
      'open_org',
      'set_default_org',
    ]);
    expect(await names(['--read-only', '--allow-non-ga-tools'])).toEqual([
      'get_org_info',
      'list_all_orgs',
      'open_org',
    ]);
  });

  it('list_all_orgs says so when the server has no org access', async () => {
    // Only list_all_orgs needs no org, so it alone may run on a server without --orgs.
    const server = await createTestServer({ plugins: [plugin], args: ['--tools', 'list_all_orgs'] });
    const result = await server.call('list_all_orgs');
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain('This server has no org access');
    await server.close();
  });
});
