/**
 * The org's sessions: which access tokens it accepts and whose each one is, and the refresh tokens that
 * mint new ones (`POST /services/oauth2/token` with `grant_type=refresh_token`). The org starts with one
 * session of its current user; each login through the authorization server (oauth.ts) adds a session of
 * the user who logged in. A session can be expired mid-run (a fault switch): from then on the tokens issued
 * so far are refused with 401 INVALID_SESSION_ID, as Salesforce refuses a session that timed out or was
 * revoked, and only a refresh gets a working token again.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function sameToken(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A token shaped like a real session id, which `sf org login access-token` checks (`00D...!` then
 * word characters and dots): the org id, `!`, then an opaque part.
 */
export function newSessionToken(orgId: string): string {
  return `${orgId.slice(0, 15)}!${randomBytes(48).toString('base64url').replaceAll('-', '.')}`;
}

/** A refresh token, opaque as Salesforce's are (`5Aep861...`). */
export function newRefreshToken(): string {
  return `5Aep861${randomBytes(40).toString('base64url').replaceAll('-', '.').replaceAll('_', '.')}`;
}

/** Whose a refresh token is, and which client it was issued to (undefined: the org's own). */
interface RefreshGrant {
  userId: string;
  clientId?: string;
  revoked: boolean;
}

export class SessionTokens {
  /** Live access tokens → the user each belongs to. */
  readonly #valid = new Map<string, string>();
  readonly #expired = new Map<string, string>();
  /** Access tokens → the refresh token that minted them (revoking a refresh token ends them too). */
  readonly #mintedBy = new Map<string, string>();
  readonly #refresh = new Map<string, RefreshGrant>();
  /** Set by expire(true) until restore(): no refresh token mints anything. */
  #refreshSuspended = false;

  constructor(
    /** The token the org started with (`org.accessToken`). */
    readonly accessToken: string,
    /** The refresh token the token endpoint accepts for the org's current user (`org.oauth.refreshToken`). */
    readonly refreshToken: string,
    private readonly orgId: string,
    /** The org's current user: the starting token's. */
    userId: string,
  ) {
    this.#valid.set(accessToken, userId);
    this.#refresh.set(refreshToken, { userId, revoked: false });
  }

  /** Whether `token` is a live session of this org. */
  accepts(token: string): boolean {
    return this.userOf(token) !== undefined;
  }

  /** The user a live session belongs to; undefined for any other token. */
  userOf(token: string): string | undefined {
    let found: string | undefined;
    // Every live token is compared, so the time taken does not tell which one came close.
    for (const [valid, userId] of this.#valid) if (sameToken(token, valid)) found = userId;
    return found;
  }

  /** A new session for `userId` (a login): its access token and a refresh token bound to `clientId`. */
  issue(userId: string, clientId: string): { accessToken: string; refreshToken: string } {
    const refreshToken = newRefreshToken();
    this.#refresh.set(refreshToken, { userId, clientId, revoked: false });
    const accessToken = newSessionToken(this.orgId);
    this.#valid.set(accessToken, userId);
    this.#mintedBy.set(accessToken, refreshToken);
    return { accessToken, refreshToken };
  }

  /**
   * A new access token for a valid refresh token (and, for one issued to a client, that client's id when
   * one is given); undefined for any other.
   */
  refresh(
    refreshToken: string,
    clientId?: string | null,
  ): { accessToken: string; userId: string } | undefined {
    const grant = this.#grantOf(refreshToken);
    if (!grant || grant.revoked || this.#refreshSuspended) return undefined;
    if (grant.clientId && clientId && clientId !== grant.clientId) return undefined;
    const accessToken = newSessionToken(this.orgId);
    this.#valid.set(accessToken, grant.userId);
    const stored = [...this.#refresh.keys()].find((known) => sameToken(refreshToken, known));
    if (stored) this.#mintedBy.set(accessToken, stored);
    return { accessToken, userId: grant.userId };
  }

  /**
   * Revokes an access token, or a refresh token with every access token it minted
   * (`/services/oauth2/revoke`). False when the token is no session of this org.
   */
  revoke(token: string): boolean {
    for (const [valid] of this.#valid)
      if (sameToken(token, valid)) {
        this.#valid.delete(valid);
        this.#mintedBy.delete(valid);
        return true;
      }
    for (const [known, grant] of this.#refresh)
      if (sameToken(token, known)) {
        grant.revoked = true;
        for (const [access, minter] of this.#mintedBy)
          if (minter === known) {
            this.#valid.delete(access);
            this.#mintedBy.delete(access);
          }
        return true;
      }
    return false;
  }

  /** Every token issued so far is refused from now on; a refresh gets a new one unless it is revoked too. */
  expire(revokeRefreshToken = false): void {
    if (revokeRefreshToken) this.#refreshSuspended = true;
    for (const [token, userId] of this.#valid) this.#expired.set(token, userId);
    this.#valid.clear();
  }

  /** Undoes expire(): the tokens it expired are accepted again. */
  restore(): void {
    this.#refreshSuspended = false;
    for (const [token, userId] of this.#expired) this.#valid.set(token, userId);
    this.#expired.clear();
  }

  get expired(): boolean {
    return this.#expired.size > 0;
  }

  #grantOf(refreshToken: string): RefreshGrant | undefined {
    let found: RefreshGrant | undefined;
    for (const [known, grant] of this.#refresh) if (sameToken(refreshToken, known)) found = grant;
    return found;
  }
}
