/**
 * GraphQL arguments (`where`, `orderBy`, `first`, `after`) as SOQL text for the org's own engine. Field and
 * relationship names come from the schema (never from the request text); every value is a SOQL literal
 * written here: strings escaped, numbers checked finite, dates and datetimes checked and rewritten.
 */
import { Kind, type ObjectValueNode, type ValueNode } from 'graphql';
import { SalesforceApiError } from '../../errors.js';
import { datetimeMs } from '../../soql/values.js';
import type { FieldDef, ObjectDef } from '../../state/types.js';

/** How a field filters and sorts in GraphQL (undefined: it cannot). */
export type FilterKind = 'string' | 'id' | 'boolean' | 'number' | 'date' | 'datetime' | 'picklist' | 'multi';

/** What the schema knows about one object: its value fields, parents and children by GraphQL name. */
export interface ObjectModel {
  def: ObjectDef;
  /** Value fields (not Id), by API name. */
  values: Map<string, FieldDef>;
  /** Parent relationships (`Account`, `Owner`), by relationship name. */
  parents: Map<string, { field: FieldDef; target: ObjectModel }>;
  /** Child relationships (`Contacts`), by relationship name: the child object and its lookup field. */
  children: Map<string, { child: ObjectModel; field: string }>;
}

/** SOQL allows five levels of parent relationships in a path. */
export const MAX_PARENT_DEPTH = 5;
export const DEFAULT_FIRST = 10;
export const MAX_FIRST = 2000;
/** A cursor may point this far into a result at most. */
export const MAX_OFFSET = 50_000;

export function filterKind(field: FieldDef): FilterKind | undefined {
  switch (field.type) {
    case 'string':
    case 'email':
    case 'phone':
    case 'url':
      return 'string';
    case 'textarea':
      return (field.length ?? 255) > 255 ? undefined : 'string';
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'picklist':
    case 'combobox':
      return 'picklist';
    case 'multipicklist':
      return 'multi';
    default:
      return undefined;
  }
}

/** Sortable in SOQL: everything filterable except multi-select picklists. */
export function sortable(field: FieldDef): boolean {
  const kind = filterKind(field);
  return kind !== undefined && kind !== 'multi';
}

