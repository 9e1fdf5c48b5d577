import type { ContentPart } from './content.js';
import type { ToolContext } from './context.js';
import type { AnyTool, ToolResult } from './tool.js';
import { DefinitionError } from './errors.js';

/** One message of a prompt: any content part (text, an image, an embedded resource, ...). */
export interface PromptMessage {
  role: 'user' | 'assistant';
  content: ContentPart;
}

/**
 * Suggests values for a prompt argument or a template variable from what the user typed so far (MCP
 * completion/complete). `context.arguments` holds the other arguments already filled in. The server sends at
 * most 100 values and says whether there were more.
 */
export type Completer = (
  value: string,
  context: { arguments: Readonly<Record<string, string>> },
) => readonly string[] | Promise<readonly string[]>;

export interface PluginPrompt {
  name: string;
  title?: string;
  description: string;
  /**
   * The prompt for these arguments (strings, as MCP passes them): its text, sent as one user message, or its
   * messages, each with any content part.
   */
  render(
    args: Record<string, string>,
  ): string | readonly PromptMessage[] | Promise<string | readonly PromptMessage[]>;
  arguments?: { name: string; description: string; required?: boolean }[];
  /** Completion of argument values, by argument name. */
  complete?: Readonly<Record<string, Completer>>;
}

export interface PluginResource {
  uri: string;
  name: string;
  title?: string;
  description: string;
  mimeType: string;
  /** The contents: text, or bytes (sent base64-encoded as a `blob`). */
  read(): Promise<string | Uint8Array>;
  /**
   * For a resource that changes: call `onUpdated` whenever it does, until the returned function is called. The
   * server watches while at least one client is subscribed to the resource (resources/subscribe), and tells each
   * subscriber (notifications/resources/updated); without `watch`, subscribing is accepted and nothing is sent.
   */
  watch?(onUpdated: () => void): () => void;
}

/** Resources named by a URI template (RFC 6570, e.g. `test://items/{id}`): one definition, many URIs. */
export interface PluginResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string;
  description: string;
  mimeType?: string;
  /** The contents at `uri`; `variables` holds the template's values taken from it. */
  read(uri: string, variables: Readonly<Record<string, string>>): Promise<string | Uint8Array>;
  /** Completion of variable values, by variable name. */
  complete?: Readonly<Record<string, Completer>>;
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

/**
 * A name a client may call that tools/list does not show: @salesforce/mcp's name for work one of this plugin's
 * tools does (a guide its `get_lwc_guide` serves, say). The call runs `tool` with the caller's arguments and
 * `arguments` over them; an alias costs the model's context nothing.
 */
export interface ToolAlias {
  name: string;
  /** The plugin's tool that answers. */
  tool: string;
  /** Set on every call through the alias, over what the caller passed. */
  arguments?: Readonly<Record<string, string | number | boolean>>;
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
  resourceTemplates?: readonly PluginResourceTemplate[];
  /** Handlers for resume_tool_operation, by job id prefix. */
  resumers?: readonly OperationResumer[];
  /** Names answered by one of `tools` without being listed. */
  aliases?: readonly ToolAlias[];
}

const TOOLSET_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ALIAS_NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

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
  const names = (kind: string, values: readonly string[]) => {
    const found = new Set<string>();
    for (const value of values) {
      if (typeof value !== 'string' || !value) throw new DefinitionError(`${where}: a ${kind} has no name`);
      if (found.has(value)) throw new DefinitionError(`${where}: ${kind} ${value} is defined twice`);
      found.add(value);
    }
  };
  names(
    'prompt',
    (plugin.prompts ?? []).map((prompt) => prompt.name),
  );
  names(
    'resource',
    (plugin.resources ?? []).map((resource) => resource.uri),
  );
  names(
    'resource template',
    (plugin.resourceTemplates ?? []).map((template) => template.uriTemplate),
  );
  for (const template of plugin.resourceTemplates ?? []) {
    if (!/\{[^}]+\}/.test(template.uriTemplate))
      throw new DefinitionError(
        `${where}: resource template ${template.uriTemplate} has no {variable}: make it a resource`,
      );
  }
  const aliases = new Set<string>();
  for (const alias of plugin.aliases ?? []) {
    if (typeof alias?.name !== 'string' || !ALIAS_NAME.test(alias.name) || alias.name.length > 64)
      throw new DefinitionError(`${where}: alias ${JSON.stringify(alias?.name)} is not a tool name`);
    if (seen.has(alias.name) || aliases.has(alias.name))
      throw new DefinitionError(`${where}: alias ${alias.name} is defined twice, or is a tool's name`);
    if (!seen.has(alias.tool))
      throw new DefinitionError(`${where}: alias ${alias.name} names no tool of the plugin (${alias.tool})`);
    aliases.add(alias.name);
  }
  for (const resumer of plugin.resumers ?? []) {
    if (!resumer.idPrefixes.length || resumer.idPrefixes.some((prefix) => !/^[a-zA-Z0-9]{3}$/.test(prefix))) {
      throw new DefinitionError(`${where}: resumer ${resumer.operation} needs three-character id prefixes`);
    }
  }
  return plugin;
}
