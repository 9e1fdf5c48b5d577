import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The tool call an org request belongs to. Connections are cached per org and shared by concurrent
 * calls, so a call's cancellation cannot be a property of the connection: the server runs each tool
 * handler inside this scope, and the connection's HTTP transport reads the call's signal from it for
 * every request it sends (see transport.ts).
 */
interface CallScope {
  signal: AbortSignal;
}

const calls = new AsyncLocalStorage<CallScope>();

/** Default time one org HTTP request may take (`--org-timeout`), in seconds. */
export const DEFAULT_ORG_TIMEOUT_SECONDS = 120;

/**
 * Runs `run` (a tool handler) with the call's AbortSignal in scope: every org request made inside it,
 * however deep (source-deploy-retrieve, apex-node), is aborted when the signal aborts.
 */
export function runWithCallSignal<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  return calls.run({ signal }, run);
}

/** The signal of the tool call in scope, if any. */
export function currentCallSignal(): AbortSignal | undefined {
  return calls.getStore()?.signal;
}

/**
 * Runs `run` outside any call: for work shared by several calls (opening a cached connection), which
 * one caller's cancellation must not abort for the others.
 */
export function runOutsideCall<T>(run: () => T): T {
  return calls.exit(run);
}
