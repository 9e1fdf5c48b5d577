import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { effectiveInputSchema, publishTool } from '@sfmcp/plugin-api/manifest';
import { checkReadmeToolTable, checkToolSnapshots } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_GUIDE_TOOLS } from '../src/guides/index.js';
import plugin from '../src/index.js';

const official = JSON.parse(
  readFileSync(
    new URL('../../../../apps/sfmcp/test/fixtures/official-tools-0.30.15.json', import.meta.url),
    'utf8',
  ),
) as { tools: { toolset: string; name: string; release: string; arguments: Record<string, string> }[] };

describe('@sfmcp/lwc-experts', () => {
  it('keeps its tool snapshots and README table current', () => {
    expect(checkToolSnapshots({ plugin, dir: new URL('../__toolsnaps__', import.meta.url) })).toEqual([]);
    expect(
      checkReadmeToolTable({ tools: plugin.tools, readme: new URL('../README.md', import.meta.url) }),
    ).toEqual([]);
  });

  it('costs the model at most 12 KB of tools/list, descriptions short', () => {
    const bytes = plugin.tools.reduce(
      (sum, tool) => sum + Buffer.byteLength(JSON.stringify(publishTool(tool))),
      0,
    );
    expect(bytes).toBeLessThanOrEqual(12 * 1024);
    for (const tool of plugin.tools) expect(tool.description.length, tool.name).toBeLessThan(300);
  });

  it("answers every one of @salesforce/mcp's LWC and Aura tools: ours by name, its guides through get_lwc_guide", () => {
    const ours = new Set([
      ...plugin.tools.map((tool) => tool.name),
      ...(plugin.aliases ?? []).map((a) => a.name),
    ]);
    const theirs = official.tools.filter(
      (tool) => tool.toolset === 'lwc-experts' || tool.toolset === 'aura-experts',
    );
    expect(theirs.filter((tool) => !ours.has(tool.name)).map((tool) => tool.name)).toEqual([]);
    for (const alias of plugin.aliases ?? []) {
      expect(alias.tool).toBe('get_lwc_guide');
      expect(OFFICIAL_GUIDE_TOOLS[alias.name], alias.name).toBeDefined();
    }
    // Their arguments, for the tools both have by name.
    for (const tool of theirs) {
      const mine = plugin.tools.find((candidate) => candidate.name === tool.name);
      if (!mine) continue;
      const shape = Object.keys(effectiveInputSchema(mine).shape);
      expect(
        Object.keys(tool.arguments).filter((name) => !shape.includes(name)),
        tool.name,
      ).toEqual([]);
    }
  });

  it('loads no compiler, linter, test runner or catalogue at import: they come in when a tool runs', () => {
    const loaded = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { registerHooks } = await import('node:module');
         const seen = [];
         registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); seen.push(found.url); return found; } });
         await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
         console.log(JSON.stringify(seen));`,
      ],
      { encoding: 'utf8' },
    );
    const heavy =
      /@lwc\/|eslint|jest|graphql|@salesforce\/templates|design-system|sds-metadata|lwc-language-server|@babel\/|fast-xml-parser/;
    const urls = JSON.parse(loaded) as string[];
    expect(urls.some((url) => url.includes('lwc-experts/dist/tools/'))).toBe(true);
    // The packages it loads (after the last node_modules/), not our own modules named for what they run.
    const packages = urls
      .filter((url) => url.includes('/node_modules/'))
      .map((url) => url.split('/node_modules/').pop()!);
    expect(packages.some((name) => name.startsWith('zod/'))).toBe(true); // the hook sees packages
    expect(packages.filter((name) => heavy.test(name))).toEqual([]);
  });
});
