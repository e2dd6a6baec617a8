import { and, asc, between, eq, sql } from 'drizzle-orm';
import { boolean, date, pgTable, text } from 'drizzle-orm/pg-core';
import { HolidayUtil } from 'lunar-typescript';
import { type Executor, queryRows } from '../../db/client.js';
import type { Actor } from '../../platform/audit.js';
import { writeAudit } from '../../platform/audit.js';
import { assertNever, DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { clinicHolidays } from './tables.js';

/**
 * China's public holidays with the official make-up workdays (调休): a small shared reference
 * table, seeded from lunar-typescript's published schedules and editable when the State Council
 * publishes next year's. Clinics never edit it: their own days live in `clinic_holidays`.
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

/**
 * What a day is for one clinic: a national holiday, a national make-up workday (调休上班, never a
 * holiday), the clinic's own holiday (活动节日), or a national holiday the clinic turned off.
 */
export const holidayKinds = ['national_holiday', 'makeup_workday', 'clinic_holiday', 'clinic_off'] as const;
export type HolidayKind = (typeof holidayKinds)[number];

/** Where a day's meaning comes from: the clinic's override, or the national table's source (e.g. lunar-typescript). */
export const clinicSource = 'clinic';

export type CalendarDay = {
  day: string;
  name: string;
  kind: HolidayKind;
  source: string;
  /** The clinic's override of this day, if any (what removing it deletes). */
  overrideId: string | null;
  /** The national calendar's entry under the override, if any. */
  national: { name: string; isWorkday: boolean } | null;
};

type NationalDay = { day: string; name: string; isWorkday: boolean; source: string };
type ClinicDay = { id: string; day: string; name: string; isHoliday: boolean };

export const isHolidayKind = (kind: HolidayKind): boolean => {
  switch (kind) {
    case 'national_holiday':
    case 'clinic_holiday':
      return true;
    case 'makeup_workday':
    case 'clinic_off':
      return false;
    default:
      return assertNever(kind);
  }
};

/** The clinic's override decides a day it names; every other day is what the national calendar says. Sorted by day. */
export const mergeCalendar = (national: NationalDay[], overrides: ClinicDay[]): CalendarDay[] => {
  const days = new Map<string, CalendarDay>();
  for (const row of national) {
    days.set(row.day, {
      day: row.day,
      name: row.name,
      kind: row.isWorkday ? 'makeup_workday' : 'national_holiday',
      source: row.source,
      overrideId: null,
      national: { name: row.name, isWorkday: row.isWorkday },
    });
  }
  for (const row of overrides) {
    const under = days.get(row.day)?.national ?? null;
    days.set(row.day, {
      day: row.day,
      name: row.name,
      kind: row.isHoliday ? 'clinic_holiday' : 'clinic_off',
      source: clinicSource,
      overrideId: row.id,
      national: under,
    });
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
};

const overridesBetween = (tx: Executor, tenantId: string, from: string, to: string) =>
  tx
    .select({ id: clinicHolidays.id, day: clinicHolidays.day, name: clinicHolidays.name, isHoliday: clinicHolidays.isHoliday })
    .from(clinicHolidays)
    .where(and(eq(clinicHolidays.tenantId, tenantId), between(clinicHolidays.day, from, to)))
    .orderBy(asc(clinicHolidays.day));

const nationalBetween = (tx: Executor, from: string, to: string) =>
  tx
    .select()
    .from(holidayCalendar)
    .where(between(holidayCalendar.day, from, to))
    .orderBy(asc(holidayCalendar.day));

/** Every day of the year with a meaning for this clinic, national and its own, merged. */
export const calendarOfYear = async (tx: Executor, { tenantId, year }: { tenantId: string; year: number }): Promise<CalendarDay[]> => {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  return mergeCalendar(await nationalBetween(tx, from, to), await overridesBetween(tx, tenantId, from, to));
};

/** The days between `from` and `to` (inclusive) that are holidays for this clinic, e.g. to replay past payments. */
export const holidaysBetween = async (tx: Executor, { tenantId, from, to }: { tenantId: string; from: string; to: string }): Promise<Set<string>> => {
  const merged = mergeCalendar(await nationalBetween(tx, from, to), await overridesBetween(tx, tenantId, from, to));
  return new Set(merged.filter((day) => isHolidayKind(day.kind)).map((day) => day.day));
};

/**
 * The holiday a day is for this clinic, or undefined on a working day. The clinic's override comes
 * first; a national make-up workday is never a holiday unless the clinic makes it one.
 */
export const findHoliday = async (
  tx: Executor,
  { tenantId, day }: { tenantId: string; day: string },
): Promise<{ name: string; kind: 'national_holiday' | 'clinic_holiday' } | undefined> => {
  // On every checkout: one plain statement.
  const [row] = await queryRows<{ name: string; is_holiday: boolean; is_clinic: boolean }>(
    tx,
    sql`select name, is_holiday, true as is_clinic from ${clinicHolidays} where tenant_id = ${tenantId} and day = ${day}::date
        union all
        select name, not is_workday, false from ${holidayCalendar} where day = ${day}::date
        order by is_clinic desc
        limit 1`,
  );
  if (!row?.is_holiday) return undefined;
  return { name: row.name, kind: row.is_clinic ? 'clinic_holiday' : 'national_holiday' };
};

export const isPublicHoliday = async (tx: Executor, options: { tenantId: string; day: string }): Promise<boolean> =>
  (await findHoliday(tx, options)) !== undefined;

export type ClinicHoliday = { id: string; day: string; name: string; isHoliday: boolean };

const view = (row: typeof clinicHolidays.$inferSelect): ClinicHoliday => ({ id: row.id, day: row.day, name: row.name, isHoliday: row.isHoliday });

/**
 * Sets this clinic's meaning of a day: its own holiday (with a name), or a national holiday it
 * does not keep. Replaces an earlier override of the same day. Audited in the same transaction.
 */
export const putClinicHoliday = async (
  tx: Executor,
  actor: Actor,
  { day, name, isHoliday, now }: { day: string; name?: string | undefined; isHoliday: boolean; now: Date },
): Promise<ClinicHoliday> => {
  const [national] = await tx.select().from(holidayCalendar).where(eq(holidayCalendar.day, day));
  if (!isHoliday && (!national || national.isWorkday)) {
    throw new DomainError('rule', 'HOLIDAY_NOT_NATIONAL', `${day} 不是法定节假日，无需取消`, [{ path: 'body.isHoliday', message: '只能取消法定节假日' }]);
  }
  const resolvedName = name ?? national?.name;
  if (!resolvedName) throw new DomainError('invalid', 'INVALID_INPUT', '请填写节日名称', [{ path: 'body.name', message: '请填写节日名称' }]);
  const [before] = await tx
    .select()
    .from(clinicHolidays)
    .where(and(eq(clinicHolidays.tenantId, actor.tenantId), eq(clinicHolidays.day, day)));
  const [saved] = await tx
    .insert(clinicHolidays)
    .values({ tenantId: actor.tenantId, id: newId(), day, name: resolvedName, isHoliday, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [clinicHolidays.tenantId, clinicHolidays.day], set: { name: resolvedName, isHoliday, updatedAt: now } })
    .returning();
  if (!saved) throw new Error('clinic holiday upsert returned no row');
  await writeAudit(tx, actor, {
    action: 'points.holiday.put',
    entityType: 'clinic_holiday',
    entityId: saved.id,
    before: before ? view(before) : null,
    after: view(saved),
  });
  return view(saved);
};

/** Removes this clinic's override: the day means again what the national calendar says. */
export const removeClinicHoliday = async (tx: Executor, actor: Actor, id: string): Promise<void> => {
  const [removed] = await tx
    .delete(clinicHolidays)
    .where(and(eq(clinicHolidays.tenantId, actor.tenantId), eq(clinicHolidays.id, id)))
    .returning();
  if (!removed) throw notFound('节假日设置', 'CLINIC_HOLIDAY_NOT_FOUND');
  await writeAudit(tx, actor, { action: 'points.holiday.remove', entityType: 'clinic_holiday', entityId: id, before: view(removed) });
};
