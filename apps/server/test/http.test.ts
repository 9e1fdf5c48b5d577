import { Agent, request } from 'node:http';
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

  it('answers an oversize body with 413 and serves the next request on the same connection', async () => {
    const url = new URL(handle.url);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<{ status?: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: {
              host: url.host,
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
            },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode, text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const huge = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', pad: 'x'.repeat(5 * 1024 * 1024) }),
    );
    expect(huge.status).toBe(413);
    expect(huge.text).toMatch(/Request too large/);
    const next = await post(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '0' } },
      }),
    );
    expect(next.status).toBe(200);
    agent.destroy();
  });

  it('answers a request with a malformed progressToken, naming it', async () => {
    const response = await fetch(handle.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'tools/call',
        params: { name: 'echo_text', arguments: { text: 'x' }, _meta: { progressToken: { no: 1 } } },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      id: 9,
      error: { message: expect.stringMatching(/progressToken/) },
    });
  });
});

describe('Streamable HTTP hygiene', () => {
  const start = async (args: string[] = [], env: Record<string, string | undefined> = {}) => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const command = parseCli(['--transport', 'http', '--port', '0', ...args]);
      if (command.kind !== 'serve') throw new Error('unexpected');
      const runtime = await createRuntime(command.options, {
        plugins: [{ plugin: samplePlugin, source: 'test' }],
        discover: false,
      });
      return await serveHttp(runtime);
    } finally {
      process.env = saved;
    }
  };

  it('refuses to serve beyond loopback without a bearer token, and a short token', async () => {
    await expect(start(['--host', '0.0.0.0'])).rejects.toThrow(
      /--host 0\.0\.0\.0 serves beyond this machine: set SFMCP_HTTP_TOKEN/,
    );
    await expect(start([], { SFMCP_HTTP_TOKEN: 'short' })).rejects.toThrow(/at least 32 characters/);
  });

  it('with SFMCP_HTTP_TOKEN, answers 401 with WWW-Authenticate without it, and serves with it', async () => {
    const token = 't'.repeat(40);
    const handle = await start([], { SFMCP_HTTP_TOKEN: token });
    try {
      const refused = await fetch(handle.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer /);
      const client = new Client({ name: 'test', version: '0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(handle.url), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
    } finally {
      await handle.close();
    }
  });

  it('says in one line when the port is taken', async () => {
    const first = await start();
    try {
      const port = new URL(first.url).port;
      await expect(start(['--port', port])).rejects.toThrow(
        `port ${port} on 127.0.0.1 is in use: choose another with --port.`,
      );
    } finally {
      await first.close();
    }
  });

  it('closes a session left idle, and a new one can start', async () => {
    const handle = await start(['--http-idle-minutes', '1']);
    try {
      const client = new Client({ name: 'test', version: '0' });
      const transport = new StreamableHTTPClientTransport(new URL(handle.url));
      await client.connect(transport);
      const sessionId = transport.sessionId as string;
      handle.closeIdleSessions(Date.now() + 2 * 60_000);
      const stale = await fetch(handle.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
      expect(stale.status).toBe(404);
      const fresh = new Client({ name: 'test', version: '0' });
      await fresh.connect(new StreamableHTTPClientTransport(new URL(handle.url)));
      expect((await fresh.listTools()).tools.length).toBeGreaterThan(0);
      await fresh.close();
    } finally {
      await handle.close();
    }
  });
});
