import { demoSeed } from '@sfmcp/local-org';
import { type LocalOrgTestServer, createLocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

// Arguments that used to block the event loop for seconds (or end the server): each gets a clear error, and
// the server keeps answering. How fast is for the bench; here only that each is refused for the right reason.
let server: LocalOrgTestServer;
beforeAll(async () => {
  server = await createLocalOrgTestServer({ plugins: [plugin], seed: demoSeed() });
});
afterAll(() => server.close());

const MEGABYTE = 'x'.repeat(1_000_000);

describe('hostile arguments to the data tools', () => {
  it('refuses a 1 MB field name in describe_object by its schema, before any did-you-mean', async () => {
    const result = await server.call('describe_object', { objectName: 'Account', fieldNames: [MEGABYTE] });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      'Invalid arguments for describe_object: fieldNames[0]: too long (1000000 characters; at most 255)',
    );
  });

  it('refuses a 1 MB field name as a record key in upsert_records', async () => {
    const result = await server.call('upsert_records', {
      sobject: 'Account',
      externalIdField: 'Id',
      records: [{ [MEGABYTE]: 1 }],
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/records\[0\]: a key is too long \(1000000 characters; at most 255\)/);
  });

  it('refuses SOQL over 100,000 characters, and control characters in shorter SOQL', async () => {
    const huge = await server.call('run_soql_query', { query: '\u0001'.repeat(512 * 1024) });
    expect(huge.text).toMatch(/query: too long \(524288 characters; at most 100000\)/);
    const control = await server.call('run_soql_query', {
      query: `SELECT Id FROM Account${'\u0001'.repeat(90_000)}`,
    });
    expect(control.text).toMatch(/^SOQL syntax error: a control character \(U\+0001\) at position 23\./);
  });

  it('keeps did-you-mean linear: a long unknown field in SOQL gets its error and a suggestion-free message', async () => {
    const result = await server.call('run_soql_query', {
      query: `SELECT ${'N'.repeat(90_000)} FROM Account`,
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/No such column|INVALID_FIELD/);
    expect(result.text.length).toBeLessThan(2_100); // the error quotes the query, but never pages of it
  });

  it('refuses a lone surrogate in a query, and answers the next call', async () => {
    const result = await server.call('run_soql_query', {
      query: "SELECT Id FROM Account WHERE Name = '\ud800'",
    });
    expect(result.text).toMatch(/query: contains an unpaired UTF-16 surrogate/);
    const next = await server.call('run_soql_query', { query: 'SELECT Id FROM Account LIMIT 1' });
    expect(next.isError, next.text).toBeFalsy();
  });
});
