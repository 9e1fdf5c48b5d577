import { once } from 'node:events';
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer } from 'node:http';
import { type AddressInfo, type Server, type Socket, createServer as createNetServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalOrg, startLocalOrg } from '@sfmcp/local-org';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { createLogger } from '../src/logger.js';
import { OrgAccess } from '../src/orgs/access.js';
import { Allowlist } from '../src/orgs/allowlist.js';
import { runWithCallSignal } from '../src/orgs/call-scope.js';
import { readSfState } from '../src/orgs/sf-state.js';

// Every org request has a timeout, follows its call's cancellation, and a dead or stalled org fails
// with one readable line. Outcomes are asserted; the time limits below are only hang guards.

const HANG_GUARD_MS = 30_000;

/** A real sf auth file in the test HOME (vitest.setup.ts), written with @salesforce/core as sf does. */
async function authorize(org: {
  username: string;
  alias: string;
  instanceUrl: string;
  orgId?: string;
  accessToken?: string;
}) {
  const { AuthInfo, StateAggregator } = await import('@salesforce/core');
  const authInfo = await AuthInfo.create({
    username: org.username,
    accessTokenOptions: {
      accessToken: org.accessToken ?? `00D000000000001!${org.alias}`,
      instanceUrl: org.instanceUrl,
      loginUrl: org.instanceUrl,
      username: org.username,
      orgId: org.orgId ?? '00D000000000001AAA',
      isDevHub: false,
      namespacePrefix: null,
    } as never,
  });
  await authInfo.save({ isSandbox: false, isScratch: false });
  await authInfo.setAlias(org.alias);
  StateAggregator.clearInstance();
}

function orgAccess(
  orgs: string[],
  timeoutMs: number,
  serverOwned?: LocalOrg | { stalled: string },
): OrgAccess {
  const project = mkdtempSync(join(tmpdir(), 'sfmcp-timeouts-project-'));
  const allowlist = new Allowlist(orgs, readSfState(project, homedir()), homedir());
  if (serverOwned && 'stalled' in serverOwned) {
    allowlist.addServerOwned({
      username: 'owned@stalled.test',
      alias: 'owned',
      accessToken: '00D000000000002!owned',
      instanceUrl: serverOwned.stalled,
      orgId: '00D000000000002AAA',
    });
  } else if (serverOwned) {
    allowlist.addServerOwned({
      username: serverOwned.username,
      alias: 'local',
      accessToken: serverOwned.accessToken,
      instanceUrl: serverOwned.instanceUrl,
      orgId: serverOwned.orgId,
    });
  }
  return new OrgAccess(allowlist, createLogger({ debug: false, write: () => undefined }), {
    requestTimeoutMs: timeoutMs,
  });
}

/** Settles within the hang guard, or fails the test saying what hung. */
async function settled<T>(work: PromiseLike<T>, what: string): Promise<{ value?: T; error?: Error }> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`hung: ${what}`)), HANG_GUARD_MS);
  });
  try {
    return { value: await Promise.race([work, guard]) };
  } catch (error) {
    if ((error as Error).message === `hung: ${what}`) throw error;
    return { error: error as Error };
  } finally {
    clearTimeout(timer);
  }
}

function url(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Accepts connections and never answers: a stalled org. */
async function stalledServer(): Promise<{ server: Server; sockets: Socket[]; url: string }> {
  const sockets: Socket[] = [];
  const server = createNetServer((socket) => {
    sockets.push(socket);
    socket.resume();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, sockets, url: url(server) };
}

/**
 * An org that answers what a connection needs (versions, its Organization) and any query, but holds every
 * query that mentions `Stall` open without answering.
 */
async function partlyStalledOrg() {
  const held: { request: IncomingMessage; closed: Promise<void> }[] = [];
  let onHeld: (() => void) | undefined;
  const server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
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
        records: [{ Id: '00D000000000003AAA', IsSandbox: false, OrganizationType: 'Developer Edition' }],
      });
    }
    if (path.includes('Stall')) {
      held.push({ request, closed: once(request.socket, 'close').then(() => undefined) });
      onHeld?.();
      return undefined;
    }
    return json({ totalSize: 1, done: true, records: [{ Id: '001000000000001AAA', Name: 'Answered' }] });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    url: url(server),
    held,
    nextHeld: () => new Promise<void>((resolve) => (onHeld = resolve)),
  };
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    // http servers can drop their keep-alive sockets at once; net servers close when their sockets do.
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close();
  }
});

