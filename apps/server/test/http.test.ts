import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { createRuntime } from '../src/runtime.js';
import { type HttpServerHandle, serveHttp } from '../src/transports/http.js';
import { samplePlugin } from './fixtures/sample-plugin.js';

describe('Streamable HTTP', () => {
  let handle: HttpServerHandle;

  beforeAll(async () => {
    const command = parseCli(['--transport', 'http', '--port', '0']);
    if (command.kind !== 'serve') throw new Error('unexpected');
    const runtime = await createRuntime(command.options, {
      plugins: [{ plugin: samplePlugin, source: 'test' }],
      discover: false,
    });
    handle = await serveHttp(runtime);
  });
  afterAll(() => handle.close());

  it('binds to 127.0.0.1 and serves MCP sessions', async () => {
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'test', version: '0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(handle.url)));
    const result = await client.callTool({ name: 'echo_text', arguments: { text: 'over http' } });
    expect(result.structuredContent).toEqual({ text: 'over http' });
    await client.close();
  });

  it('refuses a request whose Host header names another host (DNS rebinding)', async () => {
    // fetch() will not send a forged Host header; node:http will, as a rebinding browser effectively does.
    const url = new URL(handle.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { host: `evil.example:${url.port}`, 'content-type': 'application/json' },
        },
        (res) => (res.resume(), resolve(res.statusCode)),
      );
      req.on('error', reject);
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }));
    });
    expect(status).toBe(403);
  });

  it('refuses a browser Origin from another site', async () => {
    const response = await fetch(handle.url, {
      method: 'POST',
      headers: {
        origin: 'http://evil.example',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: '{}',
    });
    expect(response.status).toBe(403);
  });

  it('answers a request without a session with 400', async () => {
    const response = await fetch(handle.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(400);
  });
});
