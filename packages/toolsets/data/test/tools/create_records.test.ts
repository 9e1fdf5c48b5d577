import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byName, rows, startWriteServer, tokenOf } from '../lib/write-seed.js';

describe('create_records', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startWriteServer();
  });
  afterAll(() => server.close());

  it('creates records and returns their ids', async () => {
    const acme = byName(server, 'Account', 'Acme');
    const result = await server.call('create_records', {
      sobject: 'Contact',
      records: [
        { FirstName: 'Ada', LastName: 'Lovelace', AccountId: acme.Id },
        { LastName: 'Hopper', Email: 'grace@example.com' },
      ],
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toMatch(
      /^Org: local-test \(.+\) — sfmcp local org, a test double\nCreated 2 Contact records\./,
    );
    const created = (result.structuredContent as { results: { id: string }[] }).results.map((r) => r.id);
    expect(server.org.state.records.get(created[0] as string)).toMatchObject({
      LastName: 'Lovelace',
      AccountId: acme.Id,
    });
    expect(server.org.state.records.get(created[1] as string)).toMatchObject({ LastName: 'Hopper' });
  });

  it('sets a lookup through the parent’s external id', async () => {
    const acme = byName(server, 'Account', 'Acme');
    const result = await server.call('create_records', {
      sobject: 'Contact',
      records: [{ LastName: 'Linked', account: { External_Id__c: 'A-1' } }],
    });
    expect(result.isError).toBeFalsy();
    const [created] = (result.structuredContent as { results: { id: string }[] }).results;
    expect(server.org.state.records.get(created?.id as string)).toMatchObject({
      LastName: 'Linked',
      AccountId: acme.Id,
    });
  });

  it('writes nothing when one record of three is invalid (allOrNone), and says so per record', async () => {
    const before = rows(server, 'Contact').length;
    const result = await server.call('create_records', {
      sobject: 'Contact',
      records: [{ LastName: 'One' }, { FirstName: 'No last name' }, { LastName: 'Three' }],
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain(
      'Nothing was written: 1 record failed and allOrNone rolled back all 3 Contact records.',
    );
    expect(result.text).toMatch(/\n1 \| {2}\| false \| REQUIRED_FIELD_MISSING: .*\[LastName\]/);
    expect(result.text).toContain('0 |  | false | rolled back (another record failed)');
    expect(result.structuredContent).toMatchObject({ succeeded: 0, failed: 3, nothingWritten: true });
    expect(rows(server, 'Contact')).toHaveLength(before);
    expect(rows(server, 'Contact').some((row) => row.LastName === 'One' || row.LastName === 'Three')).toBe(
      false,
    );
  });

  it('with allOrNone: false saves the valid records and reports the invalid one', async () => {
    const result = await server.call('create_records', {
      sobject: 'Account',
      records: [{ Name: 'Valid One' }, { Name: 'Too long '.repeat(40) }],
      allOrNone: false,
    });
    expect(result.text).toContain('Created 1 Account record; 1 failed');
    expect(result.text).toMatch(/\n1 \| {2}\| false \| STRING_TOO_LONG: .*\[Name\]/);
    expect(byName(server, 'Account', 'Valid One')).toBeTruthy();
    expect(rows(server, 'Account').some((row) => String(row.Name).startsWith('Too long'))).toBe(false);
  });

  it('refuses unknown fields and an Id with suggestions, sending nothing', async () => {
    const before = rows(server, 'Contact').length;
    const unknown = await server.call('create_records', {
      sobject: 'Contact',
      records: [{ LastNme: 'Lee', Emial: 'x@example.com' }],
    });
    expect(unknown).toMatchObject({ isError: true });
    expect(unknown.text).toContain(
      'Contact has no field LastNme (did you mean LastName?), Emial (did you mean Email?)',
    );
    const withId = await server.call('create_records', {
      sobject: 'Contact',
      records: [{ Id: '003000000000001AAA', LastName: 'Lee' }],
    });
    expect(withId.text).toContain('records[0] has an Id: to change existing records use update_records');
    expect(rows(server, 'Contact')).toHaveLength(before);
  });

  it('previews more than 5 new records and creates them only with the token', async () => {
    const records = Array.from({ length: 6 }, (_, index) => ({ Name: `New ${index}`, Industry: 'Media' }));
    const first = await server.call('create_records', { sobject: 'Account', records });
    expect(first.isError).toBeFalsy(); // a preview is a successful result
    expect(first.text).toContain('Create 6 Account records in local-test');
    expect(first.text).toContain('Name | Industry\n--- | ---\nNew 0 | Media');
    expect(rows(server, 'Account').some((row) => String(row.Name).startsWith('New '))).toBe(false);
    const second = await server.call('create_records', {
      sobject: 'Account',
      records,
      confirmationToken: tokenOf(first.text),
    });
    expect(second.text).toContain('Created 6 Account records.');
    expect(rows(server, 'Account').filter((row) => String(row.Name).startsWith('New '))).toHaveLength(6);
  });

  it('refuses more than 200 records all-or-none (Salesforce makes at most 200 atomic)', async () => {
    const records = Array.from({ length: 201 }, (_, index) => ({ Name: `Many ${index}` }));
    const result = await server.call('create_records', { sobject: 'Account', records });
    expect(result).toMatchObject({ isError: true });
    expect(result.text).toMatch(/^Refused: 201 records with allOrNone/);
    expect(rows(server, 'Account').some((row) => String(row.Name).startsWith('Many '))).toBe(false);
  });

  it('creates more than 200 records in chunks when allOrNone is false', async () => {
    const records = Array.from({ length: 450 }, (_, index) => ({ Name: `Many ${index}` }));
    const first = await server.call('create_records', { sobject: 'Account', records, allOrNone: false });
    const result = await server.call('create_records', {
      sobject: 'Account',
      records,
      allOrNone: false,
      confirmationToken: tokenOf(first.text),
    });
    expect(result.text).toContain('Created 450 Account records.');
    expect(result.structuredContent).toMatchObject({ succeeded: 450, failed: 0 });
    expect(rows(server, 'Account').filter((row) => String(row.Name).startsWith('Many '))).toHaveLength(450);
  });

  it('refuses an org outside the allowlist', async () => {
    const result = await server.call('create_records', {
      sobject: 'Account',
      records: [{ Name: 'Elsewhere' }],
      usernameOrAlias: 'my-production-org',
    });
    expect(result).toMatchObject({ isError: true });
    expect(result.text).toMatch(
      /^The org "my-production-org" is not allowed for this server\. Allowed: .*local-test/,
    );
    expect(rows(server, 'Account').some((row) => row.Name === 'Elsewhere')).toBe(false);
  });
});

describe('the write tools with --read-only', () => {
  it('are not offered at all', async () => {
    const server = await startWriteServer({ args: ['--read-only'] });
    const { tools } = await server.client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const name of ['create_records', 'update_records', 'upsert_records', 'delete_records']) {
      expect(names).not.toContain(name);
    }
    await expect(
      server.call('create_records', { sobject: 'Account', records: [{ Name: 'Nope' }] }),
    ).rejects.toThrow(/Unknown tool: create_records/);
    expect(rows(server, 'Account').some((row) => row.Name === 'Nope')).toBe(false);
    await server.close();
  });
});

describe('create_records at its limit', () => {
  it('creates 500 records in 3 requests, each on its own, with a structured result clients accept', async () => {
    const server = await startWriteServer();
    const records = Array.from({ length: 500 }, (_, index) => ({ Name: `Volume ${index}` }));
    const args = { sobject: 'Account', records, allOrNone: false };
    const first = await server.call('create_records', args);
    expect(first.text).toContain('Create 500 Account records in local-test');
    const result = await server.call('create_records', { ...args, confirmationToken: tokenOf(first.text) });
    expect(result.text).toContain('Created 500 Account records.');
    const structured = result.structuredContent as { results: { index: number; id: string }[] };
    expect(structured.results.map((r) => r.index)).toEqual(records.map((_, index) => index));
    expect(new Set(structured.results.map((r) => r.id)).size).toBe(500);
    expect(JSON.stringify(result.structuredContent).length + result.text.length).toBeLessThan(60_000);
    expect(rows(server, 'Account').filter((row) => String(row.Name).startsWith('Volume '))).toHaveLength(500);
    const tooMany = await server.call('create_records', {
      ...args,
      records: [...records, { Name: 'One more' }],
    });
    expect(tooMany.text).toMatch(/records: too many entries \(501; at most 500\)/);
    await server.close();
  });

  it('cuts a long preview and a long result table to the budget, failures first, saying what it left out', async () => {
    const server = await startWriteServer();
    // Salesforce quotes the value in STRING_TOO_LONG errors, so 499 of them make a long table.
    const records = Array.from({ length: 500 }, (_, index) => ({
      LastName: index === 0 ? 'Only valid' : `Too long ${index} ${'x'.repeat(120)}`,
      Description: 'x'.repeat(60),
    }));
    const args = { sobject: 'Contact', records, allOrNone: false };
    const first = await server.call('create_records', args);
    expect(first.text).toMatch(/… and \d+ more records not shown here/);
    expect(first.text.length).toBeLessThan(40_000);
    const result = await server.call('create_records', { ...args, confirmationToken: tokenOf(first.text) });
    expect(result.text).toContain('Created 1 Contact record; 499 failed');
    expect(result.text).not.toContain('| true |');
    expect(result.text).toMatch(
      /This table shows \d+ of 499 failures; the 1 success and \d+ more failures are left out \(too long for this answer\): every result, with its Id, is in structuredContent\.results\./,
    );
    expect(result.text.length).toBeLessThan(61_000);
    expect((result.structuredContent as { results: unknown[] }).results).toHaveLength(500);
    expect(rows(server, 'Contact').filter((row) => row.LastName === 'Only valid')).toHaveLength(1);
    await server.close();
  });
});
