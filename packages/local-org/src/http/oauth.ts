/**
 * The org's OAuth 2.0 authorization server, as Salesforce's login server answers a connected app:
 * discovery (`/.well-known/openid-configuration`, `/.well-known/oauth-authorization-server`), the
 * authorization-code flow with PKCE (`/services/oauth2/authorize`: a login form, then a redirect with a
 * code), the token endpoint (`authorization_code` and `refresh_token` grants) and revocation
 * (`/services/oauth2/revoke`). A login is a session of the user who logged in: every API call with its
 * token runs as that user, with their object permissions and field-level security.
 *
 * It knows one public client, `sfmcp-local`, which may redirect to any loopback URL (RFC 8252, as
 * native apps and local MCP clients do), plus any clients the org was started with. Codes are single-use,
 * bound to the client, the redirect URI, the PKCE challenge (S256 only) and the user, and live ten
 * minutes. Passwords are kept as scrypt hashes; ten wrong passwords in a row lock the user out.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { SalesforceApiError } from '../errors.js';
import type { LocalOrgState } from '../state/index.js';
import { setUserPassword, userPasswordMatches } from '../state/passwords.js';
import type { SessionTokens } from './sessions.js';
import type { RouteReply, RouteRequest } from './types.js';

/** The client id the local org accepts from any MCP client on this machine (loopback redirects). */
export const LOCAL_OAUTH_CLIENT_ID = 'sfmcp-local';

/** A connected app: its consumer key and the callback URLs it allows. */
export interface LocalOAuthClient {
  clientId: string;
  /** Exact callback URLs. */
  redirectUris?: string[];
  /** Any http(s) URL on 127.0.0.1, [::1] or localhost, whatever its port and path. */
  loopbackRedirects?: boolean;
}

const CODE_TTL_MS = 10 * 60 * 1000;
const MAX_CODES = 1000;
const MAX_FAILED_LOGINS = 10;
const SCOPES = new Set([
  'api',
  'refresh_token',
  'offline_access',
  'web',
  'full',
  'id',
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'chatter_api',
  'visualforce',
  'custom_permissions',
  'lightning',
  'content',
  'mcp_api',
]);
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  userId: string;
  scope: string;
  expires: number;
}

/** An authorize request that passed its checks. */
interface AuthorizeRequest {
  client: LocalOAuthClient;
  redirectUri: string;
  state: string | undefined;
  scope: string;
  challenge: string;
  params: URLSearchParams;
}

