// The fault switches, on the wire (fetch) and through the real clients (@salesforce/core, jsforce).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AuthInfo, AuthRemover, Connection, StateAggregator } from '@salesforce/core';
import { afterEach, describe, expect, it } from 'vitest';
import { demoSeed } from '../src/seed/index.js';
import { startLocalOrg, type LocalOrg, type StartLocalOrgOptions } from '../src/server.js';
import { failure } from './fixtures/clients.js';

const started: LocalOrg[] = [];
const HANG_GUARD_MS = 20_000;

async function start(options: StartLocalOrgOptions = {}): Promise<LocalOrg> {
  const org = await startLocalOrg({ seed: demoSeed(), ...options });
  started.push(org);
  return org;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((org) => org.stop()));
});

/** A token-only connection; without a username, so each test's org can log in as the same demo admin. */
async function connectTo(org: LocalOrg): Promise<Connection> {
  const authInfo = await AuthInfo.create({
    accessTokenOptions: {
      accessToken: org.accessToken,
      instanceUrl: org.instanceUrl,
      loginUrl: org.loginUrl,
    },
  });
  return Connection.create({ authInfo, connectionOptions: { version: '62.0' } });
}

const QUERY = '/services/data/v62.0/query?q=SELECT+Id+FROM+Organization';

async function get(org: LocalOrg, path: string, token = org.accessToken) {
  const response = await fetch(`${org.instanceUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function soapList(org: LocalOrg, token = org.accessToken) {
  const envelope =
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>${token}</sessionId></SessionHeader></soapenv:Header>` +
    '<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><listMetadata><queries><type>ApexClass</type></queries><asOfVersion>62.0</asOfVersion></listMetadata></soapenv:Body></soapenv:Envelope>';
  return fetch(`${org.instanceUrl}/services/Soap/m/62.0`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml', soapaction: '""' },
    body: envelope,
  }).then(async (response) => ({
    status: response.status,
    headers: response.headers,
    text: await response.text(),
  }));
}

