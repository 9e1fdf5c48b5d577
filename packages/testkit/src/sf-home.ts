import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface TestOrgAuth {
  username: string;
  alias?: string;
  instanceUrl: string;
  accessToken: string;
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
}

/**
 * Writes real sf auth files with @salesforce/core itself into the current HOME (tests run in a temporary
 * HOME: see vitest.setup.ts), so servers started with that HOME find the orgs as the sf CLI would.
 */
export async function authorizeOrgs(options: SfHomeOptions): Promise<string> {
  const home = homedir();
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
    await authInfo.save({ isSandbox: org.isSandbox ?? false, isScratch: org.isScratch ?? false });
    if (org.alias) await authInfo.setAlias(org.alias);
  }
  const globalConfig: Record<string, string> = {};
  if (options.targetOrg) globalConfig['target-org'] = options.targetOrg;
  if (options.targetDevHub) globalConfig['target-dev-hub'] = options.targetDevHub;
  if (Object.keys(globalConfig).length) {
    await mkdir(join(home, '.sf'), { recursive: true });
    await writeFile(join(home, '.sf', 'config.json'), JSON.stringify(globalConfig, null, 2));
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
