import { and, eq, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { applyConsumptionTags } from '../customers/dynamic-tags.js';
import { getSetting } from '../settings/service.js';
import { activitySetting } from './settings.js';
import { orders } from './tables.js';

/** Recomputes a customer's 成交 / 活跃度 / 欠费 from her orders, in the caller's transaction. */
export const refreshConsumptionTags = async (tx: Executor, ctx: Ctx, customerId: string) => {
  const [facts] = await queryRows<{ deal_count: number; first_deal: string | null; last_consumption: string | null; arrears: number }>(
    tx,
    sql`select
          count(*) filter (where ${orders.isDeal} and ${orders.refundedFen} < ${orders.totalFen})::int as deal_count,
          (min(${orders.businessDate}) filter (where ${orders.isDeal} and ${orders.refundedFen} < ${orders.totalFen}))::text as first_deal,
          greatest(
            max(${orders.businessDate}) filter (where ${orders.refundedFen} < ${orders.totalFen}),
            -- Executing a prepaid session (划扣) is consumption too: a customer in the middle of a course is active.
            (select max(d.business_date) from deductions d where d.tenant_id = ${ctx.tenantId} and d.customer_id = ${customerId} and d.reverses_id is null
               and not exists (select 1 from deductions r where r.tenant_id = d.tenant_id and r.reverses_id = d.id))
          )::text as last_consumption,
          coalesce(sum(greatest(${orders.totalFen} - ${orders.refundedFen} - ${orders.paidFen}, 0)), 0)::bigint as arrears
        from ${orders}
        where ${and(eq(orders.tenantId, ctx.tenantId), eq(orders.customerId, customerId), eq(orders.status, 'placed'))}`,
  );
  const thresholds = await getSetting(tx, ctx.tenantId, activitySetting);
  await applyConsumptionTags(
    tx,
    ctx.tenantId,
    customerId,
    {
      dealCount: Number(facts?.deal_count ?? 0),
      firstDealDate: facts?.first_deal ?? null,
      lastConsumptionDate: facts?.last_consumption ?? null,
      arrearsFen: Number(facts?.arrears ?? 0),
    },
    ctx.today,
    thresholds,
  );
};

/** Deal orders placed on business days before `date` and not wholly refunded: "has dealt before" for visit types. */
export const dealCountBefore = async (tx: Executor, tenantId: string, customerId: string, date: string): Promise<number> => {
  const [row] = await queryRows<{ count: number }>(
    tx,
    sql`select count(*)::int as count from ${orders}
        where ${and(eq(orders.tenantId, tenantId), eq(orders.customerId, customerId), eq(orders.status, 'placed'))}
          and ${orders.isDeal} and ${orders.refundedFen} < ${orders.totalFen} and ${orders.businessDate} < ${date}::date`,
  );
  return Number(row?.count ?? 0);
};
