/**
 * Apex test runs. Which tests exist comes from the deployed class bodies (`@isTest` classes and
 * their `@isTest` / `testMethod` methods); what they do comes from the seed's declared outcomes
 * and coverage (see declared.ts). A run finishes at once: an asynchronous run is Completed by the
 * time its id is returned, with the records apex-node polls for already written.
 *
 * The local org cannot run Apex, so a test method whose outcome the seed does not declare is not
 * run: it is reported as `Skip` with {@link NOT_RUN_MESSAGE}, never counted as passed or completed,
 * and earns no coverage.
 */
import { SalesforceApiError } from '../errors.js';
import type { OrgState, StoredRecord } from '../state/types.js';
import { allTestClasses, findApexRecord, testClassOf, type TestClass } from './apexRecords.js';
import { orgTiming, scheduleOrgTimer } from '../metadata/jobs.js';
import { insertAsOrg, updateAsOrg } from './trusted.js';
import {
  coverageAppliesTo,
  declaredCoverage,
  declaredTestResult,
  type DeclaredTestResult,
} from './declared.js';

/** The message of a test method that was not run because the seed declares no outcome for it. */
export const NOT_RUN_MESSAGE =
  "Not run: the sfmcp local org (a test double) cannot run Apex. Declare this test's outcome in the seed (declared.apexTests) to simulate it.";

export interface TestRunItem {
  testClass: TestClass;
  methods: string[];
}

export interface MethodResult extends DeclaredTestResult {
  testClass: TestClass;
  methodName: string;
  runTime: number;
  /** Whether the seed declares this outcome; an undeclared method is a `Skip` (not run). */
  declared: boolean;
  /** The outcome the seed gives that is not a valid one (so none is declared). */
  invalidOutcome?: string;
}

/** A Fail or CompileFail outcome. */
export function isFailure(result: MethodResult): boolean {
  return result.outcome === 'Fail' || result.outcome === 'CompileFail';
}

/** Whether the method "ran" (a declared Pass or Fail): only those earn coverage. */
function ran(result: MethodResult): boolean {
  return result.outcome === 'Pass' || result.outcome === 'Fail';
}

export interface CoverageHit {
  testClass: TestClass;
  methodName: string;
  target: StoredRecord;
  targetKind: 'ApexClass' | 'ApexTrigger';
  covered: number[];
  uncovered: number[];
}

export interface TestRunOutcome {
  results: MethodResult[];
  coverage: CoverageHit[];
}

function invalidInput(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'INVALID_INPUT', message);
}

export function salesforceDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

function resolveClass(org: OrgState, reference: { className?: unknown; classId?: unknown }): TestClass {
  let record: StoredRecord | undefined;
  if (typeof reference.classId === 'string' && reference.classId) {
    const byId = org.records.get(reference.classId);
    record = byId && org.schema.objectForId(byId.Id)?.name === 'ApexClass' ? byId : undefined;
    if (!record)
      throw invalidInput(
        `This class id's value is invalid: ${reference.classId}. Provide the id of an Apex class that has test methods.`,
      );
  } else if (typeof reference.className === 'string' && reference.className) {
    const name = reference.className.includes('.')
      ? (reference.className.split('.').pop() ?? '')
      : reference.className;
    record = findApexRecord(org, 'ApexClass', name);
  }
  const testClass = record ? testClassOf(record) : undefined;
  if (!testClass) {
    const name = String(reference.className ?? reference.classId ?? '');
    throw invalidInput(
      `This class name's value is invalid: ${name}. Provide the name of an Apex class that has test methods.`,
    );
  }
  return testClass;
}

function splitList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (typeof value === 'string')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return [];
}

function addItem(plan: TestRunItem[], testClass: TestClass, methods: string[]): void {
  const existing = plan.find((item) => item.testClass.record.Id === testClass.record.Id);
  if (!existing) {
    plan.push({ testClass, methods: [...methods] });
    return;
  }
  for (const method of methods) if (!existing.methods.includes(method)) existing.methods.push(method);
}

function suiteClasses(org: OrgState, suite: StoredRecord): TestClass[] {
  const classes: TestClass[] = [];
  for (const membership of org.records.rows('TestSuiteMembership')) {
    if (membership.ApexTestSuiteId !== suite.Id) continue;
    const record = org.records.get(String(membership.ApexClassId));
    const testClass = record ? testClassOf(record) : undefined;
    if (testClass) classes.push(testClass);
  }
  return classes;
}

