/**
 * DevOps Center's objects, in its two data models: the standard ("platform") objects and the
 * DevOps Center managed package's `sf_devops__` objects. An org gets the objects of the one model
 * its seed declares, so a client tells the models apart the way it does on Salesforce: by which
 * objects a query finds (INVALID_TYPE for the others).
 */
import {
  checkbox,
  datetime,
  field,
  longText,
  lookup,
  objectDef,
  picklist,
  text,
  url,
} from '../state/fields.js';
import type { OrgSchema } from '../state/schema.js';
import type { ObjectDef } from '../state/types.js';

export type DevopsModelKind = 'platform' | 'managed-package';

/** WorkItem.Status and sf_devops__Work_Item__c.sf_devops__State__c (API values). */
export const WORK_ITEM_STATUSES = [
  'NEW',
  'IN_PROGRESS',
  'IN_REVIEW',
  'READY_TO_PROMOTE',
  'PROMOTED',
  'CLOSED',
  // Set aside for good ("Never"): a work item does not leave this status.
  'NEVERED',
] as const;
export type WorkItemStatus = (typeof WORK_ITEM_STATUSES)[number];

export const REQUEST_STATUSES = ['IN_PROGRESS', 'SUCCESS', 'ERROR'] as const;
export const REQUEST_OPERATION_TYPES = [
  'BACK_SYNC',
  'COMMIT',
  'DEPLOY',
  'INSPECT',
  'MIGRATE',
  'PROMOTE',
  'REBASE',
  'REBASE_AND_COMBINE',
  'SWAP',
  'TEST_ONLY',
  'TEST_RESUME',
] as const;
/** The managed package's Async Operation Result statuses. */
export const ASYNC_OPERATION_STATUSES = ['In Progress', 'Completed', 'Error', 'Ignored'] as const;

const PROVIDERS = ['GITHUB', 'BITBUCKET'];
const PREFIX_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function autoName(format: string, label: string) {
  return {
    ...field('Name', 'string', { label, length: 80, autoNumber: true, nameField: true }),
    autoNumberFormat: format,
  };
}

/** DevopsRequestInfo: both models track commit and promotion requests with it (a local-org choice for the package model). */
function requestInfo(): ObjectDef {
  return objectDef(
    'DevopsRequestInfo',
    '1rI',
    [
      autoName('REQ-{000000}', 'Name'),
      text('RequestToken', 255, { label: 'Request Id' }),
      picklist('Status', REQUEST_STATUSES, { restricted: true }),
      picklist('OperationType', REQUEST_OPERATION_TYPES, { default: 'PROMOTE', restricted: true }),
      text('Message', 255),
      longText('ErrorDetails', 32768, { label: 'Error Details' }),
      datetime('RequestCompletionDate', { label: 'Request Completion Date' }),
      lookup('ParentRequestInfoId', 'DevopsRequestInfo', {
        label: 'DevOps Request Info ID',
        relationshipName: 'ParentRequestInfo',
      }),
    ],
    { label: 'DevOps Request Info', labelPlural: 'DevOps Request Infos', ownable: true, deletable: false },
  );
}

