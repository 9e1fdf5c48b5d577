import { enableCompileCache } from 'node:module';
import { setFlagsFromString } from 'node:v8';

/**
 * Call before importing the server. An MCP server waits on orgs, not on CPU: V8's top-tier optimizer
 * (TurboFan) costs ~8 MB at start-up and buys nothing measurable for I/O-bound tool calls, so it is off
 * (Maglev still optimizes hot code). SFMCP_FULL_JIT=1 turns it back on. The compile cache makes later
 * starts faster. No input may end the server: a failure that escapes a tool is logged on stderr and the
 * server keeps answering.
 */
export function prepareProcess(): void {
  enableCompileCache?.();
  if (!process.env.SFMCP_FULL_JIT) setFlagsFromString('--no-opt');
  const report = (what: string) => (error: unknown) =>
    process.stderr.write(
      `sfmcp: ${what} (the server keeps running): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  process.on('unhandledRejection', report('unhandled rejection'));
  process.on('uncaughtException', report('uncaught exception'));
  // The client closed its end of stdout: there is nobody left to answer.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
  });
}
