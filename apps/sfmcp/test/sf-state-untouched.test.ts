import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LocalOrg, startLocalOrg } from '@sfmcp/local-org';
import { authorizeOrgs, callTool, spawnServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// sfmcp never writes the user's sf state (~/.sf, ~/.sfdx) except when set_default_org is asked to.
// A HOME that looks like a real user's (a login with its encryption key and alias, a global target-org)
// must be byte-identical after a session that lists orgs, queries, deploys and runs Apex tests.

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
const sampleProject = fileURLToPath(
  new URL('../../../packages/toolsets/metadata/sample-project', import.meta.url),
);

/** Every file and folder under ~/.sf and ~/.sfdx: path → content digest ('dir' for folders). */
function sfState(home: string): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        state[relative(home, path)] = 'dir';
        walk(path);
      } else {
        state[relative(home, path)] = stat.isSymbolicLink()
          ? 'symlink'
          : createHash('sha256').update(readFileSync(path)).digest('hex');
      }
    }
  };
  walk(join(home, '.sf'));
  walk(join(home, '.sfdx'));
  return state;
}

function names(result: { structuredContent?: unknown }): string[] {
  const orgs = (result.structuredContent as { orgs?: { username: string; alias?: string }[] }).orgs ?? [];
  return orgs.map((org) => org.alias ?? org.username).sort();
}

