import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { orders, payments } from './tables.js';

/**
 * What the monthly points-for-cash cap weighs (seed 001): this calendar month's cash value paid
 * with points and the consumption so far, for a customer; `exceptPaymentId` leaves out the
 * payment being decided.
 */
export const monthOfPoints = async (tx: Executor, ctx: Pick<Ctx, 'tenantId' | 'today'>, customerId: string, exceptPaymentId?: string) => {
  const monthStart = `${ctx.today.slice(0, 8)}01`;
  const except = exceptPaymentId ? sql` and p.id <> ${exceptPaymentId}` : sql``;
  const [row] = await queryRows<{ redeemed: number; consumption: number }>(
    tx,
    sql`select
          (select coalesce(sum(p.amount_fen), 0) from ${payments} p where p.tenant_id = ${ctx.tenantId} and p.customer_id = ${customerId}
             and p.method = 'points' and p.business_date >= ${monthStart}::date${except})::bigint as redeemed,
          (select coalesce(sum(o.total_fen - o.refunded_fen), 0) from ${orders} o where o.tenant_id = ${ctx.tenantId} and o.customer_id = ${customerId}
             and o.status = 'placed' and o.business_date >= ${monthStart}::date)::bigint as consumption`,
  );
  return { redeemedFen: Number(row?.redeemed ?? 0), consumptionFen: Number(row?.consumption ?? 0) };
};
