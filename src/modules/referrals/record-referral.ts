import { and, asc, eq, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { type Actor, writeAudit } from '../../platform/audit.js';
import { DomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { applyReferralFacts, customers } from '../customers/index.js';
import { orders } from '../orders/index.js';
import { visits } from '../visits/index.js';
import { referralRewards, referrals } from './tables.js';

export type ReferralRow = typeof referrals.$inferSelect;
export type ReferralChannel = 'code' | 'staff' | 'import';

/** Her referral (who brought her), if any; locked for the caller's transaction when asked. */
export const findReferralOf = async (tx: Executor, tenantId: string, referredId: string, options: { forUpdate?: boolean } = {}) => {
  const query = tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.tenantId, tenantId), eq(referrals.referredId, referredId)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
};

/**
 * Refuses a referrer who is the customer herself, or someone she brought in directly or down
 * the line (A refers B refers C: C cannot refer A), so the referral graph never has a cycle.
 */
export const assertReferrerAllowed = async (tx: Executor, tenantId: string, customerId: string, referrerId: string) => {
  if (referrerId === customerId) {
    throw new DomainError('rule', 'REFERRAL_SELF', '推荐人不能是客户本人', [{ path: 'body.referrerId', message: '不能推荐自己' }]);
  }
  // Walk up from the proposed referrer: if the customer is among her referrers, it would be a cycle.
  const [cycle] = await queryRows<{ found: boolean }>(
    tx,
    sql`with recursive chain(id, depth) as (
          select referrer_id, 1 from ${customers} where tenant_id = ${tenantId} and id = ${referrerId} and referrer_id is not null
          union all
          select c.referrer_id, chain.depth + 1 from ${customers} c join chain on c.tenant_id = ${tenantId} and c.id = chain.id
          where c.referrer_id is not null and chain.depth < 100)
        select exists (select 1 from chain where id = ${customerId}) as found`,
  );
  if (cycle?.found) {
    throw new DomainError('rule', 'REFERRAL_CYCLE', '不能循环推荐：所选推荐人是由该客户直接或间接推荐来的', [{ path: 'body.referrerId', message: '循环推荐' }]);
  }
};

/** Records who brought the customer, in the transaction that created her or set her referrer. */
export const recordReferral = async (
  tx: Executor,
  actor: Actor,
  input: { referrerId: string; referredId: string; channel: ReferralChannel; referredAt: Date },
): Promise<ReferralRow> => {
  const row: ReferralRow = {
    tenantId: actor.tenantId,
    id: newId(),
    referrerId: input.referrerId,
    referredId: input.referredId,
    channel: input.channel,
    referredAt: input.referredAt,
    arrivedAt: null,
    firstVisitId: null,
    dealtAt: null,
    firstDealOrderId: null,
    createdBy: actor.type === 'staff' ? actor.id : null,
    createdAt: input.referredAt,
    updatedAt: input.referredAt,
  };
  await tx.insert(referrals).values(row);
  await applyReferralFacts(tx, actor, { referralId: row.id });
  await writeAudit(tx, actor, { action: 'referral.record', entityType: 'referral', entityId: row.id, after: row });
  return row;
};

/**
 * Whether staff may still set or change her referrer: only before her first visit (and before
 * any deal), and only while no reward was given for the referral. After that the referral is
 * part of the record; changing it would move rewards after the fact.
 */
/** Why the referrer is fixed now: the customer's first visit or first deal is past (a sentence the console reads in English). */
export const referrerLockedSentence = (since: 'visit' | 'deal', businessDate: string): string =>
  `客户已于 ${businessDate} ${since === 'visit' ? '首次到访' : '成交'}，推荐人只能在首次到访前设置或更改`;

export const referrerRewardedSentence = '已按当前推荐关系发放过奖励，推荐人不能再更改';

export const referrerChangeProblem = async (tx: Executor, tenantId: string, customerId: string): Promise<string | undefined> => {
  const [firstVisit] = await tx
    .select({ businessDate: visits.businessDate })
    .from(visits)
    .where(and(eq(visits.tenantId, tenantId), eq(visits.customerId, customerId)))
    .orderBy(asc(visits.arrivedAt))
    .limit(1);
  if (firstVisit) return referrerLockedSentence('visit', firstVisit.businessDate);
  const [deal] = await tx
    .select({ businessDate: orders.businessDate })
    .from(orders)
    .where(and(eq(orders.tenantId, tenantId), eq(orders.customerId, customerId), eq(orders.status, 'placed'), eq(orders.isDeal, true)))
    .orderBy(asc(orders.businessDate))
    .limit(1);
  if (deal) return referrerLockedSentence('deal', deal.businessDate);
  const current = await findReferralOf(tx, tenantId, customerId);
  if (current) {
    const [rewarded] = await tx
      .select({ id: referralRewards.id })
      .from(referralRewards)
      .where(and(eq(referralRewards.tenantId, tenantId), eq(referralRewards.referralId, current.id)))
      .limit(1);
    if (rewarded) return referrerRewardedSentence;
  }
  return undefined;
};

/**
 * Staff set, change or clear a customer's referrer (the caller holds her row lock and updates
 * customers.referrer_id in the same transaction): checked, then the referral row follows.
 */
export const checkReferrerChange = async (tx: Executor, tenantId: string, customerId: string, referrerId: string | null) => {
  if (referrerId) await assertReferrerAllowed(tx, tenantId, customerId, referrerId);
  const problem = await referrerChangeProblem(tx, tenantId, customerId);
  if (problem) throw new DomainError('rule', 'REFERRER_LOCKED', problem, [{ path: 'body.referrerId', message: problem }]);
};

/** Keeps the referrals row in step with customers.referrer_id after a staff change. */
export const applyReferrerChange = async (tx: Executor, actor: Actor, input: { customerId: string; referrerId: string | null; now: Date }) => {
  const current = await findReferralOf(tx, actor.tenantId, input.customerId, { forUpdate: true });
  if (current && current.referrerId === input.referrerId) return;
  if (current) {
    await tx.delete(referrals).where(and(eq(referrals.tenantId, actor.tenantId), eq(referrals.id, current.id)));
    await applyReferralFacts(tx, actor, { referralId: current.id });
    await writeAudit(tx, actor, { action: 'referral.remove', entityType: 'referral', entityId: current.id, before: current });
  }
  if (input.referrerId) {
    await recordReferral(tx, actor, { referrerId: input.referrerId, referredId: input.customerId, channel: 'staff', referredAt: input.now });
  }
};
