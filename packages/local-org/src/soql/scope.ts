/** What every part of a query shares: its scope, record urls, the running user's time zone, SELECT items, unsupported clauses. */
import type { FieldType as SelectItem, QueryBase } from '@jetstreamapp/soql-parser-js';
import type { ObjectDef, OrgState } from '../state/types.js';
import type { SoqlOptions } from './types.js';
import type { QueryErrors } from './errors.js';
import type { QueryScope } from './resolve.js';
import { isTimeZone } from './dates.js';

const AGGREGATE_FUNCTIONS = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
export const MAX_OFFSET = 2000;
const FIELDS_LIMIT = 200;

function apiVersionPath(apiVersion: string): string {
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

export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function rejectUnsupported(query: QueryBase, errors: QueryErrors): void {
  const usingScope = query.usingScope?.toLowerCase();
  if (usingScope && usingScope !== 'everything' && usingScope !== 'mine')
    throw errors.unsupported('USING', `USING SCOPE ${query.usingScope}`);
  if (query.withDataCategory) throw errors.unsupported('DATA', 'WITH DATA CATEGORY');
  if (query.for === 'UPDATE') throw errors.unsupported('UPDATE', 'FOR UPDATE');
  if (query.update) throw errors.unsupported('UPDATE', `UPDATE ${query.update}`);
}

/** Items FIELDS() produced: naming one of them again is not a duplicate. */
export const fromFieldsFunction = new WeakSet<SelectItem>();

/** FIELDS(ALL|STANDARD|CUSTOM) replaced by the object's fields; other items kept. */
export function expandFieldsFunction(
  scope: QueryScope,
  items: SelectItem[],
  limit: number | undefined,
): SelectItem[] {
  const expanded: SelectItem[] = [];
  for (const item of items) {
    if (item.type === 'FieldFunctionExpression' && item.functionName.toUpperCase() === 'FIELDS') {
      const which = String(item.parameters[0] ?? '').toUpperCase();
      if (which !== 'ALL' && which !== 'STANDARD' && which !== 'CUSTOM') {
        throw scope.errors.malformed(
          String(item.parameters[0] ?? 'FIELDS'),
          `unexpected token: '${String(item.parameters[0] ?? '')}'`,
        );
      }
      if (which !== 'STANDARD' && (limit === undefined || limit > FIELDS_LIMIT)) {
        throw scope.errors.malformed(
          'FIELDS',
          `The SOQL FIELDS function must have a LIMIT of at most ${FIELDS_LIMIT}`,
        );
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

export function fieldPathOf(item: SelectItem): string | undefined {
  if (item.type === 'Field')
    return 'objectPrefix' in item && item.objectPrefix ? `${item.objectPrefix}.${item.field}` : item.field;
  if (item.type === 'FieldRelationship')
    return item.rawValue ?? [...item.relationships, item.field].join('.');
  return undefined;
}

export function isAggregateFunction(name: string | undefined): boolean {
  return AGGREGATE_FUNCTIONS.has((name ?? '').toUpperCase());
}
