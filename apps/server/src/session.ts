import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  type CompleteResult,
  ErrorCode,
  GetPromptRequestSchema,
  type GetPromptResult,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type ServerCapabilities,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { Completer, PluginPrompt } from '@sfmcp/plugin-api';
import type { SessionState } from './call/call.js';
import { handleToolCall } from './call/pipeline.js';
import { createDynamicTools } from './core-tools/dynamic.js';
import { listTool } from './listing.js';
import type { RegisteredTool } from './registry.js';
import type { Runtime } from './runtime.js';
import { oauthUser } from './transports/oauth.js';

/** MCP's limit on the values one completion/complete answer carries. */
const MAX_COMPLETION_VALUES = 100;

/** What the session offers, from what the selected plugins provide: nothing is declared that is not served. */
function capabilitiesFor(runtime: Runtime, stateless = false): ServerCapabilities {
  const catalog = runtime.resourceCatalog;
  const completes =
    runtime.prompts.some((prompt) => prompt.complete) ||
    runtime.resourceTemplates.some((template) => template.complete);
  return {
    tools: { listChanged: runtime.options.dynamicTools },
    ...(runtime.prompts.length ? { prompts: {} } : {}),
    // A subscription outlives its request: a server without sessions has nowhere to send the updates.
    ...(catalog.isEmpty ? {} : { resources: catalog.canNotify && !stateless ? { subscribe: true } : {} }),
    ...(completes ? { completions: {} } : {}),
    logging: {},
  };
}

