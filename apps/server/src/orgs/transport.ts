import { PassThrough } from 'node:stream';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type { Connection } from '@salesforce/core';
import { ToolError } from '@sfmcp/plugin-api';
import {
  DEFAULT_ORG_TIMEOUT_SECONDS,
  type OrgRequest,
  type OrgRequestObserver,
  type OrgResponse,
  currentCallObservers,
  currentCallSignal,
} from './call-scope.js';

/**
 * Every org request gets a timeout, is aborted when its tool call is cancelled, and fails with one
 * readable line naming the org ("cannot reach local at http://127.0.0.1:1234: connection refused"),
 * never jsforce's "fetch failed".
 *
 * The seam is jsforce's HTTP transport (`connection._transport`, which every HttpApi of the connection
 * — REST, Tooling, SOAP Metadata, Apex — sends through): each request runs with a signal combining the
 * call's (call-scope.ts) and its own timer, and its promise rejects as soon as that signal aborts.
 * jsforce's fetch wrapper (lib/request.js) makes its own AbortController and takes no signal, so to
 * close the socket too, jsforce's undici dispatcher is replaced by one that aborts the request in
 * flight when the signal in scope aborts.
 */

export interface OrgTarget {
  /** How messages name the org: its alias, else its username. */
  name: string;
  /** The org's username, as allowed. */
  username?: string;
  instanceUrl: string;
  timeoutMs: number;
  /** Watch every request to this org, whichever call sends it (the org's API usage). */
  observers?: readonly OrgRequestObserver[];
}

/** A transport's request promise, as jsforce's StreamPromise shapes it. */
type StreamPromise<T> = Promise<T> & { stream(): unknown };

interface HttpTransport {
  httpRequest(request: unknown, options?: Record<string, unknown>): StreamPromise<unknown>;
}

/** Why a request was aborted, known by the server. */
class RequestAborted extends Error {
  constructor(readonly why: 'timeout' | 'cancelled') {
    super(why === 'timeout' ? 'The request timed out.' : 'The call was cancelled.');
    this.name = 'RequestAborted';
  }
}

const NETWORK_MEANINGS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'no response in time',
  UND_ERR_BODY_TIMEOUT: 'the response stalled',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not match the host',
  EPROTO: 'TLS or protocol error',
};

