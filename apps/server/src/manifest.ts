import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  type AnyTool,
  type OperationResumer,
  type Plugin,
  changesOrg,
  confirms,
  definePlugin,
  z,
} from '@sfmcp/plugin-api';
import { type PublishedTool, publishTool, seedPublished } from './registry.js';

/**
 * What a plugin publishes, written at build time next to its code, so the server can list its tools without
 * importing it: the plugin's modules (and what they import) load on the first call instead of at start-up.
 */
export interface PluginManifest {
  manifestVersion: 1;
  apiVersion: string;
  toolset: string;
  description: string;
  tools: {
    published: PublishedTool;
    annotations: AnyTool['annotations'];
    release: AnyTool['release'];
    needsOrg: boolean;
    changesOrg: boolean;
    confirms: boolean;
  }[];
  resumers: { idPrefixes: string[]; operation: string; readOnly?: boolean }[];
  /** Prompts and resources are listed at start, so a plugin with any is imported at start. */
  eager: boolean;
}

export function buildManifest(plugin: Plugin): PluginManifest {
  return {
    manifestVersion: 1,
    apiVersion: plugin.apiVersion,
    toolset: plugin.toolset,
    description: plugin.description,
    tools: plugin.tools.map((tool) => ({
      published: publishTool(tool),
      annotations: tool.annotations,
      release: tool.release,
      needsOrg: tool.needsOrg,
      changesOrg: changesOrg(tool),
      confirms: confirms(tool),
    })),
    resumers: (plugin.resumers ?? []).map(({ idPrefixes, operation, readOnly }) => ({
      idPrefixes: [...idPrefixes],
      operation,
      ...(readOnly ? { readOnly } : {}),
    })),
    eager: Boolean(plugin.prompts?.length || plugin.resources?.length),
  };
}

/** Imports a built plugin and writes its manifest (run by the plugin's build). */
export async function writePluginManifest(pluginModule: string, outFile: string): Promise<PluginManifest> {
  const module = (await import(pathToFileURL(pluginModule).href)) as { default?: Plugin; plugin?: Plugin };
  const manifest = buildManifest(definePlugin((module.default ?? module.plugin) as Plugin));
  writeFileSync(outFile, JSON.stringify(manifest) + '\n');
  return manifest;
}

export function readManifest(path: string): PluginManifest {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as PluginManifest;
  if (
    manifest.manifestVersion !== 1 ||
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
