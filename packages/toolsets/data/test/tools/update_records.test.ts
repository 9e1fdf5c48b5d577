import type { LocalOrgTestServer } from '@sfmcp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byName, rows, startWriteServer, tokenOf, writeSeed } from '../lib/write-seed.js';

describe('update_records', () => {
  let server: LocalOrgTestServer;
  beforeAll(async () => {
    server = await startWriteServer();
  });
  afterAll(() => server.close());

  it('changes one record without asking, in the field spelling the object uses, and names the org', async () => {
    const acme = byName(server, 'Account', 'Acme');
    const result = await server.call('update_records', {
      sobject: 'Account',
      records: [{ Id: acme.Id, industry: 'Apparel', Phone: '555-0100' }],
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toMatch(
      /^Org: local-test \(.+\) — sfmcp local org, a test double\nUpdated 1 Account record\.\nindex \| Id \| success \| errors/,
    );
    expect(result.structuredContent).toMatchObject({
      org: server.org.username,
      sobject: 'Account',
      operation: 'update',
      allOrNone: true,
      succeeded: 1,
      failed: 0,
      nothingWritten: false,
      results: [{ index: 0, id: acme.Id, success: true }],
    });
    expect(byName(server, 'Account', 'Acme')).toMatchObject({ Industry: 'Apparel', Phone: '555-0100' });
  });

  it('shows old → new values for more than 5 records and waits for the token', async () => {
    const bulk = rows(server, 'Account').filter((row) => String(row.Name).startsWith('Bulk'));
    expect(bulk).toHaveLength(6);
    const args = { sobject: 'Account', records: bulk.map((row) => ({ Id: row.Id, Industry: 'Banking' })) };
    const first = await server.call('update_records', args);
    expect(first.isError).toBeFalsy(); // a preview is a successful result
    expect(first.text).toContain('Confirmation needed — nothing has been changed yet.');
    expect(first.text).toContain(`Update 6 Account records in local-test (${server.org.username})`);
    expect(first.text).toContain('Id | Name | Industry');
    expect(first.text).toContain(`${String(bulk[0]?.Id)} | Bulk 1 | Retail → Banking`);
    expect(rows(server, 'Account').filter((row) => row.Industry === 'Banking')).toHaveLength(0);

    const second = await server.call('update_records', { ...args, confirmationToken: tokenOf(first.text) });
    expect(second.isError).toBeFalsy();
    expect(second.text).toContain('Updated 6 Account records.');
    expect(rows(server, 'Account').filter((row) => row.Industry === 'Banking')).toHaveLength(6);
  });

  it('refuses bad input before anything is sent', async () => {
    const acme = byName(server, 'Account', 'Acme');
    const contact = rows(server, 'Contact')[0];
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ sobject: 'Account', records: [{ Industry: 'X' }] }, /records\[0\] has no Id/],
      [{ sobject: 'Account', records: [{ Id: 'nope', Industry: 'X' }] }, /"nope" is not a Salesforce id/],
      [
        { sobject: 'Account', records: [{ Id: contact?.Id, Industry: 'X' }] },
        /is not a Account id \(Account ids start with 001\)/,
      ],
      [
        { sobject: 'Account', records: [{ Id: acme.Id, Industri: 'X' }] },
        /Account has no field Industri \(did you mean Industry\?\)/,
      ],
      [
        { sobject: 'Account', records: [{ Id: acme.Id, CreatedDate: '2020-01-01T00:00:00Z' }] },
        /CreatedDate cannot be set on update/,
      ],
      [{ sobject: 'Account', records: [{ Id: acme.Id }] }, /sets no field to change/],
      [
        { sobject: 'Acount', records: [{ Id: acme.Id, Name: 'X' }] },
        /There is no object Acount in local-test .* \(did you mean Account\?\)/,
      ],
      [
        {
          sobject: 'Account',
          records: [
            { Id: acme.Id, Name: 'X' },
            { Id: String(acme.Id).slice(0, 15), Name: 'Y' },
          ],
        },
        /given twice/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await server.call('update_records', args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(result.text).toMatch(message);
      expect(result.text).toContain('Nothing was changed.');
    }
    expect(byName(server, 'Account', 'Acme').Name).toBe('Acme');
  });

  it('reports per-record errors from Salesforce, and with allOrNone: false keeps the valid changes', async () => {
    const acme = byName(server, 'Account', 'Acme');
    const globex = byName(server, 'Account', 'Globex');
    const result = await server.call('update_records', {
      sobject: 'Account',
      records: [
        { Id: acme.Id, Name: 'Acme Corp' },
        { Id: globex.Id, Name: 'x'.repeat(300) },
      ],
      allOrNone: false,
    });
    expect(result.isError).toBeFalsy();
    expect(result.text).toContain(
      'Updated 1 Account record; 1 failed (allOrNone: false, so the others were saved).',
    );
    expect(result.text).toMatch(/1 \| \w+ \| false \| STRING_TOO_LONG: .+ \[Name\]/);
    expect(byName(server, 'Account', 'Acme Corp')).toBeTruthy();
    expect(byName(server, 'Account', 'Globex')).toBeTruthy();
  });
});

describe('update_records and the trust policy', () => {
  const production = writeSeed({ OrganizationType: 'Enterprise Edition', IsSandbox: false });

  it('is refused on an org that reports itself as production, and changes nothing', async () => {
    const server = await startWriteServer({ seed: production });
    const acme = byName(server, 'Account', 'Acme');
    const result = await server.call('update_records', {
      sobject: 'Account',
      records: [{ Id: acme.Id, Name: 'Hacked' }],
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^Refused: local-test \(.+\) is a production org/);
    expect(byName(server, 'Account', 'Acme').Name).toBe('Acme');
    await server.close();
  });

  it('changes a production org when the server allows production writes', async () => {
    const server = await startWriteServer({ seed: production, args: ['--allow-production-writes'] });
    const acme = byName(server, 'Account', 'Acme');
    const result = await server.call('update_records', {
      sobject: 'Account',
      records: [{ Id: acme.Id, Name: 'Renamed' }],
    });
    expect(result.isError).toBeFalsy();
    expect(byName(server, 'Account', 'Renamed').Id).toBe(acme.Id);
    await server.close();
  });

  it('asks through elicitation when the client supports it: accepted writes, declined does not', async () => {
    let answer = false;
    const asked: string[] = [];
    const server = await startWriteServer({
      onElicit: (message) => {
        asked.push(message);
        return { action: 'accept', content: { confirm: answer } };
      },
    });
    const bulk = rows(server, 'Account').filter((row) => String(row.Name).startsWith('Bulk'));
    const args = { sobject: 'Account', records: bulk.map((row) => ({ Id: row.Id, Rating: 'Hot' })) };
    const declined = await server.call('update_records', args);
    expect(declined.isError).toBeFalsy(); // the user said no: nothing failed
    expect(declined.text).toBe('Cancelled: the user did not approve. Nothing was changed.');
    expect(asked[0]).toContain('Update 6 Account records');
    expect(asked[0]).toContain('Bulk 6 | ∅ → Hot');
    expect(rows(server, 'Account').filter((row) => row.Rating === 'Hot')).toHaveLength(0);
    answer = true;
    expect((await server.call('update_records', args)).text).toContain('Updated 6 Account records.');
    expect(rows(server, 'Account').filter((row) => row.Rating === 'Hot')).toHaveLength(6);
    await server.close();
  });
});
