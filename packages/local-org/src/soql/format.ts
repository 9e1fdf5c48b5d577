import type { FieldDef, OrgState } from '../state/types.js';
import { isTimeZone } from './dates.js';
import { datetimeMs, kindOf } from './values.js';

/**
 * FORMAT(): a value as the running user's locale shows it (Salesforce Classic formats):
 * `$44,000.00` for currency, `12/28/2015` for a date, `4/10/2025, 3:31 PM` for a datetime in the user's time zone.
 */
export interface Formatter {
  format(field: FieldDef, value: unknown): unknown;
}

export function formatterFor(org: OrgState): Formatter {
  const user = org.records.get(org.userId);
  const organization = org.records.get(org.orgId);
  const localeKey = typeof user?.LocaleSidKey === 'string' ? user.LocaleSidKey : 'en_US';
  const locale = Intl.DateTimeFormat.supportedLocalesOf([localeKey.replace('_', '-')])[0] ?? 'en-US';
  const zone =
    typeof user?.TimeZoneSidKey === 'string' && isTimeZone(user.TimeZoneSidKey) ? user.TimeZoneSidKey : 'UTC';
  const currency =
    typeof organization?.DefaultCurrencyIsoCode === 'string' ? organization.DefaultCurrencyIsoCode : 'USD';
  const dates = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    timeZone: 'UTC',
  });
  const datetimes = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
  });
  return {
    format(field, value) {
      if (value === null || value === undefined || value === '') return null;
      switch (field.type) {
        case 'currency':
          return new Intl.NumberFormat(locale, {
            style: 'currency',
            currency,
            minimumFractionDigits: field.scale ?? 2,
            maximumFractionDigits: field.scale ?? 2,
          }).format(Number(value));
        case 'percent':
          return `${new Intl.NumberFormat(locale, { maximumFractionDigits: field.scale ?? 0 }).format(Number(value))}%`;
        case 'int':
        case 'long':
        case 'double':
          return new Intl.NumberFormat(locale, {
            minimumFractionDigits: field.scale ?? 0,
            maximumFractionDigits: field.scale ?? 0,
          }).format(Number(value));
        case 'date':
          return dates.format(new Date(`${String(value).slice(0, 10)}T00:00:00Z`));
        case 'datetime': {
          const ms = datetimeMs(String(value));
          return Number.isNaN(ms) ? value : datetimes.format(new Date(ms));
        }
        default:
          return kindOf(field.type) === 'boolean' ? value === true : value;
      }
    },
  };
}
