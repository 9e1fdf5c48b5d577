// Faults through the server: the local org's fault switches (drop, 500, 503, slow, stall, garbage, an
// expired session) under real tool calls. For each: the call ends within its timeout with a clear
// error (one line and a hint at most, no stack, no token, no "fetch failed"), the server survives, and
// the next call works once the fault is cleared.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dataPlugin from '@sfmcp/data';
import { type Fault, type LocalOrg, demoSeed, startLocalOrg } from '@sfmcp/local-org';
import metadataPlugin from '@sfmcp/metadata';
import orgsPlugin from '@sfmcp/orgs';
import {
  type LocalOrgTestServer,
  type TestServer,
  authorizeOrgs,
  createLocalOrgTestServer,
  createTestServer,
  failIfHung,
} from '@sfmcp/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const plugins = [dataPlugin, orgsPlugin, metadataPlugin];
const sampleProject = fileURLToPath(
  new URL('../../../packages/toolsets/metadata/sample-project', import.meta.url),
);
/** --org-timeout: how long one org request may take before the server abandons it. */
const ORG_TIMEOUT_SECONDS = 2;
/** Far beyond any timeout the server should apply: only a hang gets here. */
const HANG_GUARD_MS = 45_000;

type Result = Awaited<ReturnType<TestServer['call']>>;

function guard<T>(work: Promise<T>, what: string): Promise<T> {
  return failIfHung(work, what, HANG_GUARD_MS);
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfmcp-faults-project-'));
  cpSync(sampleProject, dir, { recursive: true });
  return dir;
}

/** A failed call as a user should see it: a line of what happened (and a hint), nothing internal. */
function expectClearError(result: Result, org: LocalOrg, pattern: RegExp): void {
  expect(result.isError, result.text).toBe(true);
  expect(result.text).toMatch(pattern);
  const lines = result.text.split('\n');
  expect(lines.length, result.text).toBeLessThanOrEqual(2);
  expect(result.text).not.toMatch(/\n\s+at |fetch failed|undefined|\[object Object\]/);
  expect(result.text).not.toContain(org.accessToken);
  expect(result.text).not.toContain(org.oauth.refreshToken);
  expect(result.text).not.toMatch(/00D\w{12,15}![\w.]+/);
}

const QUERY = { query: 'SELECT Id, Name FROM Account ORDER BY Name LIMIT 3' };

