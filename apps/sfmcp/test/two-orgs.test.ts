import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type LocalOrg, startLocalOrg } from '@sfmcp/local-org';
import dataPlugin from '@sfmcp/data';
import orgsPlugin from '@sfmcp/orgs';
import { type TestServer, authorizeOrgs, callTool, createTestServer, spawnHttpServer } from '@sfmcp/testkit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
const tokenOf = (text: string) => /confirmationToken: "([\w-]+)"/.exec(text)?.[1];

// Two local orgs with different data, both authorized in the temporary HOME, both allowed.
let orgA: LocalOrg;
let orgB: LocalOrg;
let server: TestServer;

const seed = (who: string) => ({
  users: [{ '@ref': 'admin', FirstName: 'Admin', LastName: who, Username: `admin@${who}.sfmcp.test` }],
  records: { Account: [{ Name: `${who} Account` }], Task: [{ Subject: `${who} task` }] },
});

beforeAll(async () => {
  orgA = await startLocalOrg({ seed: seed('alpha') });
  orgB = await startLocalOrg({ seed: seed('bravo') });
  await authorizeOrgs({
    orgs: [orgA, orgB].map((org, index) => ({
      username: org.username,
      alias: index === 0 ? 'orgA' : 'orgB',
      instanceUrl: org.instanceUrl,
      accessToken: org.accessToken,
      orgId: org.orgId,
    })),
  });
  server = await createTestServer({ plugins: [dataPlugin, orgsPlugin], args: ['--orgs', 'orgA,orgB'] });
});
afterAll(async () => {
  await server?.close();
  await orgA?.stop();
  await orgB?.stop();
});

const taskIn = (org: LocalOrg) => [...org.state.records.rows('Task')][0] as { Id: string };

describe('a confirmation is bound to the org it was shown for', () => {
  it('refuses a token from a preview on orgA once the session default is orgB, and deletes nothing', async () => {
    await callTool(server.client, 'set_default_org', { usernameOrAlias: 'orgA' });
    const task = taskIn(orgA);
    const preview = await callTool(server.client, 'delete_records', { sobject: 'Task', ids: [task.Id] });
    expect(preview.isError).toBeFalsy();
    expect(preview.text).toContain('Delete 1 Task record in orgA');
    await callTool(server.client, 'set_default_org', { usernameOrAlias: 'orgB' });
    const confirmed = await callTool(server.client, 'delete_records', {
      sobject: 'Task',
      ids: [task.Id],
      confirmationToken: tokenOf(preview.text),
    });
    expect(confirmed.isError).toBe(true);
    expect(confirmed.text).toMatch(/Refused: The confirmation token was issued for another org/);
    expect(orgA.state.records.get(task.Id)).toBeTruthy();
    expect([...orgB.state.records.rows('Task')]).toHaveLength(1);
  });

  it('answers every call from its own org when calls alternate the org', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        callTool(server.client, 'run_soql_query', {
          query: 'SELECT Name FROM Account',
          usernameOrAlias: index % 2 ? 'orgB' : 'orgA',
        }),
      ),
    );
    results.forEach((result, index) =>
      expect(result.text).toContain(index % 2 ? 'bravo Account' : 'alpha Account'),
    );
  });

  it('keeps HTTP sessions apart: a token from one session is refused in another', async () => {
    const http = await spawnHttpServer({ bin, args: ['--orgs', 'orgA,orgB'], env: { HOME: homedir() } });
    try {
      const second = new Client({ name: 'second', version: '0' });
      await second.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      const task = taskIn(orgB);
      const args = { sobject: 'Task', ids: [task.Id], usernameOrAlias: 'orgB' };
      const preview = await callTool(http.client, 'delete_records', args);
      const stolen = await callTool(second, 'delete_records', {
        ...args,
        confirmationToken: tokenOf(preview.text),
      });
      expect(stolen.isError).toBe(true);
      expect(stolen.text).toMatch(/issued in another session/);
      expect(orgB.state.records.get(task.Id)).toBeTruthy();
      await second.close();
    } finally {
      await http.close();
    }
  });
});
