import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authorizeOrgs } from '../src/index.js';
import { checkTemporaryHome } from '../src/sf-home.js';

const org = {
  username: 'ada@example.com',
  alias: 'ada',
  instanceUrl: 'http://127.0.0.1:9',
  accessToken: '00D!secret',
};

describe('authorizeOrgs refuses a HOME that is not recognisably temporary', () => {
  const saved = {
    HOME: process.env.HOME,
    SFMCP_TEMP_HOME: process.env.SFMCP_TEMP_HOME,
    TMPDIR: process.env.TMPDIR,
  };
  let elsewhere: string;

  beforeEach(() => {
    // A folder under the real temporary folder, which the test then makes look like it is not: TMPDIR
    // points elsewhere and SFMCP_TEMP_HOME does not name it. If the guard failed, only this folder is written.
    elsewhere = mkdtempSync(join(tmpdir(), 'sfmcp-not-temp-'));
    process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'sfmcp-other-tmp-'));
  });

  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('throws a clear error and writes nothing', async () => {
    process.env.HOME = elsewhere;
    delete process.env.SFMCP_TEMP_HOME;
    await expect(authorizeOrgs({ orgs: [org], targetOrg: 'ada' })).rejects.toThrow(
      `authorizeOrgs refuses to write sf auth files into ${elsewhere}: it is not a temporary HOME.`,
    );
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('accepts a HOME that SFMCP_TEMP_HOME names (what vitest.setup.ts and ensureTemporaryHome set)', async () => {
    process.env.HOME = elsewhere;
    process.env.SFMCP_TEMP_HOME = elsewhere;
    await authorizeOrgs({ orgs: [org] });
    expect(existsSync(join(elsewhere, '.sfdx', 'ada@example.com.json'))).toBe(true);
  });

  it("never accepts the user's own home folder, whatever HOME and SFMCP_TEMP_HOME say", () => {
    const own = userInfo().homedir;
    process.env.SFMCP_TEMP_HOME = own;
    expect(() => checkTemporaryHome(own)).toThrow(/it is your own home folder/);
  });
});

describe('authorizeOrgs in the temporary HOME', () => {
  it('takes `home` only as a check of the current HOME', async () => {
    await expect(authorizeOrgs({ orgs: [org], home: join(tmpdir(), 'somewhere-else') })).rejects.toThrow(
      /writes into the current HOME .*, not .*somewhere-else: set HOME to that folder first/,
    );
    await expect(authorizeOrgs({ orgs: [org], home: homedir() })).resolves.toBe(homedir());
  });

  it('keeps the other settings of ~/.sf/config.json when it sets target-org', async () => {
    mkdirSync(join(homedir(), '.sf'), { recursive: true });
    writeFileSync(join(homedir(), '.sf', 'config.json'), JSON.stringify({ 'org-max-query-limit': '5000' }));
    await authorizeOrgs({ orgs: [org], targetOrg: 'ada' });
    expect(JSON.parse(readFileSync(join(homedir(), '.sf', 'config.json'), 'utf8'))).toEqual({
      'org-max-query-limit': '5000',
      'target-org': 'ada',
    });
  });
});
