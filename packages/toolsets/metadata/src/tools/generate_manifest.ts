import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { ToolError, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { directory, metadataEntry } from '../lib/args.js';
import { buildComponentSet } from '../lib/components.js';
import { toToolError } from '../lib/errors.js';

export const generateManifest = defineTool({
  name: 'generate_manifest',
  title: 'Generate a package.xml',
  description:
    'Writes a package.xml for source paths and/or metadata names (ApexClass:Foo, CustomObject), for deploy_metadata or retrieve_metadata. Changes no org.',
  input: z.object({
    sourceDir: z.array(z.string().min(1)).optional().describe('Files or folders, relative to the project.'),
    metadata: z.array(metadataEntry).optional().describe('Metadata names, e.g. ApexClass:InvoiceService.'),
    outputFile: z.string().min(1).optional().describe('Where to write it (default manifest/package.xml).'),
    overwrite: z.boolean().optional().describe('Replace an existing file.'),
    apiVersion: z
      .string()
      .regex(/^\d+\.0$/)
      .optional()
      .describe('Package version, e.g. 62.0 (default: the project’s).'),
    directory,
  }),
  output: z.object({ file: z.string(), types: z.record(z.string(), z.array(z.string())), xml: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  changesOrg: false,
  release: 'ga',
  needsOrg: false,
  async handler(input, ctx) {
    if (!input.sourceDir?.length && !input.metadata?.length) {
      throw new ToolError('Pass sourceDir and/or metadata: what the manifest should list.');
    }
    const project = await ctx.project(input.directory);
    const target = project.resolve(input.outputFile ?? 'manifest/package.xml');
    if (existsSync(target) && !input.overwrite) {
      throw new ToolError(
        `Refused: ${relative(project.root, target)} already exists. Nothing was written.`,
        'Choose another outputFile, or pass overwrite: true.',
      );
    }
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
      throw toToolError(error);
    }
    const types: Record<string, string[]> = {};
    for (const entry of (await components.getObject()).Package.types) types[entry.name] = entry.members;
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    await writeFile(partial, xml);
    await rename(partial, target);
    const file = relative(project.root, target);
    const summary = Object.entries(types).map(
      ([type, members]) => `${type} (${members.length}): ${members.join(', ')}`,
    );
    return toolResult({ text: `Wrote ${file}:\n${summary.join('\n')}`, structured: { file, types, xml } });
  },
});