function platformObjects(): ObjectDef[] {
  return [
    objectDef(
      'DevopsProject',
      '1dP',
      [
        text('Name', 255, { required: true, nameField: true }),
        text('Description', 255),
        checkbox('IsActive'),
      ],
      { label: 'DevOps Project', ownable: true },
    ),
    objectDef(
      'DevopsPipeline',
      '1dL',
      [
        text('Name', 255, { required: true, nameField: true }),
        lookup('SourceCodeRepositoryId', 'SourceCodeRepository', { label: 'Source Code Repository ID' }),
      ],
      { label: 'DevOps Pipeline', ownable: true },
    ),
    objectDef(
      'DevopsProjectPipeline',
      '1dJ',
      [
        autoName('PP-{000000}', 'Name'),
        lookup('DevopsProjectId', 'DevopsProject', { label: 'DevopsProject ID', required: true }),
        lookup('DevopsPipelineId', 'DevopsPipeline', { label: 'DevopsPipeline ID', required: true }),
      ],
      { label: 'DevOps Project Pipeline' },
    ),
    objectDef(
      'SourceCodeRepoProvider',
      '1sP',
      [
        text('Name', 255, { required: true, nameField: true }),
        // Set by the org when it starts: `file://<gitRoot>`.
        text('BaseUrl', 255, { label: 'Base URL' }),
        text('NamedCredential', 255, { label: 'Named Credential' }),
        picklist('Provider', PROVIDERS, { default: 'GITHUB', restricted: true }),
      ],
      { label: 'Source Code Repository Provider', ownable: true, deletable: false },
    ),
    objectDef(
      'SourceCodeRepository',
      '1sR',
      [
        text('Name', 255, { required: true, nameField: true }),
        text('ExternalRepositoryName', 255),
        text('RepositoryOwner', 255),
        picklist('Provider', PROVIDERS, { default: 'GITHUB', restricted: true }),
        text('DefaultBranch', 255),
        longText('ProviderInfo', 1000),
        text('ExternalId', 255, { label: 'External Id' }),
        lookup('SourceCodeRepoProviderId', 'SourceCodeRepoProvider', {
          label: 'Source Code Repo Provider ID',
        }),
      ],
      { label: 'Source Code Repository', labelPlural: 'Source Code Repositories', ownable: true },
    ),
    objectDef(
      'SourceCodeRepositoryBranch',
      '1sB',
      [
        text('Name', 255, { required: true, nameField: true }),
        lookup('SourceCodeRepositoryId', 'SourceCodeRepository', {
          label: 'Source Code Repository ID',
          required: true,
          cascadeDelete: true,
        }),
        text('ExternalId', 255, { label: 'External Id' }),
      ],
      { label: 'Source Code Repository Branch', labelPlural: 'Source Code Repository Branches' },
    ),
    objectDef(
      'DevopsPipelineStage',
      '1dS',
      [
        text('Name', 255, { nameField: true }),
        lookup('DevopsPipelineId', 'DevopsPipeline', {
          label: 'DevopsPipeline ID',
          required: true,
          cascadeDelete: true,
        }),
        lookup('NextStageId', 'DevopsPipelineStage', {
          label: 'NextStage ID',
          relationshipName: 'NextStage',
        }),
        lookup('SourceCodeRepositoryBranchId', 'SourceCodeRepositoryBranch', {
          label: 'SourceCodeRepositoryBranch ID',
        }),
        checkbox('IsBundled', { label: 'Is Bundled' }),
        datetime('LastSyncDate', { label: 'Last Sync Date' }),
        text('ReviewRemoteReference', 255, { label: 'Review Remote Reference' }),
        text('ExternalId', 255, { label: 'External Id' }),
      ],
      { label: 'DevOps Pipeline Stage' },
    ),
    objectDef(
      'WorkItem',
      '1wI',
      [
        autoName('WI-{000000}', 'Name'),
        text('Subject', 255, { required: true }),
        longText('Description', 32768),
        picklist('Status', WORK_ITEM_STATUSES, { default: 'NEW', restricted: true, nillable: false }),
        lookup('AssignedToId', 'User', { label: 'User ID', relationshipName: 'AssignedTo' }),
        lookup('DevopsProjectId', 'DevopsProject', { label: 'DevopsProject ID', required: true }),
        lookup('DevopsPipelineStageId', 'DevopsPipelineStage', { label: 'DevopsPipelineStage ID' }),
        lookup('SourceCodeRepositoryBranchId', 'SourceCodeRepositoryBranch', {
          label: 'SourceCodeRepositoryBranch ID',
        }),
        lookup('RebaseBranchId', 'SourceCodeRepositoryBranch', { label: 'Rebase Branch ID' }),
        checkbox('IsDevelopmentApproved', { label: 'Is Development Approved?' }),
        lookup('DevelopmentApprovedById', 'User', {
          label: 'User ID',
          relationshipName: 'DevelopmentApprovedBy',
        }),
        text('ExternalId', 255, { label: 'External Id' }),
      ],
      { label: 'Work Item', ownable: true },
    ),
    requestInfo(),
  ];
}

