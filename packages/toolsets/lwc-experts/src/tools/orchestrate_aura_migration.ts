import { LIMITS, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { filesArgument } from '../lib/bundle.js';

/** What orchestrate_aura_migration and transition_prd_to_lwc publish. */
export const migrationOutput = z.object({
  component: z.string(),
  lwcName: z.string(),
  dryRun: z.boolean(),
  written: z.array(z.string()),
  files: z.array(z.object({ file: z.string(), bytes: z.number() })),
  messageChannels: z.array(z.string()),
  errors: z.number(),
  warnings: z.number(),
  score: z.number(),
  needsDecision: z.number(),
  todos: z.number(),
});

export const orchestrateAuraMigration = defineTool({
  name: 'orchestrate_aura_migration',
  title: 'Migrate an Aura component to LWC',
  description:
    'Converts an Aura component into a new LWC bundle in the project (all files or none; an existing one refused), then validates it and lists what needs a human decision. With files or dryRun: the files as text.',
  input: z.object({
    componentName: z
      .string()
      .min(1)
      .max(LIMITS.name)
      .optional()
      .describe('the Aura component (found in the project)'),
    files: filesArgument.optional(),
    path: z.string().min(1).max(LIMITS.path).optional().describe('the Aura bundle folder in the project'),
    lwcName: z
      .string()
      .min(1)
      .max(80)
      .optional()
      .describe('the new LWC (default: the Aura name, lower-case first)'),
    dryRun: z.boolean().optional().describe('show the files, write nothing'),
  }),
  output: migrationOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  changesOrg: false,
  async handler(input, ctx) {
    const { runMigration } = await import('../lib/aura-blueprint.js');
    const result = await runMigration(ctx, input);
    return toolResult({ text: result.text, structured: result.structured });
  },
});
