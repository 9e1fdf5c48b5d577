import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import {
  type AnyTool,
  type ConfirmationRequest,
  type OrgHandle,
  type ToolContext,
  ToolError,
  changesOrg,
  toToolError,
  DEFAULT_RESPONSE_BUDGET,
} from '@sfmcp/plugin-api';
import {
  type RegisteredTool,
  acceptsConfirmationToken,
  effectiveInputSchema,
  publishTool,
} from './registry.js';
import type { Runtime } from './runtime.js';
import { digestArguments } from './trust.js';
import { loadTool } from './manifest.js';
import { createDynamicTools } from './core-tools/dynamic.js';

/** The call is waiting for the user: the preview goes back with a one-time token. */
class ConfirmationPending extends Error {
  constructor(
    readonly request: ConfirmationRequest,
    readonly token: string,
    readonly expiresAt: Date,
  ) {
    super('confirmation required');
  }
}

class Declined extends Error {}

function textResult(text: string, isError = false): CallToolResult {
  return isError
    ? { content: [{ type: 'text', text }], isError: true }
    : { content: [{ type: 'text', text }] };
}

function formatZodIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}

/**
 * One MCP session: its own Server (stdio has one; HTTP one per client), sharing the runtime's
 * pinned org access, trust policy and tools.
 */