/** The package's objects are custom objects: their key prefixes are the org's next free custom ones. */
function managedPackageObjects(prefix: () => string): ObjectDef[] {
  const custom = { custom: true };
  const repository = objectDef(
    'sf_devops__Repository__c',
    prefix(),
    [
      text('Name', 80, { nameField: true }),
      // Set by the org when it starts: `file://<gitRoot>/<owner>/<name>`.
      url('sf_devops__Url__c', { label: 'URL' }),
      text('sf_devops__Default_Branch__c', 255, { label: 'Default Branch' }),
      text('sf_devops__GitHub_Owner__c', 255, { label: 'GitHub Owner' }),
      text('sf_devops__GitHub_Repo__c', 255, { label: 'GitHub Repo' }),
    ],
    { ...custom, label: 'Repository', labelPlural: 'Repositories', ownable: true },
  );
  const project = objectDef(
    'sf_devops__Project__c',
    prefix(),
    [
      text('Name', 80, { nameField: true }),
      text('sf_devops__Description__c', 255, { label: 'Description' }),
      checkbox('sf_devops__Hidden__c', { label: 'Hidden' }),
    ],
    { ...custom, label: 'Project', ownable: true },
  );
  const branch = objectDef(
    'sf_devops__Branch__c',
    prefix(),
    [
      autoName('B-{000000}', 'Branch Name'),
      text('sf_devops__Name__c', 255, { label: 'Name' }),
      lookup('sf_devops__Repository__c', 'sf_devops__Repository__c', { label: 'Repository', required: true }),
    ],
    { ...custom, label: 'Branch', labelPlural: 'Branches' },
  );
  const pipeline = objectDef(
    'sf_devops__Pipeline__c',
    prefix(),
    [
      text('Name', 80, { nameField: true }),
      lookup('sf_devops__Project__c', 'sf_devops__Project__c', { label: 'Project' }),
      checkbox('sf_devops__Activated__c', { label: 'Activated' }),
    ],
    { ...custom, label: 'Pipeline', ownable: true },
  );
  const stage = objectDef(
    'sf_devops__Pipeline_Stage__c',
    prefix(),
    [
      text('Name', 80, { nameField: true }),
      lookup('sf_devops__Pipeline__c', 'sf_devops__Pipeline__c', { label: 'Pipeline', required: true }),
      lookup('sf_devops__Branch__c', 'sf_devops__Branch__c', { label: 'Branch' }),
      lookup('sf_devops__Next_Stage__c', 'sf_devops__Pipeline_Stage__c', { label: 'Next Stage' }),
    ],
    { ...custom, label: 'Pipeline Stage', ownable: true },
  );
  const workItem = objectDef(
    'sf_devops__Work_Item__c',
    prefix(),
    [
      autoName('WI-{000000}', 'Work Item Name'),
      text('sf_devops__Subject__c', 255, { label: 'Subject' }),
      longText('sf_devops__Description__c', 32768, { label: 'Description' }),
      picklist('sf_devops__State__c', WORK_ITEM_STATUSES, {
        label: 'State',
        default: 'NEW',
        restricted: true,
      }),
      checkbox('sf_devops__Concluded__c', { label: 'Concluded' }),
      lookup('sf_devops__Assigned_To__c', 'User', { label: 'Assigned To' }),
      lookup('sf_devops__Branch__c', 'sf_devops__Branch__c', { label: 'Branch' }),
      lookup('sf_devops__Project__c', 'sf_devops__Project__c', { label: 'Project', required: true }),
    ],
    { ...custom, label: 'Work Item', ownable: true },
  );
  const asyncResult = objectDef(
    'sf_devops__Async_Operation_Result__c',
    prefix(),
    [
      autoName('AOR-{000000}', 'Async Operation Result Name'),
      picklist('sf_devops__Status__c', ASYNC_OPERATION_STATUSES, { label: 'Status', restricted: true }),
      text('sf_devops__Message__c', 255, { label: 'Message' }),
      longText('sf_devops__Error_Details__c', 32768, { label: 'Error Details' }),
    ],
    { ...custom, label: 'Async Operation Result', ownable: true },
  );
  const deploymentResult = objectDef(
    'sf_devops__Deployment_Result__c',
    prefix(),
    [
      autoName('DR-{000000}', 'Deployment Result Name'),
      datetime('sf_devops__Completion_Date__c', { label: 'Completion Date' }),
      text('sf_devops__Deployment_Id__c', 18, { label: 'Deployment Id' }),
      lookup('sf_devops__Status__c', 'sf_devops__Async_Operation_Result__c', { label: 'Status' }),
      checkbox('sf_devops__Check_Deploy__c', { label: 'Check Deploy' }),
      checkbox('sf_devops__Full_Deploy__c', { label: 'Full Deploy' }),
      text('sf_devops__Test_Level__c', 255, { label: 'Test Level' }),
      longText('sf_devops__Run_Tests__c', 32768, { label: 'Run Tests' }),
    ],
    { ...custom, label: 'Deployment Result', ownable: true },
  );
  const workItemPromote = objectDef(
    'sf_devops__Work_Item_Promote__c',
    prefix(),
    [
      autoName('WIP-{000000}', 'Work Item Promote Name'),
      lookup('sf_devops__Work_Item__c', 'sf_devops__Work_Item__c', { label: 'Work Item', required: true }),
      lookup('sf_devops__Pipeline_Stage__c', 'sf_devops__Pipeline_Stage__c', {
        label: 'Pipeline Stage',
        required: true,
      }),
      lookup('sf_devops__Deployment_Result__c', 'sf_devops__Deployment_Result__c', {
        label: 'Deployment Result',
      }),
    ],
    { ...custom, label: 'Work Item Promote' },
  );
  return [
    repository,
    project,
    branch,
    pipeline,
    stage,
    workItem,
    asyncResult,
    deploymentResult,
    workItemPromote,
    requestInfo(),
  ];
}

