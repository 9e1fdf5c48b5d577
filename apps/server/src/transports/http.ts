import { randomUUID, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  ErrorCode,
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  isInitializeRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Runtime } from '../runtime.js';
import { InvalidToken, OAuthResourceServer, oauthUser } from './oauth.js';
import { type StatelessPrincipal, createSession } from '../session.js';
import { SessionEventStore } from './event-store.js';
import { type JsonRpcErrorReply, errorReply, screenMessage } from './screen.js';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** How long a client waits before reconnecting to a stream the server ended (the SSE `retry` field). */
export const SSE_RETRY_MS = 1000;

const PROTOCOL_HEADER = 'mcp-protocol-version';

/** The version initialize settles on, as the SDK's server decides it. */
function negotiatedVersion(initialize: unknown): string {
  const requested = (initialize as { params?: { protocolVersion?: unknown } }).params?.protocolVersion;
  return typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested)
    ? requested
    : LATEST_PROTOCOL_VERSION;
}

/**
 * A request in a session speaks the version negotiated at initialize (MCP: the MCP-Protocol-Version header
 * carries it). A client that sends another version the SDK supports gets the session's, so what depends on
 * the version, resumable streams from 2025-11-25 (a priming event, a stream a tool may end for polling), follows
 * what the client negotiated. A version the SDK does not support is left for it to refuse.
 */
function alignProtocolVersion(req: IncomingMessage, negotiated: string): void {
  const sent = req.headers[PROTOCOL_HEADER];
  if (typeof sent !== 'string' || sent === negotiated || !SUPPORTED_PROTOCOL_VERSIONS.includes(sent)) return;
  req.headers[PROTOCOL_HEADER] = negotiated;
  // The transport builds its request from the raw headers.
  for (let index = 0; index < req.rawHeaders.length; index += 2)
    if (req.rawHeaders[index]?.toLowerCase() === PROTOCOL_HEADER) req.rawHeaders[index + 1] = negotiated;
}

function reply(res: ServerResponse, status: number, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

class BadBody extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads the whole body, even one over the limit (drained, not kept), so the connection stays usable. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES)
    throw new BadBody(
      413,
      ErrorCode.InvalidRequest,
      `Request too large: the body is over ${MAX_BODY_BYTES / (1024 * 1024)} MB`,
    );
  if (!chunks.length) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadBody(400, ErrorCode.ParseError, 'Parse error: the body is not JSON');
  }
}

/** A request the SDK's schema would refuse without naming it is answered with its own id and the reason. */
function screenBody(body: unknown): JsonRpcErrorReply | undefined {
  for (const raw of Array.isArray(body) ? body : [body]) {
    const screened = screenMessage(raw);
    if (!('message' in screened))
      return screened.reply ?? errorReply(null, ErrorCode.InvalidRequest, screened.problem);
  }
  return undefined;
}

export interface HttpServerHandle {
  url: string;
  close(): Promise<void>;
  /** Closes the sessions idle at `now` (the server does it on a timer; tests call it with a later clock). */
  closeIdleSessions(now?: number): void;
}

/** The environment variable holding the bearer token HTTP clients must send. */
export const HTTP_TOKEN_VARIABLE = 'SFMCP_HTTP_TOKEN';

/** Why the HTTP server cannot start as configured: one line for the user, exit code 1. */
export class HttpStartError extends Error {}

