import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Allowlist } from '../src/orgs/allowlist.js';
import { readSfState } from '../src/orgs/sf-state.js';

function makeHome(files: Record<string, unknown>): string {
  const home = mkdtempSync(join(tmpdir(), 'allowlist-home-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(home, path, '..'), { recursive: true });
    writeFileSync(join(home, path), JSON.stringify(content));
  }
  return home;
}

describe('Allowlist', () => {
  const savedEnv = process.env.SF_TARGET_ORG;
  afterEach(() => {
    if (savedEnv === undefined) delete process.env.SF_TARGET_ORG;
    else process.env.SF_TARGET_ORG = savedEnv;
  });

  const home = makeHome({
    '.sfdx/alias.json': { orgs: { dev: 'dev@acme.com', prod: 'admin@acme.com', hub: 'hub@acme.com' } },
    '.sfdx/dev@acme.com.json': { username: 'dev@acme.com' },
    '.sfdx/admin@acme.com.json': { username: 'admin@acme.com' },
    '.sf/config.json': { 'target-org': 'prod', 'target-dev-hub': 'hub' },
    'project/sfdx-project.json': { packageDirectories: [{ path: 'force-app', default: true }] },
    'project/.sf/config.json': { 'target-org': 'dev' },
  });

  it('resolves DEFAULT_TARGET_ORG from the project config before the global one', () => {
    const allowlist = new Allowlist(['DEFAULT_TARGET_ORG'], readSfState(join(home, 'project'), home), home);
    expect(allowlist.list()).toEqual([
      { username: 'dev@acme.com', alias: 'dev', grantedBy: 'DEFAULT_TARGET_ORG' },
    ]);
    expect(allowlist.resolve().username).toBe('dev@acme.com');
  });

  it('resolves DEFAULT_TARGET_ORG from the global config outside a project', () => {
    const allowlist = new Allowlist(
      ['DEFAULT_TARGET_ORG', 'DEFAULT_TARGET_DEV_HUB'],
      readSfState(home, home),
      home,
    );
    expect(allowlist.list().map((org) => org.username)).toEqual(['admin@acme.com', 'hub@acme.com']);
  });

  it('lets the environment override the config files', () => {
    process.env.SF_TARGET_ORG = 'hub@acme.com';
    const allowlist = new Allowlist(['DEFAULT_TARGET_ORG'], readSfState(join(home, 'project'), home), home);
    expect(allowlist.list()[0]?.username).toBe('hub@acme.com');
  });

  it('refuses an org outside the allowlist, by alias or username, naming what is allowed', () => {
    const allowlist = new Allowlist(['dev'], readSfState(home, home), home);
    expect(allowlist.resolve('dev').username).toBe('dev@acme.com');
    expect(allowlist.resolve('DEV@acme.com').username).toBe('dev@acme.com');
    expect(() => allowlist.resolve('prod')).toThrow(/"prod" is not allowed.*Allowed: dev \(dev@acme.com\)/);
    expect(() => allowlist.resolve('admin@acme.com')).toThrow(/not allowed/);
  });

  it('needs a choice when several orgs are allowed and none is the default', () => {
    const noDefaults = makeHome({
      '.sfdx/alias.json': { orgs: { dev: 'dev@acme.com', hub: 'hub@acme.com' } },
    });
    const allowlist = new Allowlist(['dev', 'hub'], readSfState(noDefaults, noDefaults), noDefaults);
    expect(() => allowlist.resolve()).toThrow(/Several orgs are allowed/);
  });

  it('with ALLOW_ALL_ORGS allows any authenticated org, and no other', () => {
    const allowlist = new Allowlist(['ALLOW_ALL_ORGS'], readSfState(home, home), home);
    expect(allowlist.resolve('prod').username).toBe('admin@acme.com');
    expect(() => allowlist.resolve('stranger@acme.com')).toThrow(/not authenticated/);
  });

  it('warns when DEFAULT_TARGET_ORG is asked for but none is set', () => {
    const emptyHome = makeHome({});
    const allowlist = new Allowlist(['DEFAULT_TARGET_ORG'], readSfState(emptyHome, emptyHome), emptyHome);
    expect(allowlist.warnings[0]).toMatch(/no target-org is set/);
    expect(() => allowlist.resolve()).toThrow(/no org access/);
  });
});
