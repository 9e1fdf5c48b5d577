import type { FieldDef, FieldType } from '../state/types.js';

/** How a field's values compare: every stored value is normalized to one of these before comparing or sorting. */
export type ValueKind =
  'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime' | 'time' | 'multi' | 'opaque';

export function kindOf(type: FieldType): ValueKind {
  switch (type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'time':
      return 'time';
    case 'multipicklist':
      return 'multi';
    case 'base64':
    case 'address':
    case 'location':
      return 'opaque';
    default:
      return 'text';
  }
}

/** Comparable form: strings lower-cased (SOQL compares text case-insensitively), ids as 18 characters, datetimes as epoch ms. */
export type Normalized = string | number | boolean | null;

export function normalize(kind: ValueKind, value: unknown): Normalized {
  if (kind === 'boolean') return value === true || value === 'true';
  if (value === null || value === undefined || value === '') return null;
  switch (kind) {
    case 'text':
    case 'multi':
      return String(value).toLowerCase();
    case 'id':
      return to18(String(value));
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isNaN(n) ? null : n;
    }
    case 'date':
      return String(value).slice(0, 10);
    case 'datetime':
      return datetimeMs(String(value));
    case 'time':
      return String(value);
    default:
      return null;
  }
}

const DATETIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch ms of an ISO-like datetime (`2024-01-02T03:04:05.000+0000`, `...Z`, `...+01:00`); NaN if unreadable. */
export function datetimeMs(text: string): number {
  const match = DATETIME_PATTERN.exec(text.trim());
  if (!match) return Number.NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = match;
  let ms = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(frac.padEnd(3, '0').slice(0, 3)),
  );
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms;
}

const CANONICAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

/** Salesforce's wire form of a datetime: `2024-01-02T03:04:05.000+0000`. */
export function formatDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A stored value as Salesforce's JSON renders it for a field of this type. */
export function renderValue(field: FieldDef, value: unknown): unknown {
  const kind = kindOf(field.type);
  if (kind === 'boolean') return value === true || value === 'true';
  if (value === undefined || value === null) return null;
  switch (kind) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isNaN(n) ? null : n;
    }
    case 'date':
      return String(value).slice(0, 10);
    case 'datetime': {
      if (typeof value === 'string' && CANONICAL_DATETIME.test(value)) return value;
      const ms = datetimeMs(String(value));
      return Number.isNaN(ms) ? value : formatDatetime(ms);
    }
    default:
      return value;
  }
}

const ID_SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The case-insensitive 18-character form of a 15-character id (other strings are returned as they are). */
export function to18(id: string): string {
  if (id.length !== 15) return id;
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id.charCodeAt(block * 5 + i);
      if (ch >= 65 && ch <= 90) bits |= 1 << i;
    }
    suffix += ID_SUFFIX_ALPHABET[bits];
  }
  return id + suffix;
}

export function isIdShaped(text: string): boolean {
  return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(text);
}

/** The parts of a multi-select picklist value, lower-cased, as a sorted set string for equality. */
export function multiParts(value: string): string[] {
  return value
    .split(';')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part.length > 0);
}

/** Multi-select picklists and long text areas cannot be sorted, grouped or filtered. */
export function isLongText(field: FieldDef): boolean {
  return field.type === 'textarea' && (field.length ?? 255) > 255;
}

export function isSortable(field: FieldDef): boolean {
  return (
    field.type !== 'multipicklist' &&
    !isLongText(field) &&
    field.type !== 'address' &&
    field.type !== 'location'
  );
}
