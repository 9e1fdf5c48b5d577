import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The tool call an org request belongs to. Connections are cached per org and shared by concurrent
 * calls, so a call's cancellation cannot be a property of the connection: the server runs each tool
 * handler inside this scope, and the connection's HTTP transport reads the call's signal from it for
 * every request it sends (see transport.ts).
 */
interface CallScope {
  signal: AbortSignal;
  /** What watches this call's org requests (the policy's object, field and row rules; the audit's counts). */
  observers?: readonly OrgRequestObserver[];
}

/** One org HTTP request, as jsforce sends it. */
export interface OrgRequest {
  method: string;
  url: string;
  headers: Record<string, unknown>;
  body?: unknown;
}

/** Salesforce's answer to it. */
export interface OrgResponse {
  statusCode?: number;
  headers: Record<string, unknown>;
  body?: unknown;
}

/** The org a request goes to. */
export interface OrgRequestTarget {
  /** Its username (as allowed), or its alias or name when the username is not known yet. */
  username: string;
  name: string;
}

/**
 * Watches org requests at the one place every one of them passes (transport.ts). `beforeRequest` may throw
 * (a ToolError) to refuse a request before it is sent; `afterResponse` may throw to refuse its answer.
 */
export interface OrgRequestObserver {
  beforeRequest?(request: OrgRequest, target: OrgRequestTarget): void;
  afterResponse?(request: OrgRequest, response: OrgResponse, target: OrgRequestTarget): void;
}

const calls = new AsyncLocalStorage<CallScope>();

/** Default time one org HTTP request may take (`--org-timeout`), in seconds. */
export const DEFAULT_ORG_TIMEOUT_SECONDS = 120;

/**
 * Runs `run` (a tool handler) with the call's AbortSignal in scope: every org request made inside it,
 * however deep (source-deploy-retrieve, apex-node), is aborted when the signal aborts.
 */
export function runWithCallSignal<T>(
  signal: AbortSignal,
  run: () => Promise<T>,
  observers?: readonly OrgRequestObserver[],
): Promise<T> {
  return calls.run({ signal, ...(observers ? { observers } : {}) }, run);
}

/** The observers of the tool call in scope. */
export function currentCallObservers(): readonly OrgRequestObserver[] {
  return calls.getStore()?.observers ?? [];
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
