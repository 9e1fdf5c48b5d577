/**
 * Turning a value a client sent for a field into the value the org stores, or the error a real org
 * answers with. Stored forms: dates `YYYY-MM-DD`, datetimes `YYYY-MM-DDTHH:mm:ss.000+0000`,
 * times `HH:mm:ss.000Z`, numbers as numbers, booleans as booleans, ids in their 18-character form.
 */
import { SalesforceApiError } from '../errors.js';
import { toId18 } from './ids.js';
import type { FieldDef } from './types.js';

export function badValue(errorCode: string, message: string, field: FieldDef): SalesforceApiError {
  return new SalesforceApiError(400, errorCode, message, [field.name]);
}

function notOfType(field: FieldDef, raw: unknown): SalesforceApiError {
  const shown = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  return badValue(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${field.label}: value not of required type: ${shown}`,
    field,
  );
}

export function formatDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}.000+0000`;
}

export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/;
// Deliberately loose, like the platform's own check: something@something.something.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isValidCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && formatDate(date) === text;
}

function parseDateTime(text: string): Date | undefined {
  if (DATE_PATTERN.test(text)) return isValidCalendarDate(text) ? new Date(`${text}T00:00:00Z`) : undefined;
  if (!DATETIME_PATTERN.test(text)) return undefined;
  // `+0000` (no colon) is what Salesforce itself sends; Date.parse wants `+00:00`.
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function coerceNumber(field: FieldDef, raw: unknown): number {
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) value = Number(raw);
  else throw notOfType(field, raw);
  if (!Number.isFinite(value)) throw notOfType(field, raw);
  if (field.type === 'int' && !Number.isInteger(value)) throw notOfType(field, raw);
  const scale = field.scale ?? 0;
  const precision = field.precision ?? 18;
  const integerDigits = Math.max(precision - scale, 1);
  if (Math.abs(value) >= 10 ** integerDigits) {
    throw badValue(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${field.label}: value outside of valid range on numeric field: ${String(raw)}`,
      field,
    );
  }
  if (field.type !== 'int' && field.type !== 'long') {
    const factor = 10 ** scale;
    value = Math.round(value * factor) / factor;
  }
  return value;
}

function coerceText(field: FieldDef, raw: unknown): string {
  let value: string;
  if (typeof raw === 'string') value = raw;
  else if (typeof raw === 'number' || typeof raw === 'boolean') value = String(raw);
  else throw notOfType(field, raw);
  const length = field.length;
  if (length !== undefined && value.length > length) {
    throw badValue(
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${value.slice(0, 80)} (max length=${length})`,
      field,
    );
  }
  return value;
}

/** The components of a geolocation field hold degrees: latitude within ±90, longitude within ±180. */
function checkCoordinate(field: FieldDef, value: number): number {
  if (!field.compoundFieldName) return value;
  const part = /__(Latitude|Longitude)__s$/i.exec(field.name)?.[1]?.toLowerCase();
  const bound = part === 'latitude' ? 90 : part === 'longitude' ? 180 : undefined;
  if (bound !== undefined && Math.abs(value) > bound) {
    throw badValue(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${field.label}: ${part === 'latitude' ? 'Latitude' : 'Longitude'} values must be within -${bound} and ${bound}: ${value}`,
      field,
    );
  }
  return value;
}

/**
 * Checks one value for one field. `undefined` never reaches here; `null` and `''` clear the field
 * (the caller checks whether the field may be empty).
 */
export function coerceFieldValue(field: FieldDef, raw: unknown): unknown {
  if (raw === null) return null;
  switch (field.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw notOfType(field, raw);
    }
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent':
      if (raw === '') return null;
      return checkCoordinate(field, coerceNumber(field, raw));
    case 'date': {
      if (raw === '') return null;
      if (typeof raw !== 'string') throw notOfType(field, raw);
      if (isValidCalendarDate(raw)) return raw;
      const dateTime = parseDateTime(raw);
      if (dateTime && raw.length > 10 && isValidCalendarDate(raw.slice(0, 10))) return raw.slice(0, 10);
      throw notOfType(field, raw);
    }
    case 'datetime': {
      if (raw === '') return null;
      if (typeof raw !== 'string') throw notOfType(field, raw);
      const date = parseDateTime(raw);
      if (!date) throw notOfType(field, raw);
      return formatDateTime(date);
    }
    case 'time': {
      if (raw === '') return null;
      const match = typeof raw === 'string' ? TIME_PATTERN.exec(raw) : null;
      if (!match || Number(match[1]) > 23 || Number(match[2]) > 59 || Number(match[3] ?? 0) > 59)
        throw notOfType(field, raw);
      return `${match[1]}:${match[2]}:${match[3] ?? '00'}.${(match[4] ?? '000').padEnd(3, '0')}Z`;
    }
    case 'reference': {
      if (raw === '') return null;
      if (typeof raw !== 'string') throw notOfType(field, raw);
      const id = toId18(raw);
      if (!id) throw badValue('MALFORMED_ID', `${field.label}: id value of incorrect type: ${raw}`, field);
      return id;
    }
    case 'email': {
      const value = coerceText(field, raw);
      if (value === '') return null;
      if (!EMAIL_PATTERN.test(value))
        throw badValue('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, field);
      return value;
    }
    case 'picklist': {
      const value = coerceText(field, raw);
      if (value === '') return null;
      if (
        field.restrictedPicklist &&
        !field.picklistValues?.some((entry) => entry.active && entry.value === value)
      ) {
        throw badValue(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${value}`,
          field,
        );
      }
      return value;
    }
    case 'multipicklist': {
      const value = coerceText(field, raw);
      if (value === '') return null;
      const chosen = value
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      if (field.restrictedPicklist) {
        for (const choice of chosen) {
          if (!field.picklistValues?.some((entry) => entry.active && entry.value === choice)) {
            throw badValue(
              'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
              `${field.label}: bad value for restricted picklist field: ${choice}`,
              field,
            );
          }
        }
      }
      return chosen.join(';');
    }
    case 'id':
      throw badValue(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        field,
      );
    case 'address':
    case 'location':
      throw notOfType(field, raw);
    default: {
      const value = coerceText(field, raw);
      return value === '' ? null : value;
    }
  }
}