/** Connection errors jsforce may retry (a reset can be transient); a refused or unknown host is answered at once. */
const RETRIED_NETWORK_ERRORS = ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'];

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The causes of an error, outermost first (fetch wraps the socket error in `cause`). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < 6;) {
    chain.push(current);
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

/**
 * The one-line ToolError for a request to `target` that failed before Salesforce answered: the org
 * could not be reached, did not answer in time, or the call was cancelled.
 */
export function orgRequestError(
  error: unknown,
  target: Omit<OrgTarget, 'timeoutMs'> & { timeoutMs?: number },
): ToolError {
  const mapped = describeRequestFailure(error, target);
  // The underlying error stays reachable (as `cause`) for code that classifies by it; it is never printed.
  Object.defineProperty(mapped, 'cause', {
    value: error,
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return mapped;
}

function describeRequestFailure(
  error: unknown,
  target: Omit<OrgTarget, 'timeoutMs'> & { timeoutMs?: number },
): ToolError {
  const where = `${target.name} at ${target.instanceUrl}`;
  const chain = causes(error);
  const aborted = chain.find((entry): entry is RequestAborted => entry instanceof RequestAborted);
  const timedOut =
    aborted?.why === 'timeout' ||
    chain.some(
      (entry) =>
        entry instanceof Error &&
        (entry.name === 'TimeoutError' || (entry.name === 'AbortError' && /timeout/i.test(entry.message))),
    );
  if (timedOut) {
    return new ToolError(
      `${where} did not answer within ${seconds(target.timeoutMs ?? DEFAULT_ORG_TIMEOUT_SECONDS * 1000)}: the request was abandoned.`,
      'Try again. A slow org can be given longer with --org-timeout <seconds>.',
      { kind: 'unavailable', code: 'ORG_TIMEOUT' },
    );
  }
  if (aborted || chain.some((entry) => entry instanceof Error && entry.name === 'AbortError')) {
    return new ToolError(`Cancelled: the request to ${where} was aborted.`, undefined, {
      kind: 'failed',
      code: 'CANCELLED',
    });
  }
  const code = chain
    .map((entry) => (typeof entry === 'object' ? (entry as { code?: unknown }).code : undefined))
    .find((value): value is string => typeof value === 'string' && value in NETWORK_MEANINGS);
  if (code) {
    return new ToolError(
      `cannot reach ${where}: ${NETWORK_MEANINGS[code]}`,
      'Check that the org is up and that this machine can reach it (network, VPN, proxy).',
      { kind: 'unavailable', code: 'ORG_UNREACHABLE' },
    );
  }
  const innermost = chain
    .filter((entry): entry is Error => entry instanceof Error)
    .map((entry) => entry.message.split('\n')[0]?.trim())
    .filter((message) => message && message !== 'fetch failed')
    .pop();
  return new ToolError(`cannot reach ${where}: ${innermost ?? 'the request failed'}`, undefined, {
    kind: 'unavailable',
    code: 'ORG_UNREACHABLE',
  });
}

/** True for the errors orgRequestError made. */
export function isOrgRequestError(error: unknown): error is ToolError {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    error instanceof ToolError &&
    (code === 'ORG_TIMEOUT' || code === 'ORG_UNREACHABLE' || code === 'CANCELLED')
  );
}

/** The signal of the request in flight, read by the dispatcher below. */
const requestSignals = new AsyncLocalStorage<AbortSignal>();
let fallbackTimeoutMs = DEFAULT_ORG_TIMEOUT_SECONDS * 1000;
let dispatcherInstalled = false;

interface UndiciController {
  abort(reason?: unknown): void;
}
type Handler = Record<string | symbol, unknown> & {
  onRequestStart?: (controller: UndiciController, context: unknown) => unknown;
};
type Dispatch = (options: unknown, handler: Handler) => boolean;

/**
 * An undici interceptor: a request dispatched while a signal is in scope is aborted (its socket closed)
 * when that signal aborts. Requests no guarded transport sent (an OAuth token refresh) get the call's
 * signal and the timeout here.
 */
function abortInterceptor(dispatch: Dispatch): Dispatch {
  return (options, handler) => {
    // Only the handler API that undici's fetch uses (jsforce sends through fetch) is wrapped.
    if (typeof handler.onRequestStart !== 'function') return dispatch(options, handler);
    let signal = requestSignals.getStore();
    let timer: NodeJS.Timeout | undefined;
    if (!signal) {
      const call = currentCallSignal();
      const own = new AbortController();
      timer = setTimeout(() => own.abort(new RequestAborted('timeout')), fallbackTimeoutMs);
      timer.unref();
      signal = call ? AbortSignal.any([call, own.signal]) : own.signal;
    }
    const scoped = signal;
    let onAbort: (() => void) | undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      if (onAbort) scoped.removeEventListener('abort', onAbort);
    };
    const wrapped = new Proxy(handler, {
      get(target, property) {
        if (property === 'onRequestStart') {
          return (controller: UndiciController, context: unknown) => {
            if (scoped.aborted) {
              done();
              controller.abort(scoped.reason);
              return undefined;
            }
            onAbort = () => controller.abort(scoped.reason);
            scoped.addEventListener('abort', onAbort, { once: true });
            return target.onRequestStart?.(controller, context);
          };
        }
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (property === 'onResponseEnd' || property === 'onResponseError') {
          return (...args: unknown[]) => {
            done();
            return (value as (...args: unknown[]) => unknown).apply(target, args);
          };
        }
        return (value as (...args: unknown[]) => unknown).bind(target);
      },
    });
    return dispatch(options, wrapped);
  };
}

/**
 * Gives jsforce (the copy under this server's @salesforce/core) a dispatcher that honours the signal in
 * scope. Best effort: when it cannot be installed, requests still end on time (the transport rejects
 * them), only their sockets stay open until the server answers.
 */
function installDispatcher(): void {
  if (dispatcherInstalled) return;
  dispatcherInstalled = true;
  try {
    const fromCore = createRequire(import.meta.resolve('@salesforce/core'));
    const requestPath = fromCore.resolve('@jsforce/jsforce-node/lib/request');
    const fromJsforce = createRequire(requestPath);
    const jsforceRequest = fromJsforce(requestPath) as { setDispatcher?: (dispatcher: unknown) => void };
    const undici = fromJsforce('undici') as {
      Agent: new (options: Record<string, unknown>) => { compose(interceptor: unknown): unknown };
    };
    if (typeof jsforceRequest.setDispatcher !== 'function') return;
    // jsforce's own settings (no HTTP/2), with undici's own header/body timers off: ours replace them.
    const agent = new undici.Agent({ connect: { allowH2: false }, headersTimeout: 0, bodyTimeout: 0 });
    jsforceRequest.setDispatcher(agent.compose(abortInterceptor));
  } catch {
    // A jsforce without this seam: the transport's own guard still applies.
  }
}

/**
 * Wraps the connection's HTTP transport so that every request it sends has `target.timeoutMs`, is
 * aborted with the tool call in scope, and fails as one readable line. Call right after the
 * connection is created, before its first request.
 */
export function guardConnection(connection: Connection, target: OrgTarget): void {
  installDispatcher();
  fallbackTimeoutMs = target.timeoutMs;
  const holder = connection as unknown as {
    _transport?: HttpTransport;
    oauth2?: { _transport?: HttpTransport };
  };
  if (holder._transport) holder._transport = guardTransport(holder._transport, target);
  if (holder.oauth2?._transport) holder.oauth2._transport = guardTransport(holder.oauth2._transport, target);
  guardRefresh(connection, target);
}

const GUARDED = Symbol('sfmcp.guardedTransport');

/** The signal one request runs under: the tool call's, and its own timer of `target.timeoutMs`. */
function requestScope(target: OrgTarget): { signal: AbortSignal; clear(): void } {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new RequestAborted('timeout')), target.timeoutMs);
  timer.unref();
  const call = currentCallSignal();
  return {
    signal: call ? AbortSignal.any([call, timeout.signal]) : timeout.signal,
    clear: () => clearTimeout(timer),
  };
}

