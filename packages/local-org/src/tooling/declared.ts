/**
 * The part of a seed's `declared` section that says what Apex would do, since the local org
 * cannot run Apex. The format (all parts optional):
 *
 * ```json
 * {
 *   "apexTests": {
 *     "results": {
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
 * A test method with no declared result passes. `coveredBy` names test classes or `Class.method`s;
 * without it, the coverage counts for every test method of a run that includes it. A class with no
 * declared coverage has none. Result keys may also sit directly under `apexTests` (`"Class.method": {...}`).
 * Anonymous blocks are compiled by the parser first (syntax errors come from it); the first entry whose
 * `contains` occurs in the block (or an entry without `contains`) then says what happens: a semantic
 * compile problem, an exception, and the debug log (kept as an ApexLog). A block matching no entry succeeds.
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

function toTestResult(value: unknown): DeclaredTestResult | undefined {
  if (!isRecord(value)) return undefined;
  const outcome = OUTCOMES.find((candidate) => candidate.toLowerCase() === String(value.outcome ?? 'Pass').toLowerCase()) ?? 'Pass';
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

/** The declared outcome of `Class.method` (case-insensitive); Pass when nothing is declared. */
export function declaredTestResult(declared: Record<string, unknown>, className: string, methodName: string): DeclaredTestResult {
  const apexTests = isRecord(declared.apexTests) ? declared.apexTests : {};
  const key = `${className}.${methodName}`.toLowerCase();
  const sources = [isRecord(apexTests.results) ? apexTests.results : {}, apexTests];
  for (const source of sources) {
    for (const [name, value] of Object.entries(source)) {
      if (name.toLowerCase() === key) return toTestResult(value) ?? { outcome: 'Pass' };
    }
  }
  return { outcome: 'Pass' };
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
export function coverageAppliesTo(coverage: DeclaredCoverage, testClass: string, testMethod: string): boolean {
  if (!coverage.coveredBy) return true;
  const lowerClass = testClass.toLowerCase();
  const lowerMethod = `${lowerClass}.${testMethod.toLowerCase()}`;
  return coverage.coveredBy.some((name) => [lowerClass, lowerMethod].includes(name.toLowerCase()));
}

/** The declared behaviour of an anonymous block, when an entry matches it. */
export function declaredAnonymousApex(declared: Record<string, unknown>, body: string): DeclaredAnonymousApex | undefined {
  const entries = Array.isArray(declared.anonymousApex) ? declared.anonymousApex : [];
  for (const entry of entries) {
    if (!isRecord(entry)) continue;
    if (typeof entry.contains === 'string' && !body.includes(entry.contains)) continue;
    return entry as DeclaredAnonymousApex;
  }
  return undefined;
}
