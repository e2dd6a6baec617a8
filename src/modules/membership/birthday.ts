import { Lunar, LunarMonth } from 'lunar-typescript';
import type { BusinessDate } from '../../platform/clock.js';
import type { BirthdayBenefit } from './rules.js';

/**
 * The birthday month (生日月), pure. A customer keeps either her solar birthday or her lunar one
 * (many celebrate the lunar date); the benefit month is the solar month of the tenant's
 * calendar in which this year's birthday falls.
 *
 * Rules for lunar birthdays, also shown in the console and the portal:
 * - born in a leap month (闰月): the birthday is kept in the ordinary month of the same number
 *   every year (闰四月初十 → 四月初十), whether or not that year has the leap month again;
 * - born on day 30 (三十) of a long month: in a year whose month has only 29 days, the birthday
 *   is the month's last day (廿九);
 * - a lunar birthday late in the lunar year can fall twice in one solar year or in January of
 *   the next; every solar month that holds an occurrence is a birthday month.
 * Solar birthdays on 29 February are kept on 28 February in common years.
 */
export type Birthday = { calendar: 'solar'; month: number; day: number } | { calendar: 'lunar'; month: number; day: number; isLeapMonth: boolean };

const pad = (value: number) => String(value).padStart(2, '0');

/** The solar dates of the birthday's occurrences within a solar year. */
export const birthdaysInYear = (birthday: Birthday, year: number): BusinessDate[] => {
  if (birthday.calendar === 'solar') {
    const lastDay = new Date(Date.UTC(year, birthday.month, 0)).getUTCDate();
    return [`${year}-${pad(birthday.month)}-${pad(Math.min(birthday.day, lastDay))}`];
  }
  const dates: BusinessDate[] = [];
  for (const lunarYear of [year - 1, year]) {
    // The ordinary month, never the leap one (see the rules above).
    const days = LunarMonth.fromYm(lunarYear, birthday.month)?.getDayCount() ?? 29;
    const solar = Lunar.fromYmd(lunarYear, birthday.month, Math.min(birthday.day, days)).getSolar().toYmd();
    if (solar.startsWith(`${year}-`)) dates.push(solar);
  }
  return dates;
};

/** Whether `today` is in the customer's birthday month, and the birthday's date that month. */
export const birthdayMonthOf = (
  birthday: Birthday,
  today: BusinessDate,
): { isBirthdayMonth: boolean; dates: BusinessDate[]; dateThisMonth: BusinessDate | null } => {
  const year = Number(today.slice(0, 4));
  const dates = birthdaysInYear(birthday, year);
  const dateThisMonth = dates.find((date) => date.slice(0, 7) === today.slice(0, 7)) ?? null;
  return { isBirthdayMonth: dateThisMonth !== null, dates, dateThisMonth };
};

/** The customer's kept birthday from the stored columns (solar date of birth, calendar choice, lunar month/day/leap). */
export const birthdayFromColumns = (row: {
  birthDate: string | null;
  birthdayCalendar: string | null;
  lunarBirthMonth: number | null;
  lunarBirthDay: number | null;
  lunarBirthLeap: boolean | null;
}): Birthday | null => {
  if (!row.birthDate || !row.birthdayCalendar) return null;
  if (row.birthdayCalendar === 'lunar' && row.lunarBirthMonth && row.lunarBirthDay) {
    return { calendar: 'lunar', month: row.lunarBirthMonth, day: row.lunarBirthDay, isLeapMonth: row.lunarBirthLeap ?? false };
  }
  return { calendar: 'solar', month: Number(row.birthDate.slice(5, 7)), day: Number(row.birthDate.slice(8, 10)) };
};

export type BirthdayBenefitStatus = {
  benefit: BirthdayBenefit | null;
  calendar: 'solar' | 'lunar' | null;
  isBirthdayMonth: boolean;
  /** This year's birthday dates (solar), so staff and the customer see when the month comes. */
  dates: BusinessDate[];
  isAvailable: boolean;
};

/** The tier's birthday benefit for a customer today: available only in her birthday month. */
export const birthdayBenefitStatus = (benefit: BirthdayBenefit | null, birthday: Birthday | null, today: BusinessDate): BirthdayBenefitStatus => {
  if (!birthday) return { benefit, calendar: null, isBirthdayMonth: false, dates: [], isAvailable: false };
  const month = birthdayMonthOf(birthday, today);
  return {
    benefit,
    calendar: birthday.calendar,
    isBirthdayMonth: month.isBirthdayMonth,
    dates: month.dates,
    isAvailable: benefit !== null && month.isBirthdayMonth,
  };
};
