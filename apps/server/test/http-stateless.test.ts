import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { createRuntime } from '../src/runtime.js';
import { type HttpServerHandle, HttpStartError, serveHttp } from '../src/transports/http.js';
import { samplePlugin, wiped } from './fixtures/sample-plugin.js';

const SECRET = 'k'.repeat(40);
const tokenOf = (text: string) => /confirmationToken: "([\w-]+)"/.exec(text)?.[1];
const cursorOf = (text: string) => /cursor: (\S+)/.exec(text)?.[1];

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A stateless HTTP server with the sample tools, started as http.test.ts starts one. */
async function start(args: string[] = [], secret?: string): Promise<HttpServerHandle> {
  const command = parseCli(['--transport', 'http', '--port', '0', '--http-stateless', ...args]);
  if (command.kind !== 'serve') throw new Error('unexpected');
  const runtime = await createRuntime(command.options, {
    plugins: [{ plugin: samplePlugin, source: 'test' }],
    discover: false,
    ...(secret !== undefined ? { secret } : {}),
  });
  try {
    const handle = await serveHttp(runtime);
    return {
      ...handle,
      close: async () => {
        await handle.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

const POST_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** One JSON-RPC request in its own HTTP request, with no session id; the answer from JSON or an SSE stream. */
async function rpc(url: string, id: number, method: string, params?: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: POST_HEADERS,
    body: JSON.stringify({ jsonrpc: '2.0', id, method, ...(params !== undefined ? { params } : {}) }),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice('data: '.length)) as Record<string, unknown>)
        .find((message) => message.id === id)
    : (JSON.parse(text) as Record<string, unknown>);
  return { response, message: json as { result?: Record<string, unknown>; error?: { message: string } } };
}

const callText = (result: Record<string, unknown> | undefined) =>
  ((result as CallToolResult | undefined)?.content ?? [])
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n');

describe('stateless Streamable HTTP', () => {
  let handle: HttpServerHandle;
  beforeAll(async () => {
    handle = await start();
  });
  afterAll(() => handle.close());
  beforeEach(() => {
    wiped.length = 0;
  });

  it('answers initialize without a session id', async () => {
    const { response, message } = await rpc(handle.url, 1, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'raw', version: '0' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(message.result).toMatchObject({ serverInfo: { name: 'sfmcp' }, protocolVersion: '2025-11-25' });
  });

  it('serves tools/list and tools/call in separate requests, with no initialize and no session', async () => {
    const listed = await rpc(handle.url, 2, 'tools/list');
    expect(listed.response.status).toBe(200);
    expect(listed.response.headers.get('mcp-session-id')).toBeNull();
    const names = (listed.message.result?.tools as { name: string }[]).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['echo_text', 'wipe_things', 'get_username']));
    const called = await rpc(handle.url, 3, 'tools/call', {
      name: 'echo_text',
      arguments: { text: 'no session' },
    });
    expect(called.response.status).toBe(200);
    expect(called.message.result).toMatchObject({ structuredContent: { text: 'no session' } });
  });

  it('serves the SDK client, which gets no session id', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(handle.url));
    const client = new Client({ name: 'test', version: '0' });
    await client.connect(transport);
    expect(transport.sessionId).toBeUndefined();
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('echo_text');
    const first = await client.callTool({ name: 'echo_text', arguments: { text: 'one' } });
    const second = await client.callTool({ name: 'echo_text', arguments: { text: 'two' } });
    expect([first.structuredContent, second.structuredContent]).toEqual([{ text: 'one' }, { text: 'two' }]);
    await client.close();
  });

  it('answers GET and DELETE with 405 and Allow: POST, saying why', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(handle.url, {
        method,
        headers: { accept: 'text/event-stream', 'mcp-session-id': 'any' },
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/keeps no sessions \(--http-stateless\).*send requests with POST/);
    }
    const put = await fetch(handle.url, { method: 'PUT', headers: POST_HEADERS, body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST');
  });

  it('accepts a confirmation token issued in one request in a later one, once', async () => {
    const args = { things: ['the table'] };
    const preview = await rpc(handle.url, 10, 'tools/call', { name: 'wipe_things', arguments: args });
    const token = tokenOf(callText(preview.message.result));
    expect(token).toBeDefined();
    expect(preview.message.result?.isError).toBeFalsy();
    expect(wiped).toEqual([]);
    // Another client, other connections, no session: the same principal (loopback without a token).
    const confirmed = await rpc(handle.url, 11, 'tools/call', {
      name: 'wipe_things',
      arguments: { ...args, confirmationToken: token },
    });
    expect(confirmed.message.result?.isError).toBeFalsy();
    expect(callText(confirmed.message.result)).toBe('wiped the table');
    expect(wiped).toEqual(['the table']);
    const replayed = await rpc(handle.url, 12, 'tools/call', {
      name: 'wipe_things',
      arguments: { ...args, confirmationToken: token },
    });
    expect(replayed.message.result?.isError).toBe(true);
    expect(callText(replayed.message.result)).toMatch(
      /Refused: The confirmation token is unknown, has expired or was already used\. Nothing was changed\./,
    );
    expect(wiped).toEqual(['the table']);
  });

  it('refuses a token for other arguments, and spends it', async () => {
    const preview = await rpc(handle.url, 20, 'tools/call', {
      name: 'wipe_things',
      arguments: { things: ['a'] },
    });
    const token = tokenOf(callText(preview.message.result));
    const swapped = await rpc(handle.url, 21, 'tools/call', {
      name: 'wipe_things',
      arguments: { things: ['everything'], confirmationToken: token },
    });
    expect(callText(swapped.message.result)).toMatch(/does not match these arguments/);
    const after = await rpc(handle.url, 22, 'tools/call', {
      name: 'wipe_things',
      arguments: { things: ['a'], confirmationToken: token },
    });
    expect(after.message.result?.isError).toBe(true);
    expect(wiped).toEqual([]);
  });
});

