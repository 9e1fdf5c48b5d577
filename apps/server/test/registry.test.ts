import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli.js';
import { listPlugin } from '../src/listing.js';
import { buildRegistry, checkRegistry, publishTool, selectTools } from '../src/registry.js';
import { samplePlugin } from './fixtures/sample-plugin.js';

const registry = buildRegistry([{ plugin: listPlugin(samplePlugin), source: 'sample' }]);
const names = (options: Parameters<typeof selectTools>[1]) =>
  selectTools(registry, options)
    .map((entry) => entry.tool.name)
    .sort();
const base = { toolsets: 'all' as const, tools: [], allowNonGaTools: false, readOnly: false };

describe('selectTools', () => {
  it('loads GA tools of every toolset by default, preview ones only when allowed', () => {
    expect(names(base)).toEqual(['echo_text', 'fail_loudly', 'page_numbers', 'wipe_things']);
    expect(names({ ...base, allowNonGaTools: true })).toContain('preview_only');
  });

  it('keeps only read-only tools with --read-only', () => {
    expect(names({ ...base, readOnly: true })).toEqual(['echo_text', 'fail_loudly', 'page_numbers']);
  });

  it('loads only the named tools when --tools is given alone', () => {
    expect(names({ ...base, tools: ['echo_text'] })).toEqual(['echo_text']);
  });

  it('names the valid choices for an unknown toolset or tool', () => {
    expect(() => selectTools(registry, { ...base, toolsets: ['nope'] })).toThrow(UsageError);
    expect(() => selectTools(registry, { ...base, toolsets: ['nope'] })).toThrow(
      /Unknown toolset: nope. Valid toolsets: all, sample/,
    );
    expect(() => selectTools(registry, { ...base, tools: ['nope_tool'] })).toThrow(
      /Valid tools: echo_text, fail_loudly/,
    );
  });

  it('asks for --allow-non-ga-tools when a preview tool is named', () => {
    expect(() => selectTools(registry, { ...base, tools: ['preview_only'] })).toThrow(/--allow-non-ga-tools/);
  });
});

describe('buildRegistry', () => {
  it('skips a second plugin whose tool names clash, and says so', () => {
    const clash = listPlugin({ ...samplePlugin, toolset: 'other' });
    const both = buildRegistry([
      { plugin: listPlugin(samplePlugin), source: 'a' },
      { plugin: clash, source: 'b' },
    ]);
    expect(both.toolsets.has('other')).toBe(false);
    expect(both.problems[0]).toMatch(/b: tool echo_text is already provided by a/);
  });
});

describe('publishTool', () => {
  it('publishes JSON schemas without the dialect, adding confirmationToken only to tools that change things', () => {
    const echo = publishTool(samplePlugin.tools[0]!);
    expect(echo.inputSchema).toMatchObject({ type: 'object', required: ['text'] });
    expect(echo.inputSchema).not.toHaveProperty('$schema');
    expect(echo.inputSchema.properties).not.toHaveProperty('confirmationToken');
    expect(publishTool(samplePlugin.tools[1]!).inputSchema.properties).toHaveProperty('confirmationToken');
  });

  it('keeps the sample tools within the registry rules', async () => {
    const selected = selectTools(registry, { ...base, allowNonGaTools: true });
    const tools = await Promise.all(
      selected.map(async (entry) => ({ ...entry, tool: await entry.tool.load() })),
    );
    expect(checkRegistry(tools)).toEqual([]);
  });
});
