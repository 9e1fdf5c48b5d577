import { describe, expect, it } from 'vitest';
import {
  DefinitionError,
  apiVersion,
  callChangesOrg,
  definePlugin,
  defineTool,
  isCompatibleApiVersion,
  z,
} from '../src/index.js';

const validTool = {
  name: 'count_things',
  title: 'Count things',
  description: 'Counts things.',
  input: z.object({ what: z.string() }),
  output: z.object({ count: z.number() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga' as const,
  needsOrg: false,
  handler: async () => ({ text: '1', structured: { count: 1 } }),
};

describe('defineTool', () => {
  it('returns a valid tool unchanged', () => {
    expect(defineTool(validTool)).toBe(validTool);
  });

  it.each(['CountThings', 'count-things', '1count', 'count__things', '', 'a'.repeat(65)])(
    'refuses the name %j',
    (name) => {
      expect(() => defineTool({ ...validTool, name })).toThrow(/snake_case/);
    },
  );

  it('refuses a tool without annotations', () => {
    expect(() => defineTool({ ...validTool, annotations: undefined as never })).toThrow(
      /annotations are required/,
    );
  });

  it('refuses a tool with an annotation left unset', () => {
    const { openWorldHint: _omitted, ...partial } = validTool.annotations;
    expect(() => defineTool({ ...validTool, annotations: partial as never })).toThrow(
      /annotations.openWorldHint/,
    );
  });

  it('refuses a read-only tool marked destructive', () => {
    expect(() =>
      defineTool({ ...validTool, annotations: { ...validTool.annotations, destructiveHint: true } }),
    ).toThrow(DefinitionError);
  });

  it('refuses an input that is not a zod object', () => {
    expect(() => defineTool({ ...validTool, input: z.string() as never })).toThrow(
      /input must be a zod object/,
    );
  });

  it('decides per call whether it changes an org, from the input; a decision that throws is a change', async () => {
    const sometimes = defineTool({
      ...validTool,
      annotations: { ...validTool.annotations, readOnlyHint: false },
      changesOrgFor: (input: { what?: string }) => {
        if (input.what === 'boom') throw new Error('boom');
        return input.what === 'write';
      },
    } as never);
    expect(await callChangesOrg(sometimes, { what: 'write' })).toBe(true);
    expect(await callChangesOrg(sometimes, { what: 'read' })).toBe(false);
    expect(await callChangesOrg(sometimes, { what: 'boom' })).toBe(true);
    expect(() => defineTool({ ...validTool, changesOrgFor: () => false } as never)).toThrow(
      /changesOrgFor needs changesOrg true/,
    );
  });

  it('refuses an unknown release', () => {
    expect(() => defineTool({ ...validTool, release: 'beta' as never })).toThrow(/release/);
  });
});

describe('definePlugin', () => {
  const tool = defineTool(validTool);

  it('accepts a plugin with tools', () => {
    const plugin = definePlugin({ toolset: 'things', description: 'Things.', apiVersion, tools: [tool] });
    expect(plugin.tools).toHaveLength(1);
  });

  it('refuses an empty toolset, a bad toolset name and duplicate tools', () => {
    expect(() => definePlugin({ toolset: 'things', description: 'Things.', apiVersion, tools: [] })).toThrow(
      /at least one tool/,
    );
    expect(() => definePlugin({ toolset: 'My Things', description: 'x', apiVersion, tools: [tool] })).toThrow(
      /lower-case/,
    );
    expect(() =>
      definePlugin({ toolset: 'things', description: 'x', apiVersion, tools: [tool, tool] }),
    ).toThrow(/twice/);
  });

  it("accepts aliases of its own tools, and refuses a bad name, a tool's name, a twice-used or dangling alias", () => {
    const base = { toolset: 'things', description: 'x', apiVersion, tools: [tool] };
    const alias = { name: 'other_name', tool: tool.name, arguments: { mode: 'full' } };
    expect(definePlugin({ ...base, aliases: [alias] }).aliases).toEqual([alias]);
    expect(() => definePlugin({ ...base, aliases: [{ ...alias, name: 'Other Name' }] })).toThrow(
      /not a tool name/,
    );
    expect(() => definePlugin({ ...base, aliases: [{ ...alias, name: tool.name }] })).toThrow(/twice/);
    expect(() => definePlugin({ ...base, aliases: [alias, alias] })).toThrow(/twice/);
    expect(() => definePlugin({ ...base, aliases: [{ ...alias, tool: 'missing_tool' }] })).toThrow(
      /names no tool of the plugin \(missing_tool\)/,
    );
  });
});

describe('isCompatibleApiVersion', () => {
  it('accepts the same major with an older or equal minor', () => {
    expect(isCompatibleApiVersion('1.0', '1.0')).toBe(true);
    expect(isCompatibleApiVersion('1.0', '1.3')).toBe(true);
  });

  it('refuses another major, a newer minor and garbage', () => {
    expect(isCompatibleApiVersion('2.0', '1.0')).toBe(false);
    expect(isCompatibleApiVersion('1.4', '1.3')).toBe(false);
    expect(isCompatibleApiVersion('banana', '1.0')).toBe(false);
  });
});
