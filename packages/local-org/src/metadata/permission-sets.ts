/**
 * Deployed permission sets and permission set groups become records, as in a real org: a
 * `PermissionSet` row (its `PermissionsXxx` booleans from `userPermissions`), `ObjectPermissions`,
 * `FieldPermissions` and `SetupEntityAccess` (Apex class access) rows; a `PermissionSetGroup` with its
 * `PermissionSetGroupComponent` rows and its aggregate `PermissionSet` (Type 'Group'), whose permissions
 * are the union of its members'. The deployed file itself is kept by the metadata store as deployed.
 *
 * Redeploying replaces: since API version 40.0 the Metadata API sets a permission set to exactly what
 * its file declares, so a user permission, object, field or class the new file no longer lists is
 * revoked (its row removed), whatever API version the deploy names. Entries all false (an object none of
 * whose `allow...` is true, a field neither readable nor editable, a class access not enabled) are no
 * rows, as Salesforce stores them. Entries the local org has no records for (tab settings, page access,
 * record type visibility...) are kept in the file only, and the deploy says so with a warning.
 *
 * Deleting a permission set (destructiveChanges) removes its record, its permission rows, its
 * assignments and its membership in groups; deleting a group removes the group, its components, its
 * aggregate permission set and the group's assignments.
 */
import type { OrgState, StoredRecord } from '../state/types.js';
import { findApexRecord } from '../tooling/apexRecords.js';
import { insertAsOrg, updateAsOrg } from '../tooling/trusted.js';
import { asArray, fullNameOf, metadataXmlParser, splitTopLevelElements, textOf } from './xml.js';

/** A component of the same deploy, as the deploy groups its files. */
export interface DeployedComponentLike {
  type: { xmlName: string };
  fullName: string;
  files: ReadonlyMap<string, Buffer>;
}

export type PermissionTypeName = 'PermissionSet' | 'PermissionSetGroup';

export function isPermissionType(typeName: string): typeName is PermissionTypeName {
  return typeName === 'PermissionSet' || typeName === 'PermissionSetGroup';
}

export interface PermissionComponentPlan {
  /** Why the component cannot be deployed (each one a component failure); none when it can. */
  problems: string[];
  /** A warning naming what the local org keeps in the file only; undefined when everything has records. */
  warning?: string;
  /** Whether the org has a record of that name already (deployed before, or seeded). */
  exists: boolean;
  /** Writes the records (inside the deploy's transaction); returns the PermissionSet's or group's id. */
  apply: () => string;
}

type Flags = Record<string, boolean>;

interface ObjectGrant {
  SobjectType: string;
  flags: Flags;
}

interface FieldGrant {
  SobjectType: string;
  Field: string;
  flags: Flags;
}

interface PermissionSetSpec {
  label?: string;
  description: string | null;
  hasActivationRequired: boolean;
  userPermissions: Map<string, boolean>;
  objects: ObjectGrant[];
  fields: FieldGrant[];
  classes: { name: string; enabled: boolean }[];
  fileOnly: string[];
}

/** Permission set elements the local org keeps in the file only (no records of its own model them). */
const FILE_ONLY_ELEMENTS = [
  'agentAccesses',
  'applicationVisibilities',
  'customMetadataTypeAccesses',
  'customPermissions',
  'customSettingAccesses',
  'emailRoutingAddressAccesses',
  'externalCredentialPrincipalAccesses',
  'externalDataSourceAccesses',
  'flowAccesses',
  'pageAccesses',
  'recordTypeVisibilities',
  'servicePresenceStatusAccesses',
  'tabSettings',
];

const OBJECT_FLAGS: ReadonlyArray<[element: string, field: string]> = [
  ['allowRead', 'PermissionsRead'],
  ['allowCreate', 'PermissionsCreate'],
  ['allowEdit', 'PermissionsEdit'],
  ['allowDelete', 'PermissionsDelete'],
  ['viewAllRecords', 'PermissionsViewAllRecords'],
  ['modifyAllRecords', 'PermissionsModifyAllRecords'],
];

const FIELD_FLAGS: ReadonlyArray<[element: string, field: string]> = [
  ['readable', 'PermissionsRead'],
  ['editable', 'PermissionsEdit'],
];

/** A name with a custom suffix (`__c`, `__mdt`, `__e`...): the org must define it, as no org has it by default. */
function isCustomName(name: string): boolean {
  return /__[a-z]+$/i.test(name);
}

