import type { AuthFields, AuthInfo } from '@salesforce/core';
import type { Core } from './core.js';

export interface MemoryCredentials {
  username: string;
  orgId: string;
  accessToken: string;
  instanceUrl: string;
}

/**
 * An AuthInfo that lives only in this process: for orgs the server owns (the local org), whose
 * credentials must never reach ~/.sfdx.
 *
 * `AuthInfo.create({ accessTokenOptions })` cannot be used for them, even with the org's identity
 * given: its `init()` reads the auth file through the StateAggregator, and the encrypted AuthInfoConfig
 * it creates for that initialises @salesforce/core's Crypto, which generates the encryption key on a
 * machine that has none and stores it (`~/.sfdx/key.json` or the OS keychain). Without the identity it
 * also calls `determineOrg` → `save()`, and a Connection caches its API version with `authInfo.save()`.
 * This class overrides every method that touches that state: nothing here is encrypted, read or saved.
 */
export function createMemoryAuthInfo(core: Core, credentials: MemoryCredentials): AuthInfo {
  class MemoryAuthInfo extends core.AuthInfo {
    #fields: AuthFields = {
      username: credentials.username,
      orgId: credentials.orgId,
      accessToken: credentials.accessToken,
      instanceUrl: credentials.instanceUrl,
      loginUrl: credentials.instanceUrl,
      isDevHub: false,
    };

    // The base init() reads the state directory and the keychain: not for this org.
    override async init(): Promise<void> {}

    override getUsername(): string {
      return credentials.username;
    }

    override getFields(): Readonly<AuthFields> {
      return { ...this.#fields };
    }

    override update(authData?: AuthFields): AuthInfo {
      if (authData) this.#fields = { ...this.#fields, ...authData, username: credentials.username };
      return this;
    }

    /** Updates the fields in memory: an org the server owns has no auth file, and gets none. */
    override async save(authData?: AuthFields): Promise<AuthInfo> {
      return this.update(authData);
    }

    override getConnectionOptions(): ReturnType<AuthInfo['getConnectionOptions']> {
      const { accessToken, instanceUrl, loginUrl } = this.#fields;
      return { accessToken, instanceUrl, loginUrl };
    }

    override isUsingAccessToken(): boolean {
      return false;
    }

    override isAccessTokenFlow(): boolean {
      return true;
    }

    override isJwt(): boolean {
      return false;
    }

    override isOauth(): boolean {
      return false;
    }

    override isRefreshTokenFlow(): boolean {
      return false;
    }

    override getSfdxAuthUrl(): string {
      throw new Error(`${credentials.username} is an org this server started: it has no sf authorization.`);
    }

    override async setAlias(): Promise<void> {
      throw new Error(
        `${credentials.username} is an org this server started: it cannot be given an sf alias.`,
      );
    }

    override async setAsDefault(): Promise<void> {
      throw new Error(
        `${credentials.username} is an org this server started: it cannot be the sf default org.`,
      );
    }

    override async handleAliasAndDefaultSettings(): Promise<void> {
      throw new Error(`${credentials.username} is an org this server started: it has no sf settings.`);
    }
  }
  return new MemoryAuthInfo();
}
