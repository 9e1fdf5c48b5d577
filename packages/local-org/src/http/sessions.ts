/**
 * The org's sessions: which access tokens it accepts, and the refresh token that mints new ones
 * (`POST /services/oauth2/token` with `grant_type=refresh_token`). A session can be expired mid-run
 * (a fault switch): from then on the tokens issued so far are refused with 401 INVALID_SESSION_ID,
 * as Salesforce refuses a session that timed out or was revoked, and only a refresh gets a working
 * token again.
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

export class SessionTokens {
  readonly #valid = new Set<string>();
  readonly #expired = new Set<string>();
  #refreshRevoked = false;

  constructor(
    /** The token the org started with (`org.accessToken`). */
    readonly accessToken: string,
    /** The refresh token the token endpoint accepts (`org.refreshToken`). */
    readonly refreshToken: string,
    private readonly orgId: string,
  ) {
    this.#valid.add(accessToken);
  }

  /** Whether `token` is a live session of this org. */
  accepts(token: string): boolean {
    let found = false;
    // Every live token is compared, so the time taken does not tell which one came close.
    for (const valid of this.#valid) if (sameToken(token, valid)) found = true;
    return found;
  }

  /** A new access token for a valid refresh token; undefined for any other. */
  refresh(refreshToken: string): string | undefined {
    if (this.#refreshRevoked || !sameToken(refreshToken, this.refreshToken)) return undefined;
    const token = newSessionToken(this.orgId);
    this.#valid.add(token);
    return token;
  }

  /** Every token issued so far is refused from now on; a refresh gets a new one unless it is revoked too. */
  expire(revokeRefreshToken = false): void {
    if (revokeRefreshToken) this.#refreshRevoked = true;
    for (const token of this.#valid) this.#expired.add(token);
    this.#valid.clear();
  }

  /** Undoes expire(): the tokens it expired are accepted again. */
  restore(): void {
    this.#refreshRevoked = false;
    for (const token of this.#expired) this.#valid.add(token);
    this.#expired.clear();
  }

  get expired(): boolean {
    return this.#expired.size > 0;
  }
}
