import { salesforceCall } from '@sfmcp/plugin-api';
import type { Connection } from '@salesforce/core';
import { HINTS } from './hints.js';

export type Row = Record<string, unknown>;

/** Every record of a query (following nextRecordsUrl), as plain rows without `attributes`. */
export async function queryAll<T extends Row = Row>(
  connection: Connection,
  soql: string,
  maxFetch = 50_000,
): Promise<T[]> {
  const result = await salesforceCall(async () => connection.query<T>(soql, { autoFetch: true, maxFetch }), {
    hints: HINTS,
    prefix: 'The query failed',
  });
  return result.records.map((record) => {
    const { attributes: _attributes, ...rest } = record as T & { attributes?: unknown };
    return rest as unknown as T;
  });
}

/** A parent field of a row: `path(row, 'Profile.Name')`. */
export function path(row: Row, dotted: string): unknown {
  let value: unknown = row;
  for (const part of dotted.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Row)[part];
  }
  return value;
}

/** Salesforce ids compare on their first 15 characters. */
export function id15(id: string): string {
  return id.slice(0, 15);
}
