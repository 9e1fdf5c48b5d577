import { ToolError } from '@sfmcp/plugin-api';
import { type SfStateSnapshot, aliasOf, hasAuthFile, toUsername } from './sf-state.js';

export interface AllowedOrg {
  username: string;
  alias?: string;
  /** Which --orgs value let it in. */
  grantedBy: string;
  /** In-memory credentials, for orgs that have no sf auth file (the local org). */
  accessToken?: string;
  instanceUrl?: string;
  orgId?: string;
}

/**
 * The orgs this server may touch, resolved once from --orgs at start and never widened:
 * nothing a tool receives can add to it.
 */
export class Allowlist {
  readonly #orgs = new Map<string, AllowedOrg>();
  readonly #allowAll: boolean;
  readonly #state: SfStateSnapshot;
  readonly #home?: string;
  readonly warnings: string[] = [];
  #defaultUsername?: string;

  constructor(values: readonly string[], state: SfStateSnapshot, home?: string) {
    this.#state = state;
    this.#home = home;
    this.#allowAll = values.includes('ALLOW_ALL_ORGS');
    for (const value of values) {
      if (value === 'ALLOW_ALL_ORGS') continue;
      if (value === 'DEFAULT_TARGET_ORG' || value === 'DEFAULT_TARGET_DEV_HUB') {
        const configured = value === 'DEFAULT_TARGET_ORG' ? state.targetOrg : state.targetDevHub;
        if (!configured) {
          this.warnings.push(
            `${value}: no ${value === 'DEFAULT_TARGET_ORG' ? 'target-org' : 'target-dev-hub'} is set for this project or globally`,
          );
          continue;
        }
        this.#add(toUsername(state, configured), value);
        continue;
      }
      this.#add(toUsername(state, value), value);
    }
    if (state.targetOrg) {
      const target = toUsername(state, state.targetOrg);
      if (this.#allowAll || this.#find(target)) this.#defaultUsername = target;
    }
  }

  #add(username: string, grantedBy: string): void {
    const key = username.toLowerCase();
    if (this.#orgs.has(key)) return;
    this.#orgs.set(key, { username, alias: aliasOf(this.#state, username), grantedBy });
  }

  #find(username: string): AllowedOrg | undefined {
    return this.#orgs.get(username.toLowerCase());
  }

  /** Adds an org the server itself started (the local org), with in-memory credentials. */
  addServerOwned(
    org: Required<Pick<AllowedOrg, 'username' | 'accessToken' | 'instanceUrl' | 'orgId'>> & { alias: string },
  ): void {
    this.#orgs.set(org.username.toLowerCase(), { ...org, grantedBy: '--local-org' });
  }

  /** The HOME whose sf state the allowlist was read from (undefined: the process's). */
  get home(): string | undefined {
    return this.#home;
  }

  get allowAll(): boolean {
    return this.#allowAll;
  }

  get isEmpty(): boolean {
    return !this.#allowAll && this.#orgs.size === 0;
  }

  /** The explicitly allowed orgs (with ALLOW_ALL_ORGS, every authenticated org is allowed too). */
  list(): AllowedOrg[] {
    return [...this.#orgs.values()];
  }

  get defaultUsername(): string | undefined {
    return this.#defaultUsername;
  }

  /** Which org a call means: the one named, else the single obvious choice. Throws ToolError when not allowed. */
  resolve(usernameOrAlias?: string): AllowedOrg {
    if (this.isEmpty) {
      throw new ToolError(
        'This server has no org access.',
        'Start it with --orgs (DEFAULT_TARGET_ORG, usernames or aliases) or --local-org.',
      );
    }
    if (!usernameOrAlias) {
      const only = this.#orgs.size === 1 && !this.#allowAll ? [...this.#orgs.values()][0] : undefined;
      const chosen = only ?? (this.#defaultUsername ? this.resolve(this.#defaultUsername) : undefined);
      if (chosen) return chosen;
      throw new ToolError(
        `Several orgs are allowed and none is the default: ${this.describe()}.`,
        'Pass usernameOrAlias to say which org to use.',
      );
    }
    const serverOwned = [...this.#orgs.values()].find(
      (org) => org.accessToken && org.alias === usernameOrAlias,
    );
    if (serverOwned) return serverOwned;
    const username = toUsername(this.#state, usernameOrAlias);
    const allowed = this.#find(username);
    if (allowed) return allowed;
    if (this.#allowAll && hasAuthFile(username, this.#home)) {
      return { username, alias: aliasOf(this.#state, username), grantedBy: 'ALLOW_ALL_ORGS' };
    }
    throw new ToolError(
      `The org ${JSON.stringify(usernameOrAlias)} is not allowed for this server${this.#allowAll ? ' (it is not authenticated)' : ''}. Allowed: ${this.describe()}.`,
      'The allowlist is fixed when the server starts (--orgs); ask the user to restart it with that org if it should be used.',
    );
  }

  describe(): string {
    const names = [...this.#orgs.values()].map((org) =>
      org.alias ? `${org.alias} (${org.username})` : org.username,
    );
    if (this.#allowAll) names.push('any authenticated org (ALLOW_ALL_ORGS)');
    return names.length ? names.join(', ') : 'none';
  }
}
