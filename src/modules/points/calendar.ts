import { sql } from 'drizzle-orm';
import { boolean, date, pgTable, text } from 'drizzle-orm/pg-core';
import { HolidayUtil } from 'lunar-typescript';
import { type Executor, queryRows } from '../../db/client.js';

/**
 * China's public holidays with the official make-up workdays (调休): a small shared reference
 * table, seeded from lunar-typescript's published schedules and editable when the State Council
 * publishes next year's.
 */
export const holidayCalendar = pgTable('holiday_calendar', {
  day: date('day', { mode: 'string' }).primaryKey(),
  name: text('name').notNull(),
  /** true for a make-up workday (a weekend day worked in exchange): not a holiday. */
  isWorkday: boolean('is_workday').notNull(),
  source: text('source').notNull().default('lunar-typescript'),
});

/** Fills the calendar for the years the package knows, without touching days already present (admin edits win). */
export const seedHolidayCalendar = async (tx: Executor, years: number[]): Promise<number> => {
  const rows = years.flatMap((year) =>
    HolidayUtil.getHolidays(year).map((holiday) => ({ day: holiday.getDay(), name: holiday.getName(), isWorkday: holiday.isWork() })),
  );
  if (rows.length === 0) return 0;
  const inserted = await tx.insert(holidayCalendar).values(rows).onConflictDoNothing().returning({ day: holidayCalendar.day });
  return inserted.length;
};

export const isPublicHoliday = async (tx: Executor, day: string): Promise<boolean> => {
  const [row] = await queryRows<{ holiday: boolean }>(
    tx,
    sql`select exists (select 1 from ${holidayCalendar} where day = ${day}::date and not is_workday) as holiday`,
  );
  return Boolean(row?.holiday);
};
