/** Aggregate queries: GROUP BY (with ROLLUP and CUBE), the aggregate functions, HAVING; rows of type AggregateResult. */
import type {
  FieldFunctionExpression,
  FieldType as SelectItem,
  FunctionExp,
  GroupByClause,
  Query,
} from '@jetstreamapp/soql-parser-js';
import type { FieldDef, StoredRecord } from '../state/types.js';
import type { SoqlResult } from './types.js';
import type { QueryErrors } from './errors.js';
import { resolvePath, type QueryScope } from './resolve.js';
import { compileClause, type Operand } from './where.js';
import { DATE_FUNCTIONS } from './dates.js';
import { normalize, renderValue, type Normalized, type ValueKind } from './values.js';
import { formatterFor } from './format.js';
import { asList, fieldPathOf, isAggregateFunction, userTimeZone } from './scope.js';
import { dateFunctionOperand } from './filter.js';
import { applyWindow, sortKeysFrom, sortSubjects } from './order.js';

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
    throw scope.errors.at(
      parameter,
      'MALFORMED_QUERY',
      `field ${resolved.canonical} does not support aggregate operator ${name}`,
    );
  }
  if (
    (name === 'MIN' || name === 'MAX') &&
    (resolved.kind === 'boolean' || resolved.kind === 'multi' || resolved.kind === 'opaque')
  ) {
    throw scope.errors.at(
      parameter,
      'MALFORMED_QUERY',
      `field ${resolved.canonical} does not support aggregate operator ${name}`,
    );
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
      throw scope.errors.at(
        clause.field,
        'INVALID_FIELD',
        `field '${resolved.canonical}' can not be grouped in a query call`,
      );
    }
    return {
      match: resolved.canonical.toLowerCase(),
      operand: { kind: resolved.kind, label: resolved.canonical, get: resolved.get, field: resolved.field },
      render: (row) => renderValue(resolved.field, resolved.get(row)),
    };
  }
  const name = (clause.fn.functionName ?? '').toUpperCase();
  if (!DATE_FUNCTIONS.has(name))
    throw scope.errors.unsupported(clause.fn.rawValue ?? name, `GROUP BY ${clause.fn.functionName ?? ''}`);
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
  if (clauses.length > 1)
    throw errors.malformed(
      kinds[index] as string,
      `${kinds[index] as string} must be the only element of GROUP BY`,
    );
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
    kept
      .map((index) =>
        String(
          normalize(
            (groupKeys[index] as GroupKey).operand.kind,
            (groupKeys[index] as GroupKey).operand.get(row),
          ),
        ),
      )
      .join('\u0001');
  const totalOver = (kept: number[]): Group[] => {
    const byKey = new Map<string, Group>();
    const rolledUp = new Set(
      Array.from({ length: count }, (_, index) => index).filter((index) => !kept.includes(index)),
    );
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
  const prefixTotals = Array.from({ length: count }, (_, length) =>
    totalOver(Array.from({ length }, (_, index) => index)),
  );
  const prefixKey = (group: Group, length: number): string =>
    group.first
      ? keyOf(
          group.first,
          Array.from({ length }, (_, index) => index),
        )
      : '';
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
        const subtotal = (prefixTotals[depth + 1] as Group[]).find(
          (total) => prefixKey(total, depth + 1) === key,
        );
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
      const kept = Array.from({ length: count }, (_, index) => index).filter(
        (index) => (mask & (1 << (count - 1 - index))) !== 0,
      );
      const isPrefix = kept.every((index, position) => index === position);
      if (!isPrefix) combinations.push(kept);
    }
    combinations.sort((a, b) => b.length - a.length);
    for (const kept of combinations) ordered.push(...totalOver(kept));
  }
  const grandTotal: Group = {
    rows: detail.flatMap((group) => group.rows),
    first: detail[0]?.first,
    cache: new Map(),
    rolledUp: new Set(groupKeys.keys()),
  };
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

