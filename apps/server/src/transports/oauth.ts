import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Logger } from '../logger.js';

/** Who a call runs as on a team server: the Salesforce user the bearer token belongs to. */
export interface OAuthUser {
  username: string;
  userId: string;
  orgId: string;
  instanceUrl: string;
  /** The token itself: kept only in memory, to open that user's connection; never logged or returned. */
  accessToken: string;
}

export interface OAuthSettings {
  /** The Salesforce login URL users log in to (https://login.salesforce.com, a My Domain, the local org). */
  loginUrl: string;
  /** A connected app's consumer key: sfmcp then offers clients registration that hands it out. */
  clientId?: string;
}

/** RFC 9728: where a client finds which authorization server protects /mcp. */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';
/** RFC 8414 metadata sfmcp serves itself when it registers clients with a configured client id. */
export const AUTHORIZATION_SERVER_PATH = '/.well-known/oauth-authorization-server';
export const REGISTRATION_PATH = '/oauth/register';

const USERINFO_CACHE_MS = 60_000;
const USERINFO_TIMEOUT_MS = 15_000;
const MAX_CACHED = 1_000;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
    .end(JSON.stringify(body));
}

/** A token the login URL did not accept: the client gets a 401 and logs in again. */
export class InvalidToken extends Error {}

/**
 * sfmcp as an OAuth-protected MCP resource server (MCP authorization, RFC 9728): /mcp needs a Salesforce
 * access token; the protected-resource metadata names the authorization server, and a token is checked with
 * that Salesforce's userinfo endpoint, which also says whose it is. Each call then runs with the user's own
 * token, so the org's field-level security and sharing decide what the assistant sees.
 *
 * Salesforce registers no clients dynamically: with a configured client id, sfmcp publishes the login URL's
 * endpoints as its own authorization-server metadata with a registration endpoint that hands out that id
 * (the connected app must list the client's callback URL). Without one, clients register themselves where the
 * authorization server allows it (client ID metadata documents) or are configured with a client id.
 */
export class OAuthResourceServer {
  readonly #cache = new Map<string, { user: OAuthUser; until: number }>();

