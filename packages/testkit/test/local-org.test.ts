import { apiVersion, definePlugin, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { describe, expect, it } from 'vitest';
import { createLocalOrgTestServer } from '../src/index.js';

/** A tool that really changes the org: renames an Account. */
const renameAccount = defineTool({
  name: 'rename_account',
  title: 'Rename an account',
  description: 'Renames an Account.',
  input: z.object({ accountId: z.string(), name: z.string(), usernameOrAlias: z.string().optional() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  handler: async ({ accountId, name, usernameOrAlias }, ctx) => {
    const org = await ctx.org(usernameOrAlias);
    await org.connection.sobject('Account').update({ Id: accountId, Name: name });
    return toolResult({ text: `renamed (${org.kind})`, org });
  },
});
const plugin = definePlugin({
  toolset: 'accounts',
  description: 'Accounts.',
  apiVersion,
  tools: [renameAccount],
});

const seed = (OrganizationType: string, IsSandbox = false) => ({
  organization: { Name: 'Acme', OrganizationType, IsSandbox },
  records: { Account: [{ '@ref': 'acme', Name: 'Acme' }] },
});

async function accountName(server: Awaited<ReturnType<typeof createLocalOrgTestServer>>, id: string) {
  return server.org.state.records.get(id)?.Name;
}

describe('createLocalOrgTestServer', () => {
  it('changes a developer org the server reached through real sf auth files', async () => {
    const server = await createLocalOrgTestServer({ plugins: [plugin], seed: seed('Developer Edition') });
    const [account] = [...server.org.state.records.rows('Account')];
    const result = await server.call('rename_account', { accountId: account!.Id, name: 'Acme Renamed' });
    expect(result.text).toBe(
      `Org: local-test (${server.org.username}) — sfmcp local org, a test double\nrenamed (local)`,
    );
    expect(await accountName(server, account!.Id)).toBe('Acme Renamed');
    await server.close();
  });

  it('refuses to change an org that reports itself as production, and changes nothing', async () => {
    const server = await createLocalOrgTestServer({ plugins: [plugin], seed: seed('Enterprise Edition') });
    const [account] = [...server.org.state.records.rows('Account')];
    const result = await server.call('rename_account', { accountId: account!.Id, name: 'Hacked' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Refused: local-test \(.*\) is a production org/);
    expect(await accountName(server, account!.Id)).toBe('Acme');
    await server.close();
  });

  it('lets a sandbox be changed', async () => {
    const server = await createLocalOrgTestServer({
      plugins: [plugin],
      seed: seed('Enterprise Edition', true),
    });
    const [account] = [...server.org.state.records.rows('Account')];
    expect((await server.call('rename_account', { accountId: account!.Id, name: 'Sandboxed' })).text).toMatch(
      /renamed \(sandbox\)/,
    );
    await server.close();
  });
});
