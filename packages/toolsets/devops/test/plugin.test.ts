import { readFileSync } from 'node:fs';
import { effectiveInputSchema } from '@sfmcp/plugin-api/manifest';
import { checkReadmeToolTable, checkToolSnapshots } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const official = JSON.parse(
  readFileSync(
    new URL('../../../../apps/sfmcp/test/fixtures/official-tools-0.30.15.json', import.meta.url),
    'utf8',
  ),
) as { tools: { toolset: string; name: string; arguments: Record<string, string> }[] };

describe('@sfmcp/devops', () => {
  it('keeps its tool snapshots and README table current', () => {
    expect(checkToolSnapshots({ plugin, dir: new URL('../__toolsnaps__', import.meta.url) })).toEqual([]);
    expect(
      checkReadmeToolTable({ tools: plugin.tools, readme: new URL('../README.md', import.meta.url) }),
    ).toEqual([]);
  });

  it("answers @salesforce/mcp's twelve DevOps Center tools with every argument they take", () => {
    const theirs = official.tools.filter((tool) => tool.toolset === 'devops');
    expect(theirs).toHaveLength(12);
    const ours = new Map(plugin.tools.map((tool) => [tool.name, tool]));
    for (const tool of theirs) {
      const mine = ours.get(tool.name);
      expect(mine, tool.name).toBeDefined();
      const accepted = Object.keys(effectiveInputSchema(mine!).shape);
      for (const argument of Object.keys(tool.arguments))
        expect(accepted, `${tool.name}.${argument}`).toContain(argument);
    }
  });

  it('marks what changes an org, and what only reads', () => {
    const byName = new Map(plugin.tools.map((tool) => [tool.name, tool]));
    for (const name of [
      'list_devops_center_projects',
      'list_devops_center_work_items',
      'check_devops_center_commit_status',
      'detect_devops_center_merge_conflict',
    ])
      expect(byName.get(name)?.annotations.readOnlyHint, name).toBe(true);
    // Promotion deploys to a stage's org: the review step applies.
    expect(byName.get('promote_devops_center_work_item')?.annotations.destructiveHint).toBe(true);
    for (const tool of plugin.tools) expect(tool.description.length, tool.name).toBeLessThan(400);
  });
});