function isTrue(value: unknown): boolean {
  return textOf(value)?.trim().toLowerCase() === 'true';
}

function parseRoot(xml: string, rootName: string): Record<string, unknown> {
  const parsed = metadataXmlParser.parse(xml) as Record<string, unknown>;
  const root = parsed[rootName];
  if (root === undefined || root === null || typeof root !== 'object') {
    const found = Object.keys(parsed).find((key) => !key.startsWith('?'));
    throw new Error(
      `Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}${found ?? ''} invalid at this location in type Package`,
    );
  }
  return root as Record<string, unknown>;
}

function entries(root: Record<string, unknown>, element: string): Record<string, unknown>[] {
  return asArray(root[element] as Record<string, unknown> | Record<string, unknown>[] | undefined).filter(
    (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
  );
}

function flagsOf(entry: Record<string, unknown>, names: ReadonlyArray<[string, string]>): Flags {
  return Object.fromEntries(names.map(([element, field]) => [field, isTrue(entry[element])]));
}

function parsePermissionSet(xml: string): PermissionSetSpec {
  const root = parseRoot(xml, 'PermissionSet');
  const userPermissions = new Map<string, boolean>();
  for (const entry of entries(root, 'userPermissions')) {
    const name = textOf(entry.name)?.trim();
    if (name) userPermissions.set(name, isTrue(entry.enabled));
  }
  const fileOnly = FILE_ONLY_ELEMENTS.flatMap((element) => {
    const count = entries(root, element).length;
    return count > 0 ? [`${element} (${count})`] : [];
  });
  const license = textOf(root.license)?.trim();
  if (license) fileOnly.push(`license ${license}`);
  return {
    ...(textOf(root.label)?.trim() ? { label: textOf(root.label)?.trim() as string } : {}),
    description: textOf(root.description)?.trim() || null,
    hasActivationRequired: isTrue(root.hasActivationRequired),
    userPermissions,
    objects: entries(root, 'objectPermissions').map((entry) => ({
      SobjectType: textOf(entry.object)?.trim() ?? '',
      flags: flagsOf(entry, OBJECT_FLAGS),
    })),
    fields: entries(root, 'fieldPermissions').map((entry) => {
      const field = textOf(entry.field)?.trim() ?? '';
      return { SobjectType: field.split('.')[0] ?? '', Field: field, flags: flagsOf(entry, FIELD_FLAGS) };
    }),
    classes: entries(root, 'classAccesses').map((entry) => ({
      name: textOf(entry.apexClass)?.trim() ?? '',
      enabled: isTrue(entry.enabled),
    })),
    fileOnly,
  };
}

interface PermissionSetGroupSpec {
  label?: string;
  description: string | null;
  hasActivationRequired: boolean;
  permissionSets: string[];
  fileOnly: string[];
}

function parsePermissionSetGroup(xml: string): PermissionSetGroupSpec {
  const root = parseRoot(xml, 'PermissionSetGroup');
  const muting = asArray(root.mutingPermissionSets as unknown).length;
  return {
    ...(textOf(root.label)?.trim() ? { label: textOf(root.label)?.trim() as string } : {}),
    description: textOf(root.description)?.trim() || null,
    hasActivationRequired: isTrue(root.hasActivationRequired),
    permissionSets: asArray(root.permissionSets as unknown)
      .map((name) => textOf(name)?.trim() ?? '')
      .filter((name) => name !== ''),
    fileOnly: muting > 0 ? [`mutingPermissionSets (${muting})`] : [],
  };
}

/** What the same deploy brings: objects with their fields, Apex classes and permission sets (lower-cased). */
interface DeployedNames {
  objects: Map<string, { name: string; fields: Map<string, string> }>;
  classes: Set<string>;
  permissionSets: Set<string>;
}

function deployedNamesOf(components: readonly DeployedComponentLike[]): DeployedNames {
  const names: DeployedNames = { objects: new Map(), classes: new Set(), permissionSets: new Set() };
  for (const component of components) {
    const lower = component.fullName.toLowerCase();
    if (component.type.xmlName === 'ApexClass') names.classes.add(lower);
    if (component.type.xmlName === 'PermissionSet') names.permissionSets.add(lower);
    if (component.type.xmlName !== 'CustomObject') continue;
    const fields = new Map<string, string>();
    for (const content of component.files.values()) {
      try {
        for (const element of splitTopLevelElements(content.toString('utf8')).children) {
          const name = element.name === 'fields' ? fullNameOf(element.raw) : undefined;
          if (name) fields.set(name.toLowerCase(), name);
        }
      } catch {
        // A file that does not parse fails as the object's own component; it brings no fields.
      }
    }
    names.objects.set(lower, { name: component.fullName, fields });
  }
  return names;
}

/** A permission set the deploys and assignments address by name: not a profile's, not a group's aggregate. */
function findPermissionSet(org: OrgState, name: string): StoredRecord | undefined {
  const lower = name.toLowerCase();
  for (const row of org.records.rows('PermissionSet')) {
    if (row.IsOwnedByProfile === true || row.Type === 'Group' || row.Type === 'Profile') continue;
    if (row.NamespacePrefix) continue;
    if (String(row.Name ?? '').toLowerCase() === lower) return row;
  }
  return undefined;
}

function findPermissionSetGroup(org: OrgState, name: string): StoredRecord | undefined {
  const lower = name.toLowerCase();
  for (const row of org.records.rows('PermissionSetGroup')) {
    if (row.NamespacePrefix) continue;
    if (String(row.DeveloperName ?? '').toLowerCase() === lower) return row;
  }
  return undefined;
}

/** Whether the org has a record for a permission set or group of that name. */
export function permissionComponentExists(
  org: OrgState,
  typeName: PermissionTypeName,
  name: string,
): boolean {
  return Boolean(
    typeName === 'PermissionSet' ? findPermissionSet(org, name) : findPermissionSetGroup(org, name),
  );
}

/** The `PermissionsXxx` boolean fields the org's PermissionSet object has (canonical names). */
function userPermissionFields(org: OrgState): string[] {
  return (org.schema.getObject('PermissionSet')?.fields ?? [])
    .filter((field) => field.type === 'boolean' && /^Permissions/.test(field.name))
    .map((field) => field.name);
}

function rowsOf(org: OrgState, objectName: string, test: (row: StoredRecord) => boolean): StoredRecord[] {
  if (!org.schema.getObject(objectName)) return [];
  return [...org.records.rows(objectName)].filter(test);
}

/**
 * Makes the rows of `objectName` under `parentId` exactly `wanted` (by `key`): a row whose values
 * changed is updated in place (it keeps its id, as in a real org), a new one inserted, one no longer
 * wanted deleted.
 */
function syncRows(
  org: OrgState,
  objectName: string,
  parentField: string,
  parentId: string,
  key: string,
  wanted: Record<string, unknown>[],
): void {
  const existing = new Map(
    rowsOf(org, objectName, (row) => row[parentField] === parentId).map((row) => [
      String(row[key]).toLowerCase(),
      row,
    ]),
  );
  for (const values of wanted) {
    const lower = String(values[key]).toLowerCase();
    const row = existing.get(lower);
    existing.delete(lower);
    if (!row) {
      insertAsOrg(org, objectName, { [parentField]: parentId, ...values });
      continue;
    }
    const changes = Object.fromEntries(
      Object.entries(values).filter(([name, value]) => name !== key && row[name] !== value),
    );
    if (Object.keys(changes).length > 0) updateAsOrg(org, objectName, row.Id, changes);
  }
  for (const row of existing.values()) org.records.delete(objectName, row.Id);
}

/** The validated rows a permission set's file asks for. */
interface PermissionRows {
  values: Record<string, unknown>;
  objects: Record<string, unknown>[];
  fields: Record<string, unknown>[];
  /** Apex class names (resolved to ids when applied: a class of the same deploy has no id before). */
  classes: string[];
}

function applyPermissionSet(org: OrgState, fullName: string, rows: PermissionRows): string {
  const existing = findPermissionSet(org, fullName);
  const record = existing
    ? updateAsOrg(org, 'PermissionSet', existing.Id, rows.values)
    : insertAsOrg(org, 'PermissionSet', {
        Name: fullName,
        Type: 'Regular',
        IsCustom: true,
        IsOwnedByProfile: false,
        NamespacePrefix: null,
        ...rows.values,
      });
  writePermissionRows(org, record.Id, rows.objects, rows.fields, classAccessRows(org, rows.classes));
  for (const group of groupsContaining(org, record.Id)) refreshAggregate(org, group);
  return record.Id;
}

function classAccessRows(org: OrgState, classes: string[]): Record<string, unknown>[] {
  return classes.flatMap((name) => {
    const record = findApexRecord(org, 'ApexClass', name);
    return record ? [{ SetupEntityId: record.Id, SetupEntityType: 'ApexClass' }] : [];
  });
}

function writePermissionRows(
  org: OrgState,
  parentId: string,
  objects: Record<string, unknown>[],
  fields: Record<string, unknown>[],
  classes: Record<string, unknown>[],
): void {
  syncRows(org, 'ObjectPermissions', 'ParentId', parentId, 'SobjectType', objects);
  syncRows(org, 'FieldPermissions', 'ParentId', parentId, 'Field', fields);
  if (org.schema.getObject('SetupEntityAccess'))
    syncRows(org, 'SetupEntityAccess', 'ParentId', parentId, 'SetupEntityId', classes);
}

function groupsContaining(org: OrgState, permissionSetId: string): StoredRecord[] {
  const groupIds = new Set(
    rowsOf(org, 'PermissionSetGroupComponent', (row) => row.PermissionSetId === permissionSetId).map((row) =>
      String(row.PermissionSetGroupId),
    ),
  );
  return [...groupIds].flatMap((id) => {
    const group = org.records.get(id);
    return group ? [group] : [];
  });
}

function aggregateOf(org: OrgState, groupId: string): StoredRecord | undefined {
  return rowsOf(org, 'PermissionSet', (row) => row.PermissionSetGroupId === groupId)[0];
}

/** OR of each flag of rows with the same key. */
function unionRows(
  rows: StoredRecord[],
  key: string,
  flags: string[],
  keep: string[],
): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const lower = String(row[key]).toLowerCase();
    const merged = byKey.get(lower) ?? Object.fromEntries([key, ...keep].map((name) => [name, row[name]]));
    for (const flag of flags) merged[flag] = merged[flag] === true || row[flag] === true;
    byKey.set(lower, merged);
  }
  return [...byKey.values()];
}

