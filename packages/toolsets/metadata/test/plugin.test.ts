import { checkReadmeToolTable, checkToolSnapshots } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

describe('@sfmcp/metadata', () => {
  it('keeps its tool snapshots and README table current', () => {
    expect(checkToolSnapshots({ plugin, dir: new URL('../__toolsnaps__', import.meta.url) })).toEqual([]);
    expect(
      checkReadmeToolTable({ tools: plugin.tools, readme: new URL('../README.md', import.meta.url) }),
    ).toEqual([]);
  });

  it('keeps descriptions short and annotations accurate', () => {
    for (const tool of plugin.tools) expect(tool.description.length, tool.name).toBeLessThan(400);
    const byName = new Map(plugin.tools.map((tool) => [tool.name, tool]));
    for (const name of ['list_metadata_types', 'list_metadata_components'])
      expect(byName.get(name)?.annotations.readOnlyHint, name).toBe(true);
    // create_custom_* change the org when asked to deploy, so the production guard must apply to them.
    for (const name of [
      'deploy_metadata',
      'quick_deploy',
      'cancel_deploy',
      'create_custom_object',
      'create_custom_field',
    ]) {
      expect(byName.get(name)?.annotations.readOnlyHint, name).toBe(false);
      expect(byName.get(name)?.changesOrg, name).toBeUndefined();
    }
    for (const name of ['retrieve_metadata', 'generate_manifest']) {
      expect(byName.get(name)?.changesOrg, name).toBe(false);
    }
    expect(byName.get('create_custom_object')?.release).toBe('preview');
    expect(byName.get('create_custom_field')?.release).toBe('preview');
    expect(plugin.resumers?.flatMap((resumer) => resumer.idPrefixes)).toEqual(['0Af', '09S']);
  });
});
