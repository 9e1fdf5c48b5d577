import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { LocalOrg, LocalOrgSeed } from '@sfmcp/local-org';
import type { Plugin } from '@sfmcp/plugin-api';
import { type TestServer, createTestServer } from './in-memory.js';
import { authorizeOrgs } from './sf-home.js';

/** Moves this process to a temporary HOME once, so no test reads or writes the user's own sf state. */
export function ensureTemporaryHome(): string {
  if (process.env.SFMCP_TEMP_HOME && process.env.SFMCP_TEMP_HOME === process.env.HOME)
    return process.env.HOME;
  const home = mkdtempSync(join(tmpdir(), 'sfmcp-home-'));
  process.env.HOME = home;
  process.env.SFMCP_TEMP_HOME = home;
  process.env.SF_DISABLE_LOG_FILE = 'true';
  return home;
}

export interface LocalOrgTestOptions {
  plugins: Plugin[];
  /** The org's seed (default: an org with only its organization, profiles and admin). */
  seed?: LocalOrgSeed;
  /** Extra server flags; `--orgs <alias>` is added. */
  args?: string[];
  /** The alias the org gets in the temporary HOME (default `local-test`). */
  alias?: string;
  onElicit?: (message: string) => ElicitResult | Promise<ElicitResult>;
}

export interface LocalOrgTestServer extends TestServer {
  org: LocalOrg;
  alias: string;
}

/**
 * One call: a local org, a temporary HOME with real sf auth files for it, and a server with the
 * given plugins allowed to use that org (and only it).
 */
export async function createLocalOrgTestServer(options: LocalOrgTestOptions): Promise<LocalOrgTestServer> {
  ensureTemporaryHome();
  const alias = options.alias ?? 'local-test';
  const { startLocalOrg } = await import('@sfmcp/local-org');
  const org = await startLocalOrg(options.seed ? { seed: options.seed } : {});
  try {
    await authorizeOrgs({
      orgs: [
        {
          username: org.username,
          alias,
          instanceUrl: org.instanceUrl,
          accessToken: org.accessToken,
          orgId: org.orgId,
        },
      ],
    });
    const server = await createTestServer({
      plugins: options.plugins,
      args: ['--orgs', alias, ...(options.args ?? [])],
      ...(options.onElicit ? { onElicit: options.onElicit } : {}),
    });
    return {
      ...server,
      org,
      alias,
      close: async () => {
        await server.close();
        await org.stop();
      },
    };
  } catch (error) {
    await org.stop();
    throw error;
  }
}
