import type { LocalOrg } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { authorize, startNamedOrg } from '../helpers.js';

interface Row {
  username: string;
  alias?: string;
  kind: string;
  status: string;
  isDefault: boolean;
  instanceUrl?: string;
  problem?: string;
  grantedBy?: string;
}

const rows = (result: { structuredContent?: Record<string, unknown> }) =>
  (result.structuredContent?.orgs ?? []) as Row[];

describe('list_all_orgs', () => {
  let server: LocalOrgTestServer;
  let other: LocalOrg;
  let scratch: LocalOrg;

  beforeAll(async () => {
    // "broken": an auth file pointing at a port nobody answers on (scratch, as its auth file says).
    await authorize(
      {
        username: 'broken@nowhere.test',
        instanceUrl: 'http://127.0.0.1:9',
        accessToken: 'x',
        orgId: '00D000000000009AAA',
      },
      'broken',
      { isScratch: true },
    );
    // "stale": a real org, but the token in its auth file is no longer accepted (401 INVALID_SESSION_ID).
    other = await startNamedOrg('stale@second.test');
    await authorize({ ...other, accessToken: '00Dwrong!token' }, 'stale');
    // "trial": a scratch org that expires on Christmas Eve.
    scratch = await startNamedOrg('trial@third.test', {
      organization: {
        OrganizationType: 'Developer Edition',
        TrialExpirationDate: '2026-12-24T00:00:00.000Z',
      },
    });
    await authorize(scratch, 'trial', { isScratch: true });
    server = await createLocalOrgTestServer({
      plugins: [plugin],
      args: ['--orgs', 'broken,stale', '--orgs', 'trial'],
    });
  });
  afterAll(async () => {
    await server?.close();
    await other?.stop();
    await scratch?.stop();
  });

  it('lists the allowed orgs from their auth files without calling any of them', async () => {
    const before = server.org.state.limits.get('DailyApiRequests')?.Remaining;
    const otherBefore = other.state.limits.get('DailyApiRequests')?.Remaining;
    const result = await server.call('list_all_orgs');
    expect(result.isError).toBeFalsy();
    const byAlias = Object.fromEntries(rows(result).map((row) => [row.alias, row]));
    expect(Object.keys(byAlias).sort()).toEqual(['broken', 'local-test', 'stale', 'trial']);
    expect(byAlias['trial']).toMatchObject({ kind: 'scratch', status: 'not checked' });
    expect(byAlias['broken']).toMatchObject({
      kind: 'scratch',
      status: 'not checked',
      instanceUrl: 'http://127.0.0.1:9',
    });
    expect(byAlias['local-test']).toMatchObject({
      kind: 'unknown',
      status: 'not checked',
      username: server.org.username,
    });
    expect(byAlias['stale']).toMatchObject({
      kind: 'unknown',
      status: 'not checked',
      username: 'stale@second.test',
    });
    expect(rows(result).every((row) => !row.isDefault)).toBe(true);
    expect(result.text).toContain('4 allowed orgs; default: none');
    // No org here expires, so there is no expiry column.
    expect(result.text).toContain('alias | username | kind | default | instance | status\n');
    // No call reached either org.
    expect(server.org.state.limits.get('DailyApiRequests')?.Remaining).toBe(before);
    expect(other.state.limits.get('DailyApiRequests')?.Remaining).toBe(otherBefore);
  });

  it('with checkConnection reports connected, expired and unreachable orgs', async () => {
    const result = await server.call('list_all_orgs', { checkConnection: true });
    expect(result.isError).toBeFalsy();
    const byAlias = Object.fromEntries(rows(result).map((row) => [row.alias, row]));
    expect(byAlias['local-test']).toMatchObject({ status: 'connected', kind: 'local' });
    expect(byAlias['local-test']?.problem).toBeUndefined();
    expect(byAlias['stale']).toMatchObject({ status: 'expired' });
    expect(byAlias['stale']?.problem).toMatch(/INVALID_SESSION_ID|Session expired/);
    expect(byAlias['broken']).toMatchObject({ status: 'unreachable', kind: 'scratch' });
    expect(byAlias['trial']).toMatchObject({
      status: 'connected',
      kind: 'scratch',
      expirationDate: '2026-12-24',
    });
    expect(result.text).toContain('alias | username | kind | default | instance | expires | status\n');
    expect(result.text).toMatch(
      /trial \| trial@third\.test \| scratch \| {2}\| http:\/\/127\.0\.0\.1:\d+ \| 2026-12-24 \| connected/,
    );
    expect(result.structuredContent).toMatchObject({ checked: true });
    expect(result.text).toMatch(/local-test \| admin@local-org\.sfmcp\.test \| local \|.*\| connected/);
    expect(result.text).toMatch(/stale \| stale@second\.test \| unknown \|.*\| expired: /);
    expect(result.text).toContain('Expired: the user logs in again with sf org login web --alias <alias>.');
  });

  it('marks the session default once one is chosen', async () => {
    expect((await server.call('set_default_org', { usernameOrAlias: 'local-test' })).isError).toBeFalsy();
    const result = await server.call('list_all_orgs');
    expect(
      rows(result)
        .filter((row) => row.isDefault)
        .map((row) => row.alias),
    ).toEqual(['local-test']);
    expect(result.text).toContain(`default: local-test (${server.org.username})`);
    expect(result.structuredContent).toMatchObject({ defaultOrg: server.org.username });
  });
});

describe('list_all_orgs with ALLOW_ALL_ORGS', () => {
  it('lists every authenticated org, saying what let each one in', async () => {
    await authorize(
      {
        username: 'extra@elsewhere.test',
        instanceUrl: 'http://127.0.0.1:9',
        accessToken: 'x',
        orgId: '00D000000000008AAA',
      },
      'extra',
      { isSandbox: true },
    );
    const server = await createLocalOrgTestServer({ plugins: [plugin], args: ['--orgs', 'ALLOW_ALL_ORGS'] });
    try {
      const result = await server.call('list_all_orgs');
      const byAlias = Object.fromEntries(rows(result).map((row) => [row.alias, row]));
      expect(byAlias['extra']).toMatchObject({
        kind: 'sandbox',
        grantedBy: 'ALLOW_ALL_ORGS',
        status: 'not checked',
      });
      expect(byAlias['local-test']).toMatchObject({ grantedBy: 'local-test' });
    } finally {
      await server.close();
    }
  });
});
