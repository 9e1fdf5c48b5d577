/**
 * SOQL date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER...) as half-open ranges [start, end) of days
 * in the running user's time zone, as Salesforce evaluates them. Weeks start on Sunday (en_US) and the
 * fiscal year is the calendar year, which is what a new org has by default. Date functions
 * (CALENDAR_YEAR...) read datetimes in UTC, as Salesforce does without convertTimezone().
 */
export interface DateRange {
  start: number;
  end: number;
}

const DAY = 86_400_000;

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

function days(today: number, fromOffset: number, toOffset: number): DateRange {
  return { start: today + fromOffset * DAY, end: today + toOffset * DAY };
}

/** Range of `count` whole months starting `offset` months from the current month. */
function months(now: Date, offset: number, count: number, unit = 1): DateRange {
  const year = now.getUTCFullYear();
  const month = Math.floor(now.getUTCMonth() / unit) * unit;
  return {
    start: monthStart(year, month + offset * unit),
    end: monthStart(year, month + (offset + count) * unit),
  };
}

function years(now: Date, offset: number, count: number): DateRange {
  const year = now.getUTCFullYear();
  return { start: Date.UTC(year + offset, 0, 1), end: Date.UTC(year + offset + count, 0, 1) };
}

function weeks(today: number, now: Date, offset: number, count: number): DateRange {
  const weekStart = today - now.getUTCDay() * DAY;
  return { start: weekStart + offset * 7 * DAY, end: weekStart + (offset + count) * 7 * DAY };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isTimeZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at a UTC instant, as ms of a UTC date with the same fields. */
export function utcToWall(utcMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return utcMs;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wholeSeconds = Date.UTC(
    fields.year ?? 1970,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
  return wholeSeconds + (((utcMs % 1000) + 1000) % 1000);
}

/** The UTC instant of a wall-clock time in `timeZone` (the later one when clocks go back). */
export function wallToUtc(wallMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return wallMs;
  const firstGuess = wallMs - (utcToWall(wallMs, timeZone) - wallMs);
  return wallMs - (utcToWall(firstGuess, timeZone) - firstGuess);
}

/**
 * Returns undefined for a name the local org does not know. Ranges are in wall-clock ms of the
 * user's time zone (midnight to midnight there); wallToUtc turns them into instants for datetimes.
 */
export function dateLiteralRange(
  name: string,
  n: number | undefined,
  instant: Date,
  timeZone = 'UTC',
): DateRange | undefined {
  const now = new Date(utcToWall(instant.getTime(), timeZone));
  const today = startOfDay(now.getTime());
  const upper = name.toUpperCase();
  const count = n ?? 0;
  switch (upper) {
    case 'YESTERDAY':
      return days(today, -1, 0);
    case 'TODAY':
      return days(today, 0, 1);
    case 'TOMORROW':
      return days(today, 1, 2);
    case 'LAST_WEEK':
      return weeks(today, now, -1, 1);
    case 'THIS_WEEK':
      return weeks(today, now, 0, 1);
    case 'NEXT_WEEK':
      return weeks(today, now, 1, 1);
    case 'LAST_MONTH':
      return months(now, -1, 1);
    case 'THIS_MONTH':
      return months(now, 0, 1);
    case 'NEXT_MONTH':
      return months(now, 1, 1);
    case 'LAST_90_DAYS':
      return days(today, -90, 1);
    case 'NEXT_90_DAYS':
      return days(today, 1, 91);
    case 'THIS_QUARTER':
    case 'THIS_FISCAL_QUARTER':
      return months(now, 0, 1, 3);
    case 'LAST_QUARTER':
    case 'LAST_FISCAL_QUARTER':
      return months(now, -1, 1, 3);
    case 'NEXT_QUARTER':
    case 'NEXT_FISCAL_QUARTER':
      return months(now, 1, 1, 3);
    case 'THIS_YEAR':
    case 'THIS_FISCAL_YEAR':
      return years(now, 0, 1);
    case 'LAST_YEAR':
    case 'LAST_FISCAL_YEAR':
      return years(now, -1, 1);
    case 'NEXT_YEAR':
    case 'NEXT_FISCAL_YEAR':
      return years(now, 1, 1);
    // LAST_N_DAYS includes today; NEXT_N_DAYS starts tomorrow (Salesforce's documented ranges).
    case 'LAST_N_DAYS':
      return days(today, -count, 1);
    case 'NEXT_N_DAYS':
      return days(today, 1, count + 1);
    case 'N_DAYS_AGO':
      return days(today, -count, -count + 1);
    case 'LAST_N_WEEKS':
      return weeks(today, now, -count, count);
    case 'NEXT_N_WEEKS':
      return weeks(today, now, 1, count);
    case 'N_WEEKS_AGO':
      return weeks(today, now, -count, 1);
    case 'LAST_N_MONTHS':
      return months(now, -count, count);
    case 'NEXT_N_MONTHS':
      return months(now, 1, count);
    case 'N_MONTHS_AGO':
      return months(now, -count, 1);
    case 'LAST_N_QUARTERS':
    case 'LAST_N_FISCAL_QUARTERS':
      return months(now, -count, count, 3);
    case 'NEXT_N_QUARTERS':
    case 'NEXT_N_FISCAL_QUARTERS':
      return months(now, 1, count, 3);
    case 'N_QUARTERS_AGO':
    case 'N_FISCAL_QUARTERS_AGO':
      return months(now, -count, 1, 3);
    case 'LAST_N_YEARS':
    case 'LAST_N_FISCAL_YEARS':
      return years(now, -count, count);
    case 'NEXT_N_YEARS':
    case 'NEXT_N_FISCAL_YEARS':
      return years(now, 1, count);
    case 'N_YEARS_AGO':
    case 'N_FISCAL_YEARS_AGO':
      return years(now, -count, 1);
    default:
      return undefined;
  }
}

/** Date functions usable in SELECT, WHERE, GROUP BY (CALENDAR_YEAR(CloseDate)...), over epoch ms in UTC. */
export function dateFunction(name: string, ms: number): number | string | undefined {
  const date = new Date(ms);
  const month = date.getUTCMonth();
  switch (name.toUpperCase()) {
    case 'CALENDAR_YEAR':
    case 'FISCAL_YEAR':
      return date.getUTCFullYear();
    case 'CALENDAR_MONTH':
    case 'FISCAL_MONTH':
      return month + 1;
    case 'CALENDAR_QUARTER':
    case 'FISCAL_QUARTER':
      return Math.floor(month / 3) + 1;
    case 'DAY_IN_MONTH':
      return date.getUTCDate();
    case 'DAY_IN_WEEK':
      return date.getUTCDay() + 1;
    case 'DAY_IN_YEAR':
      return Math.floor((startOfDay(ms) - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY) + 1;
    case 'WEEK_IN_MONTH':
      return Math.floor((date.getUTCDate() - 1) / 7) + 1;
    case 'WEEK_IN_YEAR':
      return Math.floor((startOfDay(ms) - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY / 7) + 1;
    case 'HOUR_IN_DAY':
      return date.getUTCHours();
    case 'DAY_ONLY':
      return date.toISOString().slice(0, 10);
    default:
      return undefined;
  }
}

export const DATE_FUNCTIONS = new Set([
  'CALENDAR_YEAR',
  'FISCAL_YEAR',
  'CALENDAR_MONTH',
  'FISCAL_MONTH',
  'CALENDAR_QUARTER',
  'FISCAL_QUARTER',
  'DAY_IN_MONTH',
  'DAY_IN_WEEK',
  'DAY_IN_YEAR',
  'WEEK_IN_MONTH',
  'WEEK_IN_YEAR',
  'HOUR_IN_DAY',
  'DAY_ONLY',
]);
