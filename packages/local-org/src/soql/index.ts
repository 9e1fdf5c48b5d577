// Placeholder until the SOQL engine lands (owned by the soql/ work); the signature is the contract.
import { SalesforceApiError } from '../errors.js';
import type { OrgState } from '../state/types.js';
import type { ExecuteSoql } from './types.js';

export const executeSoql: ExecuteSoql = () => {
  throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'SOQL is not available yet');
};

/** SOSL `FIND ... RETURNING ...`: returns `{ searchRecords: [...] }` in Salesforce's shape. */
export function executeSosl(_sosl: string, _org: OrgState, _apiVersion: string): { searchRecords: Record<string, unknown>[] } {
  throw new SalesforceApiError(400, 'MALFORMED_SEARCH', 'SOSL is not available yet');
}
