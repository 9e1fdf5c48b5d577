/**
 * `POST /services/data/vXX.X/graphql`: Salesforce's GraphQL API (UI API: record queries, mutations,
 * introspection). The answer is `{ data, errors? }` with HTTP 200 whether or not there are errors, as
 * Salesforce answers; errors carry `message`, `locations`, `path` and `extensions.errorCode`.
 */
import {
  GraphQLError,
  executeSync,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { SalesforceApiError } from '../../errors.js';
import type { RouteReply, RouteRequest } from '../../http/types.js';
import type { LocalOrgState } from '../../state/index.js';
import type { ObjectDef } from '../../state/types.js';
import { buildGraphqlSchema, graphqlObjects, type GraphqlContext } from './schema.js';

export { buildGraphqlSchema } from './schema.js';

/** The GraphQL API exists from API v56.0 (Winter '23). */
export const FIRST_GRAPHQL_VERSION = 56;
/** A document with more tokens than this is refused before it is parsed further. */
const MAX_TOKENS = 20_000;

interface CachedSchema {
  objects: ObjectDef[];
  schema: GraphQLSchema;
}

// Kept beside the org, not in it (the state is saved as JSON). Object definitions are replaced, never
// changed in place, when metadata changes: the same definitions mean the same schema.
const schemas = new WeakMap<LocalOrgState['schema'], CachedSchema>();

/** The org's GraphQL schema, built once per version of its metadata. */
export function graphqlSchema(org: LocalOrgState): GraphQLSchema {
  const objects = graphqlObjects(org);
  const cached = schemas.get(org.schema);
  if (
    cached &&
    cached.objects.length === objects.length &&
    cached.objects.every((def, index) => def === objects[index])
  ) {
    return cached.schema;
  }
  const schema = buildGraphqlSchema(org);
  schemas.set(org.schema, { objects, schema });
  return schema;
}

/** A SOQL engine error quotes the SOQL text it was given, which the GraphQL client never wrote: keep the reason. */
function reasonOf(error: SalesforceApiError): string {
  const lines = error.message.split('\n').filter((line) => line.trim() !== '');
  const at = lines.findIndex((line) => /^ERROR at Row:\d+:Column:\d+$/.test(line));
  return at >= 0 ? lines.slice(at + 1).join(' ') || (lines[lines.length - 1] as string) : error.message;
}

function formatError(error: GraphQLError): GraphQLFormattedError {
  const original = error.originalError;
  const formatted = error.toJSON();
  if (original instanceof SalesforceApiError) {
    return {
      ...formatted,
      message: reasonOf(original),
      extensions: {
        ...formatted.extensions,
        errorCode: original.errorCode,
        ErrorType: 'DataFetchingException',
      },
    };
  }
  if (original && error.path) {
    // A bug here, not the request's fault: say so instead of passing a stack-less internal message on.
    return {
      ...formatted,
      message: `The local org (a test double) failed on this field: ${original.message}`,
      extensions: { ...formatted.extensions, ErrorType: 'DataFetchingException' },
    };
  }
  return { ...formatted, extensions: { ...formatted.extensions, ErrorType: 'ValidationError' } };
}

function answer(result: ExecutionResult): RouteReply {
  const body: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors?.length) body.errors = result.errors.map(formatError);
  return { status: 200, body };
}

function errorsOnly(errors: readonly GraphQLError[]): RouteReply {
  return { status: 200, body: { data: null, errors: errors.map(formatError) } };
}

interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

function readRequest(request: RouteRequest): GraphqlRequest {
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8') || 'null');
  } catch (error) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `The request body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new SalesforceApiError(
      400,
      'INVALID_INPUT',
      'The request body must be a JSON object with a "query".',
    );
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '')
    throw new SalesforceApiError(400, 'INVALID_INPUT', 'The request body has no "query" string.');
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  )
    throw new SalesforceApiError(400, 'INVALID_INPUT', '"variables" must be a JSON object.');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    throw new SalesforceApiError(400, 'INVALID_INPUT', '"operationName" must be a string.');
  return {
    query,
    ...(variables ? { variables: variables as Record<string, unknown> } : {}),
    ...(typeof operationName === 'string' ? { operationName } : {}),
  };
}

class RolledBack extends Error {
  constructor(readonly result: ExecutionResult) {
    super('rolled back');
  }
}

export function handleGraphql(request: RouteRequest, org: LocalOrgState): RouteReply {
  const version = request.apiVersion as string;
  if (Number(version) < FIRST_GRAPHQL_VERSION)
    throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (request.method !== 'POST')
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${request.method}' not allowed. Allowed are POST`,
    );
  const { query, variables, operationName } = readRequest(request);
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_TOKENS });
  } catch (error) {
    if (error instanceof GraphQLError) return errorsOnly([error]);
    throw error;
  }
  const schema = graphqlSchema(org);
  const problems = validate(schema, document);
  if (problems.length > 0) return errorsOnly(problems);
  const context: GraphqlContext = { org, version, queries: 0, allOrNone: true };
  const run = () =>
    executeSync({
      schema,
      document,
      contextValue: context,
      ...(variables ? { variableValues: variables } : {}),
      ...(operationName ? { operationName } : {}),
    });
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'mutation') return answer(run());
  // allOrNone (the default): the whole mutation is one transaction, and any error undoes all of it.
  try {
    return answer(
      org.records.transaction(() => {
        const result = run();
        if (context.allOrNone && result.errors?.length) throw new RolledBack(result);
        return result;
      }),
    );
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
    const rolledBack = new GraphQLError(
      'Nothing was saved: allOrNone is true (the default) and an operation failed, so every operation in this mutation was rolled back.',
    );
    return errorsOnly([...(error.result.errors ?? []), rolledBack]);
  }
}