export function createSession(runtime: Runtime): Server {
  const { options, log } = runtime;
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

  /** set_default_org's choice for this session; the allowlist itself stays pinned. */
  let sessionDefaultOrg: string | undefined;
  const enabled = new Map<string, RegisteredTool>();
  for (const entry of runtime.coreTools) enabled.set(entry.tool.name, entry);
  if (options.dynamicTools) {
    for (const tool of createDynamicTools(runtime, enabled, () => server.sendToolListChanged())) {
      enabled.set(tool.name, { tool, toolset: 'core', source: '@sfmcp/server' });
    }
  } else {
    for (const entry of runtime.selected) enabled.set(entry.tool.name, entry);
  }

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [...enabled.values()].map(({ tool }) => publishTool(tool)),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const entry = enabled.get(request.params.name);
    if (!entry) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    }
    // A tool listed from a plugin manifest is imported on its first call.
    let tool: AnyTool;
    try {
      tool = await loadTool(entry.tool);
    } catch (error) {
      log.error(`could not load ${entry.tool.name}`, error);
      return textResult(`${entry.tool.name} could not be loaded: ${(error as Error).message}`, true);
    }
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const parsed = effectiveInputSchema(tool).safeParse(args);
    if (!parsed.success) {
      return textResult(`Invalid arguments for ${tool.name}: ${formatZodIssues(parsed.error)}`, true);
    }
    const { confirmationToken, ...input } = parsed.data as Record<string, unknown> & {
      confirmationToken?: string;
    };
    const changesOrgs = changesOrg(tool);
    // Tools that write local files are audited too; only org changes meet the production guard.
    const audited = !tool.annotations.readOnlyHint;
    const touched: OrgHandle[] = [];
    const digest = digestArguments(tool.name, args);
    const progressToken = request.params._meta?.progressToken;

    const ctx: ToolContext = {
      org: async (usernameOrAlias) => {
        const handle = await runtime.orgAccess.open(usernameOrAlias ?? sessionDefaultOrg);
        if (changesOrgs && handle.kind === 'production' && !options.allowProductionWrites) {
          throw new ToolError(
            `Refused: ${handle.label} is a production org, and this server does not allow changes to production. Nothing was changed.`,
            'If the user wants this, they can restart the server with --allow-production-writes.',
          );
        }
        touched.push(handle);
        return handle;
      },
      listOrgs: () => runtime.orgAccess.list(sessionDefaultOrg),
      setDefaultOrg: async (usernameOrAlias) => {
        const handle = await runtime.orgAccess.open(usernameOrAlias);
        touched.push(handle);
        sessionDefaultOrg = handle.username;
        return handle;
      },
      project: async (directory) => runtime.projectAccess.open(directory),
      progress: async (done, total, message) => {
        if (progressToken === undefined) return;
        await extra.sendNotification({
          method: 'notifications/progress',
          params: {
            progressToken,
            progress: done,
            ...(total !== undefined ? { total } : {}),
            ...(message ? { message } : {}),
          },
        });
      },
      signal: extra.signal,
      log: log.child(tool.name),
      confirm: async (preview) => {
        if (!acceptsConfirmationToken(tool)) {
          // A client without elicitation could never approve: the tool must declare it (defineTool confirms).
          throw new Error(`${tool.name} asked for confirmation but does not declare confirms: true`);
        }
        if (server.getClientCapabilities()?.elicitation) {
          const answer = await server.elicitInput({
            message: `${preview.summary}${preview.details ? `\n\n${preview.details}` : ''}\n\nProceed?`,
            requestedSchema: {
              type: 'object',
              properties: { confirm: { type: 'boolean', title: 'Proceed', description: preview.summary } },
              required: ['confirm'],
            },
          });
          if (answer.action === 'accept' && answer.content?.confirm === true) return;
          throw new Declined();
        }
        if (confirmationToken) {
          if (runtime.tokens.redeem(confirmationToken, digest)) return;
          throw new ToolError(
            'The confirmation token does not match these arguments, has expired or was already used. Nothing was changed.',
            'Call again without confirmationToken to get a fresh preview.',
          );
        }
        const issued = runtime.tokens.issue(digest);
        throw new ConfirmationPending(preview, issued.token, issued.expiresAt);
      },
      responseBudget: DEFAULT_RESPONSE_BUDGET,
    };

    const audit = async (
      outcome: 'ok' | 'error' | 'refused' | 'awaiting-confirmation' | 'declined',
      message?: string,
    ) => {
      if (!audited || !runtime.audit) return;
      try {
        await runtime.audit.append({
          time: new Date().toISOString(),
          tool: tool.name,
          orgs: [...new Set(touched.map((handle) => handle.username))],
          argumentsDigest: digest,
          outcome,
          ...(message ? { message } : {}),
        });
      } catch (error) {
        log.error(`could not write the audit log ${runtime.audit.path}`, error);
      }
    };

    try {
      const result = await tool.handler(input, ctx);
      if (tool.output) {
        const checked = tool.output.safeParse(result.structured);
        if (!checked.success) {
          log.error(
            `${tool.name} returned structured content that does not match its output schema: ${formatZodIssues(checked.error)}`,
          );
          await audit('error', 'output did not match its schema');
          return textResult(
            `${tool.name} failed: its result did not match its declared output (a bug in the tool).`,
            true,
          );
        }
      }
      await audit('ok');
      const reply: CallToolResult = { content: [{ type: 'text', text: result.text }] };
      if (result.structured !== undefined)
        reply.structuredContent = result.structured as Record<string, unknown>;
      return reply;
    } catch (error) {
      return handleFailure(tool, error, audit);
    }
  });

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

  async function handleFailure(
    tool: AnyTool,
    error: unknown,
    audit: (
      outcome: 'error' | 'refused' | 'awaiting-confirmation' | 'declined',
      message?: string,
    ) => Promise<void>,
  ): Promise<CallToolResult> {
    if (error instanceof ConfirmationPending) {
      await audit('awaiting-confirmation');
      const { request, token, expiresAt } = error;
      return textResult(
        [
          `Confirmation needed — nothing has been changed yet.`,
          request.summary,
          ...(request.details ? ['', request.details] : []),
          '',
          `Show this preview to the user. If they approve, call ${tool.name} again with the same arguments and confirmationToken: "${token}" (valid once, until ${expiresAt.toISOString()}).`,
        ].join('\n'),
        true,
      );
    }
    if (error instanceof Declined) {
      await audit('declined');
      return textResult('Cancelled: the user did not approve. Nothing was changed.', true);
    }
    // A Salesforce API error a tool let through is still the user's to act on: its code and message, no stack.
    error = toToolError(error);
    if (error instanceof ToolError) {
      await audit(error.message.startsWith('Refused') ? 'refused' : 'error', error.message);
      return textResult(error.hint ? `${error.message}\n${error.hint}` : error.message, true);
    }
    const message = error instanceof Error ? error.message : String(error);
    log.error(`${tool.name} failed`, error instanceof Error ? { message, stack: error.stack } : error);
    await audit('error', message);
    return textResult(`${tool.name} failed: ${message}`, true);
  }
}