describe('a stalled org', () => {
  let healthy: LocalOrg;
  beforeAll(async () => {
    healthy = await startLocalOrg({
      seed: {
        users: [{ '@ref': 'admin', FirstName: 'Hal', LastName: 'Healthy', Username: 'hal@healthy.test' }],
      },
    });
    await authorize({
      username: healthy.username,
      alias: 'healthy',
      instanceUrl: healthy.instanceUrl,
      orgId: healthy.orgId,
      accessToken: healthy.accessToken,
    });
  });
  afterAll(() => healthy?.stop());

  it('ends the call with a clear timeout, is not cached, and the next call works', async () => {
    const stalled = await stalledServer();
    servers.push(stalled.server);
    await authorize({ username: 'stuck@stalled.test', alias: 'stuck', instanceUrl: stalled.url });
    const access = orgAccess(['stuck', 'healthy'], 1_000);

    const first = await settled(access.open('stuck'), 'opening a stalled org');
    expect(first.error?.message).toBe(
      `stuck at ${stalled.url} did not answer within 1 s: the request was abandoned.`,
    );
    expect(first.error?.message).not.toMatch(/fetch failed/);
    expect(stalled.sockets.length).toBeGreaterThan(0);
    // The request it gave up on was really abandoned: its socket is closed.
    await settled(
      Promise.all(stalled.sockets.map((socket) => (socket.closed ? undefined : once(socket, 'close')))),
      'the abandoned socket closing',
    );

    // Not cached: the next call tries again (and the org is asked again).
    const seen = stalled.sockets.length;
    const second = await settled(access.open('stuck'), 'opening it again');
    expect(second.error?.message).toMatch(/did not answer within 1 s/);
    expect(stalled.sockets.length).toBeGreaterThan(seen);

    // The server is not wedged: another org answers.
    const other = await settled(access.open('healthy'), 'opening a healthy org');
    expect(other.error).toBeUndefined();
    const users = await other.value!.connection.query<{ Username: string }>('SELECT Username FROM User');
    expect(users.records.map((user) => user.Username)).toContain('hal@healthy.test');
  });

  it('bounds an org the server owns the same way', async () => {
    const stalled = await stalledServer();
    servers.push(stalled.server);
    const access = orgAccess([], 1_000, { stalled: stalled.url });
    const opened = await settled(access.open('owned'), 'opening a stalled server-owned org');
    expect(opened.error?.message).toBe(
      `owned at ${stalled.url} did not answer within 1 s: the request was abandoned.`,
    );
  });

  it('a request that stalls mid-session times out, and the same connection answers the next one', async () => {
    const org = await partlyStalledOrg();
    servers.push(org.server);
    await authorize({ username: 'half@stalled.test', alias: 'half', instanceUrl: org.url });
    const access = orgAccess(['half'], 1_000);
    const handle = await access.open('half');
    expect(handle.kind).toBe('local');
    const stalled = await settled(handle.connection.query('SELECT Id FROM Stall__c'), 'a stalled query');
    expect(stalled.error?.message).toBe(
      `half at ${org.url} did not answer within 1 s: the request was abandoned.`,
    );
    await settled(org.held[0]!.closed, 'the stalled socket closing');
    const answered = await handle.connection.query<{ Name: string }>('SELECT Name FROM Account');
    expect(answered.records[0]?.Name).toBe('Answered');
    expect(await access.open('half')).toBe(handle);
  });
});

