import { defineTool, toolResult, z } from '@sfmcp/plugin-api';

export const enhanceAuraBlueprintDraft = defineTool({
  name: 'enhance_aura_blueprint_draft',
  title: 'Enhance an Aura blueprint',
  description:
    'Adds the decisions to make, with recommended answers, and the LWC file plan to a create_aura_blueprint_draft blueprint or free text.',
  input: z.object({
    draftPrd: z.string().min(1).max(200_000).describe('the blueprint text or JSON, or free text'),
  }),
  output: z.object({
    component: z.string().optional(),
    derivedFrom: z.enum(['json', 'text', 'free-text']),
    decisions: z.array(
      z.object({
        code: z.string(),
        question: z.string(),
        recommendation: z.string(),
        affects: z.array(z.string()),
      }),
    ),
    filePlan: z.array(z.object({ file: z.string(), purpose: z.string() })),
    notDerived: z.array(z.string()),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  async handler(input) {
    const { enhanceDraft, formatEnhanced } = await import('../lib/aura-blueprint.js');
    const enhanced = enhanceDraft(input.draftPrd);
    return toolResult({
      text: formatEnhanced(enhanced),
      structured: {
        ...(enhanced.component ? { component: enhanced.component } : {}),
        derivedFrom: enhanced.derivedFrom,
        decisions: enhanced.decisions,
        filePlan: enhanced.filePlan,
        notDerived: enhanced.notDerived,
      },
    });
  },
});
