import { createHash } from 'node:crypto';
import type { AuthInfo, Connection } from '@salesforce/core';
import type { AllowedOrgSummary, OrgHandle, OrgKind } from '@sfmcp/plugin-api';
import { ToolError } from '@sfmcp/plugin-api';
import type { Logger } from '../logger.js';
import type { AllowedOrg, Allowlist } from './allowlist.js';
import {
  DEFAULT_ORG_TIMEOUT_SECONDS,
  type OrgRequestObserver,
  currentCallSignal,
  runOutsideCall,
} from './call-scope.js';
import { keepCoreOffDisk, loadCore } from './core.js';
import { classifyOrg } from './kind.js';
import { DescribeCache } from './describes.js';
import { createMemoryAuthInfo } from './memory-auth.js';
import { authFileInstanceUrl, hasAuthFile, readAuthFiles } from './sf-state.js';
import {
  type OrgTarget,
  guardConnection,
  isOrgRequestError,
  untilAborted,
  withDeadline,
} from './transport.js';

interface OrganizationRecord {
  IsSandbox?: boolean;
  OrganizationType?: string;
  TrialExpirationDate?: string | null;
}

export interface OrgAccessOptions {
  /** How long one org HTTP request may take, in milliseconds (`--org-timeout`; default 120 s). */
  requestTimeoutMs?: number;
  /** Watch every request to every org (the org's API usage). */
  observers?: readonly OrgRequestObserver[];
}

/** How long a signed-in user's connection is kept (their token may be revoked; userinfo is asked again). */
const USER_CONNECTION_MS = 10 * 60_000;
const MAX_USER_CONNECTIONS = 500;

/** The API version a connection starts with when the org does not list its versions (@salesforce/core's fallback). */
const FALLBACK_API_VERSION = '50.0';

/** What every result prints as `Org: <label>`; the local org says it is a test double. */
export function orgLabel(org: { username: string; alias?: string; kind: OrgKind }): string {
  const name = org.alias ? `${org.alias} (${org.username})` : org.username;
  return org.kind === 'local' ? `${name} — sfmcp local org, a test double` : name;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? '';
}

/**
 * Opens connections to allowed orgs, once per org, with @salesforce/core loaded on first use
 * so that start-up never pays for it.
 *
 * Nothing here writes the user's sf state (~/.sf, ~/.sfdx): orgs the server owns get an in-memory
 * AuthInfo (memory-auth.ts), orgs from sf auth files are only read, every connection is given its API
 * version (so @salesforce/core never caches one with `authInfo.save()`), and core's log file is off.
 * Every request has a timeout and follows its tool call's cancellation (transport.ts, call-scope.ts).
 */
export class OrgAccess {
  readonly #handles = new Map<string, Promise<OrgHandle & { kindKnown: boolean }>>();
  /** Describes per org (by username), kept across handles until a call changes the org. */
  readonly #describes = new Map<string, DescribeCache>();

