import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  type CallToolResult,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { Plugin } from '@sfmcp/plugin-api';
import {
  type Runtime,
  type RuntimeInputs,
  createRuntime,
  createSession,
  parseCli,
  screenedTransport,
} from '@sfmcp/server';

export interface TestServerOptions {
  /** The plugins to serve (only these: node_modules discovery is off). */
  plugins?: Plugin[];
  /** Server flags, as on the command line: ['--orgs', 'dev', '--read-only']. */
  args?: string[];
  /** Answers the server's confirmation questions; when given, the client declares elicitation support. */
  onElicit?: (message: string) => ElicitResult | Promise<ElicitResult>;
  /** Extra runtime inputs (e.g. onAllowlist to add a local org). */
  runtime?: Pick<RuntimeInputs, 'onAllowlist'>;
}

export interface TestServer {
  client: Client;
  runtime: Runtime;
  /** Calls a tool and returns its result, with `text` joined for convenience. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult & { text: string }>;
  close(): Promise<void>;
}

/** A server with the given plugins behind an in-memory MCP client. */
export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const command = parseCli(options.args ?? []);
  if (command.kind !== 'serve') throw new Error(`createTestServer takes serving flags, not ${command.kind}`);
  const runtime = await createRuntime(command.options, {
    plugins: (options.plugins ?? []).map((plugin) => ({ plugin, source: `test:${plugin.toolset}` })),
    discover: false,
    ...options.runtime,
  });
  const server = createSession(runtime);
  const client = new Client(
    { name: 'sfmcp-testkit', version: '0.0.0' },
    { capabilities: options.onElicit ? { elicitation: { form: {} } } : {} },
  );
  if (options.onElicit) {
    const onElicit = options.onElicit;
    client.setRequestHandler(ElicitRequestSchema, (request) => onElicit(String(request.params.message)));
  }
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  // Screened as stdio and HTTP screen: a malformed request is answered, never dropped.
  await server.connect(screenedTransport(serverTransport));
  await client.connect(clientTransport);
  return {
    client,
    runtime,
    call: (name, args = {}) => callTool(client, name, args),
    close: async () => {
      await client.close();
      await server.close();
      await runtime.close();
    },
  };
}

export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult & { text: string }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content
    .filter((part): part is { type: 'text'; text: string } => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
  return { ...result, text };
}
