import { describe, expect, it } from 'vitest';
import { defineTool, z } from '../src/index.js';
import { publishTool } from '../src/manifest.js';

// What tools/list shows costs the model bytes: bounds the server enforces are not published, and an output
// schema is outlined (the fields and their fields' types) while the server checks results against the whole.
const deployLike = defineTool({
  name: 'deploy_like',
  title: 'Deploy-like',
  release: 'ga',
  needsOrg: false,
  description: 'A tool with nested output.',
  input: z.object({ name: z.string().min(1).max(80), tags: z.array(z.string()).max(5).optional() }),
  output: z.object({
    status: z.enum(['Succeeded', 'Failed']),
    counts: z.object({ ok: z.number(), failed: z.number() }),
    components: z.array(
      z.object({
        type: z.string(),
        fullName: z.string(),
        problem: z.object({ line: z.number() }).optional(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  publishOutput: true,
  async handler() {
    return {
      text: '',
      structured: { status: 'Succeeded' as const, counts: { ok: 1, failed: 0 }, components: [] },
    };
  },
});

describe('published schemas', () => {
  it('leave out the bounds the server enforces (minLength, maxLength, maxItems)', () => {
    const input = JSON.stringify(publishTool(deployLike).inputSchema);
    expect(input).not.toMatch(/minLength|maxLength|maxItems/);
    expect(publishTool(deployLike).inputSchema).toMatchObject({ required: ['name'] });
  });

  it('outline the output: its fields, each as its type only', () => {
    expect(publishTool(deployLike).outputSchema).toEqual({
      type: 'object',
      properties: { status: { type: 'string' }, counts: { type: 'object' }, components: { type: 'array' } },
    });
  });

  it('leave out bounds and patterns on inputs, and the hints a read-only tool does not need', () => {
    const bounded = defineTool({
      ...deployLike,
      input: z.object({ id: z.string().regex(/^[a-z]+$/), count: z.number().int().min(1).max(9) }),
    });
    expect(JSON.stringify(publishTool(bounded).inputSchema)).not.toMatch(/pattern|minimum|maximum/);
    expect(publishTool(bounded).annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    const writer = defineTool({
      ...deployLike,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    });
    expect(publishTool(writer).annotations).toEqual({
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: true,
    });
  });

  it('leave the output schema unlisted unless publishOutput is true (the server still checks results against it)', () => {
    const { publishOutput: _listed, ...byDefault } = deployLike;
    expect(publishTool(defineTool(byDefault)).outputSchema).toBeUndefined();
    const textual = defineTool({ ...deployLike, publishOutput: false });
    expect(publishTool(textual).outputSchema).toBeUndefined();
    expect(publishTool(textual).inputSchema).toEqual(publishTool(deployLike).inputSchema);
    expect(textual.output).toBe(deployLike.output);
    expect(() => defineTool({ ...deployLike, publishOutput: 'no' as never })).toThrow(/publishOutput/);
  });

  it('publish the whole schema for schemaStyle full', () => {
    const full = publishTool({ ...deployLike, schemaStyle: 'full' });
    expect(JSON.stringify(full.outputSchema)).toContain('"fullName"');
    expect(JSON.stringify(full.inputSchema)).toContain('"maxLength":80');
  });
});
