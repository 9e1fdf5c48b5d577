import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalOrgTestServer, createLocalOrgTestServer, makeDxProject } from '@sfmcp/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import plugin from '../../src/index.js';
import { temporaryDir } from '../helpers.js';

describe('open_org', () => {
  let server: LocalOrgTestServer;
  let project: string;
  const env = {
    DISPLAY: process.env.DISPLAY,
    WAYLAND_DISPLAY: process.env.WAYLAND_DISPLAY,
    BROWSER: process.env.BROWSER,
  };

  beforeAll(async () => {
    project = await makeDxProject(temporaryDir('sfmcp-orgs-open-'));
    const classes = join(project, 'force-app', 'main', 'default', 'classes');
    mkdirSync(classes, { recursive: true });
    writeFileSync(join(classes, 'AccountService.cls'), 'public class AccountService {}');
    writeFileSync(join(classes, 'NotDeployed.cls'), 'public class NotDeployed {}');
    server = await createLocalOrgTestServer({
      plugins: [plugin],
      seed: {
        organization: { Name: 'Acme', OrganizationType: 'Enterprise Edition' },
        records: {
          Account: [{ Name: 'Acme' }],
          ApexClass: [
            { Name: 'AccountService', Body: 'public class AccountService {}', LengthWithoutComments: 29 },
          ],
        },
      },
      args: ['--allow-non-ga-tools', '--project-dir', project],
    });
  });
  afterAll(async () => server?.close());
  afterEach(() => {
    for (const [key, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  /** The access token must never reach the model, in text or structured content. */
  const expectNoToken = (result: { text: string; structuredContent?: unknown }) => {
    expect(result.text).not.toContain(server.org.accessToken);
    expect(JSON.stringify(result.structuredContent ?? {})).not.toContain(server.org.accessToken);
    expect(result.text).not.toContain('frontdoor');
  };

  it('gives the Setup URL by default, naming the org', async () => {
    const result = await server.call('open_org');
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({
      url: `${server.org.instanceUrl}/lightning/setup/SetupOneHome/home`,
      opens: 'Setup',
      browserOpened: false,
    });
    expect(result.text).toBe(
      `Org: local-test (${server.org.username})\nSetup: ${server.org.instanceUrl}/lightning/setup/SetupOneHome/home`,
    );
    expectNoToken(result);
  });

  it('gives a record URL and a path URL', async () => {
    const [account] = [...server.org.state.records.rows('Account')];
    const record = await server.call('open_org', { recordId: account!.Id });
    expect(record.structuredContent).toMatchObject({
      url: `${server.org.instanceUrl}/lightning/r/${account!.Id}/view`,
    });
    expectNoToken(record);
    const path = await server.call('open_org', { path: 'lightning/setup/Users/home' });
    expect(path.structuredContent).toMatchObject({
      url: `${server.org.instanceUrl}/lightning/setup/Users/home`,
    });
  });

  it('maps an Apex class file to its Setup page, looking up its id', async () => {
    const [apexClass] = [...server.org.state.records.rows('ApexClass')];
    const result = await server.call('open_org', {
      filePath: 'force-app/main/default/classes/AccountService.cls',
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      url: `${server.org.instanceUrl}/lightning/setup/ApexClasses/page?address=%2F${apexClass!.Id}`,
      opens: `ApexClass AccountService (${apexClass!.Id})`,
    });
    expectNoToken(result);
    const missing = await server.call('open_org', {
      filePath: 'force-app/main/default/classes/NotDeployed.cls',
    });
    expect(missing.structuredContent).toMatchObject({
      url: `${server.org.instanceUrl}/lightning/setup/ApexClasses/home`,
      note: expect.stringContaining('not in the org'),
    });
  });

  it('maps objects, fields, components and flows', async () => {
    const url = async (filePath: string) =>
      ((await server.call('open_org', { filePath })).structuredContent as { url: string }).url.slice(
        server.org.instanceUrl.length,
      );
    expect(await url('force-app/main/default/objects/Invoice__c/Invoice__c.object-meta.xml')).toBe(
      '/lightning/setup/ObjectManager/Invoice__c/Details/view',
    );
    expect(await url('force-app/main/default/objects/Account/fields/Region__c.field-meta.xml')).toBe(
      '/lightning/setup/ObjectManager/Account/FieldsAndRelationships/view',
    );
    expect(await url('force-app/main/default/lwc/helloWorld/helloWorld.js')).toBe(
      '/lightning/setup/LightningComponentBundles/home',
    );
    // The local org has no FlowDefinition: the flow list, with a note saying why.
    expect(await url('force-app/main/default/flows/Welcome.flow-meta.xml')).toBe(
      '/lightning/setup/Flows/home',
    );
  });

  it('refuses other sites, paths outside the project, bad ids and several targets', async () => {
    for (const [args, message] of [
      [{ path: 'https://evil.example/x' }, 'is not a path inside the org'],
      [{ path: '//evil.example/x' }, 'is not a path inside the org'],
      [{ filePath: '../../etc/passwd' }, 'is outside the project'],
      [{ filePath: 'force-app/main/default/staticresources/x.resource' }, 'does not know which Setup page'],
      [{ recordId: "001' OR 1=1" }, 'is not a record id'],
      [{ recordId: '001000000000001', path: '/x' }, 'at most one of'],
    ] as const) {
      const result = await server.call('open_org', args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(result.text).toContain(message);
    }
  });

  it('opens no browser without a desktop, and says so', async () => {
    delete process.env.DISPLAY;
    delete process.env.WAYLAND_DISPLAY;
    if (process.platform !== 'linux') return;
    const result = await server.call('open_org', { openBrowser: true });
    expect(result.structuredContent).toMatchObject({
      browserOpened: false,
      note: expect.stringContaining('no desktop'),
    });
    expectNoToken(result);
  });

  it('on a desktop hands the front door URL to the browser only, and returns the plain URL', async () => {
    if (process.platform === 'win32') return;
    const dir = temporaryDir('sfmcp-orgs-browser-');
    const log = join(dir, 'opened.txt');
    const browser = join(dir, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${log}.tmp' && mv '${log}.tmp' '${log}'\n`);
    chmodSync(browser, 0o755);
    process.env.DISPLAY = ':99';
    process.env.BROWSER = browser;
    const [account] = [...server.org.state.records.rows('Account')];
    const result = await server.call('open_org', { recordId: account!.Id, openBrowser: true });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      url: `${server.org.instanceUrl}/lightning/r/${account!.Id}/view`,
      browserOpened: true,
    });
    expectNoToken(result);
    await vi.waitFor(() => expect(existsSync(log)).toBe(true), { timeout: 10_000 });
    const opened = new URL(readFileSync(log, 'utf8'));
    expect(opened.pathname).toBe('/secur/frontdoor.jsp');
    expect(opened.searchParams.get('sid')).toBe(server.org.accessToken);
    expect(opened.searchParams.get('retURL')).toBe(`/lightning/r/${account!.Id}/view`);
  });
});
