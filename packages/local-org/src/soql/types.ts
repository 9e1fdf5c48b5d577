import type { OrgState } from '../state/types.js';

export interface SoqlOptions {
  /** queryAll: include soft-deleted rows. */
  includeDeleted?: boolean;
  /** Which API the query came through: Tooling sees tooling objects, data sees data objects. */
  api: 'data' | 'tooling';
  /** For `attributes.url`, e.g. `v62.0`. */
  apiVersion: string;
}

/** A query result before paging: records in Salesforce's JSON shape (with `attributes`). */
export interface SoqlResult {
  totalSize: number;
  records: Record<string, unknown>[];
}

/** Throws SalesforceApiError (MALFORMED_QUERY, INVALID_TYPE, INVALID_FIELD, ...) for bad queries. */
export type ExecuteSoql = (soql: string, org: OrgState, options: SoqlOptions) => SoqlResult;
