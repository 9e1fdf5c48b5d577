/** SELECT lists as Salesforce renders records: fields, parent objects, TYPEOF, child subqueries. */
import type { FieldType as SelectItem, FieldTypeOf, Subquery } from '@jetstreamapp/soql-parser-js';
import type { ChildRelationship, FieldDef, ObjectDef, StoredRecord } from '../state/types.js';
import type { SoqlOptions } from './types.js';
import type { QueryErrors } from './errors.js';
import { isVisible, OBJECT_TYPE_FIELD, resolvePath, type QueryScope, type ResolvedField } from './resolve.js';
import type { Predicate } from './where.js';
import { DATE_FUNCTIONS } from './dates.js';
import { normalize, renderValue } from './values.js';
import { formatterFor } from './format.js';
import {
  asList,
  expandFieldsFunction,
  fieldPathOf,
  fromFieldsFunction,
  isAggregateFunction,
  makeScope,
  recordUrl,
  rejectUnsupported,
} from './scope.js';
import { compileWhere } from './filter.js';
import { applyWindow, checkWindow, rowSortKeys, sortSubjects, type SortKey } from './order.js';

type Projection =
  /** A field of the current record; `transform` is toLabel() or FORMAT() when one was asked for. */
  | {
      kind: 'field';
      key: string;
      field: FieldDef;
      transform?: ((field: FieldDef, value: unknown) => unknown) | undefined;
    }
  | { kind: 'parent'; key: string; hop: FieldDef; children: Projection[] }
  /** TYPEOF over a polymorphic relationship: the fields to render per parent type (lower-cased name). */
  | { kind: 'typeof'; key: string; hop: FieldDef; branches: Map<string, Projection[]> }
  | { kind: 'children'; key: string; plan: ChildPlan };

interface ChildPlan {
  relationship: ChildRelationship;
  scope: QueryScope;
  projections: Projection[];
  where?: Predicate<StoredRecord> | undefined;
  sortKeys: SortKey<StoredRecord>[];
  limit?: number | undefined;
  offset?: number | undefined;
}

function addFieldProjection(
  projections: Projection[],
  resolved: ResolvedField,
  errors: QueryErrors,
  raw: string,
  options: {
    duplicateAllowed?: boolean;
    transform?: (field: FieldDef, value: unknown) => unknown;
    key?: string | undefined;
  } = {},
): void {
  let level = projections;
  for (const hop of resolved.hops) {
    const key = hop.relationshipName ?? hop.name;
    let parent = level.find(
      (projection): projection is Extract<Projection, { kind: 'parent' }> =>
        projection.kind === 'parent' && projection.key === key,
    );
    if (!parent) {
      parent = { kind: 'parent', key, hop, children: [] };
      level.push(parent);
    }
    level = parent.children;
  }
  const key = options.key ?? resolved.field.name;
  if (
    level.some(
      (projection) => projection.kind === 'field' && projection.key.toLowerCase() === key.toLowerCase(),
    )
  ) {
    if (options.duplicateAllowed) return;
    throw errors.malformed(raw, `duplicate field selected: ${options.key ?? resolved.canonical}`);
  }
  level.push({ kind: 'field', key, field: resolved.field, transform: options.transform });
}

export function buildProjections(scope: QueryScope, items: SelectItem[], options: SoqlOptions): Projection[] {
  const projections: Projection[] = [];
  for (const item of items) {
    const path = fieldPathOf(item);
    if (path !== undefined) {
      if ('alias' in item && typeof item.alias === 'string' && item.alias) {
        throw scope.errors.malformed(item.alias, 'Only aggregate expressions use field aliasing');
      }
      addFieldProjection(projections, resolvePath(scope, path), scope.errors, path, {
        duplicateAllowed: fromFieldsFunction.has(item),
      });
      continue;
    }
    if (item.type === 'FieldSubquery') {
      const plan = buildChildPlan(scope, item.subquery, options);
      if (
        projections.some(
          (projection) =>
            projection.kind === 'children' && projection.key === plan.relationship.relationshipName,
        )
      ) {
        throw scope.errors.malformed(
          item.subquery.relationshipName,
          `duplicate field selected: ${plan.relationship.relationshipName}`,
        );
      }
      projections.push({ kind: 'children', key: plan.relationship.relationshipName, plan });
      continue;
    }
    if (item.type === 'FieldFunctionExpression') {
      const name = item.functionName.toUpperCase();
      if ((name === 'TOLABEL' || name === 'FORMAT') && typeof item.parameters[0] === 'string') {
        const resolved = resolvePath(scope, item.parameters[0]);
        const transform = name === 'TOLABEL' ? picklistLabel : formatterFor(scope.org).format;
        addFieldProjection(projections, resolved, scope.errors, item.parameters[0], {
          transform,
          key: item.alias,
        });
        continue;
      }
      if (DATE_FUNCTIONS.has(name)) {
        throw scope.errors.malformed(
          item.rawValue ?? name,
          `${item.functionName} can only be used in an aggregate query (with GROUP BY)`,
        );
      }
      throw scope.errors.unsupported(item.rawValue ?? name, `The function ${item.functionName} in SELECT`);
    }
    if (item.type === 'FieldTypeof') {
      const projection = buildTypeof(scope, item, options);
      if (projections.some((existing) => existing.key === projection.key)) {
        throw scope.errors.malformed(item.field, `duplicate field selected: ${projection.key}`);
      }
      projections.push(projection);
      continue;
    }
    throw scope.errors.unsupported('SELECT', 'This SELECT item');
  }
  return projections;
}

