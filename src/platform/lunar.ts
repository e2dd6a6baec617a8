import { Lunar, LunarMonth, LunarYear, Solar } from 'lunar-typescript';

export type LunarDate = { year: number; month: number; day: number; isLeapMonth: boolean };

/** 农历八月十五, 农历闰四月初十 */
export const lunarLabel = (date: LunarDate): string => {
  const lunar = Lunar.fromYmd(date.year, date.isLeapMonth ? -date.month : date.month, date.day);
  return `农历${date.isLeapMonth ? '闰' : ''}${lunar.getMonthInChinese()}月${lunar.getDayInChinese()}`;
};

export const solarToLunar = (isoDate: string): LunarDate => {
  const [year, month, day] = isoDate.split('-').map(Number);
  const lunar = Solar.fromYmd(year ?? 0, month ?? 0, day ?? 0).getLunar();
  return { year: lunar.getYear(), month: Math.abs(lunar.getMonth()), day: lunar.getDay(), isLeapMonth: lunar.getMonth() < 0 };
};

/** Why a lunar date does not exist (a leap month that year lacks, day 30 of a short month), or undefined if it does. */
export const lunarDateProblem = (date: LunarDate): string | undefined => {
  if (date.year < 1900 || date.year > 2100) return '年份须在 1900–2100 之间';
  if (date.isLeapMonth && LunarYear.fromYear(date.year).getLeapMonth() !== date.month) return `农历${date.year}年没有闰${date.month}月`;
  const days = LunarMonth.fromYm(date.year, date.isLeapMonth ? -date.month : date.month)?.getDayCount() ?? 0;
  if (date.day > days) return `农历${date.year}年${date.isLeapMonth ? '闰' : ''}${date.month}月只有 ${days} 天`;
  return undefined;
};

export const lunarToSolar = (date: LunarDate): string =>
  Lunar.fromYmd(date.year, date.isLeapMonth ? -date.month : date.month, date.day)
    .getSolar()
    .toYmd();
