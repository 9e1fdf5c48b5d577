/**
 * One local org's state: its schema (standard objects, Tooling objects, custom objects) and its
 * records, built from a seed. `createOrgState()` with no seed gives an empty org with one admin.
 */
import { registerDevopsObjects } from '../devops/objects.js';
import { checkDevopsSeed, seedDevopsRecords } from '../devops/seed.js';
import type { LocalOrgSeed, SeedRecord } from '../seed/types.js';
import { registerToolingObjects } from '../tooling/index.js';
import { buildCustomField, buildCustomObject } from './custom.js';
import { Journal } from './journal.js';
import { setUserPassword } from './passwords.js';
import { OrgRecordStore } from './record-store.js';
import { OrgSchema } from './schema.js';
import { standardObjects, SYSTEM_PERMISSIONS } from './standard-objects.js';
import type { ObjectDef, OrgState, StoredRecord } from './types.js';

export type * from './types.js';
export { OrgRecordStore, type WriteOptions } from './record-store.js';
export { OrgSchema, SchemaRemovalError, type SchemaRemoval } from './schema.js';
export { buildCustomField, buildCustomObject } from './custom.js';
export { caseSafeSuffix, isWellFormedId, toId18 } from './ids.js';
export { formatDate, formatDateTime } from './values.js';
export { OPPORTUNITY_STAGES } from './standard-objects.js';

export interface OrgStateOptions {
  /** The clock for audit fields, date literals and relative seed dates. */
  now?: () => Date;
  /** Where the org keeps its DevOps Center git repositories (the repository URLs it hands out point there). */
  gitRoot?: string;
}

/** OrgState with the concrete schema and store, and a way to hear about changes (persistence). */
export interface LocalOrgState extends OrgState {
  readonly schema: OrgSchema;
  readonly records: OrgRecordStore;
  /** `@ref` names from the seed to record ids. */
  readonly refs: ReadonlyMap<string, string>;
  /** Called after every schema or record change. Returns a function that stops listening. */
  onChange(listener: () => void): () => void;
}

export const STANDARD_PROFILES = [
  { name: 'System Administrator', description: 'Full access to all data and setup.', admin: true },
  { name: 'Standard User', description: 'Can create and edit most types of records.', admin: false },
  { name: 'Read Only', description: 'Can view records but not change them.', admin: false },
  {
    name: 'Minimum Access - Salesforce',
    description: 'Grants the minimum permissions needed to log in.',
    admin: false,
  },
] as const;

export const DEFAULT_USERNAME = 'admin@local-org.sfmcp.test';

export function defaultLimits(organizationType: string): Map<string, { Max: number; Remaining: number }> {
  const developer = /developer/i.test(organizationType);
  const entries: Array<[string, number]> = [
    ['DailyApiRequests', developer ? 15000 : 100000],
    ['DailyAsyncApexExecutions', developer ? 250000 : 250000],
    ['DailyBulkApiBatches', 15000],
    ['DailyBulkV2QueryJobs', 10000],
    ['DailyBulkV2QueryFileStorageMB', 976562],
    ['DailyDurableStreamingApiEvents', 10000],
    ['DailyGenericStreamingApiEvents', 10000],
    ['DailyStreamingApiEvents', 10000],
    ['DailyWorkflowEmails', developer ? 15 : 2000],
    ['DataStorageMB', developer ? 5 : 1024],
    ['FileStorageMB', developer ? 20 : 10240],
    ['HourlyODataCallout', 10000],
    ['HourlyTimeBasedWorkflow', 1000],
    ['MassEmail', developer ? 10 : 5000],
    ['SingleEmail', developer ? 15 : 5000],
    ['ConcurrentAsyncGetReportInstances', 200],
    ['ConcurrentSyncReportRuns', 20],
    ['HourlyAsyncReportRuns', 1200],
    ['HourlySyncReportRuns', 500],
    ['PermissionSets', 1500],
  ];
  return new Map(entries.map(([name, max]) => [name, { Max: max, Remaining: max }]));
}

/** Fields a user needs that a seed may leave out. */
function completeUser(values: SeedRecord, index: number): SeedRecord {
  const lastName = typeof values.LastName === 'string' ? values.LastName : `User${index}`;
  const firstName = typeof values.FirstName === 'string' ? values.FirstName : '';
  const username =
    typeof values.Username === 'string'
      ? values.Username
      : index === 0
        ? DEFAULT_USERNAME
        : `user${index}@local-org.sfmcp.test`;
  const alias =
    `${firstName.slice(0, 1)}${lastName}`
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 8)
      .toLowerCase() || `user${index}`;
  return {
    Alias: alias,
    Email: username,
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: '@profile:System Administrator',
    ...values,
    Username: username,
    LastName: lastName,
  };
}

