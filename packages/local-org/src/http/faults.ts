/**
 * Fault switches: make the local org misbehave the way a real org or the network between does, so a
 * test can watch a client survive it. They sit in the HTTP layer, ahead of every route, so REST,
 * Tooling, the SOAP Metadata and Apex APIs and the OAuth endpoints can all be faulted the same way.
 *
 * A faulted response carries `x-sfmcp-fault: <kind>` (where there is a response at all), so nobody
 * mistakes it for what Salesforce said.
 */
import { randomInt } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { METADATA_NAMESPACE } from '../metadata/xml.js';
import type { SessionTokens } from './sessions.js';
import { soapFaultXml } from './soap.js';
import type { RouteReply } from './types.js';

export type FaultKind =
  /** The connection is closed without a response (a crashed proxy; `reset: true`: a TCP reset). */
  | 'drop'
  /** `500` with Salesforce's UNKNOWN_EXCEPTION body (a SOAP fault on SOAP paths, OAuth's shape on `/services/oauth2/`). */
  | 'server-error'
  /** `503` SERVER_UNAVAILABLE with `Retry-After` (maintenance, an overloaded instance). */
  | 'unavailable'
  /** The real answer, after `delayMs`. */
  | 'slow'
  /** The request is read and never answered, until the faults are cleared or the org stops. */
  | 'stall'
  /** `200` with a body that is neither JSON nor XML, under the content type the API would use. */
  | 'garbage';

export interface Fault {
  kind: FaultKind;
  /**
   * Only requests to matching paths (default: every request). A string matches as a prefix of the
   * path, or of the part after `/services/data/vXX.X` for versioned paths: `'/query'` faults REST
   * queries, `'/tooling/'` the Tooling API, `'/services/Soap/m/'` the Metadata API, `'/services/Soap/'`
   * every SOAP API, `'/services/oauth2/token'` the token endpoint. A RegExp is tested on the path.
   */
  path?: string | RegExp;
  /** Only requests with this HTTP method (`'GET'`, `'POST'`...); default: any. */
  method?: string;
  /** Fault only the next N matching requests, then stand down; default: every one until cleared. */
  times?: number;
  /** `slow`: how long before the real answer, in milliseconds (default 2000). */
  delayMs?: number;
  /** `unavailable`: the `Retry-After` header, in seconds (default 30). */
  retryAfterSeconds?: number;
  /** `garbage`: the body (default: a line of text that no JSON or XML parser accepts). */
  body?: string;
  /** `drop`: reset the connection (the client reads ECONNRESET) instead of closing it (a socket closed by the other side). */
  reset?: boolean;
}

export interface ExpireSessionOptions {
  /** The refresh token is revoked too: a refresh is `400 invalid_grant`, and only a new login helps. */
  revokeRefreshToken?: boolean;
}

/** The fault switches of a started org: `org.faults`. */
export interface OrgFaults {
  /** Replaces the active faults with these (none: no fault). The first match of a request applies. */
  set(...faults: Fault[]): void;
  /** Adds faults after the active ones. */
  add(...faults: Fault[]): void;
  /**
   * Back to normal: no fault applies from now on, stalled requests whose client is still connected
   * get their real answer, and a session expired by expireSession() is live again.
   */
  clear(): void;
  /**
   * Expires the session mid-run: from now on every access token issued so far is refused with
   * `401 INVALID_SESSION_ID` (a SOAP `sf:INVALID_SESSION_ID` fault on SOAP paths), as Salesforce
   * refuses a timed-out or revoked session. `POST /services/oauth2/token` with
   * `grant_type=refresh_token` and `org.refreshToken` still mints a new, working token.
   */
  expireSession(options?: ExpireSessionOptions): void;
  /** The active faults, with what is left of each `times`. */
  readonly active: readonly Fault[];
  /** How many requests were faulted since the org started. */
  readonly injected: number;
  /** How many requests are stalled now. */
  readonly stalled: number;
}

const DEFAULT_DELAY_MS = 2000;
const DEFAULT_RETRY_AFTER_SECONDS = 30;
const DEFAULT_GARBAGE = 'sfmcp local-org fault: this body is neither JSON nor XML {"records": [<';
const VERSIONED = /^\/services\/data\/v\d+\.\d(\/.*)?$/;
const SOAP_PATH = /^\/services\/Soap\//;
const OAUTH_PATH = /^\/services\/oauth2\//;

type Api = 'rest' | 'soap' | 'oauth';

function checkFault(fault: Fault): Fault {
  const kinds: FaultKind[] = ['drop', 'server-error', 'unavailable', 'slow', 'stall', 'garbage'];
  if (!kinds.includes(fault.kind))
    throw new Error(`Unknown fault kind ${String(fault.kind)}: one of ${kinds.join(', ')}.`);
  if (fault.times !== undefined && (!Number.isInteger(fault.times) || fault.times < 1))
    throw new Error(`A fault's times must be a whole number from 1, not ${String(fault.times)}.`);
  if (fault.delayMs !== undefined && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0))
    throw new Error(`A fault's delayMs must be a number of milliseconds, not ${String(fault.delayMs)}.`);
  return { ...fault };
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (fault.path === undefined) return true;
  if (fault.path instanceof RegExp) return fault.path.test(path);
  if (path.startsWith(fault.path)) return true;
  const rest = VERSIONED.exec(path)?.[1];
  return rest !== undefined && rest.startsWith(fault.path);
}