describe('faults through the server (access-token login, --org-timeout 2)', () => {
  let server: LocalOrgTestServer;
  let org: LocalOrg;

  beforeAll(async () => {
    server = await createLocalOrgTestServer({
      plugins,
      seed: demoSeed(),
      args: ['--org-timeout', String(ORG_TIMEOUT_SECONDS), '--project-dir', project()],
    });
    org = server.org;
    // Opened once: a fault below hits the call, not the connection's first requests.
    const warm = await server.call('run_soql_query', QUERY);
    expect(warm.isError, warm.text).toBeFalsy();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    org.faults.clear();
  });

  /** Calls a tool under `fault`, clears it, and checks that the same call then works. */
  async function underFault(fault: Fault | 'expire', tool: string, args: Record<string, unknown>) {
    if (fault === 'expire') org.faults.expireSession();
    else org.faults.set(fault);
    const faulted = await guard(server.call(tool, args), `${tool} under ${JSON.stringify(fault)}`);
    org.faults.clear();
    const next = await guard(server.call(tool, args), `${tool} after the fault`);
    expect(next.isError, next.text).toBeFalsy();
    return faulted;
  }

  describe('drop', () => {
    it('a connection closed once, without an answer: a clear error (jsforce does not retry it)', async () => {
      const result = await underFault({ kind: 'drop', path: '/query', times: 1 }, 'run_soql_query', QUERY);
      expectClearError(
        result,
        org,
        new RegExp(`^cannot reach local-test at ${org.instanceUrl}: connection closed by the server\\n`),
      );
    });

    it('a connection reset once is retried and the call succeeds', async () => {
      const result = await underFault(
        { kind: 'drop', reset: true, path: '/query', times: 1 },
        'run_soql_query',
        QUERY,
      );
      expect(result.isError, result.text).toBeFalsy();
      expect(result.text).toContain('totalSize: ');
    });

    it('a connection that keeps being reset: "connection reset"', async () => {
      const result = await underFault({ kind: 'drop', reset: true, path: '/query' }, 'run_soql_query', QUERY);
      expectClearError(
        result,
        org,
        new RegExp(`^cannot reach local-test at ${org.instanceUrl}: connection reset\\n`),
      );
    });

    it('describe_object', async () => {
      const result = await underFault({ kind: 'drop', path: '/sobjects/Task/describe' }, 'describe_object', {
        objectName: 'Task',
      });
      expectClearError(result, org, /^cannot reach local-test at .+: connection closed by the server\n/);
    });

    it('deploy_metadata over SOAP', async () => {
      const result = await underFault({ kind: 'drop', path: '/services/Soap/m/' }, 'deploy_metadata', {
        sourceDir: ['force-app'],
      });
      expectClearError(result, org, /^cannot reach local-test at .+: connection closed by the server\n/);
    });
  });

  describe('500 and 503', () => {
    it('one 503 is retried and the call succeeds', async () => {
      const result = await underFault(
        { kind: 'unavailable', path: '/query', times: 1 },
        'run_soql_query',
        QUERY,
      );
      expect(result.isError, result.text).toBeFalsy();
      expect(result.text).toContain('totalSize: ');
    });

    it('run_soql_query: UNKNOWN_EXCEPTION with its ErrorId', async () => {
      const result = await underFault({ kind: 'server-error', path: '/query' }, 'run_soql_query', QUERY);
      expectClearError(
        result,
        org,
        /^UNKNOWN_EXCEPTION: An unexpected error occurred\. Please include this ErrorId/,
      );
    });

    it('describe_object: SERVER_UNAVAILABLE', async () => {
      const result = await underFault(
        { kind: 'unavailable', path: '/sobjects/Contact/describe' },
        'describe_object',
        { objectName: 'Contact' },
      );
      expectClearError(
        result,
        org,
        /SERVER_UNAVAILABLE: The server is temporarily unable to service your request/,
      );
    });

    it('deploy_metadata: a SOAP UNKNOWN_EXCEPTION fault', async () => {
      const result = await underFault(
        { kind: 'server-error', path: '/services/Soap/m/' },
        'deploy_metadata',
        { sourceDir: ['force-app'] },
      );
      expectClearError(result, org, /UNKNOWN_EXCEPTION: An unexpected error occurred/);
    });

    it('deploy_metadata: a SOAP 503 SERVER_UNAVAILABLE fault', async () => {
      const result = await underFault({ kind: 'unavailable', path: '/services/Soap/m/' }, 'deploy_metadata', {
        sourceDir: ['force-app'],
      });
      expectClearError(result, org, /SERVER_UNAVAILABLE: The server is temporarily unable/);
    });
  });

  describe('slow and stalled', () => {
    it('a slow answer within the timeout is the answer', async () => {
      const result = await underFault(
        { kind: 'slow', delayMs: 300, path: '/query' },
        'run_soql_query',
        QUERY,
      );
      expect(result.isError, result.text).toBeFalsy();
      expect(result.text).toContain('totalSize: ');
    });

    it('a slow answer past the timeout is abandoned', async () => {
      const result = await underFault(
        { kind: 'slow', delayMs: 30_000, path: '/query' },
        'run_soql_query',
        QUERY,
      );
      expectClearError(
        result,
        org,
        new RegExp(`^local-test at ${org.instanceUrl} did not answer within ${ORG_TIMEOUT_SECONDS} s`),
      );
    });

    it('run_soql_query: a stalled query ends with the timeout, and the org sees the socket closed', async () => {
      const result = await underFault({ kind: 'stall', path: '/query' }, 'run_soql_query', QUERY);
      expectClearError(
        result,
        org,
        new RegExp(
          `^local-test at ${org.instanceUrl} did not answer within ${ORG_TIMEOUT_SECONDS} s: the request was abandoned\\.\\n`,
        ),
      );
      expect(org.faults.stalled).toBe(0);
    });

    it('describe_object: a stalled describe ends with the timeout', async () => {
      const result = await underFault({ kind: 'stall', path: '/sobjects/Lead/describe' }, 'describe_object', {
        objectName: 'Lead',
      });
      expectClearError(result, org, /^local-test at .+ did not answer within 2 s/);
    });

    it('deploy_metadata: a stalled SOAP call ends with the timeout', async () => {
      const result = await underFault({ kind: 'stall', path: '/services/Soap/m/' }, 'deploy_metadata', {
        sourceDir: ['force-app'],
      });
      expectClearError(result, org, /^local-test at .+ did not answer within 2 s/);
    });
  });

  describe('garbage (200 with a body that does not parse)', () => {
    /** What a garbled answer should say: that the org's answer could not be read, naming the org. */
    const UNREADABLE = /local-test.*(not JSON|not XML|could not be read|unreadable)/;

    // Was: a successful empty result ("totalSize: 0 · no rows") from jsforce's unparsed string. The
    // transport (apps/server/src/orgs/transport.ts) refuses a body its content type belies.
    it('run_soql_query: an error, never an empty result', async () => {
      const result = await underFault({ kind: 'garbage', path: '/query' }, 'run_soql_query', QUERY);
      expectClearError(result, org, UNREADABLE);
    });

    // Was: "Cannot read properties of undefined", and the garbled describe stayed cached
    // (apps/server/src/orgs/describes.ts keeps only what is a describe).
    it('describe_object: an error, and the next describe works', async () => {
      const result = await underFault(
        { kind: 'garbage', path: '/sobjects/Case/describe' },
        'describe_object',
        { objectName: 'Case' },
      );
      expectClearError(result, org, UNREADABLE);
    });

    // Was: "result.sobjects is not iterable" (jsforce's describeGlobal on a string).
    it('list_objects: an error that says the answer could not be read', async () => {
      const result = await underFault({ kind: 'garbage', path: '/sobjects' }, 'list_objects', {});
      expectClearError(result, org, UNREADABLE);
    });

    // Was: xml2js's four-line parser message, naming neither the org nor what failed.
    it('deploy_metadata: a SOAP 200 that is not XML', async () => {
      const result = await underFault({ kind: 'garbage', path: '/services/Soap/m/' }, 'deploy_metadata', {
        sourceDir: ['force-app'],
      });
      expectClearError(result, org, UNREADABLE);
    });
    it('run_soql_query: JSON that is not a query result is an error, never "no rows"', async () => {
      const result = await underFault(
        { kind: 'garbage', path: '/query', body: '{"done": true}' },
        'run_soql_query',
        QUERY,
      );
      expectClearError(result, org, /local-test.*not a query result: its answer could not be read/);
    });

    it('describe_object: JSON that is not a describe is an error, and is not cached', async () => {
      const result = await underFault(
        { kind: 'garbage', path: '/sobjects/Case/describe', body: '{"name": "Case"}' },
        'describe_object',
        { objectName: 'Case' },
      );
      expectClearError(result, org, /local-test.*not the describe of Case: its answer could not be read/);
    });
  });

  describe('an expired session, access token only', () => {
    it('run_soql_query says to log in again with sf org login web', async () => {
      const result = await underFault('expire', 'run_soql_query', QUERY);
      expectClearError(result, org, /^INVALID_SESSION_ID: Session expired or invalid\n.*sf org login web/);
    });

    it('deploy_metadata (SOAP) says to log in again with sf org login web', async () => {
      const result = await underFault('expire', 'deploy_metadata', { sourceDir: ['force-app'] });
      expectClearError(result, org, /INVALID_SESSION_ID[^\n]*\n.*sf org login web/);
    });
  });

  it('the server still answers every toolset after all of it', async () => {
    for (const [tool, args] of [
      ['get_org_info', {}],
      ['run_soql_query', QUERY],
      ['describe_object', { objectName: 'Account' }],
      ['list_metadata_components', { types: ['CustomObject'] }],
    ] as const) {
      const result = await server.call(tool, args);
      expect(result.isError, `${tool}: ${result.text}`).toBeFalsy();
    }
  });
});