  #describesOf(username: string): DescribeCache {
    const key = username.toLowerCase();
    let cache = this.#describes.get(key);
    if (!cache) {
      cache = new DescribeCache();
      this.#describes.set(key, cache);
    }
    return cache;
  }

  /** Forgets an org's describes: called after any call that may have changed the org. */
  forgetDescribes(username: string): void {
    this.#describes.get(username.toLowerCase())?.forget();
  }
  readonly #timeoutMs: number;
  readonly #observers: readonly OrgRequestObserver[];

  constructor(
    readonly allowlist: Allowlist,
    private readonly log: Logger,
    options: OrgAccessOptions = {},
  ) {
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_ORG_TIMEOUT_SECONDS * 1000;
    this.#observers = options.observers ?? [];
    // Before any toolset loads @salesforce/core: its logger decides where to write once.
    keepCoreOffDisk();
  }

  /** How long one org request may take, in milliseconds. */
  get requestTimeoutMs(): number {
    return this.#timeoutMs;
  }

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
    // Read directly, not with AuthInfo.listAllAuthorizations(): its StateAggregator creates ~/.sfdx/alias.json.
    const authorizations = needsAuthFiles ? readAuthFiles(this.allowlist.home) : [];
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
              isScratch: auth.isScratch,
              isSandbox: auth.isSandbox,
              isDevHub: auth.isDevHub,
              ...(auth.expirationDate ? { expirationDate: auth.expirationDate.slice(0, 10) } : {}),
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
    const target: OrgTarget = {
      name: allowed.alias ?? allowed.username,
      username: allowed.username,
      observers: this.#observers,
      instanceUrl:
        allowed.instanceUrl ??
        authFileInstanceUrl(allowed.username, this.allowlist.home) ??
        '(its instance URL)',
      timeoutMs: this.#timeoutMs,
    };
    let handle = this.#handles.get(key);
    if (!handle) {
      // Shared by every call that asks for this org meanwhile: one caller's cancellation must not end it
      // for the others, so it runs outside the call, bounded by the timeout of its two requests.
      handle = runOutsideCall(() => withDeadline(this.#connect(allowed, target), target, 2));
      this.#handles.set(key, handle);
      // A failed connection is not cached: the next call tries again.
      handle.then(
        // An org whose kind could not be read is production for this call only: read it again next time.
        (opened) => (opened.kindKnown ? undefined : this.#handles.delete(key)),
        () => this.#handles.delete(key),
      );
    }
    return untilAborted(handle, currentCallSignal(), target);
  }

  /** Connections of OAuth users, by the digest of their token (a new token is a new connection). */
  readonly #userHandles = new Map<
    string,
    { handle: Promise<OrgHandle & { kindKnown: boolean }>; at: number }
  >();

  /**
   * A team server's org for one signed-in user: a connection with that user's own access token (in memory
   * only), so the org's field-level security and sharing apply to everything the call does.
   */
  openForUser(user: {
    username: string;
    orgId: string;
    instanceUrl: string;
    accessToken: string;
  }): Promise<OrgHandle> {
    const key = createHash('sha256').update(user.accessToken).digest('base64url');
    const now = Date.now();
    let entry = this.#userHandles.get(key);
    if (entry && now - entry.at > USER_CONNECTION_MS) {
      this.#userHandles.delete(key);
      entry = undefined;
    }
    const allowed: AllowedOrg = {
      username: user.username,
      grantedBy: 'OAuth login',
      accessToken: user.accessToken,
      instanceUrl: user.instanceUrl,
      orgId: user.orgId,
    };
    const target: OrgTarget = {
      name: user.username,
      username: user.username,
      observers: this.#observers,
      instanceUrl: user.instanceUrl,
      timeoutMs: this.#timeoutMs,
    };
    if (!entry) {
      const handle = runOutsideCall(() => withDeadline(this.#connect(allowed, target), target, 2));
      entry = { handle, at: now };
      this.#userHandles.set(key, entry);
      handle.then(
        (opened) => (opened.kindKnown ? undefined : this.#userHandles.delete(key)),
        () => this.#userHandles.delete(key),
      );
      // Bounded: the oldest connections go first.
      while (this.#userHandles.size > MAX_USER_CONNECTIONS)
        this.#userHandles.delete(this.#userHandles.keys().next().value!);
    }
    return untilAborted(entry.handle, currentCallSignal(), target);
  }

  async #connect(allowed: AllowedOrg, target: OrgTarget): Promise<OrgHandle & { kindKnown: boolean }> {
    if (!allowed.accessToken && !hasAuthFile(allowed.username, this.allowlist.home)) {
      // Asked before @salesforce/core is: its StateAggregator would create ~/.sfdx/alias.json on the way.
      throw new ToolError(
        `Could not connect to ${target.name}: No authorization information found for ${allowed.username}.`,
        'Authenticate the org with the sf CLI (sf org login web) and try again.',
        { kind: 'not-found', code: 'NOT_AUTHENTICATED' },
      );
    }
    const core = await loadCore();
    let connection: Connection;
    let authFields: ReturnType<AuthInfo['getFields']>;
    let configuredVersion: string | undefined;
    try {
      const authInfo =
        allowed.accessToken && allowed.instanceUrl && allowed.orgId
          ? createMemoryAuthInfo(core, {
              username: allowed.username,
              orgId: allowed.orgId,
              accessToken: allowed.accessToken,
              instanceUrl: allowed.instanceUrl,
            })
          : // Reads the auth file (and the encryption key); writes nothing.
            await core.AuthInfo.create({ username: allowed.username });
      authFields = authInfo.getFields();
      if (authFields.instanceUrl) target.instanceUrl = authFields.instanceUrl;
      const configAggregator = await core.ConfigAggregator.create();
      configuredVersion = stringValue(configAggregator.getPropertyValue('org-api-version'));
      // An explicit version: Connection.create skips useLatestApiVersion, whose retrieveMaxApiVersion saves the auth file.
      connection = await core.Connection.create({
        authInfo,
        configAggregator,
        connectionOptions: {
          version: configuredVersion ?? authFields.instanceApiVersion ?? FALLBACK_API_VERSION,
        },
      });
    } catch (error) {
      throw new ToolError(
        `Could not connect to ${target.name}: ${firstLine((error as Error).message)}`,
        'Check that the org is authenticated (sf org list) and its session has not expired (sf org login web).',
      );
    }
    guardConnection(connection, target);
    const instanceUrl = connection.instanceUrl;
    const reachable = await this.#settleApiVersion(connection, configuredVersion, target);
    let organization: OrganizationRecord | undefined;
    if (reachable) {
      try {
        const result = await connection.query<OrganizationRecord & { Id: string }>(
          'SELECT Id, IsSandbox, OrganizationType, TrialExpirationDate FROM Organization LIMIT 1',
        );
        organization = result.records[0];
      } catch (error) {
        if (isOrgRequestError(error) && error.code === 'ORG_TIMEOUT') throw error;
        this.log.warn(
          `could not read the Organization of ${allowed.username}; treating it as production: ${firstLine((error as Error).message)}`,
        );
      }
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
    const label = orgLabel({ username, alias: allowed.alias, kind });
    this.log.debug(`connected to ${label}: ${kind}, API v${connection.getApiVersion()}`);
    const describes = this.#describesOf(username);
    return {
      connection,
      username,
      alias: allowed.alias,
      orgId: authFields.orgId ?? connection.getAuthInfoFields().orgId ?? '',
      instanceUrl,
      kind,
      label,
      kindKnown: organization !== undefined,
      describe: (objectName, options) => describes.describe(connection, objectName, options?.tooling, label),
      describeGlobal: (options) => describes.describeGlobal(connection, options?.tooling, label),
    };
  }

  /**
   * Reads the org's newest API version once, and answers every later `retrieveMaxApiVersion` (which
   * source-deploy-retrieve and apex-node call) with it: @salesforce/core's own would cache it in the
   * auth file with `authInfo.save()`. False when the org cannot be reached (a timeout is thrown: an org
   * that does not answer is not asked again).
   */
  async #settleApiVersion(
    connection: Connection,
    configuredVersion: string | undefined,
    target: OrgTarget,
  ): Promise<boolean> {
    let newest: string | undefined;
    let reachable = true;
    try {
      const versions = await connection.request<Array<{ version?: unknown }>>(
        `${connection.instanceUrl}/services/data`,
      );
      if (Array.isArray(versions)) {
        newest = versions
          .map((entry) => stringValue(entry?.version))
          .filter((version): version is string => version !== undefined && /^\d+\.0$/.test(version))
          .sort((a, b) => Number(a) - Number(b))
          .pop();
      }
    } catch (error) {
      if (isOrgRequestError(error) && error.code === 'ORG_TIMEOUT') throw error;
      if (isOrgRequestError(error)) reachable = false;
      this.log.debug(
        `could not read the API versions of ${target.name}: ${firstLine((error as Error).message)}`,
      );
    }
    if (newest && !configuredVersion) connection.setApiVersion(newest);
    const maxApiVersion = newest ?? connection.getApiVersion();
    // An own property, so no caller reaches the prototype's (saving) implementation.
    Object.defineProperty(connection, 'retrieveMaxApiVersion', {
      value: async () => maxApiVersion,
      configurable: true,
      writable: true,
    });
    return reachable;
  }
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
