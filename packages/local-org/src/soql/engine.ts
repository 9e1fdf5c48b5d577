/** Runs a SOQL query: parse, check, filter, then project records or aggregate them. */
import { parseQuery, type Query, type QueryBase } from '@jetstreamapp/soql-parser-js';
import { SalesforceApiError } from '../errors.js';
import type { OrgState, StoredRecord } from '../state/types.js';
import type { SoqlOptions, SoqlResult } from './types.js';
import { positionedMessage, QueryErrors } from './errors.js';
import { resolveObject, type QueryScope } from './resolve.js';
import type { Predicate } from './where.js';
import { normalize } from './values.js';
import { asList, expandFieldsFunction, isAggregateFunction, makeScope, rejectUnsupported } from './scope.js';
import { compileWhere } from './filter.js';
import { applyWindow, checkWindow, rowSortKeys, sortSubjects } from './order.js';
import { buildProjections, Renderer } from './project.js';
import { runAggregate } from './aggregate.js';

function parseSoql(soql: string, errors: QueryErrors): Query {
  try {
    // No options: with any options object soql-parser-js builds a new parser per call (tens of ms).
    return parseQuery(soql);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const found = /but found:\s*'([^']*)'/.exec(text)?.[1];
    if (found === undefined || found === '') {
      throw new SalesforceApiError(
        400,
        'MALFORMED_QUERY',
        positionedMessage(soql, soql.trimEnd().length, 'unexpected token: <EOF>'),
      );
    }
    throw errors.malformed(found, `unexpected token: '${found}'`);
  }
}

/** USING SCOPE mine: the records the current user owns. */
function mineOnly(scope: QueryScope, where: Predicate<StoredRecord> | undefined): Predicate<StoredRecord> {
  if (!scope.org.schema.getField(scope.object.name, 'OwnerId')) {
    throw scope.errors.malformed(
      'mine',
      `USING SCOPE mine is not valid for ${scope.object.name}, which has no owner`,
    );
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
      items.length === 1 &&
      first?.type === 'FieldFunctionExpression' &&
      first.functionName.toUpperCase() === 'COUNT' &&
      first.parameters.length === 0;
    // COUNT() without GROUP BY counts rows, and OFFSET and LIMIT apply to that count.
    if (countOnly && query.groupBy === undefined) {
      if (query.having) throw errors.malformed('HAVING', 'HAVING can only be used with GROUP BY');
      const count = Math.max(0, matched.length - (query.offset ?? 0));
      return { totalSize: query.limit === undefined ? count : Math.min(count, query.limit), records: [] };
    }
    return runAggregate(scope, query, items, matched);
  }
  if (query.having)
    throw errors.malformed('HAVING', 'HAVING can only be used with GROUP BY or aggregate functions');

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
  const page = applyWindow(
    sortSubjects(matched, rowSortKeys(scope, asList(query.orderBy))),
    query.offset,
    query.limit,
  );
  const renderer = new Renderer(scope);
  renderer.prepareChildren(projections, page);
  return page.map((row) => renderer.record(row, scope.object.name, projections));
}
