/** ORDER BY, LIMIT and OFFSET. */
import type { OrderByClause, QueryBase } from '@jetstreamapp/soql-parser-js';
import type { StoredRecord } from '../state/types.js';
import type { QueryErrors } from './errors.js';
import { resolvePath, type QueryScope } from './resolve.js';
import type { Operand } from './where.js';
import { DATE_FUNCTIONS } from './dates.js';
import { isSortable, normalize, type Normalized } from './values.js';
import { isAggregateFunction, MAX_OFFSET } from './scope.js';
import { dateFunctionOperand } from './filter.js';

export interface SortKey<S> {
  get(subject: S): Normalized;
  descending: boolean;
  nullsFirst: boolean;
}

export function sortKeysFrom<S>(
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
      throw errors.at(
        operand.label,
        'INVALID_FIELD',
        `field '${operand.label}' can not be sorted in a query call`,
      );
    }
    const kind = operand.kind;
    if (field?.type === 'picklist' && field.picklistValues && field.picklistValues.length > 0) {
      // Picklists sort in the order their values are defined, not alphabetically.
      const positions = new Map(
        field.picklistValues.map((entry, index) => [
          entry.value.toLowerCase(),
          String(index).padStart(6, '0'),
        ]),
      );
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
  const order =
    take !== undefined && take < subjects.length / 4
      ? smallest(subjects.length, take, compare)
      : Array.from({ length: subjects.length }, (_, index) => index);
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
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (compare(heap[i] as number, heap[parent] as number) <= 0) break;
        swap(i, parent);
        i = parent;
      }
    } else if (compare(candidate, heap[0] as number) < 0) {
      heap[0] = candidate;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < heap.length && compare(heap[left] as number, heap[largest] as number) > 0) largest = left;
        if (right < heap.length && compare(heap[right] as number, heap[largest] as number) > 0)
          largest = right;
        if (largest === i) break;
        swap(i, largest);
        i = largest;
      }
    }
  }
  return heap;
}

export function rowSortKeys(scope: QueryScope, clauses: OrderByClause[]): SortKey<StoredRecord>[] {
  return sortKeysFrom(
    clauses,
    (clause) => {
      if ('field' in clause) {
        const resolved = resolvePath(scope, clause.field);
        return { kind: resolved.kind, label: resolved.canonical, get: resolved.get, field: resolved.field };
      }
      const name = (clause.fn.functionName ?? '').toUpperCase();
      if (DATE_FUNCTIONS.has(name)) return dateFunctionOperand(scope, clause.fn);
      if (isAggregateFunction(name)) {
        throw scope.errors.malformed(
          clause.fn.rawValue ?? name,
          'Ordered field must be grouped or aggregated: ' + (clause.fn.rawValue ?? name),
        );
      }
      throw scope.errors.unsupported(clause.fn.rawValue ?? name, `ORDER BY ${clause.fn.functionName ?? ''}`);
    },
    scope.errors,
  );
}

export function applyWindow<T>(items: T[], offset: number | undefined, limit: number | undefined): T[] {
  const start = offset ?? 0;
  const end = limit === undefined ? undefined : start + limit;
  return start === 0 && end === undefined ? items : items.slice(start, end);
}

export function checkWindow(query: QueryBase, errors: QueryErrors): void {
  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw errors.at('OFFSET', 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }
}
