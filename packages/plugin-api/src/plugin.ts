import type { ToolContext } from './context.js';
import type { AnyTool, ToolResult } from './tool.js';
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

/** What resume_tool_operation passes on: the same arguments as @salesforce/mcp's. */
export interface ResumeRequest {
  jobId: string;
  /** Minutes to wait for the operation to finish before returning its id again. */
  wait: number;
  usernameOrAlias?: string;
  directory?: string;
}

/**
 * Picks up a long-running operation a tool started and returned the id of (a deploy, a retrieve, a test run).
 * The core tool resume_tool_operation dispatches to it by the id's key prefix (`0Af`, `09S`, `707`).
 */
export interface OperationResumer {
  /** Three-character Salesforce key prefixes this resumer handles. */
  idPrefixes: readonly string[];
  /** What kind of operation: "metadata deploy", "Apex test run". */
  operation: string;
  /**
   * Resuming only reads (it waits and reports). Default false: it may write into the project (a retrieve
   * writes its files), so a --read-only server refuses it and the audit log records it.
   */
  readOnly?: boolean;
  resume(request: ResumeRequest, ctx: ToolContext): Promise<ToolResult>;
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
  /** Handlers for resume_tool_operation, by job id prefix. */
  resumers?: readonly OperationResumer[];
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
  for (const resumer of plugin.resumers ?? []) {
    if (!resumer.idPrefixes.length || resumer.idPrefixes.some((prefix) => !/^[a-zA-Z0-9]{3}$/.test(prefix))) {
      throw new DefinitionError(`${where}: resumer ${resumer.operation} needs three-character id prefixes`);
    }
  }
  return plugin;
}
