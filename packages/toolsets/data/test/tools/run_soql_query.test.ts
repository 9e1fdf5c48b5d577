import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoSeed, generateVolume } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

let server: LocalOrgTestServer;

beforeAll(async () => {
  server = await createLocalOrgTestServer({ plugins: [plugin], seed: demoSeed() });
});
afterAll(async () => {
  await server?.close();
});

interface Page {
  totalSize: number;
  offset: number;
  columns: string[];
  records: Record<string, unknown>[];
  done: boolean;
  nextCursor?: string;
}

describe('run_soql_query', () => {
  it('returns a compact table with parent fields flattened and child lists summarized, naming the org', async () => {
    const result = await server.call('run_soql_query', {
      query:
        "SELECT Name, Owner.Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name = 'Acme Corporation'",
    });
    expect(result.isError).toBeFalsy();
    const page = result.structuredContent as unknown as Page;
    expect(page.totalSize).toBe(1);
    expect(page.columns).toEqual(['Name', 'Owner.Name', 'Contacts']);
    expect(page.records[0]).toMatchObject({ Name: 'Acme Corporation', 'Owner.Name': expect.any(String) });
    expect(page.records[0]!.Contacts).toEqual(expect.arrayContaining([{ LastName: 'Johnson' }]));
    expect(result.text.split('\n')[0]).toBe(
      `Org: local-test (${server.org.username}) — sfmcp local org, a test double`,
    );
    expect(result.text).toContain('totalSize: 1 · rows 1–1');
    expect(result.text).toContain('Name | Owner.Name | Contacts');
    expect(result.text).not.toContain('attributes');
    expect(result.text).toMatch(/\(2\) Johnson; Rossi/);
  });

  it('reports a syntax error precisely without sending the query', async () => {
    const before = server.org.state.records.rows('Account');
    void before;
    const result = await server.call('run_soql_query', { query: 'SELECT Id FROM Account WHERE' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('SOQL syntax error: the query ends where one of');
    expect(result.text).toContain('line 1, column 29');
    const misspelt = await server.call('run_soql_query', { query: 'SELEC Id FROM Account' });
    expect(misspelt.text).toMatch(/expected SELECT but found 'SELEC', at line 1, column 1/);
  });

  it('suggests the field meant when a field name has a typo', async () => {
    const result = await server.call('run_soql_query', { query: 'SELECT Id, Nmae, Industy FROM Account' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('INVALID_FIELD: ');
    expect(result.text).toContain("No such column 'Nmae' on entity 'Account'");
    expect(result.text).toMatch(/Did you mean: Name\b/);
  });

  it('suggests the object meant when an object name has a typo', async () => {
    const result = await server.call('run_soql_query', { query: 'SELECT Id FROM Acount' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^INVALID_TYPE: /m);
    expect(result.text).toMatch(/Did you mean: Account\b/);
  });

  it('suggests the relationship meant', async () => {
    const result = await server.call('run_soql_query', { query: 'SELECT Id, Ownr.Name FROM Account' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Did you mean: Owner\b/);
  });

  it('refuses an org outside the allowlist, running nothing', async () => {
    const result = await server.call('run_soql_query', {
      query: 'SELECT Id FROM Account',
      usernameOrAlias: 'someone-else@example.com',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/someone-else@example\.com/);
    expect(result.structuredContent).toBeUndefined();
  });

  it('never sends the org token anywhere a cursor says: forged, tampered and garbage cursors are refused', async () => {
    // A listener on loopback, where main's unsigned cursor could point the next request (and its Bearer token).
    const hits: string[] = [];
    const listener = createServer((req, res) => {
      hits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"totalSize":1,"done":true,"records":[{"Id":"stolen"}]}');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    try {
      const forged = Buffer.from(
        JSON.stringify({ o: server.org.username, q: 'x', l: `http://127.0.0.1:${port}/steal`, s: 0, n: 0 }),
      ).toString('base64url');
      const first = await server.call('run_soql_query', { query: 'SELECT Id FROM Contact', maxRows: 5 });
      const sealed = (first.structuredContent as unknown as Page).nextCursor!;
      const [prefix, payload, mac] = sealed.split('.');
      const state = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
      state.s.l = `http://127.0.0.1:${port}/steal`;
      const tampered = `${prefix}.${Buffer.from(JSON.stringify(state)).toString('base64url')}.${mac}`;
      for (const cursor of [forged, tampered, 'not-a-cursor']) {
        const refused = await server.call('run_soql_query', { query: 'SELECT Id FROM Contact', cursor });
        expect(refused.isError).toBe(true);
        expect(refused.text).toMatch(/^The cursor is not valid/);
        expect(refused.text).not.toContain('stolen');
      }
      expect(hits).toEqual([]);
    } finally {
      listener.close();
    }
    const outside = await server.call('run_soql_query', { query: 'SELECT Id FROM Contact', directory: '/' });
    expect(outside.isError).toBe(true);
  });

  it('runs a query longer than a URL can carry (over 16 KB) through the Composite API', async () => {
    const ids = Array.from({ length: 1200 }, (_, index) => `'001${String(index).padStart(15, '0')}'`);
    const query = `SELECT Id, Name FROM Account WHERE Id IN (${ids.join(', ')}) OR Name != null`;
    expect(query.length).toBeGreaterThan(16_384);
    const result = await server.call('run_soql_query', { query });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as unknown as Page).totalSize).toBeGreaterThan(0);
  });

  it('queries the Tooling API', async () => {
    const result = await server.call('run_soql_query', {
      query: 'SELECT Id, Name FROM ApexClass',
      useToolingApi: true,
    });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as unknown as Page).done).toBe(true);
  });

  it('names aggregate columns as the org does', async () => {
    const result = await server.call('run_soql_query', {
      query: 'SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry',
    });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as unknown as Page).columns).toEqual(['Industry', 'expr0']);
  });

  it('pages through 10,000 rows with the cursor, each row once, and refuses the cursor for another query', async () => {
    generateVolume('Account', 10_000, { org: server.org.state });
    const total = [...server.org.state.records.rows('Account')].length;
    const query = 'SELECT Id, Name, Industry, BillingCity FROM Account ORDER BY Id';
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    let cutInsideABatch = false;
    do {
      const result = await server.call('run_soql_query', {
        query,
        maxRows: 2000,
        ...(cursor ? { cursor } : {}),
      });
      expect(result.isError, result.text).toBeFalsy();
      const page = result.structuredContent as unknown as Page;
      expect(page.totalSize).toBe(total);
      expect(page.offset).toBe(seen.length);
      if (page.records.length < 2000 && page.nextCursor) cutInsideABatch = true;
      expect(Buffer.byteLength(result.text)).toBeLessThan(62_000);
      seen.push(...page.records.map((record) => record.Id as string));
      cursor = page.nextCursor;
      if (cursor && pages === 0) {
        const other = await server.call('run_soql_query', { query: 'SELECT Id FROM Account', cursor });
        expect(other.isError).toBe(true);
        expect(other.text).toContain('The cursor belongs to another listing');
      }
      pages++;
    } while (cursor && pages < 100);
    expect(cursor).toBeUndefined();
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const sorted = [...seen].sort();
    expect(seen).toEqual(sorted);
    // 2,000 rows of this query are more than the response budget: pages were cut inside a batch.
    expect(cutInsideABatch).toBe(true);
  });
});
