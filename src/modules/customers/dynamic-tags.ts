import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type ActivityThresholds, activityOf } from './activity.js';
import { dealStatusOf } from './deal-status.js';
import { customers } from './tables.js';

export type ConsumptionFacts = {
  /** Placed deal orders that are not wholly refunded. */
  dealCount: number;
  /** Business date of the first of those deals. */
  firstDealDate: string | null;
  lastConsumptionDate: string | null;
  arrearsFen: number;
};

/**
 * Writes the dynamic tags (成交, 活跃度, 欠费) from the facts the orders module computed, in the
 * caller's transaction, so tags never disagree with the change that moved them.
 */
export const applyConsumptionTags = async (
  tx: Executor,
  tenantId: string,
  customerId: string,
  facts: ConsumptionFacts,
  today: string,
  thresholds: ActivityThresholds,
) => {
  const memberSince = facts.firstDealDate;
  await tx
    .update(customers)
    .set({
      dealCount: facts.dealCount,
      dealStatus: dealStatusOf(facts.dealCount),
      memberSince,
      lastConsumptionDate: facts.lastConsumptionDate,
      arrearsFen: facts.arrearsFen,
      activity: activityOf({ memberSince, lastConsumptionDate: facts.lastConsumptionDate }, today, thresholds),
    })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
};

export const applyVisitTag = async (tx: Executor, tenantId: string, customerId: string, visit: { visitType: string; businessDate: string }) => {
  await tx
    .update(customers)
    .set({ lastVisitType: visit.visitType, lastVisitDate: visit.businessDate })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
};

/** `activityOf` in SQL, for set-based sweeps. */
const activityCase = (today: string, thresholds: ActivityThresholds) => sql`(case
  when ${customers.memberSince} is null then 'non_member'
  when (${today}::date - ${customers.memberSince}) < ${thresholds.newMemberDays} then 'new'
  when (${today}::date - coalesce(${customers.lastConsumptionDate}, ${customers.memberSince})) >= ${thresholds.deepSleepAfterDays} then 'deep_sleep'
  when (${today}::date - coalesce(${customers.lastConsumptionDate}, ${customers.memberSince})) >= ${thresholds.sleepingAfterDays} then 'sleeping'
  else 'active' end)`;

/**
 * The daily sweep for the tags that move with time alone: one set-based UPDATE per tenant,
 * idempotent (it touches only rows whose status changes).
 */
export const sweepActivity = async (tx: Executor, tenantId: string, today: string, thresholds: ActivityThresholds): Promise<number> => {
  const rows = await tx
    .update(customers)
    .set({ activity: activityCase(today, thresholds) })
    .where(and(eq(customers.tenantId, tenantId), sql`${customers.activity} is distinct from ${activityCase(today, thresholds)}`))
    .returning({ id: customers.id });
  return rows.length;
};
