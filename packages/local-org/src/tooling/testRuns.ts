/**
 * Apex test runs. Which tests exist comes from the deployed class bodies (`@isTest` classes and
 * their `@isTest` / `testMethod` methods); what they do comes from the seed's declared outcomes
 * and coverage (see declared.ts). A run finishes at once: an asynchronous run is Completed by the
 * time its id is returned, with the records apex-node polls for already written.
 */
import { SalesforceApiError } from '../errors.js';
import type { OrgState, StoredRecord } from '../state/types.js';
import { allTestClasses, findApexRecord, testClassOf, type TestClass } from './apexRecords.js';
import { insertAsOrg, updateAsOrg } from './trusted.js';
import { coverageAppliesTo, declaredCoverage, declaredTestResult, type DeclaredTestResult } from './declared.js';

export interface TestRunItem {
  testClass: TestClass;
  methods: string[];
}

export interface MethodResult extends DeclaredTestResult {
  testClass: TestClass;
  methodName: string;
  runTime: number;
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
    if (!record) throw invalidInput(`This class id's value is invalid: ${reference.classId}. Provide the id of an Apex class that has test methods.`);
  } else if (typeof reference.className === 'string' && reference.className) {
    const name = reference.className.includes('.') ? reference.className.split('.').pop() ?? '' : reference.className;
    record = findApexRecord(org, 'ApexClass', name);
  }
  const testClass = record ? testClassOf(record) : undefined;
  if (!testClass) {
    const name = String(reference.className ?? reference.classId ?? '');
    throw invalidInput(`This class name's value is invalid: ${name}. Provide the name of an Apex class that has test methods.`);
  }
  return testClass;
}

function splitList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter(Boolean);
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
    if (by === 'Id' ? candidate.slice(0, 15) === value.slice(0, 15) : candidate.toLowerCase() === value.toLowerCase()) return suite;
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
      if (typeof entry !== 'object' || entry === null) throw invalidInput('Each entry of tests must be an object with className or classId.');
      const item = entry as Record<string, unknown>;
      const testClass = resolveClass(org, item);
      const requested = splitList(item.testMethods);
      for (const method of requested) {
        if (!testClass.methods.some((known) => known.toLowerCase() === method.toLowerCase())) {
          throw invalidInput(`Method ${method} does not exist or is not a test method in class ${testClass.name}.`);
        }
      }
      const methods = requested.length
        ? requested.map((method) => testClass.methods.find((known) => known.toLowerCase() === method.toLowerCase()) ?? method)
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
    for (const testClass of suiteClasses(org, findSuite(org, 'TestSuiteName', suiteName))) addItem(plan, testClass, testClass.methods);
  }
  for (const suiteId of splitList(payload.suiteids)) {
    for (const testClass of suiteClasses(org, findSuite(org, 'Id', suiteId))) addItem(plan, testClass, testClass.methods);
  }
  if (plan.length === 0) {
    throw invalidInput('Specify at least one test class, test suite or a test level of RunLocalTests or RunAllTestsInOrg.');
  }
  return plan;
}

