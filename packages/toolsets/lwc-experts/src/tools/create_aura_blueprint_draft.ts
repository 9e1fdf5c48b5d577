import { LIMITS, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { filesArgument } from '../lib/bundle.js';

export const createAuraBlueprintDraft = defineTool({
  name: 'create_aura_blueprint_draft',
  title: 'Aura component blueprint',
  description: 'Maps each part of an Aura bundle to its LWC equivalent, or flags the decision it needs.',
  input: z.object({
    componentName: z.string().min(1).max(LIMITS.name).optional().describe('Aura component name'),
    files: filesArgument.optional(),
    path: z.string().min(1).max(LIMITS.path).optional().describe('Aura bundle folder'),
  }),
  output: z.object({
    component: z.string(),
    lwcName: z.string(),
    counts: z.record(z.string(), z.number()),
    parts: z.array(
      z.object({
        area: z.string(),
        aura: z.string(),
        lwc: z.string(),
        needsDecision: z.object({ code: z.string(), reason: z.string() }).optional(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const { analyzeAura, countsOf, formatBlueprint } = await import('../lib/aura-blueprint.js');
    const { blueprint } = await analyzeAura(ctx, input);
    return toolResult({
      text: `${formatBlueprint(blueprint)}\n\nNext: enhance_aura_blueprint_draft with this blueprint for the decisions and recommended answers; orchestrate_aura_migration (dryRun: true to preview) to write the LWC.`,
      structured: {
        component: blueprint.component,
        lwcName: blueprint.lwcName,
        counts: countsOf(blueprint),
        parts: blueprint.parts,
      },
    });
  },
});