function findSuite(org: OrgState, by: 'Id' | 'TestSuiteName', value: string): StoredRecord {
  for (const suite of org.records.rows('ApexTestSuite')) {
    const candidate = String(suite[by] ?? '');
    if (
      by === 'Id'
        ? candidate.slice(0, 15) === value.slice(0, 15)
        : candidate.toLowerCase() === value.toLowerCase()
    )
      return suite;
  }
  throw invalidInput(`No test suite found with ${by === 'Id' ? 'id' : 'name'}: ${value}`);
}

/** Turns a runTestsSynchronous / runTestsAsynchronous body into the classes and methods to run. */
export function planTestRun(org: OrgState, payload: Record<string, unknown>): TestRunItem[] {
  const plan: TestRunItem[] = [];
  const testLevel = typeof payload.testLevel === 'string' ? payload.testLevel : undefined;
  if (testLevel === 'RunLocalTests' || testLevel === 'RunAllTestsInOrg') {
    for (const testClass of allTestClasses(org)) addItem(plan, testClass, testClass.methods);
    return plan;
  }
  if (Array.isArray(payload.tests)) {
    for (const entry of payload.tests) {
      if (typeof entry !== 'object' || entry === null)
        throw invalidInput('Each entry of tests must be an object with className or classId.');
      const item = entry as Record<string, unknown>;
      const testClass = resolveClass(org, item);
      const requested = splitList(item.testMethods);
      for (const method of requested) {
        if (!testClass.methods.some((known) => known.toLowerCase() === method.toLowerCase())) {
          throw invalidInput(
            `Method ${method} does not exist or is not a test method in class ${testClass.name}.`,
          );
        }
      }
      const methods = requested.length
        ? requested.map(
            (method) =>
              testClass.methods.find((known) => known.toLowerCase() === method.toLowerCase()) ?? method,
          )
        : testClass.methods;
      addItem(plan, testClass, methods);
    }
  }
  for (const className of splitList(payload.classNames)) {
    const testClass = resolveClass(org, { className });
    addItem(plan, testClass, testClass.methods);
  }
  for (const classId of splitList(payload.classids)) {
    const testClass = resolveClass(org, { classId });
    addItem(plan, testClass, testClass.methods);
  }
  for (const suiteName of splitList(payload.suiteNames)) {
    for (const testClass of suiteClasses(org, findSuite(org, 'TestSuiteName', suiteName)))
      addItem(plan, testClass, testClass.methods);
  }
  for (const suiteId of splitList(payload.suiteids)) {
    for (const testClass of suiteClasses(org, findSuite(org, 'Id', suiteId)))
      addItem(plan, testClass, testClass.methods);
  }
  if (plan.length === 0) {
    throw invalidInput(
      'Specify at least one test class, test suite or a test level of RunLocalTests or RunAllTestsInOrg.',
    );
  }
  return plan;
}

/** The declared outcome of every planned method (Skip, not run, where none is declared), and the declared coverage it earns. */
export function executeTestPlan(
  org: OrgState,
  plan: TestRunItem[],
  options: { skipCodeCoverage: boolean },
): TestRunOutcome {
  const results: MethodResult[] = [];
  const coverage: CoverageHit[] = [];
  const declaredLines = declaredCoverage(org.declared);
  for (const item of plan) {
    for (const methodName of item.methods) {
      const lookup = declaredTestResult(org.declared, item.testClass.name, methodName);
      const result: MethodResult = lookup.result
        ? {
            ...lookup.result,
            testClass: item.testClass,
            methodName,
            runTime: lookup.result.runTime ?? 0,
            declared: true,
          }
        : {
            outcome: 'Skip',
            message:
              lookup.invalidOutcome !== undefined
                ? `${NOT_RUN_MESSAGE} (Its declared outcome "${lookup.invalidOutcome}" is not one of Pass, Fail, CompileFail, Skip.)`
                : NOT_RUN_MESSAGE,
            testClass: item.testClass,
            methodName,
            runTime: 0,
            declared: false,
            ...(lookup.invalidOutcome !== undefined ? { invalidOutcome: lookup.invalidOutcome } : {}),
          };
      results.push(result);
      if (options.skipCodeCoverage || !ran(result)) continue;
      for (const [targetName, lines] of declaredLines) {
        if (!coverageAppliesTo(lines, item.testClass.name, methodName)) continue;
        const asClass = findApexRecord(org, 'ApexClass', targetName);
        const target = asClass ?? findApexRecord(org, 'ApexTrigger', targetName);
        if (!target) continue;
        coverage.push({
          testClass: item.testClass,
          methodName,
          target,
          targetKind: asClass ? 'ApexClass' : 'ApexTrigger',
          covered: lines.covered,
          uncovered: lines.uncovered,
        });
      }
    }
  }
  return { results, coverage };
}