/** Adds one model's objects to a schema. */
export function registerDevopsObjects(schema: OrgSchema, model: DevopsModelKind): void {
  const reserved = new Set<string>();
  const nextCustomPrefix = () => {
    for (const second of PREFIX_ALPHABET)
      for (const third of PREFIX_ALPHABET) {
        const prefix = `a${second}${third}`;
        if (!reserved.has(prefix) && !schema.objectForId(`${prefix}000000000000`)) {
          reserved.add(prefix);
          return prefix;
        }
      }
    throw new Error('No key prefix left for a custom object');
  };
  const defs = model === 'platform' ? platformObjects() : managedPackageObjects(nextCustomPrefix);
  for (const def of defs) {
    const taken = schema.objectForId(`${def.keyPrefix}000000000000`);
    if (taken) throw new Error(`Key prefix ${def.keyPrefix} of ${def.name} is already ${taken.name}'s`);
    schema.upsertObject(def);
  }
}

/** Which model's objects an org has (none, in an org without DevOps Center). */
export function devopsModelOf(schema: OrgSchema): DevopsModelKind | undefined {
  if (schema.getObject('WorkItem') && schema.getObject('DevopsProject')) return 'platform';
  if (schema.getObject('sf_devops__Work_Item__c')) return 'managed-package';
  return undefined;
}
