/** `GET /limits`: the org's counters, with data storage worked out from the records it holds. */
import type { LocalOrgState } from '../state/index.js';

/** Salesforce counts about 2 KB of data storage per record. */
const BYTES_PER_RECORD = 2048;

export function limitsBody(org: LocalOrgState): Record<string, { Max: number; Remaining: number }> {
  const storage = org.limits.get('DataStorageMB');
  if (storage) {
    let records = 0;
    for (const def of org.schema.listObjects('data')) {
      if (!def.queryable) continue;
      for (const _ of org.records.rows(def.name)) records += 1;
    }
    const usedMb = Math.ceil((records * BYTES_PER_RECORD) / (1024 * 1024));
    storage.Remaining = Math.max(storage.Max - usedMb, 0);
  }
  return Object.fromEntries(
    [...org.limits.entries()].map(([name, value]) => [name, { Max: value.Max, Remaining: value.Remaining }]),
  );
}

/** Where the day the API counter counts is kept (`YYYY-MM-DD`, UTC), so it starts again each day. */
const API_USAGE_DAY = 'apiUsageDay';

/**
 * One API call spent: what every authenticated request under /services does. The daily counter starts
 * again each day (Salesforce's is a rolling 24 hours); past its maximum a call is refused
 * (REQUEST_LIMIT_EXCEEDED), and is not counted.
 */
export function countApiRequest(org: LocalOrgState): { used: number; max: number; exceeded: boolean } {
  const counter = org.limits.get('DailyApiRequests');
  if (!counter) return { used: 0, max: 0, exceeded: false };
  const today = org.now().toISOString().slice(0, 10);
  const day = org.extensions.get(API_USAGE_DAY);
  if (day === undefined) org.extensions.set(API_USAGE_DAY, today);
  else if (day !== today) {
    org.extensions.set(API_USAGE_DAY, today);
    counter.Remaining = counter.Max;
  }
  if (counter.Remaining <= 0) return { used: counter.Max, max: counter.Max, exceeded: true };
  counter.Remaining -= 1;
  return { used: counter.Max - counter.Remaining, max: counter.Max, exceeded: false };
}

/** Sets the daily API counter: `used` of `max` (the edition's maximum when left out). */
export function setApiUsage(org: LocalOrgState, used: number, max?: number): void {
  const counter = org.limits.get('DailyApiRequests');
  if (!counter) throw new Error('this org has no DailyApiRequests limit');
  const limit = max ?? counter.Max;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('max must be a positive whole number');
  if (!Number.isInteger(used) || used < 0 || used > limit)
    throw new RangeError(`used must be a whole number from 0 to ${limit}`);
  counter.Max = limit;
  counter.Remaining = limit - used;
  org.extensions.set(API_USAGE_DAY, org.now().toISOString().slice(0, 10));
}
