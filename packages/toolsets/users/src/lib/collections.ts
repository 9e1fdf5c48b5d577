import { salesforceCall } from '@sfmcp/plugin-api';
import type { Connection } from '@salesforce/core';
import { HINTS } from './hints.js';

/** Records per sObject Collections request (a Salesforce limit). */
export const COLLECTION_SIZE = 200;

export interface SaveResult {
  id?: string | null;
  success?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

/** The first error of a save result as "CODE: message". */
export function saveError(result: SaveResult | undefined): { code: string; message: string } {
  const error = result?.errors?.[0];
  if (!error) return { code: 'NO_RESULT', message: 'Salesforce returned no result for this record' };
  return { code: String(error.statusCode ?? 'UNKNOWN'), message: String(error.message ?? '') };
}

type Method = 'create' | 'update' | 'delete';

/**
 * Sends records (or ids, for delete) through sObject Collections, each record on its own
 * (allOrNone false), 200 per request, and returns one result per item in order.
 */
export async function collections(
  connection: Connection,
  method: Method,
  sobject: string,
  items: readonly (Record<string, unknown> | string)[],
): Promise<SaveResult[]> {
  const base = `/services/data/v${connection.getApiVersion()}/composite/sobjects`;
  const results: SaveResult[] = [];
  for (let start = 0; start < items.length; start += COLLECTION_SIZE) {
    const slice = items.slice(start, start + COLLECTION_SIZE);
    const context =
      start === 0
        ? `Salesforce refused the ${method} request (nothing was changed)`
        : `Salesforce refused the ${method} request for items ${start} on (the ${start} before were sent)`;
    let saved: SaveResult[];
    if (method === 'delete') {
      const ids = (slice as string[]).map(encodeURIComponent).join(',');
      saved = await salesforceCall(
        () => connection.requestDelete<SaveResult[]>(`${base}?ids=${ids}&allOrNone=false`),
        { hints: HINTS, prefix: context },
      );
    } else {
      const body = {
        allOrNone: false,
        records: (slice as Record<string, unknown>[]).map((record) => ({
          attributes: { type: sobject },
          ...record,
        })),
      };
      saved = await salesforceCall(
        () =>
          method === 'create'
            ? connection.requestPost<SaveResult[]>(base, body)
            : connection.requestPatch<SaveResult[]>(base, body),
        { hints: HINTS, prefix: context },
      );
    }
    slice.forEach((_, offset) => results.push(saved[offset] ?? {}));
  }
  return results;
}
