import {
  parseQuery,
  type FieldFunctionExpression,
  type FieldType as SelectItem,
  type FieldTypeOf,
  type FunctionExp,
  type GroupByClause,
  type OrderByClause,
  type Query,
  type QueryBase,
  type Subquery,
} from '@jetstreamapp/soql-parser-js';
import { SalesforceApiError } from '../errors.js';
import type { ChildRelationship, FieldDef, ObjectDef, OrgState, StoredRecord } from '../state/types.js';
import type { SoqlOptions, SoqlResult } from './types.js';
import { positionedMessage, QueryErrors } from './errors.js';
import { isVisible, resolveObject, resolvePath, type QueryScope, type ResolvedField } from './resolve.js';
import { compileClause, type ConditionContext, type LeafCondition, type Operand, type Predicate } from './where.js';
import { DATE_FUNCTIONS, dateFunction, isTimeZone, utcToWall } from './dates.js';
import { formatterFor } from './format.js';
import { datetimeMs, normalize, renderValue, type Normalized, type ValueKind } from './values.js';

const AGGREGATE_FUNCTIONS = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const MAX_OFFSET = 2000;
const FIELDS_LIMIT = 200;

export function apiVersionPath(apiVersion: string): string {
  return apiVersion.startsWith('v') ? apiVersion : `v${apiVersion}`;
}

export function recordUrl(api: 'data' | 'tooling', apiVersion: string, type: string, id: string): string {
  const base = `/services/data/${apiVersionPath(apiVersion)}`;
  return `${base}${api === 'tooling' ? '/tooling' : ''}/sobjects/${type}/${id}`;
}

/** The running user's TimeZoneSidKey (UTC when the user has none the runtime knows). */
export function userTimeZone(org: OrgState): string {
  const zone = org.records.get(org.userId)?.TimeZoneSidKey;
  return typeof zone === 'string' && zone && isTimeZone(zone) ? zone : 'UTC';
}

export function makeScope(
  org: OrgState,
  options: SoqlOptions,
  errors: QueryErrors,
  object: ObjectDef,
  alias?: string,
): QueryScope {
  return {
    org,
    api: options.api,
    apiVersion: options.apiVersion,
    includeDeleted: options.includeDeleted === true,
    errors,
    object,
    alias,
  };
}

// ---------------------------------------------------------------- parsing

function parseSoql(soql: string, errors: QueryErrors): Query {
  try {
    // No options: with any options object soql-parser-js builds a new parser per call (tens of ms).
    return parseQuery(soql);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const found = /but found:\s*'([^']*)'/.exec(text)?.[1];
    if (found === undefined || found === '') {
      throw new SalesforceApiError(400, 'MALFORMED_QUERY', positionedMessage(soql, soql.trimEnd().length, 'unexpected token: <EOF>'));
    }
    throw errors.malformed(found, `unexpected token: '${found}'`);
  }
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function rejectUnsupported(query: QueryBase, errors: QueryErrors): void {
  const usingScope = query.usingScope?.toLowerCase();
  if (usingScope && usingScope !== 'everything' && usingScope !== 'mine') throw errors.unsupported('USING', `USING SCOPE ${query.usingScope}`);
  if (query.withDataCategory) throw errors.unsupported('DATA', 'WITH DATA CATEGORY');
  if (query.for === 'UPDATE') throw errors.unsupported('UPDATE', 'FOR UPDATE');
  if (query.update) throw errors.unsupported('UPDATE', `UPDATE ${query.update}`);
}

// ---------------------------------------------------------------- select items

/** Items FIELDS() produced: naming one of them again is not a duplicate. */
const fromFieldsFunction = new WeakSet<SelectItem>();

/** FIELDS(ALL|STANDARD|CUSTOM) replaced by the object's fields; other items kept. */
function expandFieldsFunction(scope: QueryScope, items: SelectItem[], limit: number | undefined): SelectItem[] {
  const expanded: SelectItem[] = [];
  for (const item of items) {
    if (item.type === 'FieldFunctionExpression' && item.functionName.toUpperCase() === 'FIELDS') {
      const which = String(item.parameters[0] ?? '').toUpperCase();
      if (which !== 'ALL' && which !== 'STANDARD' && which !== 'CUSTOM') {
        throw scope.errors.malformed(String(item.parameters[0] ?? 'FIELDS'), `unexpected token: '${String(item.parameters[0] ?? '')}'`);
      }
      if (which !== 'STANDARD' && (limit === undefined || limit > FIELDS_LIMIT)) {
        throw scope.errors.malformed('FIELDS', `The SOQL FIELDS function must have a LIMIT of at most ${FIELDS_LIMIT}`);
      }
      for (const field of scope.object.fields) {
        if (which === 'STANDARD' && field.custom) continue;
        if (which === 'CUSTOM' && !field.custom) continue;
        const generated: SelectItem = { type: 'Field', field: field.name };
        fromFieldsFunction.add(generated);
        expanded.push(generated);
      }
    } else {
      expanded.push(item);
    }
  }
  return expanded;
}

function fieldPathOf(item: SelectItem): string | undefined {
  if (item.type === 'Field') return 'objectPrefix' in item && item.objectPrefix ? `${item.objectPrefix}.${item.field}` : item.field;
  if (item.type === 'FieldRelationship') return item.rawValue ?? [...item.relationships, item.field].join('.');
  return undefined;
}

function isAggregateFunction(name: string | undefined): boolean {
  return AGGREGATE_FUNCTIONS.has((name ?? '').toUpperCase());
}

// ---------------------------------------------------------------- operands

