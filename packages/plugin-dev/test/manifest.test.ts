import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiVersion, definePlugin, defineTool, z } from '@sfmcp/plugin-api';
import { publishTool } from '@sfmcp/plugin-api/manifest';
import { describe, expect, it } from 'vitest';
import { buildManifest, writePluginManifest } from '../src/index.js';

const bin = fileURLToPath(new URL('../bin/sfmcp-plugin-dev.js', import.meta.url));
const pluginApiDir = dirname(fileURLToPath(import.meta.resolve('@sfmcp/plugin-api/package.json')));

const shout = defineTool({
  name: 'shout',
  title: 'Shout',
  description: 'Shouts.',
  input: z.object({ text: z.string().max(100) }),
  output: z.object({ text: z.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga',
  needsOrg: false,
  handler: async ({ text }) => ({
    text: text.toUpperCase(),
    structuredContent: { text: text.toUpperCase() },
  }),
});
const wipe = defineTool({
  name: 'wipe_things',
  title: 'Wipe things',
  description: 'Deletes things.',
  input: z.object({ things: z.array(z.string().max(10)).max(5) }),
  output: z.object({ wiped: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  release: 'preview',
  needsOrg: true,
  handler: async () => ({ text: 'wiped' }),
});
const plugin = definePlugin({
  toolset: 'sample',
  description: 'Sample.',
  apiVersion,
  tools: [shout, wipe],
  resumers: [
    { idPrefixes: ['0Af'], operation: 'deploy', readOnly: true, resume: async () => ({ text: '' }) },
  ],
});

/** A built plugin in a temporary package folder, with @sfmcp/plugin-api installed beside it. */
function builtPlugin(packageJson: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'plugin-dev-'));
  mkdirSync(join(dir, 'node_modules', '@sfmcp'), { recursive: true });
  symlinkSync(pluginApiDir, join(dir, 'node_modules', '@sfmcp', 'plugin-api'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(
    join(dir, 'dist', 'index.js'),
    `import { apiVersion, definePlugin, defineTool, z } from '@sfmcp/plugin-api';
export default definePlugin({ toolset: 'lazy', description: 'Lazy.', apiVersion, tools: [defineTool({
  name: 'shout', title: 'Shout', description: 'Shouts.', input: z.object({ text: z.string().max(100) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  release: 'ga', needsOrg: false, handler: async ({ text }) => ({ text: text.toUpperCase() }) })] });
`,
  );
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'sfmcp-plugin-lazy', type: 'module', ...packageJson }),
  );
  return dir;
}

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('buildManifest', () => {
  it('keeps what the server publishes for each tool, and what it needs to list and select them', () => {
    const manifest = buildManifest(plugin);
    expect(manifest).toMatchObject({ manifestVersion: 1, apiVersion, toolset: 'sample', eager: false });
    expect(manifest.tools.map((tool) => tool.published)).toEqual([publishTool(shout), publishTool(wipe)]);
    expect(manifest.tools[1]).toMatchObject({
      release: 'preview',
      needsOrg: true,
      changesOrg: true,
      confirms: true,
    });
    // A tool that confirms takes the one-time token, and may answer with its review step.
    expect(Object.keys(manifest.tools[1]!.published.inputSchema.properties as object)).toContain(
      'confirmationToken',
    );
    expect(manifest.resumers).toEqual([{ idPrefixes: ['0Af'], operation: 'deploy', readOnly: true }]);
  });

  it('lists prompts and resources, and marks a plugin eager only when listing them needs its code', () => {
    const prompt = {
      name: 'p',
      description: 'P.',
      arguments: [{ name: 'a', description: 'A.' }],
      render: () => 'p',
    };
    const resource = {
      uri: 'x://a',
      name: 'a',
      description: 'A.',
      mimeType: 'text/plain',
      read: async () => 'a',
    };
    const listed = buildManifest({ ...plugin, prompts: [prompt], resources: [resource] });
    expect(listed).toMatchObject({
      eager: false,
      prompts: [{ name: 'p', description: 'P.', arguments: [{ name: 'a', description: 'A.' }] }],
      resources: [{ uri: 'x://a', name: 'a', description: 'A.', mimeType: 'text/plain' }],
    });
    const completing = { ...prompt, complete: { a: () => ['b'] } };
    expect(buildManifest({ ...plugin, prompts: [completing] }).eager).toBe(true);
    expect(buildManifest({ ...plugin, resources: [{ ...resource, watch: () => () => {} }] }).eager).toBe(
      true,
    );
  });
});

describe('writePluginManifest', () => {
  it('imports the built plugin and writes its manifest as JSON', async () => {
    const dir = builtPlugin({});
    const out = join(dir, 'dist', 'nested', 'manifest.json');
    const manifest = await writePluginManifest(join(dir, 'dist', 'index.js'), out);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(manifest.tools.map((tool) => tool.published.name)).toEqual(['shout']);
  });
});

describe('sfmcp-plugin-dev manifest', () => {
  it('writes the manifest package.json names when given no paths', () => {
    const dir = builtPlugin({ sfmcp: { plugin: './dist/index.js', manifest: './dist/sfmcp-manifest.json' } });
    const result = run(['manifest'], dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^lazy: manifest with 1 tool written to .*sfmcp-manifest\.json\n$/);
    expect(JSON.parse(readFileSync(join(dir, 'dist', 'sfmcp-manifest.json'), 'utf8')).toolset).toBe('lazy');
  });

  it('takes the plugin module and the manifest file as arguments', () => {
    const dir = builtPlugin({});
    expect(run(['manifest', 'dist/index.js', 'out/m.json'], dir).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'm.json'), 'utf8')).tools).toHaveLength(1);
  });

  it('says what is missing, with exit code 2, when package.json has no "sfmcp" field', () => {
    const result = run(['manifest'], builtPlugin({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/package\.json needs "sfmcp": \{ "plugin": .*, or pass both paths/);
  });

  it('fails in one line when the module is not a plugin', () => {
    const dir = builtPlugin({});
    writeFileSync(join(dir, 'dist', 'other.js'), 'export const x = 1;\n');
    const result = run(['manifest', 'dist/other.js', 'm.json'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^sfmcp-plugin-dev: .*other\.js exports no plugin/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints its usage', () => {
    expect(run(['--help'], tmpdir())).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Usage: sfmcp-plugin-dev manifest/),
    });
    expect(run(['publish'], tmpdir()).code).toBe(2);
  });
});
