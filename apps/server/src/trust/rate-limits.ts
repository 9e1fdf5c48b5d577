import type { RateLimit } from '../policy/schema.js';

/** One window to take a call from: its key (org, or org and tool), the rule's name and its limit. */
export interface RateLimitKey {
  key: string;
  rule: string;
  limit: RateLimit;
}

export interface RateLimited {
  rule: string;
  limit: RateLimit;
  /** When the oldest call in the full window leaves it. */
  retryAfterSeconds: number;
}

const MAX_KEYS = 10_000;

/**
 * Sliding-window rate limits in this process's memory: a key remembers when its last calls were taken, and a
 * call is allowed when every window it counts against has room. Instances behind a load balancer each count
 * their own, so a team's limit is at most the instances' sum (documented; a shared counter is not worth it).
 */
export class RateLimits {
  readonly #taken = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one call from every window, or from none: the first full window is returned. */
  take(keys: readonly RateLimitKey[]): RateLimited | undefined {
    const now = this.now();
    const windows = keys.map(({ key, limit }) => {
      const since = now - limit.perSeconds * 1000;
      const times = (this.#taken.get(key) ?? []).filter((time) => time > since);
      return { key, times };
    });
    for (const [index, { times }] of windows.entries()) {
      const { rule, limit } = keys[index]!;
      if (times.length >= limit.calls) {
        const oldest = times[times.length - limit.calls]!;
        return {
          rule,
          limit,
          retryAfterSeconds: Math.max(1, Math.ceil((oldest + limit.perSeconds * 1000 - now) / 1000)),
        };
      }
    }
    for (const { key, times } of windows) {
      times.push(now);
      this.#taken.delete(key);
      this.#taken.set(key, times);
    }
    // The least recently used keys go first: a server with many orgs and tools keeps a bounded map.
    while (this.#taken.size > MAX_KEYS) this.#taken.delete(this.#taken.keys().next().value!);
    return undefined;
  }
}
