import {
  type AnyTool,
  type OperationResumer,
  type Plugin,
  type PluginPrompt,
  type PluginResource,
  type PluginResourceTemplate,
  type ToolAlias,
  type ToolAnnotations,
  type ToolRelease,
  changesOrg,
  confirms,
} from '@sfmcp/plugin-api';
import type { PublishedTool } from '@sfmcp/plugin-api/manifest';
import { publishTool } from './registry.js';

/**
 * What the server knows of a tool before it runs: enough to list it, select it and apply the policy, and a way
 * to get its definition. A tool from a plugin manifest is listed without its plugin imported (load() imports
 * it); a plugin given as code is listed from its definitions. Kept apart from the definition (AnyTool).
 */
export interface ToolListing {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly annotations: ToolAnnotations;
  readonly release: ToolRelease;
  readonly needsOrg: boolean;
  readonly changesOrg: boolean;
  readonly confirms: boolean;
  /** What tools/list shows. */
  published(): PublishedTool;
  /** The definition that runs the call. */
  load(): Promise<AnyTool>;
}

/** A plugin as the server composes it: its tools listed, its resumers, prompts, resources and templates. */
export interface PluginListing {
  readonly toolset: string;
  readonly description: string;
  readonly apiVersion: string;
  readonly tools: readonly ToolListing[];
  readonly resumers: readonly OperationResumer[];
  readonly prompts: readonly PluginPrompt[];
  readonly resources: readonly PluginResource[];
  readonly resourceTemplates: readonly PluginResourceTemplate[];
  readonly aliases: readonly ToolAlias[];
}

/** The listing of a tool whose definition is at hand. */
export function listTool(tool: AnyTool): ToolListing {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    annotations: tool.annotations,
    release: tool.release,
    needsOrg: tool.needsOrg,
    changesOrg: changesOrg(tool),
    confirms: confirms(tool),
    published: () => publishTool(tool),
    load: async () => tool,
  };
}

/** The listing of a plugin given as code (a test, an embedding, a plugin with prompts or resources). */
export function listPlugin(plugin: Plugin): PluginListing {
  return {
    toolset: plugin.toolset,
    description: plugin.description,
    apiVersion: plugin.apiVersion,
    tools: plugin.tools.map(listTool),
    resumers: plugin.resumers ?? [],
    prompts: plugin.prompts ?? [],
    resources: plugin.resources ?? [],
    resourceTemplates: plugin.resourceTemplates ?? [],
    aliases: plugin.aliases ?? [],
  };
}
