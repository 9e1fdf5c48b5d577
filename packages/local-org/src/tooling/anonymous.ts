/**
 * Anonymous Apex: the parser decides whether a block compiles; what it does when it runs comes
 * from the seed's declared `anonymousApex` entries (see declared.ts). A block no entry matches is not
 * executed, since the local org cannot run Apex: it is answered as Salesforce answers a block that
 * compiled and did not succeed (`compiled: true, success: false`), its `exceptionMessage` saying why
 * ({@link NOT_EXECUTED_MESSAGE}), with no debug log. It is never answered as a success.
 */
import { checkApexSyntax } from '../apex/index.js';
import type { OrgState } from '../state/types.js';
import { declaredAnonymousApex } from './declared.js';
import { salesforceDateTime } from './testRuns.js';
import { insertAsOrg } from './trusted.js';

/** The exceptionMessage of an anonymous block no declared entry matches. */
export const NOT_EXECUTED_MESSAGE =
  "Not executed: the sfmcp local org (a test double) cannot run Apex. Declare this block's outcome in the seed (declared.anonymousApex) to simulate it.";

export interface AnonymousApexOutcome {
  /** The ExecuteAnonymousResult. */
  result: Record<string, unknown>;
  /** The declared debug log, when the seed gives one. */
  log?: string;
  /** Whether the block "ran": it compiled and a declared entry says what it did. */
  executed: boolean;
}

export function anonymousApexResult(org: OrgState, body: string): AnonymousApexOutcome {
  const [problem] = checkApexSyntax(body, 'anonymous');
  const notCompiled = (line: number, column: number, compileProblem: string): AnonymousApexOutcome => ({
    result: {
      line,
      column,
      compiled: false,
      success: false,
      compileProblem,
      exceptionStackTrace: null,
      exceptionMessage: null,
    },
    executed: false,
  });
  if (problem) return notCompiled(problem.line, problem.column, problem.problem);
  const declared = declaredAnonymousApex(org.declared, body);
  if (!declared) {
    return {
      result: {
        line: -1,
        column: -1,
        compiled: true,
        success: false,
        compileProblem: null,
        exceptionStackTrace: null,
        exceptionMessage: NOT_EXECUTED_MESSAGE,
      },
      executed: false,
    };
  }
  if (declared.compileProblem)
    return notCompiled(declared.line ?? 1, declared.column ?? 1, declared.compileProblem);
  const success = declared.success ?? !declared.exceptionMessage;
  return {
    result: {
      line: -1,
      column: -1,
      compiled: true,
      success,
      compileProblem: null,
      exceptionStackTrace: success ? null : (declared.exceptionStackTrace ?? null),
      exceptionMessage: success ? null : (declared.exceptionMessage ?? null),
    },
    ...(declared.log !== undefined ? { log: declared.log } : {}),
    executed: true,
  };
}

/** Keeps a run's debug log as an ApexLog record, its body readable at `ApexLog/<id>/Body`. */
export function writeApexLog(org: OrgState, log: string, operation: string): void {
  const record = insertAsOrg(org, 'ApexLog', {
    LogUserId: org.userId,
    LogLength: Buffer.byteLength(log, 'utf8'),
    Request: 'API',
    Operation: operation,
    Application: 'Unknown',
    Status: 'Success',
    DurationMilliseconds: 0,
    StartTime: salesforceDateTime(org.now()),
    Location: 'SystemLog',
  });
  const bodies = (org.extensions.get('tooling.apexLogBodies') as Record<string, string> | undefined) ?? {};
  bodies[record.Id] = log;
  org.extensions.set('tooling.apexLogBodies', bodies);
}
