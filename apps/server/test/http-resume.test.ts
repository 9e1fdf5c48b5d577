import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { apiVersion, definePlugin, defineTool, z } from '@sfmcp/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { createRuntime } from '../src/runtime.js';
import { type HttpServerHandle, SSE_RETRY_MS, serveHttp } from '../src/transports/http.js';

// A tool that ends its response stream mid-call (ctx.closeResponseStream): the SDK's client reconnects with
// Last-Event-ID after the server's retry interval, and gets the result from the event store.

const steps: string[] = [];
const pollingPlugin = definePlugin({
  toolset: 'polling',
  description: 'Ends its stream mid-call.',
  apiVersion,
  tools: [
    defineTool({
      name: 'work_in_background',
      title: 'Background work',
      description: 'Closes its response stream, reports progress, then answers.',
      input: z.object({}),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      release: 'ga',
      needsOrg: false,
      handler: async (_input, ctx) => {
        steps.push(`closed: ${ctx.closeResponseStream()}`);
        await ctx.progress(1, 2, 'half way');
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { text: 'done after the stream closed' };
      },
    }),
  ],
});

describe('Streamable HTTP: resumable streams', () => {
  let handle: HttpServerHandle;
  beforeAll(async () => {
    const command = parseCli(['--transport', 'http', '--port', '0']);
    if (command.kind !== 'serve') throw new Error('unexpected');
    const runtime = await createRuntime(command.options, {
      plugins: [{ plugin: pollingPlugin, source: 'test' }],
      discover: false,
    });
    handle = await serveHttp(runtime);
  });
  afterAll(() => handle.close());

  it('delivers what a call sends after it closed its stream, once the client reconnects', async () => {
    const client = new Client({ name: 'test', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(handle.url)));
    const progress: number[] = [];
    const started = Date.now();
    const result = await client.callTool({ name: 'work_in_background', arguments: {} }, undefined, {
      onprogress: (update) => progress.push(update.progress),
    });
    expect(steps).toEqual(['closed: true']);
    expect(result.content).toEqual([{ type: 'text', text: 'done after the stream closed' }]);
    expect(progress).toEqual([1]);
    // The client waited for the retry interval the priming event gave it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(SSE_RETRY_MS - 50);
    await client.close();
  });

  it('starts each response stream with a priming event that carries an id and the retry interval', async () => {
    const client = new Client({ name: 'test', version: '0' });
    const transport = new StreamableHTTPClientTransport(new URL(handle.url));
    await client.connect(transport);
    const response = await fetch(handle.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': transport.sessionId as string,
        // Not the session's version: the one negotiated at initialize (2025-11-25) decides.
        'mcp-protocol-version': '2025-03-26',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'ping' }),
    });
    const body = await response.text();
    expect(body).toMatch(new RegExp(`^id: \\d+_[\\w-]+\\nretry: ${SSE_RETRY_MS}\\ndata: \\n\\n`));
    expect(body).toMatch(/data: \{"result":\{\},"jsonrpc":"2\.0","id":7\}/);
    await client.close();
  });
});
