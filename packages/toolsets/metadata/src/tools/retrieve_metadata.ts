import { LIMITS, ToolError, defineTool, z, toToolError } from '@sfmcp/plugin-api';
import { DEFAULT_WAIT_MINUTES, metadataEntry, wait } from '../lib/args.js';
import { buildComponentSet, hasSelection } from '../lib/components.js';
import { finishRetrieve, retrieveOutput } from '../lib/retrieve.js';
import { conflictsOf, openTracking } from '../lib/tracking.js';
import { HINTS } from '../lib/hints.js';

export const retrieveMetadata = defineTool({
  name: 'retrieve_metadata',
  title: 'Retrieve metadata into the project',
  description:
    'Retrieves metadata from an org into the DX project in source format, by sourceDir (files/folders), a manifest or metadata names (ApexClass:Foo); none: remote changes on source-tracked orgs. Reports each file as created, changed or unchanged, and conflicts.',
  input: z.object({
    sourceDir: z
      .array(z.string().min(1).max(LIMITS.path))
      .max(LIMITS.items)
      .optional()
      .describe('Files or folders to retrieve, relative to the project.'),
    manifest: z.string().min(1).max(LIMITS.path).optional().describe('Path of a package.xml.'),
    metadata: z
      .array(metadataEntry)
      .max(LIMITS.items)
      .optional()
      .describe('Metadata names, e.g. ApexClass:InvoiceService or CustomObject.'),
    apexTestLevel: z
      .string()
      .max(LIMITS.name)
      .optional()
      .describe('Ignored (kept for @salesforce/mcp compatibility).'),
    apexTests: z
      .array(z.string().max(LIMITS.name))
      .max(LIMITS.items)
      .optional()
      .describe('Ignored (kept for @salesforce/mcp compatibility).'),
    ignoreConflicts: z.boolean().optional().describe('Overwrite local changes without asking.'),
    wait,
  }),
  output: retrieveOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  changesOrg: false,
  release: 'ga',
  needsOrg: true,
  takesDirectory: true,
  async handler(input, ctx) {
    const project = await ctx.project();
    // Checked first (and again before the files are written): nothing is asked of the org for a project
    // that has a link where the retrieve would write.
    await project.assertNoLinks(project.packageDirectories);
    let components = hasSelection(input) ? await buildComponentSet(project, input) : undefined;
    const org = await ctx.org();
    const tracking = await openTracking(org, project).catch(() => undefined);
    if (!components) {
      if (!tracking) {
        throw new ToolError(
          `Nothing to retrieve: no sourceDir, manifest or metadata was given, and ${org.label} does not track source, so there are no remote changes to fetch.`,
          'Pass sourceDir (e.g. ["force-app"]), a manifest, or metadata names (e.g. ["ApexClass", "CustomObject:Invoice__c"]).',
        );
      }
      const { ComponentSet, RegistryAccess } = await import('@salesforce/source-deploy-retrieve');
      const remote = await tracking.getChanges({
        origin: 'remote',
        state: 'nondelete',
        format: 'ChangeResult',
      });
      const registry = new RegistryAccess();
      components = new ComponentSet([], registry);
      for (const change of remote) {
        if (change.type && change.name)
          components.add({ fullName: change.name, type: registry.getTypeByName(change.type) });
      }
      if (components.size === 0) throw new ToolError(`No remote changes to retrieve from ${org.label}.`);
    }
    let conflicts: string[] = [];
    if (tracking) {
      conflicts = await conflictsOf(tracking);
      if (conflicts.length && !input.ignoreConflicts) {
        await ctx.confirm({
          summary: `Retrieve from ${org.label} overwrites local changes in ${conflicts.length} components`,
          details: `Changed both locally and in the org: ${conflicts.join(', ')}`,
        });
      }
    }
    const output = project.packageDirectories[0] ?? project.root;
    let operation;
    try {
      operation = await components.retrieve({ usernameOrConnection: org.connection, output, merge: true });
    } catch (error) {
      throw toToolError(error, {
        hints: HINTS,
        hint: 'Check the metadata names and the manifest.',
        wrapOthers: true,
      });
    }
    const jobId = operation.id ?? '';
    await ctx.progress(0, undefined, `Retrieve ${jobId} queued`);
    return finishRetrieve({
      ctx,
      org,
      project,
      operation,
      components,
      jobId,
      waitMinutes: input.wait ?? DEFAULT_WAIT_MINUTES,
      conflicts,
      ...(tracking ? { afterSuccess: (result) => tracking.updateTrackingFromRetrieve(result) } : {}),
    });
  },
});
