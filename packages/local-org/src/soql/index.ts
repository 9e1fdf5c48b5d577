/**
 * The local org's SOQL and SOSL engines.
 *
 * SOQL (parsed with @jetstreamapp/soql-parser-js): field lists with canonical casing, parent paths
 * (`Account.Owner.Name`, `Parent__r.Name`), child subqueries (nested too), TYPEOF, WHERE with
 * = != <> < <= > >= LIKE IN / NOT IN (lists and semi/anti-joins) INCLUDES / EXCLUDES, AND / OR / NOT,
 * date literals and date functions (with convertTimezone), ORDER BY (picklists in their defined order,
 * nulls first when ascending), LIMIT / OFFSET, COUNT() and the aggregate functions with GROUP BY
 * (ROLLUP, CUBE, GROUPING) / HAVING, FIELDS(), toLabel(), FORMAT(), USING SCOPE mine, WITH SECURITY_ENFORCED /
 * USER_MODE / SYSTEM_MODE, FOR VIEW / REFERENCE.
 * Date literals are whole days in the running user's time zone (TimeZoneSidKey) at `org.now()`; date
 * functions read UTC; the fiscal year is the calendar year.
 *
 * SOSL: `FIND {term} [IN ALL|NAME|EMAIL|PHONE FIELDS] [RETURNING Object(fields WHERE ORDER BY LIMIT)...] [LIMIT n]`.
 *
 * Errors are SalesforceApiErrors worded as Salesforce words them; valid SOQL the engine cannot run
 * is a MALFORMED_QUERY that says it is not supported by the local org.
 */
import { SalesforceApiError } from '../errors.js';
import type { OrgState } from '../state/types.js';
import { baseOrg } from '../state/access.js';
import { runQuery } from './engine.js';
import { runSearch } from './sosl.js';
import type { ExecuteSoql } from './types.js';

/** A query the org was asked to run, as it received it. */
export interface ObservedQuery {
  language: 'soql' | 'sosl';
  text: string;
  /** 'data' (REST) or 'tooling'; SOSL is always 'data'. */
  api: string;
}

export type QueryObserver = (query: ObservedQuery) => void;

// Kept beside the state, never in it: the state is saved as JSON and observers are functions.
const observers = new WeakMap<OrgState, Set<QueryObserver>>();

/** Calls `observer` with every SOQL and SOSL text the org is asked to run, before it runs; returns the unsubscribe. */
export function observeQueries(org: OrgState, observer: QueryObserver): () => void {
  let set = observers.get(org);
  if (!set) {
    set = new Set();
    observers.set(org, set);
  }
  set.add(observer);
  return () => set.delete(observer);
}

function notify(org: OrgState, query: ObservedQuery): void {
  for (const observer of observers.get(baseOrg(org)) ?? []) {
    try {
      observer(query);
    } catch {
      // An observer's failure is the observer's: the query still runs.
    }
  }
}

/** Runs a SOQL query against the org; only SalesforceApiError ever leaves it. */
export const executeSoql: ExecuteSoql = (soql, org, options) => {
  if (typeof soql === 'string') notify(org, { language: 'soql', text: soql, api: options.api });
  return guarded(() => runQuery(requireText(soql, 'MALFORMED_QUERY'), org, options));
};

/** SOSL `FIND ... RETURNING ...`: returns `{ searchRecords: [...] }` in Salesforce's shape. */
export function executeSosl(
  sosl: string,
  org: OrgState,
  apiVersion: string,
): { searchRecords: Record<string, unknown>[] } {
  if (typeof sosl === 'string') notify(org, { language: 'sosl', text: sosl, api: 'data' });
  return guarded(() => runSearch(requireText(sosl, 'MALFORMED_SEARCH'), org, apiVersion));
}

function requireText(text: unknown, code: string): string {
  if (typeof text !== 'string' || text.trim() === '')
    throw new SalesforceApiError(400, code, 'unexpected token: <EOF>');
  return text;
}

function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof SalesforceApiError) throw error;
    // A bug in the engine, not bad input: say so the way Salesforce reports internal failures.
    const detail = error instanceof Error ? error.message : String(error);
    throw new SalesforceApiError(
      500,
      'UNKNOWN_EXCEPTION',
      `An unexpected error occurred in the local org's query engine: ${detail}`,
    );
  }
}
