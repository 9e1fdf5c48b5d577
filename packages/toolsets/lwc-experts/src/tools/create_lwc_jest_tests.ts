import { lstat } from 'node:fs/promises';
import { LIMITS, ToolError, defineTool, toolResult, z } from '@sfmcp/plugin-api';
import { filesArgument, loadBundle } from '../lib/bundle.js';

export const createLwcJestTests = defineTool({
  name: 'create_lwc_jest_tests',
  title: 'Create LWC Jest tests',
  description:
    "Writes a component's __tests__/<name>.test.js, generated from its code (@api, wires, Apex, events); with files, returns it.",
  input: z.object({
    componentName: z.string().max(80).optional().describe('Or path, or files'),
    path: z.string().max(LIMITS.path).optional().describe('Bundle folder'),
    files: filesArgument.optional(),
    overwrite: z.boolean().optional().describe('Replace an existing test'),
    name: z.string().max(200).optional().describe('Ignored'),
    client: z.string().max(200).optional().describe('Ignored'),
  }),
  output: z.object({
    component: z.string(),
    testFile: z.string(),
    written: z.boolean(),
    tests: z.number(),
    content: z.string().optional(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  changesOrg: false,
  release: 'ga',
  needsOrg: false,
  takesDirectory: true,
  async handler(input, ctx) {
    if (input.componentName === undefined && input.path === undefined && input.files === undefined)
      throw new ToolError('Name the component: componentName, path or files.', undefined, {
        kind: 'invalid',
      });
    const bundle = await loadBundle(ctx, 'lwc', {
      ...(input.componentName !== undefined ? { componentName: input.componentName } : {}),
      ...(input.path !== undefined ? { path: input.path } : {}),
      ...(input.files !== undefined ? { files: input.files } : {}),
    });
    const { componentModel } = await import('../lib/component-model.js');
    const { generateJestTest } = await import('../lib/jest-generate.js');
    const model = await componentModel(bundle);
    const content = generateJestTest(model);
    const tests = (content.match(/^ {4}it\(/gm) ?? []).length;
    const testName = `__tests__/${bundle.name}.test.js`;
    const covers = describeModel(model);
    if (!bundle.relativeDir)
      return toolResult({
        text: [
          `The Jest test for c/${bundle.name} (${testName}), ${tests} tests ${covers}:`,
          '',
          content,
        ].join('\n'),
        structured: { component: `c/${bundle.name}`, testFile: testName, written: false, tests, content },
      });

    const project = await ctx.project();
    const target = `${bundle.relativeDir}/${testName}`;
    const existing = await lstat(project.resolve(target)).catch(() => undefined);
    if (existing && !input.overwrite)
      throw new ToolError(
        `${target} already exists; nothing was written.`,
        'Pass overwrite: true to replace it, or review it with review_lwc_jest_tests.',
        { kind: 'invalid' },
      );
    if (existing && !existing.isFile())
      throw new ToolError(`${target} is not a file; nothing was written.`, undefined, { kind: 'invalid' });
    await project.writeFile(target, content, { overwrite: Boolean(existing) });
    return toolResult({
      text: [
        `${existing ? 'Replaced' : 'Wrote'} ${target}: ${tests} tests ${covers}.`,
        'Run it with run_lwc_jest_tests.',
      ].join('\n'),
      structured: { component: `c/${bundle.name}`, testFile: target, written: true, tests },
    });
  },
});

function describeModel(model: {
  apiProperties: unknown[];
  apiMethods: unknown[];
  wires: unknown[];
  apex: unknown[];
  events: unknown[];
}): string {
  const parts = [
    model.apiProperties.length && `${model.apiProperties.length} @api properties`,
    model.apiMethods.length && `${model.apiMethods.length} @api methods`,
    model.wires.length && `${model.wires.length} wires`,
    model.apex.length && `${model.apex.length} Apex imports`,
    model.events.length && `${model.events.length} dispatched events`,
  ].filter(Boolean);
  return parts.length
    ? `(covering ${parts.join(', ')})`
    : '(render only: no @api, wire, Apex or events found)';
}
