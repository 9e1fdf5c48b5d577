import type { OrgRequest, OrgRequestObserver, OrgRequestTarget, OrgResponse } from './call-scope.js';

/** An org's daily API use, as its last answer's Sforce-Limit-Info header said. */
export interface ApiUsage {
  used: number;
  max: number;
  /** When it was read (ms since the epoch). */
  at: number;
}

const LIMIT_INFO = /api-usage=(\d+)\/(\d+)/i;

/** A reading older than this is not trusted to refuse a call: the day's window has moved on. */
const FRESH_MS = 60 * 60_000;

function header(headers: Record<string, unknown>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers))
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(',') : String(value);
  return undefined;
}

/**
 * Watches every org answer for Salesforce's `Sforce-Limit-Info: api-usage=<used>/<max>` header, so a call that
 * would push the org's daily API use past the policy's threshold is refused before it spends more.
 */
export class ApiUsageWatch implements OrgRequestObserver {
  readonly #usage = new Map<string, ApiUsage>();

  constructor(private readonly now: () => number = Date.now) {}

  afterResponse(_request: OrgRequest, response: OrgResponse, target: OrgRequestTarget): void {
    const info = header(response.headers, 'sforce-limit-info');
    const match = info && LIMIT_INFO.exec(info);
    if (!match) return;
    const used = Number(match[1]);
    const max = Number(match[2]);
    if (!Number.isSafeInteger(used) || !Number.isSafeInteger(max) || max <= 0) return;
    this.#usage.set(target.username.toLowerCase(), { used, max, at: this.now() });
  }

  /** The org's last known use, if it is fresh. */
  usage(username: string): ApiUsage | undefined {
    const usage = this.#usage.get(username.toLowerCase());
    return usage && this.now() - usage.at <= FRESH_MS ? usage : undefined;
  }

  /** The figures when one more call would reach the threshold (a share of the daily maximum). */
  wouldExceed(username: string, threshold: number): (ApiUsage & { threshold: number }) | undefined {
    const usage = this.usage(username);
    if (!usage) return undefined;
    return usage.used + 1 > usage.max * threshold ? { ...usage, threshold } : undefined;
  }
}