/**
 * `inner`, settled as soon as `scope.signal` aborts (with the timeout or the cancellation said as one
 * line), its value checked by `accept` and its failure mapped by `describe`.
 */
function settleWithin<T>(
  inner: Promise<T>,
  scope: { signal: AbortSignal; clear(): void },
  target: OrgTarget,
  describe: (error: unknown) => unknown,
  accept: (value: T) => ToolError | undefined = () => undefined,
): Promise<T> {
  const { signal } = scope;
  // Settled either way; a rejection after ours was already reported.
  inner.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const finish = () => {
      scope.clear();
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      const reason: unknown = signal.reason;
      reject(
        orgRequestError(reason instanceof RequestAborted ? reason : new RequestAborted('cancelled'), target),
      );
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    inner.then(
      (value) => {
        finish();
        const refused = accept(value);
        if (refused) reject(refused);
        else resolve(value);
      },
      (error: unknown) => {
        finish();
        reject(signal.aborted ? orgRequestError(signal.reason, target) : describe(error));
      },
    );
  });
}

interface TransportResponse {
  statusCode?: number;
  headers?: Record<string, unknown>;
  body?: unknown;
}

/** The API paths whose answers are never an HTML page; Apex REST answers whatever the class sets. */
const API_PATH = /\/services\/(data|Soap|oauth2)\//;

/**
 * The ToolError for an answer that says it is JSON or XML and is not (a truncated body, a proxy's
 * page, a broken gateway), or an HTML page where the API answers: jsforce would hand the unparsed
 * string on as if it were the answer (a query of no rows), or fail with its parser's message.
 */
function unreadableAnswer(response: unknown, url: string, target: OrgTarget): ToolError | undefined {
  const { statusCode, headers, body } = (response ?? {}) as TransportResponse;
  // A 401 is jsforce's to refresh; a body that is not text is not ours to judge.
  if (statusCode === 401 || typeof body !== 'string') return undefined;
  const contentType = typeof headers?.['content-type'] === 'string' ? headers['content-type'] : '';
  const text = body.replace(/^\uFEFF/, '').trim();
  let expected: 'JSON' | 'XML' | undefined;
  if (/^(text|application)\/xml(;|$)/.test(contentType)) {
    if (!(text.startsWith('<') && text.endsWith('>'))) expected = 'XML';
  } else if (/^application\/json(;|$)/.test(contentType)) {
    if (text && !looksLikeJson(text)) expected = 'JSON';
  } else if (
    /^text\/html(;|$)/.test(contentType) &&
    API_PATH.test(url) &&
    statusCode !== undefined &&
    statusCode < 300
  ) {
    return new ToolError(
      `${target.name} at ${target.instanceUrl} answered with an HTML page, not the API: its answer could not be read.`,
      'A proxy, a login or a maintenance page may be in the way; check the org in a browser.',
      { kind: 'unavailable', code: 'ORG_UNREADABLE' },
    );
  }
  if (!expected) return undefined;
  return new ToolError(
    `${target.name} at ${target.instanceUrl} answered with something that is not ${expected}: its answer could not be read.`,
    'Try again; if it persists, something between this machine and the org is changing its answers.',
    { kind: 'unavailable', code: 'ORG_UNREADABLE' },
  );
}

