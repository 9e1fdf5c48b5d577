import { type AnyObjectSchema, type ToolDefinition, defineTool } from '@sfmcp/plugin-api';

/**
 * The fixture's tools change nothing and reach nothing beyond the client: one set of declarations for all of them.
 * Each still runs through the server's whole call pipeline (validation, policy, output check).
 */
export function fixtureTool<Input extends AnyObjectSchema>(
  tool: Pick<ToolDefinition<Input>, 'name' | 'title' | 'description' | 'input' | 'handler' | 'schemaStyle'>,
): ToolDefinition<Input> {
  return defineTool({
    ...tool,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    release: 'ga',
    needsOrg: false,
  });
}
