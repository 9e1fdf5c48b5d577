import { LIMITS, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { migrationOutput } from './orchestrate_aura_migration.js';

const planOutput = migrationOutput.omit({ dryRun: true, written: true });

export const transitionPrdToLwc = defineTool({
  name: 'transition_prd_to_lwc',
  title: 'Plan an Aura component’s LWC',
  description:
    'The LWC an Aura component of the project would become (files, validated; open decisions); writes nothing.',
  input: z.object({
    componentName: z.string().min(1).max(LIMITS.name).describe('Aura component name'),
    lwcName: z.string().min(1).max(80).optional().describe('default: the Aura name, lower-case first'),
  }),
  output: planOutput,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const { runMigration } = await import('../lib/aura-blueprint.js');
    await ctx.project();
    const result = await runMigration(ctx, { ...input, dryRun: true });
    const { dryRun: _dryRun, written: _written, ...structured } = result.structured;
    return toolResult({ text: result.text, structured });
  },
});
