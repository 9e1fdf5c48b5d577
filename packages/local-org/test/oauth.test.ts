// The authorization server and per-user access, through the real clients: `sf org login web`'s
// WebOAuthServer, @salesforce/core's AuthInfo and Connection (jsforce), and fetch playing the browser.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthInfo, Connection, WebOAuthServer } from '@salesforce/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_OAUTH_CLIENT_ID } from '../src/http/oauth.js';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo, failure } from './fixtures/clients.js';

const REDIRECT = 'http://127.0.0.1:7777/callback';

const seed = {
  customObjects: [
    {
      name: 'Account',
      fields: [
        { name: 'Secret__c', type: 'string' as const },
        { name: 'Tier__c', type: 'string' as const },
      ],
    },
    { name: 'Invoice__c', fields: [{ name: 'Amount__c', type: 'currency' as const }] },
  ],
  records: {
    Account: [{ '@ref': 'acme', Name: 'Acme', Secret__c: 'the recipe', Tier__c: 'Gold' }],
    Invoice__c: [{ Name: 'INV-1', Amount__c: 120 }],
    PermissionSet: [{ '@ref': 'see', Name: 'See_Secrets', Label: 'See secrets' }],
    ObjectPermissions: [
      {
        ParentId: '@see',
        SobjectType: 'Invoice__c',
        PermissionsRead: true,
        PermissionsCreate: true,
        PermissionsEdit: true,
      },
    ],
    FieldPermissions: [
      {
        ParentId: '@see',
        SobjectType: 'Account',
        Field: 'Account.Secret__c',
        PermissionsRead: true,
        PermissionsEdit: true,
      },
      {
        ParentId: '@see',
        SobjectType: 'Account',
        Field: 'Account.Tier__c',
        PermissionsRead: true,
        PermissionsEdit: false,
      },
      {
        ParentId: '@see',
        SobjectType: 'Invoice__c',
        Field: 'Invoice__c.Amount__c',
        PermissionsRead: true,
        PermissionsEdit: true,
      },
    ],
  },
};

let org: LocalOrg;
let acmeId: string;

interface Tokens {
  access_token: string;
  refresh_token?: string;
  instance_url: string;
  id: string;
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>): URL {
  const url = new URL(org.oauth.authorizeUrl);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/** The browser: the login form at `url`, filled in and posted; the answer (a redirect, or the form again). */
async function submitLogin(url: URL, username: string, password: string): Promise<Response> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const hidden = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((match) => [
      match[1] as string,
      (match[2] as string)
        .replaceAll('&quot;', '"')
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&#39;', "'")
        .replaceAll('&amp;', '&'),
    ]),
  );
  return fetch(new URL('/services/oauth2/authorize', url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, username, password }),
    redirect: 'manual',
  });
}

