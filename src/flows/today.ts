import { z } from 'zod';
import type { Executor } from '../db/client.js';
import { type CustomerListConditions, countCustomers, upcomingWindow } from '../modules/customers/index.js';
import { deskDay } from '../modules/orders/index.js';
import { pointsExpiringCondition } from '../modules/points/index.js';
import { bookedNotArrivedCondition, dayAtTheDoor } from '../modules/visits/index.js';
import { vouchersExpiringCondition } from '../modules/vouchers/index.js';
import { assertStoreAccess, type Ctx } from '../platform/context.js';
import type { Deps } from '../platform/deps.js';
import { type App, can, ctxOf, errorResponses } from '../platform/http.js';

/** The customer list's conditions other modules answer: booked but not arrived, points and vouchers about to expire. */
export const customerListConditions = (ctx: Pick<Ctx, 'tenantId' | 'today' | 'now'>): CustomerListConditions => ({
  bookedNotArrived: bookedNotArrivedCondition(ctx.tenantId, ctx.today),
  pointsExpiring: pointsExpiringCondition(ctx.tenantId, ctx.now, upcomingWindow.expiryDays),
  vouchersExpiring: vouchersExpiringCondition(ctx.tenantId, ctx.today, upcomingWindow.expiryDays),
  today: ctx.today,
});

/** What the signed-in person may see of the day: sections are left out (null) for roles without the permission. */
export type TodayAccess = { door: boolean; desk: boolean; customers: boolean; consultantId?: string };

/**
 * The today screen (SPEC §15, the desk's view): the store's appointments and arrivals, its
 * unpaid orders and takings by method, and the customers to reach this week — birthdays, points
 * and vouchers about to expire, sleeping members. A consultant sees her own customers.
 */
export const todayOverview = async (tx: Executor, ctx: Ctx, storeId: string, access: TodayAccess) => {
  assertStoreAccess(ctx, storeId);
  const conditions = customerListConditions(ctx);
  const mine = access.consultantId ? { consultantId: access.consultantId } : {};
  const count = (query: Parameters<typeof countCustomers>[2]) => countCustomers(tx, ctx.tenantId, { ...query, ...mine }, conditions);
  return {
    businessDate: ctx.today,
    storeId,
    door: access.door ? await dayAtTheDoor(tx, ctx.tenantId, storeId, ctx.today) : null,
    desk: access.desk ? await deskDay(tx, ctx.tenantId, storeId, ctx.today) : null,
    customers: access.customers
      ? {
          isMine: Boolean(access.consultantId),
          birthdays: await count({ upcoming: 'birthday' }),
          pointsExpiring: await count({ upcoming: 'points_expiring' }),
          vouchersExpiring: await count({ upcoming: 'vouchers_expiring' }),
          sleeping: await count({ activity: 'sleeping' }),
          birthdayDays: upcomingWindow.birthdayDays,
          expiryDays: upcomingWindow.expiryDays,
        }
      : null,
  };
};

const ZToday = z
  .object({
    businessDate: z.iso.date(),
    storeId: z.uuid(),
    door: z.object({ toCome: z.number().int(), arrived: z.number().int(), noShow: z.number().int(), visits: z.number().int() }).nullable(),
    desk: z
      .object({
        byMethod: z.array(z.object({ method: z.string(), netFen: z.number().int() })),
        moneyFen: z.number().int(),
        nonCashFen: z.number().int(),
        openOrders: z.number().int(),
        openOrdersFen: z.number().int(),
      })
      .nullable(),
    customers: z
      .object({
        isMine: z.boolean(),
        birthdays: z.number().int(),
        pointsExpiring: z.number().int(),
        vouchersExpiring: z.number().int(),
        sleeping: z.number().int(),
        birthdayDays: z.number().int(),
        expiryDays: z.number().int(),
      })
      .nullable(),
  })
  .meta({ id: 'Today' });

export const todayRoutes = (app: App, { db, clock }: Deps) => {
  app.get(
    '/today',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['Dashboard'],
        summary: "Today at a store: appointments, takings, unpaid orders and customers to reach (each section as the caller's role may see it)",
        querystring: z.strictObject({ storeId: z.uuid() }),
        response: { 200: ZToday, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const isConsultant = req.auth?.role === 'consultant';
      return todayOverview(db, ctx, req.query.storeId, {
        door: can(req, 'visits.read'),
        desk: can(req, 'orders.read'),
        customers: can(req, 'customers.read'),
        ...(isConsultant && ctx.actor.id ? { consultantId: ctx.actor.id } : {}),
      });
    },
  );
};
