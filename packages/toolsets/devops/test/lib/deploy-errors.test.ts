import { describe, expect, it } from 'vitest';
import { isMergeConflict, missingDependency, parseDeployErrors } from '../../src/lib/deploy-errors.js';

describe('parseDeployErrors: text', () => {
  it('reads Metadata API component failures', () => {
    expect(parseDeployErrors('ApexClass AccountService: Variable does not exist: Region__c (5:17)')).toEqual([
      {
        componentType: 'ApexClass',
        fullName: 'AccountService',
        line: 5,
        column: 17,
        problem: 'Variable does not exist: Region__c',
        missing: { type: 'CustomField', name: 'Region__c' },
      },
    ]);
    expect(
      parseDeployErrors(
        'CustomField Account.Region__c: In field: ReferenceTo - no CustomObject named Region__c found',
      ),
    ).toEqual([
      {
        componentType: 'CustomField',
        fullName: 'Account.Region__c',
        problem: 'In field: ReferenceTo - no CustomObject named Region__c found',
        missing: { type: 'CustomObject', name: 'Region__c' },
      },
    ]);
  });

  it('reads failures keyed by file', () => {
    expect(
      parseDeployErrors(
        'force-app/main/default/classes/AccountService.cls: Invalid type: DiscountCalculator',
      ),
    ).toEqual([
      {
        file: 'force-app/main/default/classes/AccountService.cls',
        problem: 'Invalid type: DiscountCalculator',
        missing: { type: 'ApexClass', name: 'DiscountCalculator' },
      },
    ]);
    expect(
      parseDeployErrors(
        'force-app/main/default/classes/AccountService.cls:12:5: Variable does not exist: Tier__c',
      ),
    ).toEqual([
      {
        file: 'force-app/main/default/classes/AccountService.cls',
        line: 12,
        column: 5,
        problem: 'Variable does not exist: Tier__c',
        missing: { type: 'CustomField', name: 'Tier__c' },
      },
    ]);
  });

  it('reads the failure table of sf project deploy', () => {
    const table = `Deploying v62.0 metadata to admin@acme.dev using the v62.0 SOAP API.

Status: Failed
Deploy ID: 0Af5g00000XyZ1ACAV
Target Org: admin@acme.dev
Elapsed Time: 4.12s

Component Failures [3]
 Type   Name              Problem                                                             Line:Column
 ────── ───────────────── ─────────────────────────────────────────────────────────────────── ───────────
 Error  AccountService    Variable does not exist: Foo (5:17)                                 5:17
 Error  InvoiceTrigger    Invalid type: InvoiceHandler (3:9)                                  3:9
 Error  Account.Region__c In field: Region__c - no CustomField named Account.Region__c found
`;
    expect(parseDeployErrors(table)).toEqual([
      {
        fullName: 'AccountService',
        line: 5,
        column: 17,
        problem: 'Variable does not exist: Foo',
        missing: { type: 'ApexClass', name: 'Foo' },
      },
      {
        fullName: 'InvoiceTrigger',
        line: 3,
        column: 9,
        problem: 'Invalid type: InvoiceHandler',
        missing: { type: 'ApexClass', name: 'InvoiceHandler' },
      },
      {
        fullName: 'Account.Region__c',
        problem: 'In field: Region__c - no CustomField named Account.Region__c found',
        missing: { type: 'CustomField', name: 'Account.Region__c' },
      },
    ]);
  });

  it('reads the brief row form and boxed tables', () => {
    expect(parseDeployErrors('Error  AccountService  Variable does not exist: Foo  (5:17)')).toEqual([
      {
        fullName: 'AccountService',
        line: 5,
        column: 17,
        problem: 'Variable does not exist: Foo',
        missing: { type: 'ApexClass', name: 'Foo' },
      },
    ]);
    const boxed = `│ Type  │ Name           │ Problem                                   │ Line:Column │
├───────┼────────────────┼───────────────────────────────────────────┼─────────────┤
│ Error │ AccountService │ No such column 'Region__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. │ 8:12 │`;
    expect(parseDeployErrors(boxed)).toEqual([
      {
        fullName: 'AccountService',
        line: 8,
        column: 12,
        problem:
          "No such column 'Region__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.",
        missing: { type: 'CustomField', name: 'Account.Region__c' },
      },
    ]);
  });

  it('reads the older per-path table', () => {
    const table = `=== Deploy Errors
PROJECT PATH                                        ERROR
──────────────────────────────────────────────────  ─────────────────────────────────────────────
force-app/main/default/classes/AccountService.cls   Variable does not exist: Region__c (5:17)`;
    expect(parseDeployErrors(table)).toEqual([
      {
        file: 'force-app/main/default/classes/AccountService.cls',
        line: 5,
        column: 17,
        problem: 'Variable does not exist: Region__c',
        missing: { type: 'CustomField', name: 'Region__c' },
      },
    ]);
  });

  it('reads DevOps Center promotion messages', () => {
    const promotion = `Promotion of WI-000123 to UAT failed.
Deployment 0Af5g00000AbCdE failed with 2 component errors:
1. ApexClass:AccountService - Dependent class is invalid and needs recompilation: Class DiscountCalculator : Variable does not exist: Rate__c
2. Flow Account_Onboarding: Entity of type 'ApexClass' named 'OnboardingAction' cannot be found
Line 12, column 4: a line with no component`;
    expect(parseDeployErrors(promotion)).toEqual([
      {
        componentType: 'ApexClass',
        fullName: 'AccountService',
        problem:
          'Dependent class is invalid and needs recompilation: Class DiscountCalculator : Variable does not exist: Rate__c',
        missing: { type: 'ApexClass', name: 'DiscountCalculator' },
      },
      {
        componentType: 'Flow',
        fullName: 'Account_Onboarding',
        problem: "Entity of type 'ApexClass' named 'OnboardingAction' cannot be found",
        missing: { type: 'ApexClass', name: 'OnboardingAction' },
      },
    ]);
  });

  it('keeps lines of prose that name a missing component, and drops the rest', () => {
    expect(parseDeployErrors('The deploy failed.\nInvalid type: DiscountCalculator\nPlease retry.')).toEqual([
      {
        problem: 'Invalid type: DiscountCalculator',
        missing: { type: 'ApexClass', name: 'DiscountCalculator' },
      },
    ]);
    expect(parseDeployErrors('Something went wrong, please try again later.')).toEqual([]);
    expect(parseDeployErrors('')).toEqual([]);
  });

  it('keeps errors without a missing dependency', () => {
    expect(
      parseDeployErrors(
        'ApexClass AccountService: Method does not exist or incorrect signature: void run() (9:3)',
      ),
    ).toEqual([
      {
        componentType: 'ApexClass',
        fullName: 'AccountService',
        line: 9,
        column: 3,
        problem: 'Method does not exist or incorrect signature: void run()',
      },
    ]);
  });

  it('drops duplicates', () => {
    const line = 'ApexClass AccountService: Invalid type: Foo (1:1)';
    expect(parseDeployErrors(`${line}\n${line}`)).toHaveLength(1);
  });
});

