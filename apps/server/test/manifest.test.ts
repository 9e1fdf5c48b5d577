import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildManifest } from '@sfmcp/plugin-dev';
import { describe, expect, it } from 'vitest';
import { connect } from './helpers.js';
import { samplePlugin } from './fixtures/sample-plugin.js';

const pluginApiDir = dirname(fileURLToPath(import.meta.resolve('@sfmcp/plugin-api/package.json')));

// The plugin module counts its imports in a global, so the tests can see when it was loaded.
const pluginSource = `import { apiVersion, definePlugin, defineTool, z } from '@sfmcp/plugin-api';
globalThis.__lazyPluginImports = (globalThis.__lazyPluginImports ?? 0) + 1;
export default definePlugin({ toolset: 'lazy', description: 'Lazy.', apiVersion, tools: [defineTool({
  name: 'shout', title: 'Shout', description: 'Shouts.', input: z.object({ text: z.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga', needsOrg: false, handler: async ({ text }) => ({ text: text.toUpperCase() }) })],
  aliases: [{ name: 'holler', tool: 'shout', arguments: { text: 'held' } }],
  prompts: [{ name: 'greet', description: 'Greets.', render: () => 'hello' }],
  resources: [{ uri: 'lazy://note', name: 'note', description: 'A note.', mimeType: 'text/plain', read: async () => 'noted' }] });
`;

function makeProject(manifestFrom: (real: unknown) => unknown) {
  const root = mkdtempSync(join(tmpdir(), 'manifest-'));
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, '@sfmcp'), { recursive: true });
  symlinkSync(pluginApiDir, join(modules, '@sfmcp', 'plugin-api'));
  const dir = join(modules, 'sfmcp-plugin-lazy');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'sfmcp-plugin-lazy',
      type: 'module',
      main: 'index.js',
      sfmcp: { plugin: './index.js', manifest: './manifest.json' },
    }),
  );
  writeFileSync(join(dir, 'index.js'), pluginSource);
  // The same module under another name: the test builds the manifest from it without importing index.js.
  writeFileSync(join(dir, 'manifest-source.js'), pluginSource);
  return {
    root,
    dir,
    writeManifest: (manifest: unknown) =>
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifestFrom(manifest))),
  };
}

async function realManifest(dir: string) {
  const module = (await import(join(dir, 'manifest-source.js'))) as {
    default: Parameters<typeof buildManifest>[0];
  };
  return buildManifest(module.default);
}

describe('plugin manifests', () => {
  it('list a plugin without importing it, and import it on the first call', async () => {
    const project = makeProject((manifest) => manifest);
    const manifest = await realManifest(project.dir);
    project.writeManifest(manifest);
    const imports = () => (globalThis as { __lazyPluginImports?: number }).__lazyPluginImports ?? 0;
    const before = imports(); // counts manifest-source.js's import only

    const server = await connect([], ['--project-dir', project.root], {
      runtime: { discover: true, discoveryRoots: [project.root] },
    });
    const report = server.runtime.reports.find((entry) => entry.packageName === 'sfmcp-plugin-lazy');
    expect(report?.reason).toMatch(/listed from its manifest, imported on first use/);
    const listed = (await server.client.listTools()).tools.find((tool) => tool.name === 'shout');
    expect(listed).toEqual(manifest.tools[0]?.published);
    expect(imports()).toBe(before);

    expect((await server.call('shout', { text: 'hey' })).text).toBe('HEY');
    expect((await server.call('shout', { text: 'again' })).text).toBe('AGAIN');
    expect(imports()).toBe(before + 1);
    const invalid = await server.call('shout', {});
    expect(invalid.text).toMatch(/Invalid arguments for shout: text:/);
    await server.close();
  });

  it("answer an alias from the manifest without listing it: its tool runs with the alias's arguments", async () => {
    const project = makeProject((manifest) => manifest);
    const manifest = await realManifest(project.dir);
    expect(manifest.aliases).toEqual([{ name: 'holler', tool: 'shout', arguments: { text: 'held' } }]);
    project.writeManifest(manifest);
    const server = await connect([], ['--project-dir', project.root], {
      runtime: { discover: true, discoveryRoots: [project.root] },
    });
    const names = (await server.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('shout');
    expect(names).not.toContain('holler');
    // The alias's own arguments win over the caller's.
    expect((await server.call('holler', { text: 'ignored' })).text).toBe('HELD');
    expect((await server.call('holler')).text).toBe('HELD');
    await server.close();

    // With its tool not enabled (--dynamic-tools starts with the core tools only), the alias is unknown too.
    const narrowed = await connect([], ['--project-dir', project.root, '--dynamic-tools'], {
      runtime: { discover: true, discoveryRoots: [project.root] },
    });
    await expect(narrowed.client.callTool({ name: 'holler', arguments: {} })).rejects.toThrow(
      /Unknown tool: holler/,
    );
    await narrowed.close();
  });

  it('list prompts and resources from the manifest, and import the plugin when one is read', async () => {
    const project = makeProject((manifest) => manifest);
    project.writeManifest(await realManifest(project.dir));
    const imports = () => (globalThis as { __lazyPluginImports?: number }).__lazyPluginImports ?? 0;
    const server = await connect([], ['--project-dir', project.root], {
      runtime: { discover: true, discoveryRoots: [project.root] },
    });
    const before = imports();
    expect((await server.client.listPrompts()).prompts).toEqual([{ name: 'greet', description: 'Greets.' }]);
    expect((await server.client.listResources()).resources).toEqual([
      { uri: 'lazy://note', name: 'note', description: 'A note.', mimeType: 'text/plain' },
    ]);
    expect(imports()).toBe(before);
    const read = await server.client.readResource({ uri: 'lazy://note' });
    expect(read.contents).toEqual([{ uri: 'lazy://note', mimeType: 'text/plain', text: 'noted' }]);
    expect(imports()).toBe(before + 1);
    const prompt = await server.client.getPrompt({ name: 'greet' });
    expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'hello' } }]);
    await server.close();
  });

  it('say when a manifest lists a tool the plugin no longer has', async () => {
    const project = makeProject((manifest) => {
      const stale = manifest as ReturnType<typeof buildManifest>;
      return {
        ...stale,
        tools: [{ ...stale.tools[0]!, published: { ...stale.tools[0]!.published, name: 'whisper' } }],
      };
    });
    project.writeManifest(await realManifest(project.dir));
    const server = await connect([], ['--project-dir', project.root], {
      runtime: { discover: true, discoveryRoots: [project.root] },
    });
    const result = await server.call('whisper', { text: 'x' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /manifest lists whisper, which the plugin no longer has \(rebuild the plugin\)/,
    );
    await server.close();
  });

  it('keep what the server publishes for a tool', () => {
    const manifest = buildManifest(samplePlugin);
    expect(manifest.tools.map((tool) => tool.published.name)).toEqual(
      samplePlugin.tools.map((tool) => tool.name),
    );
    expect(manifest.tools[1]).toMatchObject({ release: 'ga', needsOrg: false, changesOrg: true });
  });
});