/**
 * Recomputes a group's aggregate permission set from its members, as Salesforce does when a group or
 * one of its permission sets changes: user permissions, object and field permissions and class access
 * are each the union of the members'.
 */
function refreshAggregate(org: OrgState, group: StoredRecord): void {
  const aggregate = aggregateOf(org, group.Id);
  if (!aggregate) return;
  const memberIds = new Set(
    rowsOf(org, 'PermissionSetGroupComponent', (row) => row.PermissionSetGroupId === group.Id).map((row) =>
      String(row.PermissionSetId),
    ),
  );
  const members = [...memberIds].flatMap((id) => {
    const member = org.records.get(id);
    return member ? [member] : [];
  });
  const permissions = Object.fromEntries(
    userPermissionFields(org).map((field) => [field, members.some((member) => member[field] === true)]),
  );
  updateAsOrg(org, 'PermissionSet', aggregate.Id, { Label: group.MasterLabel, ...permissions });
  const ofMembers = (objectName: string) =>
    rowsOf(org, objectName, (row) => memberIds.has(String(row.ParentId)));
  writePermissionRows(
    org,
    aggregate.Id,
    unionRows(
      ofMembers('ObjectPermissions'),
      'SobjectType',
      OBJECT_FLAGS.map(([, field]) => field),
      [],
    ),
    unionRows(
      ofMembers('FieldPermissions'),
      'Field',
      FIELD_FLAGS.map(([, field]) => field),
      ['SobjectType'],
    ),
    unionRows(ofMembers('SetupEntityAccess'), 'SetupEntityId', [], ['SetupEntityType']),
  );
  if (group.Status !== 'Updated') updateAsOrg(org, 'PermissionSetGroup', group.Id, { Status: 'Updated' });
}

