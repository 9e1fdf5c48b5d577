import type { Journal } from './journal.js';
import type { ChildRelationship, FieldDef, ObjectDef, Schema } from './types.js';

const PREFIX_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Relationship names Salesforce gives standard child relationships (`Account.Contacts`, `Account.Opportunities`). */
function standardChildRelationshipName(child: ObjectDef, field: FieldDef): string | undefined {
  if (child.custom || field.custom) return undefined;
  if (field.name === 'ParentId' && (child.name === 'Account' || child.name === 'Case')) {
    return child.name === 'Account' ? 'ChildAccounts' : 'Cases';
  }
  const plural: Record<string, string> = {
    Contact: 'Contacts',
    Opportunity: 'Opportunities',
    Case: 'Cases',
    Task: 'Tasks',
    Event: 'Events',
    Note: 'Notes',
    PermissionSetAssignment: 'Assignments',
    ObjectPermissions: 'ObjectPerms',
    FieldPermissions: 'FieldPerms',
    PricebookEntry: 'PricebookEntries',
    GroupMember: 'GroupMembers',
    User: 'Users',
  };
  if (child.name === 'Task' || child.name === 'Event') return plural[child.name];
  if (child.name === 'PermissionSetAssignment' && field.name === 'AssigneeId')
    return 'PermissionSetAssignments';
  if (field.name === 'OwnerId' || field.name === 'CreatedById' || field.name === 'LastModifiedById')
    return undefined;
  if (child.name === 'User' && field.name !== 'ProfileId' && field.name !== 'UserRoleId') return undefined;
  if (child.name === 'Contact' && field.name === 'ReportsToId') return undefined;
  return plural[child.name];
}

/** What the schema tells the record store when it loses an object (no `fieldNames`) or fields of one. */
export interface SchemaRemoval {
  objectName: string;
  fieldNames?: string[];
}

/** A removal the schema refuses: a standard object or field, an unknown one, a master with details. */
export class SchemaRemovalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaRemovalError';
  }
}

export class OrgSchema implements Schema {
  private readonly objects = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();
  private readonly fieldIndex = new Map<string, Map<string, FieldDef>>();
  private childCache: Map<string, ChildRelationship[]> | undefined;

  constructor(
    private readonly journal: Journal,
    /** Told about every added or replaced object (and, on undo, the one put back). */
    private readonly onChange: (def: ObjectDef) => void = () => {},
    /**
     * Told about every removed object or field, after the schema changed: the record store drops the
     * data that went with it (journaled the same way, so a rollback brings both back).
     */
    private readonly onRemove: (removal: SchemaRemoval) => void = () => {},
  ) {}

