import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  type CallToolResult,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { homedir } from 'node:os';
import type { Plugin } from '@sfmcp/plugin-api';
import { parseCli } from '../src/cli.js';
import { type RuntimeInputs, createRuntime } from '../src/runtime.js';
import { createSession } from '../src/session.js';

// The server cannot depend on @sfmcp/testkit (testkit depends on the server), so its tests wire the
// in-memory client themselves; plugin authors use testkit's createTestServer.
export async function connect(
  plugins: Plugin[],
  args: string[] = [],
  extra: { onElicit?: (message: string) => ElicitResult; runtime?: RuntimeInputs } = {},
) {
  const command = parseCli(args);
  if (command.kind !== 'serve') throw new Error('serving flags expected');
  const runtime = await createRuntime(command.options, {
    plugins: plugins.map((plugin) => ({ plugin, source: `test:${plugin.toolset}` })),
    discover: false,
    ...extra.runtime,
  });
  const server = createSession(runtime);
  const client = new Client(
    { name: 'test', version: '0' },
    { capabilities: extra.onElicit ? { elicitation: { form: {} } } : {} },
  );
  if (extra.onElicit) {
    const onElicit = extra.onElicit;
    client.setRequestHandler(ElicitRequestSchema, (request) => onElicit(String(request.params.message)));
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    return { ...result, text };
  };
  return { client, runtime, call, close: async () => (await client.close(), await runtime.close()) };
}

/** Writes a real sf auth file (through @salesforce/core) into this test file's temporary HOME. */
export async function authorize(org: {
  username: string;
  alias?: string;
  instanceUrl: string;
  accessToken?: string;
}): Promise<string> {
  const { AuthInfo } = await import('@salesforce/core');
  const authInfo = await AuthInfo.create({
    username: org.username,
    accessTokenOptions: {
      accessToken: org.accessToken ?? '00D000000000000!token',
      instanceUrl: org.instanceUrl,
      loginUrl: org.instanceUrl,
      username: org.username,
      orgId: '00D000000000000AAA',
      isDevHub: false,
      namespacePrefix: null,
    } as never,
  });
  await authInfo.save();
  if (org.alias) await authInfo.setAlias(org.alias);
  return homedir();
}