describe('several stateless servers', () => {
  const servers: HttpServerHandle[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  beforeEach(() => {
    wiped.length = 0;
  });
  const startServer = async (args: string[], secret: string) => {
    const server = await start(args, secret);
    servers.push(server);
    return server;
  };
  const client = async (server: HttpServerHandle) => {
    const connected = new Client({ name: 'test', version: '0' });
    await connected.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    return {
      call: async (name: string, args: Record<string, unknown>) => {
        const result = (await connected.callTool({ name, arguments: args })) as CallToolResult;
        return { ...result, text: callText(result as unknown as Record<string, unknown>) };
      },
      close: () => connected.close(),
    };
  };

  it('with one secret and one --confirmation-store: a token from one is spent on the other, once', async () => {
    const store = mkdtempSync(join(tmpdir(), 'sfmcp-stateless-store-'));
    temporary.push(store);
    const [a, b] = await Promise.all([0, 1].map(() => startServer(['--confirmation-store', store], SECRET)));
    const [onA, onB] = await Promise.all([client(a!), client(b!)]);
    const args = { things: ['shared'] };
    const preview = await onA.call('wipe_things', args);
    const token = tokenOf(preview.text);
    const confirmed = await onB.call('wipe_things', { ...args, confirmationToken: token });
    expect(confirmed.isError, confirmed.text).toBeFalsy();
    expect(wiped).toEqual(['shared']);
    for (const again of [onA, onB]) {
      const replayed = await again.call('wipe_things', { ...args, confirmationToken: token });
      expect(replayed.isError).toBe(true);
      expect(replayed.text).toMatch(/already used/);
    }
    expect(wiped).toEqual(['shared']);
    // Cursors verify across them too.
    const page = await onA.call('page_numbers', { label: 'n', count: 300 });
    const cursor = cursorOf(page.text);
    expect(cursor).toBeDefined();
    const next = await onB.call('page_numbers', { label: 'n', count: 300, cursor });
    expect(next.isError, next.text).toBeFalsy();
    expect((next.structuredContent as { numbers: number[] }).numbers[0]).toBe(
      (page.structuredContent as { numbers: number[] }).numbers.at(-1)! + 1,
    );
    await Promise.all([onA.close(), onB.close()]);
  });

  it('with different secrets: the other refuses the token and the cursor', async () => {
    const [a, c] = await Promise.all([startServer([], SECRET), startServer([], 'c'.repeat(40))]);
    const [onA, onC] = await Promise.all([client(a), client(c)]);
    const args = { things: ['foreign'] };
    const preview = await onA.call('wipe_things', args);
    const refused = await onC.call('wipe_things', { ...args, confirmationToken: tokenOf(preview.text) });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/Refused: The confirmation token is unknown/);
    const page = await onA.call('page_numbers', { label: 'n', count: 300 });
    const foreign = await onC.call('page_numbers', { label: 'n', count: 300, cursor: cursorOf(page.text) });
    expect(foreign.isError).toBe(true);
    expect(foreign.text).toMatch(/The cursor is not valid: it was altered, or issued by another server\./);
    expect(wiped).toEqual([]);
    await Promise.all([onA.close(), onC.close()]);
  });
});

describe('--http-stateless refuses what needs sessions', () => {
  it('refuses --dynamic-tools, in one line', async () => {
    const started = start(['--dynamic-tools']);
    await expect(started).rejects.toBeInstanceOf(HttpStartError);
    await expect(started).rejects.toThrow(
      '--dynamic-tools enables tools per session, and --http-stateless keeps no sessions: use one or the other.',
    );
  });
});
