import type { AnyTool } from './tool.js';
import { DefinitionError } from './errors.js';

export interface PluginPrompt {
  name: string;
  title?: string;
  description: string;
  /** Returns the prompt text; arguments are strings as MCP passes them. */
  render(args: Record<string, string>): string;
  arguments?: { name: string; description: string; required?: boolean }[];
}

export interface PluginResource {
  uri: string;
  name: string;
  description: string;
  mimeType: string;
  read(): Promise<string>;
}

export interface Plugin {
  /** The toolset name users pass to --toolsets: lower-case words joined by '-'. */
  toolset: string;
  description: string;
  /** The plugin-api version the plugin was built against (import `apiVersion`). */
  apiVersion: string;
  tools: readonly AnyTool[];
  prompts?: readonly PluginPrompt[];
  resources?: readonly PluginResource[];
}

const TOOLSET_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Checks a plugin against the contract and returns it unchanged. */
export function definePlugin(plugin: Plugin): Plugin {
  if (typeof plugin?.toolset !== 'string' || !TOOLSET_NAME.test(plugin.toolset)) {
    throw new DefinitionError(
      `plugin toolset ${JSON.stringify(plugin?.toolset)}: must be lower-case words joined by '-'`,
    );
  }
  const where = `toolset ${plugin.toolset}`;
  if (typeof plugin.description !== 'string' || !plugin.description.trim())
    throw new DefinitionError(`${where}: description is required`);
  if (typeof plugin.apiVersion !== 'string')
    throw new DefinitionError(
      `${where}: apiVersion is required (import { apiVersion } from '@sfmcp/plugin-api')`,
    );
  if (!Array.isArray(plugin.tools) || plugin.tools.length === 0)
    throw new DefinitionError(`${where}: a toolset needs at least one tool`);
  const seen = new Set<string>();
  for (const tool of plugin.tools) {
    if (seen.has(tool.name)) throw new DefinitionError(`${where}: tool ${tool.name} is defined twice`);
    seen.add(tool.name);
  }
  return plugin;
}
