import type { FieldDef, ObjectDef, OrgState, StoredRecord } from '../state/types.js';
import type { QueryErrors } from './errors.js';
import { kindOf, type ValueKind } from './values.js';

/** What one query (or subquery) is about: its object, alias, the org and the API it came through. */
export interface QueryScope {
  readonly org: OrgState;
  readonly api: 'data' | 'tooling';
  readonly apiVersion: string;
  readonly includeDeleted: boolean;
  readonly errors: QueryErrors;
  readonly object: ObjectDef;
  readonly alias?: string | undefined;
}

/** A field reached from the scope's object, possibly through parent relationships (`Account.Owner.Name`). */
export interface ResolvedField {
  /** Reference fields walked, in order (`AccountId`, then `OwnerId`). */
  readonly hops: FieldDef[];
  readonly field: FieldDef;
  readonly kind: ValueKind;
  /** Canonical dotted path, for error texts and matching GROUP BY to SELECT: `Account.Owner.Name`. */
  readonly canonical: string;
  /** The stored value, or null when a relationship on the way is empty. */
  get(row: StoredRecord): unknown;
}

export function isVisible(object: ObjectDef, api: 'data' | 'tooling'): boolean {
  return object.api === 'both' || object.api === api;
}

/** The object named in FROM, as the API the query came through sees it. */
export function resolveObject(
  org: OrgState,
  api: 'data' | 'tooling',
  name: string,
  errors: QueryErrors,
): ObjectDef {
  const object = org.schema.getObject(name);
  if (!object || !isVisible(object, api) || !object.queryable) throw errors.unknownObject(name);
  return object;
}

function sameName(a: string, b: string | undefined): boolean {
  return b !== undefined && a.toLowerCase() === b.toLowerCase();
}

function relationshipField(object: ObjectDef, relationship: string): FieldDef | undefined {
  return object.fields.find(
    (field) => field.type === 'reference' && sameName(relationship, field.relationshipName),
  );
}

/** Objects a reference can point to that this API can see; the first is used to check field names. */
function targetsOf(scope: QueryScope, hop: FieldDef): ObjectDef[] {
  const targets: ObjectDef[] = [];
  for (const name of hop.referenceTo ?? []) {
    const target = scope.org.schema.getObject(name);
    if (target) targets.push(target);
  }
  return targets;
}

/**
 * On a polymorphic relationship (What, Who, Owner) `Type` is the object the id points to
 * (`Account`, `Opportunity`), as Salesforce's Name entity has it.
 */
export const OBJECT_TYPE_FIELD: FieldDef = {
  name: 'Type',
  label: 'Object Type',
  type: 'string',
  length: 255,
  nillable: true,
  createable: false,
  updateable: false,
  defaultedOnCreate: false,
  custom: false,
};

function objectTypeOf(scope: QueryScope, hops: FieldDef[], canonical: string): ResolvedField {
  const records = scope.org.records;
  const schema = scope.org.schema;
  const through = hops.slice(0, -1);
  const last = hops[hops.length - 1] as FieldDef;
  return {
    hops,
    field: OBJECT_TYPE_FIELD,
    kind: 'text',
    canonical,
    get(row) {
      let record: StoredRecord | undefined = row;
      for (const hop of through) {
        const id: unknown = record[hop.name];
        record = id === null || id === undefined || id === '' ? undefined : records.get(String(id));
        if (!record) return null;
      }
      const id: unknown = record[last.name];
      if (id === null || id === undefined || id === '') return null;
      return schema.objectForId(String(id))?.name ?? null;
    },
  };
}

export function resolvePath(scope: QueryScope, raw: string): ResolvedField {
  let segments = raw.split('.').map((segment) => segment.trim());
  // `a.Name` with `FROM Account a`, or `Account.Name` with `FROM Account` when Account is not also a relationship.
  if (segments.length > 1) {
    const first = segments[0] as string;
    if (sameName(first, scope.alias)) segments = segments.slice(1);
    else if (sameName(first, scope.object.name) && !relationshipField(scope.object, first))
      segments = segments.slice(1);
  }
  const hops: FieldDef[] = [];
  const canonicalParts: string[] = [];
  let current: ObjectDef = scope.object;
  for (let i = 0; i < segments.length - 1; i++) {
    const relationship = segments[i] as string;
    const hop = relationshipField(current, relationship);
    if (!hop) throw scope.errors.unknownRelationshipInPath(raw, relationship);
    const targets = targetsOf(scope, hop);
    const nextSegment = segments[i + 1] as string;
    const isLastHop = i + 1 === segments.length - 1;
    // A polymorphic reference (OwnerId -> User | Group) checks names against the first target that has them.
    const next =
      targets.find((target) =>
        isLastHop
          ? scope.org.schema.getField(target.name, nextSegment)
          : relationshipField(target, nextSegment),
      ) ?? targets[0];
    if (!next) throw scope.errors.unknownRelationshipInPath(raw, relationship);
    hops.push(hop);
    canonicalParts.push(hop.relationshipName ?? relationship);
    current = next;
  }
  const fieldName = segments[segments.length - 1] as string;
  const lastHop = hops[hops.length - 1];
  if (lastHop && (lastHop.referenceTo?.length ?? 0) > 1 && fieldName.toLowerCase() === 'type') {
    return objectTypeOf(scope, hops, [...canonicalParts, 'Type'].join('.'));
  }
  const field = scope.org.schema.getField(current.name, fieldName);
  if (!field) throw scope.errors.noSuchColumn(raw, fieldName, current.name);
  canonicalParts.push(field.name);
  const records = scope.org.records;
  const name = field.name;
  const get =
    hops.length === 0
      ? (row: StoredRecord): unknown => row[name]
      : (row: StoredRecord): unknown => {
          let record: StoredRecord | undefined = row;
          for (const hop of hops) {
            const id: unknown = record[hop.name];
            if (id === null || id === undefined || id === '') return null;
            record = records.get(String(id));
            if (!record) return null;
          }
          return record[name];
        };
  return { hops, field, kind: kindOf(field.type), canonical: canonicalParts.join('.'), get };
}
