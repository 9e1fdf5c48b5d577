/**
 * Salesforce record ids: a three-character key prefix, a pod and reserved part, a base-62 counter,
 * and for the 18-character form a three-character suffix that encodes which of the first fifteen
 * characters are upper case (so the id survives case-insensitive systems).
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** Pod and reserved characters of every id this org makes; only the counter after them varies. */
const POD = 'Dn0';
const COUNTER_LENGTH = 9;

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-5]{3})?$/;

export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let position = 0; position < 5; position++) {
      const character = id15.charAt(chunk * 5 + position);
      if (character >= 'A' && character <= 'Z') bits |= 1 << position;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** True for a 15- or 18-character id whose suffix (if any) matches its first fifteen characters. */
export function isWellFormedId(value: unknown): value is string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) return false;
  if (value.length === 15) return true;
  return caseSafeSuffix(value.slice(0, 15)).toUpperCase() === value.slice(15).toUpperCase();
}

/** The 18-character form of a well-formed id (15 or 18 characters); undefined otherwise. */
export function toId18(value: unknown): string | undefined {
  if (!isWellFormedId(value)) return undefined;
  const id15 = value.slice(0, 15);
  return id15 + caseSafeSuffix(id15);
}

export function encodeCounter(counter: number): string {
  let text = '';
  let rest = counter;
  while (rest > 0) {
    text = BASE62.charAt(rest % 62) + text;
    rest = Math.floor(rest / 62);
  }
  return text.padStart(COUNTER_LENGTH, '0');
}

export function decodeCounter(id: string): number | undefined {
  if (id.slice(3, 6) !== POD) return undefined;
  let counter = 0;
  for (const character of id.slice(6, 15)) {
    const digit = BASE62.indexOf(character);
    if (digit < 0) return undefined;
    counter = counter * 62 + digit;
  }
  return counter;
}

/** Makes ids from one org-wide counter, so ids never repeat across objects or restarts. */
export class IdAllocator {
  private counter = 0;

  next(keyPrefix: string): string {
    this.counter += 1;
    const id15 = keyPrefix + POD + encodeCounter(this.counter);
    return id15 + caseSafeSuffix(id15);
  }

  /** After loading stored records: never hand out an id that exists. */
  observe(id: string): void {
    const counter = decodeCounter(id);
    if (counter !== undefined && counter > this.counter) this.counter = counter;
  }
}
