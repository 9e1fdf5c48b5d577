/**
 * What a user may see and change through the data APIs, as Salesforce decides it: object permissions and
 * field-level security from the user's profile and the permission sets (and groups) assigned to them.
 *
 * A user with Modify All Data (System Administrator) sees the org as it is. Anyone else sees it through
 * `UserSchema`: objects they may not read are not there (`sObject type 'X' is not supported`), fields they
 * may not read are not there (`No such column`), and fields they may read but not edit are neither
 * createable nor updateable — so describe, SOQL, SOSL, record reads and writes all answer as Salesforce
 * answers that user, without each route checking permissions itself.
 *
 * The baseline of the standard profiles: Standard User may create, read, edit and delete the standard
 * business objects (read only products and price books), Read Only may read them; custom objects and custom
 * fields need an ObjectPermissions or FieldPermissions row on one of the user's permission sets (the
 * profile's own included); a required custom field is always readable and editable where its object is.
 * Setup objects (users, profiles, permission sets...) are readable by everyone or with View Setup, and
 * writable only with the permission that manages them. Record-level sharing is not modelled.
 */
import type { LocalOrgState } from './index.js';
import type { ChildRelationship, FieldDef, ObjectDef, RecordStore, Schema } from './types.js';

interface ObjectAccess {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
}

interface FieldAccess {
  read: boolean;
  edit: boolean;
}

const NONE: ObjectAccess = { read: false, create: false, edit: false, delete: false };

/** Setup objects on the data API: who reads them (`everyone` or a permission) and the permission that writes them. */
const SETUP_OBJECTS: Record<string, { read: 'everyone' | string; write: string | undefined }> = {
  organization: { read: 'everyone', write: undefined },
  profile: { read: 'everyone', write: undefined },
  user: { read: 'everyone', write: 'PermissionsManageUsers' },
  userrole: { read: 'everyone', write: 'PermissionsManageUsers' },
  group: { read: 'everyone', write: 'PermissionsManageUsers' },
  groupmember: { read: 'everyone', write: 'PermissionsManageUsers' },
  userlogin: { read: 'PermissionsManageUsers', write: 'PermissionsManageUsers' },
  permissionset: { read: 'PermissionsViewSetup', write: 'PermissionsManageProfilesPermissionsets' },
  permissionsetgroup: { read: 'PermissionsViewSetup', write: 'PermissionsManageProfilesPermissionsets' },
  permissionsetgroupcomponent: {
    read: 'PermissionsViewSetup',
    write: 'PermissionsManageProfilesPermissionsets',
  },
  objectpermissions: { read: 'PermissionsViewSetup', write: 'PermissionsManageProfilesPermissionsets' },
  fieldpermissions: { read: 'PermissionsViewSetup', write: 'PermissionsManageProfilesPermissionsets' },
  setupentityaccess: { read: 'PermissionsViewSetup', write: 'PermissionsManageProfilesPermissionsets' },
  permissionsetassignment: { read: 'PermissionsViewSetup', write: 'PermissionsAssignPermissionSets' },
};

/** Standard objects a Standard User may only read. */
const READ_ONLY_FOR_STANDARD_USERS = new Set(['product2', 'pricebook2', 'pricebookentry']);

export class UserAccess {
  readonly #objects = new Map<string, ObjectAccess>();
  readonly #fields = new Map<string, FieldAccess>();
  readonly #permissions = new Set<string>();
  readonly #profileName: string | undefined;

