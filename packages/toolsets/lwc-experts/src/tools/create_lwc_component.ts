import { lstat } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import { LIMITS, ToolError, defineTool, excerpt, isToolError, toolResult, z } from '@sfmcp/plugin-api';
import { type Bundle, checkBundleName, findBundle, writeNewBundle } from '../lib/bundle.js';
import { PROPERTY_TYPES, TARGETS, type TargetName } from '../lib/scaffold.js';

const targetNames = Object.keys(TARGETS) as [TargetName, ...TargetName[]];

export const createLwcComponent = defineTool({
  name: 'create_lwc_component',
  title: 'Create a Lightning Web Component',
  description:
    'Scaffolds a new LWC from @salesforce/templates: targets, @api properties, record data, an Apex call, a passing Jest test; validated first.',
  input: z.object({
    name: z.string().max(80).describe('camelCase'),
    label: z.string().max(80).optional(),
    description: z.string().max(1000).optional(),
    targets: z.array(z.enum(targetNames)).max(8).optional(),
    objects: z.array(z.string().max(80)).max(50).optional().describe('For record-page/action'),
    properties: z
      .array(
        z.object({
          name: z.string().max(80),
          type: z.enum(PROPERTY_TYPES),
          label: z.string().max(80).optional(),
          default: z.union([z.string().max(255), z.number(), z.boolean()]).optional(),
          required: z.boolean().optional(),
        }),
      )
      .max(30)
      .optional()
      .describe('@api and design properties'),
    recordData: z
      .object({ fields: z.array(z.string().max(255)).min(1).max(50) })
      .optional()
      .describe('getRecord fields: ["Account.Name"]'),
    apexMethod: z.string().max(200).optional().describe('Class.method to call'),
    path: z.string().max(LIMITS.path).optional().describe('lwc folder'),
  }),
  output: z.object({
    component: z.string(),
    files: z.array(z.string()),
    errors: z.number(),
    score: z.number(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  changesOrg: false,
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    const name = checkBundleName('lwc', input.name);
    const project = await ctx.project();
    const lwcFolder = relative(
      project.root,
      input.path !== undefined
        ? project.resolve(input.path)
        : `${project.packageDirectories[0] ?? `${project.root}${sep}force-app`}${sep}main${sep}default${sep}lwc`,
    )
      .split(sep)
      .join('/');
    if (!lwcFolder || lwcFolder.startsWith('..') || basename(lwcFolder) !== 'lwc')
      throw new ToolError(
        `${JSON.stringify(excerpt(input.path ?? lwcFolder))} is not an lwc folder of the project.`,
        'Give a folder named lwc inside a package directory, e.g. force-app/main/default/lwc.',
        { kind: 'invalid' },
      );
    const existingFolder = await lstat(project.resolve(lwcFolder)).catch(() => undefined);
    if (existingFolder && !existingFolder.isDirectory())
      throw new ToolError(`${lwcFolder} is not a folder; nothing was written.`, undefined, {
        kind: 'invalid',
      });
    // An Aura component of the same name clashes too: both live in the c namespace.
    for (const kind of ['lwc', 'aura'] as const)
      try {
        const found = await findBundle(project, kind, name);
        throw new ToolError(
          `A${kind === 'aura' ? 'n Aura' : ''} component named ${name} already exists at ${relative(project.root, found).split(sep).join('/')}; nothing was written.`,
          'Choose another name.',
          { kind: 'invalid' },
        );
      } catch (error) {
        if (!(isToolError(error) && error.kind === 'not-found')) throw error;
      }

    await ctx.progress(0, 3, 'Generating the component');
    const { scaffoldComponent } = await import('../lib/scaffold.js');
    const files = await scaffoldComponent({
      name,
      apiVersion: project.sourceApiVersion ?? '62.0',
      ...(input.label !== undefined ? { label: input.label } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.targets ? { targets: input.targets } : {}),
      ...(input.objects ? { objects: input.objects } : {}),
      ...(input.properties
        ? {
            properties: input.properties.map((property) => ({
              name: property.name,
              type: property.type,
              ...(property.label !== undefined ? { label: property.label } : {}),
              ...(property.default !== undefined ? { default: property.default } : {}),
              ...(property.required !== undefined ? { required: property.required } : {}),
            })),
          }
        : {}),
      ...(input.recordData ? { recordData: input.recordData } : {}),
      ...(input.apexMethod !== undefined ? { apexMethod: input.apexMethod } : {}),
    });
    const bundle: Bundle = { kind: 'lwc', name, files };
    const { componentModel } = await import('../lib/component-model.js');
    const { generateJestTest } = await import('../lib/jest-generate.js');
    files.set(`__tests__/${name}.test.js`, generateJestTest(await componentModel(bundle)));

    await ctx.progress(1, 3, 'Validating it');
    const { validateBundle, formatFinding } = await import('../lib/validate.js');
    const report = await validateBundle(bundle, {
      ...(project.sourceApiVersion ? { apiVersion: project.sourceApiVersion } : {}),
      signal: ctx.signal,
    });
    const errors = report.findings.filter((finding) => finding.severity === 'error');
    const warnings = report.findings.length - errors.length;
    if (errors.length)
      throw new ToolError(
        `The generated ${name} does not validate (a defect of this tool; nothing was written):\n${errors.map(formatFinding).join('\n')}`,
        'Report it; meanwhile create the component with fewer options.',
        { kind: 'failed' },
      );

    await ctx.progress(2, 3, 'Writing it');
    const relativeDir = `${lwcFolder}/${name}`;
    const written = await writeNewBundle(project, relativeDir, files);
    const notes: string[] = [];
    if (input.apexMethod)
      notes.push(
        `${input.apexMethod} is called without arguments from connectedCallback and Refresh; it must be @AuraEnabled, and its results are shown by Id and Name: adapt handleRefresh to its parameters and return type.`,
      );
    if (
      input.recordData ||
      input.targets?.some((target) => target === 'record-page' || target === 'record-action')
    )
      notes.push('recordId is set by the record page; elsewhere pass it in.');
    return toolResult({
      text: [
        `Created c/${name} in ${relativeDir}:`,
        ...written.map((file) => `- ${file}`),
        `Validation: ${errors.length} errors, ${warnings} warnings, readiness ${report.score}/100.`,
        ...report.findings.map(formatFinding),
        ...notes,
        'Run its Jest test with run_lwc_jest_tests.',
      ].join('\n'),
      structured: {
        component: `c/${name}`,
        files: written,
        errors: errors.length,
        score: report.score,
      },
    });
  },
});