/** A date function over a date or datetime field: CALENDAR_YEAR(CloseDate), DAY_ONLY(CreatedDate). */
function dateFunctionOperand(scope: QueryScope, fn: FunctionExp): Operand<StoredRecord> & { resolved: ResolvedField; name: string } {
  const name = (fn.functionName ?? '').toUpperCase();
  let parameter = fn.parameters?.[0];
  // convertTimezone(CreatedDate) reads the datetime in the running user's time zone instead of UTC.
  let timeZone = 'UTC';
  if (typeof parameter === 'object' && parameter.functionName?.toLowerCase() === 'converttimezone' && typeof parameter.parameters?.[0] === 'string') {
    timeZone = userTimeZone(scope.org);
    parameter = parameter.parameters[0];
  }
  if (typeof parameter !== 'string') throw scope.errors.unsupported(fn.rawValue ?? name, `${name} over an expression`);
  const resolved = resolvePath(scope, parameter);
  if (resolved.kind !== 'date' && resolved.kind !== 'datetime') {
    throw scope.errors.at(
      parameter,
      scope.errors.malformedCode,
      `${name} can only be applied to date or dateTime fields, not ${resolved.field.type}: ${resolved.canonical}`,
    );
  }
  if (timeZone !== 'UTC' && resolved.kind !== 'datetime') {
    throw scope.errors.at(parameter, scope.errors.malformedCode, `convertTimezone can only be applied to dateTime fields: ${resolved.canonical}`);
  }
  const kind: ValueKind = name === 'DAY_ONLY' ? 'date' : 'number';
  return {
    kind,
    label: fn.rawValue ?? `${name}(${parameter})`,
    resolved,
    name,
    get(row) {
      const value = resolved.get(row);
      if (value === null || value === undefined || value === '') return null;
      const ms = datetimeMs(String(value));
      return Number.isNaN(ms) ? null : (dateFunction(name, utcToWall(ms, timeZone)) ?? null);
    },
  };
}

function rowOperand(scope: QueryScope, condition: LeafCondition): Operand<StoredRecord> {
  if ('fn' in condition) {
    const name = (condition.fn.functionName ?? '').toUpperCase();
    if (DATE_FUNCTIONS.has(name)) return dateFunctionOperand(scope, condition.fn);
    if (isAggregateFunction(name)) {
      throw scope.errors.malformed(condition.fn.rawValue ?? name, 'Aggregate functions are not allowed in the WHERE clause; use HAVING');
    }
    throw scope.errors.unsupported(condition.fn.rawValue ?? name, `The function ${condition.fn.functionName ?? ''}`);
  }
  const resolved = resolvePath(scope, condition.field);
  if (resolved.kind === 'opaque' || isLongText(resolved.field)) {
    throw scope.errors.at(condition.field, 'INVALID_FIELD', `field '${resolved.canonical}' can not be filtered in a query call`);
  }
  return { kind: resolved.kind, label: resolved.canonical, get: resolved.get, field: resolved.field };
}

export function compileWhere(scope: QueryScope, query: QueryBase, options: SoqlOptions): Predicate<StoredRecord> | undefined {
  if (!query.where) return undefined;
  const context: ConditionContext<StoredRecord> = {
    errors: scope.errors,
    now: scope.org.now(),
    timeZone: userTimeZone(scope.org),
    operand: (condition) => rowOperand(scope, condition),
    semiJoin: (inner, field) => runSemiJoin(scope, inner, field, options),
  };
  return compileClause(query.where, context);
}

function runSemiJoin(outer: QueryScope, inner: Query, outerField: string, options: SoqlOptions): Set<string> {
  const errors = outer.errors;
  const object = resolveObject(outer.org, outer.api, inner.sObject ?? '', errors);
  const scope = makeScope(outer.org, options, errors, object, inner.sObjectAlias);
  const items = inner.fields ?? [];
  const path = items.length === 1 ? fieldPathOf(items[0] as SelectItem) : undefined;
  if (!path) throw errors.malformed(outerField, 'The inner select field of a semi join or anti join must be a single Id or reference field');
  const resolved = resolvePath(scope, path);
  if (resolved.kind !== 'id') {
    throw errors.at(path, 'INVALID_FIELD', `The selected field in a subquery must be an Id or a reference field: ${resolved.canonical}`);
  }
  const predicate = compileWhere(scope, inner, options);
  const ids = new Set<string>();
  for (const row of outer.org.records.rows(object.name, { includeDeleted: false })) {
    if (predicate && !predicate(row)) continue;
    const value = normalize('id', resolved.get(row));
    if (value !== null) ids.add(value as string);
  }
  return ids;
}

// ---------------------------------------------------------------- ordering

interface SortKey<S> {
  get(subject: S): Normalized;
  descending: boolean;
  nullsFirst: boolean;
}

function sortKeysFrom<S>(
  clauses: OrderByClause[],
  operandFor: (clause: OrderByClause) => Operand<S>,
  errors: QueryErrors,
): SortKey<S>[] {
  return clauses.map((clause) => {
    const operand = operandFor(clause);
    const descending = clause.order === 'DESC';
    // Salesforce puts nulls first when ascending and last when descending unless told otherwise.
    const nullsFirst = clause.nulls ? clause.nulls === 'FIRST' : !descending;
    const field = operand.field;
    if (field && !isSortable(field)) {
      throw errors.at(operand.label, 'INVALID_FIELD', `field '${operand.label}' can not be sorted in a query call`);
    }
    const kind = operand.kind;
    if (field?.type === 'picklist' && field.picklistValues && field.picklistValues.length > 0) {
      // Picklists sort in the order their values are defined, not alphabetically.
      const positions = new Map(field.picklistValues.map((entry, index) => [entry.value.toLowerCase(), String(index).padStart(6, '0')]));
      return {
        get: (subject: S) => {
          const value = normalize('text', operand.get(subject));
          return value === null ? null : (positions.get(value as string) ?? `~${value as string}`);
        },
        descending,
        nullsFirst,
      };
    }
    return { get: (subject: S) => normalize(kind, operand.get(subject)), descending, nullsFirst };
  });
}

