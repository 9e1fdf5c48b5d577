/**
 * SOQL string literals, escaped by Salesforce's rules ("Quoted String Escape Sequences" in the SOQL and
 * SOSL reference): backslash, single and double quotes, new line, carriage return, tab, \b and form feed
 * get a backslash escape. Every value that reaches a query goes through here: there is no keyword
 * blocklist, so a username such as "o'neil@or.example" is simply a string.
 */

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** The body of a SOQL string literal (without the quotes). */
export function escapeSoql(value: string): string {
  return value.replace(/[\\'"\n\r\t\b\f]/g, (char) => ESCAPES[char] as string);
}

/** A quoted SOQL string literal: `O'Brien` → `'O\'Brien'`. */
export function soqlString(value: string): string {
  return `'${escapeSoql(value)}'`;
}

/** A parenthesised list of literals for IN: `('a', 'b')`. Never empty: callers leave the filter out instead. */
export function soqlList(values: readonly string[]): string {
  if (values.length === 0) throw new Error('soqlList needs at least one value');
  return `(${[...new Set(values)].map(soqlString).join(', ')})`;
}

/** A LIKE pattern matching values that contain `value`: also escapes the LIKE wildcards % and _. */
export function soqlContains(value: string): string {
  return `'%${escapeSoql(value).replace(/[%_]/g, (char) => `\\${char}`)}%'`;
}