function fileOnlyWarning(
  typeName: PermissionTypeName,
  fileOnly: string[],
  unknown: string[],
): string | undefined {
  const all = [...fileOnly, ...unknown];
  if (all.length === 0) return undefined;
  const what = typeName === 'PermissionSet' ? 'permission set' : 'permission set group';
  return `The local org keeps these entries of this ${what} in its file only, with no effect in the local org: ${all.join('; ')}.`;
}

function planPermissionSet(
  org: OrgState,
  fullName: string,
  xml: string,
  deployed: DeployedNames,
): PermissionComponentPlan {
  const spec = parsePermissionSet(xml);
  const problems: string[] = [];
  const unknown: string[] = [];
  if (!spec.label) problems.push('Must specify a non-empty label for the PermissionSet');

  const permissionFields = new Map(userPermissionFields(org).map((field) => [field.toLowerCase(), field]));
  const values: Record<string, unknown> = {
    Label: spec.label ?? fullName,
    Description: spec.description,
    HasActivationRequired: spec.hasActivationRequired,
  };
  // Replace semantics: a user permission the file does not list enabled is off.
  for (const field of permissionFields.values()) values[field] = false;
  for (const [name, enabled] of spec.userPermissions) {
    const field = permissionFields.get(`permissions${name}`.toLowerCase());
    if (field) values[field] = enabled;
    else if (enabled) unknown.push(`the user permission ${name}`);
  }

  /** The object's canonical name, or undefined (with a problem or a warning) when the org has none. */
  const objectName = (name: string, element: 'object' | 'field', shownAs: string): string | undefined => {
    const inOrg = org.schema.getObject(name);
    if (inOrg) return inOrg.name;
    const inDeploy = deployed.objects.get(name.toLowerCase());
    if (inDeploy) return inDeploy.name;
    if (isCustomName(name)) {
      problems.push(
        element === 'object'
          ? `In field: object - no CustomObject named ${name} found`
          : `In field: field - no CustomField named ${shownAs} found`,
      );
    } else unknown.push(`${element} ${shownAs} (the local org has no object ${name})`);
    return undefined;
  };

  const objects: Record<string, unknown>[] = [];
  const seenObjects = new Set<string>();
  for (const grant of spec.objects) {
    const name = grant.SobjectType ? objectName(grant.SobjectType, 'object', grant.SobjectType) : undefined;
    if (!grant.SobjectType) problems.push('In field: object - no CustomObject named  found');
    if (!name || !Object.values(grant.flags).some(Boolean)) continue;
    if (seenObjects.has(name.toLowerCase())) continue;
    seenObjects.add(name.toLowerCase());
    objects.push({ SobjectType: name, ...grant.flags });
  }

  const fields: Record<string, unknown>[] = [];
  const seenFields = new Set<string>();
  for (const grant of spec.fields) {
    const [objectPart, fieldPart, ...rest] = grant.Field.split('.');
    if (!objectPart || !fieldPart || rest.length > 0) {
      problems.push(`In field: field - no CustomField named ${grant.Field} found`);
      continue;
    }
    const object = objectName(objectPart, 'field', grant.Field);
    if (!object) continue;
    const inOrg = org.schema.getField(object, fieldPart);
    const inDeploy = deployed.objects.get(object.toLowerCase())?.fields.get(fieldPart.toLowerCase());
    let field = inOrg?.name ?? inDeploy;
    if (!field) {
      if (isCustomName(fieldPart)) {
        problems.push(`In field: field - no CustomField named ${object}.${fieldPart} found`);
        continue;
      }
      // A standard field the local org's object does not model (the object of this deploy has them all).
      if (!deployed.objects.has(object.toLowerCase()))
        unknown.push(`field ${grant.Field} (the local org's ${object} has no such field)`);
      field = fieldPart;
    }
    const fullField = `${object}.${field}`;
    if (!Object.values(grant.flags).some(Boolean) || seenFields.has(fullField.toLowerCase())) continue;
    seenFields.add(fullField.toLowerCase());
    fields.push({ SobjectType: object, Field: fullField, ...grant.flags });
  }

  const classes: string[] = [];
  for (const access of spec.classes) {
    const known =
      Boolean(access.name && findApexRecord(org, 'ApexClass', access.name)) ||
      deployed.classes.has(access.name.toLowerCase());
    if (!known) {
      problems.push(`In field: apexClass - no ApexClass named ${access.name} found`);
      continue;
    }
    if (access.enabled && !classes.some((name) => name.toLowerCase() === access.name.toLowerCase()))
      classes.push(access.name);
  }

  const warning = fileOnlyWarning('PermissionSet', spec.fileOnly, unknown);
  return {
    problems,
    ...(warning ? { warning } : {}),
    exists: Boolean(findPermissionSet(org, fullName)),
    apply: () => applyPermissionSet(org, fullName, { values, objects, fields, classes }),
  };
}