/**
 * Writes ApexCodeCoverage and ApexCodeCoverageAggregate for a run's coverage, and ApexOrgWideCoverage
 * from the aggregates, for every run that computes coverage, even one that earned none: the org-wide
 * figure a run reports (apex-node reads 0% when there is no row) is then the one the org keeps.
 */
export function recordCoverage(
  org: OrgState,
  coverage: CoverageHit[],
  options: { skipCodeCoverage: boolean },
): void {
  if (options.skipCodeCoverage) return;
  const { records } = org;
  for (const hit of coverage) {
    for (const existing of [...records.rows('ApexCodeCoverage')]) {
      if (
        existing.ApexTestClassId === hit.testClass.record.Id &&
        existing.TestMethodName === hit.methodName &&
        existing.ApexClassOrTriggerId === hit.target.Id
      ) {
        records.delete('ApexCodeCoverage', existing.Id);
      }
    }
    insertAsOrg(org, 'ApexCodeCoverage', {
      ApexTestClassId: hit.testClass.record.Id,
      TestMethodName: hit.methodName,
      ApexClassOrTriggerId: hit.target.Id,
      NumLinesCovered: hit.covered.length,
      NumLinesUncovered: hit.uncovered.length,
      Coverage: { coveredLines: hit.covered, uncoveredLines: hit.uncovered },
    });
  }
  const targets = new Map(coverage.map((hit) => [hit.target.Id, hit]));
  for (const hit of targets.values()) {
    const values = {
      ApexClassOrTriggerId: hit.target.Id,
      NumLinesCovered: hit.covered.length,
      NumLinesUncovered: hit.uncovered.length,
      Coverage: { coveredLines: hit.covered, uncoveredLines: hit.uncovered },
    };
    const existing = [...records.rows('ApexCodeCoverageAggregate')].find(
      (row) => row.ApexClassOrTriggerId === hit.target.Id,
    );
    if (existing) updateAsOrg(org, 'ApexCodeCoverageAggregate', existing.Id, values);
    else insertAsOrg(org, 'ApexCodeCoverageAggregate', values);
  }
  let covered = 0;
  let total = 0;
  for (const aggregate of records.rows('ApexCodeCoverageAggregate')) {
    covered += Number(aggregate.NumLinesCovered ?? 0);
    total += Number(aggregate.NumLinesCovered ?? 0) + Number(aggregate.NumLinesUncovered ?? 0);
  }
  const percent = total === 0 ? 0 : Math.round((covered / total) * 100);
  const orgWide = [...records.rows('ApexOrgWideCoverage')][0];
  if (orgWide) updateAsOrg(org, 'ApexOrgWideCoverage', orgWide.Id, { PercentCovered: percent });
  else insertAsOrg(org, 'ApexOrgWideCoverage', { PercentCovered: percent });
}

/**
 * The `codeCoverage` entries (CodeCoverageResult) of a RunTestsResult, one per covered class or
 * trigger: what runTestsSynchronous answers and what a deploy's runTestResult carries.
 */
export function codeCoverageResults(coverage: CoverageHit[]): Record<string, unknown>[] {
  const byTarget = new Map<string, CoverageHit>();
  for (const hit of coverage) byTarget.set(hit.target.Id, hit);
  return [...byTarget.values()].map((hit) => ({
    dmlInfo: [],
    id: hit.target.Id,
    locationsNotCovered: hit.uncovered.map((line) => ({ column: 0, line, numExecutions: 0, time: -1 })),
    methodInfo: [],
    name: String(hit.target.Name),
    namespace: null,
    numLocations: hit.covered.length + hit.uncovered.length,
    numLocationsNotCovered: hit.uncovered.length,
    soqlInfo: [],
    soslInfo: [],
    type: hit.targetKind === 'ApexClass' ? 'Class' : 'Trigger',
  }));
}

