/**
 * The org's GraphQL schema (UI API shape), built from its own objects: `query { uiapi { query { Account(...) {
 * edges { node { Id Name { value displayValue } Owner { Name { value } } Contacts { edges ... } } } totalCount
 * pageInfo { hasNextPage endCursor } } } } }` and `mutation { uiapi { AccountCreate / AccountUpdate /
 * AccountDelete } }`. Every connection is one SOQL query run by the org's own engine, and every write goes
 * through the REST sObject code, so records, errors and validation are the REST API's.
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { SalesforceApiError } from '../../errors.js';
import { executeSoql } from '../../soql/index.js';
import type { LocalOrgState } from '../../state/index.js';
import type { FieldDef, ObjectDef } from '../../state/types.js';
import { createOne, deleteOne, updateOne } from '../records.js';
import {
  MAX_OFFSET,
  MAX_PARENT_DEPTH,
  checkFirst,
  encodeCursor,
  filterKind,
  invalid,
  orderBySoql,
  soqlString,
  sortable,
  startAfter,
  whereSoql,
  type ObjectModel,
} from './soql.js';

/** What every resolver of one request shares. */
export interface GraphqlContext {
  org: LocalOrgState;
  version: string;
  /** SOQL queries this request has run: one per connection, so nesting children multiplies them. */
  queries: number;
  /** From `mutation { uiapi(input: { allOrNone }) }`; true unless the request says otherwise. */
  allOrNone: boolean;
}

/** More than this many connection queries in one request is refused (children of children multiply). */
export const MAX_QUERIES_PER_REQUEST = 500;

interface NodeSource {
  model: ObjectModel;
  record: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------
// Scalars and value types

function scalar(name: string, kind: 'string' | 'number' | 'integer', description: string): GraphQLScalarType {
  const check = (value: unknown): unknown => {
    if (kind === 'string') {
      if (typeof value !== 'string') throw new TypeError(`${name} cannot represent a non-string value`);
      return value;
    }
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (
      typeof number !== 'number' ||
      !Number.isFinite(number) ||
      (kind === 'integer' && !Number.isInteger(number))
    )
      throw new TypeError(`${name} cannot represent ${JSON.stringify(value)}`);
    return number;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => value,
    parseValue: check,
    parseLiteral(node) {
      if (kind === 'string') {
        if (node.kind !== Kind.STRING) throw new TypeError(`${name} must be a string`);
        return node.value;
      }
      if (node.kind !== Kind.INT && node.kind !== Kind.FLOAT && node.kind !== Kind.STRING)
        throw new TypeError(`${name} must be a number`);
      return check(node.value);
    },
  });
}

interface ValueKind {
  type: GraphQLObjectType;
  /** The scalar for inputs (create/update representations). */
  input: GraphQLInputType;
}

