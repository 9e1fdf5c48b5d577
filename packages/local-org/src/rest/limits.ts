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

/** One API call spent: what every authenticated request under /services does. */
export function countApiRequest(org: LocalOrgState): { used: number; max: number } {
  const counter = org.limits.get('DailyApiRequests');
  if (!counter) return { used: 0, max: 0 };
  counter.Remaining = Math.max(counter.Remaining - 1, 0);
  return { used: counter.Max - counter.Remaining, max: counter.Max };
}
