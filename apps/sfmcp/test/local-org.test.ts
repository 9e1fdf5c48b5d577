import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type LocalOrg, startLocalOrg } from '@sfmcp/local-org';
import { authorizeOrgs, callTool, spawnServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
const example = fileURLToPath(new URL('../../../examples/sfmcp-plugin-example', import.meta.url));

describe('sfmcp --local-org', () => {
  it('starts a local org, allows it as "local", and tools change it', async () => {
    const server = await spawnServer({
      bin,
      args: ['--local-org', '--plugin', example],
      env: { HOME: homedir() },
    });
    const username = await callTool(server.client, 'get_username', {});
    expect(username.structuredContent).toMatchObject({
      alias: 'local',
      reasoning: 'it is the only org this server may use',
    });
    const refused = await callTool(server.client, 'add_record_note', {
      recordId: '001000000000001AAA',
      title: 'x',
      usernameOrAlias: 'prod',
    });
    expect(refused.text).toMatch(/"prod" is not allowed for this server\. Allowed: local/);
    expect(server.stderr()).toMatch(
      /local org \(a Salesforce test double, not Salesforce\) at http:\/\/127\.0\.0\.1:\d+/,
    );
    await server.close();
  });
});

describe('the production write guard against an org that reports itself as production', () => {
  let org: LocalOrg;

  beforeAll(async () => {
    org = await startLocalOrg({
      seed: {
        organization: { Name: 'Acme Corp', OrganizationType: 'Enterprise Edition', IsSandbox: false },
        records: { Account: [{ Name: 'Acme' }] },
      },
    });
    await authorizeOrgs({
      orgs: [
        {
          username: org.username,
          alias: 'acme-prod',
          instanceUrl: org.instanceUrl,
          accessToken: org.accessToken,
          orgId: org.orgId,
        },
      ],
    });
  });
  afterAll(() => org.stop());

  it('refuses the write and leaves the org unchanged', async () => {
    const [account] = [...org.state.records.rows('Account')];
    const server = await spawnServer({
      bin,
      args: ['--plugin', example, '--orgs', 'acme-prod'],
      env: { HOME: homedir() },
    });
    const result = await callTool(server.client, 'add_record_note', {
      recordId: account!.Id,
      title: 'should not be written',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Refused: acme-prod \(.*\) is a production org/);
    expect([...org.state.records.rows('Note')]).toEqual([]);
    await server.close();
  });

  it('writes with --allow-production-writes', async () => {
    const [account] = [...org.state.records.rows('Account')];
    const server = await spawnServer({
      bin,
      args: ['--plugin', example, '--orgs', 'acme-prod', '--allow-production-writes'],
      env: { HOME: homedir() },
    });
    const result = await callTool(server.client, 'add_record_note', {
      recordId: account!.Id,
      title: 'Renewal call',
    });
    expect(result.isError).toBeFalsy();
    expect([...org.state.records.rows('Note')].map((note) => note.Title)).toEqual(['Renewal call']);
    await server.close();
  });
});
