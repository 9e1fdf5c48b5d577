import { SalesforceApiError } from '../errors.js';
import type { OrgState } from '../state/types.js';
import { runQuery } from './engine.js';
import { runSearch } from './sosl.js';
import type { ExecuteSoql } from './types.js';

/** Runs a SOQL query against the org; only SalesforceApiError ever leaves it. */
export const executeSoql: ExecuteSoql = (soql, org, options) => guarded('MALFORMED_QUERY', () => runQuery(soql, org, options));

/** SOSL `FIND ... RETURNING ...`: returns `{ searchRecords: [...] }` in Salesforce's shape. */
export function executeSosl(sosl: string, org: OrgState, apiVersion: string): { searchRecords: Record<string, unknown>[] } {
  return guarded('MALFORMED_SEARCH', () => runSearch(sosl, org, apiVersion));
}

function guarded<T>(_code: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof SalesforceApiError) throw error;
    // A bug in the engine, not bad input: say so the way Salesforce reports internal failures.
    const detail = error instanceof Error ? error.message : String(error);
    throw new SalesforceApiError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred in the local org's query engine: ${detail}`);
  }
}