/** Cheap for the large answers (an object or an array must close); scalars are parsed. */
function looksLikeJson(text: string): boolean {
  const first = text[0];
  const last = text[text.length - 1];
  if (first === '{') return last === '}';
  if (first === '[') return last === ']';
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function requestUrl(request: unknown): string {
  const url = (request as { url?: unknown } | undefined)?.url;
  return typeof url === 'string' ? url : '';
}

function orgRequest(request: unknown): OrgRequest {
  const raw = (request ?? {}) as { method?: unknown; url?: unknown; headers?: unknown; body?: unknown };
  return {
    method: typeof raw.method === 'string' ? raw.method.toUpperCase() : 'GET',
    url: typeof raw.url === 'string' ? raw.url : '',
    headers: raw.headers && typeof raw.headers === 'object' ? (raw.headers as Record<string, unknown>) : {},
    ...(raw.body !== undefined ? { body: raw.body } : {}),
  };
}

function orgResponse(response: unknown): OrgResponse {
  const raw = (response ?? {}) as TransportResponse;
  return {
    ...(raw.statusCode !== undefined ? { statusCode: raw.statusCode } : {}),
    headers: raw.headers ?? {},
    ...(raw.body !== undefined ? { body: raw.body } : {}),
  };
}

function guardTransport(transport: HttpTransport, target: OrgTarget): HttpTransport {
  if ((transport as unknown as Record<symbol, unknown>)[GUARDED]) return transport;
  const send = transport.httpRequest.bind(transport);
  const guarded = Object.create(transport) as HttpTransport & Record<symbol, unknown>;
  guarded[GUARDED] = true;
  guarded.httpRequest = (request, options = {}) => {
    const observers = [...(target.observers ?? []), ...currentCallObservers()];
    const seen = observers.length ? orgRequest(request) : undefined;
    const who = { username: target.username ?? target.name, name: target.name };
    if (seen) {
      try {
        for (const observer of observers) observer.beforeRequest?.(seen, who);
      } catch (error) {
        // Refused before it was sent: nothing reached the org. jsforce pipes the request's stream before it
        // awaits the answer, so the refusal carries an empty one; it is handled where it is awaited.
        const refused = Promise.reject(error);
        refused.catch(() => undefined);
        const empty = new PassThrough();
        empty.end();
        return Object.assign(refused, { stream: () => empty }) as StreamPromise<unknown>;
      }
    }
    const scope = requestScope(target);
    const retry = (options.retry ?? {}) as Record<string, unknown>;
    const inner = requestSignals.run(scope.signal, () =>
      send(request, {
        ...options,
        // jsforce's own timer (30 minutes by default) only as a backstop to ours.
        timeout: target.timeoutMs + 5_000,
        retry: { errorCodes: RETRIED_NETWORK_ERRORS, maxRetries: 2, ...retry },
      }),
    );
    const url = requestUrl(request);
    const result = settleWithin(
      inner,
      scope,
      target,
      (error) => orgRequestError(error, target),
      (response) => {
        const unreadable = unreadableAnswer(response, url, target);
        if (unreadable || !seen) return unreadable;
        const answer = orgResponse(response);
        try {
          for (const observer of observers) observer.afterResponse?.(seen, answer, who);
        } catch (error) {
          return error instanceof ToolError ? error : new ToolError(String(error));
        }
        return undefined;
      },
    );
    const StreamPromise = inner.constructor as {
      create?: (build: () => { stream: unknown; promise: Promise<unknown> }) => StreamPromise<unknown>;
    };
    if (typeof StreamPromise.create === 'function') {
      return StreamPromise.create(() => ({ stream: inner.stream(), promise: result }));
    }
    return Object.assign(result, { stream: () => inner.stream() });
  };
  return guarded;
}

interface RefreshDelegate {
  refresh?: (since: number) => Promise<void>;
  waitRefresh?: () => Promise<void>;
  [GUARDED]?: boolean;
}

/** The prefixes jsforce and @salesforce/core wrap a refresh failure in, which say nothing to a user. */
const REFRESH_WRAPPERS =
  /^(Unable to refresh session due to: |Error authenticating with the refresh token due to: )+/;
/** How the token endpoint says the refresh token is no longer good (revoked, expired, user inactive). */
const REFRESH_REFUSED =
  /invalid_grant|expired access\/refresh token|inactive user|not approved|authentication failure|token.*(revoked|invalid)/i;

/**
 * A refresh failure as one line naming the org. The refresh is @salesforce/core's (its own OAuth2
 * transport, a lock, the auth file), and reaches here as a plain Error whose causes are lost.
 */
export function refreshError(error: unknown, target: Omit<OrgTarget, 'timeoutMs'>): ToolError {
  if (error instanceof ToolError) return error;
  const where = `${target.name} at ${target.instanceUrl}`;
  const raw = error instanceof Error ? error.message : String(error);
  const detail = (raw.split('\n')[0] ?? '').replace(REFRESH_WRAPPERS, '').trim();
  if (REFRESH_REFUSED.test(detail)) {
    return new ToolError(
      `The session of ${where} expired and Salesforce refused its refresh token (${detail}).`,
      `Log in again: sf org login web --instance-url ${target.instanceUrl}, then try again.`,
      { kind: 'salesforce', code: 'INVALID_SESSION_ID' },
    );
  }
  if (/^Cannot read propert|is not valid JSON|Unexpected (token|end of JSON)/.test(detail)) {
    return new ToolError(
      `refreshing the session of ${where}: the token endpoint's answer could not be read.`,
      'Try again; if it persists, log in again with sf org login web.',
      { kind: 'unavailable', code: 'ORG_UNREADABLE' },
    );
  }
  if (detail === 'fetch failed' || !detail) {
    return new ToolError(
      `refreshing the session of ${where} failed: the token endpoint could not be reached.`,
      undefined,
      {
        kind: 'unavailable',
        code: 'ORG_UNREACHABLE',
      },
    );
  }
  return new ToolError(`refreshing the session of ${where} failed: ${detail}`, undefined, {
    kind: 'unavailable',
    code: 'ORG_REFRESH_FAILED',
  });
}

/**
 * Bounds jsforce's session refresh like a request (the timeout, the call's cancellation: its token
 * request runs under this signal in the dispatcher) and says its failure as one line.
 */
function guardRefresh(connection: Connection, target: OrgTarget): void {
  const delegate = (connection as unknown as { _refreshDelegate?: RefreshDelegate })._refreshDelegate;
  if (!delegate || delegate[GUARDED] || typeof delegate.refresh !== 'function') return;
  delegate[GUARDED] = true;
  const refresh = delegate.refresh.bind(delegate);
  delegate.refresh = (since: number) => {
    const scope = requestScope(target);
    const inner = requestSignals.run(scope.signal, () => refresh(since));
    return settleWithin(inner, scope, target, (error) => refreshError(error, target));
  };
  if (typeof delegate.waitRefresh === 'function') {
    const waitRefresh = delegate.waitRefresh.bind(delegate);
    // A request that waits for another call's refresh (one that call may have given up on) waits no
    // longer than a request; when that refresh failed, the request goes on and refreshes itself.
    delegate.waitRefresh = () => {
      const scope = requestScope(target);
      return settleWithin(
        waitRefresh().catch(() => undefined),
        scope,
        target,
        (error) => refreshError(error, target),
      );
    };
  }
}

/**
 * Bounds work that is more than one request — opening a connection: reading the auth file and the
 * keychain, then its first requests — by `requests` request timeouts, plus a second so that a request's
 * own timeout reports first.
 */
export async function withDeadline<T>(work: Promise<T>, target: OrgTarget, requests = 1): Promise<T> {
  const ms = target.timeoutMs * requests + 1_000;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(orgRequestError(new RequestAborted('timeout'), { ...target, timeoutMs: ms })),
      ms,
    );
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Rejects as soon as `signal` aborts (the caller's call was cancelled), without cancelling `work` for others sharing it. */
export async function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  target: Omit<OrgTarget, 'timeoutMs'>,
): Promise<T> {
  if (!signal) return work;
  const cancelled = () => orgRequestError(new RequestAborted('cancelled'), target);
  if (signal.aborted) throw cancelled();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
