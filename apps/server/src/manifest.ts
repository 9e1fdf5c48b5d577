import { readFileSync } from 'node:fs';
import {
  type OperationResumer,
  type Plugin,
  type PluginPrompt,
  type PluginResource,
  type PluginResourceTemplate,
  definePlugin,
} from '@sfmcp/plugin-api';
import { MANIFEST_VERSION, type PluginManifest } from '@sfmcp/plugin-api/manifest';
import type { PluginListing, ToolListing } from './listing.js';

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

/**
 * A plugin listed from its manifest: everything the registry and tools/list need, and the plugin module
 * imported (once) when one of its tools is first called or resumed.
 */
export function lazyPlugin(
  manifest: PluginManifest,
  importPlugin: () => Promise<Plugin>,
  where: string,
): PluginListing {
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
  const tools: ToolListing[] = manifest.tools.map((entry) => ({
    name: entry.published.name,
    title: entry.published.title,
    description: entry.published.description,
    annotations: entry.annotations,
    release: entry.release,
    needsOrg: entry.needsOrg,
    changesOrg: entry.changesOrg,
    confirms: entry.confirms,
    published: () => entry.published,
    load: () => realTool(entry.published.name),
  }));
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
  const stale = (kind: string, name: string) =>
    new Error(
      `${where}: its manifest lists the ${kind} ${name}, which the plugin no longer has (rebuild the plugin)`,
    );
  const prompts: PluginPrompt[] = (manifest.prompts ?? []).map((listed) => ({
    ...listed,
    render: async (args) => {
      const real = (await load()).prompts?.find((candidate) => candidate.name === listed.name);
      if (!real) throw stale('prompt', listed.name);
      return real.render(args);
    },
  }));
  const resources: PluginResource[] = (manifest.resources ?? []).map((listed) => ({
    ...listed,
    read: async () => {
      const real = (await load()).resources?.find((candidate) => candidate.uri === listed.uri);
      if (!real) throw stale('resource', listed.uri);
      return real.read();
    },
  }));
  const resourceTemplates: PluginResourceTemplate[] = (manifest.resourceTemplates ?? []).map((listed) => ({
    ...listed,
    read: async (uri, variables) => {
      const real = (await load()).resourceTemplates?.find(
        (candidate) => candidate.uriTemplate === listed.uriTemplate,
      );
      if (!real) throw stale('resource template', listed.uriTemplate);
      return real.read(uri, variables);
    },
  }));
  return {
    toolset: manifest.toolset,
    description: manifest.description,
    apiVersion: manifest.apiVersion,
    tools,
    resumers,
    prompts,
    resources,
    resourceTemplates,
    aliases: manifest.aliases ?? [],
  };
}