describe('parseDeployErrors: JSON', () => {
  const failure = {
    changed: false,
    columnNumber: 17,
    componentType: 'ApexClass',
    created: false,
    createdDate: '2024-10-01T10:00:00.000Z',
    deleted: false,
    fileName: 'classes/AccountService.cls',
    fullName: 'AccountService',
    lineNumber: 5,
    problem: 'Variable does not exist: Region__c',
    problemType: 'Error',
    success: false,
  };
  const expected = {
    componentType: 'ApexClass',
    fullName: 'AccountService',
    file: 'classes/AccountService.cls',
    line: 5,
    column: 17,
    problem: 'Variable does not exist: Region__c',
    missing: { type: 'CustomField', name: 'Region__c' },
  };

  it('reads a bare componentFailures array', () => {
    expect(parseDeployErrors(JSON.stringify([failure]))).toEqual([expected]);
  });

  it('reads componentFailures inside details, result.details and a single object', () => {
    expect(parseDeployErrors(JSON.stringify({ details: { componentFailures: [failure] } }))).toEqual([
      expected,
    ]);
    expect(
      parseDeployErrors(
        JSON.stringify({
          status: 1,
          result: { status: 'Failed', success: false, details: { componentFailures: failure } },
        }),
      ),
    ).toEqual([expected]);
    expect(
      parseDeployErrors(
        `Here is what I got:\n${JSON.stringify({ result: { details: { componentFailures: [failure] } } }, null, 2)}\n`,
      ),
    ).toEqual([expected]);
  });

  it('takes line numbers given as strings, and skips warnings and successes', () => {
    const json = {
      result: {
        details: {
          componentSuccesses: [
            { componentType: 'ApexClass', fullName: 'Ok', problem: 'ignored', success: true },
          ],
          componentFailures: [
            { ...failure, lineNumber: '7', columnNumber: '2' },
            { ...failure, fullName: 'Legacy', problemType: 'Warning', problem: 'Deprecated API version' },
            {
              componentType: 'CustomField',
              fullName: 'Invoice__c.Paid__c',
              problem: 'Field Invoice__c.Amount__c does not exist. Check spelling.',
              problemType: 'Error',
            },
          ],
        },
      },
    };
    expect(parseDeployErrors(JSON.stringify(json))).toEqual([
      { ...expected, line: 7, column: 2 },
      {
        componentType: 'CustomField',
        fullName: 'Invoice__c.Paid__c',
        problem: 'Field Invoice__c.Amount__c does not exist. Check spelling.',
        missing: { type: 'CustomField', name: 'Invoice__c.Amount__c' },
      },
    ]);
  });

  it('reads the failed files of sf --json results', () => {
    const json = {
      status: 1,
      result: {
        files: [
          {
            fullName: 'Region',
            type: 'ApexClass',
            state: 'Changed',
            filePath: '/p/force-app/main/default/classes/Region.cls',
          },
          {
            fullName: 'AccountService',
            type: 'ApexClass',
            state: 'Failed',
            filePath: '/p/force-app/main/default/classes/AccountService.cls',
            error: 'Invalid type: Schema.Invoice__c (3:5)',
            problemType: 'Error',
          },
        ],
      },
    };
    expect(parseDeployErrors(JSON.stringify(json))).toEqual([
      {
        componentType: 'ApexClass',
        fullName: 'AccountService',
        file: '/p/force-app/main/default/classes/AccountService.cls',
        line: 3,
        column: 5,
        problem: 'Invalid type: Schema.Invoice__c',
        missing: { type: 'CustomObject', name: 'Invoice__c' },
      },
    ]);
  });

  it('reads the messages of JSON without component failures', () => {
    const json = { status: 1, name: 'DeployFailed', message: 'Invalid type: DiscountCalculator' };
    expect(parseDeployErrors(JSON.stringify(json))).toEqual([
      {
        problem: 'Invalid type: DiscountCalculator',
        missing: { type: 'ApexClass', name: 'DiscountCalculator' },
      },
    ]);
  });

  it('survives broken and hostile JSON', () => {
    expect(parseDeployErrors('{"componentFailures": [ {"problem": "x"')).toEqual([]);
    const deep = `${'{"nested":'.repeat(5000)}${JSON.stringify({ componentFailures: [failure] })}${'}'.repeat(5000)}`;
    // Too deep to be a deploy result: at most the line itself, cut short.
    const parsed = parseDeployErrors(deep);
    expect(parsed.length).toBeLessThanOrEqual(1);
    expect(parsed[0]?.problem.length ?? 0).toBeLessThanOrEqual(2001);
    const many = {
      componentFailures: Array.from({ length: 2000 }, (_, i) => ({ ...failure, fullName: `C${i}` })),
    };
    expect(parseDeployErrors(JSON.stringify(many)).length).toBeLessThanOrEqual(500);
  });
});