function isLoopback(uri: URL): boolean {
  return (
    (uri.protocol === 'http:' || uri.protocol === 'https:') &&
    ['127.0.0.1', '[::1]', 'localhost'].includes(uri.hostname) &&
    uri.username === '' &&
    uri.password === '' &&
    uri.hash === ''
  );
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

function oauthError(status: number, error: string, description: string): RouteReply {
  return { status, headers: NO_STORE, body: { error, error_description: description } };
}

export class AuthorizationServer {
  readonly #codes = new Map<string, IssuedCode>();
  readonly #failures = new Map<string, number>();
  readonly #clients: LocalOAuthClient[];

  constructor(
    private readonly org: LocalOrgState,
    private readonly sessions: SessionTokens,
    private readonly instanceUrl: () => string,
    clients: LocalOAuthClient[] = [],
    private readonly clock: () => number = Date.now,
  ) {
    this.#clients = [{ clientId: LOCAL_OAUTH_CLIENT_ID, loopbackRedirects: true }, ...clients];
  }

  /** Whether `path` is one of the authorization server's (answered without a bearer token). */
  serves(path: string): boolean {
    return (
      path === '/.well-known/openid-configuration' ||
      path === '/.well-known/oauth-authorization-server' ||
      path === '/services/oauth2/authorize' ||
      path === '/services/oauth2/token' ||
      path === '/services/oauth2/revoke'
    );
  }

  handle(request: RouteRequest): RouteReply {
    switch (request.path) {
      case '/.well-known/openid-configuration':
      case '/.well-known/oauth-authorization-server':
        return { status: 200, headers: { 'cache-control': 'max-age=300' }, body: this.metadata() };
      case '/services/oauth2/authorize':
        return this.#authorize(request);
      case '/services/oauth2/token':
        return this.#token(request);
      default:
        return this.#revoke(request);
    }
  }

  /** RFC 8414 / OpenID discovery: where the endpoints are and what they support. */
  metadata(): Record<string, unknown> {
    const base = this.instanceUrl();
    return {
      issuer: base,
      authorization_endpoint: `${base}/services/oauth2/authorize`,
      token_endpoint: `${base}/services/oauth2/token`,
      revocation_endpoint: `${base}/services/oauth2/revoke`,
      userinfo_endpoint: `${base}/services/oauth2/userinfo`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
      scopes_supported: [...SCOPES],
      subject_types_supported: ['public'],
    };
  }

  /** Sets (or, with undefined, removes) the password a user logs in with; a lockout ends with it. */
  setPassword(userId: string, password: string | undefined): void {
    setUserPassword(this.org, userId, password);
    this.#failures.delete(userId);
  }

  #authorize(request: RouteRequest): RouteReply {
    if (request.method !== 'GET' && request.method !== 'POST')
      return { status: 405, headers: { allow: 'GET, POST' }, body: '' };
    const form =
      request.method === 'POST' ? new URLSearchParams(request.body.toString('utf8')) : request.query;
    const checked = this.#checkAuthorize(form);
    if ('page' in checked) return checked.page;
    if (request.method === 'GET') return this.#loginPage(checked, form.get('login_hint') ?? '', undefined);
    const username = form.get('username') ?? '';
    const userId = this.#logIn(username, form.get('password') ?? '');
    if (typeof userId !== 'string') return this.#loginPage(checked, username, userId.problem);
    return this.#redirect(checked, { code: this.#issueCode(checked, userId) });
  }

  /**
   * The checks of an authorize request. A bad client or callback URL is shown on a page (a redirect would
   * send the user somewhere the client never registered); any other problem goes back to the client.
   */
  #checkAuthorize(params: URLSearchParams): AuthorizeRequest | { page: RouteReply } {
    const clientId = params.get('client_id') ?? '';
    const client = this.#clients.find((known) => known.clientId === clientId);
    if (!client) return { page: this.#errorPage('invalid_client_id', 'client identifier invalid') };
    const redirectText = params.get('redirect_uri') ?? '';
    let redirect: URL | undefined;
    try {
      redirect = new URL(redirectText);
    } catch {
      redirect = undefined;
    }
    const allowed =
      redirect !== undefined &&
      ((client.redirectUris ?? []).includes(redirectText) ||
        (client.loopbackRedirects === true && isLoopback(redirect)));
    if (!allowed)
      return { page: this.#errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration') };
    const state = params.get('state') ?? undefined;
    const base = { client, redirectUri: redirectText, state, params };
    const fail = (error: string, description: string) => ({
      page: this.#redirect(base, { error, error_description: description }),
    });
    if (params.get('response_type') !== 'code')
      return fail('unsupported_response_type', 'response type not supported');
    const challenge = params.get('code_challenge') ?? '';
    // S256 only; as Salesforce, a challenge without a method is S256 (jsforce, hence `sf org login web`, sends none).
    const method = params.get('code_challenge_method') ?? 'S256';
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge) || method !== 'S256')
      return fail('invalid_request', 'PKCE is required: a code_challenge made with S256');
    const scopes = (params.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const unknown = scopes.find((scope) => !SCOPES.has(scope));
    if (unknown) return fail('invalid_scope', `the requested scope is not allowed: ${unknown}`);
    return { ...base, scope: scopes.length ? scopes.join(' ') : 'api refresh_token', challenge };
  }

  /** The user's id, or why they may not log in (one message for a wrong name or password, as Salesforce). */
  #logIn(username: string, password: string): string | { problem: string } {
    const wrong = {
      problem:
        "Please check your username and password. If you still can't log in, contact your Salesforce administrator.",
    };
    const lower = username.trim().toLowerCase();
    const user = lower
      ? [...this.org.records.rows('User')].find((row) => String(row.Username).toLowerCase() === lower)
      : undefined;
    const matches = userPasswordMatches(this.org, user?.Id, password);
    if (!user) return wrong;
    const failures = this.#failures.get(user.Id) ?? 0;
    if (failures >= MAX_FAILED_LOGINS)
      return {
        problem: 'Your account has been locked out after too many failed logins. Contact your administrator.',
      };
    if (!matches) {
      this.#failures.set(user.Id, failures + 1);
      return wrong;
    }
    const login = [...this.org.records.rows('UserLogin')].find((row) => row.UserId === user.Id);
    if (user.IsActive === false || login?.IsFrozen === true)
      return { problem: 'Your account is not active or has been frozen. Contact your administrator.' };
    this.#failures.delete(user.Id);
    return user.Id;
  }

  #issueCode(request: AuthorizeRequest, userId: string): string {
    const now = this.clock();
    for (const [code, issued] of this.#codes) if (issued.expires <= now) this.#codes.delete(code);
    while (this.#codes.size >= MAX_CODES) this.#codes.delete(this.#codes.keys().next().value as string);
    const code = `aPr${randomBytes(32).toString('base64url')}`;
    this.#codes.set(code, {
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      challenge: request.challenge,
      userId,
      scope: request.scope,
      expires: now + CODE_TTL_MS,
    });
    return code;
  }

  #token(request: RouteRequest): RouteReply {
    if (request.method !== 'POST') return oauthError(400, 'invalid_request', 'must use HTTP POST');
    const form = new URLSearchParams(request.body.toString('utf8'));
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') return this.#exchangeCode(form);
    if (grant === 'refresh_token') {
      const given = form.get('refresh_token');
      const refreshed = given ? this.sessions.refresh(given, form.get('client_id')) : undefined;
      if (!refreshed) return oauthError(400, 'invalid_grant', 'expired access/refresh token');
      return this.#tokens(refreshed.userId, refreshed.accessToken, undefined, 'refresh_token web api', form);
    }
    // Salesforce's other flows (JWT bearer, client credentials, password) need a connected app's secrets.
    return oauthError(
      400,
      'unsupported_grant_type',
      grant ? 'grant type not supported' : 'grant type not specified',
    );
  }

  #exchangeCode(form: URLSearchParams): RouteReply {
    const code = form.get('code') ?? '';
    const issued = this.#codes.get(code);
    // Used once, whatever happens next: a code that was intercepted is dead after the first try.
    this.#codes.delete(code);
    if (!issued || issued.expires <= this.clock())
      return oauthError(400, 'invalid_grant', 'invalid authorization code');
    if (form.get('client_id') !== issued.clientId)
      return oauthError(400, 'invalid_client_id', 'client identifier invalid');
    if (form.get('redirect_uri') !== issued.redirectUri)
      return oauthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    // RFC 7636 says at most 128 characters; jsforce sends 171, which Salesforce takes.
    if (!/^[A-Za-z0-9._~-]{43,256}$/.test(verifier) || challenge !== issued.challenge)
      return oauthError(400, 'invalid_grant', 'invalid code verifier');
    const session = this.sessions.issue(issued.userId, issued.clientId);
    const refresh = /\b(refresh_token|offline_access)\b/.test(issued.scope)
      ? session.refreshToken
      : undefined;
    return this.#tokens(issued.userId, session.accessToken, refresh, issued.scope, form);
  }

  #tokens(
    userId: string,
    accessToken: string,
    refreshToken: string | undefined,
    scope: string,
    form: URLSearchParams,
  ): RouteReply {
    const base = this.instanceUrl();
    const id = `${base}/id/${this.org.orgId}/${userId}`;
    const issued = String(this.clock());
    return {
      status: 200,
      headers: NO_STORE,
      body: {
        access_token: accessToken,
        ...(refreshToken ? { refresh_token: refreshToken } : {}),
        // Salesforce signs id + issued_at with the connected app's client secret.
        signature: createHmac('sha256', form.get('client_secret') ?? '')
          .update(`${id}${issued}`)
          .digest('base64'),
        scope,
        instance_url: base,
        id,
        token_type: 'Bearer',
        issued_at: issued,
      },
    };
  }

  #revoke(request: RouteRequest): RouteReply {
    if (request.method !== 'POST' && request.method !== 'GET')
      return { status: 405, headers: { allow: 'GET, POST' }, body: '' };
    const form =
      request.method === 'POST' ? new URLSearchParams(request.body.toString('utf8')) : request.query;
    const token = form.get('token');
    if (!token) return oauthError(400, 'invalid_request', 'token is required');
    if (!this.sessions.revoke(token)) return oauthError(400, 'invalid_token', 'invalid token');
    return { status: 200, headers: NO_STORE, body: '' };
  }

  #redirect(
    request: Pick<AuthorizeRequest, 'redirectUri' | 'state'>,
    values: Record<string, string>,
  ): RouteReply {
    const target = new URL(request.redirectUri);
    for (const [name, value] of Object.entries(values)) target.searchParams.set(name, value);
    if (request.state !== undefined) target.searchParams.set('state', request.state);
    return { status: 302, headers: { location: target.href, ...NO_STORE }, body: '' };
  }

  #loginPage(request: AuthorizeRequest, username: string, problem: string | undefined): RouteReply {
    const hidden = [
      'response_type',
      'client_id',
      'redirect_uri',
      'state',
      'scope',
      'code_challenge',
      'code_challenge_method',
    ]
      .filter((name) => request.params.has(name))
      .map(
        (name) =>
          `<input type="hidden" name="${name}" value="${escapeHtml(request.params.get(name) ?? '')}">`,
      )
      .join('\n      ');
    const html = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Login | Local Org</title></head>
  <body>
    <h1>Log in to the local org</h1>
    <p>${escapeHtml(request.client.clientId)} asks to use the local org (a test double of Salesforce) as you.</p>
    ${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
    <form method="post" action="/services/oauth2/authorize">
      ${hidden}
      <label>Username <input type="email" name="username" value="${escapeHtml(username)}" autocomplete="username"></label>
      <label>Password <input type="password" name="password" autocomplete="current-password"></label>
      <button type="submit">Log In</button>
    </form>
  </body>
</html>
`;
    return { status: 200, headers: this.#pageHeaders(), body: html };
  }

  #errorPage(error: string, description: string): RouteReply {
    return {
      status: 400,
      headers: this.#pageHeaders(),
      body: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Error | Local Org</title></head><body><h1>OAuth error</h1><p>error=${escapeHtml(error)}</p><p>error_description=${escapeHtml(description)}</p></body></html>\n`,
    };
  }

  #pageHeaders(): Record<string, string> {
    return {
      'content-type': 'text/html;charset=UTF-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-frame-options': 'DENY',
      ...NO_STORE,
    };
  }
}

/** The router's answer for a path it does not serve to users without a permission it needs. */
export function requirePermission(has: boolean, what: string, permission: string): void {
  if (!has)
    throw new SalesforceApiError(
      403,
      'INSUFFICIENT_ACCESS',
      `${what} requires a user with the ${permission} permission; this user's profile and permission sets do not grant it.`,
    );
}
