/**
 * The JSON seed a local org starts from. Values that start with `@` refer to another seeded record
 * by its `@ref` (write `@@` for a literal leading `@`). Built-in references: `@profile:<Profile Name>`
 * for the standard profiles, and each user's own `@ref`.
 */

/** One record: field names to values, plus an optional `@ref` other records can point at. */
export type SeedRecord = { '@ref'?: string } & Record<string, unknown>;

export interface SeedOrganization {
  Name?: string;
  /** `Developer Edition`, `Enterprise Edition`, `Unlimited Edition`, ... */
  OrganizationType?: string;
  IsSandbox?: boolean;
  /** ISO datetime, or null for an org that never expires. */
  TrialExpirationDate?: string | null;
  /** The pod, e.g. `NA224`, `CS42`. */
  InstanceName?: string;
  NamespacePrefix?: string | null;
  /** Any other Organization field (TimeZoneSidKey, Country...). */
  [field: string]: unknown;
}

export interface SeedCustomField {
  /** `Region__c`; on a standard object too. */
  name: string;
  type:
    | 'string'
    | 'textarea'
    | 'boolean'
    | 'int'
    | 'double'
    | 'currency'
    | 'percent'
    | 'date'
    | 'datetime'
    | 'time'
    | 'email'
    | 'phone'
    | 'url'
    | 'picklist'
    | 'multipicklist'
    | 'reference';
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  required?: boolean;
  unique?: boolean;
  externalId?: boolean;
  defaultValue?: unknown;
  /** Picklist values, in order; the first is not the default unless `defaultValue` says so. */
  values?: string[];
  restricted?: boolean;
  /** For references: the parent object(s). */
  referenceTo?: string | string[];
  /** For references: the child relationship name used in subqueries, without `__r` (`Invoices`). */
  childRelationshipName?: string;
  /** A master-detail reference: required, and children are deleted with their parent. */
  masterDetail?: boolean;
  description?: string;
}

export interface SeedCustomObject {
  /** `Invoice__c` for a new object; a standard object's name to add fields to it. */
  name: string;
  label?: string;
  labelPlural?: string;
  description?: string;
  /** The Name field: text (default) or an auto number such as `INV-{0000}`. */
  nameField?: { label?: string; autoNumberFormat?: string };
  fields?: SeedCustomField[];
}

export interface LocalOrgSeed {
  organization?: SeedOrganization;
  /**
   * Users; the access token belongs to `currentUser` (an `@ref`), else the first user. Alias,
   * Email, TimeZoneSidKey, LocaleSidKey, EmailEncodingKey, LanguageLocaleKey and ProfileId
   * (System Administrator) are filled in when left out. Without users the org has one admin. A user's
   * `@password` (8 characters or more) is what they log in with through the authorization server.
   */
  users?: SeedRecord[];
  currentUser?: string;
  customObjects?: SeedCustomObject[];
  /** Records per object, inserted in the order given; references may point forwards. */
  records?: Record<string, SeedRecord[]>;
  /** Behaviour the org cannot have and declares instead (Apex test outcomes, coverage...). */
  declared?: Record<string, unknown>;
  /**
   * DevOps Center: its objects (of one data model), projects, pipelines and work items, each project
   * with a real bare git repository the org creates when it starts (README: DevOps Center).
   */
  devops?: SeedDevops;
}

/** The work item statuses (API values) of DevOps Center. */
export type SeedWorkItemStatus =
  'NEW' | 'IN_PROGRESS' | 'IN_REVIEW' | 'READY_TO_PROMOTE' | 'PROMOTED' | 'CLOSED';

export interface SeedDevops {
  /**
   * `platform`: the standard objects (DevopsProject, WorkItem, DevopsPipelineStage...);
   * `managed-package`: the DevOps Center package's objects (sf_devops__Project__c...). An org has one.
   */
  model: 'platform' | 'managed-package';
  projects: SeedDevopsProject[];
}

export interface SeedDevopsProject {
  name: string;
  description?: string;
  repository: SeedDevopsRepository;
  /** The release pipeline; its stages in promotion order (the first receives work items from development). */
  pipeline: { name: string; stages: Array<{ name: string; branch: string }> };
  /** Named WI-000001, WI-000002... in the order given, across projects. */
  workItems?: SeedDevopsWorkItem[];
}

export interface SeedDevopsRepository {
  /** The owner segment of the repository's path (`<gitRoot>/<owner>/<name>`), as on GitHub. */
  owner: string;
  name: string;
  /** Also created when no stage uses it. */
  defaultBranch: string;
  provider?: 'GITHUB' | 'BITBUCKET';
  /** Relative path → text: the first commit, on the default branch and every stage branch. */
  files: Record<string, string>;
}

export interface SeedDevopsWorkItem {
  subject: string;
  description?: string;
  status: SeedWorkItemStatus;
  /** A User's Username; unassigned without one. */
  assignee?: string;
  /** A branch named as the work item, from the first stage's branch (implied by `commits`). */
  branch?: boolean;
  /** Commits on the work item's branch, oldest first. */
  commits?: SeedDevopsCommit[];
}

export interface SeedDevopsCommit {
  message: string;
  /** Relative path → new text. */
  write?: Record<string, string>;
  /** Relative paths to delete. */
  remove?: string[];
}
