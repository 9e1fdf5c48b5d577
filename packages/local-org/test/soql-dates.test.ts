import { describe, expect, it } from 'vitest';
import { dateFunction, dateLiteralRange, utcToWall, wallToUtc } from '../src/soql/dates.js';

/** A range as [first day, last day] inclusive, which is how Salesforce documents them. */
function days(name: string, now: string, n?: number): [string, string] | undefined {
  const range = dateLiteralRange(name, n, new Date(now));
  if (!range) return undefined;
  return [
    new Date(range.start).toISOString().slice(0, 10),
    new Date(range.end - 1).toISOString().slice(0, 10),
  ];
}

describe('date literal ranges', () => {
  it.each([
    // Wednesday 15 May 2024.
    ['TODAY', '2024-05-15T12:00:00Z', undefined, ['2024-05-15', '2024-05-15']],
    ['YESTERDAY', '2024-05-15T12:00:00Z', undefined, ['2024-05-14', '2024-05-14']],
    ['TOMORROW', '2024-05-15T12:00:00Z', undefined, ['2024-05-16', '2024-05-16']],
    ['THIS_WEEK', '2024-05-15T12:00:00Z', undefined, ['2024-05-12', '2024-05-18']],
    ['LAST_WEEK', '2024-05-15T12:00:00Z', undefined, ['2024-05-05', '2024-05-11']],
    ['NEXT_WEEK', '2024-05-15T12:00:00Z', undefined, ['2024-05-19', '2024-05-25']],
    // Weeks start on Sunday: on a Sunday THIS_WEEK starts that day, on a Saturday it ends that day.
    ['THIS_WEEK', '2024-05-12T00:00:00Z', undefined, ['2024-05-12', '2024-05-18']],
    ['THIS_WEEK', '2024-05-18T23:59:59Z', undefined, ['2024-05-12', '2024-05-18']],
    ['THIS_MONTH', '2024-02-10T00:00:00Z', undefined, ['2024-02-01', '2024-02-29']],
    ['LAST_MONTH', '2024-01-10T00:00:00Z', undefined, ['2023-12-01', '2023-12-31']],
    ['NEXT_MONTH', '2024-12-10T00:00:00Z', undefined, ['2025-01-01', '2025-01-31']],
    ['THIS_QUARTER', '2024-12-31T23:00:00Z', undefined, ['2024-10-01', '2024-12-31']],
    ['LAST_QUARTER', '2024-02-01T00:00:00Z', undefined, ['2023-10-01', '2023-12-31']],
    ['NEXT_QUARTER', '2024-11-01T00:00:00Z', undefined, ['2025-01-01', '2025-03-31']],
    ['THIS_YEAR', '2024-05-15T12:00:00Z', undefined, ['2024-01-01', '2024-12-31']],
    ['LAST_YEAR', '2024-05-15T12:00:00Z', undefined, ['2023-01-01', '2023-12-31']],
    ['NEXT_FISCAL_YEAR', '2024-05-15T12:00:00Z', undefined, ['2025-01-01', '2025-12-31']],
    ['LAST_90_DAYS', '2024-05-15T12:00:00Z', undefined, ['2024-02-15', '2024-05-15']],
    ['NEXT_90_DAYS', '2024-05-15T12:00:00Z', undefined, ['2024-05-16', '2024-08-13']],
    ['LAST_N_DAYS', '2024-05-15T12:00:00Z', 7, ['2024-05-08', '2024-05-15']],
    ['NEXT_N_DAYS', '2024-05-15T12:00:00Z', 7, ['2024-05-16', '2024-05-22']],
    ['N_DAYS_AGO', '2024-03-01T12:00:00Z', 1, ['2024-02-29', '2024-02-29']],
    ['LAST_N_WEEKS', '2024-05-15T12:00:00Z', 2, ['2024-04-28', '2024-05-11']],
    ['NEXT_N_WEEKS', '2024-05-15T12:00:00Z', 2, ['2024-05-19', '2024-06-01']],
    ['N_WEEKS_AGO', '2024-05-15T12:00:00Z', 1, ['2024-05-05', '2024-05-11']],
    ['LAST_N_MONTHS', '2024-02-15T12:00:00Z', 3, ['2023-11-01', '2024-01-31']],
    ['NEXT_N_MONTHS', '2024-11-15T12:00:00Z', 2, ['2024-12-01', '2025-01-31']],
    ['N_MONTHS_AGO', '2024-01-15T12:00:00Z', 1, ['2023-12-01', '2023-12-31']],
    ['LAST_N_QUARTERS', '2024-05-15T12:00:00Z', 2, ['2023-10-01', '2024-03-31']],
    ['NEXT_N_QUARTERS', '2024-05-15T12:00:00Z', 1, ['2024-07-01', '2024-09-30']],
    ['N_QUARTERS_AGO', '2024-05-15T12:00:00Z', 4, ['2023-04-01', '2023-06-30']],
    ['LAST_N_YEARS', '2024-05-15T12:00:00Z', 2, ['2022-01-01', '2023-12-31']],
    ['NEXT_N_YEARS', '2024-05-15T12:00:00Z', 1, ['2025-01-01', '2025-12-31']],
    ['N_YEARS_AGO', '2024-05-15T12:00:00Z', 3, ['2021-01-01', '2021-12-31']],
    ['last_n_fiscal_years', '2024-05-15T12:00:00Z', 1, ['2023-01-01', '2023-12-31']],
  ] as const)('%s at %s (n=%s) covers %j', (name, now, n, expected) => {
    expect(days(name, now, n)).toEqual(expected);
  });

  it('does not know names outside SOQL', () => {
    expect(days('SOMEDAY', '2024-05-15T12:00:00Z')).toBeUndefined();
  });
});

