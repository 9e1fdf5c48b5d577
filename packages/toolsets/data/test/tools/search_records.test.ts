import { demoSeed } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { escapeSoslTerm } from '../../src/tools/search_records.js';

let server: LocalOrgTestServer;

beforeAll(async () => {
  server = await createLocalOrgTestServer({ plugins: [plugin], seed: demoSeed() });
});
afterAll(async () => {
  await server?.close();
});

interface Found {
  sosl: string;
  total: number;
  groups: { objectName: string; records: Record<string, unknown>[] }[];
  notShown: number;
}

describe('search_records', () => {
  it('builds SOSL from a term and objects, returning the name field by default', async () => {
    const result = await server.call('search_records', {
      searchTerm: 'Acme',
      objects: [{ name: 'Account' }, { name: 'Contact', fields: ['Id', 'LastName', 'Account.Name'] }],
    });
    expect(result.isError, result.text).toBeFalsy();
    const found = result.structuredContent as unknown as Found;
    expect(found.sosl).toBe(
      'FIND {Acme} IN ALL FIELDS RETURNING Account(Id, Name), Contact(Id, LastName, Account.Name) LIMIT 50',
    );
    const accounts = found.groups.find((group) => group.objectName === 'Account');
    expect(accounts?.records).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: 'Acme Corporation' })]),
    );
    expect(result.text).toMatch(/Account \(\d+\)\nId \| Name/);
  });

  it('runs raw SOSL', async () => {
    const result = await server.call('search_records', {
      sosl: 'FIND {Acme} IN NAME FIELDS RETURNING Account(Name) LIMIT 5',
    });
    expect(result.isError, result.text).toBeFalsy();
    expect((result.structuredContent as unknown as Found).total).toBeGreaterThan(0);
  });

  it('asks for exactly one of searchTerm and sosl, and suggests an object name', async () => {
    expect((await server.call('search_records', {})).text).toContain('Give either searchTerm or sosl');
    const typo = await server.call('search_records', { searchTerm: 'Acme', objects: [{ name: 'Acount' }] });
    expect(typo.isError).toBe(true);
    expect(typo.text).toMatch(/Did you mean: Account\b/);
  });

  it('escapes reserved characters but keeps wildcards', () => {
    expect(escapeSoslTerm("O'Brien & co-op (x)*")).toBe("O\\'Brien \\& co\\-op \\(x\\)*");
  });

  it('refuses an org outside the allowlist', async () => {
    const result = await server.call('search_records', { searchTerm: 'Acme', usernameOrAlias: 'other-org' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('other-org');
  });
});
