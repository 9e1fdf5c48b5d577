import { effectiveInputSchema } from '@sfmcp/plugin-api/manifest';
import { checkReadmeToolTable, checkToolSnapshots } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

describe('@sfmcp/users', () => {
  it('keeps its tool snapshots and README table current', () => {
    expect(checkToolSnapshots({ plugin, dir: new URL('../__toolsnaps__', import.meta.url) })).toEqual([]);
    expect(
      checkReadmeToolTable({ tools: plugin.tools, readme: new URL('../README.md', import.meta.url) }),
    ).toEqual([]);
  });

  it('keeps descriptions short and annotations accurate', () => {
    const byName = new Map(plugin.tools.map((tool) => [tool.name, tool]));
    for (const tool of plugin.tools) expect(tool.description.length, tool.name).toBeLessThan(400);
    for (const name of ['list_users', 'list_permission_sets'])
      expect(byName.get(name)?.annotations.readOnlyHint, name).toBe(true);
    for (const name of ['remove_permission_set', 'deactivate_user', 'freeze_user'])
      expect(byName.get(name)?.annotations.destructiveHint, name).toBe(true);
    expect(byName.get('assign_permission_set')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
    });
    expect(byName.get('create_user')).toMatchObject({
      release: 'preview',
      annotations: { readOnlyHint: false },
    });
  });

  it("keeps @salesforce/mcp's arguments for assign_permission_set, single strings included", () => {
    const tool = plugin.tools.find((candidate) => candidate.name === 'assign_permission_set')!;
    // As the server publishes and checks it: the tool's own arguments and the shared usernameOrAlias and directory.
    const input = effectiveInputSchema(tool);
    expect(Object.keys(input.shape).sort()).toEqual([
      'directory',
      'onBehalfOf',
      'permissionSetName',
      'usernameOrAlias',
    ]);
    expect(
      input.safeParse({
        permissionSetName: 'Sales_Operations',
        usernameOrAlias: 'dev',
        onBehalfOf: 'a@b.c',
      }).success,
    ).toBe(true);
    expect(input.safeParse({ permissionSetName: ['A', 'B'], onBehalfOf: ['a@b.c', 'd@e.f'] }).success).toBe(
      true,
    );
  });
});
