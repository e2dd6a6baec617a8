import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Where "now" comes from; tests pass a fixed clock instead of patching Date. */
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (instant: Date | string): Clock => {
  const at = new Date(instant);
  return { now: () => new Date(at) };
};

export const defaultTimeZone = 'Asia/Shanghai';

/** A calendar date (YYYY-MM-DD) with no time zone of its own. */
export type BusinessDate = string;

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The business date of an instant in the tenant's time zone: 23:59 in Shanghai is still
 * "today" there even though it is 15:59 UTC.
 */
export const businessDate = (instant: Date, timeZone: string): BusinessDate => {
  let formatter = dateFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
};

/** The instant a business date starts in the tenant's time zone. */
export const startOfBusinessDay = (date: BusinessDate, timeZone: string): Date => dayjs.tz(date, timeZone).toDate();

/** Whole calendar days from `from` to `to` (both business dates); negative if `to` is earlier. */
export const daysBetween = (from: BusinessDate, to: BusinessDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export const addDays = (date: BusinessDate, days: number): BusinessDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export const isValidTimeZone = (timeZone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
};