function isLoopback(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host.toLowerCase()) || host.startsWith('127.');
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '', 'utf8');
  const expected = Buffer.from(token, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Streamable HTTP on /mcp, one MCP session per client. Bound to 127.0.0.1 by default; the Host and
 * Origin headers must name the bound host, which stops DNS-rebinding attacks from a browser page.
 *
 * With --http-stateless there are no sessions (the SDK's stateless mode): each POST gets its own Server and
 * transport, closed when its response ends, so any instance behind a load balancer answers any request. GET
 * and DELETE (a session's stream, its end) are answered 405. Confirmations then use tokens bound to the
 * principal (SessionOptions.stateless), which verify on every instance sharing SFMCP_SECRET and the
 * --confirmation-store folder. The checks before a request reaches MCP are the same in both modes.
 */
export async function serveHttp(runtime: Runtime): Promise<HttpServerHandle> {
  const { host, port, oauthLoginUrl, oauthClientId, publicUrl } = runtime.options;
  const token = process.env[HTTP_TOKEN_VARIABLE] || undefined;
  if (oauthLoginUrl && token)
    throw new HttpStartError(
      `--oauth-login-url authenticates every user with their own Salesforce token: unset ${HTTP_TOKEN_VARIABLE}.`,
    );
  const oauth = oauthLoginUrl
    ? new OAuthResourceServer(
        { loginUrl: oauthLoginUrl, ...(oauthClientId ? { clientId: oauthClientId } : {}) },
        runtime.log.child('oauth'),
      )
    : undefined;
  // Beyond loopback anyone on the network could drive the user's orgs: a token (the admin's, or each user's
  // own with OAuth) is required there.
  if (!isLoopback(host) && !token && !oauth) {
    throw new HttpStartError(
      `--host ${host} serves beyond this machine: set ${HTTP_TOKEN_VARIABLE} to a secret clients send as "Authorization: Bearer <token>", or bind to 127.0.0.1.`,
    );
  }
  if (token !== undefined && token.length < 32)
    throw new HttpStartError(`${HTTP_TOKEN_VARIABLE} must be at least 32 characters (use a random string).`);
  const stateless = runtime.options.httpStateless;
  if (stateless && runtime.options.dynamicTools)
    throw new HttpStartError(
      '--dynamic-tools enables tools per session, and --http-stateless keeps no sessions: use one or the other.',
    );
  // Stateless: who the requests authenticate as, when no OAuth user is known (what confirmations bind to).
  const principal: StatelessPrincipal = token !== undefined ? 'bearer' : 'anonymous-loopback';
  /** With OAuth: which user each session belongs to (`<orgId>:<userId>`); another user's token cannot use it. */
  const owners = new Map<string, string>();
  /** Stateless: the Servers answering a request now (each closes when its response ends). */
  const live = new Set<{ close(): Promise<void> }>();
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const versions = new Map<string, string>();
  const lastSeen = new Map<string, number>();
  const idleMs = runtime.options.httpIdleMinutes * 60_000;
  // Idle sessions are closed (their confirmation tokens and defaults go with them); a client reconnects.
  const closeIdleSessions = (now = Date.now()) => {
    for (const [id, seen] of lastSeen) {
      if (now - seen < idleMs) continue;
      lastSeen.delete(id);
      versions.delete(id);
      owners.delete(id);
      void sessions
        .get(id)
        ?.close()
        .catch(() => undefined);
      sessions.delete(id);
    }
  };
  const sweeper = setInterval(closeIdleSessions, Math.min(60_000, Math.max(1_000, idleMs / 4)));
  sweeper.unref();
  const loopbackNames = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
  let allowedHosts = new Set<string>();

  const hostAllowed = (value: string | undefined): boolean => {
    if (!value) return false;
    return allowedHosts.has(value.toLowerCase());
  };
  const originAllowed = (origin: string | undefined): boolean => {
    if (!origin) return true; // non-browser clients send no Origin
    try {
      return allowedHosts.has(new URL(origin).host.toLowerCase());
    } catch {
      return false;
    }
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://placeholder');
      if (!hostAllowed(req.headers.host) || !originAllowed(req.headers.origin)) {
        reply(res, 403, 'Forbidden: unexpected Host or Origin header');
        return;
      }
      // Where clients reach this server: --public-url behind a proxy, else the Host they sent (checked above).
      const base = publicUrl ?? `http://${req.headers.host}`;
      if (oauth && (await oauth.serveMetadata(req, res, url.pathname, base))) return;
      if (url.pathname !== '/mcp') {
        reply(res, 404, 'Not found: the MCP endpoint is /mcp');
        return;
      }
      let owner: string | undefined;
      if (oauth) {
        const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
        const challenge = (error?: Parameters<OAuthResourceServer['challenge']>[1]) => {
          req.resume();
          res
            .writeHead(401, {
              'content-type': 'application/json',
              'www-authenticate': oauth.challenge(base, error),
            })
            .end(
              JSON.stringify(
                errorReply(
                  null,
                  -32001,
                  `Unauthorized: ${error?.description ?? 'sign in to Salesforce (OAuth)'}`,
                ),
              ),
            );
        };
        if (!bearer) {
          // MCP authorization: no token yet, so no error code; the header says where to find the metadata.
          challenge();
          return;
        }
        try {
          const auth = await oauth.authenticate(bearer);
          (req as IncomingMessage & { auth?: AuthInfo }).auth = auth;
          const user = oauthUser(auth)!;
          owner = `${user.orgId}:${user.userId}`;
        } catch (error) {
          if (error instanceof InvalidToken) {
            challenge({ code: 'invalid_token', description: error.message });
            return;
          }
          req.resume();
          reply(res, 503, `Service unavailable: ${(error as Error).message}`);
          return;
        }
      }
      if (token !== undefined && !tokenMatches(req.headers.authorization, token)) {
        req.resume();
        res
          .writeHead(401, {
            'content-type': 'application/json',
            'www-authenticate': 'Bearer realm="sfmcp", error="invalid_token"',
          })
          .end(JSON.stringify(errorReply(null, -32001, "Unauthorized: send the server's bearer token")));
        return;
      }
      const sessionId = req.headers['mcp-session-id'];
      let existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      // Another user's session is not found: a session id is no credential.
      if (existing && owner !== undefined && owners.get(sessionId as string) !== owner) existing = undefined;
      if (existing && typeof sessionId === 'string') {
        lastSeen.set(sessionId, Date.now());
        const negotiated = versions.get(sessionId);
        if (negotiated) alignProtocolVersion(req, negotiated);
      }
      if (req.method === 'POST') {
        let body: unknown;
        try {
          body = await readJson(req);
        } catch (error) {
          const bad =
            error instanceof BadBody ? error : new BadBody(400, ErrorCode.ParseError, 'Bad request');
          res.writeHead(bad.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(errorReply(null, bad.code, bad.message)));
          return;
        }
        const refused = body === undefined ? undefined : screenBody(body);
        if (refused) {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(refused));
          return;
        }
        if (stateless) {
          // One request, one Server: no session id, no event store (no stream to resume on another instance).
          const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
          const session = createSession(runtime, { stateless: { principal } });
          live.add(session);
          res.once('close', () => {
            live.delete(session);
            void session.close().catch(() => undefined);
          });
          await session.connect(transport);
          await transport.handleRequest(req, res, body);
          return;
        }
        if (existing) {
          await existing.handleRequest(req, res, body);
          return;
        }
        if (sessionId !== undefined || !isInitializeRequest(body)) {
          reply(
            res,
            sessionId === undefined ? 400 : 404,
            sessionId === undefined ? 'Bad request: no session; send initialize first' : 'Session not found',
          );
          return;
        }
        // The session's SSE events, kept (bounded) so a client can resume a stream; they go with the session.
        const events = new SessionEventStore();
        const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          eventStore: events,
          retryInterval: SSE_RETRY_MS,
          onsessioninitialized: (id) => {
            sessions.set(id, transport);
            if (owner !== undefined) owners.set(id, owner);
            lastSeen.set(id, Date.now());
            versions.set(id, negotiatedVersion(body));
          },
        });
        transport.onclose = () => {
          events.clear();
          if (transport.sessionId) {
            sessions.delete(transport.sessionId);
            owners.delete(transport.sessionId);
            lastSeen.delete(transport.sessionId);
            versions.delete(transport.sessionId);
          }
        };
        await createSession(runtime).connect(transport);
        await transport.handleRequest(req, res, body);
        return;
      }
      if (stateless && (req.method === 'GET' || req.method === 'DELETE')) {
        req.resume();
        res
          .writeHead(405, { allow: 'POST', 'content-type': 'application/json' })
          .end(
            JSON.stringify(
              errorReply(
                null,
                -32000,
                `Method not allowed: this server keeps no sessions (--http-stateless), so there is no session stream to ${req.method === 'GET' ? 'open' : 'end'}; send requests with POST`,
              ),
            ),
          );
        return;
      }
      if (req.method === 'GET' || req.method === 'DELETE') {
        if (!existing) {
          reply(res, 404, 'Session not found');
          return;
        }
        await existing.handleRequest(req, res);
        return;
      }
      res.writeHead(405, { allow: stateless ? 'POST' : 'GET, POST, DELETE' }).end();
    } catch (error) {
      runtime.log.error('HTTP request failed', error);
      if (!res.headersSent) reply(res, 500, 'Internal error');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      clearInterval(sweeper);
      reject(
        error.code === 'EADDRINUSE'
          ? new HttpStartError(`port ${port} on ${host} is in use: choose another with --port.`)
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
            ? new HttpStartError(`cannot bind to ${host}: it is not an address of this machine.`)
            : error.code === 'EACCES'
              ? new HttpStartError(`port ${port} needs privileges: choose one above 1023 with --port.`)
              : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const names = new Set([host, ...(loopbackNames.has(host) ? loopbackNames : [])]);
  allowedHosts = new Set(
    [...names].map((name) =>
      `${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}:${bound}`.toLowerCase(),
    ),
  );
  // Behind a proxy clients name the public host (and browsers send it as Origin).
  if (publicUrl) {
    const { host: publicHost, protocol } = new URL(publicUrl);
    allowedHosts.add(publicHost.toLowerCase());
    if (!publicHost.includes(':'))
      allowedHosts.add(`${publicHost}:${protocol === 'https:' ? 443 : 80}`.toLowerCase());
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/mcp`;
  runtime.log.info(
    `serving Streamable HTTP on ${url}${stateless ? ' (stateless: no sessions)' : ''}${oauth ? ` (OAuth: users sign in at ${oauthLoginUrl})` : ''}`,
  );
  return {
    url,
    closeIdleSessions,
    close: async () => {
      clearInterval(sweeper);
      await Promise.all([...sessions.values(), ...live].map((open) => open.close().catch(() => undefined)));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