  constructor(
    readonly settings: OAuthSettings,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The MCP endpoint's URL as clients reach it: the resource tokens are for. */
  resource(base: string): string {
    return `${base}/mcp`;
  }

  /** The `WWW-Authenticate` challenge of a 401 (MCP authorization: it carries resource_metadata). */
  challenge(
    base: string,
    error?: { code: 'invalid_token' | 'invalid_request'; description: string },
  ): string {
    const parts = [`resource_metadata="${base}${PROTECTED_RESOURCE_PATH}"`];
    if (error)
      parts.push(`error="${error.code}"`, `error_description="${error.description.replace(/"/g, "'")}"`);
    return `Bearer ${parts.join(', ')}`;
  }

  /** Answers the metadata and registration paths; false for any other path. */
  async serveMetadata(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    base: string,
  ): Promise<boolean> {
    const { loginUrl, clientId } = this.settings;
    if (path === PROTECTED_RESOURCE_PATH || path === `${PROTECTED_RESOURCE_PATH}/mcp`) {
      json(res, 200, {
        resource: this.resource(base),
        authorization_servers: [clientId ? base : loginUrl],
        bearer_methods_supported: ['header'],
        scopes_supported: ['api', 'refresh_token'],
        resource_name: 'sfmcp',
      });
      return true;
    }
    if (clientId && (path === AUTHORIZATION_SERVER_PATH || path === '/.well-known/openid-configuration')) {
      json(res, 200, {
        issuer: base,
        authorization_endpoint: `${loginUrl}/services/oauth2/authorize`,
        token_endpoint: `${loginUrl}/services/oauth2/token`,
        revocation_endpoint: `${loginUrl}/services/oauth2/revoke`,
        userinfo_endpoint: `${loginUrl}/services/oauth2/userinfo`,
        registration_endpoint: `${base}${REGISTRATION_PATH}`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['api', 'refresh_token'],
      });
      return true;
    }
    if (clientId && path === REGISTRATION_PATH) {
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST' }).end();
        return true;
      }
      let metadata: Record<string, unknown> = {};
      try {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of req) {
          size += (chunk as Buffer).length;
          if (size > 64 * 1024) throw new Error('too large');
          chunks.push(chunk as Buffer);
        }
        metadata = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        json(res, 400, {
          error: 'invalid_client_metadata',
          error_description: 'the body must be client metadata as JSON',
        });
        return true;
      }
      const redirects = Array.isArray(metadata.redirect_uris)
        ? metadata.redirect_uris.filter((uri): uri is string => typeof uri === 'string')
        : [];
      if (!redirects.length) {
        json(res, 400, { error: 'invalid_redirect_uri', error_description: 'redirect_uris is required' });
        return true;
      }
      // Every client gets the one connected app: Salesforce decides whether its callback URL is allowed.
      json(res, 201, {
        client_id: clientId,
        client_id_issued_at: Math.floor(this.now() / 1000),
        redirect_uris: redirects,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        ...(typeof metadata.client_name === 'string'
          ? { client_name: metadata.client_name.slice(0, 200) }
          : {}),
      });
      return true;
    }
    return false;
  }

  /** The user a bearer token belongs to, asked of the login URL's userinfo (cached a minute, by digest). */
  async authenticate(token: string): Promise<AuthInfo> {
    const key = digest(token);
    const now = this.now();
    const cached = this.#cache.get(key);
    let user = cached && cached.until > now ? cached.user : undefined;
    if (!user) {
      user = await this.#userinfo(token);
      if (this.#cache.size >= MAX_CACHED)
        for (const [old, entry] of this.#cache)
          if (entry.until <= now || this.#cache.size >= MAX_CACHED) this.#cache.delete(old);
      this.#cache.set(key, { user, until: now + USERINFO_CACHE_MS });
    }
    return {
      token,
      clientId: this.settings.clientId ?? 'unregistered',
      scopes: [],
      extra: { sfmcpUser: user },
    };
  }

  /** Forgets a token (the org said its session is invalid): the next request asks again. */
  forget(token: string): void {
    this.#cache.delete(digest(token));
  }

  async #userinfo(token: string): Promise<OAuthUser> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.loginUrl}/services/oauth2/userinfo`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(USERINFO_TIMEOUT_MS),
      });
    } catch (error) {
      this.log.warn(
        `could not reach ${this.settings.loginUrl} to check a token: ${(error as Error).message}`,
      );
      throw new Error(`the login server ${this.settings.loginUrl} could not be reached`);
    }
    if (response.status === 401 || response.status === 403)
      throw new InvalidToken('the token is invalid or expired');
    if (!response.ok) throw new Error(`the login server answered ${response.status}`);
    const info = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const urls = (info.urls ?? {}) as Record<string, unknown>;
    const rest = typeof urls.rest === 'string' ? urls.rest : undefined;
    const username = typeof info.preferred_username === 'string' ? info.preferred_username : undefined;
    const userId = typeof info.user_id === 'string' ? info.user_id : undefined;
    const orgId = typeof info.organization_id === 'string' ? info.organization_id : undefined;
    if (!rest || !username || !userId || !orgId)
      throw new InvalidToken('the login server did not say whose token it is');
    return { username, userId, orgId, instanceUrl: new URL(rest).origin, accessToken: token };
  }
}

/** The user a request was authenticated as (the transport passes AuthInfo on as `extra.authInfo`). */
export function oauthUser(authInfo: AuthInfo | undefined): OAuthUser | undefined {
  const user = authInfo?.extra?.sfmcpUser;
  return user && typeof user === 'object' ? (user as OAuthUser) : undefined;
}
