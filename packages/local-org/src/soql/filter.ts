/** WHERE: operands over records (fields, paths, date functions) and semi-joins, compiled once into a predicate. */
import type { FunctionExp, Query, QueryBase, FieldType as SelectItem } from '@jetstreamapp/soql-parser-js';
import type { StoredRecord } from '../state/types.js';
import type { SoqlOptions } from './types.js';
import { resolveObject, resolvePath, type QueryScope, type ResolvedField } from './resolve.js';
import {
  compileClause,
  type ConditionContext,
  type LeafCondition,
  type Operand,
  type Predicate,
} from './where.js';
import { DATE_FUNCTIONS, dateFunction, utcToWall } from './dates.js';
import { datetimeMs, isLongText, normalize, type ValueKind } from './values.js';
import { fieldPathOf, isAggregateFunction, makeScope, userTimeZone } from './scope.js';

/** A date function over a date or datetime field: CALENDAR_YEAR(CloseDate), DAY_ONLY(CreatedDate). */
export function dateFunctionOperand(
  scope: QueryScope,
  fn: FunctionExp,
): Operand<StoredRecord> & { resolved: ResolvedField; name: string } {
  const name = (fn.functionName ?? '').toUpperCase();
  let parameter = fn.parameters?.[0];
  // convertTimezone(CreatedDate) reads the datetime in the running user's time zone instead of UTC.
  let timeZone = 'UTC';
  if (
    typeof parameter === 'object' &&
    parameter.functionName?.toLowerCase() === 'converttimezone' &&
    typeof parameter.parameters?.[0] === 'string'
  ) {
    timeZone = userTimeZone(scope.org);
    parameter = parameter.parameters[0];
  }
  if (typeof parameter !== 'string')
    throw scope.errors.unsupported(fn.rawValue ?? name, `${name} over an expression`);
  const resolved = resolvePath(scope, parameter);
  if (resolved.kind !== 'date' && resolved.kind !== 'datetime') {
    throw scope.errors.at(
      parameter,
      scope.errors.malformedCode,
      `${name} can only be applied to date or dateTime fields, not ${resolved.field.type}: ${resolved.canonical}`,
    );
  }
  if (timeZone !== 'UTC' && resolved.kind !== 'datetime') {
    throw scope.errors.at(
      parameter,
      scope.errors.malformedCode,
      `convertTimezone can only be applied to dateTime fields: ${resolved.canonical}`,
    );
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
      throw scope.errors.malformed(
        condition.fn.rawValue ?? name,
        'Aggregate functions are not allowed in the WHERE clause; use HAVING',
      );
    }
    throw scope.errors.unsupported(
      condition.fn.rawValue ?? name,
      `The function ${condition.fn.functionName ?? ''}`,
    );
  }
  const resolved = resolvePath(scope, condition.field);
  if (resolved.kind === 'opaque' || isLongText(resolved.field)) {
    throw scope.errors.at(
      condition.field,
      'INVALID_FIELD',
      `field '${resolved.canonical}' can not be filtered in a query call`,
    );
  }
  return { kind: resolved.kind, label: resolved.canonical, get: resolved.get, field: resolved.field };
}

export function compileWhere(
  scope: QueryScope,
  query: QueryBase,
  options: SoqlOptions,
): Predicate<StoredRecord> | undefined {
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
  if (!path)
    throw errors.malformed(
      outerField,
      'The inner select field of a semi join or anti join must be a single Id or reference field',
    );
  const resolved = resolvePath(scope, path);
  if (resolved.kind !== 'id') {
    throw errors.at(
      path,
      'INVALID_FIELD',
      `The selected field in a subquery must be an Id or a reference field: ${resolved.canonical}`,
    );
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