  constructor(
    readonly userId: string,
    store: Pick<RecordStore, 'get' | 'rows'>,
    now: Date,
  ) {
    const user = store.get(userId);
    this.#profileName =
      typeof user?.ProfileId === 'string' ? String(store.get(user.ProfileId)?.Name) : undefined;
    const sets = new Set<string>();
    for (const assignment of store.rows('PermissionSetAssignment')) {
      if (assignment.AssigneeId !== userId || assignment.IsActive === false) continue;
      const expires =
        typeof assignment.ExpirationDate === 'string' ? Date.parse(assignment.ExpirationDate) : NaN;
      if (!Number.isNaN(expires) && expires <= now.getTime()) continue;
      if (typeof assignment.PermissionSetId === 'string') sets.add(assignment.PermissionSetId);
      if (typeof assignment.PermissionSetGroupId === 'string')
        for (const set of store.rows('PermissionSet'))
          if (set.PermissionSetGroupId === assignment.PermissionSetGroupId) sets.add(set.Id);
    }
    for (const id of sets) {
      const set = store.get(id);
      if (!set) continue;
      for (const [name, value] of Object.entries(set))
        if (name.startsWith('Permissions') && value === true) this.#permissions.add(name);
    }
    for (const row of store.rows('ObjectPermissions')) {
      if (!sets.has(String(row.ParentId))) continue;
      const key = String(row.SobjectType).toLowerCase();
      const known = this.#objects.get(key) ?? { ...NONE };
      const all = row.PermissionsModifyAllRecords === true;
      this.#objects.set(key, {
        read: known.read || row.PermissionsRead === true || row.PermissionsViewAllRecords === true || all,
        create: known.create || row.PermissionsCreate === true,
        edit: known.edit || row.PermissionsEdit === true || all,
        delete: known.delete || row.PermissionsDelete === true || all,
      });
    }
    for (const row of store.rows('FieldPermissions')) {
      if (!sets.has(String(row.ParentId))) continue;
      const key = String(row.Field).toLowerCase();
      const known = this.#fields.get(key) ?? { read: false, edit: false };
      const edit = known.edit || row.PermissionsEdit === true;
      this.#fields.set(key, { read: known.read || edit || row.PermissionsRead === true, edit });
    }
  }

  /** Modify All Data: the user sees and changes everything (System Administrator). */
  get unrestricted(): boolean {
    return this.#permissions.has('PermissionsModifyAllData');
  }

  has(permission: string): boolean {
    return this.unrestricted || this.#permissions.has(permission);
  }

  object(def: ObjectDef): ObjectAccess {
    if (this.unrestricted) return { read: true, create: true, edit: true, delete: true };
    const name = def.name.toLowerCase();
    if (def.api === 'tooling' || def.api === 'both') {
      const read = this.has('PermissionsViewSetup') || this.has('PermissionsAuthorApex');
      return { read, create: false, edit: false, delete: false };
    }
    const setup = SETUP_OBJECTS[name];
    if (setup) {
      const read = setup.read === 'everyone' || this.has(setup.read);
      const write = setup.write !== undefined && this.has(setup.write);
      return { read: read || write, create: write, edit: write, delete: write };
    }
    const granted = this.#objects.get(name) ?? NONE;
    const baseline = this.#baseline(def);
    const viewAll = this.has('PermissionsViewAllData');
    return {
      read: granted.read || baseline.read || viewAll,
      create: granted.create || baseline.create,
      edit: granted.edit || baseline.edit,
      delete: granted.delete || baseline.delete,
    };
  }

  field(def: ObjectDef, field: FieldDef): FieldAccess {
    if (this.unrestricted || !field.custom) return { read: true, edit: true };
    if (def.api !== 'data') return { read: true, edit: true };
    // A required field cannot be hidden: Salesforce gives it to everyone who can see the object.
    if (!field.nillable && !field.defaultedOnCreate && field.createable) return { read: true, edit: true };
    const own = field.compoundFieldName ?? field.name;
    return this.#fields.get(`${def.name}.${own}`.toLowerCase()) ?? { read: false, edit: false };
  }

  #baseline(def: ObjectDef): ObjectAccess {
    if (def.custom) return NONE;
    const readOnly = READ_ONLY_FOR_STANDARD_USERS.has(def.name.toLowerCase());
    if (this.#profileName === 'Standard User')
      return readOnly
        ? { read: true, create: false, edit: false, delete: false }
        : { read: true, create: true, edit: true, delete: true };
    if (this.#profileName === 'Read Only') return { read: true, create: false, edit: false, delete: false };
    return NONE;
  }
}

/** The org's schema as one user sees it through the data APIs (see the file's comment). */
export class UserSchema implements Schema {
  readonly #seen = new WeakMap<ObjectDef, ObjectDef | null>();

  constructor(
    private readonly base: Schema,
    readonly access: UserAccess,
  ) {}

  getObject(name: string): ObjectDef | undefined {
    const def = this.base.getObject(name);
    return def ? this.#view(def) : undefined;
  }

