import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Canonical JSON (sorted keys) so equal arguments digest equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function digestArguments(tool: string, args: Record<string, unknown>): string {
  const { confirmationToken: _token, ...rest } = args;
  return createHash('sha256')
    .update(`${tool}\n${canonical(rest)}`)
    .digest('hex');
}

/**
 * One-time confirmation tokens for clients without elicitation: a token is bound to the tool and its
 * exact arguments, expires, and is spent on first use.
 */
export class ConfirmationTokens {
  readonly #pending = new Map<string, { digest: string; expiresAt: number }>();

  constructor(private readonly ttlMs = 10 * 60_000) {}

  issue(digest: string): { token: string; expiresAt: Date } {
    this.#sweep();
    const token = randomBytes(9).toString('base64url');
    const expiresAt = Date.now() + this.ttlMs;
    this.#pending.set(token, { digest, expiresAt });
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** Spends the token; true only when it was issued for exactly these arguments and has not expired. */
  redeem(token: string, digest: string): boolean {
    this.#sweep();
    const entry = this.#pending.get(token);
    if (!entry || entry.digest !== digest) return false;
    this.#pending.delete(token);
    return true;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [token, entry] of this.#pending) if (entry.expiresAt < now) this.#pending.delete(token);
  }
}

export interface AuditEntry {
  time: string;
  tool: string;
  orgs: string[];
  argumentsDigest: string;
  outcome: 'ok' | 'error' | 'refused' | 'awaiting-confirmation' | 'declined';
  message?: string;
}

/** Appends every call that may change an org, as JSON lines. */
export class AuditLog {
  #ready?: Promise<unknown>;

  constructor(readonly path: string) {}

  async append(entry: AuditEntry): Promise<void> {
    this.#ready ??= mkdir(dirname(this.path), { recursive: true });
    await this.#ready;
    await appendFile(this.path, JSON.stringify(entry) + '\n', 'utf8');
  }
}
