import type { LocalOrgSeed } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import plugin from '../src/index.js';

export const SERVICE = [
  'public with sharing class InvoiceService {',
  '    public static Decimal totalFor(List<Decimal> amounts) {',
  '        Decimal total = 0;',
  '        for (Decimal amount : amounts) {',
  '            total += amount == null ? 0 : amount;',
  '        }',
  '        return total;',
  '    }',
  '}',
].join('\n');

export const SERVICE_TEST = [
  '@IsTest',
  'private class InvoiceServiceTest {',
  '    @IsTest',
  '    static void sumsAmounts() {',
  '        System.assertEquals(15, InvoiceService.totalFor(new List<Decimal>{ 5, 10 }));',
  '    }',
  '    @IsTest',
  '    static void ignoresBlankAmounts() {',
  '        System.assertEquals(1, InvoiceService.totalFor(new List<Decimal>{ null }));',
  '    }',
  '    static void helper() {}',
  '}',
].join('\n');

export const FAILURE = {
  outcome: 'Fail',
  message: 'System.AssertException: Assertion Failed: Expected: 1, Actual: 0',
  stackTrace: 'Class.InvoiceServiceTest.ignoresBlankAmounts: line 9, column 1',
};

/**
 * Declared behaviour: one passing and one failing test method, coverage for InvoiceService, anonymous Apex and
 * agent tests. (The local org reports a test with no declared outcome as not run, an undeclared block as not executed.)
 */
export function apexSeed(): LocalOrgSeed {
  return {
    declared: {
      apexTests: {
        results: {
          'InvoiceServiceTest.sumsAmounts': { outcome: 'Pass' },
          'InvoiceServiceTest.ignoresBlankAmounts': FAILURE,
        },
        coverage: { InvoiceService: { covered: [3, 4, 5, 7], uncovered: [6] } },
      },
      anonymousApex: [
        {
          contains: 'delete',
          success: false,
          exceptionMessage: 'System.DmlException: Delete failed.',
          exceptionStackTrace: 'AnonymousBlock: line 1, column 1',
          log: [
            '62.0 APEX_CODE,DEBUG',
            '12:00:00.0 (100)|EXECUTION_STARTED',
            '12:00:00.0 (200)|USER_DEBUG|[1]|DEBUG|about to delete',
            '12:00:00.0 (300)|SOQL_EXECUTE_BEGIN|[1]|SELECT Id FROM Account',
            '12:00:00.0 (400)|EXCEPTION_THROWN|[1]|System.DmlException: Delete failed.',
            '12:00:00.0 (500)|FATAL_ERROR|System.DmlException: Delete failed.',
          ].join('\n'),
        },
        { contains: 'UnknownThing', compileProblem: 'Invalid type: UnknownThing', line: 1, column: 1 },
      ],
      agentTests: {
        Resort_Manager_Test: {
          subjectName: 'Resort_Manager',
          testCases: [
            {
              utterance: 'Book a massage for tomorrow',
              expectedTopic: 'Reservations',
              expectedActions: ['BookSpaService'],
              expectedOutcome: 'The massage is booked.',
            },
            { utterance: 'Cancel my stay', expectedTopic: 'Cancellations', actualTopic: 'Reservations' },
          ],
        },
        Slow_Agent_Test: { subjectName: 'Resort_Manager', pendingPolls: 1 },
        Stuck_Agent_Test: { subjectName: 'Resort_Manager', pendingPolls: 1000 },
      },
    },
  };
}

/** Creates Apex classes through the org's Tooling API, as a deploy would leave them. */
export async function createApexClasses(server: LocalOrgTestServer, bodies: string[]): Promise<void> {
  for (const body of bodies) {
    const response = await fetch(`${server.org.instanceUrl}/services/data/v62.0/tooling/sobjects/ApexClass`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.org.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Body: body }),
    });
    if (response.status !== 201) throw new Error(`creating a class failed: ${await response.text()}`);
  }
}

export async function startApexServer(
  options: { args?: string[]; seed?: LocalOrgSeed } = {},
): Promise<LocalOrgTestServer> {
  const server = await createLocalOrgTestServer({
    plugins: [plugin],
    seed: options.seed ?? apexSeed(),
    args: options.args ?? [],
  });
  await createApexClasses(server, [SERVICE, SERVICE_TEST]);
  return server;
}

/** The records of a Tooling or data object, straight from the org's state. */
export function stateRecords(server: LocalOrgTestServer, objectName: string): Array<Record<string, unknown>> {
  return [...server.org.state.records.rows(objectName)] as Array<Record<string, unknown>>;
}
