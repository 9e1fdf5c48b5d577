import { describe, expect, it } from 'vitest';
import { escapeSoql, soqlContains, soqlList, soqlString } from '../src/index.js';

describe('SOQL literals', () => {
  it("escapes Salesforce's quoted-string sequences and nothing else", () => {
    expect(escapeSoql(`O'Brien`)).toBe(`O\\'Brien`);
    expect(escapeSoql('back\\slash')).toBe('back\\\\slash');
    expect(escapeSoql('say "hi"')).toBe('say \\"hi\\"');
    expect(escapeSoql('a\nb\rc\td\be\ff')).toBe('a\\nb\\rc\\td\\be\\ff');
    expect(escapeSoql('50% of_all')).toBe('50% of_all');
    expect(escapeSoql('é — ünïcode')).toBe('é — ünïcode');
  });

  it('keeps words such as OR, AND and SELECT as plain text inside the quotes', () => {
    expect(soqlString("x' OR Name LIKE '%")).toBe("'x\\' OR Name LIKE \\'%'");
    expect(soqlString('lee.or.taylor@example.com')).toBe("'lee.or.taylor@example.com'");
    // a trailing backslash cannot escape the closing quote
    expect(soqlString('tail\\')).toBe("'tail\\\\'");
  });

  it('lists distinct values for IN and refuses an empty list', () => {
    expect(soqlList(['a', "b'c", 'a'])).toBe("('a', 'b\\'c')");
    expect(() => soqlList([])).toThrow();
  });

  it('escapes the LIKE wildcards for a contains match', () => {
    expect(soqlContains('50%_off')).toBe("'%50\\%\\_off%'");
    expect(soqlContains("O'B")).toBe("'%O\\'B%'");
  });
});

describe('SOQL literals against a SOQL engine (fuzzed)', () => {
  // A seeded generator: the same values every run, drawn from what breaks naive escapers.
  const pieces = [
    "'",
    '\\',
    '"',
    '%',
    '_',
    '\n',
    '\r',
    '\t',
    ' OR ',
    "' OR Name != '",
    'é',
    '😀',
    'a',
    'Z',
    '0',
    ' ',
  ];
  let state = 20261201;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const values = Array.from({ length: 200 }, () =>
    Array.from(
      { length: 1 + Math.floor(next() * 12) },
      () => pieces[Math.floor(next() * pieces.length)],
    ).join(''),
  );

  it('finds each record by its exact name, and only it', async () => {
    const { startLocalOrg } = await import('@sfmcp/local-org');
    const org = await startLocalOrg({ seed: {} });
    try {
      const distinct = [...new Set(values)].filter((value) => value.trim() !== '');
      const ids = new Map(
        distinct.map((value) => [value, org.state.records.insert('Account', { Name: value }).Id]),
      );
      const query = async (soql: string) => {
        const response = await fetch(
          `${org.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`,
          {
            headers: { authorization: `Bearer ${org.accessToken}` },
          },
        );
        expect(response.status, soql).toBe(200);
        return ((await response.json()) as { records: { Id: string }[] }).records.map((record) => record.Id);
      };
      for (const value of distinct) {
        expect(
          await query(`SELECT Id FROM Account WHERE Name = ${soqlString(value)}`),
          JSON.stringify(value),
        ).toEqual([ids.get(value)]);
        const containing = await query(`SELECT Id FROM Account WHERE Name LIKE ${soqlContains(value)}`);
        expect(containing, JSON.stringify(value)).toContain(ids.get(value));
        for (const id of containing) {
          const name = distinct.find((candidate) => ids.get(candidate) === id) ?? '';
          expect(name.toLowerCase(), JSON.stringify(value)).toContain(value.toLowerCase());
        }
      }
    } finally {
      await org.stop();
    }
  });
});
