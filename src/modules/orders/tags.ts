import { and, eq, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { applyConsumptionTags, type CustomerFacts, getCustomerFacts } from '../customers/index.js';
import { getSetting } from '../settings/index.js';
import { activitySetting } from './settings.js';
import { orders } from './tables.js';

/**
 * Writes a customer's 成交 / 活跃度 / 欠费 from her facts, in the caller's transaction: the
 * facts were moved by the same change (deal orders not wholly refunded, the last order or
 * 划扣 — executing a prepaid session is consumption too — and the arrears left).
 */
export const refreshConsumptionTags = async (tx: Executor, ctx: Ctx, customerId: string, known?: CustomerFacts) => {
  // Facts just returned by the change that moved them are current: no need to read them again.
  const facts = known ?? (await getCustomerFacts(tx, ctx.tenantId, customerId));
  const thresholds = await getSetting(tx, ctx.tenantId, activitySetting);
  await applyConsumptionTags(
    tx,
    ctx.tenantId,
    customerId,
    { dealCount: facts.dealCount, firstDealDate: facts.firstDealOn, lastConsumptionDate: facts.lastConsumptionOn, arrearsFen: facts.arrearsFen },
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
