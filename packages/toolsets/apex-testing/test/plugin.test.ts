import { readFileSync, readdirSync } from 'node:fs';
import { checkReadmeToolTable, checkToolSnapshots } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

describe('@sfmcp/apex-testing', () => {
  it('keeps its tool snapshots and README table current', () => {
    expect(checkToolSnapshots({ plugin, dir: new URL('../__toolsnaps__', import.meta.url) })).toEqual([]);
    expect(
      checkReadmeToolTable({ tools: plugin.tools, readme: new URL('../README.md', import.meta.url) }),
    ).toEqual([]);
  });

  it('keeps descriptions short and annotations true to what each tool does', () => {
    for (const tool of plugin.tools) expect(tool.description.length, tool.name).toBeLessThan(400);
    const byName = new Map(plugin.tools.map((tool) => [tool.name, tool]));
    for (const name of ['list_apex_tests', 'get_code_coverage', 'get_apex_logs']) {
      expect(byName.get(name)?.annotations.readOnlyHint, name).toBe(true);
    }
    for (const name of ['run_apex_test', 'run_agent_test', 'set_debug_logging']) {
      expect(byName.get(name)?.annotations, name).toMatchObject({
        readOnlyHint: false,
        destructiveHint: false,
      });
    }
    expect(byName.get('execute_anonymous_apex')).toMatchObject({
      release: 'preview',
      annotations: { readOnlyHint: false, destructiveHint: true },
    });
  });

  it('resumes Apex test runs (707) and agent test runs (4KB)', () => {
    expect(plugin.resumers?.map((resumer) => [resumer.operation, resumer.idPrefixes])).toEqual([
      ['Apex test run', ['707']],
      ['agent test run', ['4KB']],
    ]);
  });

  it('imports heavy libraries only inside handlers', () => {
    const heavy =
      /^import (?!type )[^;]*from '(@salesforce\/(apex-node|agents|core)|@apexdevtools\/apex-parser)'/m;
    const files = readdirSync(new URL('../src', import.meta.url), { recursive: true, encoding: 'utf8' });
    const sources = files.filter((file) => file.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(8);
    for (const file of sources) {
      expect(readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8'), file).not.toMatch(heavy);
    }
  });
});
