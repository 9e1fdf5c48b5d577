import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildManifest } from '@sfmcp/plugin-dev';
import { DESCRIPTION_BUDGET, checkRegistry, createRuntime, parseCli } from '@sfmcp/server';
import { describe, expect, it } from 'vitest';

const metaDir = fileURLToPath(new URL('..', import.meta.url));
const example = fileURLToPath(new URL('../../../examples/sfmcp-plugin-example', import.meta.url));

/** Every toolset this package ships (plus the example plugin), GA and preview. */
async function everything() {
  const command = parseCli(['--toolsets', 'all', '--allow-non-ga-tools', '--plugin', example], metaDir);
  if (command.kind !== 'serve') throw new Error('unexpected');
  return createRuntime(command.options, { discoveryRoots: [metaDir], describeOnly: true });
}

describe('the registry of every installed toolset', () => {
  it('loads every plugin it finds', async () => {
    const runtime = await everything();
    expect(runtime.reports.filter((report) => report.status === 'failed')).toEqual([]);
    expect(runtime.registry.problems).toEqual([]);
  });

  it(`keeps the rules: unique names, explicit annotations, descriptions within ${DESCRIPTION_BUDGET} characters, no top-level oneOf/anyOf, every argument bounded`, async () => {
    const runtime = await everything();
    // The real definitions, not the manifest listings: bounds are checked on the tools' own schemas.
    const tools = await Promise.all(
      [...runtime.coreTools, ...runtime.selected].map(async (entry) => ({
        ...entry,
        tool: await entry.tool.load(),
      })),
    );
    expect(checkRegistry(tools)).toEqual([]);
  });

  it('has no empty toolset', async () => {
    const runtime = await everything();
    for (const [name, { plugin }] of runtime.registry.toolsets)
      expect(plugin.tools.length, name).toBeGreaterThan(0);
  });

  it('lists every toolset from a manifest that matches its built code', async () => {
    const runtime = await everything();
    const toolsets = runtime.reports.filter(
      (report) => report.status === 'loaded' && report.packageName.startsWith('@sfmcp/'),
    );
    expect(toolsets.map((report) => report.packageName).sort()).toEqual([
      '@sfmcp/apex-testing',
      '@sfmcp/code-analysis',
      '@sfmcp/data',
      '@sfmcp/devops',
      '@sfmcp/lwc-experts',
      '@sfmcp/metadata',
      '@sfmcp/orgs',
      '@sfmcp/users',
    ]);
    for (const report of toolsets) {
      expect(report.reason, report.packageName).toMatch(/listed from its manifest/);
      const pkg = JSON.parse(readFileSync(join(report.location, 'package.json'), 'utf8'));
      const module = await import(pathToFileURL(join(report.location, pkg.sfmcp.plugin)).href);
      const written = JSON.parse(readFileSync(join(report.location, pkg.sfmcp.manifest), 'utf8'));
      expect(written, `${report.packageName}: rebuild it`).toEqual(
        JSON.parse(JSON.stringify(buildManifest(module.default))),
      );
    }
  });
});
