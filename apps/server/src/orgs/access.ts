import type { Connection } from '@salesforce/core';
import type { AllowedOrgSummary, OrgHandle } from '@sfmcp/plugin-api';
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
  readonly #handles = new Map<string, Promise<OrgHandle & { kindKnown: boolean }>>();

  constructor(
    readonly allowlist: Allowlist,
    private readonly log: Logger,
  ) {}

  /** The allowed orgs as their auth files describe them; with ALLOW_ALL_ORGS, every authenticated org. */
  async list(sessionDefault?: string): Promise<AllowedOrgSummary[]> {
    const explicit = this.allowlist.list();
    const defaultUsername = (
      sessionDefault ??
      this.allowlist.defaultUsername ??
      (explicit.length === 1 && !this.allowlist.allowAll ? explicit[0]?.username : undefined)
    )?.toLowerCase();
    const summaries = new Map<string, AllowedOrgSummary>();
    const needsAuthFiles = this.allowlist.allowAll || explicit.some((org) => !org.accessToken);
    const authorizations = needsAuthFiles
      ? await (await import('@salesforce/core')).AuthInfo.listAllAuthorizations()
      : [];
    const byUsername = new Map(authorizations.map((auth) => [auth.username.toLowerCase(), auth]));
    const add = (
      username: string,
      alias: string | undefined,
      grantedBy: string,
      fallback?: { instanceUrl?: string; orgId?: string },
    ) => {
      const auth = byUsername.get(username.toLowerCase());
      summaries.set(username.toLowerCase(), {
        username,
        ...((alias ?? auth?.aliases?.[0]) ? { alias: alias ?? auth?.aliases?.[0] ?? undefined } : {}),
        ...((auth?.instanceUrl ?? fallback?.instanceUrl)
          ? { instanceUrl: auth?.instanceUrl ?? fallback?.instanceUrl }
          : {}),
        ...((auth?.orgId ?? fallback?.orgId) ? { orgId: auth?.orgId ?? fallback?.orgId } : {}),
        isDefault: username.toLowerCase() === defaultUsername,
        grantedBy,
        ...(auth
          ? {
              isScratch: Boolean(auth.isScratchOrg),
              isSandbox: Boolean(auth.isSandbox),
              isDevHub: Boolean(auth.isDevHub),
            }
          : {}),
        ...(auth?.error ? { error: auth.error } : {}),
        ...(!auth && !fallback ? { error: 'not authenticated (no sf auth file)' } : {}),
      });
    };
    for (const org of explicit)
      add(
        org.username,
        org.alias,
        org.grantedBy,
        org.accessToken ? { instanceUrl: org.instanceUrl, orgId: org.orgId } : undefined,
      );
    if (this.allowlist.allowAll) {
      for (const auth of authorizations)
        if (!summaries.has(auth.username.toLowerCase())) add(auth.username, undefined, 'ALLOW_ALL_ORGS');
    }
    return [...summaries.values()];
  }

  open(usernameOrAlias?: string): Promise<OrgHandle> {
    const allowed = this.allowlist.resolve(usernameOrAlias);
    const key = allowed.username.toLowerCase();
    let handle = this.#handles.get(key);
    if (!handle) {
      handle = this.#connect(allowed);
      this.#handles.set(key, handle);
      // A failed connection is not cached: the next call tries again.
      handle.then(
        // An org whose kind could not be read is production for this call only: read it again next time.
        (opened) => (opened.kindKnown ? undefined : this.#handles.delete(key)),
        () => this.#handles.delete(key),
      );
    }
    return handle;
  }

  async #connect(allowed: AllowedOrg): Promise<OrgHandle & { kindKnown: boolean }> {
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
      kindKnown: organization !== undefined,
    };
  }
}