describe('a dead org', () => {
  it('answers at once with the org, its URL and "connection refused", never "fetch failed"', async () => {
    const dead = await startLocalOrg({
      seed: { users: [{ '@ref': 'admin', FirstName: 'Dee', LastName: 'Dead', Username: 'dee@dead.test' }] },
    });
    await authorize({
      username: dead.username,
      alias: 'dead',
      instanceUrl: dead.instanceUrl,
      orgId: dead.orgId,
    });
    await dead.stop();
    // A long timeout: a refused connection must not wait for it, nor for retries.
    const access = orgAccess(['dead'], 60_000);
    const outcome = await settled(
      access.open('dead').then((handle) => handle.connection.query('SELECT Id FROM Account')),
      'a query to a dead org',
    );
    expect(outcome.error?.message).toBe(`cannot reach dead at ${dead.instanceUrl}: connection refused`);
  });

  it('a stopped server-owned org says the same', async () => {
    const dead = await startLocalOrg({});
    await dead.stop();
    const access = orgAccess([], 60_000, dead);
    const outcome = await settled(
      access.open('local').then((handle) => handle.connection.query('SELECT Id FROM Account')),
      'a query to a stopped local org',
    );
    expect(outcome.error?.message).toBe(`cannot reach local at ${dead.instanceUrl}: connection refused`);
  });

  it('an unknown host is named as such', async () => {
    await authorize({
      username: 'gone@nowhere.test',
      alias: 'gone',
      instanceUrl: 'http://org.sfmcp-test.invalid',
    });
    const access = orgAccess(['gone'], 60_000);
    const outcome = await settled(
      access.open('gone').then((handle) => handle.connection.query('SELECT Id FROM Account')),
      'a query to an unknown host',
    );
    expect(outcome.error?.message).toMatch(
      /^cannot reach gone at http:\/\/org\.sfmcp-test\.invalid: (host not found|host name lookup failed)$/,
    );
  });
});

describe('cancelling a call', () => {
  it('aborts its request in flight: the call ends and the org sees the socket closed', async () => {
    const org = await partlyStalledOrg();
    servers.push(org.server);
    await authorize({ username: 'slow@stalled.test', alias: 'slow', instanceUrl: org.url });
    // A timeout far away: only the cancellation can end this request.
    const access = orgAccess(['slow'], 120_000);
    const controller = new AbortController();
    const held = org.nextHeld();
    const call = runWithCallSignal(controller.signal, async () => {
      const handle = await access.open('slow');
      return handle.connection.query('SELECT Id FROM Stall__c');
    });
    await settled(held, 'the request reaching the org');
    controller.abort();
    const outcome = await settled(call, 'the cancelled call');
    expect(outcome.error?.message).toBe(`Cancelled: the request to slow at ${org.url} was aborted.`);
    await settled(org.held[0]!.closed, 'the org seeing the socket closed');

    // Cancellation belongs to that call: the shared connection serves the next one.
    const next = await runWithCallSignal(new AbortController().signal, async () =>
      (await access.open('slow')).connection.query<{ Name: string }>('SELECT Name FROM Account'),
    );
    expect(next.records[0]?.Name).toBe('Answered');
  });

  it('a caller waiting for a shared connection is released at once, and the others still get it', async () => {
    const stalled = await stalledServer();
    servers.push(stalled.server);
    await authorize({ username: 'wait@stalled.test', alias: 'wait', instanceUrl: stalled.url });
    const access = orgAccess(['wait'], 1_500);
    const controller = new AbortController();
    const cancelled = runWithCallSignal(controller.signal, () => access.open('wait'));
    const patient = runWithCallSignal(new AbortController().signal, () => access.open('wait'));
    controller.abort();
    expect((await settled(cancelled, 'the cancelled caller')).error?.message).toBe(
      `Cancelled: the request to wait at ${stalled.url} was aborted.`,
    );
    // The other caller gets the connection attempt's own outcome (here: the timeout), not the cancellation.
    expect((await settled(patient, 'the patient caller')).error?.message).toMatch(
      /did not answer within 1\.5 s/,
    );
  });
});

describe('--org-timeout', () => {
  it('is read in seconds, with a documented default, and must be positive', () => {
    const parsed = (args: string[]) => {
      const command = parseCli(args, '/here');
      return command.kind === 'serve' ? command.options.orgTimeout : undefined;
    };
    expect(parsed([])).toBe(120);
    expect(parsed(['--org-timeout', '2'])).toBe(2);
    expect(parsed(['--org-timeout', '0.5'])).toBe(0.5);
    for (const bad of ['0', '-1', 'soon', ''])
      expect(() => parseCli([`--org-timeout=${bad}`])).toThrow(
        /--org-timeout must be a positive number of seconds/,
      );
  });
});
