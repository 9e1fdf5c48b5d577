import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LocalOrg } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer, makeDxProject } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { authorize, startNamedOrg, temporaryDir } from '../helpers.js';

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('set_default_org', () => {
  let server: LocalOrgTestServer;
  let second: LocalOrg;
  let outsider: LocalOrg;
  let project: string;

  beforeAll(async () => {
    second = await startNamedOrg('dev@second.test');
    await authorize(second, 'second');
    // Authenticated on this machine, but not in the server's --orgs.
    outsider = await startNamedOrg('someone@outside.test');
    await authorize(outsider, 'outsider');
    project = await makeDxProject(temporaryDir('sfmcp-orgs-project-'));
    server = await createLocalOrgTestServer({
      plugins: [plugin],
      // local-test reports itself as production: set_default_org changes configuration, not the org.
      seed: { organization: { Name: 'Acme', OrganizationType: 'Enterprise Edition' } },
      args: ['--orgs', 'second', '--project-dir', project],
    });
  });
  afterAll(async () => {
    await server?.close();
    await second?.stop();
    await outsider?.stop();
  });

  it('switches the default org for the session', async () => {
    const before = await server.call('get_org_info');
    expect(before.isError).toBe(true);
    expect(before.text).toContain('Several orgs are allowed and none is the default');

    const result = await server.call('set_default_org', { usernameOrAlias: 'second' });
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain(`Org: second (dev@second.test)`);
    expect(result.text).toContain('Only this session changed');
    expect(result.structuredContent).toEqual({
      username: 'dev@second.test',
      alias: 'second',
      scope: 'session',
    });
    expect(existsSync(join(project, '.sf', 'config.json'))).toBe(false);

    const after = await server.call('get_org_info');
    expect(after.text).toContain('Org: second (dev@second.test)');
  });

  it('saves target-org for the project, also for a production org, and says a restart is needed', async () => {
    const result = await server.call('set_default_org', { usernameOrAlias: 'local-test', scope: 'project' });
    expect(result.isError).toBeFalsy();
    const file = join(project, '.sf', 'config.json');
    expect(readJson(file)).toMatchObject({ 'target-org': 'local-test' });
    expect(result.structuredContent).toMatchObject({
      username: server.org.username,
      scope: 'project',
      previousDefault: 'dev@second.test',
      savedValue: 'local-test',
    });
    expect(result.text).toContain(`(was second (dev@second.test))`);
    expect(result.text).toContain(`Saved target-org=local-test in ${file} (project)`);
    expect(result.text).toMatch(/restart the server/);
    // The session follows too.
    expect((await server.call('get_org_info')).text).toContain(`Org: local-test (${server.org.username})`);
  });

  it('saves target-org globally', async () => {
    const result = await server.call('set_default_org', {
      usernameOrAlias: 'dev@second.test',
      scope: 'global',
    });
    expect(result.isError).toBeFalsy();
    expect(readJson(join(homedir(), '.sf', 'config.json'))).toMatchObject({
      'target-org': 'dev@second.test',
    });
    expect((await server.call('get_org_info')).text).toContain('Org: second (dev@second.test)');
  });

  it('refuses an org outside the allowlist and changes nothing', async () => {
    const projectConfig = readFileSync(join(project, '.sf', 'config.json'), 'utf8');
    const globalConfig = readFileSync(join(homedir(), '.sf', 'config.json'), 'utf8');
    for (const scope of ['session', 'project', 'global']) {
      const result = await server.call('set_default_org', { usernameOrAlias: 'outsider', scope });
      expect(result.isError).toBe(true);
      expect(result.text).toContain('The org "outsider" is not allowed for this server');
    }
    expect(readFileSync(join(project, '.sf', 'config.json'), 'utf8')).toBe(projectConfig);
    expect(readFileSync(join(homedir(), '.sf', 'config.json'), 'utf8')).toBe(globalConfig);
    expect((await server.call('get_org_info')).text).toContain('Org: second (dev@second.test)');
  });

  it('needs an org name when several are allowed', async () => {
    const result = await server.call('set_default_org', {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Several orgs are allowed');
  });
});

describe('set_default_org with one allowed org and no DX project', () => {
  let server: LocalOrgTestServer;
  let folder: string;

  beforeAll(async () => {
    folder = temporaryDir('sfmcp-orgs-no-project-');
    server = await createLocalOrgTestServer({ plugins: [plugin], args: ['--project-dir', folder] });
  });
  afterAll(async () => server?.close());

  it('uses the only allowed org when none is named, and says which', async () => {
    const result = await server.call('set_default_org', {});
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain(`Default org for this session is now local-test (${server.org.username})`);
  });

  it('refuses scope project outside a DX project, and writes nothing', async () => {
    const result = await server.call('set_default_org', { scope: 'project' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('No Salesforce DX project');
    expect(existsSync(join(folder, '.sf'))).toBe(false);
  });
});
