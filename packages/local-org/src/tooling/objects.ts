/**
 * The Tooling API objects the local org serves, with the fields @salesforce/apex-node and the sf CLI
 * read. Key prefixes are Salesforce's, so ids look as they do in a real org.
 *
 * Fields the org itself fills (test results, coverage) are createable at field level so the record
 * store accepts the org's own writes; the Tooling routes refuse client writes by the object-level flags.
 */
import type { FieldDef, FieldType, ObjectDef, PicklistValue, Schema } from '../state/types.js';

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type'>>;

function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  return {
    name,
    label: options.label ?? name.replace(/Id$/, ' ID').replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    nillable: true,
    createable: true,
    updateable: true,
    defaultedOnCreate: false,
    custom: false,
    ...(type === 'string' || type === 'picklist' ? { length: 255 } : {}),
    ...(type === 'int' || type === 'double' ? { precision: 18, scale: 0 } : {}),
    ...options,
  };
}

function reference(
  name: string,
  referenceTo: string[],
  relationshipName: string,
  options: FieldOptions = {},
): FieldDef {
  return field(name, 'reference', { length: 18, referenceTo, relationshipName, ...options });
}

function picklist(name: string, values: string[], options: FieldOptions = {}): FieldDef {
  const picklistValues: PicklistValue[] = values.map((value) => ({
    value,
    label: value,
    active: true,
    defaultValue: false,
  }));
  return field(name, 'picklist', { picklistValues, ...options });
}

const readOnly: FieldOptions = { createable: false, updateable: false };

