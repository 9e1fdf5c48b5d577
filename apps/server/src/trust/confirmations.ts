import { randomBytes } from 'node:crypto';

/** What a confirmation token is bound to: all of it must match when it is redeemed. */
export interface ConfirmationBinding {
  /** Digest of the tool and its exact arguments (digestArguments). */
  digest: string;
  /** The orgs the call resolved before it asked (usernames). */
  orgs: readonly string[];
  /** The MCP session that saw the preview. */
  session: string;
}

export type RedeemOutcome = 'ok' | 'unknown' | 'arguments' | 'orgs' | 'session';

function sameOrgs(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a.map((org) => org.toLowerCase()))].sort();
  const right = [...new Set(b.map((org) => org.toLowerCase()))].sort();
  return left.length === right.length && left.every((org, index) => org === right[index]);
}

/**
 * One-time confirmation tokens for clients without elicitation: bound to the tool, its exact arguments, the
 * orgs it resolved and the session; they expire, and any attempt to redeem one spends it.
 */
export class ConfirmationTokens {
  readonly #pending = new Map<string, ConfirmationBinding & { expiresAt: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(binding: ConfirmationBinding): { token: string; expiresAt: Date } {
    this.#sweep();
    const token = randomBytes(12).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    this.#pending.set(token, { ...binding, orgs: [...binding.orgs], expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** Spends the token and says whether it was issued for exactly this binding. */
  redeem(token: string, binding: ConfirmationBinding): RedeemOutcome {
    this.#sweep();
    const entry = this.#pending.get(token);
    if (!entry) return 'unknown';
    this.#pending.delete(token);
    if (entry.session !== binding.session) return 'session';
    if (entry.digest !== binding.digest) return 'arguments';
    if (!sameOrgs(entry.orgs, binding.orgs)) return 'orgs';
    return 'ok';
  }

  #sweep(): void {
    const now = this.now();
    for (const [token, entry] of this.#pending) if (entry.expiresAt < now) this.#pending.delete(token);
  }
}