async function token(
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(org.oauth.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A whole login as an MCP client does it: PKCE, the form, the code, the token. */
async function logIn(username: string, password: string): Promise<Tokens> {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const answer = await submitLogin(
    authorizeUrl({
      response_type: 'code',
      client_id: LOCAL_OAUTH_CLIENT_ID,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      scope: 'api refresh_token',
    }),
    username,
    password,
  );
  expect(answer.status).toBe(302);
  const location = new URL(answer.headers.get('location') as string);
  expect(location.searchParams.get('state')).toBe(state);
  const exchanged = await token({
    grant_type: 'authorization_code',
    code: location.searchParams.get('code') as string,
    client_id: LOCAL_OAUTH_CLIENT_ID,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
  });
  expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
  return exchanged.body as unknown as Tokens;
}

async function connectAs(username: string, password: string): Promise<Connection> {
  const tokens = await logIn(username, password);
  return connectTo({
    username,
    accessToken: tokens.access_token,
    instanceUrl: org.instanceUrl,
    loginUrl: org.loginUrl,
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  org = await startLocalOrg({ seed });
  acmeId = org.state.refs.get('acme') as string;
  org.addUser({ username: 'reader@oauth.local', password: 'reader-pass-1' });
  org.addUser({ username: 'keeper@oauth.local', password: 'keeper-pass-1', permissionSets: ['See_Secrets'] });
  org.addUser({ username: 'web@oauth.local', password: 'web-login-pass-1', permissionSets: ['See_Secrets'] });
  org.addUser({ username: 'viewer@oauth.local', password: 'viewer-pass-1', profile: 'Read Only' });
  org.addUser({
    username: 'nobody@oauth.local',
    password: 'nobody-pass-1',
    profile: 'Minimum Access - Salesforce',
  });
});

afterAll(async () => {
  await org?.stop();
});

describe('the authorization server', () => {
  it('is discovered at the instance URL', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const metadata = (await (await fetch(`${org.instanceUrl}${path}`)).json()) as Record<string, unknown>;
      expect(metadata).toMatchObject({
        issuer: org.instanceUrl,
        authorization_endpoint: `${org.instanceUrl}/services/oauth2/authorize`,
        token_endpoint: `${org.instanceUrl}/services/oauth2/token`,
        revocation_endpoint: `${org.instanceUrl}/services/oauth2/revoke`,
        userinfo_endpoint: `${org.instanceUrl}/services/oauth2/userinfo`,
        code_challenge_methods_supported: ['S256'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
      });
    }
  });

  it('logs a user in with `sf org login web` (WebOAuthServer), and the saved auth is theirs', async () => {
    const project = mkdtempSync(join(tmpdir(), 'local-org-login-'));
    mkdirSync(join(project, 'force-app'));
    writeFileSync(
      join(project, 'sfdx-project.json'),
      JSON.stringify({
        packageDirectories: [{ path: 'force-app', default: true }],
        oauthLocalPort: await freePort(),
      }),
    );
    const cwd = process.cwd();
    process.chdir(project);
    try {
      const login = await WebOAuthServer.create({
        oauthConfig: { loginUrl: org.instanceUrl, clientId: LOCAL_OAUTH_CLIENT_ID },
      });
      await login.start();
      const saved = login.authorizeAndSave();
      const answer = await submitLogin(
        new URL(login.getAuthorizationUrl()),
        'web@oauth.local',
        'web-login-pass-1',
      );
      expect(answer.status).toBe(302);
      // The browser follows the callback to the CLI's success page.
      const callback = await fetch(answer.headers.get('location') as string);
      expect(callback.url).toMatch(/\/OauthSuccess$/);
      const authInfo = await saved;
      expect(authInfo.getUsername()).toBe('web@oauth.local');
      expect(authInfo.getFields().refreshToken).toBeTruthy();
      // Saved in this test's HOME as `sf org login web` saves it, and usable from there.
      const connection = await Connection.create({
        authInfo: await AuthInfo.create({ username: 'web@oauth.local' }),
      });
      const rows = await connection.query<{ Secret__c: string }>('SELECT Secret__c FROM Account');
      expect(rows.records[0]?.Secret__c).toBe('the recipe');
    } finally {
      process.chdir(cwd);
    }
  });

  it('answers userinfo and the identity URL for the token’s own user', async () => {
    const tokens = await logIn('reader@oauth.local', 'reader-pass-1');
    const info = (await (
      await fetch(`${org.instanceUrl}/services/oauth2/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      })
    ).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ preferred_username: 'reader@oauth.local', organization_id: org.orgId });
    expect(tokens.id).toBe(`${org.instanceUrl}/id/${org.orgId}/${String(info.user_id)}`);
    const mine = await fetch(tokens.id, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(((await mine.json()) as Record<string, unknown>).username).toBe('reader@oauth.local');
    const admins = await fetch(`${org.instanceUrl}/id/${org.orgId}/${org.userId}`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(admins.status).toBe(403);
  });

  it('refreshes a login, and revoking the refresh token ends it and its access tokens', async () => {
    const tokens = await logIn('reader@oauth.local', 'reader-pass-1');
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: LOCAL_OAUTH_CLIENT_ID,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.id).toBe(tokens.id);
    const wrongClient = await token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      client_id: 'other',
    });
    expect(wrongClient).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const access = String(refreshed.body.access_token);
    const asUser = () =>
      fetch(`${org.instanceUrl}/services/oauth2/userinfo`, {
        headers: { authorization: `Bearer ${access}` },
      });
    expect((await asUser()).status).toBe(200);
    const revoked = await fetch(`${org.instanceUrl}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token as string }),
    });
    expect(revoked.status).toBe(200);
    expect((await asUser()).status).toBe(401);
    const again = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const unknown = await fetch(`${org.instanceUrl}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'not-a-token' }),
    });
    expect(unknown.status).toBe(400);
    // The org's own token still works.
    const own = await fetch(`${org.instanceUrl}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${org.accessToken}` },
    });
    expect(own.status).toBe(200);
  });
});

describe('hostile or mistaken logins', () => {
  const good = () => {
    const { verifier, challenge } = pkce();
    return {
      verifier,
      params: {
        response_type: 'code',
        client_id: LOCAL_OAUTH_CLIENT_ID,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'st',
      },
    };
  };

  it('shows an unknown client or a callback URL off this machine on a page, redirecting nowhere', async () => {
    for (const change of [
      { client_id: 'someone-else' },
      { redirect_uri: 'https://attacker.example/callback' },
      { redirect_uri: 'http://127.0.0.1.attacker.example/callback' },
      { redirect_uri: 'http://user@127.0.0.1:7777/callback' },
      { redirect_uri: 'not a url' },
    ]) {
      const response = await fetch(authorizeUrl({ ...good().params, ...change }), { redirect: 'manual' });
      expect(response.status, JSON.stringify(change)).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toMatch(/invalid_client_id|redirect_uri_mismatch/);
    }
  });

  it('sends other mistakes back to the client: no PKCE, plain PKCE, another response type, an unknown scope', async () => {
    const { params } = good();
    for (const [change, error] of [
      [{ code_challenge: '' }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'api everything' }, 'invalid_scope'],
    ] as const) {
      const response = await fetch(authorizeUrl({ ...params, ...change }), { redirect: 'manual' });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') as string);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('st');
    }
  });

  it('escapes what it echoes into the login page', async () => {
    const page = await fetch(authorizeUrl({ ...good().params, state: '"><script>alert(1)</script>' }));
    const html = await page.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('refuses a wrong password with the form again, and locks the user after ten', async () => {
    org.addUser({ username: 'guessed@oauth.local', password: 'guessed-pass-1' });
    const { params } = good();
    const wrong = await submitLogin(authorizeUrl(params), 'guessed@oauth.local', 'nope-nope-nope');
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toMatch(/Please check your username and password/);
    const stranger = await submitLogin(authorizeUrl(params), 'stranger@oauth.local', 'whatever-1');
    expect(await stranger.text()).toMatch(/Please check your username and password/);
    for (let attempt = 1; attempt < 10; attempt += 1)
      await submitLogin(authorizeUrl(params), 'guessed@oauth.local', `wrong-${attempt}-password`);
    const locked = await submitLogin(authorizeUrl(params), 'guessed@oauth.local', 'guessed-pass-1');
    expect(locked.status).toBe(200);
    expect(await locked.text()).toMatch(/locked out/);
    org.setPassword('guessed@oauth.local', 'guessed-pass-2');
    expect((await submitLogin(authorizeUrl(params), 'guessed@oauth.local', 'guessed-pass-2')).status).toBe(
      302,
    );
  });

  it('refuses a login that a forged POST takes past the checks of the form', async () => {
    const response = await fetch(org.oauth.authorizeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ...good().params,
        redirect_uri: 'https://attacker.example/callback',
        username: 'reader@oauth.local',
        password: 'reader-pass-1',
      }),
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('takes a code once, from its own client, with its own redirect URI and verifier', async () => {
    const issue = async () => {
      const { verifier, params } = good();
      const answer = await submitLogin(authorizeUrl(params), 'reader@oauth.local', 'reader-pass-1');
      return {
        verifier,
        code: new URL(answer.headers.get('location') as string).searchParams.get('code') as string,
      };
    };
    const exchange = (code: string, verifier: string, change: Record<string, string> = {}) =>
      token({
        grant_type: 'authorization_code',
        code,
        client_id: LOCAL_OAUTH_CLIENT_ID,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
        ...change,
      });
    const changes: Array<Record<string, string>> = [
      { code_verifier: randomBytes(32).toString('base64url') },
      { redirect_uri: 'http://127.0.0.1:7778/callback' },
      { client_id: 'other' },
    ];
    for (const change of changes) {
      const { code, verifier } = await issue();
      const refused = await exchange(code, verifier, change);
      expect(refused.status, JSON.stringify(change)).toBe(400);
      // A failed try spends the code: an attacker who got it gets nothing, and neither does the second try.
      expect((await exchange(code, verifier)).status).toBe(400);
    }
    const { code, verifier } = await issue();
    expect((await exchange(code, verifier)).status).toBe(200);
    expect(await exchange(code, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe('what each user sees and changes', () => {
  let admin: Connection;
  let reader: Connection;
  let keeper: Connection;
  let viewer: Connection;
  let nobody: Connection;

  beforeAll(async () => {
    admin = await connectTo(org);
    reader = await connectAs('reader@oauth.local', 'reader-pass-1');
    keeper = await connectAs('keeper@oauth.local', 'keeper-pass-1');
    viewer = await connectAs('viewer@oauth.local', 'viewer-pass-1');
    nobody = await connectAs('nobody@oauth.local', 'nobody-pass-1');
  });

  it('describes only the fields and objects a user may read', async () => {
    const fieldsOf = async (connection: Connection) =>
      (await connection.sobject('Account').describe()).fields.map((field) => field.name);
    expect(await fieldsOf(admin)).toEqual(expect.arrayContaining(['Secret__c', 'Tier__c']));
    expect(await fieldsOf(keeper)).toEqual(expect.arrayContaining(['Secret__c', 'Tier__c']));
    expect(await fieldsOf(reader)).not.toContain('Secret__c');
    expect(await fieldsOf(reader)).toContain('Name');
    const tier = (await keeper.sobject('Account').describe()).fields.find(
      (field) => field.name === 'Tier__c',
    );
    expect(tier).toMatchObject({ createable: false, updateable: false });

    const objectsOf = async (connection: Connection) =>
      (await connection.describeGlobal()).sobjects.map((object) => object.name);
    expect(await objectsOf(keeper)).toContain('Invoice__c');
    expect(await objectsOf(reader)).not.toContain('Invoice__c');
    expect(await objectsOf(nobody)).not.toContain('Account');
    const account = (await viewer.describeGlobal()).sobjects.find((object) => object.name === 'Account');
    expect(account).toMatchObject({
      queryable: true,
      createable: false,
      updateable: false,
      deletable: false,
    });
  });

  it('answers SOQL with what the user may read: a hidden field is no such column, a hidden object no type', async () => {
    const keeperRows = await keeper.query<{ Secret__c: string }>('SELECT Name, Secret__c FROM Account');
    expect(keeperRows.records[0]?.Secret__c).toBe('the recipe');
    const hidden = await failure(async () => reader.query('SELECT Name, Secret__c FROM Account'));
    expect(hidden.errorCode).toBe('INVALID_FIELD');
    expect(hidden.message).toMatch(/No such column 'Secret__c' on entity 'Account'/);
    const filtered = await failure(async () =>
      reader.query("SELECT Name FROM Account WHERE Secret__c = 'the recipe'"),
    );
    expect(filtered.errorCode).toBe('INVALID_FIELD');
    const all = await reader.query<Record<string, unknown>>('SELECT FIELDS(ALL) FROM Account LIMIT 10');
    expect(all.records[0]).toHaveProperty('Name', 'Acme');
    expect(all.records[0]).not.toHaveProperty('Secret__c');
    const object = await failure(async () => reader.query('SELECT Id FROM Invoice__c'));
    expect(object.errorCode).toBe('INVALID_TYPE');
    expect((await keeper.query('SELECT Name, Amount__c FROM Invoice__c')).totalSize).toBe(1);
    const search = await failure(() => reader.search('FIND {Acme} RETURNING Account(Name, Secret__c)'));
    expect(search.errorCode).toBe('INVALID_FIELD');
  });

  it('reads a record with only the fields the user may read', async () => {
    const asReader = (await reader.sobject('Account').retrieve(acmeId)) as Record<string, unknown>;
    expect(asReader.Name).toBe('Acme');
    expect(asReader).not.toHaveProperty('Secret__c');
    const asKeeper = (await keeper.sobject('Account').retrieve(acmeId)) as Record<string, unknown>;
    expect(asKeeper.Secret__c).toBe('the recipe');
  });

  it('refuses writes to fields the user may not edit, and objects they may not change, leaving the record as it was', async () => {
    const hiddenWrite = await failure(() =>
      reader.sobject('Account').update({ Id: acmeId, Secret__c: 'stolen' }),
    );
    expect(hiddenWrite.errorCode).toBe('INVALID_FIELD');
    const readOnlyWrite = await failure(() =>
      keeper.sobject('Account').update({ Id: acmeId, Tier__c: 'Platinum' }),
    );
    expect(readOnlyWrite.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const viewerWrite = await failure(() => viewer.sobject('Account').create({ Name: 'Not allowed' }));
    expect(viewerWrite.errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    const collection = await reader.request<
      Array<{ success: boolean; errors: Array<{ statusCode: string }> }>
    >({
      method: 'POST',
      url: '/services/data/v62.0/composite/sobjects',
      body: JSON.stringify({
        allOrNone: true,
        records: [
          { attributes: { type: 'Account' }, Name: 'Fine' },
          { attributes: { type: 'Account' }, Name: 'Sneaky', Secret__c: 'x' },
        ],
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(
      collection.some((result) => result.errors.some((error) => error.statusCode === 'INVALID_FIELD')),
    ).toBe(true);
    const stored = org.state.records.get(acmeId);
    expect(stored).toMatchObject({ Secret__c: 'the recipe', Tier__c: 'Gold' });
    expect([...org.state.records.rows('Account')].map((row) => row.Name)).toEqual(['Acme']);
  });

  it('records what a user writes as theirs', async () => {
    const result = await keeper.sobject('Account').create({ Name: 'Keeper Co', Secret__c: 'mine' });
    const keeperId = [...org.state.records.rows('User')].find(
      (row) => row.Username === 'keeper@oauth.local',
    )?.Id;
    expect(org.state.records.get(result.id as string)).toMatchObject({
      CreatedById: keeperId,
      OwnerId: keeperId,
    });
    await keeper.sobject('Account').destroy(result.id as string);
  });

  it('keeps a query locator to the user who ran the query', async () => {
    for (let index = 0; index < 250; index += 1)
      org.state.records.insert('Account', { Name: `Paged ${index}` });
    const first = await reader.request<{ nextRecordsUrl?: string }>({
      method: 'GET',
      url: `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Name FROM Account')}`,
      headers: { 'sforce-query-options': 'batchSize=200' },
    });
    expect(first.nextRecordsUrl).toBeDefined();
    const other = await failure(() => keeper.request(first.nextRecordsUrl as string));
    expect(other.errorCode).toBe('INVALID_QUERY_LOCATOR');
    const own = await reader.request<{ records: unknown[] }>(first.nextRecordsUrl as string);
    expect(own.records.length).toBeGreaterThan(0);
  });

  it('lets only users with the permission use the Tooling and Metadata APIs', async () => {
    const tooling = await failure(async () => reader.tooling.query('SELECT Id FROM ApexClass'));
    expect(tooling.errorCode).toBe('INSUFFICIENT_ACCESS');
    const metadata = await failure(() => reader.metadata.list([{ type: 'CustomObject' }]));
    expect(String(metadata.message)).toMatch(/INSUFFICIENT_ACCESS|Metadata API requires/);
    expect((await admin.tooling.query('SELECT Id FROM ApexClass')).done).toBe(true);
  });
});