function tokenRequest(org: LocalOrg, form: Record<string, string>) {
  return fetch(`${org.instanceUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
  }));
}

function guard<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`hung: ${what}`)), HANG_GUARD_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  await guard(
    (async () => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
    })(),
    what,
  );
}

describe('drop', () => {
  it('closes the socket without a response, for the next N matching requests only', async () => {
    const org = await start();
    org.faults.set({ kind: 'drop', times: 2 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await failure(() => get(org, QUERY));
      expect(error).toBeInstanceOf(TypeError);
    }
    expect((await get(org, QUERY)).status).toBe(200);
    expect(org.faults.injected).toBe(2);
    expect(org.faults.active).toEqual([]);
  });

  it('reset: the client reads ECONNRESET, not a socket closed by the other side', async () => {
    const org = await start();
    org.faults.set({ kind: 'drop', reset: true, times: 1 });
    const reset = await failure<TypeError & { cause?: { code?: string } }>(() => get(org, QUERY));
    expect(reset.cause?.code).toBe('ECONNRESET');
    org.faults.set({ kind: 'drop', times: 1 });
    const closed = await failure<TypeError & { cause?: { code?: string } }>(() => get(org, QUERY));
    expect(closed.cause?.code).toBe('UND_ERR_SOCKET');
  });

  it('through jsforce: a query fails while the fault holds and works once it is cleared', async () => {
    const org = await start();
    const connection = await connectTo(org);
    org.faults.set({ kind: 'drop' });
    const error = await failure(async () => connection.query('SELECT Id FROM Account'));
    expect(error.message).toMatch(/fetch failed|socket|closed/i);
    org.faults.clear();
    expect((await connection.query('SELECT Id FROM Account')).totalSize).toBeGreaterThan(0);
  });
});

describe('server-error and unavailable', () => {
  it('answers 500 UNKNOWN_EXCEPTION in Salesforce shape on REST, and a SOAP fault on SOAP', async () => {
    const org = await start();
    org.faults.set({ kind: 'server-error' });
    const rest = await get(org, QUERY);
    expect(rest.status).toBe(500);
    expect(rest.headers.get('x-sfmcp-fault')).toBe('server-error');
    const body = JSON.parse(rest.text) as Array<{ errorCode: string; message: string }>;
    expect(body).toEqual([
      {
        errorCode: 'UNKNOWN_EXCEPTION',
        message: expect.stringMatching(/^An unexpected error occurred\. Please include this ErrorId/),
      },
    ]);
    const soap = await soapList(org);
    expect(soap.status).toBe(500);
    expect(soap.text).toContain('<faultcode>sf:UNKNOWN_EXCEPTION</faultcode>');
  });

  it('answers 503 SERVER_UNAVAILABLE with Retry-After', async () => {
    const org = await start();
    org.faults.set({ kind: 'unavailable', retryAfterSeconds: 7 });
    const rest = await get(org, QUERY);
    expect(rest.status).toBe(503);
    expect(rest.headers.get('retry-after')).toBe('7');
    expect(JSON.parse(rest.text)).toEqual([
      { errorCode: 'SERVER_UNAVAILABLE', message: expect.stringContaining('try again later') },
    ]);
    const soap = await soapList(org);
    expect(soap.status).toBe(503);
    expect(soap.headers.get('retry-after')).toBe('7');
    expect(soap.text).toContain('<faultcode>sf:SERVER_UNAVAILABLE</faultcode>');
  });

  it('through jsforce: the errors carry their codes, and the next call works once cleared', async () => {
    const org = await start();
    const connection = await connectTo(org);
    org.faults.set({ kind: 'server-error', path: '/query' });
    expect((await failure(async () => connection.query('SELECT Id FROM Account'))).errorCode).toBe(
      'UNKNOWN_EXCEPTION',
    );
    // Only queries were faulted.
    expect(await connection.sobject('Account').describe()).toMatchObject({ name: 'Account' });
    org.faults.set({ kind: 'unavailable', path: '/services/Soap/m/' });
    expect((await failure(() => connection.metadata.list([{ type: 'ApexClass' }]))).errorCode).toBe(
      'sf:SERVER_UNAVAILABLE',
    );
    org.faults.clear();
    expect((await connection.query('SELECT Id FROM Account')).totalSize).toBeGreaterThan(0);
    expect(await connection.metadata.list([{ type: 'ApexClass' }])).toBeDefined();
  });
});

describe('slow', () => {
  it('answers for real after the delay', async () => {
    const org = await start();
    org.faults.set({ kind: 'slow', delayMs: 300, times: 1 });
    const began = Date.now();
    const slow = await get(org, QUERY);
    expect(slow.status).toBe(200);
    expect(JSON.parse(slow.text)).toMatchObject({ totalSize: 1 });
    // A timer never fires early by more than a millisecond or so.
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
    expect(slow.headers.get('x-sfmcp-fault')).toBe('slow');
  });
});

describe('stall', () => {
  it('never answers until cleared, then answers for real', async () => {
    const org = await start();
    org.faults.set({ kind: 'stall', path: '/query' });
    let settled = false;
    const stalled = get(org, QUERY).finally(() => (settled = true));
    await until(() => org.faults.stalled === 1, 'the request to stall');
    // Other paths are not stalled.
    expect((await get(org, '/services/data/v62.0/limits')).status).toBe(200);
    expect(settled).toBe(false);
    org.faults.clear();
    const answer = await guard(stalled, 'the released request');
    expect(answer.status).toBe(200);
    expect(org.faults.stalled).toBe(0);
  });

  it('forgets a request whose client gave up', async () => {
    const org = await start();
    org.faults.set({ kind: 'stall' });
    const controller = new AbortController();
    const call = fetch(`${org.instanceUrl}${QUERY}`, {
      headers: { authorization: `Bearer ${org.accessToken}` },
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await until(() => org.faults.stalled === 1, 'the request to stall');
    controller.abort();
    await call;
    await until(() => org.faults.stalled === 0, 'the stalled request to be forgotten');
  });

  it('org.stop() ends stalled and slow requests and leaves nothing that keeps the process alive', async () => {
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    // Built before tests run (turbo's test depends on build); the in-process half below runs regardless.
    if (existsSync(dist)) {
      const script = `
        const { startLocalOrg } = await import(${JSON.stringify(dist)});
        const org = await startLocalOrg();
        org.faults.set({ kind: 'stall', path: '/services/data/v62.0/limits' }, { kind: 'slow', delayMs: 600000 });
        const headers = { authorization: 'Bearer ' + org.accessToken };
        const calls = [
          fetch(org.instanceUrl + '/services/data/v62.0/limits', { headers }).catch(() => 'closed'),
          fetch(org.instanceUrl + '/services/data/v62.0/sobjects', { headers }).catch(() => 'closed'),
        ];
        while (org.faults.stalled < 1 || org.faults.injected < 2) await new Promise((r) => setTimeout(r, 10));
        await org.stop();
        console.log(JSON.stringify(await Promise.all(calls)));
      `;
      const output = await guard(
        new Promise<string>((resolve, reject) => {
          execFile(
            process.execPath,
            ['--input-type=module', '-e', script],
            { timeout: HANG_GUARD_MS },
            (error, stdout, stderr) =>
              error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
          );
        }),
        'a process with a stalled org to exit',
      );
      expect(JSON.parse(output)).toEqual(['closed', 'closed']);
    }
    const org = await startLocalOrg();
    org.faults.set({ kind: 'stall' });
    const call = get(org, QUERY).catch((error: unknown) => error);
    await until(() => org.faults.stalled === 1, 'the request to stall');
    await guard(org.stop(), 'org.stop() with a stalled request');
    expect(await call).toBeInstanceOf(TypeError);
  });
});

describe('garbage', () => {
  it('answers 200 with a body that is not JSON on REST and not XML on SOAP', async () => {
    const org = await start();
    org.faults.set({ kind: 'garbage' });
    const rest = await get(org, QUERY);
    expect(rest.status).toBe(200);
    expect(rest.headers.get('content-type')).toMatch(/^application\/json/);
    expect(() => JSON.parse(rest.text) as unknown).toThrow();
    const soap = await soapList(org);
    expect(soap.status).toBe(200);
    expect(soap.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(soap.text.startsWith('<')).toBe(false);
  });

  it('takes its own body', async () => {
    const org = await start({ faults: [{ kind: 'garbage', body: '<html>proxy login</html>', times: 1 }] });
    expect((await get(org, QUERY)).text).toBe('<html>proxy login</html>');
    expect((await get(org, QUERY)).status).toBe(200);
  });
});

describe('matching', () => {
  it('faults only matching paths and methods, and counts times per fault', async () => {
    const org = await start();
    org.faults.set(
      { kind: 'server-error', path: '/sobjects', method: 'POST', times: 1 },
      { kind: 'unavailable', path: /\/limits$/ },
    );
    expect((await get(org, '/services/data/v62.0/sobjects')).status).toBe(200);
    expect((await get(org, '/services/data/v62.0/limits')).status).toBe(503);
    const created = await fetch(`${org.instanceUrl}/services/data/v62.0/sobjects/Account`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Name: 'Faulted' }),
    });
    expect(created.status).toBe(500);
    expect(org.faults.active).toEqual([{ kind: 'unavailable', path: /\/limits$/ }]);
    org.faults.add({ kind: 'server-error', path: '/services/data/v62.0/query' });
    expect((await get(org, QUERY)).status).toBe(500);
  });

  it('refuses a fault it does not know', async () => {
    const org = await start();
    expect(() => org.faults.set({ kind: 'explode' as never })).toThrow(/Unknown fault kind explode/);
    expect(() => org.faults.set({ kind: 'drop', times: 0 })).toThrow(/times/);
  });
});

describe('an expired session', () => {
  it('is refused with 401 INVALID_SESSION_ID (a SOAP fault on SOAP) until a refresh or clear()', async () => {
    const org = await start();
    org.faults.expireSession();
    const rest = await get(org, QUERY);
    expect(rest.status).toBe(401);
    expect(JSON.parse(rest.text)).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
    const soap = await soapList(org);
    expect(soap.status).toBe(500);
    expect(soap.text).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');

    const refreshed = await tokenRequest(org, {
      grant_type: 'refresh_token',
      refresh_token: org.oauth.refreshToken,
      client_id: 'PlatformCLI',
    });
    expect(refreshed).toMatchObject({
      status: 200,
      body: {
        access_token: expect.stringMatching(/^00D\w{12}!/),
        instance_url: org.instanceUrl,
        id: `${org.instanceUrl}/id/${org.orgId}/${org.userId}`,
        token_type: 'Bearer',
        signature: expect.any(String),
        issued_at: expect.stringMatching(/^\d+$/),
      },
    });
    expect(refreshed.body).not.toHaveProperty('refresh_token');
    const token = String(refreshed.body.access_token);
    expect(token).not.toBe(org.accessToken);
    expect((await get(org, QUERY, token)).status).toBe(200);
    expect((await soapList(org, token)).status).toBe(200);
    expect((await get(org, QUERY)).status).toBe(401);

    org.faults.clear();
    expect((await get(org, QUERY)).status).toBe(200);
    expect((await get(org, QUERY, token)).status).toBe(200);
  });

  it('a revoked refresh token is invalid_grant until clear()', async () => {
    const org = await start();
    org.faults.expireSession({ revokeRefreshToken: true });
    const refused = await tokenRequest(org, {
      grant_type: 'refresh_token',
      refresh_token: org.oauth.refreshToken,
    });
    expect(refused).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    });
    org.faults.clear();
    expect(
      (await tokenRequest(org, { grant_type: 'refresh_token', refresh_token: org.oauth.refreshToken }))
        .status,
    ).toBe(200);
  });

  it('a faulted token endpoint answers in the OAuth error shape', async () => {
    const org = await start();
    org.faults.set({ kind: 'unavailable', path: '/services/oauth2/token', retryAfterSeconds: 3 });
    const response = await fetch(`${org.instanceUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: org.oauth.refreshToken,
      }).toString(),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({
      error: 'unknown_error',
      error_description: 'retry your request',
    });
  });

  it('the token endpoint refuses a wrong refresh token and every other grant, as Salesforce does', async () => {
    const org = await start();
    expect(await tokenRequest(org, { grant_type: 'refresh_token', refresh_token: 'nope' })).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    });
    expect(await tokenRequest(org, { grant_type: 'password', username: 'a', password: 'b' })).toEqual({
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
    });
    const viaGet = await fetch(`${org.instanceUrl}/services/oauth2/token`);
    expect(viaGet.status).toBe(400);
    expect(await viaGet.json()).toEqual({
      error: 'invalid_request',
      error_description: 'must use HTTP POST',
    });
  });

  it('@salesforce/core refreshes through the token endpoint, for REST and SOAP, by itself', async () => {
    const org = await start();
    // `sf org login sfdx-url`'s flow: the refresh token is exchanged at the login URL right away.
    const authInfo = await AuthInfo.create({
      oauth2Options: { loginUrl: org.loginUrl, refreshToken: org.oauth.refreshToken },
    });
    expect(authInfo.getFields()).toMatchObject({ username: org.username, orgId: org.orgId });
    const connection = await Connection.create({ authInfo });
    const first = connection.accessToken;
    expect(first).not.toBe(org.accessToken);
    org.faults.expireSession();
    expect((await connection.query('SELECT Id FROM Account')).totalSize).toBeGreaterThan(0);
    const second = connection.accessToken;
    expect(second).not.toBe(first);
    org.faults.expireSession();
    expect(await connection.metadata.list([{ type: 'ApexClass' }])).toBeDefined();
    expect(connection.accessToken).not.toBe(second);
    // That flow saved an auth file with the refresh token (in the test's HOME): the other tests log in
    // as the same user with only a token.
    await (await AuthRemover.create()).removeAuth(org.username);
    StateAggregator.clearInstance();
  });

  it('an access-token-only connection gets INVALID_SESSION_ID, and works again once cleared', async () => {
    const org = await start();
    const connection = await connectTo(org);
    org.faults.expireSession();
    const error = await failure(async () => connection.query('SELECT Id FROM Account'));
    expect(error.errorCode).toBe('INVALID_SESSION_ID');
    org.faults.clear();
    expect((await connection.query('SELECT Id FROM Account')).totalSize).toBeGreaterThan(0);
  });

  it('a stored org keeps its refresh token', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = mkdtempSync(join(tmpdir(), 'local-org-faults-'));
    const first = await startLocalOrg({ dataDir });
    await first.stop();
    const second = await start({ dataDir });
    expect(second.restored).toBe(true);
    expect(second.oauth.refreshToken).toBe(first.oauth.refreshToken);
  });
});
