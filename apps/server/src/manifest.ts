import { readFileSync } from 'node:fs';
import { type AnyTool, type OperationResumer, type Plugin, definePlugin, z } from '@sfmcp/plugin-api';
import { MANIFEST_VERSION, type PluginManifest } from '@sfmcp/plugin-api/manifest';
import { seedPublished } from './registry.js';

// The manifest format and how a tool is published live in the contract (@sfmcp/plugin-api/manifest), so a
// plugin's build (@sfmcp/plugin-dev writes manifests) and this reader share them. The server only reads.
export type { PluginManifest };

export function readManifest(path: string): PluginManifest {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as PluginManifest;
  if (
    manifest.manifestVersion !== MANIFEST_VERSION ||
    !Array.isArray(manifest.tools) ||
    typeof manifest.toolset !== 'string'
  ) {
    throw new Error(`${path} is not an sfmcp plugin manifest (rebuild the plugin)`);
  }
  return manifest;
}

const lazyLoaders = new WeakMap<AnyTool, () => Promise<AnyTool>>();

/** The real tool behind a listed one: itself, or, for a tool listed from a manifest, the imported definition. */
export function loadTool(tool: AnyTool): Promise<AnyTool> {
  return lazyLoaders.get(tool)?.() ?? Promise.resolve(tool);
}

/**
 * A plugin object built from a manifest: its tools carry everything the registry and tools/list need, and
 * the plugin module is imported (once) when one of them is first called or resumed.
 */
export function lazyPlugin(
  manifest: PluginManifest,
  importPlugin: () => Promise<Plugin>,
  where: string,
): Plugin {
  let loading: Promise<Plugin> | undefined;
  const load = () => (loading ??= importPlugin().then(definePlugin));
  const realTool = async (name: string) => {
    const tool = (await load()).tools.find((candidate) => candidate.name === name);
    if (!tool)
      throw new Error(
        `${where}: its manifest lists ${name}, which the plugin no longer has (rebuild the plugin)`,
      );
    return tool;
  };
  const tools = manifest.tools.map((entry) => {
    const { published } = entry;
    const listed: AnyTool = {
      name: published.name,
      title: published.title,
      description: published.description,
      annotations: entry.annotations,
      release: entry.release,
      needsOrg: entry.needsOrg,
      changesOrg: entry.changesOrg,
      confirms: entry.confirms,
      // Never used: calls go to the imported tool (loadTool), and tools/list to the manifest (seedPublished).
      input: z.object({}),
      handler: async () => {
        throw new Error(`${published.name} was called without loading its plugin`);
      },
    };
    seedPublished(listed, published);
    lazyLoaders.set(listed, () => realTool(published.name));
    return listed;
  });
  const resumers: OperationResumer[] = manifest.resumers.map(({ idPrefixes, operation, readOnly }) => ({
    idPrefixes,
    operation,
    readOnly: readOnly === true,
    resume: async (request, ctx) => {
      const real = (await load()).resumers?.find((candidate) => candidate.operation === operation);
      if (!real)
        throw new Error(
          `${where}: its manifest lists a resumer for ${operation}, which the plugin no longer has`,
        );
      return real.resume(request, ctx);
    },
  }));
  return {
    toolset: manifest.toolset,
    description: manifest.description,
    apiVersion: manifest.apiVersion,
    tools,
    resumers,
  };
}
