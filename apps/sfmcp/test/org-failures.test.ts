import { once } from 'node:events';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startLocalOrg } from '@sfmcp/local-org';
import { createRuntime, parseCli } from '@sfmcp/server';
import { authorizeOrgs, callTool, spawnServer, failIfHung } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
const HANG_GUARD_MS = 30_000;

/** Whether the runtime hands --org-timeout to org access (and runs handlers in the call scope with it). */
async function runtimeWiresOrgTimeout(): Promise<boolean> {
  const command = parseCli(['--org-timeout', '7']);
  if (command.kind !== 'serve') return false;
  const runtime = await createRuntime(command.options, { discover: false, describeOnly: true });
  const wired = (runtime.orgAccess as { requestTimeoutMs?: number }).requestTimeoutMs === 7_000;
  await runtime.close();
  return wired;
}
const wired = await runtimeWiresOrgTimeout();

/**
 * An org that answers what opening a connection needs, and holds every query naming `Stall` open.
 */
async function partlyStalledOrg() {
  const held: Promise<void>[] = [];
  let onHeld: (() => void) | undefined;
  const server = createServer((request: IncomingMessage, response) => {
    const json = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const path = decodeURIComponent(request.url ?? '');
    if (path === '/services/data') return json([{ version: '62.0', url: '/services/data/v62.0' }]);
    if (path.includes('FROM Organization')) {
      return json({
        totalSize: 1,
        done: true,
        records: [{ Id: '00D000000000009AAA', IsSandbox: false, OrganizationType: 'Developer Edition' }],
      });
    }
    if (path.includes('Stall')) {
      held.push(once(request.socket, 'close').then(() => undefined));
      onHeld?.();
      return undefined;
    }
    return json({ totalSize: 0, done: true, records: [] });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    nextHeld: () => new Promise<void>((resolve) => (onHeld = resolve)),
  };
}

function guard<T>(work: Promise<T>, what: string): Promise<T> {
  return failIfHung(work, what, HANG_GUARD_MS);
}

describe('an org that cannot be reached, through the binary', () => {
  it('answers a tool call with one line naming the org and its URL, never "fetch failed"', async () => {
    const dead = await startLocalOrg({
      seed: { users: [{ '@ref': 'admin', FirstName: 'Dee', LastName: 'Dead', Username: 'dee@dead.test' }] },
    });
    await authorizeOrgs({
      orgs: [
        {
          username: dead.username,
          alias: 'dead',
          instanceUrl: dead.instanceUrl,
          accessToken: dead.accessToken,
          orgId: dead.orgId,
        },
      ],
    });
    await dead.stop();
    const server = await spawnServer({ bin, args: ['--orgs', 'dead'], env: { HOME: homedir() } });
    try {
      const result = await callTool(server.client, 'run_soql_query', { query: 'SELECT Id FROM Account' });
      expect(result.isError).toBe(true);
      expect(result.text).toContain(`cannot reach dead at ${dead.instanceUrl}: connection refused`);
      expect(result.text).not.toMatch(/fetch failed|\n\s+at /);
    } finally {
      await server.close();
    }
  });
});

describe('the local org names itself a test double', () => {
  it('in every result and in get_org_info', async () => {
    const server = await spawnServer({ bin, args: ['--local-org'], env: { HOME: homedir() } });
    try {
      const info = await callTool(server.client, 'get_org_info', {});
      expect(info.isError, info.text).toBeFalsy();
      expect(info.text).toMatch(
        /^Org: local \(admin@harborlane\.sfmcp\.test\) — sfmcp local org, a test double\n/,
      );
      expect(info.text).toContain(
        'This is the sfmcp local org: a Salesforce test double on this machine, not Salesforce.',
      );
      expect(info.structuredContent).toMatchObject({
        kind: 'local',
        testDouble: expect.stringContaining('test double'),
      });
    } finally {
      await server.close();
    }
  });
});

// These need the runtime to pass --org-timeout to OrgAccess and to run handlers with runWithCallSignal
// (apps/server/src/runtime.ts); they run as soon as it does.
describe.skipIf(!wired)('a stalled org, through the binary', () => {
  let org: Awaited<ReturnType<typeof partlyStalledOrg>>;
  let servers: Server[];
  beforeAll(async () => {
    org = await partlyStalledOrg();
    servers = [org.server];
    await authorizeOrgs({
      orgs: [
        { username: 'stall@stalled.test', alias: 'stalled', instanceUrl: org.url, accessToken: '00D!stall' },
      ],
    });
  });
  afterAll(() => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('--org-timeout ends a call with a clear timeout, and the next call works', async () => {
    const server = await spawnServer({
      bin,
      args: ['--orgs', 'stalled', '--org-timeout', '1'],
      env: { HOME: homedir() },
    });
    try {
      const stalled = await guard(
        callTool(server.client, 'run_soql_query', { query: 'SELECT Id FROM Stall__c' }),
        'a stalled query',
      );
      expect(stalled.isError).toBe(true);
      // Within the request's 1 s, or (on a loaded machine, while the connection is still opening) the
      // opening's own deadline: either way a clear timeout naming the org.
      expect(stalled.text).toMatch(new RegExp(`^stalled at ${org.url} did not answer within \\d+ s`));
      const next = await callTool(server.client, 'run_soql_query', { query: 'SELECT Id FROM Account' });
      expect(next.isError, next.text).toBeFalsy();
    } finally {
      await server.close();
    }
  });

  it('an MCP cancellation aborts the request in flight: the org sees its socket closed', async () => {
    const server = await spawnServer({
      bin,
      args: ['--orgs', 'stalled', '--org-timeout', '600'],
      env: { HOME: homedir() },
    });
    try {
      const controller = new AbortController();
      const held = org.nextHeld();
      const call = server.client
        .callTool({ name: 'run_soql_query', arguments: { query: 'SELECT Id FROM Stall__c' } }, undefined, {
          signal: controller.signal,
        })
        .catch((error: unknown) => error);
      await guard(held, 'the query reaching the org');
      const socketClosed = org.held.at(-1)!;
      controller.abort();
      await guard(call, 'the cancelled call');
      await guard(socketClosed, 'the org seeing the socket closed');
      const next = await callTool(server.client, 'run_soql_query', { query: 'SELECT Id FROM Account' });
      expect(next.isError, next.text).toBeFalsy();
    } finally {
      await server.close();
    }
  });
});
