import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byName, rows, startWriteServer, tokenOf } from '../lib/write-seed.js';

describe('upsert_records', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startWriteServer();
  });
  afterAll(() => server.close());

  it('updates the record an external id matches and creates the one it does not', async () => {
    const acme = byName(server, 'Account', 'Acme');
    const result = await server.call('upsert_records', {
      sobject: 'Account',
      externalIdField: 'external_id__c',
      records: [
        { External_Id__c: 'A-1', Industry: 'Aerospace' },
        { External_Id__c: 'A-9', Name: 'Initech', Industry: 'Software' },
      ],
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain('Upserted 2 Account records.');
    expect(result.text).toContain('index | Id | success | created | errors');
    const results = (result.structuredContent as { results: { id: string; created: boolean }[] }).results;
    expect(results[0]).toMatchObject({ id: acme.Id, created: false });
    expect(results[1]).toMatchObject({ created: true });
    expect(byName(server, 'Account', 'Acme').Industry).toBe('Aerospace');
    expect(server.org.state.records.get(results[1]?.id as string)).toMatchObject({
      Name: 'Initech',
      External_Id__c: 'A-9',
    });
  });

  it('previews how many records it will update and create before changing more than 5', async () => {
    const records = [
      { External_Id__c: 'A-2', Industry: 'Utilities' },
      ...Array.from({ length: 5 }, (_, index) => ({
        External_Id__c: `N-${index}`,
        Name: `Upserted ${index}`,
      })),
    ];
    const args = { sobject: 'Account', externalIdField: 'External_Id__c', records };
    const first = await server.call('upsert_records', args);
    expect(first.text).toContain('matched on External_Id__c: 1 to update, 5 to create');
    expect(first.text).toContain('A-2 | ');
    expect(first.text).toContain('Energy → Utilities');
    expect(byName(server, 'Account', 'Globex').Industry).toBe('Energy');
    const second = await server.call('upsert_records', { ...args, confirmationToken: tokenOf(first.text) });
    expect(second.text).toContain('Upserted 6 Account records.');
    expect(byName(server, 'Account', 'Globex').Industry).toBe('Utilities');
    expect(rows(server, 'Account').filter((row) => String(row.Name).startsWith('Upserted '))).toHaveLength(5);
  });

  it('matches on a number external id on a custom object', async () => {
    const records = Array.from({ length: 6 }, (_, index) => ({
      Tracking__c: 1001 + index,
      Name: `S-${index + 1}b`,
    }));
    const args = { sobject: 'Shipment__c', externalIdField: 'Tracking__c', records };
    const first = await server.call('upsert_records', args);
    expect(first.text).toContain('matched on Tracking__c: 1 to update, 5 to create');
    expect(first.text).toContain('S-1 → S-1b');
    const second = await server.call('upsert_records', { ...args, confirmationToken: tokenOf(first.text) });
    expect(second.text).toContain('Upserted 6 Shipment__c records.');
    expect(
      rows(server, 'Shipment__c')
        .map((row) => row.Name)
        .sort(),
    ).toEqual(['S-1b', 'S-2b', 'S-3b', 'S-4b', 'S-5b', 'S-6b']);
  });

  it('refuses a field that is not an external id, a record without the key, and a key given twice', async () => {
    const before = rows(server, 'Account').length;
    const notExternal = await server.call('upsert_records', {
      sobject: 'Account',
      externalIdField: 'Industry',
      records: [{ Industry: 'X', Name: 'X' }],
    });
    expect(notExternal.text).toContain('Account.Industry is not an external id field');
    expect(notExternal.text).toMatch(/Fields Account can upsert on: .*External_Id__c/);
    const noKey = await server.call('upsert_records', {
      sobject: 'Account',
      externalIdField: 'External_Id__c',
      records: [{ Name: 'No key' }],
    });
    expect(noKey.text).toContain('records[0] has no External_Id__c');
    const twice = await server.call('upsert_records', {
      sobject: 'Account',
      externalIdField: 'External_Id__c',
      records: [
        { External_Id__c: 'Z-1', Name: 'One' },
        { External_Id__c: 'z-1', Name: 'Two' },
      ],
    });
    expect(twice.text).toContain('External_Id__c z-1 is given twice');
    for (const result of [notExternal, noKey, twice]) expect(result.isError).toBe(true);
    expect(rows(server, 'Account')).toHaveLength(before);
  });
});
