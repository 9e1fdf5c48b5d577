import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Plugin, changesOrg, confirms, definePlugin } from '@sfmcp/plugin-api';
import { MANIFEST_VERSION, type PluginManifest, publishTool } from '@sfmcp/plugin-api/manifest';

/**
 * The manifest of a plugin: what each of its tools publishes, exactly as the server would publish it, plus
 * what the server needs to list and select the tools without importing the plugin.
 */
export function buildManifest(plugin: Plugin): PluginManifest {
  return {
    manifestVersion: MANIFEST_VERSION,
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
    ...(plugin.aliases?.length
      ? {
          aliases: plugin.aliases.map((alias) => ({
            ...alias,
            ...(alias.arguments ? { arguments: { ...alias.arguments } } : {}),
          })),
        }
      : {}),
    prompts: (plugin.prompts ?? []).map(({ name, title, description, arguments: args }) => ({
      name,
      ...(title ? { title } : {}),
      description,
      ...(args ? { arguments: args.map((arg) => ({ ...arg })) } : {}),
    })),
    resources: (plugin.resources ?? []).map(({ uri, name, title, description, mimeType }) => ({
      uri,
      name,
      ...(title ? { title } : {}),
      description,
      mimeType,
    })),
    resourceTemplates: (plugin.resourceTemplates ?? []).map(
      ({ uriTemplate, name, title, description, mimeType }) => ({
        uriTemplate,
        name,
        ...(title ? { title } : {}),
        description,
        ...(mimeType ? { mimeType } : {}),
      }),
    ),
    // Listing needs no code; completing an argument or watching a resource does, at once.
    eager: Boolean(
      plugin.prompts?.some((prompt) => prompt.complete) ||
      plugin.resources?.some((resource) => resource.watch) ||
      plugin.resourceTemplates?.some((template) => template.complete),
    ),
  };
}

/** Imports a built plugin module (its default export, or `plugin`) and checks it against the contract. */
export async function importPlugin(pluginModule: string): Promise<Plugin> {
  const module = (await import(pathToFileURL(pluginModule).href)) as { default?: unknown; plugin?: unknown };
  const plugin = module.default ?? module.plugin;
  if (!plugin) throw new Error(`${pluginModule} exports no plugin (export default definePlugin({ ... }))`);
  return definePlugin(plugin as Plugin);
}

/** Imports a built plugin and writes its manifest (run by the plugin's build, after compiling). */
export async function writePluginManifest(pluginModule: string, outFile: string): Promise<PluginManifest> {
  const manifest = buildManifest(await importPlugin(pluginModule));
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(manifest) + '\n');
  return manifest;
}