  getObject(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  listObjects(api?: 'data' | 'tooling'): ObjectDef[] {
    const all = [...this.objects.values()];
    if (!api) return all;
    return all.filter((def) => def.api === api || def.api === 'both');
  }

  getField(objectName: string, fieldName: string): FieldDef | undefined {
    return this.fieldIndex.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  childRelationships(objectName: string): ChildRelationship[] {
    if (!this.childCache) this.childCache = this.computeChildRelationships();
    return this.childCache.get(objectName.toLowerCase()) ?? [];
  }

  objectForId(id: string): ObjectDef | undefined {
    if (typeof id !== 'string' || id.length < 3) return undefined;
    return this.byPrefix.get(id.slice(0, 3));
  }

  upsertObject(def: ObjectDef): void {
    const key = def.name.toLowerCase();
    const previous = this.objects.get(key);
    this.journal.record(() => {
      if (previous) this.put(previous);
      else this.remove(key);
    });
    this.put(def);
    this.onChange(def);
  }

  upsertField(objectName: string, field: FieldDef): void {
    const def = this.getObject(objectName);
    if (!def) throw new Error(`No such object: ${objectName}`);
    const fields = def.fields.filter((existing) => existing.name.toLowerCase() !== field.name.toLowerCase());
    fields.push(field);
    this.upsertObject({ ...def, fields });
  }

  /**
   * Deletes a custom field, as a destructive deploy does: its values go from every record of the
   * object (the store hears of it), and with a geolocation compound its two components go too.
   * Inside a transaction (a deploy) a rollback puts the field and the values back. Throws
   * SchemaRemovalError for a standard field or an unknown one.
   */
  removeField(objectName: string, fieldName: string): void {
    const def = this.getObject(objectName);
    if (!def) throw new SchemaRemovalError(`No such object: ${objectName}`);
    const target = this.getField(def.name, fieldName);
    if (!target) throw new SchemaRemovalError(`No such field: ${def.name}.${fieldName}`);
    if (!target.custom)
      throw new SchemaRemovalError(`${def.name}.${target.name} is a standard field: it cannot be deleted`);
    const removed = def.fields.filter(
      (field) => field === target || field.compoundFieldName?.toLowerCase() === target.name.toLowerCase(),
    );
    this.upsertObject({ ...def, fields: def.fields.filter((field) => !removed.includes(field)) });
    this.onRemove({ objectName: def.name, fieldNames: removed.map((field) => field.name) });
  }

  /**
   * Deletes a custom object with its records, as a destructive deploy does. Refuses (SchemaRemovalError)
   * a standard object, and an object that is the master of a master-detail field of another object
   * (the detail object, or that field, goes first). Inside a transaction a rollback puts it back.
   */
  removeObject(name: string): void {
    const def = this.getObject(name);
    if (!def) throw new SchemaRemovalError(`No such object: ${name}`);
    if (!def.custom) throw new SchemaRemovalError(`${def.name} is a standard object: it cannot be deleted`);
    const details = this.masterDetailChildren(def.name);
    if (details.length > 0)
      throw new SchemaRemovalError(
        `${def.name} is the master of ${details.map((child) => `${child.childSObject}.${child.field}`).join(', ')}: delete the detail first`,
      );
    const key = def.name.toLowerCase();
    const order = [...this.objects.keys()];
    this.journal.record(() => {
      this.put(def);
      // Back in its place: describeGlobal lists objects as they were.
      const entries = new Map(this.objects);
      this.objects.clear();
      for (const name of order) {
        const entry = entries.get(name);
        if (entry) this.objects.set(name, entry);
        entries.delete(name);
      }
      for (const [name, entry] of entries) this.objects.set(name, entry);
      this.onChange(def);
    });
    this.remove(key);
    this.onRemove({ objectName: def.name });
  }

  /** Master-detail fields of other objects that point at this one. */
  masterDetailChildren(objectName: string): ChildRelationship[] {
    return this.childRelationships(objectName).filter(
      (child) => child.cascadeDelete && child.childSObject.toLowerCase() !== objectName.toLowerCase(),
    );
  }

  nextCustomKeyPrefix(): string {
    for (const second of PREFIX_ALPHABET) {
      for (const third of PREFIX_ALPHABET) {
        const prefix = `a${second}${third}`;
        if (!this.byPrefix.has(prefix)) return prefix;
      }
    }
    throw new Error('No key prefix left for a custom object');
  }

  private put(def: ObjectDef): void {
    const key = def.name.toLowerCase();
    const previous = this.objects.get(key);
    if (previous && this.byPrefix.get(previous.keyPrefix) === previous)
      this.byPrefix.delete(previous.keyPrefix);
    this.objects.set(key, def);
    this.byPrefix.set(def.keyPrefix, def);
    this.fieldIndex.set(key, new Map(def.fields.map((field) => [field.name.toLowerCase(), field])));
    this.childCache = undefined;
  }

  private remove(key: string): void {
    const previous = this.objects.get(key);
    if (!previous) return;
    this.objects.delete(key);
    if (this.byPrefix.get(previous.keyPrefix) === previous) this.byPrefix.delete(previous.keyPrefix);
    this.fieldIndex.delete(key);
    this.childCache = undefined;
  }

  private computeChildRelationships(): Map<string, ChildRelationship[]> {
    const result = new Map<string, ChildRelationship[]>();
    for (const child of this.objects.values()) {
      for (const field of child.fields) {
        if (field.type !== 'reference' || !field.referenceTo) continue;
        const relationshipName = field.childRelationshipName
          ? field.custom && !field.childRelationshipName.endsWith('__r')
            ? `${field.childRelationshipName}__r`
            : field.childRelationshipName
          : field.custom
            ? `${pluralChildName(child)}__r`
            : standardChildRelationshipName(child, field);
        for (const parent of field.referenceTo) {
          const list = result.get(parent.toLowerCase()) ?? [];
          list.push({
            relationshipName: relationshipName ?? '',
            childSObject: child.name,
            field: field.name,
            cascadeDelete: field.cascadeDelete ?? false,
          });
          result.set(parent.toLowerCase(), list);
        }
      }
    }
    // Relationships without a name exist in describe (relationshipName null) but cannot be used in SOQL.
    return result;
  }
}

/** `Invoice__c` → `Invoices`. */
function pluralChildName(child: ObjectDef): string {
  const base = child.name.replace(/__c$/i, '');
  return base.endsWith('s') ? `${base}es` : `${base}s`;
}
