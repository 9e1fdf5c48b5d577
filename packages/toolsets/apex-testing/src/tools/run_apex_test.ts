import { LIMITS, ToolError, cursorArgument, defineTool, excerpt, z, salesforceCall } from '@sfmcp/plugin-api';
import { APEX_RUN_LISTING, apexRunOutput, reportApexRun, startedApexRun } from '../lib/apex-runs.js';
import { HINTS } from '../lib/hints.js';
import { isSalesforceId } from '../lib/ids.js';

const TEST_LEVELS = ['RunLocalTests', 'RunAllTestsInOrg', 'RunSpecifiedTests'] as const;

interface TestItem {
  className: string;
  testMethods?: string[];
}

/** classNames and Class.method names as one RunSpecifiedTests list, a class's methods together. */
export function testItems(classNames: string[], methodNames: string[]): TestItem[] {
  const items = new Map<string, TestItem>();
  const soleClass = classNames.length === 1 ? classNames[0] : undefined;
  for (const method of methodNames) {
    const dot = method.lastIndexOf('.');
    if (dot < 0 && !soleClass) {
      throw new ToolError(
        `Test method "${excerpt(method)}" needs its class: write it as ClassName.${excerpt(method)}.`,
        'Or pass exactly one class in classNames to run methods of that class.',
      );
    }
    const className = dot < 0 ? (soleClass as string) : method.slice(0, dot);
    const methodName = dot < 0 ? method : method.slice(dot + 1);
    const key = className.toLowerCase();
    const item = items.get(key) ?? { className, testMethods: [] };
    if (item.testMethods && !item.testMethods.includes(methodName)) item.testMethods.push(methodName);
    items.set(key, item);
  }
  for (const className of classNames) {
    const key = className.toLowerCase();
    // A class named on its own runs whole, unless methods of it were named too.
    if (!items.has(key)) items.set(key, { className });
  }
  return [...items.values()];
}

export const runApexTest = defineTool({
  name: 'run_apex_test',
  title: 'Run Apex tests',
  description:
    'Runs Apex tests (classes, Class.method names, a suite, or a test level) and reports pass/fail/skip counts, each failure with message and stack trace, and per-class coverage with uncovered lines (codeCoverage). Pass testRunId (707...) to get the results of a run. Only Apex tests, not agent tests.',
  input: z.object({
    testLevel: z
      .enum(TEST_LEVELS)
      .optional()
      .describe(
        'RunSpecifiedTests (the named classes, methods or suite; the default when any is named), RunLocalTests (all but managed-package tests; the default otherwise), RunAllTestsInOrg',
      ),
    classNames: z
      .array(z.string().min(1).max(LIMITS.name))
      .max(LIMITS.items)
      .optional()
      .describe('Apex test classes to run whole'),
    methodNames: z
      .array(
        z
          .string()
          .min(1)
          .max(2 * LIMITS.name + 1),
      )
      .max(LIMITS.items)
      .optional()
      .describe('Test methods to run, as ClassName.methodName'),
    suiteName: z.string().min(1).max(LIMITS.name).optional().describe('An Apex test suite to run'),
    testRunId: z
      .string()
      .max(LIMITS.id)
      .optional()
      .describe('Id (707...) of a run to report instead of starting one'),
    async: z
      .boolean()
      .default(false)
      .describe('true: start the run and return its id at once; false: wait for the results'),
    codeCoverage: z.boolean().default(false).describe('Also report per-class coverage and uncovered lines'),
    verbose: z.boolean().default(false).describe('List every test, not only failures'),
    wait: z
      .number()
      .min(0)
      .max(60)
      .default(10)
      .describe('Minutes to wait for the run before returning its id to resume'),
    cursor: cursorArgument.describe('From a previous result, to see the rest of its rows'),
  }),
  output: apexRunOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  takesDirectory: true,
  async handler(input, ctx) {
    const classNames = input.classNames ?? [];
    const methodNames = input.methodNames ?? [];
    const named = classNames.length > 0 || methodNames.length > 0 || input.suiteName !== undefined;
    const testLevel = input.testLevel ?? (named ? 'RunSpecifiedTests' : 'RunLocalTests');
    if (named && testLevel !== 'RunSpecifiedTests') {
      throw new ToolError(
        `classNames, methodNames and suiteName go with testLevel RunSpecifiedTests, not ${testLevel}.`,
        'Leave testLevel out (or set RunSpecifiedTests) to run the named tests.',
      );
    }
    if (testLevel === 'RunSpecifiedTests' && !named && !input.testRunId && !input.cursor) {
      throw new ToolError(
        'RunSpecifiedTests needs classNames, methodNames or suiteName.',
        'list_apex_tests lists the test classes and methods.',
      );
    }
    const items = named ? testItems(classNames, methodNames) : [];
    if (items.length > 0 && input.suiteName !== undefined) {
      throw new ToolError(
        'Name either a suite or classes and methods, not both.',
        'Run the suite, then the other tests, in two calls.',
      );
    }
    const org = await ctx.org();
    let runId = input.testRunId;
    let offset = 0;
    let { codeCoverage, verbose } = input;
    if (input.cursor) {
      const cursor = ctx.cursors.open<{
        runId?: unknown;
        offset?: unknown;
        codeCoverage?: unknown;
        verbose?: unknown;
      }>(input.cursor, { ...APEX_RUN_LISTING, org: org.username });
      if (typeof cursor.runId !== 'string' || !Number.isSafeInteger(cursor.offset)) {
        throw new ToolError('The cursor is not valid.', 'Pass the cursor exactly as the result gave it.');
      }
      runId = cursor.runId;
      offset = cursor.offset as number;
      codeCoverage = cursor.codeCoverage === true;
      verbose = cursor.verbose === true;
    }
    if (runId !== undefined && !isSalesforceId(runId, '707')) {
      throw new ToolError(
        `${JSON.stringify(runId)} is not an Apex test run id.`,
        'Test run ids are AsyncApexJob ids: 15 or 18 characters starting with 707.',
      );
    }

    const waitMs = input.wait * 60_000;
    if (runId) {
      return reportApexRun(org, runId, { codeCoverage, verbose, waitMs, offset }, ctx);
    }

    const { TestService } = await import('@salesforce/apex-node');
    const service = new TestService(org.connection);
    const payload = {
      testLevel,
      skipCodeCoverage: !codeCoverage,
      ...(items.length ? { tests: items } : {}),
      ...(input.suiteName ? { suiteNames: input.suiteName } : {}),
    };
    await ctx.progress(0, undefined, 'Starting the Apex test run');
    const started = (await salesforceCall(
      () => service.runTestAsynchronous(payload as never, codeCoverage, true),
      { hints: HINTS },
    )) as { testRunId?: string };
    if (!started?.testRunId) throw new ToolError('Salesforce did not return a test run id.');
    if (input.async) return startedApexRun(org, started.testRunId);
    return reportApexRun(org, started.testRunId, { codeCoverage, verbose, waitMs, abortOnCancel: true }, ctx);
  },
});
