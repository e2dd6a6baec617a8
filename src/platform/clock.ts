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

/** When a clinic's business day begins (HH:MM, local time); before it, the clock still counts the day before. */
export type DayStart = string;

export const midnight: DayStart = '00:00';

const dayStartPattern = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const isValidDayStart = (value: string): boolean => dayStartPattern.test(value);

/** Minutes after local midnight the business day begins (0 for midnight or an unreadable value). */
export const dayStartMinutes = (dayStart: DayStart): number => {
  const match = dayStartPattern.exec(dayStart);
  return match ? Number(match[1]) * 60 + Number(match[2]) : 0;
};

/**
 * The business date of an instant in the tenant's time zone: 23:59 in Shanghai is still
 * "today" there even though it is 15:59 UTC. With a day start of 04:00, 02:00 on the 8th
 * still belongs to the 7th — the evening's last orders land on the day they were worked.
 */
export const businessDate = (instant: Date, timeZone: string, dayStart: DayStart = midnight): BusinessDate => {
  let formatter = dateFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(timeZone, formatter);
  }
  const shift = dayStartMinutes(dayStart);
  return formatter.format(shift === 0 ? instant : new Date(instant.getTime() - shift * 60_000));
};

/** The instant a business date starts in the tenant's time zone (at its day start). */
export const startOfBusinessDay = (date: BusinessDate, timeZone: string, dayStart: DayStart = midnight): Date =>
  dayjs.tz(`${date} ${isValidDayStart(dayStart) ? dayStart : midnight}`, timeZone).toDate();

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