/** The declared outcome of every planned method, and the declared coverage it earns. */
export function executeTestPlan(org: OrgState, plan: TestRunItem[], options: { skipCodeCoverage: boolean }): TestRunOutcome {
  const results: MethodResult[] = [];
  const coverage: CoverageHit[] = [];
  const declaredLines = declaredCoverage(org.declared);
  for (const item of plan) {
    for (const methodName of item.methods) {
      const declared = declaredTestResult(org.declared, item.testClass.name, methodName);
      results.push({ ...declared, testClass: item.testClass, methodName, runTime: declared.runTime ?? 0 });
      if (options.skipCodeCoverage) continue;
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

/** Writes ApexCodeCoverage, ApexCodeCoverageAggregate and ApexOrgWideCoverage for a run's coverage. */
export function recordCoverage(org: OrgState, coverage: CoverageHit[]): void {
  if (coverage.length === 0) return;
  const { records } = org;
  for (const hit of coverage) {
    for (const existing of [...records.rows('ApexCodeCoverage')]) {
      if (existing.ApexTestClassId === hit.testClass.record.Id && existing.TestMethodName === hit.methodName && existing.ApexClassOrTriggerId === hit.target.Id) {
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
    const existing = [...records.rows('ApexCodeCoverageAggregate')].find((row) => row.ApexClassOrTriggerId === hit.target.Id);
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

function codeCoverageEntries(coverage: CoverageHit[]): Record<string, unknown>[] {
  const byTarget = new Map<string, CoverageHit>();
  for (const hit of coverage) byTarget.set(hit.target.Id, hit);
  return [...byTarget.values()].map((hit) => ({
    id: hit.target.Id,
    locationsNotCovered: hit.uncovered.map((line) => ({ column: 0, line, numExecutions: 0, time: -1 })),
    name: String(hit.target.Name),
    namespace: null,
    numLocations: hit.covered.length + hit.uncovered.length,
    numLocationsNotCovered: hit.uncovered.length,
    type: hit.targetKind === 'ApexClass' ? 'Class' : 'Trigger',
    dmlInfo: [],
    methodInfo: [],
    soqlInfo: [],
    soslInfo: [],
  }));
}

/** `runTestsSynchronous`: runs and answers with Salesforce's RunTestsResult shape. */
export function runTestsSynchronously(org: OrgState, payload: Record<string, unknown>): Record<string, unknown> {
  const plan = planTestRun(org, payload);
  const outcome = executeTestPlan(org, plan, { skipCodeCoverage: payload.skipCodeCoverage === true });
  org.records.transaction(() => recordCoverage(org, outcome.coverage));
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
    else if (result.outcome !== 'Skip') {
      failures.push({ ...base, message: result.message ?? '', stackTrace: result.stackTrace ?? '', type: 'Class' });
    }
  }
  return {
    apexLogId: null,
    codeCoverage: codeCoverageEntries(outcome.coverage),
    codeCoverageWarnings: [],
    failures,
    flowCoverage: [],
    flowCoverageWarnings: [],
    numFailures: failures.length,
    numTestsRun: successes.length + failures.length,
    successes,
    totalTime: outcome.results.reduce((sum, result) => sum + result.runTime, 0),
  };
}

/** `runTestsAsynchronous`: writes the finished run's records and returns its AsyncApexJob id. */
export function runTestsAsynchronously(org: OrgState, payload: Record<string, unknown>): string {
  const plan = planTestRun(org, payload);
  const outcome = executeTestPlan(org, plan, { skipCodeCoverage: payload.skipCodeCoverage === true });
  const startTime = org.now();
  const totalTime = outcome.results.reduce((sum, result) => sum + result.runTime, 0);
  const endTime = new Date(startTime.getTime() + totalTime);
  const failed = outcome.results.filter((result) => result.outcome === 'Fail' || result.outcome === 'CompileFail').length;
  return org.records.transaction(() => {
    const job = insertAsOrg(org, 'AsyncApexJob', {
      JobType: 'TestRequest',
      Status: 'Completed',
      JobItemsProcessed: plan.length,
      TotalJobItems: plan.length,
      NumberOfErrors: failed,
      CompletedDate: salesforceDateTime(endTime),
    });
    const runResult = insertAsOrg(org, 'ApexTestRunResult', {
      AsyncApexJobId: job.Id,
      UserId: org.userId,
      JobName: null,
      IsAllTests: payload.testLevel === 'RunAllTestsInOrg',
      Source: 'RESTAPI',
      StartTime: salesforceDateTime(startTime),
      EndTime: salesforceDateTime(endTime),
      TestTime: totalTime,
      TestSetupTime: 0,
      Status: 'Completed',
      ClassesEnqueued: plan.length,
      ClassesCompleted: plan.length,
      MethodsEnqueued: outcome.results.length,
      MethodsCompleted: outcome.results.length,
      MethodsFailed: failed,
    });
    for (const item of plan) {
      const queueItem = insertAsOrg(org, 'ApexTestQueueItem', {
        ApexClassId: item.testClass.record.Id,
        Status: 'Completed',
        ParentJobId: job.Id,
        TestRunResultId: runResult.Id,
        ShouldSkipCodeCoverage: payload.skipCodeCoverage === true,
      });
      for (const result of outcome.results.filter((candidate) => candidate.testClass === item.testClass)) {
        insertAsOrg(org, 'ApexTestResult', {
          TestTimestamp: salesforceDateTime(startTime),
          Outcome: result.outcome,
          ApexClassId: item.testClass.record.Id,
          MethodName: result.methodName,
          Message: result.message ?? null,
          StackTrace: result.stackTrace ?? null,
          AsyncApexJobId: job.Id,
          QueueItemId: queueItem.Id,
          ApexLogId: null,
          ApexTestRunResultId: runResult.Id,
          RunTime: result.runTime,
          IsTestSetup: false,
        });
      }
    }
    recordCoverage(org, outcome.coverage);
    return job.Id;
  });
}
