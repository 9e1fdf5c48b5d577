import { salesforceCall } from '@sfmcp/plugin-api';
import type { Connection } from '@salesforce/core';
import type { OrgHandle } from '@sfmcp/plugin-api';
import { HINTS } from './hints.js';

export type DescribeSObjectResult = Awaited<ReturnType<Connection['describe']>>;
export type DescribeGlobalResult = Awaited<ReturnType<Connection['describeGlobal']>>;
export type DescribeField = DescribeSObjectResult['fields'][number];

type OrgKey = Pick<OrgHandle, 'username' | 'instanceUrl' | 'connection'>;

const MAX_ENTRIES = 200;
/** Describes change when metadata is deployed; keep them a few minutes only. */
const TTL_MS = 5 * 60_000;

interface Entry {
  at: number;
  value: Promise<unknown>;
}

/** A small LRU: Map keeps insertion order, so the first key is the least recently used. */
const cache = new Map<string, Entry>();

function orgPrefix(org: OrgKey): string {
  return `${org.instanceUrl}|${org.username}|`;
}

async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = load();
  cache.set(key, { at: now, value });
  value.catch(() => cache.delete(key));
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return value;
}

/** The org's describe of one object (REST, or Tooling with `tooling`), cached per org and object. */
export function describeObject(
  org: OrgKey,
  objectName: string,
  options: { tooling?: boolean } = {},
): Promise<DescribeSObjectResult> {
  const key = `${orgPrefix(org)}${options.tooling ? 'tooling:' : ''}${objectName.toLowerCase()}`;
  return cached(key, () =>
    salesforceCall(
      () =>
        options.tooling ? org.connection.tooling.describe(objectName) : org.connection.describe(objectName),
      { hints: HINTS },
    ),
  );
}

/** The org's describeGlobal (REST, or Tooling with `tooling`), cached per org. */
export function describeGlobal(
  org: OrgKey,
  options: { tooling?: boolean } = {},
): Promise<DescribeGlobalResult> {
  const key = `${orgPrefix(org)}${options.tooling ? 'tooling:' : ''}*global*`;
  return cached(key, () =>
    salesforceCall(
      () => (options.tooling ? org.connection.tooling.describeGlobal() : org.connection.describeGlobal()),
      { hints: HINTS },
    ),
  );
}

/** Forgets what is cached for an org (all of it, or one object), e.g. after a metadata change. */
export function forgetDescribes(org: Pick<OrgHandle, 'username' | 'instanceUrl'>, objectName?: string): void {
  const prefix = orgPrefix(org as OrgKey);
  for (const key of [...cache.keys()]) {
    if (!key.startsWith(prefix)) continue;
    if (
      objectName === undefined ||
      key.endsWith(`:${objectName.toLowerCase()}`) ||
      key === prefix + objectName.toLowerCase()
    )
      cache.delete(key);
  }
}

/** The object name as the org spells it, from the key prefix of a record id (cached describeGlobal). */
export async function objectForId(org: OrgKey, recordId: string): Promise<string | undefined> {
  const prefix = recordId.slice(0, 3);
  const global = await describeGlobal(org);
  return global.sobjects.find((sobject) => sobject.keyPrefix === prefix)?.name;
}
