import type { Connection } from '@salesforce/core';
import type { OrgHandle } from '@sfmcp/plugin-api';
import { ToolError } from '@sfmcp/plugin-api';
import type { Logger } from '../logger.js';
import type { AllowedOrg, Allowlist } from './allowlist.js';
import { classifyOrg } from './kind.js';

interface OrganizationRecord {
  IsSandbox?: boolean;
  OrganizationType?: string;
  TrialExpirationDate?: string | null;
}

/**
 * Opens connections to allowed orgs, once per org, with @salesforce/core loaded on first use
 * so that start-up never pays for it.
 */
export class OrgAccess {
  readonly #handles = new Map<string, Promise<OrgHandle>>();

  constructor(
    readonly allowlist: Allowlist,
    private readonly log: Logger,
  ) {}

  open(usernameOrAlias?: string): Promise<OrgHandle> {
    const allowed = this.allowlist.resolve(usernameOrAlias);
    const key = allowed.username.toLowerCase();
    let handle = this.#handles.get(key);
    if (!handle) {
      handle = this.#connect(allowed);
      this.#handles.set(key, handle);
      // A failed connection is not cached: the next call tries again.
      handle.catch(() => this.#handles.delete(key));
    }
    return handle;
  }

  async #connect(allowed: AllowedOrg): Promise<OrgHandle> {
    const { AuthInfo, Connection } = await import('@salesforce/core');
    let connection: Connection;
    let authFields: { isScratch?: boolean; isSandbox?: boolean; orgId?: string };
    try {
      const authInfo = allowed.accessToken
        ? await AuthInfo.create({
            accessTokenOptions: {
              accessToken: allowed.accessToken,
              instanceUrl: allowed.instanceUrl,
              loginUrl: allowed.instanceUrl,
            },
          })
        : await AuthInfo.create({ username: allowed.username });
      connection = await Connection.create({ authInfo });
      authFields = authInfo.getFields();
    } catch (error) {
      throw new ToolError(
        `Could not connect to ${allowed.alias ?? allowed.username}: ${(error as Error).message}`,
        'Check that the org is authenticated (sf org list) and its session has not expired (sf org login web).',
      );
    }
    const instanceUrl = connection.instanceUrl;
    let organization: OrganizationRecord | undefined;
    try {
      const result = await connection.query<OrganizationRecord & { Id: string }>(
        'SELECT Id, IsSandbox, OrganizationType, TrialExpirationDate FROM Organization LIMIT 1',
      );
      organization = result.records[0];
    } catch (error) {
      this.log.warn(
        `could not read the Organization of ${allowed.username}; treating it as production`,
        error,
      );
    }
    const kind = classifyOrg({
      isSandbox: organization?.IsSandbox,
      organizationType: organization?.OrganizationType,
      trialExpirationDate: organization?.TrialExpirationDate,
      authIsScratch: authFields.isScratch,
      authIsSandbox: authFields.isSandbox,
      instanceUrl,
    });
    const username = connection.getUsername() ?? allowed.username;
    const label = allowed.alias ? `${allowed.alias} (${username})` : username;
    this.log.debug(`connected to ${label}: ${kind}`);
    return {
      connection,
      username,
      alias: allowed.alias,
      orgId: authFields.orgId ?? connection.getAuthInfoFields().orgId ?? '',
      instanceUrl,
      kind,
      label,
    };
  }
}
