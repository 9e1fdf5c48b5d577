/**
 * Turns HTTP requests into route calls: reads the body (with a size cap), runs the fault switches
 * (faults.ts), checks the bearer token, sends each path to its part (REST, Tooling, Metadata SOAP,
 * identity, the OAuth token endpoint) and renders every error in Salesforce's shape. Nothing a
 * client sends can crash the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAgents } from '../agents/index.js';
import type { DevopsService } from '../devops/index.js';
import { SalesforceApiError } from '../errors.js';
import { handleMetadataSoap } from '../metadata/index.js';
import { METADATA_NAMESPACE } from '../metadata/xml.js';
import {
  API_VERSIONS,
  LATEST_API_VERSION,
  handleRest,
  identity,
  userInfo,
  versionsList,
  type QueryCursors,
} from '../rest/index.js';
import { countApiRequest } from '../rest/limits.js';
import { accessOf, runAsUser } from '../state/access.js';
import type { LocalOrgState } from '../state/index.js';
import { handleApexSoap, handleCometd, handleTooling } from '../tooling/index.js';
import type { FaultSwitches } from './faults.js';
import { requirePermission, type AuthorizationServer } from './oauth.js';
import type { SessionTokens } from './sessions.js';
import { soapFaultXml } from './soap.js';
import type { RouteReply, RouteRequest } from './types.js';

/** Salesforce's REST request limit. */
export const DEFAULT_MAX_BODY_BYTES = 50 * 1024 * 1024;

export interface RouterOptions {
  org: LocalOrgState;
  /** The access tokens it accepts and whose each is. */
  sessions: SessionTokens;
  /** Discovery, authorize, token and revoke: answered without a bearer token. */
  authorization: AuthorizationServer;
  /** The fault switches every request goes through first. */
  faults?: FaultSwitches;
  cursors: QueryCursors;
  /** The server's own base URL (known once it listens). */
  instanceUrl: () => string;
  maxBodyBytes?: number;
  /** DevOps Center's Connect routes (`connect/devops/...`). */
  devops?: DevopsService;
  /** Called when a handler throws something that is not a SalesforceApiError (a bug somewhere). */
  onUnexpectedError?: (error: unknown, request: RouteRequest) => void;
}

const INVALID_SESSION = new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
const VERSION_PATH = /^\/services\/data\/v(\d+\.\d)(?:\/(.*))?$/;
const SOAP_METADATA_PATH = /^\/services\/Soap\/m\/(\d+\.\d)(?:\/.*)?$/;
const SOAP_APEX_PATH = /^\/services\/Soap\/s\/(\d+\.\d)(?:\/.*)?$/;
const SOAP_PATH = /^\/services\/Soap\//;
const COMETD_PATH = /^\/cometd\/(\d+\.\d)\/?$/;

function soapFault(code: string, message: string): string {
  return soapFaultXml(METADATA_NAMESPACE, `sf:${code}`, `${code}: ${message}`);
}

function errorBody(error: SalesforceApiError): Array<Record<string, unknown>> {
  return [
    {
      message: error.message,
      errorCode: error.errorCode,
      ...(error.fields.length > 0 ? { fields: error.fields } : {}),
    },
  ];
}

export { sameToken } from './sessions.js';

function bearerToken(request: RouteRequest): string | undefined {
  const header = request.headers.authorization;
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(value.trim()) : null;
  return match?.[1];
}

/** SOAP clients put the session in the envelope (`<sessionId>`); jsforce also sends the bearer header. */
function soapSessionId(body: Buffer): string | undefined {
  const match = /<(?:\w+:)?sessionId>([^<]+)<\/(?:\w+:)?sessionId>/.exec(body.toString('utf8'));
  return match?.[1]?.trim();
}