describe('missingDependency', () => {
  const cases: Array<[string, { type: string; name: string } | undefined]> = [
    ['Variable does not exist: Region__c', { type: 'CustomField', name: 'Region__c' }],
    ['Variable does not exist: acct.Region__c', { type: 'CustomField', name: 'acct.Region__c' }],
    ['Variable does not exist: Owner__r', { type: 'CustomField', name: 'Owner__c' }],
    ['Variable does not exist: DiscountCalculator', { type: 'ApexClass', name: 'DiscountCalculator' }],
    ['Variable does not exist: Config__mdt', { type: 'CustomObject', name: 'Config__mdt' }],
    ['Invalid type: DiscountCalculator', { type: 'ApexClass', name: 'DiscountCalculator' }],
    ['Invalid type: Invoice__c', { type: 'CustomObject', name: 'Invoice__c' }],
    ['Invalid type: Schema.Invoice__c', { type: 'CustomObject', name: 'Invoice__c' }],
    ['Invalid type: Pricing.Calculator', { type: 'ApexClass', name: 'Pricing' }],
    [
      "No such column 'Region__c' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c'",
      { type: 'CustomField', name: 'Account.Region__c' },
    ],
    [
      "No such column 'Owner__r' on entity 'Invoice__c'",
      { type: 'CustomField', name: 'Invoice__c.Owner__c' },
    ],
    ['Field Region__c does not exist. Check spelling.', { type: 'CustomField', name: 'Region__c' }],
    ['Field Account.Region__c does not exist', { type: 'CustomField', name: 'Account.Region__c' }],
    [
      'In field: field - no CustomField named Account.Region__c found',
      { type: 'CustomField', name: 'Account.Region__c' },
    ],
    [
      'In field: SobjectType - no CustomObject named Invoice__c found',
      { type: 'CustomObject', name: 'Invoice__c' },
    ],
    [
      "Entity of type 'CustomObject' named 'Invoice__c' cannot be found",
      { type: 'CustomObject', name: 'Invoice__c' },
    ],
    [
      'Dependent class is invalid and needs recompilation:\n Class DiscountCalculator : Invalid type: Rate',
      { type: 'ApexClass', name: 'DiscountCalculator' },
    ],
    ['Invalid field Tier__c for SObject Account', { type: 'CustomField', name: 'Account.Tier__c' }],
    ["sObject type 'Invoice__c' is not supported.", { type: 'CustomObject', name: 'Invoice__c' }],
    [
      "Unable to find Apex action class referenced as 'OnboardingAction'.",
      { type: 'ApexClass', name: 'OnboardingAction' },
    ],
    [
      'Field $Label.Region_Help does not exist. Check spelling.',
      { type: 'CustomLabel', name: 'Region_Help' },
    ],
    ['Method does not exist or incorrect signature: void run() from the type AccountService', undefined],
    ['Test coverage of selected Apex Trigger is 0%, at least 1% test coverage is required', undefined],
  ];
  it.each(cases)('%s', (problem, missing) => {
    expect(missingDependency(problem)).toEqual(missing);
  });
});

describe('isMergeConflict', () => {
  it('recognises DevOps Center and git conflict messages', () => {
    for (const text of [
      'MERGE_CONFLICT: The work item branch has conflicts with the UAT branch.',
      'Promotion failed: MERGE_CONFLICTS',
      'CONFLICTS: force-app/main/default/classes/AccountService.cls',
      'CONFLICT (content): Merge conflict in force-app/main/default/classes/AccountService.cls',
      'CONFLICT (modify/delete): force-app/main/default/classes/Legacy.cls deleted in uat and modified in HEAD.',
      'The promotion could not be completed because of a merge conflict between WI-000001 and uat.',
      'Automatic merge failed; fix conflicts and then commit the result.',
    ]) {
      expect(isMergeConflict(text), text).toBe(true);
    }
  });

  it('does not see conflicts in ordinary component failures', () => {
    for (const text of [
      'ApexClass AccountService: Variable does not exist: Region__c (5:17)',
      'Error  AccountService  Invalid type: ConflictResolver  (3:9)',
      'DUPLICATE_VALUE: duplicate value found',
      '',
    ]) {
      expect(isMergeConflict(text), text).toBe(false);
    }
  });
});