function systemFields(): FieldDef[] {
  return [
    field('Id', 'id', {
      label: 'Record ID',
      nillable: false,
      createable: false,
      updateable: false,
      defaultedOnCreate: true,
      idLookup: true,
      length: 18,
    }),
    field('CreatedDate', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    reference('CreatedById', ['User'], 'CreatedBy', {
      ...readOnly,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field('LastModifiedDate', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    reference('LastModifiedById', ['User'], 'LastModifiedBy', {
      ...readOnly,
      nillable: false,
      defaultedOnCreate: true,
    }),
    field('SystemModstamp', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
  ];
}

interface ObjectOptions {
  keyPrefix: string;
  api?: ObjectDef['api'];
  label?: string;
  labelPlural?: string;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
}

function toolingObject(name: string, options: ObjectOptions, fields: FieldDef[]): ObjectDef {
  const label = options.label ?? name.replace(/([a-z])([A-Z])/g, '$1 $2');
  return {
    name,
    label,
    labelPlural: options.labelPlural ?? `${label}s`,
    keyPrefix: options.keyPrefix,
    custom: false,
    api: options.api ?? 'tooling',
    queryable: true,
    createable: options.createable ?? false,
    updateable: options.updateable ?? false,
    deletable: options.deletable ?? false,
    searchable: false,
    fields: [...systemFields(), ...fields],
  };
}

/**
 * `Coverage` holds `{ coveredLines: number[], uncoveredLines: number[] }`; Salesforce types it
 * `complexvalue`, which the record store has no type for, so it is kept as a compound (opaque) value
 * and described as `complexvalue` by the Tooling describe.
 */
function coverageField(): FieldDef {
  return field('Coverage', 'location', { label: 'Coverage', ...readOnly });
}

const LOG_LEVELS = ['NONE', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'FINE', 'FINER', 'FINEST'];

const levelFields = [
  'ApexCode',
  'ApexProfiling',
  'Callout',
  'Database',
  'Nba',
  'System',
  'Validation',
  'Visualforce',
  'Wave',
  'Workflow',
];

/**
 * The fields ApexClass and ApexTrigger share, in Salesforce's order, with room for each one's own:
 * a trigger's object after NamespacePrefix and its usage flags before ManageableState.
 */
function apexSourceFields(
  own: { afterNamespace?: FieldDef[]; beforeManageableState?: FieldDef[] } = {},
): FieldDef[] {
  return [
    field('Name', 'string', { nillable: false, nameField: true, idLookup: true }),
    field('NamespacePrefix', 'string', { length: 15, ...readOnly }),
    ...(own.afterNamespace ?? []),
    field('ApiVersion', 'double', { precision: 18, scale: 1, defaultedOnCreate: true }),
    picklist('Status', ['Inactive', 'Active', 'Deleted'], {
      nillable: false,
      defaultedOnCreate: true,
      defaultValue: 'Active',
    }),
    field('IsValid', 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue: true }),
    field('BodyCrc', 'double', { precision: 18, scale: 0 }),
    field('Body', 'textarea', { length: 1000000 }),
    field('LengthWithoutComments', 'int', { nillable: false, precision: 9 }),
    ...(own.beforeManageableState ?? []),
    picklist('ManageableState', ['beta', 'deleted', 'deprecated', 'installed', 'released', 'unmanaged'], {
      defaultedOnCreate: true,
      defaultValue: 'unmanaged',
    }),
  ];
}

/** The Tooling objects, in the order they are registered. */
export function toolingObjectDefs(): ObjectDef[] {
  return [
    toolingObject(
      'ApexClass',
      {
        keyPrefix: '01p',
        api: 'both',
        label: 'Apex Class',
        labelPlural: 'Apex Classes',
        createable: true,
        updateable: true,
        deletable: true,
      },
      apexSourceFields(),
    ),
    toolingObject(
      'ApexTrigger',
      {
        keyPrefix: '01q',
        api: 'both',
        label: 'Apex Trigger',
        createable: true,
        updateable: true,
        deletable: true,
      },
      apexSourceFields({
        afterNamespace: [
          field('TableEnumOrId', 'string', {
            length: 40,
            nillable: false,
            label: 'Custom Object Definition ID',
          }),
        ],
        beforeManageableState: [
          'BeforeInsert',
          'BeforeUpdate',
          'BeforeDelete',
          'AfterInsert',
          'AfterUpdate',
          'AfterDelete',
          'AfterUndelete',
        ].map((event) =>
          field(`Usage${event}`, 'boolean', {
            nillable: false,
            defaultedOnCreate: true,
            defaultValue: false,
          }),
        ),
      }),
    ),
    toolingObject('ApexLog', { keyPrefix: '07L', api: 'both', label: 'Apex Debug Log', deletable: true }, [
      reference('LogUserId', ['User'], 'LogUser'),
      field('LogLength', 'int', { nillable: false, precision: 9 }),
      field('Request', 'string', { length: 16 }),
      field('Operation', 'string', { length: 128 }),
      field('Application', 'string', { length: 64 }),
      field('Status', 'string', { nillable: false }),
      field('DurationMilliseconds', 'int', { nillable: false, precision: 9 }),
      field('StartTime', 'datetime', { nillable: false }),
      picklist('Location', ['Monitoring', 'Profiling', 'SystemLog', 'HeapDump', 'Preserved']),
    ]),
    toolingObject(
      'DebugLevel',
      { keyPrefix: '7dl', label: 'Debug Level', createable: true, updateable: true, deletable: true },
      [
        field('DeveloperName', 'string', { length: 80, nillable: false, nameField: true }),
        field('MasterLabel', 'string', { length: 80, nillable: false }),
        field('Language', 'picklist', { defaultedOnCreate: true, defaultValue: 'en_US', length: 40 }),
        ...levelFields.map((level) =>
          picklist(level, LOG_LEVELS, {
            defaultedOnCreate: true,
            defaultValue: level === 'ApexCode' ? 'DEBUG' : 'INFO',
          }),
        ),
      ],
    ),
    toolingObject(
      'TraceFlag',
      { keyPrefix: '7tf', label: 'Trace Flag', createable: true, updateable: true, deletable: true },
      [
        reference('TracedEntityId', ['User', 'ApexClass', 'ApexTrigger'], 'TracedEntity', {
          nillable: false,
        }),
        reference('DebugLevelId', ['DebugLevel'], 'DebugLevel', { nillable: false }),
        picklist('LogType', ['USER_DEBUG', 'CLASS_TRACING', 'DEVELOPER_LOG'], { nillable: false }),
        field('StartDate', 'datetime'),
        field('ExpirationDate', 'datetime'),
        ...levelFields.map((level) => picklist(level, LOG_LEVELS, { ...readOnly })),
      ],
    ),
    toolingObject('AsyncApexJob', { keyPrefix: '707', api: 'both', label: 'Apex Job' }, [
      picklist('JobType', [
        'Future',
        'SharingRecalculation',
        'ScheduledApex',
        'BatchApex',
        'BatchApexWorker',
        'TestRequest',
        'TestWorker',
        'ApexToken',
        'Queueable',
      ]),
      picklist('Status', ['Queued', 'Processing', 'Aborted', 'Completed', 'Failed', 'Preparing', 'Holding']),
      reference('ApexClassId', ['ApexClass'], 'ApexClass'),
      field('MethodName', 'string'),
      field('ExtendedStatus', 'string'),
      field('JobItemsProcessed', 'int', { precision: 9 }),
      field('TotalJobItems', 'int', { precision: 9 }),
      field('NumberOfErrors', 'int', { precision: 9 }),
      field('CompletedDate', 'datetime'),
      reference('ParentJobId', ['AsyncApexJob'], 'ParentJob'),
      field('LastProcessed', 'string', { length: 15 }),
    ]),
    toolingObject('ApexTestRunResult', { keyPrefix: '05m', label: 'Apex Test Run Result' }, [
      reference('AsyncApexJobId', ['AsyncApexJob'], 'AsyncApexJob'),
      reference('UserId', ['User'], 'User'),
      field('JobName', 'string'),
      field('IsAllTests', 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue: false }),
      field('Source', 'string'),
      field('StartTime', 'datetime'),
      field('EndTime', 'datetime'),
      field('TestTime', 'int', { precision: 9 }),
      field('TestSetupTime', 'int', { precision: 9 }),
      picklist('Status', ['Queued', 'Processing', 'Aborted', 'Completed', 'Failed']),
      field('ClassesEnqueued', 'int', { precision: 9 }),
      field('ClassesCompleted', 'int', { precision: 9 }),
      field('MethodsEnqueued', 'int', { precision: 9 }),
      field('MethodsCompleted', 'int', { precision: 9 }),
      field('MethodsFailed', 'int', { precision: 9 }),
    ]),
    toolingObject(
      'ApexTestQueueItem',
      { keyPrefix: '709', api: 'both', label: 'Apex Test Queue Item', createable: true, updateable: true },
      [
        reference('ApexClassId', ['ApexClass'], 'ApexClass'),
        picklist('Status', [
          'Holding',
          'Queued',
          'Preparing',
          'Processing',
          'Aborted',
          'Completed',
          'Failed',
        ]),
        field('ExtendedStatus', 'string'),
        reference('ParentJobId', ['AsyncApexJob'], 'ParentJob'),
        reference('TestRunResultId', ['ApexTestRunResult'], 'TestRunResult'),
        field('ShouldSkipCodeCoverage', 'boolean', {
          nillable: false,
          defaultedOnCreate: true,
          defaultValue: false,
        }),
      ],
    ),
    toolingObject('ApexTestResult', { keyPrefix: '07M', api: 'both', label: 'Apex Test Result' }, [
      field('TestTimestamp', 'datetime'),
      picklist('Outcome', ['Pass', 'Fail', 'CompileFail', 'Skip']),
      reference('ApexClassId', ['ApexClass'], 'ApexClass'),
      field('MethodName', 'string'),
      field('Message', 'textarea', { length: 4000 }),
      field('StackTrace', 'textarea', { length: 4000 }),
      reference('AsyncApexJobId', ['AsyncApexJob'], 'AsyncApexJob'),
      reference('QueueItemId', ['ApexTestQueueItem'], 'QueueItem'),
      reference('ApexLogId', ['ApexLog'], 'ApexLog'),
      reference('ApexTestRunResultId', ['ApexTestRunResult'], 'ApexTestRunResult'),
      field('RunTime', 'int', { precision: 9 }),
      field('IsTestSetup', 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue: false }),
    ]),
    toolingObject(
      'ApexCodeCoverage',
      { keyPrefix: '714', label: 'Apex Code Coverage', labelPlural: 'Apex Code Coverage', deletable: true },
      [
        reference('ApexTestClassId', ['ApexClass'], 'ApexTestClass'),
        field('TestMethodName', 'string'),
        reference('ApexClassOrTriggerId', ['ApexClass', 'ApexTrigger'], 'ApexClassOrTrigger'),
        field('NumLinesCovered', 'int', { precision: 9 }),
        field('NumLinesUncovered', 'int', { precision: 9 }),
        coverageField(),
      ],
    ),
    toolingObject(
      'ApexCodeCoverageAggregate',
      {
        keyPrefix: '715',
        label: 'Apex Code Coverage Aggregate',
        labelPlural: 'Apex Code Coverage Aggregates',
        deletable: true,
      },
      [
        reference('ApexClassOrTriggerId', ['ApexClass', 'ApexTrigger'], 'ApexClassOrTrigger'),
        field('NumLinesCovered', 'int', { precision: 9 }),
        field('NumLinesUncovered', 'int', { precision: 9 }),
        coverageField(),
      ],
    ),
    toolingObject(
      'ApexOrgWideCoverage',
      { keyPrefix: '716', label: 'Apex Org Wide Coverage', labelPlural: 'Apex Org Wide Coverage' },
      [field('PercentCovered', 'int', { precision: 3 })],
    ),
    toolingObject(
      'ApexTestSuite',
      { keyPrefix: '05F', label: 'Apex Test Suite', createable: true, updateable: true, deletable: true },
      [field('TestSuiteName', 'string', { length: 80, nillable: false, nameField: true })],
    ),
    toolingObject(
      'TestSuiteMembership',
      {
        keyPrefix: '2Mb',
        label: 'Test Suite Membership',
        labelPlural: 'Test Suite Memberships',
        createable: true,
        deletable: true,
      },
      [
        reference('ApexClassId', ['ApexClass'], 'ApexClass', { nillable: false }),
        reference('ApexTestSuiteId', ['ApexTestSuite'], 'ApexTestSuite', { nillable: false }),
      ],
    ),
  ];
}

/** Adds the Tooling objects (ApexClass, ApexTrigger, ApexLog, test results...) to a new org's schema. */
export function registerToolingObjects(schema: Schema): void {
  for (const definition of toolingObjectDefs()) schema.upsertObject(definition);
}
