import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { SessionState } from './call/call.js';
import { handleToolCall } from './call/pipeline.js';
import { createDynamicTools } from './core-tools/dynamic.js';
import { listTool } from './listing.js';
import type { RegisteredTool } from './registry.js';
import type { Runtime } from './runtime.js';

/**
 * One MCP session: its own Server (stdio has one; HTTP one per client), sharing the runtime's pinned org
 * access, trust policy and tools. Calls go through the stages in call/pipeline.ts.
 */
export function createSession(runtime: Runtime): Server {
  const { options } = runtime;
  const server = new Server(
    { name: 'sfmcp', title: 'sfmcp — Salesforce', version: runtime.version },
    {
      capabilities: {
        tools: { listChanged: options.dynamicTools },
        ...(runtime.prompts.length ? { prompts: {} } : {}),
        ...(runtime.resources.length ? { resources: {} } : {}),
        logging: {},
      },
      instructions: runtime.instructions,
    },
  );
  const session: SessionState = { id: randomUUID(), server };

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
  server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    handleToolCall(runtime, session, enabled, request, extra),
  );

  if (runtime.prompts.length) {
    server.setRequestHandler(ListPromptsRequestSchema, () => ({
      prompts: runtime.prompts.map(({ name, title, description, arguments: args }) => ({
        name,
        title,
        description,
        arguments: args,
      })),
    }));
    server.setRequestHandler(GetPromptRequestSchema, (request) => {
      const prompt = runtime.prompts.find((candidate) => candidate.name === request.params.name);
      if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
      return {
        messages: [
          { role: 'user', content: { type: 'text', text: prompt.render(request.params.arguments ?? {}) } },
        ],
      };
    });
  }
  if (runtime.resources.length) {
    server.setRequestHandler(ListResourcesRequestSchema, () => ({
      resources: runtime.resources.map(({ uri, name, description, mimeType }) => ({
        uri,
        name,
        description,
        mimeType,
      })),
    }));
    server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
      const resource = runtime.resources.find((candidate) => candidate.uri === request.params.uri);
      if (!resource) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${request.params.uri}`);
      return { contents: [{ uri: resource.uri, mimeType: resource.mimeType, text: await resource.read() }] };
    });
  }
  return server;
}
