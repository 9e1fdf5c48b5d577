import { type OrgHandle, ToolError, salesforceError } from '@sfmcp/plugin-api';
import { closestNames } from './suggest.js';
import { HINTS } from './hints.js';

/** The parts of a field's describe the write tools use. */
export interface FieldInfo {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  nameField?: boolean;
  relationshipName?: string | null;
}

/** The parts of an object's describe the write tools use. */
export interface ObjectInfo {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string | null;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  queryable: boolean;
  fields: FieldInfo[];
}

export type WriteOperation = 'create' | 'update' | 'upsert' | 'delete';

/** A record as it will be sent: field names in the object's own spelling, `Id` only for updates. */
export type FieldMap = Record<string, unknown>;

const ID_PATTERN = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

function errorCode(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'errorCode' in error
    ? String((error as { errorCode: unknown }).errorCode)
    : undefined;
}

function didYouMean(wanted: string, names: readonly string[]): string {
  const close = closestNames(wanted, names);
  return close.length ? ` (did you mean ${close.join(', ')}?)` : '';
}

/** The object's describe (cached on the org handle), or a ToolError naming close object names when it does not exist. */
export async function describeObject(sobject: string, org: OrgHandle): Promise<ObjectInfo> {
  try {
    return (await org.describe(sobject)) as unknown as ObjectInfo;
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'NOT_FOUND' && code !== 'INVALID_TYPE') {
      throw salesforceError(error, {
        hints: HINTS,
        prefix: `Could not describe ${sobject}`,
        hint: 'Nothing was changed.',
      });
    }
    let names: string[] = [];
    try {
      names = (await org.describeGlobal()).sobjects.map((object) => object.name);
    } catch {
      // the suggestion is a courtesy; the error below stands without it
    }
    throw new ToolError(
      `There is no object ${sobject} in ${org.label}${didYouMean(sobject, names)}. Nothing was changed.`,
      'Pass the object API name, e.g. Account or Invoice__c.',
    );
  }
}

/** Refuses an operation the object does not allow at all. */
export function requireObjectAllows(object: ObjectInfo, operation: WriteOperation): void {
  const allowed =
    operation === 'create'
      ? object.createable
      : operation === 'update'
        ? object.updateable
        : operation === 'delete'
          ? object.deletable
          : object.createable || object.updateable;
  if (!allowed) {
    throw new ToolError(
      `${object.name} records cannot be ${operation === 'create' ? 'created' : `${operation}d`} through the API. Nothing was changed.`,
    );
  }
}

/** Checks a record id's shape and that it belongs to the object (by key prefix). */
export function checkId(object: ObjectInfo, id: unknown, where: string): string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new ToolError(
      `${where}: ${JSON.stringify(id)} is not a Salesforce id (15 or 18 letters and digits). Nothing was changed.`,
    );
  }
  if (object.keyPrefix && id.slice(0, 3) !== object.keyPrefix) {
    throw new ToolError(
      `${where}: ${id} is not a ${object.name} id (${object.name} ids start with ${object.keyPrefix}). Nothing was changed.`,
      'Pass ids of the object named in sobject only.',
    );
  }
  return id;
}

/** The 15-character form, for matching ids whatever their length. */
export function id15(id: string): string {
  return id.slice(0, 15);
}

/** Refuses an id given twice: Salesforce rejects duplicates in one collection. */
export function checkNoDuplicates(
  values: readonly string[],
  what: string,
  key: (value: string) => string,
): void {
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const previous = seen.get(key(value));
    if (previous !== undefined) {
      throw new ToolError(
        `${what} ${value} is given twice (items ${previous} and ${index}). Nothing was changed.`,
        'Merge the two into one record.',
      );
    }
    seen.set(key(value), index);
  });
}