export function createRouter(
  options: RouterOptions,
): (incoming: IncomingMessage, response: ServerResponse) => void {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { org } = options;

  function route(request: RouteRequest): RouteReply | Promise<RouteReply> {
    const { path } = request;
    if (path === '/services/data' || path === '/services/data/') {
      if (request.method !== 'GET' && request.method !== 'HEAD')
        throw new SalesforceApiError(
          405,
          'METHOD_NOT_ALLOWED',
          `HTTP Method '${request.method}' not allowed. Allowed are GET,HEAD`,
        );
      return { status: 200, body: versionsList() };
    }
    // The authorization server's paths authenticate by their forms, not by a bearer token.
    if (options.authorization.serves(path)) return options.authorization.handle(request);
    const soap = SOAP_METADATA_PATH.exec(path);
    const apexSoap = SOAP_APEX_PATH.exec(path);
    const token = bearerToken(request) ?? (soap || apexSoap ? soapSessionId(request.body) : undefined);
    const userId = token === undefined ? undefined : options.sessions.userOf(token);
    if (userId === undefined) throw INVALID_SESSION;
    // What the token's user may do (undefined: everything), worked out once per request.
    const access = accessOf(org.records, userId, org.now());
    // Who the token is for is not an API call (and must answer when the day's calls are spent).
    if (path === '/services/oauth2/userinfo')
      return runAsUser(
        org,
        userId,
        (view) => ({ status: 200, body: userInfo(view, options.instanceUrl(), LATEST_API_VERSION) }),
        access,
      );
    const identityMatch = /^\/id\/([a-zA-Z0-9]{15,18})\/([a-zA-Z0-9]{15,18})$/.exec(path);
    if (identityMatch) {
      if (
        identityMatch[1]?.slice(0, 15) !== org.orgId.slice(0, 15) ||
        identityMatch[2]?.slice(0, 15) !== userId.slice(0, 15)
      ) {
        throw new SalesforceApiError(403, 'Bad_Id', 'Bad_Id');
      }
      return runAsUser(
        org,
        userId,
        (view) => ({ status: 200, body: identity(view, options.instanceUrl(), LATEST_API_VERSION) }),
        access,
      );
    }
    const usage = countApiRequest(org);
    const limitHeader = { 'sforce-limit-info': `api-usage=${usage.used}/${usage.max}` };
    const withLimits = (reply: RouteReply): RouteReply => ({
      ...reply,
      headers: { ...limitHeader, ...reply.headers },
    });
    if (usage.exceeded)
      throw new SalesforceApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

    // Setup APIs serve the users whose permissions allow them (as the org: they see its whole schema).
    const may = (...permissions: string[]) => !access || permissions.some((name) => access.has(name));
    if (soap) {
      requirePermission(
        may('PermissionsModifyAllData', 'PermissionsCustomizeApplication'),
        'The Metadata API',
        'Modify All Data or Customize Application',
      );
      request.apiVersion = soap[1];
      return Promise.resolve(handleMetadataSoap(request, org)).then(withLimits);
    }
    if (apexSoap) {
      requirePermission(may('PermissionsAuthorApex'), 'Anonymous Apex', 'Author Apex');
      request.apiVersion = apexSoap[1];
      return Promise.resolve(handleApexSoap(request, org)).then(withLimits);
    }
    const cometd = COMETD_PATH.exec(path);
    if (cometd) {
      requirePermission(may('PermissionsAuthorApex', 'PermissionsViewSetup'), 'Streaming', 'View Setup');
      request.apiVersion = cometd[1];
      return Promise.resolve(handleCometd(request, org)).then(withLimits);
    }
    const versioned = VERSION_PATH.exec(path);
    if (versioned) {
      const version = versioned[1] as string;
      if (!API_VERSIONS.includes(version))
        throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      request.apiVersion = version;
      const segments = (versioned[2] ?? '').split('/');
      if (segments[segments.length - 1] === '' && segments.length > 1) segments.pop();
      if (segments[0] === 'tooling') {
        requirePermission(
          may('PermissionsViewSetup', 'PermissionsAuthorApex', 'PermissionsCustomizeApplication'),
          'The Tooling API',
          'View Setup and Configuration or Author Apex',
        );
        return Promise.resolve(handleTooling(request, org)).then(withLimits);
      }
      if (segments[0] === 'metadata') {
        requirePermission(
          may('PermissionsModifyAllData', 'PermissionsCustomizeApplication'),
          'The Metadata API',
          'Modify All Data or Customize Application',
        );
        return Promise.resolve(handleMetadataSoap(request, org)).then(withLimits);
      }
      if (segments[0] === 'einstein') return withLimits(handleAgents(request, org, segments));
      if (segments[0] === 'connect' && segments[1] === 'devops' && options.devops) {
        requirePermission(may('PermissionsViewSetup'), 'DevOps Center', 'View Setup and Configuration');
        return options.devops.handle(request, segments.slice(2), options.instanceUrl()).then(withLimits);
      }
      // REST runs as the token's user: their schema (object permissions, field-level security), their id.
      return withLimits(
        runAsUser(
          org,
          userId,
          (view) => handleRest(request, segments, { org: view, cursors: options.cursors }),
          access,
        ),
      );
    }
    throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  function send(response: ServerResponse, reply: RouteReply, head: boolean): void {
    const headers: Record<string, string> = { ...reply.headers };
    let payload: Buffer | undefined;
    if (reply.body !== undefined && reply.body !== null && reply.status !== 204) {
      if (Buffer.isBuffer(reply.body)) payload = reply.body;
      else if (typeof reply.body === 'string') payload = Buffer.from(reply.body, 'utf8');
      else {
        payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
        if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
          headers['content-type'] = 'application/json;charset=UTF-8';
      }
    }
    if (payload) headers['content-length'] = String(payload.length);
    response.writeHead(reply.status, headers);
    response.end(head ? undefined : payload);
  }

  function renderError(error: unknown, request: RouteRequest): RouteReply {
    const isSoap = SOAP_PATH.test(request.path);
    let apiError: SalesforceApiError;
    if (error instanceof SalesforceApiError) apiError = error;
    else {
      options.onUnexpectedError?.(error, request);
      const detail = error instanceof Error ? error.message : String(error);
      apiError = new SalesforceApiError(
        400,
        'UNKNOWN_EXCEPTION',
        `An unexpected error occurred in the local org (a test double): ${detail}`,
      );
    }
    if (isSoap) {
      return {
        status: 500,
        headers: { 'content-type': 'text/xml;charset=UTF-8' },
        body: soapFault(apiError.errorCode, apiError.message),
      };
    }
    return { status: apiError.status, body: errorBody(apiError) };
  }

  return (incoming, response) => {
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = Number(incoming.headers['content-length'] ?? 0) > maxBodyBytes;
    incoming.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBodyBytes) tooLarge = true;
      // Past the cap the rest is read and dropped, so the client still gets the answer.
      if (!tooLarge) chunks.push(chunk);
    });
    incoming.on('error', () => response.destroy());
    incoming.on('end', () => {
      try {
        handle();
      } catch {
        response.destroy();
      }
    });
    const handle = () => {
      const method = (incoming.method ?? 'GET').toUpperCase();
      const request: RouteRequest = {
        method: method === 'HEAD' ? 'GET' : method,
        path: url.pathname.replace(/\/{2,}/g, '/'),
        query: url.searchParams,
        headers: incoming.headers,
        body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks),
      };
      const head = method === 'HEAD';
      if (tooLarge) {
        send(
          response,
          {
            status: 413,
            body: [
              {
                message: `The request body is larger than the ${maxBodyBytes}-byte limit.`,
                errorCode: 'REQUEST_ENTITY_TOO_LARGE',
              },
            ],
          },
          head,
        );
        return;
      }
      const answer = () => {
        let reply: RouteReply | Promise<RouteReply>;
        try {
          reply = route(request);
        } catch (error) {
          send(response, renderError(error, request), head);
          return;
        }
        Promise.resolve(reply)
          .then((value) => send(response, value, head))
          .catch((error: unknown) => {
            try {
              send(response, renderError(error, request), head);
            } catch {
              response.destroy();
            }
          });
      };
      if (!options.faults) {
        answer();
        return;
      }
      options.faults.intercept(method, request.path, response, {
        proceed: () => {
          try {
            answer();
          } catch {
            response.destroy();
          }
        },
        reply: (reply) => send(response, reply, head),
      });
    };
  };
}
