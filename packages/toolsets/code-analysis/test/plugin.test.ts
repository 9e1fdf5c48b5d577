import { effectiveInputSchema } from '@sfmcp/plugin-api/manifest';
import { checkReadmeToolTable, checkToolSnapshots } from '@sfmcp/testkit';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

describe('@sfmcp/code-analysis', () => {
  it('keeps its tool snapshots and README table current', () => {
    expect(checkToolSnapshots({ plugin, dir: new URL('../__toolsnaps__', import.meta.url) })).toEqual([]);
    expect(
      checkReadmeToolTable({ tools: plugin.tools, readme: new URL('../README.md', import.meta.url) }),
    ).toEqual([]);
  });

  it('keeps descriptions short and annotations accurate', () => {
    const byName = new Map(plugin.tools.map((tool) => [tool.name, tool]));
    for (const tool of plugin.tools) expect(tool.description.length, tool.name).toBeLessThan(400);
    for (const name of [
      'query_code_analyzer_results',
      'list_code_analyzer_rules',
      'describe_code_analyzer_rule',
    ])
      expect(byName.get(name)?.annotations.readOnlyHint, name).toBe(true);
    // It writes its results files into the project, and never touches an org.
    expect(byName.get('run_code_analyzer')).toMatchObject({
      release: 'ga',
      needsOrg: false,
      changesOrg: false,
      annotations: { readOnlyHint: false, destructiveHint: false },
    });
  });

  it("keeps @salesforce/mcp's arguments", () => {
    const argumentsOf = (name: string) =>
      Object.keys(effectiveInputSchema(plugin.tools.find((tool) => tool.name === name)!).shape).sort();
    expect(argumentsOf('run_code_analyzer')).toEqual(['configPath', 'directory', 'selector', 'target']);
    expect(argumentsOf('query_code_analyzer_results')).toEqual(
      expect.arrayContaining([
        'resultsFile',
        'selector',
        'topN',
        'allowLargeResultSet',
        'sortBy',
        'sortDirection',
      ]),
    );
    expect(argumentsOf('list_code_analyzer_rules')).toEqual(
      expect.arrayContaining(['selector', 'allowFullList']),
    );
    expect(argumentsOf('describe_code_analyzer_rule')).toEqual(
      expect.arrayContaining(['ruleName', 'engineName']),
    );
  });

  it('loads no engine at import: code-analyzer-core comes in only when a tool runs', async () => {
    const { execFileSync } = await import('node:child_process');
    const loaded = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
         const { createRequire } = await import('node:module');
         console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`,
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(loaded).filter((path: string) => path.includes('code-analyzer'))).toEqual([]);
  });
});