function buildValueKinds() {
  const scalars = {
    Long: scalar('Long', 'integer', 'A 64-bit integer.'),
    Double: scalar('Double', 'number', 'A double-precision number.'),
    Currency: scalar('Currency', 'number', 'A currency amount.'),
    Percent: scalar('Percent', 'number', 'A percentage.'),
    Date: scalar('Date', 'string', 'A date: YYYY-MM-DD.'),
    DateTime: scalar('DateTime', 'string', 'A datetime: 2026-01-31T12:00:00.000Z.'),
    Time: scalar('Time', 'string', 'A time of day: 12:00:00.000Z.'),
    Email: scalar('Email', 'string', 'An email address.'),
    Url: scalar('Url', 'string', 'A URL.'),
    PhoneNumber: scalar('PhoneNumber', 'string', 'A phone number.'),
    TextArea: scalar('TextArea', 'string', 'Text up to 255 characters.'),
    LongTextArea: scalar('LongTextArea', 'string', 'Long text.'),
    Picklist: scalar('Picklist', 'string', 'A picklist value (its API name).'),
    MultiPicklist: scalar('MultiPicklist', 'string', 'Picklist values separated by semicolons.'),
    Base64: scalar('Base64', 'string', 'Base64 data.'),
    EncryptedString: scalar('EncryptedString', 'string', 'Encrypted text.'),
  };
  const valueType = (
    name: string,
    value: GraphQLOutputType,
    extra: GraphQLFieldConfigMap<unknown, unknown> = {},
  ) =>
    new GraphQLObjectType({
      name,
      fields: { value: { type: value }, displayValue: { type: GraphQLString }, ...extra },
    });
  const kinds = {
    string: { type: valueType('StringValue', GraphQLString), input: GraphQLString },
    id: { type: valueType('IDValue', GraphQLID), input: GraphQLID },
    boolean: { type: valueType('BooleanValue', GraphQLBoolean), input: GraphQLBoolean },
    int: { type: valueType('IntValue', GraphQLInt), input: GraphQLInt },
    long: { type: valueType('LongValue', scalars.Long), input: scalars.Long },
    double: { type: valueType('DoubleValue', scalars.Double), input: scalars.Double },
    currency: { type: valueType('CurrencyValue', scalars.Currency), input: scalars.Currency },
    percent: { type: valueType('PercentValue', scalars.Percent), input: scalars.Percent },
    date: { type: valueType('DateValue', scalars.Date), input: scalars.Date },
    datetime: { type: valueType('DateTimeValue', scalars.DateTime), input: scalars.DateTime },
    time: { type: valueType('TimeValue', scalars.Time), input: scalars.Time },
    email: { type: valueType('EmailValue', scalars.Email), input: scalars.Email },
    url: { type: valueType('UrlValue', scalars.Url), input: scalars.Url },
    phone: { type: valueType('PhoneNumberValue', scalars.PhoneNumber), input: scalars.PhoneNumber },
    textarea: { type: valueType('TextAreaValue', scalars.TextArea), input: scalars.TextArea },
    longtextarea: { type: valueType('LongTextAreaValue', scalars.LongTextArea), input: scalars.LongTextArea },
    picklist: {
      type: valueType('PicklistValue', scalars.Picklist, { label: { type: GraphQLString } }),
      input: scalars.Picklist,
    },
    multipicklist: {
      type: valueType('MultiPicklistValue', scalars.MultiPicklist),
      input: scalars.MultiPicklist,
    },
    base64: { type: valueType('Base64Value', scalars.Base64), input: scalars.Base64 },
    encryptedstring: {
      type: valueType('EncryptedStringValue', scalars.EncryptedString),
      input: scalars.EncryptedString,
    },
  } satisfies Record<string, ValueKind>;
  return kinds;
}

type ValueKinds = ReturnType<typeof buildValueKinds>;

/** The value type of a field; undefined for compound fields (address, location), which are left out. */
function valueKindOf(kinds: ValueKinds, field: FieldDef): ValueKind | undefined {
  switch (field.type) {
    case 'id':
    case 'reference':
      return kinds.id;
    case 'textarea':
      return (field.length ?? 255) > 255 ? kinds.longtextarea : kinds.textarea;
    case 'combobox':
      return kinds.picklist;
    case 'address':
    case 'location':
      return undefined;
    default:
      return kinds[field.type];
  }
}

