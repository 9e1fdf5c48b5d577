/**
 * The org's GraphQL API (`POST /services/data/vXX.X/graphql`), for test_lds_graphql_query and
 * fetch_lds_graphql_schema: the document checked locally first (graphql-js `parse`, with the line and column of a
 * syntax error), the operation chosen, the request sent through the org handle's connection, and the answer
 * (`{ data, errors }`, HTTP 200 either way) rendered compactly: connections as tables, errors with their locations.
 * graphql-js is imported inside the functions that need it.
 */
import {
  type OrgHandle,
  ToolError,
  excerpt,
  formatTableRow,
  takeWithinBudget,
  toToolError,
  z,
} from '@sfmcp/plugin-api';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';

/** Salesforce's GraphQL API exists from API v56.0. */
export const FIRST_GRAPHQL_VERSION = 56;
/** A document with more tokens than this is refused before it goes anywhere. */
const MAX_TOKENS = 20_000;

/** @salesforce/mcp's `apiVersion` argument. */
export const apiVersionArgument = z.string().max(10).optional().describe('API version, e.g. "62.0"');

export type OperationKind = 'query' | 'mutation' | 'subscription';

export interface ChosenOperation {
  kind: OperationKind;
  /** The operation's name, sent as operationName when the document has several. */
  name?: string;
  /** The fields the operation selects under `uiapi` (AccountCreate, query...), for a preview. */
  fields: string[];
  node: OperationDefinitionNode;
}

/** Where a GraphQL error points: `line 3, column 7`. */
function at(location: { line: number; column: number }): string {
  return `line ${location.line}, column ${location.column}`;
}

/** The document, parsed locally: a syntax error is the caller's to fix, with its place and the line quoted. */
export async function parseDocument(query: string): Promise<DocumentNode> {
  const { parse, GraphQLError } = await import('graphql');
  try {
    return parse(query, { maxTokens: MAX_TOKENS });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    // graphql-js quotes the offending token whole: a 70 KB name stays a short line here.
    const reason = excerpt(error.message.replace(/^Syntax Error: /, ''), 200);
    if (/^Document contains more th(?:an|at) \d+ tokens/.test(reason))
      throw new ToolError(
        `The GraphQL document is too large: more than ${MAX_TOKENS} tokens.`,
        'Split it into smaller queries.',
        { kind: 'invalid', code: 'GRAPHQL_TOO_LARGE' },
      );
    const location = error.locations?.[0];
    if (!location)
      throw new ToolError(`The GraphQL document is not valid: ${reason}`, undefined, { kind: 'invalid' });
    const line = query.split(/\r\n|\r|\n/)[location.line - 1] ?? '';
    const start = Math.max(0, location.column - 40);
    const shown = excerpt(line.slice(start), 80);
    throw new ToolError(
      `GraphQL syntax error at ${at(location)}: ${reason}\n${start > 0 ? '…' : ''}${shown}\n${' '.repeat(location.column - 1 - start + (start > 0 ? 1 : 0))}^`,
      'Fix the document and call again; nothing was sent to the org.',
      { kind: 'invalid', code: 'GRAPHQL_SYNTAX_ERROR' },
    );
  }
}

function uiapiFields(node: OperationDefinitionNode): string[] {
  const names: string[] = [];
  for (const selection of node.selectionSet.selections) {
    if (selection.kind !== 'Field') continue;
    if (selection.name.value !== 'uiapi' || !selection.selectionSet) {
      names.push(selection.name.value);
      continue;
    }
    for (const inner of selection.selectionSet.selections)
      if (inner.kind === 'Field') names.push(inner.name.value);
  }
  return names;
}

const KINDS = new Set<string>(['query', 'mutation', 'subscription']);

/**
 * The operation to run. `operation` is an operation's name (as @salesforce/mcp takes it) or its kind
 * ('query' / 'mutation'); without it the document must hold one operation.
 */
