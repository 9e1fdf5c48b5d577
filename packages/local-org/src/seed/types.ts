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
   * (System Administrator) are filled in when left out. Without users the org has one admin.
   */
  users?: SeedRecord[];
  currentUser?: string;
  customObjects?: SeedCustomObject[];
  /** Records per object, inserted in the order given; references may point forwards. */
  records?: Record<string, SeedRecord[]>;
  /** Behaviour the org cannot have and declares instead (Apex test outcomes, coverage...). */
  declared?: Record<string, unknown>;
}