describe('time zones', () => {
  const iso = (ms: number) => new Date(ms).toISOString();

  it("makes TODAY the user's local day, across a daylight saving change", () => {
    // 10 March 2024: Los Angeles moves from UTC-8 to UTC-7 at 02:00 local time.
    const range = dateLiteralRange(
      'TODAY',
      undefined,
      new Date('2024-03-10T12:00:00Z'),
      'America/Los_Angeles',
    );
    expect(
      range && [
        iso(wallToUtc(range.start, 'America/Los_Angeles')),
        iso(wallToUtc(range.end, 'America/Los_Angeles')),
      ],
    ).toEqual(['2024-03-10T08:00:00.000Z', '2024-03-11T07:00:00.000Z']);
  });

  it('finds the local date before UTC midnight has come round', () => {
    const range = dateLiteralRange('TODAY', undefined, new Date('2024-05-15T03:00:00Z'), 'America/New_York');
    expect(range && iso(range.start).slice(0, 10)).toBe('2024-05-14');
  });

  it('converts between instants and wall-clock times', () => {
    expect(iso(utcToWall(Date.parse('2024-07-01T12:00:00.250Z'), 'Europe/Paris'))).toBe(
      '2024-07-01T14:00:00.250Z',
    );
    expect(iso(wallToUtc(Date.parse('2024-07-01T14:00:00Z'), 'Europe/Paris'))).toBe(
      '2024-07-01T12:00:00.000Z',
    );
    expect(iso(wallToUtc(Date.parse('2024-01-01T09:00:00Z'), 'Asia/Tokyo'))).toBe('2024-01-01T00:00:00.000Z');
    expect(utcToWall(1234, 'UTC')).toBe(1234);
  });
});

describe('date functions', () => {
  const at = (iso: string) => new Date(iso).getTime();
  it.each([
    ['CALENDAR_YEAR', '2024-05-15T12:00:00Z', 2024],
    ['CALENDAR_MONTH', '2024-05-15T12:00:00Z', 5],
    ['CALENDAR_QUARTER', '2024-11-15T12:00:00Z', 4],
    ['DAY_IN_MONTH', '2024-05-15T12:00:00Z', 15],
    ['DAY_IN_WEEK', '2024-05-12T12:00:00Z', 1],
    ['DAY_IN_WEEK', '2024-05-18T12:00:00Z', 7],
    ['DAY_IN_YEAR', '2024-12-31T12:00:00Z', 366],
    ['WEEK_IN_MONTH', '2024-05-15T12:00:00Z', 3],
    ['WEEK_IN_YEAR', '2024-01-07T12:00:00Z', 1],
    ['WEEK_IN_YEAR', '2024-01-08T12:00:00Z', 2],
    ['HOUR_IN_DAY', '2024-05-15T17:30:00Z', 17],
    ['DAY_ONLY', '2024-05-15T23:59:59Z', '2024-05-15'],
    ['FISCAL_YEAR', '2024-05-15T12:00:00Z', 2024],
  ] as const)('%s(%s) is %s', (name, iso, expected) => {
    expect(dateFunction(name, at(iso))).toBe(expected);
  });
});
