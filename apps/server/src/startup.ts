import { enableCompileCache } from 'node:module';
import { setFlagsFromString } from 'node:v8';

/**
 * Call before importing the server. An MCP server waits on orgs, not on CPU: V8's top-tier optimizer
 * (TurboFan) costs ~8 MB at start-up and buys nothing measurable for I/O-bound tool calls, so it is off
 * (Maglev still optimizes hot code). SFMCP_FULL_JIT=1 turns it back on. The compile cache makes later
 * starts faster.
 */
export function prepareProcess(): void {
  enableCompileCache?.();
  if (!process.env.SFMCP_FULL_JIT) setFlagsFromString('--no-opt');
}