/**
 * `codeCoverageWarnings` entries (CodeCoverageWarning: id, message, name, namespace) saying which test
 * methods were not run, one per test class. A RunTestsResult has no list of skipped tests; this is the
 * field of it that source-deploy-retrieve types (`CodeCoverageWarnings`) and `sf project deploy` prints,
 * and the warning is true: the coverage a deploy reports does not include what these tests would cover.
 */
export function notRunWarnings(results: MethodResult[]): Record<string, unknown>[] {
  const byClass = new Map<
    string,
    { testClass: TestClass; undeclared: string[]; skipped: string[]; invalid: boolean }
  >();
  for (const result of results) {
    if (result.outcome !== 'Skip') continue;
    const entry = byClass.get(result.testClass.record.Id) ?? {
      testClass: result.testClass,
      undeclared: [],
      skipped: [],
      invalid: false,
    };
    const name = `${result.testClass.name}.${result.methodName}`;
    if (result.declared) entry.skipped.push(name);
    else entry.undeclared.push(name);
    if (result.invalidOutcome !== undefined) entry.invalid = true;
    byClass.set(result.testClass.record.Id, entry);
  }
  return [...byClass.values()].map(({ testClass, undeclared, skipped, invalid }) => {
    const parts: string[] = [];
    if (undeclared.length) {
      parts.push(
        `Not run: ${undeclared.join(', ')}. The sfmcp local org (a test double) cannot run Apex; ` +
          `declare these tests' outcomes in the seed (declared.apexTests) to simulate them.${invalid ? ' (A declared outcome must be one of Pass, Fail, CompileFail, Skip.)' : ''}`,
      );
    }
    if (skipped.length) parts.push(`Not run (Skip, as the seed declares): ${skipped.join(', ')}.`);
    return { id: testClass.record.Id, message: parts.join(' '), name: testClass.name, namespace: null };
  });
}

/**
 * `runTestsSynchronous`: runs and answers with Salesforce's RunTestsResult shape. That shape has only
 * `successes` and `failures`, no place for a skipped test, and clients derive the run's outcome from
 * them (apex-node: "Passed" when `failures` is empty). So a test that was not run (Skip) is listed under
 * `failures` with its message saying it was not run, and under `codeCoverageWarnings`: left out, a run in
 * which nothing ran would read as passed.
 */
export function runTestsSynchronously(
  org: OrgState,
  payload: Record<string, unknown>,
): Record<string, unknown> {
  const plan = planTestRun(org, payload);
  const skipCodeCoverage = payload.skipCodeCoverage === true;
  const outcome = executeTestPlan(org, plan, { skipCodeCoverage });
  org.records.transaction(() => recordCoverage(org, outcome.coverage, { skipCodeCoverage }));
  const successes = [];
  const failures = [];
  for (const result of outcome.results) {
    const base = {
      id: result.testClass.record.Id,
      methodName: result.methodName,
      name: result.testClass.name,
      namespace: null,
      seeAllData: false,
      time: result.runTime,
    };
    if (result.outcome === 'Pass') successes.push(base);
    else
      failures.push({
        ...base,
        message: result.message ?? (result.outcome === 'Skip' ? NOT_RUN_MESSAGE : ''),
        stackTrace: result.stackTrace ?? '',
        type: 'Class',
      });
  }
  return {
    apexLogId: null,
    codeCoverage: codeCoverageResults(outcome.coverage),
    codeCoverageWarnings: notRunWarnings(outcome.results),
    failures,
    flowCoverage: [],
    flowCoverageWarnings: [],
    numFailures: failures.length,
    numTestsRun: successes.length + failures.length,
    successes,
    totalTime: outcome.results.reduce((sum, result) => sum + result.runTime, 0),
  };
}

/**
 * `runTestsAsynchronous`: writes the run's records and returns its AsyncApexJob id. Instant by default
 * (Completed by the time the id is returned); with `timing.testRunMs` the job, its ApexTestRunResult and
 * queue items are Queued, Processing after a fifth of the time, and Completed (with their ApexTestResults
 * and coverage) once it has passed, moved by timers that stopping the org clears.
 */