/** Multi-select picklists and long text areas cannot be sorted, grouped or filtered. */
function isLongText(field: FieldDef): boolean {
  return field.type === 'textarea' && (field.length ?? 255) > 255;
}

function isSortable(field: FieldDef): boolean {
  return field.type !== 'multipicklist' && !isLongText(field) && field.type !== 'address' && field.type !== 'location';
}

/**
 * Sorts by the keys (ties keep their original order). With `take`, only the first `take` subjects in
 * that order are wanted (LIMIT + OFFSET): a bounded heap finds them without sorting everything.
 */
export function sortSubjects<S>(subjects: S[], keys: SortKey<S>[], take?: number): S[] {
  if (keys.length === 0 || subjects.length < 2) return subjects;
  // Decorate once (each key read once per subject), order indexes, undecorate.
  const count = keys.length;
  const values: Normalized[] = new Array<Normalized>(subjects.length * count);
  for (let index = 0; index < subjects.length; index++) {
    const subject = subjects[index] as S;
    for (let k = 0; k < count; k++) values[index * count + k] = (keys[k] as SortKey<S>).get(subject);
  }
  const compare = (a: number, b: number): number => {
    for (let k = 0; k < count; k++) {
      const x = values[a * count + k] as Normalized;
      const y = values[b * count + k] as Normalized;
      if (x === y) continue;
      const key = keys[k] as SortKey<S>;
      if (x === null) return key.nullsFirst ? -1 : 1;
      if (y === null) return key.nullsFirst ? 1 : -1;
      if (x < y) return key.descending ? 1 : -1;
      if (x > y) return key.descending ? -1 : 1;
    }
    return a - b;
  };
  const order = take !== undefined && take < subjects.length / 4 ? smallest(subjects.length, take, compare) : Array.from({ length: subjects.length }, (_, index) => index);
  order.sort(compare);
  return order.map((index) => subjects[index] as S);
}

/** The `take` smallest of 0..size-1 under `compare` (a strict order), unsorted, kept in a max-heap. */
function smallest(size: number, take: number, compare: (a: number, b: number) => number): number[] {
  const heap: number[] = [];
  if (take <= 0) return heap;
  const swap = (i: number, j: number): void => {
    const held = heap[i] as number;
    heap[i] = heap[j] as number;
    heap[j] = held;
  };
  for (let candidate = 0; candidate < size; candidate++) {
    if (heap.length < take) {
      heap.push(candidate);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (compare(heap[i] as number, heap[parent] as number) <= 0) break;
        swap(i, parent);
        i = parent;
      }
    } else if (compare(candidate, heap[0] as number) < 0) {
      heap[0] = candidate;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < heap.length && compare(heap[left] as number, heap[largest] as number) > 0) largest = left;
        if (right < heap.length && compare(heap[right] as number, heap[largest] as number) > 0) largest = right;
        if (largest === i) break;
        swap(i, largest);
        i = largest;
      }
    }
  }
  return heap;
}

function rowSortKeys(scope: QueryScope, clauses: OrderByClause[]): SortKey<StoredRecord>[] {
  return sortKeysFrom(clauses, (clause) => {
    if ('field' in clause) {
      const resolved = resolvePath(scope, clause.field);
      return { kind: resolved.kind, label: resolved.canonical, get: resolved.get, field: resolved.field };
    }
    const name = (clause.fn.functionName ?? '').toUpperCase();
    if (DATE_FUNCTIONS.has(name)) return dateFunctionOperand(scope, clause.fn);
    if (isAggregateFunction(name)) {
      throw scope.errors.malformed(clause.fn.rawValue ?? name, 'Ordered field must be grouped or aggregated: ' + (clause.fn.rawValue ?? name));
    }
    throw scope.errors.unsupported(clause.fn.rawValue ?? name, `ORDER BY ${clause.fn.functionName ?? ''}`);
  }, scope.errors);
}

function applyWindow<T>(items: T[], offset: number | undefined, limit: number | undefined): T[] {
  const start = offset ?? 0;
  const end = limit === undefined ? undefined : start + limit;
  return start === 0 && end === undefined ? items : items.slice(start, end);
}

function checkWindow(query: QueryBase, errors: QueryErrors): void {
  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw errors.at('OFFSET', 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }
}

// ---------------------------------------------------------------- record projection

type Projection =
  /** A field of the current record; `transform` is toLabel() or FORMAT() when one was asked for. */
  | { kind: 'field'; key: string; field: FieldDef; transform?: ((field: FieldDef, value: unknown) => unknown) | undefined }
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
  options: { duplicateAllowed?: boolean; transform?: (field: FieldDef, value: unknown) => unknown; key?: string | undefined } = {},
): void {
  let level = projections;
  for (const hop of resolved.hops) {
    const key = hop.relationshipName ?? hop.name;
    let parent = level.find((projection): projection is Extract<Projection, { kind: 'parent' }> => projection.kind === 'parent' && projection.key === key);
    if (!parent) {
      parent = { kind: 'parent', key, hop, children: [] };
      level.push(parent);
    }
    level = parent.children;
  }
  const key = options.key ?? resolved.field.name;
  if (level.some((projection) => projection.kind === 'field' && projection.key.toLowerCase() === key.toLowerCase())) {
    if (options.duplicateAllowed) return;
    throw errors.malformed(raw, `duplicate field selected: ${options.key ?? resolved.canonical}`);
  }
  level.push({ kind: 'field', key, field: resolved.field, transform: options.transform });
}