function selectItemFor(path: string): SelectItem {
  const parts = path.split('.');
  if (parts.length === 1) return { type: 'Field', field: path };
  return {
    type: 'FieldRelationship',
    field: parts[parts.length - 1] as string,
    relationships: parts.slice(0, -1),
    rawValue: path,
  };
}

/**
 * `TYPEOF What WHEN Account THEN Name, Phone WHEN Opportunity THEN Amount ELSE Name END`: each WHEN
 * names a type the relationship can point to; ELSE applies to the other types.
 */
function buildTypeof(scope: QueryScope, item: FieldTypeOf, options: SoqlOptions): Projection {
  const errors = scope.errors;
  const hop = scope.object.fields.find(
    (field) =>
      field.type === 'reference' && field.relationshipName?.toLowerCase() === item.field.toLowerCase(),
  );
  if (!hop) throw errors.unknownRelationshipInPath(item.field, item.field);
  const targets = (hop.referenceTo ?? []).flatMap((name) => {
    const target = scope.org.schema.getObject(name);
    return target ? [target] : [];
  });
  const branches = new Map<string, Projection[]>();
  const projectionsFor = (target: ObjectDef, fields: string[]): Projection[] =>
    buildProjections(makeScope(scope.org, options, errors, target), fields.map(selectItemFor), options);
  for (const condition of item.conditions) {
    if (condition.type !== 'WHEN') continue;
    const target = targets.find(
      (candidate) => candidate.name.toLowerCase() === (condition.objectType ?? '').toLowerCase(),
    );
    if (!target) {
      throw errors.at(
        condition.objectType ?? item.field,
        'INVALID_FIELD',
        `Invalid sObject type '${condition.objectType ?? ''}' for polymorphic relationship '${hop.relationshipName ?? item.field}'`,
      );
    }
    branches.set(target.name.toLowerCase(), projectionsFor(target, condition.fieldList));
  }
  const otherwise = item.conditions.find((condition) => condition.type === 'ELSE');
  if (otherwise) {
    let firstError: unknown;
    let resolvedAny = false;
    for (const target of targets) {
      if (branches.has(target.name.toLowerCase())) continue;
      try {
        branches.set(target.name.toLowerCase(), projectionsFor(target, otherwise.fieldList));
        resolvedAny = true;
      } catch (error) {
        // An ELSE field may exist on some of the remaining types only; those render without it.
        firstError ??= error;
      }
    }
    if (!resolvedAny && firstError) throw firstError;
  }
  return { kind: 'typeof', key: hop.relationshipName ?? item.field, hop, branches };
}

function buildChildPlan(parent: QueryScope, subquery: Subquery, options: SoqlOptions): ChildPlan {
  const errors = parent.errors;
  const relationship = parent.org.schema
    .childRelationships(parent.object.name)
    .find(
      (candidate) => candidate.relationshipName.toLowerCase() === subquery.relationshipName.toLowerCase(),
    );
  if (!relationship)
    throw errors.unknownChildRelationship(subquery.relationshipName, subquery.relationshipName);
  const object = parent.org.schema.getObject(relationship.childSObject);
  if (!object || !isVisible(object, parent.api))
    throw errors.unknownChildRelationship(subquery.relationshipName, subquery.relationshipName);
  rejectUnsupported(subquery, errors);
  checkWindow(subquery, errors);
  const alias = subquery.sObjectPrefix?.[subquery.sObjectPrefix.length - 1];
  const scope = makeScope(parent.org, options, errors, object, alias);
  const items = expandFieldsFunction(scope, subquery.fields ?? [], subquery.limit);
  if (
    items.some((item) => item.type === 'FieldFunctionExpression' && isAggregateFunction(item.functionName)) ||
    subquery.groupBy
  ) {
    throw errors.unsupported(subquery.relationshipName, 'An aggregate function in a relationship subquery');
  }
  return {
    relationship,
    scope,
    projections: buildProjections(scope, items, options),
    where: compileWhere(scope, subquery, options),
    sortKeys: rowSortKeys(scope, asList(subquery.orderBy)),
    limit: subquery.limit,
    offset: subquery.offset,
  };
}