describe('the daily API limit', () => {
  it('reports usage in Sforce-Limit-Info and refuses calls past it until the counter is set lower', async () => {
    org.setApiUsage(98, 100);
    const call = () =>
      fetch(`${org.instanceUrl}/services/data/v62.0/limits`, {
        headers: { authorization: `Bearer ${org.accessToken}` },
      });
    const last = await call();
    expect(last.status).toBe(200);
    expect(last.headers.get('sforce-limit-info')).toBe('api-usage=99/100');
    expect((await call()).headers.get('sforce-limit-info')).toBe('api-usage=100/100');
    const refused = await call();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Array<{ errorCode: string }>)[0]?.errorCode).toBe(
      'REQUEST_LIMIT_EXCEEDED',
    );
    // Logging in and asking who one is still work.
    expect((await logIn('reader@oauth.local', 'reader-pass-1')).access_token).toBeTruthy();
    org.setApiUsage(0, 15000);
    expect((await call()).status).toBe(200);
    expect(() => org.setApiUsage(101, 100)).toThrow(/from 0 to 100/);
  });
});

describe('users', () => {
  it('are created whole or not at all', () => {
    const before = [...org.state.records.rows('User')].length;
    expect(() => org.addUser({ username: 'half@oauth.local', permissionSets: ['No_Such_Set'] })).toThrow(
      /No_Such_Set/,
    );
    expect(() => org.addUser({ username: 'reader@oauth.local' })).toThrow(/exists already/);
    expect(() => org.addUser({ username: 'short@oauth.local', password: 'short' })).toThrow(/8 characters/);
    expect(() => org.addUser({ username: 'x@oauth.local', profile: 'Nope' })).toThrow(/no profile/);
    expect([...org.state.records.rows('User')].length).toBe(before);
  });

  it('log in with a seeded @password, kept only as a hash', async () => {
    const seeded = await startLocalOrg({
      seed: {
        users: [
          { FirstName: 'Ada', LastName: 'Admin' },
          { Username: 'seeded@oauth.local', LastName: 'Seeded', '@password': 'seeded-pass-1' },
        ],
      },
    });
    try {
      expect(JSON.stringify([...seeded.state.extensions.entries()])).not.toContain('seeded-pass-1');
      const { challenge } = pkce();
      const url = new URL(seeded.oauth.authorizeUrl);
      for (const [name, value] of Object.entries({
        response_type: 'code',
        client_id: LOCAL_OAUTH_CLIENT_ID,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }))
        url.searchParams.set(name, value);
      expect((await submitLogin(url, 'seeded@oauth.local', 'seeded-pass-1')).status).toBe(302);
    } finally {
      await seeded.stop();
    }
  });
});