/** Salesforce's answer to an internal error: UNKNOWN_EXCEPTION with an ErrorId to quote to support. */
function serverError(api: Api): RouteReply {
  const message = `An unexpected error occurred. Please include this ErrorId if you contact support: ${randomInt(1e9, 2e9)}-${randomInt(1e4, 9e4)} (${-randomInt(1e8, 2e9)})`;
  if (api === 'soap')
    return {
      status: 500,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: soapFaultXml(METADATA_NAMESPACE, 'sf:UNKNOWN_EXCEPTION', `UNKNOWN_EXCEPTION: ${message}`),
    };
  // The OAuth endpoints answer OAuth's error shape; unknown_error is Salesforce's "retry your request".
  if (api === 'oauth')
    return { status: 500, body: { error: 'unknown_error', error_description: 'retry your request' } };
  return { status: 500, body: [{ message, errorCode: 'UNKNOWN_EXCEPTION' }] };
}

function unavailable(api: Api, retryAfterSeconds: number): RouteReply {
  const message = 'The server is temporarily unable to service your request. Please try again later.';
  const headers = { 'retry-after': String(retryAfterSeconds) };
  if (api === 'soap')
    return {
      status: 503,
      headers: { ...headers, 'content-type': 'text/xml;charset=UTF-8' },
      body: soapFaultXml(METADATA_NAMESPACE, 'sf:SERVER_UNAVAILABLE', `SERVER_UNAVAILABLE: ${message}`),
    };
  if (api === 'oauth')
    return {
      status: 503,
      headers,
      body: { error: 'unknown_error', error_description: 'retry your request' },
    };
  return { status: 503, headers, body: [{ message, errorCode: 'SERVER_UNAVAILABLE' }] };
}

function garbage(api: Api, body: string): RouteReply {
  return {
    status: 200,
    headers: { 'content-type': api === 'soap' ? 'text/xml;charset=UTF-8' : 'application/json;charset=UTF-8' },
    body,
  };
}

/** What the router does with one request once faults had their say. */
export interface FaultHooks {
  /** Answer the request for real. */
  proceed(): void;
  /** Answer with this reply instead. */
  reply(reply: RouteReply): void;
}

interface Held {
  response: ServerResponse;
  release(): void;
}

export class FaultSwitches implements OrgFaults {
  #faults: Fault[] = [];
  #injected = 0;
  readonly #stalled = new Set<Held>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(private readonly sessions: SessionTokens) {}

  set(...faults: Fault[]): void {
    this.#faults = faults.map(checkFault);
  }

  add(...faults: Fault[]): void {
    this.#faults.push(...faults.map(checkFault));
  }

  clear(): void {
    this.#faults = [];
    this.sessions.restore();
    const held = [...this.#stalled];
    this.#stalled.clear();
    for (const entry of held) entry.release();
  }

  expireSession(options: ExpireSessionOptions = {}): void {
    this.sessions.expire(options.revokeRefreshToken ?? false);
  }

  get active(): readonly Fault[] {
    return this.#faults.map((fault) => ({ ...fault }));
  }

  get injected(): number {
    return this.#injected;
  }

  get stalled(): number {
    return this.#stalled.size;
  }

  /** The fault for this request, if one applies (and counts it against its `times`). */
  #take(method: string, path: string): Fault | undefined {
    const index = this.#faults.findIndex((fault) => matches(fault, method, path));
    if (index < 0) return undefined;
    const fault = this.#faults[index] as Fault;
    if (fault.times !== undefined) {
      if (fault.times <= 1) this.#faults.splice(index, 1);
      else this.#faults[index] = { ...fault, times: fault.times - 1 };
    }
    this.#injected += 1;
    return fault;
  }

  /**
   * Runs one request through the faults: calls `hooks.proceed()` (now or later) to answer it for
   * real, `hooks.reply()` with a faulted answer, or never answers it (drop, stall).
   */
  intercept(method: string, path: string, response: ServerResponse, hooks: FaultHooks): void {
    const fault = this.#stopped ? undefined : this.#take(method, path);
    if (!fault) {
      hooks.proceed();
      return;
    }
    const api: Api = SOAP_PATH.test(path) ? 'soap' : OAUTH_PATH.test(path) ? 'oauth' : 'rest';
    if (response.headersSent === false) response.setHeader('x-sfmcp-fault', fault.kind);
    switch (fault.kind) {
      case 'drop':
        if (fault.reset && response.socket) response.socket.resetAndDestroy();
        else response.destroy();
        return;
      case 'server-error':
        hooks.reply(serverError(api));
        return;
      case 'unavailable':
        hooks.reply(unavailable(api, fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS));
        return;
      case 'garbage':
        hooks.reply(garbage(api, fault.body ?? DEFAULT_GARBAGE));
        return;
      case 'slow': {
        // Unref'd and cleared on stop: a slow answer never keeps the process alive.
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          if (!response.destroyed) hooks.proceed();
        }, fault.delayMs ?? DEFAULT_DELAY_MS);
        timer.unref();
        this.#timers.add(timer);
        return;
      }
      case 'stall': {
        // Nothing but this entry refers to the request: a stalled request holds no timer and no
        // handle of its own, and stop() closes its socket.
        const held: Held = {
          response,
          release: () => {
            // A client that gave up meanwhile never sees its request processed: a stall models a
            // request that did not get through.
            if (!response.destroyed) hooks.proceed();
          },
        };
        this.#stalled.add(held);
        response.once('close', () => this.#stalled.delete(held));
        return;
      }
    }
  }

  /** The org stops: no more faults, stalled and delayed requests are dropped. */
  stop(): void {
    this.#stopped = true;
    this.#faults = [];
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const held of this.#stalled) held.response.destroy();
    this.#stalled.clear();
  }
}
