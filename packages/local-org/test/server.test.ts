import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBinArguments } from '../src/bin-options.js';
import { startLocalOrg, type LocalOrg } from '../src/server.js';
import { connectTo } from './fixtures/clients.js';

const started: LocalOrg[] = [];

async function start(options: Parameters<typeof startLocalOrg>[0] = {}): Promise<LocalOrg> {
  const org = await startLocalOrg(options);
  started.push(org);
  return org;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((org) => org.stop()));
});

async function call(org: LocalOrg, method: string, path: string, body?: unknown, token = org.accessToken) {
  const response = await fetch(`${org.instanceUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // SOAP answers are XML.
  }
  return { status: response.status, headers: response.headers, body: parsed as never };
}

describe('startLocalOrg', () => {
  it('listens on loopback on a free port and lists API versions without a token', async () => {
    const org = await start();
    expect(org.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The pattern `sf org login access-token` accepts.
    expect(org.accessToken).toMatch(/^(00D\w{12,15})![.\w]*$/);
    const response = await fetch(`${org.instanceUrl}/services/data`);
    const versions = (await response.json()) as Array<{ version: string; url: string; label: string }>;
    expect(versions.at(-1)).toEqual({ version: '66.0', url: '/services/data/v66.0', label: "Spring '26" });
    expect(versions.find((entry) => entry.version === '62.0')?.label).toBe("Winter '25");
  });

  it('lists the resources of a version and refuses unknown versions and routes in Salesforce shape', async () => {
    const org = await start();
    const resources = await call(org, 'GET', '/services/data/v62.0/');
    expect(resources.body).toMatchObject({
      sobjects: '/services/data/v62.0/sobjects',
      query: '/services/data/v62.0/query',
    });
    for (const path of [
      '/services/data/v99.0/sobjects',
      '/nowhere',
      '/services/data/v62.0/sobjects/Account/describe/extra/more',
    ]) {
      const reply = await call(org, 'GET', path);
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual([
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]);
    }
    const wrongMethod = await call(org, 'PUT', '/services/data/v62.0/sobjects/Account');
    expect(wrongMethod.status).toBe(405);
  });

  it('answers HEAD without a body and sends the API usage header', async () => {
    const org = await start();
    const response = await fetch(`${org.instanceUrl}/services/data/v62.0/limits`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${org.accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
  });

  it('wants the session for the Metadata SOAP endpoint, from the header or the envelope', async () => {
    const org = await start();
    const envelope = (session: string) =>
      `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader><sessionId>${session}</sessionId></SessionHeader></soapenv:Header><soapenv:Body><listMetadata/></soapenv:Body></soapenv:Envelope>`;
    const refused = await fetch(`${org.instanceUrl}/services/Soap/m/62.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: envelope('wrong'),
    });
    expect(refused.status).toBe(500);
    expect(await refused.text()).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
    const accepted = await fetch(`${org.instanceUrl}/services/Soap/m/62.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: envelope(org.accessToken),
    });
    expect(await accepted.text()).not.toContain('INVALID_SESSION_ID');
  });

  it('turns a handler bug into a Salesforce-shaped error and keeps serving', async () => {
    const seen: unknown[] = [];
    const org = await start({ onUnexpectedError: (error) => seen.push(error) });
    const originalInsert = org.state.records.insert.bind(org.state.records);
    org.state.records.insert = () => {
      throw new Error('boom');
    };
    const broken = await call(org, 'POST', '/services/data/v62.0/sobjects/Account', { Name: 'X' });
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual([
      { message: expect.stringContaining('boom'), errorCode: 'UNKNOWN_EXCEPTION' },
    ]);
    expect(seen).toHaveLength(1);
    org.state.records.insert = originalInsert;
    const fine = await call(org, 'POST', '/services/data/v62.0/sobjects/Account', { Name: 'X' });
    expect(fine.status).toBe(201);
    expect(fine.body).toMatchObject({ success: true, errors: [] });
  });

  it('keeps records, schema and its token in the data dir across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'local-org-data-'));
    const first = await startLocalOrg({
      dataDir,
      seed: { customObjects: [{ name: 'Invoice__c', fields: [{ name: 'Total__c', type: 'currency' }] }] },
    });
    const created = await call(first, 'POST', '/services/data/v62.0/sobjects/Invoice__c', {
      Name: 'INV-1',
      Total__c: 99.5,
    });
    expect(created.status).toBe(201);
    const invoiceId = (created.body as { id: string }).id;
    first.state.extensions.set('test.notes', new Map([['a', 1]]));
    await first.stop();

    const second = await start({ dataDir });
    expect(second.restored).toBe(true);
    expect(second.accessToken).toBe(first.accessToken);
    expect(second.orgId).toBe(first.orgId);
    const read = await call(second, 'GET', `/services/data/v62.0/sobjects/Invoice__c/${invoiceId}`);
    expect(read.body).toMatchObject({ Name: 'INV-1', Total__c: 99.5 });
    expect(second.state.extensions.get('test.notes')).toEqual(new Map([['a', 1]]));
    const next = await call(second, 'POST', '/services/data/v62.0/sobjects/Invoice__c', { Name: 'INV-2' });
    expect((next.body as { id: string }).id).not.toBe(invoiceId);
  });
});

describe('restarting on the same port', () => {
  it('lets a connection pooled against the stopped org reach the restarted one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'local-org-data-'));
    const first = await startLocalOrg({ dataDir });
    const connection = await connectTo(first);
    await connection.sobject('Account').create({ Name: 'Survivor' });
    await first.stop();
    const second = await start({ dataDir, port: first.port });
    const result = await connection.query<{ Name: string }>('SELECT Name FROM Account');
    expect(result.records.map((record) => record.Name)).toEqual(['Survivor']);
    expect(second.accessToken).toBe(first.accessToken);
  });
});

describe('sfmcp-local-org arguments', () => {
  it('parses ports, data dirs, seeds and volumes', () => {
    expect(
      parseBinArguments([
        '--port',
        '8123',
        '--data-dir',
        '/tmp/x',
        '--volume',
        'Account=100000',
        '--volume',
        'Contact=5',
      ]),
    ).toEqual({
      help: false,
      port: 8123,
      dataDir: '/tmp/x',
      empty: false,
      volumes: [
        { objectName: 'Account', count: 100000 },
        { objectName: 'Contact', count: 5 },
      ],
    });
    expect(parseBinArguments([])).toMatchObject({ port: 0, volumes: [] });
  });

  it('explains wrong arguments', () => {
    expect(() => parseBinArguments(['--port', 'eighty'])).toThrow(/--port/);
    expect(() => parseBinArguments(['--volume', 'Account'])).toThrow(/Object=COUNT/);
    expect(() => parseBinArguments(['--colour'])).toThrow();
  });
});

describe('SOAP endpoints', () => {
  it('routes Apex SOAP executeAnonymous with the session from the envelope', async () => {
    const org = await start();
    const envelope = (session: string) =>
      `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cmd="http://soap.sforce.com/2006/08/apex"><env:Header><cmd:SessionHeader><cmd:sessionId>${session}</cmd:sessionId></cmd:SessionHeader></env:Header><env:Body><executeAnonymous xmlns="http://soap.sforce.com/2006/08/apex"><apexcode>System.debug(1);</apexcode></executeAnonymous></env:Body></env:Envelope>`;
    const path = `${org.instanceUrl}/services/Soap/s/62.0/${org.orgId.slice(0, 15)}`;
    const refused = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: 'blah' },
      body: envelope('wrong'),
    });
    expect(refused.status).toBe(500);
    expect(await refused.text()).toContain('INVALID_SESSION_ID');
    const accepted = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: 'blah' },
      body: envelope(org.accessToken),
    });
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain('executeAnonymousResponse');
  });

  it('checks a Metadata SessionHeader against the org token even with a valid bearer header', async () => {
    const org = await start();
    const response = await fetch(`${org.instanceUrl}/services/Soap/m/62.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', authorization: `Bearer ${org.accessToken}` },
      body: '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader><sessionId>forged</sessionId></SessionHeader></soapenv:Header><soapenv:Body><listMetadata/></soapenv:Body></soapenv:Envelope>',
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('INVALID_SESSION_ID');
  });
});