export function chooseOperation(document: DocumentNode, operation?: string): ChosenOperation {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
  );
  const names = operations.map((node) => node.name?.value).filter((name): name is string => !!name);
  const choose = (node: OperationDefinitionNode): ChosenOperation => ({
    kind: node.operation as OperationKind,
    ...(node.name ? { name: node.name.value } : {}),
    fields: uiapiFields(node),
    node,
  });
  if (operations.length === 0)
    throw new ToolError(
      'The GraphQL document has no operation (only fragments).',
      'Add a query or a mutation.',
      {
        kind: 'invalid',
      },
    );
  if (operation !== undefined && operation.trim() !== '') {
    const wanted = operation.trim();
    const named = operations.find((node) => node.name?.value === wanted);
    if (named) return choose(named);
    if (KINDS.has(wanted.toLowerCase())) {
      const ofKind = operations.filter((node) => node.operation === wanted.toLowerCase());
      if (ofKind.length === 1) return choose(ofKind[0] as OperationDefinitionNode);
      throw new ToolError(
        ofKind.length === 0
          ? `The GraphQL document has no ${wanted.toLowerCase()} operation.`
          : `The GraphQL document has ${ofKind.length} ${wanted.toLowerCase()} operations.`,
        names.length ? `Pass operation as one of the names: ${names.join(', ')}.` : undefined,
        { kind: 'invalid' },
      );
    }
    throw new ToolError(
      `The GraphQL document has no operation named ${excerpt(wanted)}.`,
      names.length
        ? `Its operations: ${names.join(', ')}.`
        : 'Its operations have no names: leave operation out.',
      { kind: 'invalid' },
    );
  }
  if (operations.length > 1)
    throw new ToolError(
      `The GraphQL document has ${operations.length} operations: say which one to run.`,
      names.length ? `Pass operation as one of: ${names.join(', ')}.` : 'Give each operation a name.',
      { kind: 'invalid' },
    );
  return choose(operations[0] as OperationDefinitionNode);
}

/** The API version to call: the one asked for, else the connection's; at least v56.0. */
export function graphqlVersion(org: Pick<OrgHandle, 'connection'>, apiVersion?: string): string {
  const version = apiVersion ?? org.connection.getApiVersion();
  if (!/^\d{2,3}\.0$/.test(version))
    throw new ToolError(`${excerpt(version)} is not an API version.`, 'Write it like "62.0".', {
      kind: 'invalid',
    });
  if (Number(version) < FIRST_GRAPHQL_VERSION)
    throw new ToolError(
      `Salesforce's GraphQL API needs API v${FIRST_GRAPHQL_VERSION}.0 or later; this call would use v${version}.`,
      'Pass apiVersion (for example "62.0"), or raise the project\'s sourceApiVersion.',
      { kind: 'invalid' },
    );
  return version;
}

export interface GraphqlError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

export interface GraphqlAnswer {
  data: Record<string, unknown> | null;
  errors: GraphqlError[];
}