function planPermissionSetGroup(
  org: OrgState,
  fullName: string,
  xml: string,
  deployed: DeployedNames,
): PermissionComponentPlan {
  const spec = parsePermissionSetGroup(xml);
  const problems: string[] = [];
  if (!spec.label) problems.push('Must specify a non-empty label for the PermissionSetGroup');
  const invalid = spec.permissionSets.filter(
    (name) => !findPermissionSet(org, name) && !deployed.permissionSets.has(name.toLowerCase()),
  );
  if (invalid.length > 0)
    problems.push(
      `Cannot create permission set group components since the following permission set names are invalid: ${invalid.join(', ')}`,
    );
  const warning = fileOnlyWarning('PermissionSetGroup', spec.fileOnly, []);
  return {
    problems,
    ...(warning ? { warning } : {}),
    exists: Boolean(findPermissionSetGroup(org, fullName)),
    apply: () => {
      const values = {
        MasterLabel: spec.label ?? fullName,
        Description: spec.description,
        HasActivationRequired: spec.hasActivationRequired,
      };
      const existing = findPermissionSetGroup(org, fullName);
      const group = existing
        ? updateAsOrg(org, 'PermissionSetGroup', existing.Id, values)
        : insertAsOrg(org, 'PermissionSetGroup', { DeveloperName: fullName, ...values });
      // Members are looked up when applied: a permission set of the same deploy has its record by now.
      const members = spec.permissionSets.flatMap((name) => {
        const member = findPermissionSet(org, name);
        return member ? [{ PermissionSetId: member.Id }] : [];
      });
      syncRows(
        org,
        'PermissionSetGroupComponent',
        'PermissionSetGroupId',
        group.Id,
        'PermissionSetId',
        members,
      );
      refreshAggregate(org, org.records.get(group.Id) ?? group);
      return group.Id;
    },
  };
}