describe('odd input', () => {
  it('answers every malformed request with a 4xx in Salesforce shape, never a 5xx', async () => {
    const seen: unknown[] = [];
    const org = await start({ onUnexpectedError: (error) => seen.push(error) });
    const odd: Array<[string, string, string | undefined]> = [
      ['POST', '/services/data/v62.0/sobjects/Account', 'null'],
      ['POST', '/services/data/v62.0/sobjects/Account', '[]'],
      ['POST', '/services/data/v62.0/sobjects/Account', '5'],
      ['POST', '/services/data/v62.0/sobjects/Account', '{"Name": {"nested": true}}'],
      ['POST', '/services/data/v62.0/sobjects/Account', '{"Name": ["a"]}'],
      [
        'PATCH',
        '/services/data/v62.0/composite/sobjects',
        '{"records": [null, 5, "x", {"attributes": {"type": 7}}]}',
      ],
      ['POST', '/services/data/v62.0/composite/sobjects', '{"records": "nope"}'],
      ['DELETE', '/services/data/v62.0/composite/sobjects?ids=,,,', undefined],
      ['DELETE', '/services/data/v62.0/composite/sobjects?ids=abc,001', undefined],
      ['GET', '/services/data/v62.0/composite/sobjects/Account?ids=001&fields=', undefined],
      [
        'POST',
        '/services/data/v62.0/composite',
        '{"compositeRequest": [{"method": "GET", "url": "/elsewhere", "referenceId": "x"}]}',
      ],
      [
        'POST',
        '/services/data/v62.0/composite',
        '{"compositeRequest": [{"method": "GET", "url": "/services/data/v62.0/sobjects/@{nope.id}", "referenceId": "x"}]}',
      ],
      ['POST', '/services/data/v62.0/composite/tree/Account', '{"records": [{"Name": "no attributes"}]}'],
      ['GET', '/services/data/v62.0/query?q=SELECT', undefined],
      ['GET', '/services/data/v62.0/query?q=%00%01', undefined],
      ['GET', '/services/data/v62.0/query/not-a-cursor', undefined],
      ['GET', '/services/data/v62.0/search?q=FIND', undefined],
      ['GET', '/services/data/v62.0/sobjects/Account/001/extra', undefined],
      ['PATCH', '/services/data/v62.0/sobjects/Account/External_Id__c/', '{}'],
      ['GET', '/services/data/v62.0/sobjects/Account/Name/Acme', undefined],
      ['PUT', '/services/data/v62.0/limits', undefined],
      ['GET', '/services/data/v62.0/sobjects/Account/updated/?start=yesterday&end=today', undefined],
    ];
    for (const [method, path, body] of odd) {
      const reply = await call(org, method, path, body);
      expect(reply.status, `${method} ${path} ${body ?? ''}`).toBeGreaterThanOrEqual(200);
      expect(reply.status, `${method} ${path} ${body ?? ''}`).toBeLessThan(500);
      if (reply.status >= 400) {
        const errors = reply.body as unknown as Array<{ errorCode?: string; message?: string }>;
        expect(Array.isArray(errors) && typeof errors[0]?.errorCode === 'string', `${method} ${path}`).toBe(
          true,
        );
      }
    }
    expect(seen).toEqual([]);
    const fine = await call(org, 'GET', '/services/data/v62.0/limits');
    expect(fine.status).toBe(200);
  });
});
