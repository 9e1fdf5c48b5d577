import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { createRuntime } from '../src/runtime.js';
import { createSession } from '../src/session.js';
import { SafeStdioTransport } from '../src/transports/stdio-transport.js';
import { samplePlugin } from './fixtures/sample-plugin.js';

/** A session on the stdio transport over in-memory streams; `send` writes raw bytes, `next` reads a reply. */
async function serve(maxBytes?: number) {
  const command = parseCli([]);
  if (command.kind !== 'serve') throw new Error('serve expected');
  const runtime = await createRuntime(command.options, {
    plugins: [{ plugin: samplePlugin, source: 'test' }],
    discover: false,
  });
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const skipped: string[] = [];
  const transport = new SafeStdioTransport(stdin, stdout, maxBytes);
  transport.onerror = (error) => skipped.push(error.message);
  await createSession(runtime).connect(transport);
  let buffered = '';
  const replies: unknown[] = [];
  stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      replies.push(JSON.parse(buffered.slice(0, newline)));
      buffered = buffered.slice(newline + 1);
    }
  });
  const next = async () => {
    for (let wait = 0; wait < 200 && replies.length === 0; wait++)
      await new Promise((r) => setTimeout(r, 10));
    return replies.shift() as { id: unknown; result?: Record<string, unknown>; error?: { message: string } };
  };
  const send = (text: string) => stdin.write(text);
  const request = (id: number, method: string, params: unknown = {}) =>
    send(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  request(0, 'initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 't', version: '0' },
  });
  await next();
  send(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  return { send, request, next, skipped };
}

const echo = (id: number, text = 'hi', meta?: unknown) => ({
  jsonrpc: '2.0',
  ...(meta === undefined ? {} : {}),
  method: 'tools/call',
  params: { name: 'echo_text', arguments: { text }, ...(meta === undefined ? {} : { _meta: meta }) },
  id,
});

describe('stdio: no input ends the server', () => {
  it('answers a message over the size limit with an error for its id, and keeps serving', async () => {
    const server = await serve(64 * 1024);
    // The MCP SDK writes the id last; it is found from the message's tail.
    server.send(`${JSON.stringify(echo(7, 'x'.repeat(200 * 1024)))}\n`);
    const refused = await server.next();
    expect(refused).toMatchObject({ id: 7, error: { message: expect.stringMatching(/Request too large/) } });
    server.request(8, 'tools/call', { name: 'echo_text', arguments: { text: 'after' } });
    expect((await server.next()).result).toMatchObject({ structuredContent: { text: 'after' } });
  });

  it('answers a line that is not JSON with a parse error', async () => {
    const server = await serve();
    server.send('{not json\n');
    expect(await server.next()).toMatchObject({ id: null, error: { code: -32700 } });
    server.request(2, 'tools/list');
    expect((await server.next()).id).toBe(2);
  });

  it.each([[{ progressToken: { a: 1 } }], [{ progressToken: null }], [{ progressToken: 1.5 }]])(
    'answers a request whose _meta is %j',
    async (meta) => {
      const server = await serve();
      server.send(`${JSON.stringify(echo(3, 'hi', meta))}\n`);
      const reply = await server.next();
      expect(reply).toMatchObject({ id: 3, error: { message: expect.stringMatching(/progressToken/) } });
      server.request(4, 'tools/list');
      expect((await server.next()).id).toBe(4);
    },
  );

  it('handles messages split across chunks and several in one chunk', async () => {
    const server = await serve();
    const line = `${JSON.stringify(echo(5, 'split'))}\n${JSON.stringify(echo(6, 'joined'))}\n`;
    server.send(line.slice(0, 20));
    server.send(line.slice(20));
    const first = await server.next();
    const second = await server.next();
    expect([first.id, second.id]).toEqual([5, 6]);
  });
});