/** A SOQL string literal: backslashes, quotes and control characters escaped (LIKE wildcards stay wildcards). */
export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => {
    switch (ch) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${ch}`;
    }
  });
  return `'${escaped}'`;
}

export function invalid(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'INVALID_INPUT', message);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateLiteral(input: unknown, label: string, withTime: boolean): string {
  if (input === null) return 'null';
  const { value, literal } = (input ?? {}) as { value?: unknown; literal?: unknown };
  if (typeof literal === 'string' && value === undefined) {
    // An enum value the schema checked (TODAY, LAST_N_DAYS is not offered).
    if (!/^[A-Z0-9_]+$/.test(literal)) throw invalid(`${label}: unknown date literal`);
    return literal;
  }
  if (typeof value !== 'string' || literal !== undefined)
    throw invalid(`${label}: give exactly one of value or literal`);
  if (!withTime) {
    if (!DATE.test(value)) throw invalid(`${label}: a date is written YYYY-MM-DD`);
    return value;
  }
  const ms = datetimeMs(value);
  if (Number.isNaN(ms)) throw invalid(`${label}: a datetime is written like 2026-01-31T12:00:00Z`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function literalOf(kind: FilterKind, value: unknown, label: string): string {
  if (value === null) return 'null';
  switch (kind) {
    case 'boolean':
      return value === true ? 'true' : 'false';
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(number)) throw invalid(`${label}: not a number`);
      return String(number);
    }
    case 'date':
      return dateLiteral(value, label, false);
    case 'datetime':
      return dateLiteral(value, label, true);
    default:
      return soqlString(String(value));
  }
}

const OPERATORS: Record<string, string> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  gt: '>',
  lte: '<=',
  gte: '>=',
  like: 'LIKE',
  in: 'IN',
  nin: 'NOT IN',
  includes: 'INCLUDES',
  excludes: 'EXCLUDES',
};

function comparisons(path: string, field: FieldDef, operators: Record<string, unknown>): string[] {
  const kind = filterKind(field) as FilterKind;
  const parts: string[] = [];
  for (const [operator, operand] of Object.entries(operators)) {
    if (operand === undefined) continue;
    const soqlOperator = OPERATORS[operator];
    if (!soqlOperator) throw invalid(`${path}: unknown operator ${operator}`);
    const label = `${path}.${operator}`;
    if (operator === 'in' || operator === 'nin' || operator === 'includes' || operator === 'excludes') {
      if (!Array.isArray(operand) || operand.length === 0)
        throw invalid(`${label}: give a list of at least one value`);
      const elementKind = kind === 'multi' ? 'string' : kind;
      parts.push(
        `${path} ${soqlOperator} (${operand.map((item) => literalOf(elementKind, item, label)).join(', ')})`,
      );
      continue;
    }
    if (operand === null && operator !== 'eq' && operator !== 'ne')
      throw invalid(`${label}: only eq and ne compare with null`);
    parts.push(`${path} ${soqlOperator} ${literalOf(kind === 'multi' ? 'string' : kind, operand, label)}`);
  }
  return parts;
}

/** The `where` argument (already coerced by graphql-js) as a SOQL condition, or undefined when it asks nothing. */
export function whereSoql(
  model: ObjectModel,
  filter: Record<string, unknown> | null | undefined,
  prefix = '',
  depth = 0,
): string | undefined {
  if (!filter) return undefined;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    if (key === 'and' || key === 'or') {
      const list = (value as Array<Record<string, unknown> | null>)
        .map((item) => whereSoql(model, item, prefix, depth))
        .filter((item): item is string => item !== undefined);
      if (list.length > 0) parts.push(list.map((item) => `(${item})`).join(key === 'and' ? ' AND ' : ' OR '));
      continue;
    }
    if (key === 'not') {
      const inner = whereSoql(model, value as Record<string, unknown>, prefix, depth);
      if (inner !== undefined) parts.push(`NOT (${inner})`);
      continue;
    }
    if (key === 'Id') {
      const idField = model.def.fields.find((field) => field.name === 'Id') as FieldDef;
      parts.push(...comparisons(`${prefix}Id`, idField, value as Record<string, unknown>));
      continue;
    }
    const field = model.values.get(key);
    if (field) {
      parts.push(...comparisons(`${prefix}${field.name}`, field, value as Record<string, unknown>));
      continue;
    }
    const parent = model.parents.get(key);
    if (parent) {
      if (depth + 1 > MAX_PARENT_DEPTH)
        throw invalid(`${prefix}${key}: at most ${MAX_PARENT_DEPTH} levels of parent relationships`);
      const inner = whereSoql(parent.target, value as Record<string, unknown>, `${prefix}${key}.`, depth + 1);
      if (inner !== undefined) parts.push(inner);
      continue;
    }
    throw invalid(`${prefix}${key}: not a filterable field of ${model.def.name}`);
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? (parts[0] as string) : parts.map((part) => `(${part})`).join(' AND ');
}

/** The keys of a coerced input object in the order the query wrote them (when it wrote them literally). */
export function inWrittenOrder(
  value: Record<string, unknown>,
  node: ValueNode | undefined,
): Array<[string, unknown]> {
  const entries = Object.entries(value);
  if (!node || node.kind !== Kind.OBJECT) return entries;
  const order = new Map((node as ObjectValueNode).fields.map((field, index) => [field.name.value, index]));
  return entries.sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
}

/** The `orderBy` argument as SOQL ORDER BY items. */
export function orderBySoql(
  model: ObjectModel,
  orderBy: Record<string, unknown> | null | undefined,
  node: ValueNode | undefined,
  prefix = '',
  depth = 0,
): string[] {
  if (!orderBy) return [];
  const items: string[] = [];
  for (const [key, value] of inWrittenOrder(orderBy, node)) {
    if (value === undefined || value === null) continue;
    const written =
      node?.kind === Kind.OBJECT ? node.fields.find((field) => field.name.value === key)?.value : undefined;
    const parent = model.parents.get(key);
    if (parent) {
      if (depth + 1 > MAX_PARENT_DEPTH)
        throw invalid(`${prefix}${key}: at most ${MAX_PARENT_DEPTH} levels of parent relationships`);
      items.push(
        ...orderBySoql(
          parent.target,
          value as Record<string, unknown>,
          written,
          `${prefix}${key}.`,
          depth + 1,
        ),
      );
      continue;
    }
    const name = key === 'Id' ? 'Id' : model.values.get(key)?.name;
    if (!name) throw invalid(`${prefix}${key}: not a sortable field of ${model.def.name}`);
    const { order, nulls } = value as { order?: string | null; nulls?: string | null };
    let item = `${prefix}${name} ${order === 'DESC' ? 'DESC' : 'ASC'}`;
    if (nulls === 'FIRST' || nulls === 'LAST') item += ` NULLS ${nulls}`;
    items.push(item);
  }
  return items;
}

/** Cursors are opaque to clients: `v1:<index of the row>` in base64, as Salesforce writes them. */
export function encodeCursor(index: number): string {
  return Buffer.from(`v1:${index}`, 'utf8').toString('base64');
}

/** The row after which a page starts (`after`), as the index of its first row. */
export function startAfter(after: string | null | undefined): number {
  if (after === undefined || after === null) return 0;
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(after) ? Buffer.from(after, 'base64').toString('utf8') : '';
  const match = /^v1:(\d{1,9})$/.exec(text);
  if (!match) throw invalid(`Invalid cursor: ${after.slice(0, 40)}`);
  const start = Number(match[1]) + 1;
  if (start > MAX_OFFSET) throw invalid(`Invalid cursor: it points past row ${MAX_OFFSET}`);
  return start;
}

export function checkFirst(first: number | null | undefined): number {
  if (first === undefined || first === null) return DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST)
    throw invalid(`first must be between 0 and ${MAX_FIRST}; got ${first}`);
  return first;
}