describe('the user sf state after a session', () => {
  let other: LocalOrg;
  let home: string;
  let before: Record<string, string>;

  beforeAll(async () => {
    // The test HOME (vitest.setup.ts made it): a login for another org, as `sf org login` leaves it.
    home = homedir();
    other = await startLocalOrg({
      seed: {
        users: [{ '@ref': 'admin', FirstName: 'Olga', LastName: 'Other', Username: 'olga@other.test' }],
      },
    });
    await authorizeOrgs({
      orgs: [
        {
          username: other.username,
          alias: 'other',
          instanceUrl: other.instanceUrl,
          accessToken: other.accessToken,
          orgId: other.orgId,
        },
      ],
      targetOrg: 'other',
    });
    writeFileSync(
      join(home, '.sf', 'config.json'),
      `${JSON.stringify({ 'target-org': 'other', 'org-max-query-limit': '5000' }, null, 2)}\n`,
    );
    before = sfState(home);
    // What a real login leaves: the auth file, its encryption key, the alias and the global config.
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining([
        '.sf/config.json',
        '.sfdx/alias.json',
        '.sfdx/key.json',
        `.sfdx/${other.username}.json`,
      ]),
    );
  });

  afterAll(async () => {
    await other?.stop();
  });

  function project(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sfmcp-state-project-'));
    cpSync(sampleProject, dir, { recursive: true });
    return dir;
  }

  it('--local-org: lists, queries, deploys and runs Apex tests without writing ~/.sf or ~/.sfdx', async () => {
    const server = await spawnServer({
      bin,
      args: ['--local-org', '--project-dir', project()],
      // Not the test default: the server itself must keep @salesforce/core's log file off.
      env: { HOME: home, SF_DISABLE_LOG_FILE: 'false' },
    });
    try {
      const listed = await callTool(server.client, 'list_all_orgs', { checkConnection: true });
      expect(listed.isError, listed.text).toBeFalsy();
      expect(names(listed)).toEqual(['local']);
      const queried = await callTool(server.client, 'run_soql_query', {
        query: 'SELECT Id, Name FROM Account ORDER BY Name LIMIT 3',
      });
      expect(queried.isError, queried.text).toBeFalsy();
      expect(queried.text).toMatch(/^Org: local \(.+\) — sfmcp local org, a test double\n/);
      const deployed = await callTool(server.client, 'deploy_metadata', { sourceDir: ['force-app'] });
      expect(deployed.isError, deployed.text).toBeFalsy();
      expect(deployed.structuredContent).toMatchObject({ success: true });
      const tested = await callTool(server.client, 'run_apex_test', { classNames: ['InvoiceServiceTest'] });
      expect(tested.isError, tested.text).toBeFalsy();
      expect(tested.text).toMatch(/2 ran, 2 passed, 0 failed/);
    } finally {
      await server.close();
    }
    expect(sfState(home)).toEqual(before);
  });

  it('--orgs ALLOW_ALL_ORGS --local-org: the local org is never saved, and the user login is only read', async () => {
    const server = await spawnServer({
      bin,
      args: ['--orgs', 'ALLOW_ALL_ORGS', '--local-org', '--project-dir', project()],
      env: { HOME: home, SF_DISABLE_LOG_FILE: 'false' },
    });
    try {
      const listed = await callTool(server.client, 'list_all_orgs', { checkConnection: true });
      expect(listed.isError, listed.text).toBeFalsy();
      expect(names(listed)).toEqual(['local', 'other']);
      // The user's own login: opened from its auth file, queried, deployed to and tested, never rewritten.
      const queried = await callTool(server.client, 'run_soql_query', {
        query: 'SELECT Id, Username FROM User',
        usernameOrAlias: 'other',
      });
      expect(queried.isError, queried.text).toBeFalsy();
      expect(queried.text).toContain('olga@other.test');
      for (const usernameOrAlias of ['other', 'local']) {
        const deployed = await callTool(server.client, 'deploy_metadata', {
          sourceDir: ['force-app'],
          usernameOrAlias,
        });
        expect(deployed.isError, deployed.text).toBeFalsy();
        // The other org declares no Apex outcomes: its tests are reported as not run, which is still a result.
        const tested = await callTool(server.client, 'run_apex_test', {
          classNames: ['InvoiceServiceTest'],
          usernameOrAlias,
        });
        expect(tested.text).toMatch(new RegExp(`^Org: ${usernameOrAlias} `));
      }
      const again = await callTool(server.client, 'list_all_orgs', {});
      expect(names(again)).toEqual(['local', 'other']);
    } finally {
      await server.close();
    }
    expect(sfState(home)).toEqual(before);

    // A later session sees only the user's own login: no stale, unreachable local org.
    const later = await spawnServer({ bin, args: ['--orgs', 'ALLOW_ALL_ORGS'], env: { HOME: home } });
    try {
      const listed = await callTool(later.client, 'list_all_orgs', {});
      expect(names(listed)).toEqual(['other']);
    } finally {
      await later.close();
    }
    expect(sfState(home)).toEqual(before);
  });

  it('a HOME where sf never ran stays without ~/.sf and ~/.sfdx', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'sfmcp-fresh-home-'));
    const server = await spawnServer({
      bin,
      args: ['--orgs', 'ALLOW_ALL_ORGS,nobody@nowhere.test', '--local-org', '--project-dir', project()],
      env: { HOME: fresh, SF_DISABLE_LOG_FILE: 'false' },
    });
    try {
      const listed = await callTool(server.client, 'list_all_orgs', { checkConnection: true });
      expect(names(listed)).toEqual(['local', 'nobody@nowhere.test']);
      const missing = await callTool(server.client, 'get_org_info', {
        usernameOrAlias: 'nobody@nowhere.test',
      });
      expect(missing.isError).toBe(true);
      expect(missing.text).toContain('No authorization information found for nobody@nowhere.test');
      const deployed = await callTool(server.client, 'deploy_metadata', {
        sourceDir: ['force-app'],
        usernameOrAlias: 'local',
      });
      expect(deployed.isError, deployed.text).toBeFalsy();
      const tested = await callTool(server.client, 'run_apex_test', {
        classNames: ['InvoiceServiceTest'],
        usernameOrAlias: 'local',
      });
      expect(tested.text).toMatch(/2 ran, 2 passed, 0 failed/);
    } finally {
      await server.close();
    }
    expect(sfState(fresh)).toEqual({});
    expect(readdirSync(fresh).filter((name) => name !== '.sfmcp')).toEqual([]);
  });
});
