import { COLLECTION_SIZE, type SaveResult, salesforceCall, sendCollection } from '@sfmcp/plugin-api';
import type { Connection } from '@salesforce/core';
import { HINTS } from './hints.js';

/**
 * Sends records (or ids, for delete) through sObject Collections, each record on its own
 * (allOrNone false), 200 per request, and returns one result per item in order.
 */
export async function collections(
  connection: Connection,
  operation: 'create' | 'update' | 'delete',
  sobject: string,
  items: readonly (Record<string, unknown> | string)[],
): Promise<SaveResult[]> {
  const results: SaveResult[] = [];
  for (let start = 0; start < items.length; start += COLLECTION_SIZE) {
    const slice = items.slice(start, start + COLLECTION_SIZE);
    const prefix =
      start === 0
        ? `Salesforce refused the ${operation} request (nothing was changed)`
        : `Salesforce refused the ${operation} request for items ${start} on (the ${start} before were sent)`;
    const saved = await salesforceCall(
      () => sendCollection(connection, { operation, sobject, items: slice, allOrNone: false }),
      { hints: HINTS, prefix },
    );
    slice.forEach((_, offset) => results.push(saved[offset] ?? {}));
  }
  return results;
}
