import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDynamicTools, createRuntime, parseCli, publishTool } from '@sfmcp/server';
import { describe, expect, it } from 'vitest';

// @salesforce/mcp 0.30.15's tools and the arguments each accepts, as published (copied from the team's
// reference): sfmcp is a drop-in for every GA tool of the toolsets it ships.
const official = JSON.parse(
  readFileSync(new URL('./fixtures/official-tools-0.30.15.json', import.meta.url), 'utf8'),
) as { tools: { toolset: string; name: string; release: string; arguments: Record<string, string> }[] };

/** @salesforce/mcp's toolset names → ours, for the toolsets sfmcp ships. */
const SHIPPED: Record<string, string> = {
  core: 'core',
  'core(dynamic-tools only)': 'core',
  orgs: 'orgs',
  data: 'data',
  metadata: 'metadata',
  users: 'users',
  testing: 'apex-testing',
  'code-analysis': 'code-analysis',
  'lwc-experts': 'lwc-experts',
  'aura-experts': 'lwc-experts',
  devops: 'devops',
};

/**
 * Every tool a client can call: the core tools, every toolset's, --dynamic-tools' own two, and the unlisted
 * aliases that answer @salesforce/mcp's names for work one of ours does (by the tool that answers).
 */
async function ourTools() {
  const metaDir = fileURLToPath(new URL('..', import.meta.url));
  const command = parseCli(['--toolsets', 'all', '--allow-non-ga-tools'], metaDir);
  if (command.kind !== 'serve') throw new Error('unexpected');
  const runtime = await createRuntime(command.options, { discoveryRoots: [metaDir], describeOnly: true });
  const dynamic = createDynamicTools(runtime, new Map(), async () => undefined);
  const listed = new Map([
    ...[...runtime.coreTools, ...runtime.selected].map(({ tool }) => [tool.name, tool.published()] as const),
    ...dynamic.map((tool) => [tool.name, publishTool(tool)] as const),
  ]);
  const aliased = [...runtime.aliases.values()].flatMap((alias) => {
    const target = listed.get(alias.tool);
    return target ? [[alias.name, target] as const] : [];
  });
  return new Map([...listed, ...aliased]);
}

describe('drop-in for @salesforce/mcp 0.30.15', () => {
  it('answers every GA tool of the toolsets it ships, by the same name', async () => {
    const ours = await ourTools();
    const missing = official.tools
      .filter((tool) => tool.release === 'ga' && SHIPPED[tool.toolset])
      .filter((tool) => !ours.has(tool.name))
      .map((tool) => `${tool.toolset}/${tool.name}`);
    expect(missing).toEqual([]);
  });

  it('accepts every argument @salesforce/mcp accepts, for every tool both have', async () => {
    const ours = await ourTools();
    const gaps: string[] = [];
    for (const tool of official.tools) {
      const mine = ours.get(tool.name);
      if (!mine) continue;
      const properties = (mine.inputSchema.properties ?? {}) as Record<string, unknown>;
      // A tool that takes more than it lists (get_lwc_guide, answering the official guides' own arguments
      // through aliases) says so with additionalProperties, and checks them in its handler.
      const takesMore =
        mine.inputSchema.additionalProperties !== undefined &&
        mine.inputSchema.additionalProperties !== false;
      for (const argument of Object.keys(tool.arguments))
        if (!(argument in properties) && !takesMore) gaps.push(`${tool.name}.${argument}`);
    }
    expect(gaps).toEqual([]);
  });
});