function picklistLabel(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const labelOf = (part: string): string =>
    field.picklistValues?.find((entry) => entry.value === part)?.label ?? part;
  if (field.type === 'multipicklist') return String(value).split(';').map(labelOf).join(';');
  return labelOf(String(value));
}

export class Renderer {
  private childRows = new Map<ChildPlan, Map<string, StoredRecord[]>>();

  constructor(private readonly scope: QueryScope) {}

  /** Groups each subquery's child rows by parent id, once per query, for the parents in the page. */
  prepareChildren(projections: Projection[], parents: StoredRecord[]): void {
    const plans = projections.flatMap((projection) =>
      projection.kind === 'children' ? [projection.plan] : [],
    );
    if (plans.length === 0) return;
    const parentIds = new Set(parents.map((row) => normalize('id', row.Id) as string));
    for (const plan of plans) {
      const byParent = new Map<string, StoredRecord[]>();
      const field = plan.relationship.field;
      for (const row of this.scope.org.records.rows(plan.scope.object.name, {
        includeDeleted: this.scope.includeDeleted,
      })) {
        const parentId = normalize('id', row[field]);
        if (parentId === null || !parentIds.has(parentId as string)) continue;
        if (plan.where && !plan.where(row)) continue;
        let bucket = byParent.get(parentId as string);
        if (!bucket) byParent.set(parentId as string, (bucket = []));
        bucket.push(row);
      }
      this.childRows.set(plan, byParent);
      // Child subqueries may nest (Account > Contacts > Tasks): prepare the next level from these rows.
      this.prepareChildren(plan.projections, [...byParent.values()].flat());
    }
  }

  record(row: StoredRecord, type: string, projections: Projection[]): Record<string, unknown> {
    const output: Record<string, unknown> = {
      attributes: { type, url: recordUrl(this.scope.api, this.scope.apiVersion, type, row.Id) },
    };
    for (const projection of projections) {
      switch (projection.kind) {
        case 'field': {
          // A polymorphic parent's `Type` is the parent's own object type.
          const value = projection.field === OBJECT_TYPE_FIELD ? type : row[projection.field.name];
          output[projection.key] = projection.transform
            ? projection.transform(projection.field, value)
            : renderValue(projection.field, value);
          break;
        }
        case 'parent': {
          const id: unknown = row[projection.hop.name];
          const parent =
            id === null || id === undefined || id === '' ? undefined : this.scope.org.records.get(String(id));
          const parentType = parent
            ? (this.scope.org.schema.objectForId(parent.Id)?.name ?? projection.hop.referenceTo?.[0])
            : undefined;
          output[projection.key] =
            parent && parentType ? this.record(parent, parentType, projection.children) : null;
          break;
        }
        case 'typeof': {
          const id: unknown = row[projection.hop.name];
          const parent =
            id === null || id === undefined || id === '' ? undefined : this.scope.org.records.get(String(id));
          const parentType = parent ? this.scope.org.schema.objectForId(parent.Id)?.name : undefined;
          output[projection.key] =
            parent && parentType
              ? this.record(parent, parentType, projection.branches.get(parentType.toLowerCase()) ?? [])
              : null;
          break;
        }
        case 'children': {
          const plan = projection.plan;
          const rows = this.childRows.get(plan)?.get(normalize('id', row.Id) as string) ?? [];
          const page = applyWindow(sortSubjects(rows, plan.sortKeys), plan.offset, plan.limit);
          output[projection.key] =
            page.length === 0
              ? null
              : {
                  totalSize: page.length,
                  done: true,
                  records: page.map((child) => this.record(child, plan.scope.object.name, plan.projections)),
                };
          break;
        }
      }
    }
    return output;
  }
}
