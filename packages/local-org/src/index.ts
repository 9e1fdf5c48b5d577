/**
 * @sfmcp/local-org: a test double of a Salesforce org on 127.0.0.1 that the real client libraries
 * (@salesforce/core, source-deploy-retrieve, apex-node) accept. It is not Salesforce.
 */
export { startLocalOrg, type LocalOrg, type StartLocalOrgOptions } from './server.js';
export { LOCAL_OAUTH_CLIENT_ID, type LocalOAuthClient } from './http/oauth.js';
export type { ExpireSessionOptions, Fault, FaultKind, OrgFaults } from './http/faults.js';
export type { ObservedQuery, QueryObserver } from './soql/index.js';
export {
  createOrgState,
  restoreOrgState,
  snapshotOrgState,
  buildCustomField,
  buildCustomObject,
  caseSafeSuffix,
  isWellFormedId,
  toId18,
  OPPORTUNITY_STAGES,
  STANDARD_PROFILES,
  DEFAULT_USERNAME,
  OrgRecordStore,
  OrgSchema,
  type LocalOrgState,
  type NewUser,
  type OrgSnapshot,
  type OrgStateOptions,
  type WriteOptions,
} from './state/index.js';
export type {
  ChildRelationship,
  FieldDef,
  FieldType,
  ObjectDef,
  OrgState,
  PicklistValue,
  RecordStore,
  Schema,
  StoredRecord,
} from './state/types.js';
export {
  demoSeed,
  generateVolume,
  type DemoSeedOptions,
  type VolumeOptions,
  type VolumeResult,
} from './seed/index.js';
export type {
  LocalOrgSeed,
  SeedCustomField,
  SeedCustomObject,
  SeedOrganization,
  SeedRecord,
  SeedDevops,
  SeedDevopsCommit,
  SeedDevopsProject,
  SeedDevopsRepository,
  SeedDevopsWorkItem,
  SeedWorkItemStatus,
} from './seed/types.js';
export { SalesforceApiError } from './errors.js';
export { API_VERSIONS, LATEST_API_VERSION } from './rest/index.js';