class SeedError extends Error {
  constructor(message: string) {
    super(`Seed: ${message}`);
    this.name = 'SeedError';
  }
}

interface Shell {
  schema: OrgSchema;
  records: OrgRecordStore;
  now: () => Date;
  onChange(listener: () => void): () => void;
}

/** Schema with the standard and Tooling objects, an empty store, and change listeners. */
function createShell(options: OrgStateOptions): Shell {
  const now = options.now ?? (() => new Date());
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const journal = new Journal();
  // The schema's listener runs only on later changes, after `store` exists.
  const schema = new OrgSchema(
    journal,
    (def) => {
      store.clearIndexes();
      store.fillNewFields(def);
      notify();
    },
    (removal) => {
      if (removal.fieldNames) store.dropFieldValues(removal.objectName, removal.fieldNames);
      else store.dropTable(removal.objectName);
    },
  );
  const store = new OrgRecordStore(schema, journal, now, notify);
  for (const def of standardObjects()) schema.upsertObject(def);
  registerToolingObjects(schema);
  return {
    schema,
    records: store,
    now,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** What `snapshotOrgState` writes and `restoreOrgState` reads. */
export interface OrgSnapshot {
  format: 'sfmcp-local-org/1';
  orgId: string;
  userId: string;
  username: string;
  objects: ObjectDef[];
  records: Record<string, StoredRecord[]>;
  limits: Record<string, { Max: number; Remaining: number }>;
  extensions: Record<string, unknown>;
  declared: Record<string, unknown>;
  refs: Record<string, string>;
}

export function snapshotOrgState(org: LocalOrgState): OrgSnapshot {
  return {
    format: 'sfmcp-local-org/1',
    orgId: org.orgId,
    userId: org.userId,
    username: org.username,
    objects: org.schema.listObjects(),
    records: Object.fromEntries(org.records.allTables()),
    limits: Object.fromEntries(org.limits),
    extensions: Object.fromEntries(org.extensions),
    declared: org.declared,
    refs: Object.fromEntries(org.refs),
  };
}

/** An org as a snapshot left it. Standard objects come from this code, plus the custom fields the snapshot added to them. */
export function restoreOrgState(snapshot: OrgSnapshot, options: OrgStateOptions = {}): LocalOrgState {
  if (snapshot.format !== 'sfmcp-local-org/1')
    throw new Error(`Unknown local org snapshot format: ${String(snapshot.format)}`);
  const shell = createShell(options);
  const { schema, records } = shell;
  for (const def of snapshot.objects) {
    const current = schema.getObject(def.name);
    if (!current || def.custom) schema.upsertObject(def);
    else
      for (const field of def.fields)
        if (field.custom && !schema.getField(def.name, field.name)) schema.upsertField(def.name, field);
  }
  for (const [objectName, rows] of Object.entries(snapshot.records)) {
    if (schema.getObject(objectName)) records.restore(objectName, rows);
  }
  records.actingUserId = snapshot.userId;
  return {
    schema,
    records,
    orgId: snapshot.orgId,
    userId: snapshot.userId,
    username: snapshot.username,
    now: shell.now,
    limits: new Map(Object.entries(snapshot.limits)),
    extensions: new Map(Object.entries(snapshot.extensions)),
    declared: snapshot.declared,
    refs: new Map(Object.entries(snapshot.refs)),
    onChange: shell.onChange,
  };
}

export function createOrgState(seed: LocalOrgSeed = {}, options: OrgStateOptions = {}): LocalOrgState {
  const shell = createShell(options);
  const { schema, records, now } = shell;
  for (const spec of seed.customObjects ?? []) {
    const existing = schema.getObject(spec.name);
    if (existing && !existing.custom) {
      for (const fieldSpec of spec.fields ?? [])
        schema.upsertField(existing.name, buildCustomField(fieldSpec));
    } else {
      if (!/__c$/i.test(spec.name)) throw new SeedError(`custom object ${spec.name} must end in __c`);
      schema.upsertObject(buildCustomObject(spec, existing?.keyPrefix ?? schema.nextCustomKeyPrefix()));
    }
  }

  if (seed.devops) {
    checkDevopsSeed(seed.devops);
    registerDevopsObjects(schema, seed.devops.model);
  }

  const refs = new Map<string, string>();
  // Users' `@password`s, set once the state exists (they are kept as hashes in its extensions).
  const passwords = new Map<string, unknown>();
  const userSeeds = (
    seed.users && seed.users.length > 0
      ? seed.users
      : [{ '@ref': 'admin', FirstName: 'Admin', LastName: 'User' }]
  ).map(completeUser);
  const currentIndex = seed.currentUser
    ? userSeeds.findIndex((user) => user['@ref'] === seed.currentUser)
    : 0;
  if (currentIndex < 0) throw new SeedError(`currentUser ${seed.currentUser} is not the @ref of any user`);
  const currentUser = userSeeds[currentIndex] as SeedRecord;
  const userId = records.newId('User');
  records.actingUserId = userId;
  const orgId = records.newId('Organization');

  const resolve = (value: unknown): { ok: true; value: unknown } | { ok: false; ref: string } => {
    if (typeof value !== 'string' || !value.startsWith('@')) return { ok: true, value };
    if (value.startsWith('@@')) return { ok: true, value: value.slice(1) };
    const id = refs.get(value.slice(1));
    return id ? { ok: true, value: id } : { ok: false, ref: value.slice(1) };
  };
  const insertSeedRecord = (objectName: string, values: SeedRecord, id?: string): StoredRecord | string => {
    const fields: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(values)) {
      if (name === '@ref' || name === '@password') continue;
      const resolved = resolve(raw);
      if (!resolved.ok) return resolved.ref;
      fields[name] = resolved.value;
    }
    const ref = values['@ref'];
    if (typeof ref === 'string' && refs.has(ref)) throw new SeedError(`@ref ${ref} is used twice`);
    try {
      const record = records.insert(objectName, fields, { trusted: true, ...(id ? { id } : {}) });
      if (typeof ref === 'string') refs.set(ref, record.Id);
      if (objectName === 'User' && values['@password'] !== undefined)
        passwords.set(record.Id, values['@password']);
      return record;
    } catch (error) {
      const what = typeof ref === 'string' ? `${objectName} @${ref}` : `a ${objectName} record`;
      throw new SeedError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const updateSeedRecord = (objectName: string, id: string, values: SeedRecord): StoredRecord | string => {
    const fields: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(values)) {
      const resolved = resolve(raw);
      if (!resolved.ok) return resolved.ref;
      fields[name] = resolved.value;
    }
    try {
      return records.update(objectName, id, fields, { trusted: true });
    } catch (error) {
      throw new SeedError(`${objectName} ${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  records.transaction(() => {
    const organization = seed.organization ?? {};
    insertSeedRecord(
      'Organization',
      {
        Name: 'Local Org (sfmcp test double)',
        OrganizationType: 'Developer Edition',
        IsSandbox: false,
        TrialExpirationDate: null,
        InstanceName: 'LO1',
        NamespacePrefix: null,
        DefaultLocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        TimeZoneSidKey: 'America/Los_Angeles',
        DefaultCurrencyIsoCode: 'USD',
        FiscalYearStartMonth: 1,
        Country: 'US',
        ...organization,
      },
      orgId,
    );
    for (const profile of STANDARD_PROFILES) {
      const permissions = Object.fromEntries(
        SYSTEM_PERMISSIONS.map((permission) => [
          permission,
          profile.admin ||
            (['PermissionsApiEnabled', 'PermissionsRunReports', 'PermissionsEditTask'].includes(permission) &&
              profile.name === 'Standard User'),
        ]),
      );
      const created = insertSeedRecord('Profile', {
        '@ref': `profile:${profile.name}`,
        Name: profile.name,
        Description: profile.description,
        ...permissions,
      });
      if (typeof created === 'string') throw new SeedError(`profile ${profile.name}`);
      insertSeedRecord('PermissionSet', {
        Name: `X${created.Id.slice(0, 15)}`,
        Label: `${profile.name} Profile Permission Set`,
        IsOwnedByProfile: true,
        ProfileId: created.Id,
        Type: 'Profile',
        IsCustom: false,
        ...permissions,
      });
    }
    // The current user comes first (everything else names it as creator and owner); fields of it
    // that refer to records not made yet (its role, its manager) are filled in once they exist.
    const laterUserFields: SeedRecord = {};
    const currentNow: SeedRecord = {};
    for (const [name, value] of Object.entries(currentUser)) {
      const resolved = name === '@ref' || name === '@password' ? { ok: true } : resolve(value);
      if (resolved.ok) currentNow[name] = value;
      else laterUserFields[name] = value;
    }
    const current = insertSeedRecord('User', currentNow, userId);
    if (typeof current === 'string') throw new SeedError(`the current user refers to @${current}`);

    // Everything else may refer forwards: insert what can be inserted, until nothing is left or nothing moves.
    let pending: Array<{ objectName: string; values: SeedRecord; updateId?: string }> = [
      ...userSeeds.filter((user) => user !== currentUser).map((values) => ({ objectName: 'User', values })),
      ...Object.entries(seed.records ?? {}).flatMap(([objectName, list]) =>
        list.map((values) => ({ objectName, values })),
      ),
      ...(Object.keys(laterUserFields).length > 0
        ? [{ objectName: 'User', values: laterUserFields, updateId: userId }]
        : []),
    ];
    while (pending.length > 0) {
      const waiting: typeof pending = [];
      const missing = new Set<string>();
      for (const entry of pending) {
        const result = entry.updateId
          ? updateSeedRecord(entry.objectName, entry.updateId, entry.values)
          : insertSeedRecord(entry.objectName, entry.values);
        if (typeof result === 'string') {
          waiting.push(entry);
          missing.add(result);
        }
      }
      if (waiting.length === pending.length) {
        throw new SeedError(`unknown references: ${[...missing].map((ref) => `@${ref}`).join(', ')}`);
      }
      pending = waiting;
    }
  });

  const organizationType = String(records.get(orgId)?.OrganizationType ?? 'Developer Edition');
  const limits = defaultLimits(organizationType);
  const username = String(records.get(userId)?.Username ?? DEFAULT_USERNAME);

  const state: LocalOrgState = {
    schema,
    records,
    orgId,
    userId,
    username,
    now,
    limits,
    extensions: new Map(),
    declared: structuredClone(seed.declared ?? {}),
    refs,
    onChange: shell.onChange,
  };
  for (const [id, password] of passwords) {
    if (typeof password !== 'string') throw new SeedError(`a user's @password must be a string`);
    try {
      setUserPassword(state, id, password);
    } catch (error) {
      throw new SeedError(`${String(records.get(id)?.Username)}: ${(error as Error).message}`);
    }
  }
  const devops = seed.devops;
  if (devops) records.transaction(() => seedDevopsRecords(state, devops, options.gitRoot));
  return state;
}

/** What `org.addUser()` takes: a user to create, the password they log in with, and what they may do. */
export interface NewUser {
  username: string;
  /** At least 8 characters; without one the user cannot log in through the login form. */
  password?: string;
  /** A profile's name (`Standard User` by default). */
  profile?: string;
  /** Names of permission sets (or permission set groups' developer names) to assign. */
  permissionSets?: string[];
  firstName?: string;
  lastName?: string;
  email?: string;
}

/**
 * Creates an active user with their profile, password and permission set assignments, all or nothing:
 * an unknown profile or permission set, or a taken username, changes nothing.
 */
export function insertUser(org: LocalOrgState, user: NewUser): StoredRecord {
  if (typeof user.username !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user.username))
    throw new RangeError(`a username looks like an email address: ${String(user.username)}`);
  const lower = user.username.toLowerCase();
  for (const row of org.records.rows('User'))
    if (String(row.Username).toLowerCase() === lower)
      throw new RangeError(`a user named ${user.username} exists already`);
  const profileName = user.profile ?? 'Standard User';
  const profile = [...org.records.rows('Profile')].find((row) => row.Name === profileName);
  if (!profile) throw new RangeError(`no profile named ${profileName}`);
  const sets = (user.permissionSets ?? []).map((name) => {
    const set = [...org.records.rows('PermissionSet')].find(
      (row) => row.Name === name && !row.IsOwnedByProfile,
    );
    const group = set
      ? undefined
      : [...org.records.rows('PermissionSetGroup')].find((row) => row.DeveloperName === name);
    if (!set && !group) throw new RangeError(`no permission set or permission set group named ${name}`);
    return set ? { PermissionSetId: set.Id } : { PermissionSetGroupId: (group as StoredRecord).Id };
  });
  if (user.password !== undefined && (typeof user.password !== 'string' || user.password.length < 8))
    throw new RangeError('a password has at least 8 characters');
  let created: StoredRecord | undefined;
  org.records.transaction(() => {
    const index = [...org.records.rows('User')].length;
    const values = completeUser(
      {
        Username: user.username,
        LastName: user.lastName ?? user.username.split('@')[0],
        ...(user.firstName ? { FirstName: user.firstName } : {}),
        Email: user.email ?? user.username,
        ProfileId: profile.Id,
      },
      index,
    );
    const record = org.records.insert('User', values, { trusted: true });
    for (const set of sets)
      org.records.insert('PermissionSetAssignment', { AssigneeId: record.Id, ...set }, { trusted: true });
    created = record;
  });
  const record = created as StoredRecord;
  if (user.password !== undefined) setUserPassword(org, record.Id, user.password);
  return record;
}
