import { checkReadmeToolTable, checkToolSnapshots } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

describe('@sfmcp/data', () => {
  it('keeps its tool snapshots and README table current', () => {
    expect(checkToolSnapshots({ plugin, dir: new URL('../__toolsnaps__', import.meta.url) })).toEqual([]);
    expect(
      checkReadmeToolTable({ tools: plugin.tools, readme: new URL('../README.md', import.meta.url) }),
    ).toEqual([]);
  });

  it('keeps every description short and every read tool read-only', () => {
    for (const tool of plugin.tools) expect(tool.description.length, tool.name).toBeLessThan(400);
    const reads = ['run_soql_query', 'search_records', 'list_objects', 'describe_object', 'get_record'];
    for (const name of reads) {
      const tool = plugin.tools.find((candidate) => candidate.name === name);
      expect(tool?.annotations.readOnlyHint, name).toBe(true);
    }
    const exporter = plugin.tools.find((tool) => tool.name === 'export_records');
    expect(exporter).toMatchObject({
      release: 'preview',
      changesOrg: false,
      annotations: { readOnlyHint: false, destructiveHint: false },
    });
  });
});
