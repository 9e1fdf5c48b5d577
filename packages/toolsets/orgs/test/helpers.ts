import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalOrg, type LocalOrgSeed, startLocalOrg } from '@sfmcp/local-org';
import { authorizeOrgs, ensureTemporaryHome } from '@sfmcp/testkit';

/** An org seeded with its own admin username, so its auth file does not replace another local org's. */
export async function startNamedOrg(username: string, seed: LocalOrgSeed = {}): Promise<LocalOrg> {
  return startLocalOrg({
    seed: { ...seed, users: [{ '@ref': 'admin', FirstName: 'Ada', LastName: 'Admin', Username: username }] },
  });
}

/** Writes a real sf auth file for an org (in the temporary HOME) under the given alias. */
export async function authorize(
  org: Pick<LocalOrg, 'username' | 'instanceUrl' | 'accessToken' | 'orgId'>,
  alias: string,
  extra: { isScratch?: boolean; isSandbox?: boolean } = {},
): Promise<void> {
  ensureTemporaryHome();
  await authorizeOrgs({ orgs: [{ ...org, alias, ...extra }] });
}

export function temporaryDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
