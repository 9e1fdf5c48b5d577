import { LIMITS, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { migrationOutput } from './orchestrate_aura_migration.js';

export const transitionPrdToLwc = defineTool({
  name: 'transition_prd_to_lwc',
  title: 'Plan an Aura component’s LWC',
  description:
    'The migration plan for an Aura component of the project: the LWC bundle’s files with their contents, validated, and the decisions left. Writes nothing (orchestrate_aura_migration writes).',
  input: z.object({
    componentName: z.string().min(1).max(LIMITS.name).describe('the Aura component in the project'),
    lwcName: z
      .string()
      .min(1)
      .max(80)
      .optional()
      .describe('the new LWC (default: the Aura name, lower-case first)'),
  }),
  output: migrationOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const { runMigration } = await import('../lib/aura-blueprint.js');
    await ctx.project();
    const result = await runMigration(ctx, { ...input, dryRun: true });
    return toolResult({ text: result.text, structured: result.structured });
  },
});