async function renderPrompt(prompt: PluginPrompt, args: Record<string, string>): Promise<GetPromptResult> {
  const missing = (prompt.arguments ?? []).filter(
    (argument) => argument.required && !(argument.name in args),
  );
  if (missing.length) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Prompt ${prompt.name} needs the argument${missing.length > 1 ? 's' : ''} ${missing.map((argument) => argument.name).join(', ')}`,
    );
  }
  const rendered = await prompt.render(args);
  return {
    messages:
      typeof rendered === 'string'
        ? [{ role: 'user', content: { type: 'text', text: rendered } }]
        : rendered.map(({ role, content }) => ({ role, content })),
  };
}

async function complete(
  completer: Completer | undefined,
  value: string,
  args: Record<string, string>,
): Promise<CompleteResult> {
  const values = completer ? [...(await completer(value, { arguments: args }))] : [];
  return {
    completion: {
      values: values.slice(0, MAX_COMPLETION_VALUES),
      total: values.length,
      hasMore: values.length > MAX_COMPLETION_VALUES,
    },
  };
}

/** Who sent a request to a server that keeps no sessions, when no OAuth user is known. */
export type StatelessPrincipal = 'bearer' | 'anonymous-loopback';

export interface SessionOptions {
  /**
   * Stateless HTTP: this Server answers one request and keeps nothing, so confirmation tokens cannot bind to
   * a session. They bind to the principal instead: the OAuth user (`oauth-user:<userId>`, else
   * `oauth-client:<clientId>`, from the request's authInfo) when there is one, else this one: `bearer` when the
   * server's SFMCP_HTTP_TOKEN authenticated the request, `anonymous-loopback` on loopback without a token.
   */
  stateless?: { principal: StatelessPrincipal };
}

/** What a stateless request's confirmations bind to (SessionOptions.stateless). */
export function principalBinding(authInfo: AuthInfo | undefined, fallback: StatelessPrincipal): string {
  const user = oauthUser(authInfo);
  if (user) return `oauth-user:${user.orgId}:${user.userId}`;
  if (authInfo?.clientId) return `oauth-client:${authInfo.clientId}`;
  return fallback;
}

/**
 * One MCP session: its own Server (stdio has one; HTTP one per client, or one per request without sessions),
 * sharing the runtime's pinned org access, trust policy, tools, prompts and resources. Calls go through the
 * stages in call/pipeline.ts.
 */
export function createSession(runtime: Runtime, sessionOptions: SessionOptions = {}): Server {
  const { options } = runtime;
  const catalog = runtime.resourceCatalog;
  const { stateless } = sessionOptions;
  const server = new Server(
    { name: 'sfmcp', title: 'sfmcp — Salesforce', version: runtime.version },
    { capabilities: capabilitiesFor(runtime, stateless !== undefined), instructions: runtime.instructions },
  );
  const session: SessionState = {
    id: randomUUID(),
    server,
    ...(stateless ? { binding: stateless.principal } : {}),
  };

  const enabled = new Map<string, RegisteredTool>();
  for (const entry of runtime.coreTools) enabled.set(entry.tool.name, entry);
  if (options.dynamicTools) {
    for (const tool of createDynamicTools(runtime, enabled, () => server.sendToolListChanged())) {
      enabled.set(tool.name, { tool: listTool(tool), toolset: 'core', source: '@sfmcp/server' });
    }
  } else {
    for (const entry of runtime.selected) enabled.set(entry.tool.name, entry);
  }

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [...enabled.values()].map(({ tool }) => tool.published()),
  }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    // Without sessions every request is its own Server: the principal it authenticated as is the binding.
    if (stateless) session.binding = principalBinding(extra.authInfo, stateless.principal);
    const user = oauthUser(extra.authInfo);
    if (user) session.user = user.username;
    return handleToolCall(runtime, session, enabled, request, extra);
  });
  // The level is kept with the session, where ctx.logToClient reads it (the SDK's own handler keeps it privately).
  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    session.logLevel = request.params.level;
    return {};
  });

  const findPrompt = (name: string) => {
    const prompt = runtime.prompts.find((candidate) => candidate.name === name);
    if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`);
    return prompt;
  };
  if (runtime.prompts.length) {
    server.setRequestHandler(ListPromptsRequestSchema, () => ({
      prompts: runtime.prompts.map(({ name, title, description, arguments: args }) => ({
        name,
        title,
        description,
        arguments: args?.map(({ name: argument, description: about, required }) => ({
          name: argument,
          description: about,
          ...(required !== undefined ? { required } : {}),
        })),
      })),
    }));
    server.setRequestHandler(GetPromptRequestSchema, (request) =>
      renderPrompt(findPrompt(request.params.name), request.params.arguments ?? {}),
    );
  }

  if (!catalog.isEmpty) {
    server.setRequestHandler(ListResourcesRequestSchema, () => ({
      resources: catalog.resources.map(({ uri, name, title, description, mimeType }) => ({
        uri,
        name,
        ...(title !== undefined ? { title } : {}),
        description,
        mimeType,
      })),
    }));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
      resourceTemplates: catalog.resourceTemplates.map(
        ({ uriTemplate, name, title, description, mimeType }) => ({
          uriTemplate,
          name,
          ...(title !== undefined ? { title } : {}),
          description,
          ...(mimeType !== undefined ? { mimeType } : {}),
        }),
      ),
    }));
    server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
      const contents = await catalog.read(request.params.uri);
      if (!contents) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${request.params.uri}`);
      return { contents };
    });
  }

  if (catalog.canNotify && !stateless) {
    // This session's subscriptions: URI → stop. All stop when the session closes.
    const subscriptions = new Map<string, () => void>();
    server.setRequestHandler(SubscribeRequestSchema, (request) => {
      const { uri } = request.params;
      if (!catalog.has(uri)) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri}`);
      if (!subscriptions.has(uri)) {
        subscriptions.set(
          uri,
          catalog.subscribe(uri, () => {
            void server.sendResourceUpdated({ uri }).catch(() => undefined);
          }),
        );
      }
      return {};
    });
    server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
      subscriptions.get(request.params.uri)?.();
      subscriptions.delete(request.params.uri);
      return {};
    });
    const previous = server.onclose;
    server.onclose = () => {
      for (const stop of subscriptions.values()) stop();
      subscriptions.clear();
      previous?.();
    };
  }

  if (capabilitiesFor(runtime).completions) {
    server.setRequestHandler(CompleteRequestSchema, (request) => {
      const { ref, argument, context } = request.params;
      const args = context?.arguments ?? {};
      if (ref.type === 'ref/prompt')
        return complete(findPrompt(ref.name).complete?.[argument.name], argument.value, args);
      const template = catalog.template(ref.uri);
      if (!template) throw new McpError(ErrorCode.InvalidParams, `Unknown resource template: ${ref.uri}`);
      return complete(template.complete?.[argument.name], argument.value, args);
    });
  }
  return server;
}