  listObjects(api?: 'data' | 'tooling'): ObjectDef[] {
    return this.base.listObjects(api).flatMap((def) => this.#view(def) ?? []);
  }

  getField(objectName: string, fieldName: string): FieldDef | undefined {
    const def = this.getObject(objectName);
    const lower = fieldName.toLowerCase();
    return def?.fields.find((field) => field.name.toLowerCase() === lower);
  }

  childRelationships(objectName: string): ChildRelationship[] {
    if (!this.getObject(objectName)) return [];
    return this.base
      .childRelationships(objectName)
      .filter((child) => this.getField(child.childSObject, child.field) !== undefined);
  }

  objectForId(id: string): ObjectDef | undefined {
    const def = this.base.objectForId(id);
    return def ? this.#view(def) : undefined;
  }

  // Schema changes come from deploys, which run as the org; a user's view only reads.
  upsertObject(def: ObjectDef): void {
    this.base.upsertObject(def);
  }
  upsertField(objectName: string, field: FieldDef): void {
    this.base.upsertField(objectName, field);
  }
  removeField(objectName: string, fieldName: string): void {
    this.base.removeField(objectName, fieldName);
  }
  removeObject(name: string): void {
    this.base.removeObject(name);
  }
  nextCustomKeyPrefix(): string {
    return this.base.nextCustomKeyPrefix();
  }

  #view(def: ObjectDef): ObjectDef | undefined {
    const cached = this.#seen.get(def);
    if (cached !== undefined) return cached ?? undefined;
    const allowed = this.access.object(def);
    let view: ObjectDef | null = null;
    if (allowed.read) {
      const fields = def.fields.flatMap((field) => {
        const access = this.access.field(def, field);
        if (!access.read) return [];
        return access.edit ? [field] : [{ ...field, createable: false, updateable: false }];
      });
      const denied = [
        ...(def.createable && !allowed.create ? (['insert'] as const) : []),
        ...(def.updateable && !allowed.edit ? (['update'] as const) : []),
        ...(def.deletable && !allowed.delete ? (['delete'] as const) : []),
      ];
      view = {
        ...def,
        fields,
        createable: def.createable && allowed.create,
        updateable: def.updateable && allowed.edit,
        deletable: def.deletable && allowed.delete,
        ...(denied.length ? { denied } : {}),
      };
    }
    this.#seen.set(def, view);
    return view ?? undefined;
  }
}

/** The user's access, or undefined when they see the org as it is. */
export function accessOf(
  store: Pick<RecordStore, 'get' | 'rows'>,
  userId: string,
  now: Date,
): UserAccess | undefined {
  const access = new UserAccess(userId, store, now);
  return access.unrestricted ? undefined : access;
}

// A user's view of the org → the org itself, for what is kept beside the state (query observers).
const bases = new WeakMap<object, LocalOrgState>();

/** The org a view was made from; the org itself for the org. */
export function baseOrg<T extends object>(org: T): T {
  return (bases.get(org) as T | undefined) ?? org;
}

/**
 * Runs `work` as `userId`: with the org as that user sees it (their schema, their id as the current user
 * and as the creator and owner of what they insert), or with the org itself for a user who sees it all.
 * `work` must not defer: the acting user is the store's for the time it runs.
 */
export function runAsUser<T>(
  org: LocalOrgState,
  userId: string,
  work: (org: LocalOrgState) => T,
  access: UserAccess | undefined = accessOf(org.records, userId, org.now()),
): T {
  if (!access && userId === org.userId) return work(org);
  const username = org.records.get(userId)?.Username;
  const view = Object.create(org, {
    userId: { value: userId, enumerable: true },
    username: { value: typeof username === 'string' ? username : org.username, enumerable: true },
    ...(access
      ? {
          // The routes read the schema through the Schema interface only; the view serves that.
          schema: {
            value: new UserSchema(org.schema, access) as unknown as LocalOrgState['schema'],
            enumerable: true,
          },
        }
      : {}),
  }) as LocalOrgState;
  bases.set(view, org);
  const previous = org.records.actingUserId;
  org.records.actingUserId = userId;
  try {
    return work(view);
  } finally {
    org.records.actingUserId = previous;
  }
}
