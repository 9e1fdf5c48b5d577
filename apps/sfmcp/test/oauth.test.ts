import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type OAuthClientProvider, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type LocalOrg, LOCAL_OAUTH_CLIENT_ID, startLocalOrg } from '@sfmcp/local-org';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/sfmcp.js', import.meta.url));
const REDIRECT = 'http://127.0.0.1:7777/callback';

let org: LocalOrg;
let server: { url: string; child: ChildProcess; stderr: () => string };
let audit: string;

// A secret field on Account: Standard Users see it only with the See_Secrets permission set.
const seed = {
  customObjects: [{ name: 'Account', fields: [{ name: 'Secret__c', type: 'string' as const }] }],
  records: {
    Account: [{ Name: 'Acme', Secret__c: 'the recipe' }],
    PermissionSet: [{ '@ref': 'see', Name: 'See_Secrets', Label: 'See secrets' }],
    FieldPermissions: [
      {
        ParentId: '@see',
        SobjectType: 'Account',
        Field: 'Account.Secret__c',
        PermissionsRead: true,
        PermissionsEdit: true,
      },
    ],
  },
};

async function startServer(args: string[]): Promise<typeof server> {
  const child = spawn(process.execPath, [bin, '--transport', 'http', '--port', '0', ...args], {
    env: { ...process.env, HOME: homedir(), SFMCP_HTTP_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /serving Streamable HTTP on (\S+)/.exec(stderr);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
  });
  return { url, child, stderr: () => stderr };
}

/** What an MCP client keeps for OAuth, in memory; the user's browser is played by logIn(). */
class TestProvider implements OAuthClientProvider {
  #tokens: OAuthTokens | undefined;
  #client: OAuthClientInformationMixed | undefined;
  #verifier = '';
  authorizationUrl: URL | undefined;

  constructor(preRegistered?: string) {
    if (preRegistered) this.#client = { client_id: preRegistered };
  }
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'sfmcp OAuth test',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.#client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.#client = info;
  }
  tokens() {
    return this.#tokens;
  }
  saveTokens(tokens: OAuthTokens) {
    this.#tokens = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }
  codeVerifier() {
    return this.#verifier;
  }
}

/** The user in the browser: the login form at the authorization URL, then the redirect's code. */
async function logIn(authorizationUrl: URL, username: string, password: string): Promise<string> {
  const form = await fetch(authorizationUrl);
  expect(form.status).toBe(200);
  const html = await form.text();
  const hidden = Object.fromEntries(
    [...html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((match) => [
      match[1]!,
      match[2]!
        .replaceAll('&amp;', '&')
        .replaceAll('&quot;', '"')
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>'),
    ]),
  );
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? authorizationUrl.pathname;
  const answer = await fetch(new URL(action.replaceAll('&amp;', '&'), authorizationUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, username, password }),
    redirect: 'manual',
  });
  expect(answer.status, await answer.clone().text()).toBe(302);
  const location = new URL(answer.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe(authorizationUrl.searchParams.get('state'));
  return location.searchParams.get('code')!;
}

/** An MCP client that completes the OAuth flow as `username`, as Claude or VS Code would. */
async function signedInClient(
  username: string,
  password: string,
  provider = new TestProvider(),
): Promise<Client> {
  const url = new URL(server.url);
  const first = new StreamableHTTPClientTransport(url, { authProvider: provider });
  const client = new Client({ name: 'oauth-test', version: '0' });
  await expect(client.connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authorizationUrl).toBeDefined();
  const authorize = provider.authorizationUrl!;
  expect(`${authorize.origin}${authorize.pathname}`).toBe(`${org.instanceUrl}/services/oauth2/authorize`);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  const code = await logIn(authorize, username, password);
  await first.finishAuth(code);
  const signedIn = new Client({ name: 'oauth-test', version: '0' });
  await signedIn.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
  return signedIn;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return {
    ...result,
    text: result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n'),
  };
}

beforeAll(async () => {
  org = await startLocalOrg({ seed });
  org.addUser({ username: 'reader@oauth.sfmcp.test', password: 'reader-pass-1', profile: 'Standard User' });
  org.addUser({
    username: 'keeper@oauth.sfmcp.test',
    password: 'keeper-pass-1',
    profile: 'Standard User',
    permissionSets: ['See_Secrets'],
  });
  audit = join(mkdtempSync(join(tmpdir(), 'sfmcp-oauth-')), 'audit.jsonl');
  server = await startServer([
    '--toolsets',
    'data',
    '--oauth-login-url',
    org.instanceUrl,
    '--oauth-client-id',
    LOCAL_OAUTH_CLIENT_ID,
    '--audit-log',
    audit,
  ]);
});
afterAll(async () => {
  if (server?.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
  }
  await org?.stop();
});

describe('a team server with per-user OAuth', () => {
  it('refuses a request without a token, or with a wrong one, with 401 and the challenge MCP requires', async () => {
    const base = new URL(server.url).origin;
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '0' } },
    };
    const post = (headers: Record<string, string>) =>
      fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: JSON.stringify(initialize),
      });
    const none = await post({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource"`,
    );
    const wrong = await post({ authorization: `Bearer ${org.orgId.slice(0, 15)}!not-a-real-session-token` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(
      new RegExp(
        `^Bearer resource_metadata="${base}/\\.well-known/oauth-protected-resource", error="invalid_token"`,
      ),
    );

    const metadata = (await (await fetch(`${base}/.well-known/oauth-protected-resource`)).json()) as Record<
      string,
      unknown
    >;
    expect(metadata).toMatchObject({ resource: server.url, authorization_servers: [base] });
    const as = (await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as Record<
      string,
      unknown
    >;
    expect(as).toMatchObject({
      authorization_endpoint: `${org.instanceUrl}/services/oauth2/authorize`,
      token_endpoint: `${org.instanceUrl}/services/oauth2/token`,
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('runs each call as the signed-in user: field-level security decides what each one sees', async () => {
    const reader = await signedInClient('reader@oauth.sfmcp.test', 'reader-pass-1');
    const keeper = await signedInClient('keeper@oauth.sfmcp.test', 'keeper-pass-1');
    try {
      const who = await call(reader, 'get_username');
      expect(who.structuredContent).toMatchObject({ username: 'reader@oauth.sfmcp.test' });

      const keeperSees = await call(keeper, 'run_soql_query', {
        query: 'SELECT Name, Secret__c FROM Account',
      });
      expect(keeperSees.isError, keeperSees.text).toBeFalsy();
      expect(keeperSees.text).toContain('the recipe');

      const readerTries = await call(reader, 'run_soql_query', {
        query: 'SELECT Name, Secret__c FROM Account',
      });
      expect(readerTries.isError).toBe(true);
      expect(readerTries.text).toMatch(/No such column 'Secret__c' on entity 'Account'/);
      const readerSees = await call(reader, 'run_soql_query', { query: 'SELECT Name FROM Account' });
      expect(readerSees.isError, readerSees.text).toBeFalsy();
      expect(readerSees.text).toContain('Acme');

      const keeperFields = await call(keeper, 'describe_object', { objectName: 'Account' });
      const readerFields = await call(reader, 'describe_object', { objectName: 'Account' });
      expect(keeperFields.text).toContain('Secret__c');
      expect(readerFields.text).not.toContain('Secret__c');

      // Another user's org, or another username, is out of reach.
      const other = await call(reader, 'run_soql_query', {
        query: 'SELECT Name FROM Account',
        usernameOrAlias: 'keeper@oauth.sfmcp.test',
      });
      expect(other.isError).toBe(true);
      expect(other.text).toMatch(/each user works in their own org, signed in as reader@oauth\.sfmcp\.test/);
    } finally {
      await reader.close();
      await keeper.close();
    }
    // The audit names the users, and holds no token.
    const text = readFileSync(audit, 'utf8');
    const entries = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { tool: string; user?: string });
    expect(entries.filter((entry) => entry.user === 'keeper@oauth.sfmcp.test').length).toBeGreaterThanOrEqual(
      2,
    );
    expect(entries.filter((entry) => entry.user === 'reader@oauth.sfmcp.test').length).toBeGreaterThanOrEqual(
      3,
    );
    expect(text).not.toMatch(/00D[a-zA-Z0-9]{12,15}!/);
    expect(server.stderr()).not.toMatch(/00D[a-zA-Z0-9]{12,15}!/);
  });

  it('works with a client configured with the client id, registering nothing', async () => {
    const client = await signedInClient(
      'keeper@oauth.sfmcp.test',
      'keeper-pass-1',
      new TestProvider(LOCAL_OAUTH_CLIENT_ID),
    );
    try {
      const who = await call(client, 'get_username');
      expect(who.structuredContent).toMatchObject({ username: 'keeper@oauth.sfmcp.test' });
    } finally {
      await client.close();
    }
  });

  it('does not start with --orgs, nor beside an admin bearer token', async () => {
    const withOrgs = spawn(
      process.execPath,
      [bin, '--transport', 'http', '--oauth-login-url', org.instanceUrl, '--orgs', 'x'],
      {
        env: { ...process.env, HOME: homedir() },
      },
    );
    let stderr = '';
    withOrgs.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(withOrgs, 'exit')) as [number];
    expect(code).toBe(2);
    expect(stderr).toMatch(/--oauth-login-url runs every call as the signed-in user .*leave out --orgs/);
  });
});