function buildProjections(scope: QueryScope, items: SelectItem[], options: SoqlOptions): Projection[] {
  const projections: Projection[] = [];
  for (const item of items) {
    const path = fieldPathOf(item);
    if (path !== undefined) {
      if ('alias' in item && typeof item.alias === 'string' && item.alias) {
        throw scope.errors.malformed(item.alias, 'Only aggregate expressions use field aliasing');
      }
      addFieldProjection(projections, resolvePath(scope, path), scope.errors, path, { duplicateAllowed: fromFieldsFunction.has(item) });
      continue;
    }
    if (item.type === 'FieldSubquery') {
      const plan = buildChildPlan(scope, item.subquery, options);
      if (projections.some((projection) => projection.kind === 'children' && projection.key === plan.relationship.relationshipName)) {
        throw scope.errors.malformed(item.subquery.relationshipName, `duplicate field selected: ${plan.relationship.relationshipName}`);
      }
      projections.push({ kind: 'children', key: plan.relationship.relationshipName, plan });
      continue;
    }
    if (item.type === 'FieldFunctionExpression') {
      const name = item.functionName.toUpperCase();
      if ((name === 'TOLABEL' || name === 'FORMAT') && typeof item.parameters[0] === 'string') {
        const resolved = resolvePath(scope, item.parameters[0]);
        const transform = name === 'TOLABEL' ? picklistLabel : formatterFor(scope.org).format;
        addFieldProjection(projections, resolved, scope.errors, item.parameters[0], { transform, key: item.alias });
        continue;
      }
      if (DATE_FUNCTIONS.has(name)) {
        throw scope.errors.malformed(item.rawValue ?? name, `${item.functionName} can only be used in an aggregate query (with GROUP BY)`);
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
  return { type: 'FieldRelationship', field: parts[parts.length - 1] as string, relationships: parts.slice(0, -1), rawValue: path };
}

/**
 * `TYPEOF What WHEN Account THEN Name, Phone WHEN Opportunity THEN Amount ELSE Name END`: each WHEN
 * names a type the relationship can point to; ELSE applies to the other types.
 */
function buildTypeof(scope: QueryScope, item: FieldTypeOf, options: SoqlOptions): Projection {
  const errors = scope.errors;
  const hop = scope.object.fields.find(
    (field) => field.type === 'reference' && field.relationshipName?.toLowerCase() === item.field.toLowerCase(),
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
    const target = targets.find((candidate) => candidate.name.toLowerCase() === (condition.objectType ?? '').toLowerCase());
    if (!target) {
      throw errors.at(condition.objectType ?? item.field, 'INVALID_FIELD', `Invalid sObject type '${condition.objectType ?? ''}' for polymorphic relationship '${hop.relationshipName ?? item.field}'`);
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
    .find((candidate) => candidate.relationshipName.toLowerCase() === subquery.relationshipName.toLowerCase());
  if (!relationship) throw errors.unknownChildRelationship(subquery.relationshipName, subquery.relationshipName);
  const object = parent.org.schema.getObject(relationship.childSObject);
  if (!object || !isVisible(object, parent.api)) throw errors.unknownChildRelationship(subquery.relationshipName, subquery.relationshipName);
  rejectUnsupported(subquery, errors);
  checkWindow(subquery, errors);
  const alias = subquery.sObjectPrefix?.[subquery.sObjectPrefix.length - 1];
  const scope = makeScope(parent.org, options, errors, object, alias);
  const items = expandFieldsFunction(scope, subquery.fields ?? [], subquery.limit);
  if (items.some((item) => item.type === 'FieldFunctionExpression' && isAggregateFunction(item.functionName)) || subquery.groupBy) {
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
  const labelOf = (part: string): string => field.picklistValues?.find((entry) => entry.value === part)?.label ?? part;
  if (field.type === 'multipicklist') return String(value).split(';').map(labelOf).join(';');
  return labelOf(String(value));
}

class Renderer {
  private childRows = new Map<ChildPlan, Map<string, StoredRecord[]>>();

  constructor(private readonly scope: QueryScope) {}

  /** Groups each subquery's child rows by parent id, once per query, for the parents in the page. */
  prepareChildren(projections: Projection[], parents: StoredRecord[]): void {
    const plans = projections.flatMap((projection) => (projection.kind === 'children' ? [projection.plan] : []));
    if (plans.length === 0) return;
    const parentIds = new Set(parents.map((row) => normalize('id', row.Id) as string));
    for (const plan of plans) {
      const byParent = new Map<string, StoredRecord[]>();
      const field = plan.relationship.field;
      for (const row of this.scope.org.records.rows(plan.scope.object.name, { includeDeleted: this.scope.includeDeleted })) {
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
          const value = row[projection.field.name];
          output[projection.key] = projection.transform ? projection.transform(projection.field, value) : renderValue(projection.field, value);
          break;
        }
        case 'parent': {
          const id: unknown = row[projection.hop.name];
          const parent = id === null || id === undefined || id === '' ? undefined : this.scope.org.records.get(String(id));
          const parentType = parent ? (this.scope.org.schema.objectForId(parent.Id)?.name ?? projection.hop.referenceTo?.[0]) : undefined;
          output[projection.key] = parent && parentType ? this.record(parent, parentType, projection.children) : null;
          break;
        }
        case 'typeof': {
          const id: unknown = row[projection.hop.name];
          const parent = id === null || id === undefined || id === '' ? undefined : this.scope.org.records.get(String(id));
          const parentType = parent ? this.scope.org.schema.objectForId(parent.Id)?.name : undefined;
          output[projection.key] =
            parent && parentType ? this.record(parent, parentType, projection.branches.get(parentType.toLowerCase()) ?? []) : null;
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

// ---------------------------------------------------------------- aggregates

interface Group {
  rows: StoredRecord[];
  first: StoredRecord | undefined;
  cache: Map<string, unknown>;
  /** For ROLLUP and CUBE subtotals: the positions of the GROUP BY fields this row totals over (shown as null). */
  rolledUp?: ReadonlySet<number>;
}

interface AggregateSpec {
  key: string;
  fn: string;
  operand?: (Operand<StoredRecord> & { field?: FieldDef }) | undefined;
  label: string;
}

function aggregateKey(fn: FunctionExp | FieldFunctionExpression): string {
  const parameter = fn.parameters?.[0];
  return `${(fn.functionName ?? '').toUpperCase()}(${typeof parameter === 'string' ? parameter.toLowerCase() : ''})`;
}

function aggregateSpec(scope: QueryScope, fn: FunctionExp | FieldFunctionExpression): AggregateSpec {
  const name = (fn.functionName ?? '').toUpperCase();
  const parameter = fn.parameters?.[0];
  const label = fn.rawValue ?? `${name}()`;
  if (parameter === undefined) {
    if (name !== 'COUNT') throw scope.errors.malformed(label, `unexpected token: ')'`);
    return { key: aggregateKey(fn), fn: name, label };
  }
  if (typeof parameter !== 'string') throw scope.errors.unsupported(label, `${name} over an expression`);
  const resolved = resolvePath(scope, parameter);
  if ((name === 'SUM' || name === 'AVG') && resolved.kind !== 'number') {
    throw scope.errors.at(parameter, 'MALFORMED_QUERY', `field ${resolved.canonical} does not support aggregate operator ${name}`);
  }
  if ((name === 'MIN' || name === 'MAX') && (resolved.kind === 'boolean' || resolved.kind === 'multi' || resolved.kind === 'opaque')) {
    throw scope.errors.at(parameter, 'MALFORMED_QUERY', `field ${resolved.canonical} does not support aggregate operator ${name}`);
  }
  return {
    key: aggregateKey(fn),
    fn: name,
    label,
    operand: { kind: resolved.kind, label: resolved.canonical, get: resolved.get, field: resolved.field },
  };
}

function computeAggregate(spec: AggregateSpec, group: Group): unknown {
  const cached = group.cache.get(spec.key);
  if (cached !== undefined || group.cache.has(spec.key)) return cached;
  let result: unknown = null;
  const operand = spec.operand;
  if (!operand) {
    result = group.rows.length;
  } else {
    const kind = operand.kind;
    switch (spec.fn) {
      case 'COUNT': {
        let count = 0;
        for (const row of group.rows) if (normalize(kind, operand.get(row)) !== null) count++;
        result = count;
        break;
      }
      case 'COUNT_DISTINCT': {
        const seen = new Set<Normalized>();
        for (const row of group.rows) {
          const value = normalize(kind, operand.get(row));
          if (value !== null) seen.add(value);
        }
        result = seen.size;
        break;
      }
      case 'SUM':
      case 'AVG': {
        let total = 0;
        let count = 0;
        for (const row of group.rows) {
          const value = normalize('number', operand.get(row));
          if (value === null) continue;
          total += value as number;
          count++;
        }
        // A sum keeps the field's scale (0.1 + 0.2 is 0.3 in Salesforce, as decimals are exact there).
        const scale = operand.field?.scale;
        const sum = scale !== undefined && scale >= 0 && scale <= 15 ? Number(total.toFixed(scale)) : total;
        result = count === 0 ? null : spec.fn === 'SUM' ? sum : total / count;
        break;
      }
      case 'MIN':
      case 'MAX': {
        let best: Normalized = null;
        let bestRaw: unknown = null;
        for (const row of group.rows) {
          const raw = operand.get(row);
          const value = normalize(kind, raw);
          if (value === null) continue;
          if (best === null || (spec.fn === 'MIN' ? value < best : value > best)) {
            best = value;
            bestRaw = raw;
          }
        }
        result = operand.field && bestRaw !== null ? renderValue(operand.field, bestRaw) : bestRaw;
        break;
      }
      default:
        result = null;
    }
  }
  group.cache.set(spec.key, result);
  return result;
}

interface GroupKey {
  /** Canonical path (`Account.Name`) or upper-cased function text, to match SELECT and ORDER BY items. */
  match: string;
  operand: Operand<StoredRecord>;
  render(row: StoredRecord): unknown;
}

function groupKeyOf(scope: QueryScope, clause: GroupByClause): GroupKey {
  if ('field' in clause) {
    const resolved = resolvePath(scope, clause.field);
    if (resolved.kind === 'opaque' || resolved.kind === 'multi' || resolved.field.type === 'textarea') {
      throw scope.errors.at(clause.field, 'INVALID_FIELD', `field '${resolved.canonical}' can not be grouped in a query call`);
    }
    return {
      match: resolved.canonical.toLowerCase(),
      operand: { kind: resolved.kind, label: resolved.canonical, get: resolved.get, field: resolved.field },
      render: (row) => renderValue(resolved.field, resolved.get(row)),
    };
  }
  const name = (clause.fn.functionName ?? '').toUpperCase();
  if (!DATE_FUNCTIONS.has(name)) throw scope.errors.unsupported(clause.fn.rawValue ?? name, `GROUP BY ${clause.fn.functionName ?? ''}`);
  const operand = dateFunctionOperand(scope, clause.fn);
  return { match: functionMatch(clause.fn), operand, render: (row) => operand.get(row) };
}

function functionMatch(fn: FunctionExp): string {
  if (fn.rawValue) return fn.rawValue.replace(/\s+/g, '').toUpperCase();
  const parameter = fn.parameters?.[0];
  return `${(fn.functionName ?? '').toUpperCase()}(${typeof parameter === 'string' ? parameter.toUpperCase() : ''})`;
}

/** GROUP BY ROLLUP(...) or CUBE(...), which must then be the whole GROUP BY. */
function subtotalKind(clauses: GroupByClause[], errors: QueryErrors): 'ROLLUP' | 'CUBE' | undefined {
  const kinds = clauses.map((clause) => ('fn' in clause ? (clause.fn.functionName ?? '').toUpperCase() : ''));
  const index = kinds.findIndex((kind) => kind === 'ROLLUP' || kind === 'CUBE');
  if (index === -1) return undefined;
  if (clauses.length > 1) throw errors.malformed(kinds[index] as string, `${kinds[index] as string} must be the only element of GROUP BY`);
  return kinds[index] as 'ROLLUP' | 'CUBE';
}

/**
 * Adds the subtotal rows of ROLLUP (each leading run of fields, then the grand total) or CUBE (every
 * combination). Each subtotal follows the rows it totals, as Salesforce lists them; the grand total comes last.
 */
function withSubtotals(detail: Group[], groupKeys: GroupKey[], kind: 'ROLLUP' | 'CUBE'): Group[] {
  if (detail.length === 0) return [];
  const count = groupKeys.length;
  const keyOf = (row: StoredRecord, kept: number[]): string =>
    kept.map((index) => String(normalize((groupKeys[index] as GroupKey).operand.kind, (groupKeys[index] as GroupKey).operand.get(row)))).join('\u0001');
  const totalOver = (kept: number[]): Group[] => {
    const byKey = new Map<string, Group>();
    const rolledUp = new Set(Array.from({ length: count }, (_, index) => index).filter((index) => !kept.includes(index)));
    for (const group of detail) {
      for (const row of group.rows) {
        const key = keyOf(row, kept);
        let total = byKey.get(key);
        if (!total) byKey.set(key, (total = { rows: [], first: row, cache: new Map(), rolledUp }));
        total.rows.push(row);
      }
    }
    return [...byKey.values()];
  };
  // ROLLUP: after the last detail row of each leading run of values, the subtotal for that run.
  const ordered: Group[] = [];
  const emitted = new Set<Group>();
  const prefixTotals = Array.from({ length: count }, (_, length) => totalOver(Array.from({ length }, (_, index) => index)));
  const prefixKey = (group: Group, length: number): string => (group.first ? keyOf(group.first, Array.from({ length }, (_, index) => index)) : '');
  const visit = (members: Group[], depth: number): void => {
    if (depth === count) {
      ordered.push(...members);
      return;
    }
    const byValue = new Map<string, Group[]>();
    for (const member of members) {
      const key = prefixKey(member, depth + 1);
      let bucket = byValue.get(key);
      if (!bucket) byValue.set(key, (bucket = []));
      bucket.push(member);
    }
    for (const [key, bucket] of byValue) {
      visit(bucket, depth + 1);
      if (depth + 1 < count) {
        const subtotal = (prefixTotals[depth + 1] as Group[]).find((total) => prefixKey(total, depth + 1) === key);
        if (subtotal && !emitted.has(subtotal)) {
          emitted.add(subtotal);
          ordered.push(subtotal);
        }
      }
    }
  };
  visit(detail, 0);
  if (kind === 'CUBE') {
    // The other combinations of totalled fields, fewest totalled first.
    const combinations: number[][] = [];
    for (let mask = (1 << count) - 2; mask > 0; mask--) {
      const kept = Array.from({ length: count }, (_, index) => index).filter((index) => (mask & (1 << (count - 1 - index))) !== 0);
      const isPrefix = kept.every((index, position) => index === position);
      if (!isPrefix) combinations.push(kept);
    }
    combinations.sort((a, b) => b.length - a.length);
    for (const kept of combinations) ordered.push(...totalOver(kept));
  }
  const grandTotal: Group = { rows: detail.flatMap((group) => group.rows), first: detail[0]?.first, cache: new Map(), rolledUp: new Set(groupKeys.keys()) };
  ordered.push(grandTotal);
  return ordered;
}

/** How FORMAT() shows a count: a whole number. */
const COUNT_FIELD: FieldDef = {
  name: 'expr',
  label: 'Count',
  type: 'int',
  scale: 0,
  nillable: false,
  createable: false,
  updateable: false,
  defaultedOnCreate: false,
  custom: false,
};

function runAggregate(
  scope: QueryScope,
  query: Query,
  items: SelectItem[],
  rows: StoredRecord[],
): SoqlResult {
  const errors = scope.errors;
  const clauses = asList(query.groupBy);
  const subtotals = subtotalKind(clauses, errors);
  const groupKeys = subtotals
    ? ((clauses[0] as { fn: FunctionExp }).fn.parameters ?? []).map((parameter) => {
        if (typeof parameter !== 'string') throw errors.unsupported(subtotals, `${subtotals} over an expression`);
        return groupKeyOf(scope, { field: parameter });
      })
    : clauses.map((clause) => groupKeyOf(scope, clause));
  const findGroupKey = (match: string): GroupKey | undefined => groupKeys.find((key) => key.match === match);
  const keyValue = (groupKey: GroupKey, group: Group, read: (row: StoredRecord) => unknown): unknown =>
    group.first && !group.rolledUp?.has(groupKeys.indexOf(groupKey)) ? read(group.first) : null;
  const groupingOf = (fn: FunctionExp, token: string): ((group: Group) => number) => {
    const parameter = fn.parameters?.[0];
    const groupKey = typeof parameter === 'string' ? findGroupKey(resolvePath(scope, parameter).canonical.toLowerCase()) : undefined;
    if (!groupKey || !subtotals) throw errors.malformed(token, `GROUPING must name a field of GROUP BY ROLLUP or CUBE: ${token}`);
    const index = groupKeys.indexOf(groupKey);
    return (group) => (group.rolledUp?.has(index) ? 1 : 0);
  };

  const countOnly = items.some((item) => item.type === 'FieldFunctionExpression' && item.functionName.toUpperCase() === 'COUNT' && item.parameters.length === 0);
  if (countOnly && items.length > 1) throw errors.malformed('COUNT', 'COUNT() must be the only element in the SELECT list');

  type Column = { key: string; value: (group: Group) => unknown };
  const columns: Column[] = [];
  const specs = new Map<string, AggregateSpec>();
  const specFor = (fn: FunctionExp | FieldFunctionExpression): AggregateSpec => {
    const key = aggregateKey(fn);
    let spec = specs.get(key);
    if (!spec) specs.set(key, (spec = aggregateSpec(scope, fn)));
    return spec;
  };
  let expression = 0;
  const seenKeys = new Set<string>();
  const addColumn = (key: string, value: (group: Group) => unknown, token: string): void => {
    if (seenKeys.has(key.toLowerCase())) throw errors.malformed(token, `duplicate alias: ${key}`);
    seenKeys.add(key.toLowerCase());
    columns.push({ key, value });
  };
  for (const item of items) {
    const path = fieldPathOf(item);
    if (path !== undefined) {
      const resolved = resolvePath(scope, path);
      const groupKey = findGroupKey(resolved.canonical.toLowerCase());
      if (!groupKey) throw errors.malformed(path, `Field must be grouped or aggregated: ${resolved.canonical}`);
      const alias = 'alias' in item && typeof item.alias === 'string' ? item.alias : undefined;
      addColumn(alias ?? resolved.field.name, (group) => keyValue(groupKey, group, groupKey.render), path);
      continue;
    }
    if (item.type === 'FieldFunctionExpression') {
      const name = item.functionName.toUpperCase();
      const key = item.alias ?? `expr${expression++}`;
      if (isAggregateFunction(name)) {
        if (countOnly) continue;
        const spec = specFor(item);
        addColumn(key, (group) => computeAggregate(spec, group), item.rawValue ?? name);
        continue;
      }
      if (DATE_FUNCTIONS.has(name)) {
        const groupKey = findGroupKey(functionMatch(item));
        if (!groupKey) throw errors.malformed(item.rawValue ?? name, `Field must be grouped or aggregated: ${item.rawValue ?? name}`);
        addColumn(key, (group) => keyValue(groupKey, group, groupKey.render), item.rawValue ?? name);
        continue;
      }
      if (name === 'GROUPING') {
        addColumn(key, groupingOf(item, item.rawValue ?? name), item.rawValue ?? name);
        continue;
      }
      if (name === 'FORMAT') {
        const inner = item.parameters[0];
        const format = formatterFor(scope.org).format;
        if (typeof inner === 'object' && isAggregateFunction(inner.functionName)) {
          const spec = specFor(inner);
          const field = spec.operand?.field && spec.fn !== 'COUNT' && spec.fn !== 'COUNT_DISTINCT' ? spec.operand.field : COUNT_FIELD;
          addColumn(key, (group) => format(field, computeAggregate(spec, group)), item.rawValue ?? name);
          continue;
        }
        if (typeof inner === 'string') {
          const resolved = resolvePath(scope, inner);
          const groupKey = findGroupKey(resolved.canonical.toLowerCase());
          if (!groupKey) throw errors.malformed(inner, `Field must be grouped or aggregated: ${resolved.canonical}`);
          addColumn(item.alias ?? resolved.field.name, (group) => format(resolved.field, keyValue(groupKey, group, resolved.get)), item.rawValue ?? name);
          continue;
        }
      }
      throw errors.unsupported(item.rawValue ?? name, `The function ${item.functionName} in an aggregate query`);
    }
    if (item.type === 'FieldSubquery') throw errors.malformed(item.subquery.relationshipName, 'Nested queries are not supported in aggregate queries');
    throw errors.unsupported('SELECT', 'This SELECT item in an aggregate query');
  }

  // Group the filtered rows; without GROUP BY, every row is in one group (even when there are none).
  let groups: Group[];
  if (groupKeys.length === 0) {
    groups = [{ rows, first: rows[0], cache: new Map() }];
  } else {
    const byKey = new Map<string, Group>();
    for (const row of rows) {
      let key = '';
      for (const groupKey of groupKeys) key += `${String(normalize(groupKey.operand.kind, groupKey.operand.get(row)))}\u0001`;
      let group = byKey.get(key);
      if (!group) byKey.set(key, (group = { rows: [], first: row, cache: new Map() }));
      group.rows.push(row);
    }
    groups = subtotals ? withSubtotals([...byKey.values()], groupKeys, subtotals) : [...byKey.values()];
  }

  const groupOperand = (fn: FunctionExp | undefined, field: string | undefined, token: string): Operand<Group> => {
    if (fn && isAggregateFunction(fn.functionName)) {
      const spec = specFor(fn);
      const kind: ValueKind = spec.fn === 'MIN' || spec.fn === 'MAX' ? (spec.operand?.kind ?? 'number') : 'number';
      return { kind, label: spec.label, get: (group) => computeAggregate(spec, group) };
    }
    if (fn && (fn.functionName ?? '').toUpperCase() === 'GROUPING') {
      return { kind: 'number', label: fn.rawValue ?? 'GROUPING', get: groupingOf(fn, token) };
    }
    const match = fn ? functionMatch(fn) : resolvePath(scope, field ?? '').canonical.toLowerCase();
    const groupKey = findGroupKey(match);
    if (!groupKey) throw errors.malformed(token, `Field must be grouped or aggregated: ${token}`);
    return {
      kind: groupKey.operand.kind,
      label: groupKey.operand.label,
      field: groupKey.operand.field,
      get: (group) => keyValue(groupKey, group, (row) => groupKey.operand.get(row)),
    };
  };

  if (query.having) {
    if (groupKeys.length === 0 && !countOnly && specs.size === 0) throw errors.malformed('HAVING', 'HAVING requires an aggregate query');
    const having = compileClause<Group>(query.having, {
      errors,
      now: scope.org.now(),
      timeZone: userTimeZone(scope.org),
      operand: (condition) =>
        'fn' in condition
          ? groupOperand(condition.fn, undefined, condition.fn.rawValue ?? '')
          : groupOperand(undefined, condition.field, condition.field),
      semiJoin: () => {
        throw errors.malformed('HAVING', 'Semi-join subqueries are not allowed in HAVING');
      },
    });
    groups = groups.filter(having);
  }

  const orderBy = asList(query.orderBy);
  if (orderBy.length > 0) {
    const keys = sortKeysFrom<Group>(orderBy, (clause) =>
      'fn' in clause
        ? groupOperand(clause.fn, undefined, clause.fn.rawValue ?? '')
        : groupOperand(undefined, clause.field, clause.field),
      errors,
    );
    groups = sortSubjects(groups, keys);
  }
  groups = applyWindow(groups, query.offset, query.limit);

  if (countOnly) return { totalSize: groups.length, records: [] };
  const records = groups.map((group) => {
    const record: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const column of columns) record[column.key] = column.value(group);
    return record;
  });
  return { totalSize: records.length, records };
}

// ---------------------------------------------------------------- entry

/** USING SCOPE mine: the records the current user owns. */
function mineOnly(scope: QueryScope, where: Predicate<StoredRecord> | undefined): Predicate<StoredRecord> {
  if (!scope.org.schema.getField(scope.object.name, 'OwnerId')) {
    throw scope.errors.malformed('mine', `USING SCOPE mine is not valid for ${scope.object.name}, which has no owner`);
  }
  const userId = normalize('id', scope.org.userId);
  return (row) => normalize('id', row.OwnerId) === userId && (!where || where(row));
}

export function runQuery(soql: string, org: OrgState, options: SoqlOptions): SoqlResult {
  const errors = new QueryErrors(soql);
  const query = parseSoql(soql, errors);
  rejectUnsupported(query, errors);
  checkWindow(query, errors);
  const object = resolveObject(org, options.api, query.sObject ?? '', errors);
  const scope = makeScope(org, options, errors, object, query.sObjectAlias);
  const items = expandFieldsFunction(scope, query.fields ?? [], query.limit);
  const aggregate =
    query.groupBy !== undefined ||
    items.some((item) => item.type === 'FieldFunctionExpression' && isAggregateFunction(item.functionName));

  const where = compileWhere(scope, query, options);
  const predicate = query.usingScope?.toLowerCase() === 'mine' ? mineOnly(scope, where) : where;
  const matched: StoredRecord[] = [];
  for (const row of org.records.rows(object.name, { includeDeleted: scope.includeDeleted })) {
    if (!predicate || predicate(row)) matched.push(row);
  }

  if (aggregate) {
    const first = items[0];
    const countOnly =
      items.length === 1 && first?.type === 'FieldFunctionExpression' && first.functionName.toUpperCase() === 'COUNT' && first.parameters.length === 0;
    // COUNT() without GROUP BY counts rows, and OFFSET and LIMIT apply to that count.
    if (countOnly && query.groupBy === undefined) {
      if (query.having) throw errors.malformed('HAVING', 'HAVING can only be used with GROUP BY');
      const count = Math.max(0, matched.length - (query.offset ?? 0));
      return { totalSize: query.limit === undefined ? count : Math.min(count, query.limit), records: [] };
    }
    return runAggregate(scope, query, items, matched);
  }
  if (query.having) throw errors.malformed('HAVING', 'HAVING can only be used with GROUP BY or aggregate functions');

  const projections = buildProjections(scope, items, options);
  const take = query.limit === undefined ? undefined : (query.offset ?? 0) + query.limit;
  const sorted = sortSubjects(matched, rowSortKeys(scope, asList(query.orderBy)), take);
  const page = applyWindow(sorted, query.offset, query.limit);
  const renderer = new Renderer(scope);
  renderer.prepareChildren(projections, page);
  const records = page.map((row) => renderer.record(row, object.name, projections));
  return { totalSize: records.length, records };
}

/** For SOSL: the same field, WHERE, ORDER BY and rendering rules, applied to one RETURNING object. */
export function selectFromRows(
  scope: QueryScope,
  query: QueryBase,
  rows: Iterable<StoredRecord>,
  options: SoqlOptions,
): Record<string, unknown>[] {
  const items = query.fields ?? [{ type: 'Field', field: 'Id' }];
  const projections = buildProjections(scope, items, options);
  const predicate = compileWhere(scope, query, options);
  const matched: StoredRecord[] = [];
  for (const row of rows) if (!predicate || predicate(row)) matched.push(row);
  const page = applyWindow(sortSubjects(matched, rowSortKeys(scope, asList(query.orderBy))), query.offset, query.limit);
  const renderer = new Renderer(scope);
  renderer.prepareChildren(projections, page);
  return page.map((row) => renderer.record(row, scope.object.name, projections));
}

