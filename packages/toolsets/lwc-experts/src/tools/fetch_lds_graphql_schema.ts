import { relative, sep } from 'node:path';
import { LIMITS, ToolError, defineTool, excerpt, toolResult, z } from '@sfmcp/plugin-api';
import { apiVersionArgument, errorLine, graphqlVersion, postGraphql } from '../lib/graphql.js';

/** @salesforce/mcp's default: `schema.graphql` at the project root, where codegen and ESLint configs look. */
const DEFAULT_OUTPUT = 'schema.graphql';
const SCHEMA_FILE = /\.(graphql|graphqls|gql)$/i;

const output = z.object({ path: z.string(), bytes: z.number(), types: z.number(), objects: z.number() });

export const fetchLdsGraphqlSchema = defineTool({
  name: 'fetch_lds_graphql_schema',
  title: 'Fetch the org GraphQL schema',
  description:
    "Writes the org's GraphQL schema as SDL to a project file (default schema.graphql); returns a summary.",
  input: z.object({
    outputPath: z.string().min(1).max(LIMITS.path).optional().describe('A .graphql file in the project'),
    apiVersion: apiVersionArgument,
  }),
  output,
  // Reads the org; writes one file in the project (replacing the schema file it wrote before).
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  changesOrg: false,
  release: 'ga',
  needsOrg: true,
  takesDirectory: true,
  async handler(input, ctx) {
    const project = await ctx.project();
    const target = input.outputPath ?? DEFAULT_OUTPUT;
    // Checked before the org is asked anything: a path outside the project is refused with nothing written.
    const absolute = project.resolve(target);
    const shown = relative(project.root, absolute).split(sep).join('/');
    if (!SCHEMA_FILE.test(absolute))
      throw new ToolError(
        `Refused: ${excerpt(target)} is not a GraphQL schema file name; the schema is written only to a .graphql (or .graphqls, .gql) file.`,
        `Leave outputPath out (${DEFAULT_OUTPUT}) or name a .graphql file.`,
        { kind: 'refused' },
      );

    const org = await ctx.org();
    const version = graphqlVersion(org, input.apiVersion);
    const { buildClientSchema, getIntrospectionQuery, printSchema, isObjectType, isIntrospectionType } =
      await import('graphql');
    const answer = await postGraphql(org, version, {
      query: getIntrospectionQuery({ descriptions: true }),
      operationName: 'IntrospectionQuery',
    });
    if (answer.errors.length || !answer.data) {
      throw new ToolError(
        `The org did not answer the introspection query: ${answer.errors.map(errorLine).join('; ') || 'no data'}`,
        'Nothing was written.',
        { kind: 'salesforce', code: 'GRAPHQL_ERRORS' },
      );
    }
    let sdl: string;
    let types = 0;
    let objects = 0;
    try {
      const schema = buildClientSchema(answer.data as never);
      sdl = printSchema(schema);
      const named = Object.values(schema.getTypeMap()).filter((type) => !isIntrospectionType(type));
      types = named.length;
      // Record types are the fields of uiapi.query (RecordQuery).
      const uiapi = schema.getQueryType()?.getFields().uiapi?.type;
      const uiapiType = uiapi && 'ofType' in uiapi ? uiapi.ofType : uiapi;
      const recordQuery = isObjectType(uiapiType) ? uiapiType.getFields().query?.type : undefined;
      const recordQueryType = recordQuery && 'ofType' in recordQuery ? recordQuery.ofType : recordQuery;
      objects = isObjectType(recordQueryType) ? Object.keys(recordQueryType.getFields()).length : 0;
    } catch (error) {
      throw new ToolError(
        `The org's introspection answer is not a schema graphql-js can read: ${(error as Error).message}`,
        'Nothing was written.',
        { kind: 'failed' },
      );
    }
    const content = `${sdl}\n`;
    await project.writeFile(absolute, content, { overwrite: true });
    const bytes = Buffer.byteLength(content);
    const lines = content.split('\n').length - 1;
    const text = [
      `Wrote the GraphQL schema (API v${version}) to ${shown}: ${lines.toLocaleString('en-US')} lines, ${Math.round(bytes / 1024).toLocaleString('en-US')} KB; ${types} types, ${objects} record objects under uiapi.query.`,
      `Point codegen (schema: ${shown}), .graphqlrc.yml or the ESLint GraphQL plugin at this file; fetch it again after the org's objects or fields change.`,
    ].join('\n');
    return toolResult({
      text,
      structured: { path: shown, bytes, types, objects },
      org,
    });
  },
});
