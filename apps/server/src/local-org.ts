import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as LocalOrgPackage from '@sfmcp/local-org';
import { UsageError } from './cli.js';
import type { Logger } from './logger.js';
import type { Allowlist } from './orgs/allowlist.js';

/** What --local-org says, in one line, when the package is not installed. */
export const LOCAL_ORG_MISSING =
  '--local-org needs the @sfmcp/local-org package: npm install @sfmcp/local-org (the sfmcp package includes it)';

/**
 * @sfmcp/local-org is not a dependency of the server (every install would carry a test double): the sfmcp
 * package brings it. So it is looked for beside the server first, then from each root (the sfmcp package that
 * started the server, the project), the way a package installed there would be found.
 */
async function importLocalOrg(roots: readonly string[]): Promise<typeof LocalOrgPackage> {
  for (const from of [import.meta.filename, ...roots.map((root) => join(root, 'package.json'))]) {
    let entry: string;
    try {
      entry = createRequire(from).resolve('@sfmcp/local-org');
    } catch {
      continue;
    }
    return (await import(pathToFileURL(entry).href)) as typeof LocalOrgPackage;
  }
  throw new UsageError(LOCAL_ORG_MISSING);
}

/**
 * --local-org: a Salesforce test double in this process, seeded with demo data and allowed as alias
 * "local". Its credentials stay in this process's memory: nothing is written to ~/.sf or ~/.sfdx.
 * `roots` are where else to look for the package (see importLocalOrg).
 */
export async function startLocalOrgForServer(
  allowlist: Allowlist,
  { log }: { log: Logger },
  roots: readonly string[] = [],
): Promise<() => Promise<void>> {
  const { startLocalOrg, demoSeed } = await importLocalOrg(roots);
  const org = await startLocalOrg({ seed: demoSeed() });
  allowlist.addServerOwned({
    username: org.username,
    alias: 'local',
    accessToken: org.accessToken,
    instanceUrl: org.instanceUrl,
    orgId: org.orgId,
  });
  log.info(
    `local org (a Salesforce test double, not Salesforce) at ${org.instanceUrl}, allowed as "local" (${org.username})`,
  );
  return () => org.stop();
}
