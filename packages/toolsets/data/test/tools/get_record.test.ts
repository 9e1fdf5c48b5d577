import { demoSeed } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

let server: LocalOrgTestServer;
let accountId: string;

beforeAll(async () => {
  server = await createLocalOrgTestServer({ plugins: [plugin], seed: demoSeed() });
  accountId = [...server.org.state.records.rows('Account')].find((row) => row.Name === 'Acme Corporation')!
    .Id as string;
});
afterAll(async () => {
  await server?.close();
});

interface Got {
  objectName: string;
  id: string;
  record: Record<string, unknown>;
}

describe('get_record', () => {
  it('gets every field of a record, finding the object from the Id', async () => {
    const result = await server.call('get_record', { recordId: accountId });
    expect(result.isError, result.text).toBeFalsy();
    const got = result.structuredContent as unknown as Got;
    expect(got.objectName).toBe('Account');
    expect(got.record).toMatchObject({ Id: accountId, Name: 'Acme Corporation' });
    expect(Object.keys(got.record).length).toBeGreaterThan(20);
    expect(result.text).toContain(`Account ${accountId}\n`);
    expect(result.text).toContain('Name: Acme Corporation');
    expect(result.text).toMatch(/\nEmpty: .*\b/);
    expect(result.text).not.toContain('attributes');
  });

  it('gets chosen fields, parent fields included, from a 15-character Id', async () => {
    const result = await server.call('get_record', {
      recordId: accountId.slice(0, 15),
      objectName: 'Account',
      fields: ['Name', 'Owner.Name', 'Industry'],
    });
    expect(result.isError, result.text).toBeFalsy();
    const got = result.structuredContent as unknown as Got;
    expect(Object.keys(got.record).sort()).toEqual(['Industry', 'Name', 'Owner.Name']);
    expect(got.id).toBe(accountId.slice(0, 15));
  });

  it('suggests the field meant for a typo, and says when there is no such record', async () => {
    const typo = await server.call('get_record', { recordId: accountId, fields: ['Nmae'] });
    expect(typo.isError).toBe(true);
    expect(typo.text).toMatch(/INVALID_FIELD: .*Did you mean: Name\b/s);
    const missing = await server.call('get_record', { recordId: `${accountId.slice(0, 9)}ZZZZZZ` });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain('NOT_FOUND: no Account with Id');
    const unknownPrefix = await server.call('get_record', { recordId: 'zzz000000000001' });
    expect(unknownPrefix.text).toContain('No object in local-test');
    const notAnId = await server.call('get_record', { recordId: 'hello' });
    expect(notAnId.isError).toBe(true);
  });

  it('refuses an org outside the allowlist', async () => {
    const result = await server.call('get_record', { recordId: accountId, usernameOrAlias: 'other-org' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('other-org');
  });
});
