import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join, relative, resolve, isAbsolute } from 'node:path';

export interface TestOrgAuth {
  username: string;
  alias?: string;
  instanceUrl: string;
  accessToken: string;
  /**
   * A refresh token, saved as `sf org login web` saves one (with the sf CLI's connected app,
   * PlatformCLI): @salesforce/core then refreshes an expired session at `<loginUrl>/services/oauth2/token`.
   * Without one the org is an access-token login, which cannot be refreshed.
   */
  refreshToken?: string;
  orgId?: string;
  loginUrl?: string;
  isSandbox?: boolean;
  isScratch?: boolean;
}

export interface SfHomeOptions {
  orgs: TestOrgAuth[];
  /** Global target-org (username or alias). */
  targetOrg?: string;
  targetDevHub?: string;
  /** Also write a project-level target-org into this DX project folder. */
  project?: { dir: string; targetOrg: string };
  /** The HOME to write into; must be the current (temporary) HOME. Checked, not switched to. */
  home?: string;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isInside(dir: string, parent: string): boolean {
  const rel = relative(parent, dir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The user's own home folder, from the system's user database (not from HOME). */
function accountHome(): string | undefined {
  try {
    return userInfo().homedir || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The HOME authorizeOrgs may write into, or a clear error: it must be a temporary folder it can
 * recognise (the one vitest.setup.ts or ensureTemporaryHome() made: SFMCP_TEMP_HOME equals HOME, or a
 * folder under the system's temporary folder), and never the user's own home. It replaces logins and
 * config there; in a real HOME that would log the user out of their orgs.
 */
export function checkTemporaryHome(home: string = homedir()): string {
  const resolved = real(home);
  const account = accountHome();
  if (account && real(account) === resolved) {
    throw new Error(
      `authorizeOrgs refuses to write sf auth files into ${home}: it is your own home folder. Run it with HOME set to a temporary folder (the monorepo's vitest setup does; or call ensureTemporaryHome() first).`,
    );
  }
  const marked = process.env.SFMCP_TEMP_HOME !== undefined && real(process.env.SFMCP_TEMP_HOME) === resolved;
  if (!marked && !isInside(resolved, real(tmpdir()))) {
    throw new Error(
      `authorizeOrgs refuses to write sf auth files into ${home}: it is not a temporary HOME. Run it with HOME set to a folder under ${tmpdir()} (call ensureTemporaryHome() first), or set SFMCP_TEMP_HOME to the same folder as HOME.`,
    );
  }
  return home;
}

/**
 * Writes real sf auth files with @salesforce/core itself into the current HOME, so servers started with
 * that HOME find the orgs as the sf CLI would. It refuses any HOME that is not a recognisably temporary
 * folder (see checkTemporaryHome): tests run in a temporary HOME (vitest.setup.ts, ensureTemporaryHome()).
 * `home`, when given, must be the current HOME (@salesforce/core writes under os.homedir()).
 */
export async function authorizeOrgs(options: SfHomeOptions): Promise<string> {
  const home = homedir();
  if (options.home !== undefined && real(options.home) !== real(home)) {
    throw new Error(
      `authorizeOrgs writes into the current HOME (${home}), not ${options.home}: set HOME to that folder first.`,
    );
  }
  checkTemporaryHome(home);
  const { AuthInfo, AuthRemover, StateAggregator } = await import('@salesforce/core');
  for (const org of options.orgs) {
    // A test may authorize a fresh org under a username it used before: replace the old credentials.
    if (existsSync(join(home, '.sfdx', `${org.username}.json`))) {
      await (await AuthRemover.create()).removeAuth(org.username);
      StateAggregator.clearInstance();
    }
    const authInfo = await AuthInfo.create({
      username: org.username,
      accessTokenOptions: {
        accessToken: org.accessToken,
        instanceUrl: org.instanceUrl,
        loginUrl: org.loginUrl ?? org.instanceUrl,
        username: org.username,
        orgId: org.orgId ?? '00D000000000000AAA',
        isDevHub: false,
        namespacePrefix: null,
      } as never,
    });
    // Given as auth fields, not as options: options with a refresh token would exchange it right away.
    if (org.refreshToken) authInfo.update({ refreshToken: org.refreshToken, clientId: 'PlatformCLI' });
    await authInfo.save({ isSandbox: org.isSandbox ?? false, isScratch: org.isScratch ?? false });
    if (org.alias) await authInfo.setAlias(org.alias);
  }
  const globalConfig: Record<string, string> = {};
  if (options.targetOrg) globalConfig['target-org'] = options.targetOrg;
  if (options.targetDevHub) globalConfig['target-dev-hub'] = options.targetDevHub;
  if (Object.keys(globalConfig).length) {
    // Merged into what is there: the other settings of the (temporary) HOME stay.
    const file = join(home, '.sf', 'config.json');
    let existing: Record<string, unknown> = {};
    try {
      existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      existing = {};
    }
    await mkdir(join(home, '.sf'), { recursive: true });
    await writeFile(file, JSON.stringify({ ...existing, ...globalConfig }, null, 2));
  }
  if (options.project) {
    await mkdir(join(options.project.dir, '.sf'), { recursive: true });
    await writeFile(
      join(options.project.dir, '.sf', 'config.json'),
      JSON.stringify({ 'target-org': options.project.targetOrg }),
    );
  }
  return home;
}

/** A minimal DX project folder (sfdx-project.json with one package directory). */
export async function makeDxProject(dir: string, packageDir = 'force-app'): Promise<string> {
  await mkdir(join(dir, packageDir, 'main', 'default'), { recursive: true });
  await writeFile(
    join(dir, 'sfdx-project.json'),
    JSON.stringify(
      {
        packageDirectories: [{ path: packageDir, default: true }],
        sourceApiVersion: '62.0',
        name: 'test-project',
      },
      null,
      2,
    ),
  );
  return dir;
}