/** Sends one GraphQL request to the org. HTTP errors (an unknown version, a session) come back as ToolErrors. */
export async function postGraphql(
  org: Pick<OrgHandle, 'connection' | 'label'>,
  version: string,
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
): Promise<GraphqlAnswer> {
  let reply: unknown;
  try {
    reply = await org.connection.request({
      method: 'POST',
      url: `/services/data/v${version}/graphql`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw toToolError(error, {
      prefix: `The GraphQL request to ${org.label} failed`,
      hint: 'Check apiVersion: the GraphQL API needs v56.0 or later.',
      wrapOthers: true,
    });
  }
  if (
    reply === null ||
    typeof reply !== 'object' ||
    Array.isArray(reply) ||
    !('data' in reply || 'errors' in reply)
  ) {
    throw new ToolError(
      `${org.label} answered the GraphQL request with something that is not a GraphQL result.`,
      undefined,
      {
        kind: 'unavailable',
        code: 'ORG_UNREADABLE',
      },
    );
  }
  const { data, errors } = reply as { data?: unknown; errors?: unknown };
  return {
    data: data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null,
    errors: Array.isArray(errors)
      ? errors.map((error) =>
          error && typeof error === 'object' && typeof (error as GraphqlError).message === 'string'
            ? (error as GraphqlError)
            : { message: JSON.stringify(error) },
        )
      : [],
  };
}

/** One error as a line: the message, where in the document, where in the answer. */
export function errorLine(error: GraphqlError): string {
  const parts = [error.message.replace(/\s+/g, ' ').trim()];
  const location = error.locations?.[0];
  if (location) parts.push(`(${at(location)})`);
  if (error.path?.length) parts.push(`at ${error.path.join('.')}`);
  const code = error.extensions?.errorCode;
  if (typeof code === 'string') parts.unshift(`${code}:`);
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// Rendering data

export interface ConnectionSummary {
  path: string;
  rows: number;
  totalCount?: number;
  hasNextPage?: boolean;
  endCursor?: string;
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isConnection(value: Json): value is Record<string, Json> & { edges: Json[] } {
  return isObject(value) && Array.isArray(value.edges);
}

/** A UI API field value: `{ value, displayValue }` (and `label`, `format`). */
function isValueObject(value: Json): value is Record<string, Json> {
  return (
    isObject(value) &&
    'value' in value &&
    Object.keys(value).every(
      (key) => key === 'value' || key === 'displayValue' || key === 'label' || key === 'format',
    )
  );
}

/** A UI API value object (`{ value, displayValue }`) as one cell: the value, and the display value when it differs. */
function valueCell(value: Record<string, Json>): Json {
  const shown = value.value;
  const display = value.displayValue;
  if (typeof display === 'string' && display !== '' && display !== String(shown))
    return `${String(shown)} (${display})`;
  return shown;
}

/** A node as one table row: `Name`, `Account.Name`, `Owner.Name`; child connections as their row count. */
function flattenNode(node: Json, prefix = '', row: Record<string, Json> = {}): Record<string, Json> {
  if (!isObject(node)) {
    row[prefix || 'value'] = node;
    return row;
  }
  for (const [key, value] of Object.entries(node)) {
    const name = `${prefix}${key}`;
    if (isConnection(value)) {
      const total = typeof value.totalCount === 'number' ? ` of ${value.totalCount}` : '';
      row[name] = `[${value.edges.length}${total} records]`;
    } else if (isValueObject(value)) row[name] = valueCell(value);
    else if (isObject(value)) flattenNode(value, `${name}.`, row);
    else row[name] = Array.isArray(value) ? JSON.stringify(value) : value;
  }
  return row;
}

interface Section {
  title: string;
  lines: string[];
}

/** The answer's data as sections: each connection a table, other values `path: value` lines. */
function sections(data: Record<string, Json>, connections: ConnectionSummary[]): Section[] {
  const result: Section[] = [];
  const scalars: string[] = [];
  const walk = (value: Json, path: string) => {
    if (isConnection(value)) {
      const rows = value.edges.map((edge) => flattenNode(isObject(edge) ? edge.node : edge));
      const columns: string[] = [];
      for (const row of rows)
        for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
      const pageInfo = isObject(value.pageInfo) ? value.pageInfo : undefined;
      const summary: ConnectionSummary = { path, rows: rows.length };
      if (typeof value.totalCount === 'number') summary.totalCount = value.totalCount;
      if (typeof pageInfo?.hasNextPage === 'boolean') summary.hasNextPage = pageInfo.hasNextPage;
      if (typeof pageInfo?.endCursor === 'string') summary.endCursor = pageInfo.endCursor;
      connections.push(summary);
      const facts = [`${rows.length} record${rows.length === 1 ? '' : 's'}`];
      if (summary.totalCount !== undefined) facts.push(`totalCount ${summary.totalCount}`);
      if (summary.hasNextPage) facts.push(`more: after "${summary.endCursor ?? ''}"`);
      const lines = columns.length ? [columns.join(' | '), columns.map(() => '---').join(' | ')] : [];
      for (const row of rows) lines.push(formatTableRow(row, columns));
      result.push({ title: `${path} — ${facts.join(', ')}`, lines });
      return;
    }
    if (isValueObject(value)) {
      const cell = valueCell(value);
      scalars.push(`${path}: ${cell === null || cell === undefined ? '' : String(cell)}`);
      return;
    }
    if (isObject(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
      return;
    }
    scalars.push(`${path}: ${Array.isArray(value) ? JSON.stringify(value) : String(value)}`);
  };
  walk(data, '');
  if (scalars.length) result.unshift({ title: '', lines: scalars });
  return result;
}

/**
 * The data as text within `budget` bytes: connections as tables (rows beyond the budget are counted, not
 * shown), other values as `path: value` lines.
 */
export function renderData(
  data: Record<string, Json>,
  budget: number,
): { text: string; connections: ConnectionSummary[]; shownRows: number; hiddenRows: number } {
  const connections: ConnectionSummary[] = [];
  const parts = sections(data, connections);
  const out: string[] = [];
  let left = budget;
  let shownRows = 0;
  let hiddenRows = 0;
  for (const part of parts) {
    if (part.title) out.push(part.title);
    left -= Buffer.byteLength(part.title) + 1;
    const isTable = part.title !== '';
    const head = isTable ? part.lines.slice(0, 2) : [];
    const body = isTable ? part.lines.slice(2) : part.lines;
    out.push(...head);
    left -= head.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    const page = takeWithinBudget(body, (line) => Buffer.byteLength(line), Math.max(0, left));
    // takeWithinBudget always takes one line; past the budget even that one stays out.
    const taken = left > 0 ? page.items : [];
    out.push(...taken);
    left -= taken.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    if (isTable) shownRows += taken.length;
    const hidden = body.length - taken.length;
    if (hidden > 0) {
      if (isTable) hiddenRows += hidden;
      out.push(
        `(${hidden} more ${isTable ? 'rows' : 'values'} not shown: too long for this answer; ask for fewer records or fields)`,
      );
    }
  }
  return { text: out.join('\n'), connections, shownRows, hiddenRows };
}