function displayValueOf(field: FieldDef, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if ((field.type === 'picklist' || field.type === 'combobox') && field.picklistValues) {
    const text = String(value).toLowerCase();
    return field.picklistValues.find((entry) => entry.value.toLowerCase() === text)?.label ?? String(value);
  }
  if (field.type === 'multipicklist' && field.picklistValues) {
    return String(value)
      .split(';')
      .map((part) => {
        const text = part.trim().toLowerCase();
        return field.picklistValues?.find((entry) => entry.value.toLowerCase() === text)?.label ?? part;
      })
      .join(';');
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Selections → SOQL

/** The fields a list of field nodes selects, by name (fragments and inline fragments flattened). */
function subFields(
  nodes: readonly FieldNode[],
  fragments: Record<string, FragmentDefinitionNode>,
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const list = fields.get(selection.name.value) ?? [];
        list.push(selection);
        fields.set(selection.name.value, list);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of nodes) visit(node.selectionSet);
  return fields;
}

/** SOQL field paths for a node selection: its value fields, Id, and its parents' fields through their paths. */
function selectList(
  model: ObjectModel,
  fields: Map<string, FieldNode[]>,
  fragments: Record<string, FragmentDefinitionNode>,
  out: Set<string>,
  prefix = '',
  depth = 0,
): void {
  out.add(`${prefix}Id`);
  for (const [name, nodes] of fields) {
    const value = model.values.get(name);
    if (value) {
      out.add(`${prefix}${value.name}`);
      continue;
    }
    const parent = model.parents.get(name);
    if (parent) {
      if (depth + 1 > MAX_PARENT_DEPTH)
        throw invalid(`${prefix}${name}: at most ${MAX_PARENT_DEPTH} levels of parent relationships`);
      selectList(parent.target, subFields(nodes, fragments), fragments, out, `${prefix}${name}.`, depth + 1);
    }
    // Children are connections of their own (one query each); Id, ApiName and __typename need nothing.
  }
}

function runSoql(ctx: GraphqlContext, soql: string) {
  ctx.queries += 1;
  if (ctx.queries > MAX_QUERIES_PER_REQUEST) {
    throw new SalesforceApiError(
      400,
      'QUERY_TOO_COMPLICATED',
      `This request needs more than ${MAX_QUERIES_PER_REQUEST} record queries (child connections run once per parent record); ask for fewer parents or leave out nested child relationships.`,
    );
  }
  return executeSoql(soql, ctx.org, { api: 'data', apiVersion: `v${ctx.version}` });
}

interface ConnectionArgs {
  where?: Record<string, unknown> | null;
  orderBy?: Record<string, unknown> | null;
  first?: number | null;
  after?: string | null;
}

function argumentNode(info: GraphQLResolveInfo, name: string): ValueNode | undefined {
  return info.fieldNodes[0]?.arguments?.find((argument) => argument.name.value === name)?.value;
}

/** One page of a connection (top level, or a parent record's children): a SOQL query, then the Relay shape. */
function runConnection(
  ctx: GraphqlContext,
  model: ObjectModel,
  args: ConnectionArgs,
  info: GraphQLResolveInfo,
  parent?: { field: string; id: string },
) {
  const first = checkFirst(args.first);
  const start = startAfter(args.after);
  const connection = subFields(info.fieldNodes, info.fragments);
  const nodeFields = subFields(
    [...(subFields(connection.get('edges') ?? [], info.fragments).get('node') ?? [])],
    info.fragments,
  );
  const fields = new Set<string>();
  selectList(model, nodeFields, info.fragments, fields);
  const conditions = [
    ...(parent ? [`${parent.field} = ${soqlString(parent.id)}`] : []),
    ...[whereSoql(model, args.where)].filter((part): part is string => part !== undefined),
  ];
  const where = conditions.length
    ? ` WHERE ${conditions.length === 1 ? conditions[0] : conditions.map((part) => `(${part})`).join(' AND ')}`
    : '';
  const orderItems = orderBySoql(model, args.orderBy, argumentNode(info, 'orderBy'));
  const orderBy = orderItems.length ? ` ORDER BY ${orderItems.join(', ')}` : '';
  const limit = Math.min(start + first + 1, MAX_OFFSET + MAX_OFFSET);
  const result = runSoql(
    ctx,
    `SELECT ${[...fields].join(', ')} FROM ${model.def.name}${where}${orderBy} LIMIT ${limit}`,
  );
  const rows = result.records.slice(start, start + first);
  const edges = rows.map((record, index) => ({
    cursor: encodeCursor(start + index),
    node: { model, record } satisfies NodeSource,
  }));
  let totalCount: number | undefined;
  if (connection.has('totalCount')) {
    totalCount = runSoql(ctx, `SELECT COUNT() FROM ${model.def.name}${where}`).totalSize;
  }
  return {
    edges,
    totalCount,
    pageResultCount: edges.length,
    pageInfo: {
      hasNextPage: result.records.length > start + first,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** The record a mutation wrote, with the fields its payload's `Record` selects. */
function fetchNode(
  ctx: GraphqlContext,
  model: ObjectModel,
  id: string,
  info: GraphQLResolveInfo,
): NodeSource | null {
  const fields = new Set<string>();
  selectList(model, subFields(info.fieldNodes, info.fragments), info.fragments, fields);
  const result = runSoql(
    ctx,
    `SELECT ${[...fields].join(', ')} FROM ${model.def.name} WHERE Id = ${soqlString(id)}`,
  );
  const record = result.records[0];
  return record ? { model, record } : null;
}

// ---------------------------------------------------------------------------------------------------------
// The schema

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** Type names the schema uses itself; an object with one of these names is left out. */
const RESERVED = new Set([
  'Query',
  'Mutation',
  'UIAPI',
  'UIAPIMutations',
  'UIAPIMutationsInput',
  'RecordQuery',
  'PageInfo',
  'OrderByClause',
  'ResultOrder',
  'NullOrder',
  'DateLiteral',
  'DateInput',
  'DateTimeInput',
  'RecordDeleteInput',
  'RecordDeletePayload',
]);

const DATE_LITERALS = [
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'LAST_QUARTER',
  'THIS_QUARTER',
  'NEXT_QUARTER',
  'LAST_YEAR',
  'THIS_YEAR',
  'NEXT_YEAR',
];

/** The objects GraphQL offers: the data API's queryable objects with names GraphQL can spell. */
export function graphqlObjects(org: LocalOrgState): ObjectDef[] {
  return org.schema
    .listObjects()
    .filter(
      (def) => def.api === 'data' && def.queryable && GRAPHQL_NAME.test(def.name) && !RESERVED.has(def.name),
    );
}

function buildModels(org: LocalOrgState, objects: ObjectDef[]): Map<string, ObjectModel> {
  const models = new Map<string, ObjectModel>();
  for (const def of objects) {
    const values = new Map<string, FieldDef>();
    for (const field of def.fields) {
      if (
        field.name !== 'Id' &&
        GRAPHQL_NAME.test(field.name) &&
        field.type !== 'address' &&
        field.type !== 'location'
      )
        values.set(field.name, field);
    }
    models.set(def.name.toLowerCase(), { def, values, parents: new Map(), children: new Map() });
  }
  for (const model of models.values()) {
    const taken = new Set(['Id', 'ApiName', ...model.values.keys()]);
    for (const field of model.values.values()) {
      const name = field.relationshipName;
      if (field.type !== 'reference' || !name || !field.referenceTo?.length) continue;
      // Owner (User or queue) is offered as the User, as the UI API does for objects users own; other
      // polymorphic lookups (WhoId, WhatId) would need unions: only their Id is offered.
      const ownedByUser = name === 'Owner' && field.referenceTo[0] === 'User';
      if (field.referenceTo.length !== 1 && !ownedByUser) continue;
      const target = models.get((field.referenceTo[0] as string).toLowerCase());
      if (!target || taken.has(name) || !GRAPHQL_NAME.test(name)) continue;
      taken.add(name);
      model.parents.set(name, { field, target });
    }
    for (const relationship of org.schema.childRelationships(model.def.name)) {
      const name = relationship.relationshipName;
      const child = models.get(relationship.childSObject.toLowerCase());
      if (!name || !child || taken.has(name) || !GRAPHQL_NAME.test(name)) continue;
      taken.add(name);
      model.children.set(name, { child, field: relationship.field });
    }
  }
  return models;
}

export function buildGraphqlSchema(org: LocalOrgState): GraphQLSchema {
  const objects = graphqlObjects(org);
  const models = buildModels(org, objects);
  const kinds = buildValueKinds();

  const resultOrder = new GraphQLEnumType({ name: 'ResultOrder', values: { ASC: {}, DESC: {} } });
  const nullOrder = new GraphQLEnumType({ name: 'NullOrder', values: { FIRST: {}, LAST: {} } });
  const orderByClause = new GraphQLInputObjectType({
    name: 'OrderByClause',
    fields: { order: { type: resultOrder }, nulls: { type: nullOrder } },
  });
  const dateLiteral = new GraphQLEnumType({
    name: 'DateLiteral',
    values: Object.fromEntries(DATE_LITERALS.map((name) => [name, {}])),
  });
  const dateInput = new GraphQLInputObjectType({
    name: 'DateInput',
    fields: { value: { type: kinds.date.input }, literal: { type: dateLiteral } },
  });
  const dateTimeInput = new GraphQLInputObjectType({
    name: 'DateTimeInput',
    fields: { value: { type: kinds.datetime.input }, literal: { type: dateLiteral } },
  });
  const operators = (name: string, operand: GraphQLInputType, ops: string[]) =>
    new GraphQLInputObjectType({
      name,
      fields: Object.fromEntries(
        ops.map((op) => [
          op,
          {
            type:
              op === 'in' || op === 'nin' || op === 'includes' || op === 'excludes'
                ? new GraphQLList(operand)
                : operand,
          },
        ]),
      ),
    });
  const ordered = ['eq', 'ne', 'lt', 'gt', 'lte', 'gte', 'in', 'nin'];
  const operatorTypes = {
    string: operators('StringOperators', GraphQLString, [...ordered.slice(0, 6), 'like', 'in', 'nin']),
    id: operators('IDOperators', GraphQLID, ordered),
    boolean: operators('BooleanOperators', GraphQLBoolean, ['eq', 'ne']),
    number: operators('NumberOperators', GraphQLFloat, ordered),
    date: operators('DateOperators', dateInput, ordered),
    datetime: operators('DateTimeOperators', dateTimeInput, ordered),
    picklist: operators('PicklistOperators', GraphQLString, [...ordered.slice(0, 6), 'like', 'in', 'nin']),
    multi: operators('MultiPicklistOperators', GraphQLString, ['eq', 'ne', 'includes', 'excludes']),
  };
  const pageInfo = new GraphQLObjectType({
    name: 'PageInfo',
    fields: {
      hasNextPage: { type: new GraphQLNonNull(GraphQLBoolean) },
      hasPreviousPage: { type: new GraphQLNonNull(GraphQLBoolean) },
      startCursor: { type: GraphQLString },
      endCursor: { type: GraphQLString },
    },
  });

  const nodeTypes = new Map<ObjectModel, GraphQLObjectType>();
  const connectionTypes = new Map<ObjectModel, GraphQLObjectType>();
  const filterTypes = new Map<ObjectModel, GraphQLInputObjectType>();
  const orderByTypes = new Map<ObjectModel, GraphQLInputObjectType>();

  const filterType = (model: ObjectModel): GraphQLInputObjectType => {
    let type = filterTypes.get(model);
    if (type) return type;
    type = new GraphQLInputObjectType({
      name: `${model.def.name}_Filter`,
      fields: () => {
        const fields: GraphQLInputFieldConfigMap = {
          and: { type: new GraphQLList(filterType(model)) },
          or: { type: new GraphQLList(filterType(model)) },
          not: { type: filterType(model) },
          Id: { type: operatorTypes.id },
        };
        for (const field of model.values.values()) {
          const kind = filterKind(field);
          if (kind) fields[field.name] = { type: operatorTypes[kind] };
        }
        for (const [name, parent] of model.parents) fields[name] = { type: filterType(parent.target) };
        return fields;
      },
    });
    filterTypes.set(model, type);
    return type;
  };

  const orderByType = (model: ObjectModel): GraphQLInputObjectType => {
    let type = orderByTypes.get(model);
    if (type) return type;
    type = new GraphQLInputObjectType({
      name: `${model.def.name}_OrderBy`,
      fields: () => {
        const fields: GraphQLInputFieldConfigMap = { Id: { type: orderByClause } };
        for (const field of model.values.values())
          if (sortable(field)) fields[field.name] = { type: orderByClause };
        for (const [name, parent] of model.parents) fields[name] = { type: orderByType(parent.target) };
        return fields;
      },
    });
    orderByTypes.set(model, type);
    return type;
  };

  const connectionArgs = (model: ObjectModel): GraphQLFieldConfigArgumentMap => ({
    where: { type: filterType(model) },
    orderBy: { type: orderByType(model) },
    first: { type: GraphQLInt, description: 'Records per page (default 10, at most 2000).' },
    after: { type: GraphQLString, description: 'The endCursor of the previous page.' },
  });

  const nodeType = (model: ObjectModel): GraphQLObjectType => {
    let type = nodeTypes.get(model);
    if (type) return type;
    type = new GraphQLObjectType<NodeSource, GraphqlContext>({
      name: model.def.name,
      description: model.def.label,
      fields: () => {
        const fields: GraphQLFieldConfigMap<NodeSource, GraphqlContext> = {
          Id: { type: new GraphQLNonNull(GraphQLID), resolve: (source) => source.record.Id },
          ApiName: { type: new GraphQLNonNull(GraphQLString), resolve: (source) => source.model.def.name },
        };
        for (const field of model.values.values()) {
          const kind = valueKindOf(kinds, field);
          if (!kind) continue;
          fields[field.name] = {
            type: kind.type,
            ...(field.label ? { description: field.label } : {}),
            resolve: (source) => {
              const value = source.record[field.name] ?? null;
              return {
                value,
                displayValue: displayValueOf(field, value),
                label: displayValueOf(field, value),
              };
            },
          };
        }
        for (const [name, parent] of model.parents) {
          fields[name] = {
            type: nodeType(parent.target),
            resolve: (source) => {
              const record = source.record[name];
              return record && typeof record === 'object'
                ? { model: parent.target, record: record as Record<string, unknown> }
                : null;
            },
          };
        }
        for (const [name, relation] of model.children) {
          fields[name] = {
            type: connectionType(relation.child),
            args: connectionArgs(relation.child),
            resolve: (source, args: ConnectionArgs, ctx, info) =>
              runConnection(ctx, relation.child, args, info, {
                field: relation.field,
                id: String(source.record.Id),
              }),
          };
        }
        return fields;
      },
    });
    nodeTypes.set(model, type);
    return type;
  };

  const connectionType = (model: ObjectModel): GraphQLObjectType => {
    let type = connectionTypes.get(model);
    if (type) return type;
    const edge = new GraphQLObjectType({
      name: `${model.def.name}Edge`,
      fields: () => ({
        node: { type: nodeType(model) },
        cursor: { type: new GraphQLNonNull(GraphQLString) },
      }),
    });
    type = new GraphQLObjectType({
      name: `${model.def.name}Connection`,
      fields: () => ({
        edges: { type: new GraphQLList(edge) },
        pageInfo: { type: new GraphQLNonNull(pageInfo) },
        totalCount: { type: new GraphQLNonNull(GraphQLInt) },
        pageResultCount: { type: new GraphQLNonNull(GraphQLInt) },
      }),
    });
    connectionTypes.set(model, type);
    return type;
  };

  const recordQuery = new GraphQLObjectType<unknown, GraphqlContext>({
    name: 'RecordQuery',
    fields: () =>
      Object.fromEntries(
        [...models.values()].map((model) => [
          model.def.name,
          {
            type: connectionType(model),
            args: connectionArgs(model),
            resolve: (
              _source: unknown,
              args: ConnectionArgs,
              ctx: GraphqlContext,
              info: GraphQLResolveInfo,
            ) => runConnection(ctx, model, args, info),
          },
        ]),
      ),
  });
  const uiapi = new GraphQLObjectType({
    name: 'UIAPI',
    fields: { query: { type: new GraphQLNonNull(recordQuery), resolve: () => ({}) } },
  });
  const query = new GraphQLObjectType({
    name: 'Query',
    fields: { uiapi: { type: new GraphQLNonNull(uiapi), resolve: () => ({}) } },
  });

  // Mutations: <Object>Create, <Object>Update, <Object>Delete, through the REST sObject code.
  const deleteInput = new GraphQLInputObjectType({
    name: 'RecordDeleteInput',
    fields: { Id: { type: new GraphQLNonNull(GraphQLID) } },
  });
  const deletePayload = new GraphQLObjectType({
    name: 'RecordDeletePayload',
    fields: { Id: { type: GraphQLID } },
  });
  const representations = new Map<string, GraphQLInputObjectType>();
  const representation = (model: ObjectModel, suffix: 'Create' | 'Update'): GraphQLInputObjectType => {
    const key = `${model.def.name}${suffix}`;
    const known = representations.get(key);
    if (known) return known;
    const type = new GraphQLInputObjectType({
      name: `${model.def.name}${suffix}Representation`,
      fields: () => {
        const fields: GraphQLInputFieldConfigMap = {};
        for (const field of model.values.values()) {
          const kind = valueKindOf(kinds, field);
          if (kind && (suffix === 'Create' ? field.createable : field.updateable))
            fields[field.name] = { type: kind.input };
        }
        return fields;
      },
    });
    representations.set(key, type);
    return type;
  };
  const writeOnce = <T>(ctx: GraphqlContext, work: () => T): T =>
    ctx.allOrNone ? work() : ctx.org.records.transaction(work);
  const recordField = (model: ObjectModel) => ({
    type: nodeType(model),
    resolve: (payload: { id: string }, _args: unknown, ctx: GraphqlContext, info: GraphQLResolveInfo) =>
      fetchNode(ctx, model, payload.id, info),
  });
  const mutationFields: GraphQLFieldConfigMap<unknown, GraphqlContext> = {};
  for (const model of models.values()) {
    const { def } = model;
    const writable = (suffix: 'Create' | 'Update') =>
      [...model.values.values()].some(
        (field) => valueKindOf(kinds, field) && (suffix === 'Create' ? field.createable : field.updateable),
      );
    if (def.createable && writable('Create')) {
      const input = new GraphQLInputObjectType({
        name: `${def.name}CreateInput`,
        fields: () => ({ [def.name]: { type: new GraphQLNonNull(representation(model, 'Create')) } }),
      });
      mutationFields[`${def.name}Create`] = {
        type: new GraphQLObjectType({
          name: `${def.name}CreatePayload`,
          fields: () => ({ Record: recordField(model) }),
        }),
        args: { input: { type: new GraphQLNonNull(input) } },
        resolve: (_source, args: { input: Record<string, Record<string, unknown>> }, ctx) =>
          writeOnce(ctx, () => {
            const saved = createOne(ctx.org, def, { ...args.input[def.name] });
            return { id: saved.id as string };
          }),
      };
    }
    if (def.updateable && writable('Update')) {
      const input = new GraphQLInputObjectType({
        name: `${def.name}UpdateInput`,
        fields: () => ({
          Id: { type: new GraphQLNonNull(GraphQLID) },
          [def.name]: { type: new GraphQLNonNull(representation(model, 'Update')) },
        }),
      });
      mutationFields[`${def.name}Update`] = {
        type: new GraphQLObjectType({
          name: `${def.name}UpdatePayload`,
          fields: () => ({ success: { type: GraphQLBoolean }, Record: recordField(model) }),
        }),
        args: { input: { type: new GraphQLNonNull(input) } },
        resolve: (_source, args: { input: Record<string, unknown> }, ctx) =>
          writeOnce(ctx, () => {
            const saved = updateOne(ctx.org, def, args.input.Id, {
              ...(args.input[def.name] as Record<string, unknown>),
            });
            return { id: saved.id as string, success: true };
          }),
      };
    }
    if (def.deletable) {
      mutationFields[`${def.name}Delete`] = {
        type: deletePayload,
        args: { input: { type: new GraphQLNonNull(deleteInput) } },
        resolve: (_source, args: { input: { Id: string } }, ctx) =>
          writeOnce(ctx, () => {
            const id = args.input.Id;
            if (typeof id !== 'string' || ctx.org.schema.objectForId(id)?.name !== def.name)
              throw new SalesforceApiError(
                400,
                'INVALID_CROSS_REFERENCE_KEY',
                `invalid cross reference id: not a ${def.name} id`,
              );
            return { Id: deleteOne(ctx.org, id).id };
          }),
      };
    }
  }
  const mutations = new GraphQLObjectType({ name: 'UIAPIMutations', fields: mutationFields });
  const mutationsInput = new GraphQLInputObjectType({
    name: 'UIAPIMutationsInput',
    fields: {
      allOrNone: { type: GraphQLBoolean, description: 'Default true: one failure undoes every change.' },
    },
  });
  const mutation = new GraphQLObjectType<unknown, GraphqlContext>({
    name: 'Mutation',
    fields: {
      uiapi: {
        type: new GraphQLNonNull(mutations),
        args: { input: { type: mutationsInput } },
        resolve: (_source, args: { input?: { allOrNone?: boolean | null } | null }, ctx) => {
          ctx.allOrNone = args.input?.allOrNone !== false;
          return {};
        },
      },
    },
  });
  return new GraphQLSchema({ query, ...(Object.keys(mutationFields).length ? { mutation } : {}) });
}
