import type { Allowlist } from './orgs/allowlist.js';
import type { Logger } from './logger.js';

/**
 * --local-org: a Salesforce test double in this process, seeded with demo data and allowed as alias
 * "local". Its credentials stay in this process's memory: nothing is written to ~/.sf or ~/.sfdx.
 */
export async function startLocalOrgForServer(
  allowlist: Allowlist,
  { log }: { log: Logger },
): Promise<() => Promise<void>> {
  const { startLocalOrg, demoSeed } = await import('@sfmcp/local-org');
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