export function runTestsAsynchronously(org: OrgState, payload: Record<string, unknown>): string {
  const plan = planTestRun(org, payload);
  const skipCodeCoverage = payload.skipCodeCoverage === true;
  const outcome = executeTestPlan(org, plan, { skipCodeCoverage });
  const runMs = orgTiming(org).testRunMs ?? 0;
  const startTime = org.now();
  const totalTime = outcome.results.reduce((sum, result) => sum + result.runTime, 0);
  const failed = outcome.results.filter(isFailure).length;
  // Methods not run (Skip) are enqueued but never completed.
  const completed = outcome.results.filter((result) => result.outcome !== 'Skip').length;
  const ids = org.records.transaction(() => {
    const job = insertAsOrg(org, 'AsyncApexJob', {
      JobType: 'TestRequest',
      Status: runMs > 0 ? 'Queued' : 'Completed',
      JobItemsProcessed: runMs > 0 ? 0 : plan.length,
      TotalJobItems: plan.length,
      NumberOfErrors: runMs > 0 ? 0 : failed,
      ...(runMs > 0 ? {} : { CompletedDate: salesforceDateTime(new Date(startTime.getTime() + totalTime)) }),
    });
    const runResult = insertAsOrg(org, 'ApexTestRunResult', {
      AsyncApexJobId: job.Id,
      UserId: org.userId,
      JobName: null,
      IsAllTests: payload.testLevel === 'RunAllTestsInOrg',
      Source: 'RESTAPI',
      StartTime: salesforceDateTime(startTime),
      TestSetupTime: 0,
      Status: 'Queued',
      ClassesEnqueued: plan.length,
      ClassesCompleted: 0,
      MethodsEnqueued: outcome.results.length,
      MethodsCompleted: 0,
      MethodsFailed: 0,
    });
    const queueItems = plan.map(
      (item) =>
        insertAsOrg(org, 'ApexTestQueueItem', {
          ApexClassId: item.testClass.record.Id,
          Status: 'Queued',
          ParentJobId: job.Id,
          TestRunResultId: runResult.Id,
          ShouldSkipCodeCoverage: skipCodeCoverage,
        }).Id,
    );
    return { job: job.Id, runResult: runResult.Id, queueItems };
  });
  const processing = () =>
    org.records.transaction(() => {
      updateAsOrg(org, 'AsyncApexJob', ids.job, { Status: 'Processing' });
      updateAsOrg(org, 'ApexTestRunResult', ids.runResult, { Status: 'Processing' });
      for (const id of ids.queueItems) updateAsOrg(org, 'ApexTestQueueItem', id, { Status: 'Processing' });
    });
  const complete = () =>
    org.records.transaction(() => {
      const endTime = new Date(Math.max(org.now().getTime(), startTime.getTime() + totalTime));
      updateAsOrg(org, 'AsyncApexJob', ids.job, {
        Status: 'Completed',
        JobItemsProcessed: plan.length,
        NumberOfErrors: failed,
        CompletedDate: salesforceDateTime(endTime),
      });
      updateAsOrg(org, 'ApexTestRunResult', ids.runResult, {
        EndTime: salesforceDateTime(endTime),
        TestTime: totalTime,
        Status: 'Completed',
        ClassesCompleted: plan.length,
        MethodsCompleted: completed,
        MethodsFailed: failed,
      });
      plan.forEach((item, index) => {
        const queueItemId = ids.queueItems[index] as string;
        const classResults = outcome.results.filter((candidate) => candidate.testClass === item.testClass);
        updateAsOrg(org, 'ApexTestQueueItem', queueItemId, {
          Status: 'Completed',
          // Salesforce's pass rate of the class: "(passed/total)".
          ExtendedStatus: `(${classResults.filter((result) => result.outcome === 'Pass').length}/${classResults.length})`,
        });
        for (const result of classResults) {
          insertAsOrg(org, 'ApexTestResult', {
            TestTimestamp: salesforceDateTime(startTime),
            Outcome: result.outcome,
            ApexClassId: item.testClass.record.Id,
            MethodName: result.methodName,
            Message: result.message ?? null,
            StackTrace: result.stackTrace ?? null,
            AsyncApexJobId: ids.job,
            QueueItemId: queueItemId,
            ApexLogId: null,
            ApexTestRunResultId: ids.runResult,
            RunTime: result.runTime,
            IsTestSetup: false,
          });
        }
      });
      recordCoverage(org, outcome.coverage, { skipCodeCoverage });
    });
  if (runMs > 0) {
    scheduleOrgTimer(org, runMs / 5, processing);
    scheduleOrgTimer(org, runMs, complete);
  } else {
    complete();
  }
  return ids.job;
}
