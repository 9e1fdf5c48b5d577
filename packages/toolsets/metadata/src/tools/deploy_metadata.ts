import { readFile } from 'node:fs/promises';
import { LIMITS, ToolError, defineTool, z, toToolError } from '@sfmcp/plugin-api';
import { DEFAULT_WAIT_MINUTES, metadataEntry, wait } from '../lib/args.js';
import { buildComponentSet, destructiveMembers, existingPath, hasSelection } from '../lib/components.js';
import { deployOutput, finishDeploy } from '../lib/deploy.js';
import { conflictsOf, openTracking } from '../lib/tracking.js';
import { HINTS } from '../lib/hints.js';

export const deployMetadata = defineTool({
  name: 'deploy_metadata',
  title: 'Deploy metadata to an org',
  description:
    'Deploys project source (sourceDir, a manifest, or names like ApexClass:Foo; none: local changes on source-tracked orgs); checkOnly validates. Returns per-component results with errors (file, line), test failures, coverage; after `wait` minutes, the job id to resume.',
  input: z.object({
    sourceDir: z
      .array(z.string().min(1).max(LIMITS.path))
      .max(LIMITS.items)
      .optional()
      .describe('Files or folders to deploy, relative to the project.'),
    manifest: z.string().min(1).max(LIMITS.path).optional().describe('Path of a package.xml.'),
    metadata: z
      .array(metadataEntry)
      .max(LIMITS.items)
      .optional()
      .describe('Metadata names, e.g. ApexClass:InvoiceService.'),
    destructiveChanges: z
      .string()
      .min(1)
      .max(LIMITS.path)
      .optional()
      .describe('destructiveChanges.xml: components to delete after the deploy (asks for confirmation).'),
    apexTestLevel: z
      .enum(['NoTestRun', 'RunSpecifiedTests', 'RunLocalTests', 'RunAllTestsInOrg'])
      .optional()
      .describe('Apex tests to run.'),
    apexTests: z
      .array(z.string().min(1).max(LIMITS.name))
      .max(LIMITS.items)
      .optional()
      .describe('Test classes to run (RunSpecifiedTests).'),
    checkOnly: z.boolean().optional().describe('Validate without saving; quick_deploy it later.'),
    ignoreConflicts: z.boolean().optional().describe('Overwrite newer org changes without asking.'),
    wait,
  }),
  output: deployOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  release: 'ga',
  needsOrg: true,
  takesDirectory: true,
  async handler(input, ctx) {
    const project = await ctx.project();
    if (input.apexTests?.length && input.apexTestLevel && input.apexTestLevel !== 'RunSpecifiedTests') {
      throw new ToolError(
        `apexTests need apexTestLevel RunSpecifiedTests (or none), not ${input.apexTestLevel}.`,
      );
    }
    if (input.apexTestLevel === 'RunSpecifiedTests' && !input.apexTests?.length) {
      throw new ToolError('apexTestLevel RunSpecifiedTests needs apexTests: the test classes to run.');
    }
    // Paths are checked before anything else happens, and before the org is opened.
    const selected = hasSelection(input);
    let components = selected ? await buildComponentSet(project, input) : undefined;
    const org = await ctx.org();
    const tracking = await openTracking(org, project).catch(() => undefined);
    if (!components) {
      if (!tracking) {
        throw new ToolError(
          `Nothing to deploy: no sourceDir, manifest or metadata was given, and ${org.label} does not track source, so there are no "local changes" to deploy.`,
          'Pass sourceDir (e.g. ["force-app"]), a manifest, or metadata names.',
        );
      }
      const [changes] = await tracking.localChangesAsComponentSet(false);
      if (!changes || changes.size === 0) {
        throw new ToolError(
          `No local changes to deploy to ${org.label}: the project and the org are in sync.`,
        );
      }
      components = changes;
    }
    if (components.getSourceComponents().toArray().length === 0 && !input.destructiveChanges) {
      throw new ToolError(
        'None of the selected components has source in the project: nothing to deploy.',
        'Retrieve them first, or check the paths and names.',
      );
    }

    // The review step, before the org changes: deletions, and overwriting changes made in the org since the last sync.
    const preview: string[] = [];
    let deletions: string[] = [];
    if (input.destructiveChanges) {
      const xml = await readFile(
        existingPath(project, input.destructiveChanges, 'destructive changes file'),
        'utf8',
      );
      const members = destructiveMembers(xml);
      deletions = members;
      preview.push(`Deletes from ${org.label}: ${members.join(', ') || '(nothing listed)'}`);
    }
    if (tracking && !input.ignoreConflicts) {
      const conflicts = await conflictsOf(tracking);
      if (conflicts.length)
        preview.push(`Overwrites changes made in the org since the last sync: ${conflicts.join(', ')}`);
    }
    if (preview.length) {
      await ctx.confirm({
        summary: `${deploySummary(components, deletions)} in ${org.label}${input.checkOnly ? ' (validation only)' : ''}`,
        details: preview.join('\n'),
      });
    }

    const testLevel = input.apexTestLevel ?? (input.apexTests?.length ? 'RunSpecifiedTests' : undefined);
    let operation;
    try {
      operation = await components.deploy({
        usernameOrConnection: org.connection,
        apiOptions: {
          checkOnly: input.checkOnly ?? false,
          ...(testLevel ? { testLevel } : {}),
          ...(input.apexTests?.length ? { runTests: input.apexTests } : {}),
        },
      });
    } catch (error) {
      throw toToolError(error, { hints: HINTS, wrapOthers: true });
    }
    const jobId = operation.id ?? '';
    await ctx.progress(0, undefined, `Deploy ${jobId} queued`);
    return finishDeploy(
      ctx,
      org,
      project,
      { operation, components },
      jobId,
      input.wait ?? DEFAULT_WAIT_MINUTES,
      tracking && !input.checkOnly ? (result) => tracking.updateTrackingFromDeploy(result) : undefined,
    );
  },
});

/**
 * What a deploy will do, counted apart: the components it deploys and the ones it deletes (a set built
 * with destructive changes holds the deletions too, so its size is not what is deployed).
 */
function deploySummary(
  components: Iterable<{ fullName: string; type: { name: string } }>,
  deletions: string[],
): string {
  const deleted = new Set(deletions.map((member) => member.toLowerCase()));
  let deployed = 0;
  for (const component of components)
    if (!deleted.has(`${component.type.name}:${component.fullName}`.toLowerCase())) deployed += 1;
  const plural = (count: number) => `${count} component${count === 1 ? '' : 's'}`;
  if (deletions.length === 0) return `Deploy ${plural(deployed)}`;
  const named = deletions.map((member) => member.replace(':', ' ')).join(', ');
  return `Deploy ${plural(deployed)} and delete ${deletions.length}: ${named}`;
}
