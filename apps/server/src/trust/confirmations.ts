import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MemoryOneTimeStore, type OneTimeStore } from './one-time-store.js';
import type { ServerSecret } from './secret.js';

/** What a confirmation token is bound to: all of it must match when it is redeemed. */
export interface ConfirmationBinding {
  /** Digest of the tool and its exact arguments (digestArguments). */
  digest: string;
  /** The orgs the call resolved before it asked (usernames). */
  orgs: readonly string[];
  /**
   * The session binding that saw the preview: the MCP session id when the server keeps sessions; in stateless
   * HTTP the authenticated principal (see SessionState.binding).
   */
  session: string;
}

export type RedeemOutcome = 'ok' | 'unknown' | 'arguments' | 'orgs' | 'session';

/** How long a preview's token may wait for the user. */
export const CONFIRMATION_TTL_MS = 10 * 60_000;

// The token: base64url of 48 bytes, 64 characters, within the confirmationToken argument's bound:
//   version (1) · expiry, seconds since the epoch (4) · nonce (9) · tags of the session, the arguments'
//   digest and the orgs (6 each) · HMAC of all that (16).
// The tags are keyed hashes, so what a token is bound to cannot be read from it or matched offline; any
// attempt to redeem a token spends its nonce, so each token allows one guess.
const VERSION = 1;
const HEADER = 14;
const TAG = 6;
const SEALED = HEADER + 3 * TAG;
const MAC = 16;
const TOKEN_BYTES = SEALED + MAC;
const TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 4) / 3);
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+$/;

function canonicalOrgs(orgs: readonly string[]): string {
  return [...new Set(orgs.map((org) => org.toLowerCase()))].sort().join('\n');
}

export interface ConfirmationTokenOptions {
  ttlMs?: number;
  now?: () => number;
  /** Where spent tokens are recorded (default: this process's memory). */
  store?: OneTimeStore;
}

/**
 * One-time confirmation tokens for clients without elicitation: bound to the tool, its exact arguments, the
 * orgs it resolved and the session binding; they expire, and any attempt to redeem one spends it. A token is
 * sealed with the server secret (HMAC, like cursors), so it verifies on any instance with the same
 * SFMCP_SECRET; that it is used once is up to the one-time store the instances share.
 */
export class ConfirmationTokens {
  readonly #key: Buffer;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly store: OneTimeStore;

  constructor(secret: ServerSecret, options: ConfirmationTokenOptions = {}) {
    this.#key = secret.key('confirmation');
    this.#ttlMs = options.ttlMs ?? CONFIRMATION_TTL_MS;
    this.#now = options.now ?? Date.now;
    this.store = options.store ?? new MemoryOneTimeStore({ now: this.#now });
  }

  #hmac(label: string, data: string | Buffer, length: number): Buffer {
    return createHmac('sha256', this.#key).update(`${label}\n`).update(data).digest().subarray(0, length);
  }

  #tags(binding: ConfirmationBinding): Buffer {
    return Buffer.concat([
      this.#hmac('session', binding.session, TAG),
      this.#hmac('arguments', binding.digest, TAG),
      this.#hmac('orgs', canonicalOrgs(binding.orgs), TAG),
    ]);
  }

  issue(binding: ConfirmationBinding): { token: string; expiresAt: Date } {
    const expiry = Math.ceil((this.#now() + this.#ttlMs) / 1000);
    const header = Buffer.alloc(HEADER);
    header.writeUInt8(VERSION, 0);
    header.writeUInt32BE(expiry, 1);
    randomBytes(HEADER - 5).copy(header, 5);
    const sealed = Buffer.concat([header, this.#tags(binding)]);
    const token = Buffer.concat([sealed, this.#hmac('seal', sealed, MAC)]).toString('base64url');
    return { token, expiresAt: new Date(expiry * 1000) };
  }

  /**
   * Spends the token and says whether it was issued for exactly this binding. An altered token, one sealed
   * with another secret, an expired or an already spent one is 'unknown'.
   */
  async redeem(token: string, binding: ConfirmationBinding): Promise<RedeemOutcome> {
    if (typeof token !== 'string' || token.length !== TOKEN_LENGTH || !TOKEN_SHAPE.test(token))
      return 'unknown';
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length !== TOKEN_BYTES || bytes.readUInt8(0) !== VERSION) return 'unknown';
    const sealed = bytes.subarray(0, SEALED);
    if (!timingSafeEqual(bytes.subarray(SEALED), this.#hmac('seal', sealed, MAC))) return 'unknown';
    const expiresAt = bytes.readUInt32BE(1) * 1000;
    if (expiresAt < this.#now()) return 'unknown';
    const nonce = sealed.subarray(5, HEADER).toString('base64url');
    if (!(await this.store.spend(nonce, expiresAt))) return 'unknown';
    const tags = this.#tags(binding);
    const part = (index: number) => HEADER + index * TAG;
    const same = (index: number) =>
      timingSafeEqual(
        sealed.subarray(part(index), part(index + 1)),
        tags.subarray(index * TAG, (index + 1) * TAG),
      );
    if (!same(0)) return 'session';
    if (!same(1)) return 'arguments';
    if (!same(2)) return 'orgs';
    return 'ok';
  }
}
