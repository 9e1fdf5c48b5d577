import { relative } from 'node:path';
import { LIMITS, ToolError, defineTool, toolResult, z, toToolError } from '@sfmcp/plugin-api';
import { metadataEntry } from '../lib/args.js';
import { buildComponentSet } from '../lib/components.js';
import { HINTS } from '../lib/hints.js';

export const generateManifest = defineTool({
  name: 'generate_manifest',
  title: 'Generate a package.xml',
  description:
    'Writes a package.xml for source paths and/or metadata names (ApexClass:Foo, CustomObject), for deploy_metadata or retrieve_metadata. Changes no org.',
  input: z.object({
    sourceDir: z
      .array(z.string().min(1).max(LIMITS.path))
      .max(LIMITS.items)
      .optional()
      .describe('Files or folders, relative to the project.'),
    metadata: z
      .array(metadataEntry)
      .max(LIMITS.items)
      .optional()
      .describe('Metadata names, e.g. ApexClass:InvoiceService.'),
    outputFile: z
      .string()
      .min(1)
      .max(LIMITS.path)
      .optional()
      .describe('Where to write it (default manifest/package.xml).'),
    overwrite: z.boolean().optional().describe('Replace an existing file.'),
    apiVersion: z
      .string()
      .max(8)
      .regex(/^\d+\.0$/)
      .optional()
      .describe('Package version, e.g. 62.0 (default: the project’s).'),
  }),
  output: z.object({ file: z.string(), types: z.record(z.string(), z.array(z.string())), xml: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  changesOrg: false,
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    if (!input.sourceDir?.length && !input.metadata?.length) {
      throw new ToolError('Pass sourceDir and/or metadata: what the manifest should list.');
    }
    const project = await ctx.project();
    // Both selections: the union of what each names.
    const sets = [];
    if (input.sourceDir?.length) sets.push(await buildComponentSet(project, { sourceDir: input.sourceDir }));
    if (input.metadata?.length) sets.push(await buildComponentSet(project, { metadata: input.metadata }));
    const [components, ...rest] = sets;
    if (!components) throw new ToolError('Nothing selected.');
    for (const other of rest) for (const component of other) components.add(component);
    if (components.size === 0) throw new ToolError('The selection names no components.');
    components.sourceApiVersion = input.apiVersion ?? project.sourceApiVersion ?? components.sourceApiVersion;
    let xml: string;
    try {
      xml = await components.getPackageXml();
    } catch (error) {
      throw toToolError(error, { hints: HINTS, wrapOthers: true });
    }
    const types: Record<string, string[]> = {};
    for (const entry of (await components.getObject()).Package.types) types[entry.name] = entry.members;
    const written = await project.writeFile(input.outputFile ?? 'manifest/package.xml', xml, {
      overwrite: input.overwrite ?? false,
    });
    const file = relative(project.root, written);
    const summary = Object.entries(types).map(
      ([type, members]) => `${type} (${members.length}): ${members.join(', ')}`,
    );
    return toolResult({ text: `Wrote ${file}:\n${summary.join('\n')}`, structured: { file, types, xml } });
  },
});
