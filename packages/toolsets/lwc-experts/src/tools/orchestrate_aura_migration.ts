import { LIMITS, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { filesArgument } from '../lib/bundle.js';

/** What orchestrate_aura_migration and transition_prd_to_lwc publish. */
export const migrationOutput = z.object({
  lwcName: z.string(),
  dryRun: z.boolean(),
  written: z.array(z.string()),
  errors: z.number(),
  warnings: z.number(),
  needsDecision: z.number(),
  todos: z.number(),
});

export const orchestrateAuraMigration = defineTool({
  name: 'orchestrate_aura_migration',
  title: 'Migrate an Aura component to LWC',
  description:
    'Converts an Aura component into a new LWC bundle (all or nothing), validates it, lists open decisions. dryRun or files: returns the files.',
  input: z.object({
    componentName: z.string().min(1).max(LIMITS.name).optional().describe('Aura component name'),
    files: filesArgument.optional(),
    path: z.string().min(1).max(LIMITS.path).optional().describe('Aura bundle folder'),
    lwcName: z.string().min(1).max(80).optional().describe('default: the Aura name, lower-case first'),
    dryRun: z.boolean().optional().describe('write nothing'),
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
