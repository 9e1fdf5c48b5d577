// A tool listed from its plugin's manifest (written at build time by @sfmcp/plugin-dev) must be listed exactly
// as the server lists the imported tool: both come from @sfmcp/plugin-api/manifest's publishTool.
import { fileURLToPath } from 'node:url';
import { publishTool as publishDefinition } from '@sfmcp/plugin-api/manifest';
import { createRuntime, parseCli, publishTool } from '@sfmcp/server';
import { describe, expect, it } from 'vitest';

const metaDir = fileURLToPath(new URL('..', import.meta.url));
const example = fileURLToPath(new URL('../../../examples/sfmcp-plugin-example', import.meta.url));

describe('published tool definitions', () => {
  it('are byte-identical whether listed from a manifest or computed from the imported tool', async () => {
    const command = parseCli(['--toolsets', 'all', '--allow-non-ga-tools', '--plugin', example], metaDir);
    if (command.kind !== 'serve') throw new Error('unexpected');
    const runtime = await createRuntime(command.options, { discoveryRoots: [metaDir], describeOnly: true });
    const lazy = runtime.reports.filter((report) => /listed from its manifest/.test(report.reason));
    expect(lazy.map((report) => report.packageName).sort()).toEqual([
      '@sfmcp/apex-testing',
      '@sfmcp/code-analysis',
      '@sfmcp/data',
      '@sfmcp/devops',
      '@sfmcp/lwc-experts',
      '@sfmcp/metadata',
      '@sfmcp/orgs',
      '@sfmcp/users',
      'sfmcp-plugin-example',
    ]);
    expect(runtime.selected.length).toBeGreaterThan(30);
    for (const { tool } of [...runtime.coreTools, ...runtime.selected]) {
      const listed = JSON.stringify(tool.published());
      const real = await tool.load();
      expect(JSON.stringify(publishTool(real)), tool.name).toBe(listed);
      expect(JSON.stringify(publishDefinition(real)), tool.name).toBe(listed);
    }
  });
});
