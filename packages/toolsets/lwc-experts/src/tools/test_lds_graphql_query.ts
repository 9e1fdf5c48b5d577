import { LIMITS, ToolError, budgetAfter, defineTool, excerpt, toolResult, z } from '@sfmcp/plugin-api';
import {
  apiVersionArgument,
  chooseOperation,
  errorLine,
  graphqlVersion,
  parseDocument,
  postGraphql,
  renderData,
} from '../lib/graphql.js';

/** Variables as an object, or as the JSON text of one (some clients send strings). */
function variablesOf(
  value: Record<string, unknown> | string | undefined,
): Record<string, unknown> | undefined {
  if (value === undefined || typeof value === 'object') return value;
  if (value.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ToolError('variables is not valid JSON.', 'Pass an object such as {"first": 5}.', {
      kind: 'invalid',
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ToolError('variables must be a JSON object.', 'Pass an object such as {"first": 5}.', {
      kind: 'invalid',
    });
  return parsed as Record<string, unknown>;
}

const output = z.object({
  operation: z.enum(['query', 'mutation']),
  errors: z.array(
    z.object({
      message: z.string(),
      line: z.number().optional(),
      column: z.number().optional(),
      path: z.string().optional(),
    }),
  ),
  connections: z.array(
    z.object({
      path: z.string(),
      rows: z.number(),
      totalCount: z.number().optional(),
      hasNextPage: z.boolean().optional(),
      endCursor: z.string().optional(),
    }),
  ),
  /** The answer's data, when it fits the response budget. */
  data: z.unknown().optional(),
});

export const testLdsGraphqlQuery = defineTool({
  name: 'test_lds_graphql_query',
  title: 'Test an LDS GraphQL query',
  description:
    "Checks a GraphQL document's syntax, then runs it on the org: records as tables, errors with locations. Mutations are reviewed.",
  input: z.object({
    query: z.string().min(1).max(LIMITS.query).describe('GraphQL document'),
    operation: z.string().max(LIMITS.name).optional().describe('Operation name, or query / mutation'),
    variables: z
      .union([z.record(z.string(), z.unknown()), z.string().max(LIMITS.source)])
      .optional()
      .describe('Variables'),
    apiVersion: apiVersionArgument,
  }),
  output,
  // One tool runs queries and mutations: it may change the org, and each call says whether it does, so the
  // production guard applies to mutations and queries may read production.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async changesOrgFor(input) {
    return chooseOperation(await parseDocument(input.query), input.operation).kind !== 'query';
  },
  release: 'ga',
  needsOrg: true,
  takesDirectory: true,
  confirms: true,
  async handler(input, ctx) {
    const variables = variablesOf(input.variables);
    const document = await parseDocument(input.query);
    const chosen = chooseOperation(document, input.operation);
    if (chosen.kind === 'subscription')
      throw new ToolError("Salesforce's GraphQL API has no subscriptions.", 'Use a query or a mutation.', {
        kind: 'invalid',
      });
    const org = await ctx.org();
    const version = graphqlVersion(org, input.apiVersion);
    if (chosen.kind === 'mutation') {
      const half = Math.floor(budgetAfter(ctx) / 2);
      const shownVariables = variables ? `\nVariables: ${excerpt(JSON.stringify(variables), 2_000)}` : '';
      await ctx.confirm({
        summary: `Run a GraphQL mutation (${chosen.fields.join(', ') || 'no fields'}) on ${org.label}`,
        details: `${excerpt(input.query, Math.max(200, half - shownVariables.length))}${shownVariables}`,
      });
    }
    const answer = await postGraphql(org, version, {
      query: input.query,
      ...(variables ? { variables } : {}),
      ...(chosen.name ? { operationName: chosen.name } : {}),
    });
    const errors = answer.errors.map((error) => ({
      message: error.message,
      ...(error.locations?.[0] ? { line: error.locations[0].line, column: error.locations[0].column } : {}),
      ...(error.path?.length ? { path: error.path.join('.') } : {}),
    }));
    const errorLines = answer.errors.map((error) => `- ${errorLine(error)}`);
    if (!answer.data || Object.values(answer.data).every((value) => value === null)) {
      throw new ToolError(
        `The org answered the GraphQL ${chosen.kind} with ${answer.errors.length || 'no'} error${answer.errors.length === 1 ? '' : 's'} and no data:\n${errorLines.join('\n') || '- (no message)'}`,
        chosen.kind === 'mutation' ? 'Nothing was changed.' : 'Fix the document and call again.',
        { kind: 'salesforce', code: 'GRAPHQL_ERRORS' },
      );
    }
    const headline = `GraphQL ${chosen.kind}${chosen.name ? ` ${chosen.name}` : ''} on API v${version}: ${answer.errors.length ? `${answer.errors.length} error${answer.errors.length === 1 ? '' : 's'}` : 'no errors'}.`;
    const errorText = errorLines.length ? `Errors:\n${errorLines.join('\n')}` : '';
    const budget = budgetAfter(ctx, headline, errorText);
    // Half for the text, half for the data in structuredContent (left out when it does not fit).
    const rendered = renderData(answer.data, Math.floor(budget / 2));
    const dataJson = JSON.stringify(answer.data);
    const dataFits = Buffer.byteLength(dataJson) <= Math.floor(budget / 2);
    const text = [headline];
    if (errorText) text.push(errorText);
    text.push(rendered.text || '(no data)');
    if (!dataFits)
      text.push('The full data is too long for this answer: the tables above are what is shown.');
    return toolResult({
      text: text.join('\n'),
      structured: {
        operation: chosen.kind,
        errors,
        connections: rendered.connections,
        ...(dataFits ? { data: answer.data } : {}),
      },
      org,
    });
  },
});
