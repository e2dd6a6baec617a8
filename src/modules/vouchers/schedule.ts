/** When a periodic distribution (定期发券) runs: pure functions of business dates. */
import { addDays, type BusinessDate } from '../../platform/clock.js';
import { assertNever } from '../../platform/errors.js';

/** Every month on day D (the month's last day when it is shorter), or every week on weekday W (1 = Monday … 7 = Sunday). */
export type Schedule = { every: 'month'; day: number } | { every: 'week'; weekday: number };

const parts = (date: BusinessDate) => {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return { year, month, day };
};

const pad = (value: number) => String(value).padStart(2, '0');

/** 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: BusinessDate): number => {
  const { year, month, day } = parts(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
};

/** ISO week of a date, 「2026-W09」: weeks start on Monday, and belong to the year of their Thursday. */
export const isoWeekOf = (date: BusinessDate): string => {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const { year } = parts(thursday);
  const dayOfYear = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  return `${year}-W${pad(Math.floor((dayOfYear - 1) / 7) + 1)}`;
};

/** The period a date falls in: 「2026-03」 for a monthly schedule, 「2026-W09」 for a weekly one. Part of each issue key, so a period issues once. */
export const periodOf = (schedule: Schedule, date: BusinessDate): string => {
  switch (schedule.every) {
    case 'month':
      return date.slice(0, 7);
    case 'week':
      return isoWeekOf(date);
    default:
      return assertNever(schedule);
  }
};

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The day the schedule runs in the period of `date`: day 31 runs on the 30th in April and on the 28th or 29th in February. */
export const runDayIn = (schedule: Schedule, date: BusinessDate): BusinessDate => {
  switch (schedule.every) {
    case 'month': {
      const { year, month } = parts(date);
      return `${year}-${pad(month)}-${pad(Math.min(schedule.day, daysInMonth(year, month)))}`;
    }
    case 'week':
      return addDays(date, schedule.weekday - isoWeekday(date));
    default:
      return assertNever(schedule);
  }
};

const nextPeriodStart = (schedule: Schedule, date: BusinessDate): BusinessDate => {
  if (schedule.every === 'week') return addDays(date, 8 - isoWeekday(date));
  const { year, month } = parts(date);
  return month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;
};

/**
 * Due when this period's run day has come and nothing ran on or after it. A distribution created
 * after this period's run day starts with the next period; one created on the run day runs that day.
 */
export const isDue = (schedule: Schedule, today: BusinessDate, lastRunOn: BusinessDate | null, createdOn: BusinessDate): boolean => {
  const runDay = runDayIn(schedule, today);
  const since = lastRunOn ?? addDays(createdOn, -1);
  return today >= runDay && since < runDay;
};

/** The next business date it will run (today when due). */
export const nextRunOn = (schedule: Schedule, today: BusinessDate, lastRunOn: BusinessDate | null, createdOn: BusinessDate): BusinessDate => {
  if (isDue(schedule, today, lastRunOn, createdOn)) return today;
  const runDay = runDayIn(schedule, today);
  const since = lastRunOn ?? addDays(createdOn, -1);
  if (today < runDay && since < runDay) return runDay;
  return runDayIn(schedule, nextPeriodStart(schedule, today));
};
