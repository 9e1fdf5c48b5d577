/**
 * Mangled queries (a fixed, seeded set of character deletions, duplications and swaps of valid queries)
 * must come back as 400 SalesforceApiErrors or as results, never as any other exception.
 */
import { describe, expect, it } from 'vitest';
import { SalesforceApiError } from '../src/errors.js';
import { SeededRandom } from '../src/seed/random.js';
import { executeSoql, executeSosl } from '../src/soql/index.js';
import { soqlOrg } from './fixtures/soql-org.js';

const QUERIES = [
  "SELECT Name, Owner.Name, (SELECT LastName FROM Contacts WHERE LeadSource = 'Web' ORDER BY LastName LIMIT 2) FROM Account WHERE (Industry = 'Technology' OR AnnualRevenue > 1000) AND CreatedDate = LAST_N_DAYS:30 ORDER BY Name DESC NULLS LAST LIMIT 5 OFFSET 1",
  'SELECT Industry, COUNT(Id) cnt, SUM(AnnualRevenue) FROM Account WHERE Id IN (SELECT AccountId FROM Contact) GROUP BY Industry HAVING COUNT(Id) > 1 ORDER BY COUNT(Id) DESC',
  "SELECT Name FROM Invoice__c WHERE Tags__c INCLUDES ('Red;Urgent', 'Blue') AND Due__c < TODAY AND Paid_At__c != null AND Name LIKE 'INV\\_%'",
  'SELECT CALENDAR_YEAR(CloseDate), MAX(Amount) FROM Opportunity WHERE IsWon = true GROUP BY CALENDAR_YEAR(CloseDate)',
  "SELECT FIELDS(ALL) FROM Account WHERE NOT (Rating IN (null, 'Hot')) LIMIT 10",
];
const SEARCHES = [
  'FIND {acme* OR "stark industries"} IN NAME FIELDS RETURNING Account(Name WHERE Rating = \'Hot\' ORDER BY Name LIMIT 2), Contact(LastName) LIMIT 5',
];

/** The seed's deterministic generator (mulberry32), so the cases are the same on every run. */
function random(seed: number): () => number {
  const generator = new SeededRandom(seed);
  return () => generator.next();
}

function mutations(text: string, count: number, seed: number): string[] {
  const next = random(seed);
  const results: string[] = [];
  for (let i = 0; i < count; i++) {
    let mutated = text;
    const edits = 1 + Math.floor(next() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(next() * mutated.length);
      const kind = next();
      if (kind < 0.4) mutated = mutated.slice(0, at) + mutated.slice(at + 1 + Math.floor(next() * 6));
      else if (kind < 0.7) mutated = mutated.slice(0, at) + mutated.slice(at, at + 4) + mutated.slice(at);
      else mutated = mutated.slice(0, at) + "()',:%*{}"[Math.floor(next() * 9)] + mutated.slice(at);
    }
    results.push(mutated);
  }
  return results;
}

function outcome(work: () => unknown): string {
  try {
    work();
    return 'ok';
  } catch (error) {
    if (error instanceof SalesforceApiError && error.status === 400) return error.errorCode;
    return `unexpected: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
}

describe('mangled queries', () => {
  const org = soqlOrg();
  const options = { api: 'data' as const, apiVersion: 'v62.0' };

  it('SOQL answers only with results or 400 SalesforceApiErrors', () => {
    const unexpected = QUERIES.flatMap((query, index) => mutations(query, 120, index + 1))
      .map((soql) => [soql, outcome(() => executeSoql(soql, org, options))])
      .filter(([, result]) => result?.startsWith('unexpected'));
    expect(unexpected).toEqual([]);
  });

  it('SOSL answers only with results or 400 SalesforceApiErrors', () => {
    const unexpected = SEARCHES.flatMap((search, index) => mutations(search, 200, index + 100))
      .map((sosl) => [sosl, outcome(() => executeSosl(sosl, org, 'v62.0'))])
      .filter(([, result]) => result?.startsWith('unexpected'));
    expect(unexpected).toEqual([]);
  });
});