/**
 * Checks a deployed permission set or group against the org and the rest of the deploy, and plans
 * its records. `components` are every component of the deploy (objects, classes, permission sets it
 * may name).
 */
export function planPermissionComponent(
  org: OrgState,
  typeName: PermissionTypeName,
  fullName: string,
  xml: string,
  components: readonly DeployedComponentLike[],
): PermissionComponentPlan {
  try {
    const deployed = deployedNamesOf(components);
    return typeName === 'PermissionSet'
      ? planPermissionSet(org, fullName, xml, deployed)
      : planPermissionSetGroup(org, fullName, xml, deployed);
  } catch (error) {
    const problem = (error as Error).message;
    return {
      problems: [problem.startsWith('Error parsing file') ? problem : `Error parsing file: ${problem}`],
      exists: false,
      apply: () => '',
    };
  }
}

/** Deletes a permission set's or group's records (see the module comment); false when there is none. */
export function deletePermissionComponent(
  org: OrgState,
  typeName: PermissionTypeName,
  name: string,
): boolean {
  if (typeName === 'PermissionSet') {
    const record = findPermissionSet(org, name);
    if (!record) return false;
    const groups = groupsContaining(org, record.Id);
    for (const row of rowsOf(org, 'PermissionSetGroupComponent', (row) => row.PermissionSetId === record.Id))
      org.records.delete('PermissionSetGroupComponent', row.Id);
    deletePermissionSetRecord(org, record);
    for (const group of groups) refreshAggregate(org, group);
    return true;
  }
  const group = findPermissionSetGroup(org, name);
  if (!group) return false;
  for (const row of rowsOf(
    org,
    'PermissionSetGroupComponent',
    (row) => row.PermissionSetGroupId === group.Id,
  ))
    org.records.delete('PermissionSetGroupComponent', row.Id);
  for (const row of rowsOf(org, 'PermissionSetAssignment', (row) => row.PermissionSetGroupId === group.Id))
    org.records.delete('PermissionSetAssignment', row.Id);
  const aggregate = aggregateOf(org, group.Id);
  if (aggregate) deletePermissionSetRecord(org, aggregate);
  org.records.delete('PermissionSetGroup', group.Id);
  return true;
}

function deletePermissionSetRecord(org: OrgState, record: StoredRecord): void {
  for (const objectName of ['ObjectPermissions', 'FieldPermissions', 'SetupEntityAccess'])
    for (const row of rowsOf(org, objectName, (row) => row.ParentId === record.Id))
      org.records.delete(objectName, row.Id);
  for (const row of rowsOf(org, 'PermissionSetAssignment', (row) => row.PermissionSetId === record.Id))
    if (org.records.get(row.Id)) org.records.delete('PermissionSetAssignment', row.Id);
  org.records.delete('PermissionSet', record.Id);
}
