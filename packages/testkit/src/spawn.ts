import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface SpawnedServer {
  client: Client;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

export interface SpawnOptions {
  /** The built binary (a .js file run with this Node). */
  bin: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}

function childEnv(extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return { ...env, SF_DISABLE_LOG_FILE: 'true', ...extra };
}

/** Starts the built server over stdio, as an MCP client would, and connects the SDK's client to it. */
export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [options.bin, ...(options.args ?? [])],
    env: childEnv(options.env),
    cwd: options.cwd,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'sfmcp-testkit', version: '0.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

export interface SpawnedHttpServer extends SpawnedServer {
  url: string;
  process: ChildProcess;
}

/** Starts the built server with --transport http on a free port and connects over Streamable HTTP. */
export async function spawnHttpServer(options: SpawnOptions): Promise<SpawnedHttpServer> {
  const child = spawn(
    process.execPath,
    [options.bin, '--transport', 'http', '--port', '0', ...(options.args ?? [])],
    {
      env: childEnv(options.env),
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /serving Streamable HTTP on (\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
  });
  const client = new Client({ name: 'sfmcp-testkit', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return {
    client,
    url,
    process: child,
    stderr: () => stderr,
    close: async () => {
      await client.close().catch(() => undefined);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}
