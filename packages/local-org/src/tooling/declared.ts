/**
 * The part of a seed's `declared` section that says what Apex would do, since the local org
 * cannot run Apex. The format (all parts optional):
 *
 * ```json
 * {
 *   "apexTests": {
 *     "results": {
 *       "AccountServiceTest.createsAccount": { "outcome": "Pass", "runTime": 12 },
 *       "AccountServiceTest.rejectsBlankName": {
 *         "outcome": "Fail",
 *         "message": "System.AssertException: Assertion Failed: expected an error",
 *         "stackTrace": "Class.AccountServiceTest.rejectsBlankName: line 12, column 1",
 *         "runTime": 31
 *       }
 *     },
 *     "coverage": {
 *       "AccountService": { "covered": [1, 2, 3, 5], "uncovered": [4], "coveredBy": ["AccountServiceTest"] }
 *     }
 *   },
 *   "anonymousApex": [
 *     { "contains": "Database.delete", "success": false,
 *       "exceptionMessage": "System.DmlException: Delete failed.", "exceptionStackTrace": "AnonymousBlock: line 1, column 1",
 *       "log": "62.0 APEX_CODE,DEBUG\n..." },
 *     { "contains": "UnknownThing", "compileProblem": "Invalid type: UnknownThing", "line": 1, "column": 1 }
 *   ]
 * }
 * ```
 *
 * **An outcome that is not declared is reported as not run, never as passed.** A test method with no
 * declared result (or one whose `outcome` is missing or not one of Pass, Fail, CompileFail, Skip) is
 * reported as Salesforce's `Skip` outcome with a message saying the local org cannot run Apex: it is
 * never counted as passed, and earns no coverage. Coverage is earned only by test methods with a
 * declared `Pass` or `Fail` outcome (the ones that "ran"). `coveredBy` names test classes or
 * `Class.method`s; without it, the coverage counts for every such method of a run. A class with no
 * declared coverage has none. Result keys may also sit directly under `apexTests` (`"Class.method": {...}`).
 * Anonymous blocks are compiled by the parser first (syntax errors come from it); the first entry whose
 * `contains` occurs in the block (or an entry without `contains`) then says what happens: a semantic
 * compile problem, an exception (an entry without `exceptionMessage` or `success: false` succeeds), and
 * the debug log (kept as an ApexLog). A block matching no entry is not executed: it is answered as
 * compiled but not successful, its exception message saying the local org cannot run Apex, with no log.
 */

export type TestOutcome = 'Pass' | 'Fail' | 'CompileFail' | 'Skip';

export interface DeclaredTestResult {
  outcome: TestOutcome;
  message?: string;
  stackTrace?: string;
  runTime?: number;
}

export interface DeclaredCoverage {
  covered: number[];
  uncovered: number[];
  coveredBy?: string[];
}

export interface DeclaredAnonymousApex {
  contains?: string;
  success?: boolean;
  compileProblem?: string;
  line?: number;
  column?: number;
  exceptionMessage?: string;
  exceptionStackTrace?: string;
  log?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const OUTCOMES: TestOutcome[] = ['Pass', 'Fail', 'CompileFail', 'Skip'];

/** A declared result; undefined when its `outcome` is missing or unknown (then nothing is declared). */
function toTestResult(value: unknown): DeclaredTestResult | undefined {
  if (!isRecord(value)) return undefined;
  const outcome = OUTCOMES.find(
    (candidate) => candidate.toLowerCase() === String(value.outcome ?? '').toLowerCase(),
  );
  if (!outcome) return undefined;
  return {
    outcome,
    ...(typeof value.message === 'string' ? { message: value.message } : {}),
    ...(typeof value.stackTrace === 'string' ? { stackTrace: value.stackTrace } : {}),
    ...(typeof value.runTime === 'number' ? { runTime: value.runTime } : {}),
  };
}

function lineNumbers(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((line): line is number => Number.isInteger(line)) : [];
}

/** What the seed declares for `Class.method` (case-insensitive): a result, or why it declares none. */
export type DeclaredTestLookup =
  { result: DeclaredTestResult } | { result?: undefined; invalidOutcome?: string };

/** The declared outcome of `Class.method` (case-insensitive); no result when none (or no valid outcome) is declared. */
export function declaredTestResult(
  declared: Record<string, unknown>,
  className: string,
  methodName: string,
): DeclaredTestLookup {
  const apexTests = isRecord(declared.apexTests) ? declared.apexTests : {};
  const key = `${className}.${methodName}`.toLowerCase();
  const sources = [isRecord(apexTests.results) ? apexTests.results : {}, apexTests];
  for (const source of sources) {
    for (const [name, value] of Object.entries(source)) {
      if (name.toLowerCase() !== key) continue;
      const result = toTestResult(value);
      if (result) return { result };
      return isRecord(value) ? { invalidOutcome: String(value.outcome ?? '') } : {};
    }
  }
  return {};
}

/** Declared coverage by class or trigger name. */
export function declaredCoverage(declared: Record<string, unknown>): Map<string, DeclaredCoverage> {
  const apexTests = isRecord(declared.apexTests) ? declared.apexTests : {};
  const coverage = isRecord(apexTests.coverage) ? apexTests.coverage : {};
  const result = new Map<string, DeclaredCoverage>();
  for (const [name, value] of Object.entries(coverage)) {
    if (!isRecord(value)) continue;
    result.set(name, {
      covered: lineNumbers(value.covered),
      uncovered: lineNumbers(value.uncovered),
      ...(Array.isArray(value.coveredBy) ? { coveredBy: value.coveredBy.map(String) } : {}),
    });
  }
  return result;
}

/** Whether a declared coverage entry counts for a test method. */
export function coverageAppliesTo(
  coverage: DeclaredCoverage,
  testClass: string,
  testMethod: string,
): boolean {
  if (!coverage.coveredBy) return true;
  const lowerClass = testClass.toLowerCase();
  const lowerMethod = `${lowerClass}.${testMethod.toLowerCase()}`;
  return coverage.coveredBy.some((name) => [lowerClass, lowerMethod].includes(name.toLowerCase()));
}

/** The declared behaviour of an anonymous block, when an entry matches it. */
export function declaredAnonymousApex(
  declared: Record<string, unknown>,
  body: string,
): DeclaredAnonymousApex | undefined {
  const entries = Array.isArray(declared.anonymousApex) ? declared.anonymousApex : [];
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    if (typeof entry.contains === 'string' && !body.includes(entry.contains)) continue;
    return entry as DeclaredAnonymousApex;
  }
  return undefined;
}
