import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import { addDays, businessDate, dayStartMinutes, startOfBusinessDay } from '../../platform/clock.js';
import type { Ctx } from '../../platform/context.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http.js';
import { getItemRow } from '../catalog/index.js';
import { defineSetting, exposeSetting, getSetting } from '../settings/index.js';
import { listStores } from '../tenants/index.js';
import { createAppointment } from './service.js';
import { appointments } from './tables.js';

const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间须为 HH:MM');

export const ZBookingSettings = z
  .strictObject({
    isOpen: z.boolean().describe('Members may book a visit in the portal'),
    opensAt: ZClock,
    closesAt: ZClock,
    slotMinutes: z.number().int().min(10).max(240),
    perSlot: z.number().int().min(1).max(50).describe('Bookings one store takes at the same time'),
    daysAhead: z.number().int().min(1).max(90),
    leadMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .describe('How long before a slot booking closes'),
  })
  .superRefine((value, context) => {
    if (dayStartMinutes(value.closesAt) - dayStartMinutes(value.opensAt) < value.slotMinutes)
      context.addIssue({ code: 'custom', message: '打烊时间须晚于开门时间至少一个时段', path: ['closesAt'] });
  })
  .meta({ id: 'BookingSettings' });
export type BookingSettings = z.infer<typeof ZBookingSettings>;

export const bookingSetting = defineSetting<BookingSettings>({
  key: 'online_booking',
  schema: ZBookingSettings,
  defaults: { isOpen: true, opensAt: '10:00', closesAt: '20:00', slotMinutes: 30, perSlot: 2, daysAhead: 14, leadMinutes: 120 },
  label: '在线预约',
});

const booked = ['booked', 'arrived'];

/**
 * The day's slots at a store from the clinic's hours: each start, and whether a member may still
 * book it (not within the lead time, not past the days ahead, fewer bookings than the store
 * takes at once — every booked or arrived appointment starting in the slot counts).
 */
export const bookingSlots = async (tx: Executor, ctx: Ctx, storeId: string, date: string) => {
  const settings = await getSetting(tx, ctx.tenantId, bookingSetting);
  const lastDay = addDays(ctx.today, settings.daysAhead);
  if (!settings.isOpen || date < ctx.today || date > lastDay) return { settings, slots: [] };
  const opens = startOfBusinessDay(date, ctx.timezone, settings.opensAt).getTime();
  const closes = startOfBusinessDay(date, ctx.timezone, settings.closesAt).getTime();
  const step = settings.slotMinutes * 60_000;
  const taken = await tx
    .select({ startsAt: appointments.startsAt })
    .from(appointments)
    .where(
      and(
        eq(appointments.tenantId, ctx.tenantId),
        eq(appointments.storeId, storeId),
        gte(appointments.startsAt, new Date(opens)),
        lt(appointments.startsAt, new Date(closes)),
        inArray(appointments.status, booked),
      ),
    );
  const earliest = ctx.now.getTime() + settings.leadMinutes * 60_000;
  const slots = [];
  for (let start = opens; start + step <= closes; start += step) {
    const count = taken.filter((row) => row.startsAt.getTime() >= start && row.startsAt.getTime() < start + step).length;
    slots.push({ startsAt: new Date(start).toISOString(), isAvailable: start >= earliest && count < settings.perSlot });
  }
  return { settings, slots };
};

/** What a member chooses from: the open stores, the service items, the days she may book. */
export const bookingOptions = async (tx: Executor, ctx: Ctx, serviceItems: { id: string; name: string; priceFen: number }[]) => {
  const settings = await getSetting(tx, ctx.tenantId, bookingSetting);
  const stores = (await listStores(tx, ctx.tenantId)).filter((store) => !store.closedAt);
  return {
    isOpen: settings.isOpen,
    stores: stores.map((store) => ({ id: store.id, name: store.name, address: store.address })),
    items: serviceItems,
    days: settings.isOpen ? Array.from({ length: settings.daysAhead + 1 }, (_, index) => addDays(ctx.today, index)) : [],
  };
};

/**
 * A member books a visit (预约到店) for one item in a free slot: the store's day is locked so two
 * members never take the slot's last place together; the same booking sent again returns the
 * appointment already made. The desk finds it in the appointment book like any other.
 */
export const bookOnline = async (tx: Executor, ctx: Ctx, input: { customerId: string; storeId: string; itemId: string; startsAt: string }) => {
  const item = await getItemRow(tx, ctx.tenantId, input.itemId);
  if (item.kind !== 'service' || !item.isActive)
    throw new DomainError('rule', 'BOOKING_ITEM_INVALID', '该项目不能在线预约', [{ path: 'body.itemId', message: '该项目不能在线预约' }]);
  const startsAt = new Date(input.startsAt);
  const date = businessDate(startsAt, ctx.timezone);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`booking:${ctx.tenantId}:${input.storeId}:${date}`}, 0))`);
  const [already] = await tx
    .select({ id: appointments.id })
    .from(appointments)
    .where(
      and(
        eq(appointments.tenantId, ctx.tenantId),
        eq(appointments.customerId, input.customerId),
        eq(appointments.storeId, input.storeId),
        eq(appointments.startsAt, startsAt),
        eq(appointments.status, 'booked'),
      ),
    );
  if (already) return { id: already.id, isNew: false };
  const { settings, slots } = await bookingSlots(tx, ctx, input.storeId, date);
  const slot = slots.find((candidate) => candidate.startsAt === startsAt.toISOString());
  if (!slot?.isAvailable) {
    const message = slot ? '该时段已约满或已过预约时间，请选择其他时段' : '请选择门店营业时间内的预约时段';
    throw new DomainError('rule', 'BOOKING_SLOT_UNAVAILABLE', message, [{ path: 'body.startsAt', message }]);
  }
  const id = await createAppointment(tx, ctx, {
    storeId: input.storeId,
    customerId: input.customerId,
    startsAt: startsAt.toISOString(),
    durationMinutes: settings.slotMinutes,
    itemIds: [item.id],
    notes: '会员在线预约',
  });
  return { id, isNew: true };
};

/** 在线预约 settings in the console: hours, slot length, bookings per slot, days ahead, lead time. */
export const bookingSettingsRoutes = (app: App, { db }: Deps) => {
  exposeSetting(app, db, {
    path: '/settings/booking',
    setting: bookingSetting,
    schema: ZBookingSettings,
    summary: '在线预约: whether members may book in the portal, opening hours, slot length and bookings per slot',
  });
};
