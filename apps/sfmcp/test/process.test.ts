import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
const example = fileURLToPath(new URL('../../../examples/sfmcp-plugin-example', import.meta.url));

function start() {
  const child = spawn(
    process.execPath,
    [bin, '--plugin', example, '--tools', 'convert_record_id', '--debug'],
    {
      env: { ...process.env, HOME: homedir() },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const send = (message: unknown) => child.stdin.write(JSON.stringify(message) + '\n');
  const waitFor = async (id: number) => {
    while (!stdout.split('\n').some((line) => line.includes(`"id":${id}`)))
      await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return { child, send, waitFor, stdout: () => stdout, stderr: () => stderr };
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } },
};

describe('the sfmcp process', () => {
  it('writes only JSON-RPC to stdout, logs to stderr, and exits cleanly when stdin closes', async () => {
    const server = start();
    server.send(initialize);
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    server.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'convert_record_id', arguments: { ids: ['bad'] } },
    });
    await server.waitFor(2);
    server.child.stdin.end();
    const [code] = await once(server.child, 'exit');
    expect(code).toBe(0);
    const lines = server.stdout().trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(server.stderr()).toMatch(/\[sfmcp\] debug/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('exits cleanly on %s', async (signal) => {
    const server = start();
    server.send(initialize);
    await server.waitFor(1);
    server.child.kill(signal);
    const [code] = await once(server.child, 'exit');
    expect(code).toBe(0);
  });

  it('survives a message over 10 MB, a line that is not JSON and malformed _meta: each is answered, then the next call', async () => {
    const server = start();
    server.send(initialize);
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    // The SDK's stdio transport closed (and sfmcp exited 0) on anything over 10 MB.
    server.send({
      jsonrpc: '2.0',
      method: 'tools/call',
      params: { name: 'convert_record_id', arguments: { ids: ['x'.repeat(17 * 1024 * 1024)] } },
      id: 3,
    });
    await server.waitFor(3);
    server.child.stdin.write('{this is not json\n');
    for (const [id, progressToken] of [
      [4, { an: 'object' }],
      [5, null],
      [6, 1.5],
    ] as const) {
      server.send({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: {
          name: 'convert_record_id',
          arguments: { ids: ['001000000000001'] },
          _meta: { progressToken },
        },
      });
      await server.waitFor(id);
    }
    server.send({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'convert_record_id', arguments: { ids: ['001000000000001'] } },
    });
    await server.waitFor(7);
    const replies = server
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: unknown; error?: { message: string }; result?: unknown });
    expect(replies.find((reply) => reply.id === 3)?.error?.message).toMatch(/Request too large/);
    expect(replies.find((reply) => reply.id === null)?.error?.message).toMatch(/Parse error/);
    for (const id of [4, 5, 6])
      expect(replies.find((reply) => reply.id === id)?.error?.message).toMatch(
        /progressToken must be a string or an integer/,
      );
    expect(replies.find((reply) => reply.id === 7)?.result).toMatchObject({
      structuredContent: expect.any(Object),
    });
    expect(server.child.exitCode).toBeNull();
    expect(server.stderr()).not.toMatch(/unhandled|uncaught/);
    server.child.stdin.end();
    await once(server.child, 'exit');
  });
});