describe('an expired session, with a refresh token in the sf auth file', () => {
  let org: LocalOrg;
  let server: TestServer;

  beforeAll(async () => {
    org = await startLocalOrg({
      seed: {
        users: [
          { '@ref': 'admin', FirstName: 'Rita', LastName: 'Refresh', Username: 'rita@refresh.sfmcp.test' },
        ],
        records: { Account: [{ Name: 'Refreshed Account' }] },
      },
    });
    await authorizeOrgs({
      orgs: [
        {
          username: org.username,
          alias: 'refreshing',
          instanceUrl: org.instanceUrl,
          accessToken: org.accessToken,
          refreshToken: org.oauth.refreshToken,
          orgId: org.orgId,
        },
      ],
    });
    server = await createTestServer({
      plugins,
      args: [
        '--orgs',
        'refreshing',
        '--org-timeout',
        String(ORG_TIMEOUT_SECONDS),
        '--project-dir',
        project(),
      ],
    });
    const warm = await server.call('run_soql_query', QUERY);
    expect(warm.isError, warm.text).toBeFalsy();
  });
  afterAll(async () => {
    await server?.close();
    await org?.stop();
  });

  it('run_soql_query succeeds after @salesforce/core refreshes the token at /services/oauth2/token', async () => {
    org.faults.expireSession();
    const result = await guard(server.call('run_soql_query', QUERY), 'a query with an expired session');
    expect(result.isError, result.text).toBeFalsy();
    expect(result.text).toContain('Refreshed Account');
    // The old token is still refused: the call went through with a new one.
    const old = await fetch(`${org.instanceUrl}/services/data/v62.0/limits`, {
      headers: { authorization: `Bearer ${org.accessToken}` },
    });
    expect(old.status).toBe(401);
  });

  it('deploy_metadata (SOAP) succeeds after a refresh', async () => {
    org.faults.expireSession();
    const result = await guard(
      server.call('deploy_metadata', { sourceDir: ['force-app'] }),
      'a deploy with an expired session',
    );
    expect(result.isError, result.text).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ success: true });
  });

  it('the token endpoint answering 503 during the refresh: a clear error, and the next call works', async () => {
    org.faults.expireSession();
    org.faults.set({ kind: 'unavailable', path: '/services/oauth2/token' });
    const result = await guard(server.call('run_soql_query', QUERY), 'a query whose refresh gets a 503');
    expectClearError(result, org, /refresh/);
    org.faults.clear();
    const next = await server.call('run_soql_query', QUERY);
    expect(next.isError, next.text).toBeFalsy();
  });

  // Was: "Unable to refresh session due to: ..." with nothing saying to log in again. The refresh
  // (jsforce's delegate, guarded in transport.ts) now fails as one line with the INVALID_SESSION_ID hint.
  it('a revoked refresh token: the error says how to log in again', async () => {
    try {
      org.faults.expireSession({ revokeRefreshToken: true });
      for (const [tool, args] of [
        ['run_soql_query', QUERY],
        ['deploy_metadata', { sourceDir: ['force-app'] }],
      ] as const) {
        const result = await guard(server.call(tool, args), `${tool} whose refresh is refused`);
        expectClearError(result, org, /sf org login web/);
      }
    } finally {
      org.faults.clear();
      const next = await server.call('run_soql_query', QUERY);
      expect(next.isError, next.text).toBeFalsy();
    }
  });

  // Was: "... due to: fetch failed": @salesforce/core refreshes through its own OAuth2 transport; the
  // refresh now runs under the request's signal and timeout.
  it('a stalled token endpoint: the timeout, said clearly', async () => {
    try {
      org.faults.expireSession();
      org.faults.set({ kind: 'stall', path: '/services/oauth2/token' });
      const result = await guard(server.call('run_soql_query', QUERY), 'a query whose refresh stalls');
      expectClearError(result, org, /did not answer within 2 s/);
    } finally {
      org.faults.clear();
      const next = await server.call('run_soql_query', QUERY);
      expect(next.isError, next.text).toBeFalsy();
    }
  });

  // Was: "Cannot read properties of undefined (reading 'id')" from core reading the unparsed body.
  it('a token endpoint answering garbage: an error that says the answer could not be read', async () => {
    try {
      org.faults.expireSession();
      org.faults.set({ kind: 'garbage', path: '/services/oauth2/token' });
      const result = await guard(server.call('run_soql_query', QUERY), 'a query whose refresh gets garbage');
      expectClearError(result, org, /refreshing.*(not JSON|could not be read|unreadable)/);
    } finally {
      org.faults.clear();
      const next = await server.call('run_soql_query', QUERY);
      expect(next.isError, next.text).toBeFalsy();
    }
  });
});
