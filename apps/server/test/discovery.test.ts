import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverPlugins, formatPluginReports } from '../src/discovery.js';

const pluginApiDir = dirname(fileURLToPath(import.meta.resolve('@sfmcp/plugin-api/package.json')));

function pluginSource(toolset: string, version = 'apiVersion'): string {
  return `import { apiVersion, definePlugin, defineTool, z } from '@sfmcp/plugin-api';
export default definePlugin({ toolset: '${toolset}', description: 'x', apiVersion: ${version}, tools: [defineTool({
  name: '${toolset.replace(/-/g, '_')}_hello', title: 'Hello', description: 'Says hello.', input: z.object({}),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga', needsOrg: false, handler: async () => ({ text: 'hello' }) })] });\n`;
}

function writePackage(dir: string, pkg: Record<string, unknown>, source: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ type: 'module', main: 'index.js', version: '1.0.0', ...pkg }),
  );
  writeFileSync(join(dir, 'index.js'), source);
}

function makeProject() {
  const root = mkdtempSync(join(tmpdir(), 'discovery-'));
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, '@sfmcp'), { recursive: true });
  symlinkSync(pluginApiDir, join(modules, '@sfmcp', 'plugin-api'));
  writePackage(
    join(modules, 'sfmcp-plugin-good'),
    { name: 'sfmcp-plugin-good', sfmcp: {} },
    pluginSource('good'),
  );
  writePackage(
    join(modules, '@acme', 'sfmcp-plugin-scoped'),
    { name: '@acme/sfmcp-plugin-scoped', sfmcp: {} },
    pluginSource('scoped'),
  );
  writePackage(
    join(modules, 'sfmcp-plugin-broken'),
    { name: 'sfmcp-plugin-broken', sfmcp: {} },
    "throw new Error('kaput');\n",
  );
  writePackage(
    join(modules, 'sfmcp-plugin-future'),
    { name: 'sfmcp-plugin-future', sfmcp: {} },
    pluginSource('future', "'2.0'"),
  );
  writePackage(
    join(modules, 'sfmcp-plugin-unmarked'),
    { name: 'sfmcp-plugin-unmarked' },
    pluginSource('unmarked'),
  );
  writePackage(join(modules, 'unrelated'), { name: 'unrelated', sfmcp: {} }, pluginSource('unrelated'));
  writePackage(join(root, 'local-plugin'), { name: 'my-local-plugin', sfmcp: {} }, pluginSource('local'));
  return root;
}

describe('discoverPlugins', () => {
  const root = makeProject();

  it('loads good plugins, reports broken and incompatible ones by name, and the others still load', async () => {
    const reports = await discoverPlugins({ roots: [root], explicit: ['./local-plugin'], projectDir: root });
    const byName = Object.fromEntries(reports.map((report) => [report.packageName, report]));
    expect(byName['sfmcp-plugin-good']).toMatchObject({ status: 'loaded', via: 'installed' });
    expect(byName['@acme/sfmcp-plugin-scoped']).toMatchObject({ status: 'loaded' });
    expect(byName['my-local-plugin']).toMatchObject({ status: 'loaded', via: '--plugin' });
    expect(byName['sfmcp-plugin-broken']).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/could not load: kaput/),
    });
    expect(byName['sfmcp-plugin-future']).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/built for plugin API 2.0/),
    });
    expect(byName['sfmcp-plugin-unmarked']).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/no "sfmcp" field/),
    });
    expect(byName.unrelated).toBeUndefined();
  });

  it('reports a --plugin that is not installed', async () => {
    const reports = await discoverPlugins({
      roots: [],
      explicit: ['sfmcp-plugin-missing'],
      projectDir: root,
    });
    expect(reports).toEqual([
      expect.objectContaining({ status: 'failed', reason: expect.stringMatching(/is not installed/) }),
    ]);
  });

  it('says where each plugin came from and why it loaded or not', async () => {
    const text = formatPluginReports(
      await discoverPlugins({ roots: [root], explicit: [], projectDir: root }),
    );
    expect(text).toMatch(
      /loaded {2}sfmcp-plugin-good@1.0.0 — toolset good, 1 tool\n\s+from .*node_modules\/sfmcp-plugin-good \(installed\)/,
    );
    expect(text).toMatch(/failed {2}sfmcp-plugin-broken/);
  });
});
