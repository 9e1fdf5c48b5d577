import type { LocalOrg } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { authorize, startNamedOrg } from '../helpers.js';

describe('get_org_info', () => {
  let server: LocalOrgTestServer;
  let stale: LocalOrg;

  beforeAll(async () => {
    // An org whose saved token it no longer accepts.
    stale = await startNamedOrg('stale@second.test');
    await authorize({ ...stale, accessToken: '00Dexpired!token' }, 'stale');
    server = await createLocalOrgTestServer({
      plugins: [plugin],
      seed: {
        organization: {
          Name: 'Acme Corp',
          OrganizationType: 'Enterprise Edition',
          IsSandbox: false,
          InstanceName: 'NA224',
          NamespacePrefix: 'acme',
        },
        records: { Account: [{ Name: 'Acme' }, { Name: 'Globex' }] },
      },
      args: ['--orgs', 'stale'],
    });
  });
  afterAll(async () => {
    await server?.close();
    await stale?.stop();
  });

  it('reports edition, instance, namespace, API version and the limits that matter', async () => {
    // Known counters in the org, so the numbers the tool shows can only come from it.
    const files = server.org.state.limits.get('FileStorageMB');
    if (files) files.Remaining = 10_000;
    const result = await server.call('get_org_info', { usernameOrAlias: 'local-test' });
    expect(result.isError).toBeFalsy();
    const info = result.structuredContent as Record<string, unknown> & {
      limits: Record<string, { max: number; remaining: number; used: number }>;
    };
    expect(info).toMatchObject({
      username: server.org.username,
      alias: 'local-test',
      orgId: server.org.orgId,
      name: 'Acme Corp',
      edition: 'Enterprise Edition',
      kind: 'production',
      instanceUrl: server.org.instanceUrl,
      instanceName: 'NA224',
      isSandbox: false,
      namespacePrefix: 'acme',
    });
    expect(info.apiVersion).toMatch(/^\d+\.0$/);
    expect(info.limits.FileStorageMB).toEqual({ max: 10240, remaining: 10_000, used: 240 });
    expect(info.limits.DataStorageMB).toMatchObject({ max: 1024 });
    const api = info.limits.DailyApiRequests;
    const counter = server.org.state.limits.get('DailyApiRequests');
    expect(api?.max).toBe(100_000);
    expect(api?.used).toBeGreaterThan(0);
    // The limits call itself is the last one the org counted.
    expect(api?.remaining).toBe(counter?.Remaining);
    expect(result.text).toContain(`Org: local-test (${server.org.username})`);
    expect(result.text).toContain('Acme Corp — Enterprise Edition, production');
    expect(result.text).toContain('instance NA224');
    expect(result.text).toContain('Namespace: acme');
    expect(result.text).toMatch(/file storage \| 240 MB \| 10000 MB \| 10240 MB \| 2%/);
    expect(result.text).toMatch(/daily API requests \| \d+ \| \d+ \| 100000 \|/);
  });

  it("keeps Salesforce's error code for an expired session and says what to do", async () => {
    const result = await server.call('get_org_info', { usernameOrAlias: 'stale' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      'Could not read the Organization of stale (stale@second.test): INVALID_SESSION_ID: Session expired or invalid',
    );
    expect(result.text).toContain('sf org login web --alias stale');
  });

  it('needs an org name when several are allowed and none is the default', async () => {
    const result = await server.call('get_org_info');
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Several orgs are allowed');
  });

  it('refuses an org outside the allowlist', async () => {
    const result = await server.call('get_org_info', { usernameOrAlias: 'someone@else.test' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('is not allowed for this server');
  });
});

describe('get_org_info on the sfmcp local org', () => {
  let local: LocalOrgTestServer;

  beforeAll(async () => {
    // A loopback Developer Edition: what the server classifies as the local org (a test double).
    local = await createLocalOrgTestServer({ plugins: [plugin], alias: 'double' });
  });
  afterAll(() => local?.close());

  it('says it is a Salesforce test double, not Salesforce, whose Apex outcomes come from its seed', async () => {
    const result = await local.call('get_org_info');
    expect(result.isError, result.text).toBeFalsy();
    const lines = result.text.split('\n');
    expect(lines[0]).toBe(`Org: double (${local.org.username}) — sfmcp local org, a test double`);
    expect(lines[1]).toBe(
      'This is the sfmcp local org: a Salesforce test double on this machine, not Salesforce. Its Apex test outcomes come from its seed, never from running Apex.',
    );
    expect(result.structuredContent).toMatchObject({
      kind: 'local',
      edition: 'Developer Edition',
      testDouble: expect.stringMatching(/^This is the sfmcp local org: a Salesforce test double/),
    });
  });
});

describe('get_org_info on an org that is not the local org', () => {
  it('has no test-double note', async () => {
    const server = await createLocalOrgTestServer({
      plugins: [plugin],
      alias: 'enterprise',
      seed: { organization: { Name: 'Real Co', OrganizationType: 'Enterprise Edition', IsSandbox: true } },
    });
    try {
      const result = await server.call('get_org_info');
      expect(result.structuredContent).toMatchObject({ kind: 'sandbox' });
      expect(result.structuredContent).not.toHaveProperty('testDouble');
      expect(result.text).not.toMatch(/test double/);
      expect(result.text.split('\n')[0]).toBe(`Org: enterprise (${server.org.username})`);
    } finally {
      await server.close();
    }
  });
});