/**
 * Checks every record's fields against the describe and returns the records with field names in the
 * object's own spelling. Unknown fields are refused with suggestions; fields the operation cannot set
 * (read-only, or formula) too. A nested object is allowed for a lookup's relationship name
 * (`"Account": { "External_Id__c": "A-1" }`).
 */
export function normalizeRecords(
  object: ObjectInfo,
  records: readonly FieldMap[],
  operation: Exclude<WriteOperation, 'delete'>,
  externalIdField?: string,
): FieldMap[] {
  const byName = new Map(object.fields.map((field) => [field.name.toLowerCase(), field]));
  const byRelationship = new Map(
    object.fields
      .filter((field) => field.relationshipName)
      .map((field) => [String(field.relationshipName).toLowerCase(), field]),
  );
  const unknown = new Set<string>();
  const readOnly = new Set<string>();
  const problems: string[] = [];
  const normalized = records.map((record, index) => {
    const out: FieldMap = {};
    for (const [given, value] of Object.entries(record)) {
      const lower = given.toLowerCase();
      if (lower === 'attributes') continue;
      const field = byName.get(lower);
      const relationship = byRelationship.get(lower);
      if (value !== null && typeof value === 'object') {
        if (relationship && !Array.isArray(value)) {
          out[String(relationship.relationshipName)] = value;
          continue;
        }
        problems.push(
          `records[${index}].${given}: give a single value (text, number, true/false or null)${relationship || !field ? '' : '; multi-select picklists take "A;B"'}`,
        );
        continue;
      }
      if (!field) {
        unknown.add(given);
        continue;
      }
      if (field.name in out) {
        problems.push(`records[${index}] sets ${field.name} twice`);
        continue;
      }
      if (field.name === 'Id') {
        if (operation === 'update' || externalIdField === 'Id') out.Id = value;
        else
          problems.push(
            `records[${index}] has an Id: ${operation === 'create' ? 'to change existing records use update_records' : 'upsert matches on externalIdField, not Id'}`,
          );
        continue;
      }
      const settable =
        operation === 'create'
          ? field.createable
          : operation === 'update'
            ? field.updateable
            : field.createable || field.updateable;
      if (!settable) readOnly.add(field.name);
      else out[field.name] = value;
    }
    return out;
  });
  if (unknown.size) {
    const names = object.fields.map((field) => field.name);
    const list = [...unknown].map((name) => `${name}${didYouMean(name, names)}`).join(', ');
    problems.unshift(`${object.name} has no field ${list}`);
  }
  if (readOnly.size) {
    problems.push(
      `${[...readOnly].join(', ')} cannot be set on ${operation === 'create' ? 'create' : 'update'} (read-only or calculated)`,
    );
  }
  if (problems.length) {
    throw new ToolError(`${problems.join('. ')}. Nothing was changed.`, 'Fix the records and call again.');
  }
  return normalized;
}

/** The field an object's records are known by (Name, Subject, CaseNumber...), if any. */
export function nameFieldOf(object: ObjectInfo): string | undefined {
  return object.fields.find((field) => field.nameField)?.name;
}

/** The external id field for an upsert, in the object's own spelling. */
export function externalIdFieldOf(object: ObjectInfo, given: string): string {
  const field = object.fields.find((candidate) => candidate.name.toLowerCase() === given.toLowerCase());
  const usable = object.fields
    .filter((candidate) => candidate.externalId || candidate.idLookup)
    .map((f) => f.name);
  if (!field) {
    throw new ToolError(
      `${object.name} has no field ${given}${didYouMean(
        given,
        object.fields.map((f) => f.name),
      )}. Nothing was changed.`,
      `Fields ${object.name} can upsert on: ${usable.join(', ')}.`,
    );
  }
  if (!field.externalId && !field.idLookup) {
    throw new ToolError(
      `${object.name}.${field.name} is not an external id field, so records cannot be matched on it. Nothing was changed.`,
      `Fields ${object.name} can upsert on: ${usable.join(', ')}.`,
    );
  }
  return field.name;
}
