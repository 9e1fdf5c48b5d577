import { describe, expect, it } from 'vitest';
import { escapeSoql, soqlContains, soqlList, soqlString } from '../../src/lib/soql.js';

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
