import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalOrg, startLocalOrg } from '@sfmcp/local-org';
import dataPlugin from '@sfmcp/data';
import orgsPlugin from '@sfmcp/orgs';
import {
  type TestServer,
  authorizeOrgs,
  callTool,
  createTestServer,
  makeDxProject,
  spawnHttpServer,
} from '@sfmcp/testkit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
const tokenOf = (text: string) => /confirmationToken: "([\w-]+)"/.exec(text)?.[1];

// Two local orgs with different data, both authorized in the temporary HOME, both allowed.
let orgA: LocalOrg;
let orgB: LocalOrg;
let server: TestServer;
let project: string;
// orgC: authorized in the sf CLI's files, but not allowed. A listener that records every request it gets.
const orgCRequests: string[] = [];
const orgC = createServer((req, res) => {
  orgCRequests.push(`${req.method} ${req.url} ${req.headers.authorization ? 'with a token' : ''}`);
  res.writeHead(500).end();
});

const seed = (who: string) => ({
  users: [{ '@ref': 'admin', FirstName: 'Admin', LastName: who, Username: `admin@${who}.sfmcp.test` }],
  records: { Account: [{ Name: `${who} Account` }], Task: [{ Subject: `${who} task` }] },
});

beforeAll(async () => {
  orgA = await startLocalOrg({ seed: seed('alpha') });
  orgB = await startLocalOrg({ seed: seed('bravo') });
  await new Promise<void>((resolve) => orgC.listen(0, '127.0.0.1', resolve));
  await authorizeOrgs({
    orgs: [
      ...[orgA, orgB].map((org, index) => ({
        username: org.username,
        alias: index === 0 ? 'orgA' : 'orgB',
        instanceUrl: org.instanceUrl,
        accessToken: org.accessToken,
        orgId: org.orgId,
      })),
      {
        username: 'admin@charlie.sfmcp.test',
        alias: 'orgC',
        instanceUrl: `http://127.0.0.1:${(orgC.address() as AddressInfo).port}`,
        accessToken: '00D000000000003!charlie',
      },
    ],
    targetOrg: 'orgC',
  });
  project = await makeDxProject(mkdtempSync(join(tmpdir(), 'sfmcp-two-orgs-')));
  server = await createTestServer({
    plugins: [dataPlugin, orgsPlugin],
    args: ['--orgs', 'orgA,orgB', '--project-dir', project],
  });
});
afterAll(async () => {
  orgC.close();
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
      Array.from({ length: 100 }, (_, index) =>
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

describe('an org that is authorized but not allowed is out of reach', () => {
  it('by argument, by set_default_org in every scope, by cursor, and as the sf CLI default', async () => {
    const refusals = [
      await callTool(server.client, 'run_soql_query', {
        query: 'SELECT Id FROM Account',
        usernameOrAlias: 'orgC',
      }),
      await callTool(server.client, 'run_soql_query', {
        query: 'SELECT Id FROM Account',
        usernameOrAlias: 'admin@charlie.sfmcp.test',
      }),
      ...(await Promise.all(
        ['session', 'project', 'global'].map((scope) =>
          callTool(server.client, 'set_default_org', { usernameOrAlias: 'orgC', scope }),
        ),
      )),
    ];
    for (const refused of refusals) {
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(/"(orgC|admin@charlie\.sfmcp\.test)" is not allowed for this server/);
    }
    // A cursor from orgA, replayed against orgC: the org is refused before the cursor is read.
    const page = await callTool(server.client, 'run_soql_query', {
      query: 'SELECT Id FROM Account',
      usernameOrAlias: 'orgA',
      maxRows: 1,
    });
    const cursor = (page.structuredContent as { nextCursor?: string }).nextCursor ?? 'c1.x.y';
    const replayed = await callTool(server.client, 'run_soql_query', {
      query: 'SELECT Id FROM Account',
      usernameOrAlias: 'orgC',
      cursor,
    });
    expect(replayed.isError).toBe(true);
    // The sf CLI's default (target-org: orgC) does not widen the allowlist either.
    const get = await callTool(server.client, 'get_username', { defaultTargetOrg: true });
    expect(get.text).toMatch(/not in this server's allowlist/);
    expect(orgCRequests).toEqual([]);
    expect(existsSync(join(project, '.sf', 'config.json'))).toBe(false);
  });

  it('keeps two HTTP sessions with different default orgs apart', async () => {
    const http = await spawnHttpServer({ bin, args: ['--orgs', 'orgA,orgB'], env: { HOME: homedir() } });
    try {
      const second = new Client({ name: 'second', version: '0' });
      await second.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      await callTool(http.client, 'set_default_org', { usernameOrAlias: 'orgA' });
      await callTool(second, 'set_default_org', { usernameOrAlias: 'orgB' });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          callTool(index % 2 ? second : http.client, 'run_soql_query', { query: 'SELECT Name FROM Account' }),
        ),
      );
      answers.forEach((answer, index) => {
        expect(answer.text).toContain(index % 2 ? 'bravo Account' : 'alpha Account');
        expect(answer.text).not.toContain(index % 2 ? 'alpha Account' : 'bravo Account');
      });
      await second.close();
    } finally {
      await http.close();
    }
    expect(orgCRequests).toEqual([]);
  });
});