export function runAggregate(
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
        if (typeof parameter !== 'string')
          throw errors.unsupported(subtotals, `${subtotals} over an expression`);
        return groupKeyOf(scope, { field: parameter });
      })
    : clauses.map((clause) => groupKeyOf(scope, clause));
  const findGroupKey = (match: string): GroupKey | undefined => groupKeys.find((key) => key.match === match);
  const keyValue = (groupKey: GroupKey, group: Group, read: (row: StoredRecord) => unknown): unknown =>
    group.first && !group.rolledUp?.has(groupKeys.indexOf(groupKey)) ? read(group.first) : null;
  const groupingOf = (fn: FunctionExp, token: string): ((group: Group) => number) => {
    const parameter = fn.parameters?.[0];
    const groupKey =
      typeof parameter === 'string'
        ? findGroupKey(resolvePath(scope, parameter).canonical.toLowerCase())
        : undefined;
    if (!groupKey || !subtotals)
      throw errors.malformed(token, `GROUPING must name a field of GROUP BY ROLLUP or CUBE: ${token}`);
    const index = groupKeys.indexOf(groupKey);
    return (group) => (group.rolledUp?.has(index) ? 1 : 0);
  };

  const countOnly = items.some(
    (item) =>
      item.type === 'FieldFunctionExpression' &&
      item.functionName.toUpperCase() === 'COUNT' &&
      item.parameters.length === 0,
  );
  if (countOnly && items.length > 1)
    throw errors.malformed('COUNT', 'COUNT() must be the only element in the SELECT list');

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
      if (!groupKey)
        throw errors.malformed(path, `Field must be grouped or aggregated: ${resolved.canonical}`);
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
        if (!groupKey)
          throw errors.malformed(
            item.rawValue ?? name,
            `Field must be grouped or aggregated: ${item.rawValue ?? name}`,
          );
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
          const field =
            spec.operand?.field && spec.fn !== 'COUNT' && spec.fn !== 'COUNT_DISTINCT'
              ? spec.operand.field
              : COUNT_FIELD;
          addColumn(key, (group) => format(field, computeAggregate(spec, group)), item.rawValue ?? name);
          continue;
        }
        if (typeof inner === 'string') {
          const resolved = resolvePath(scope, inner);
          const groupKey = findGroupKey(resolved.canonical.toLowerCase());
          if (!groupKey)
            throw errors.malformed(inner, `Field must be grouped or aggregated: ${resolved.canonical}`);
          addColumn(
            item.alias ?? resolved.field.name,
            (group) => format(resolved.field, keyValue(groupKey, group, resolved.get)),
            item.rawValue ?? name,
          );
          continue;
        }
      }
      throw errors.unsupported(
        item.rawValue ?? name,
        `The function ${item.functionName} in an aggregate query`,
      );
    }
    if (item.type === 'FieldSubquery')
      throw errors.malformed(
        item.subquery.relationshipName,
        'Nested queries are not supported in aggregate queries',
      );
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
      for (const groupKey of groupKeys)
        key += `${String(normalize(groupKey.operand.kind, groupKey.operand.get(row)))}\u0001`;
      let group = byKey.get(key);
      if (!group) byKey.set(key, (group = { rows: [], first: row, cache: new Map() }));
      group.rows.push(row);
    }
    groups = subtotals ? withSubtotals([...byKey.values()], groupKeys, subtotals) : [...byKey.values()];
  }

  const groupOperand = (
    fn: FunctionExp | undefined,
    field: string | undefined,
    token: string,
  ): Operand<Group> => {
    if (fn && isAggregateFunction(fn.functionName)) {
      const spec = specFor(fn);
      const kind: ValueKind =
        spec.fn === 'MIN' || spec.fn === 'MAX' ? (spec.operand?.kind ?? 'number') : 'number';
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
    if (groupKeys.length === 0 && !countOnly && specs.size === 0)
      throw errors.malformed('HAVING', 'HAVING requires an aggregate query');
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
    const keys = sortKeysFrom<Group>(
      orderBy,
      (clause) =>
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
