import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { dayBegins, dayOf } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { applyReferralFacts, getCustomerRow } from '../customers/index.js';
import { orders } from '../orders/index.js';
import { earnPoints, expiryFor, pointsSettingsSetting, reverseEntry } from '../points/index.js';
import { getSetting } from '../settings/index.js';
import { visits } from '../visits/index.js';
import { getWalletVoucherRow, issueVoucher, voidVoucher } from '../vouchers/index.js';
import { partnerStandingOf } from './partner-levels.js';
import { partnerFiguresOf } from './queries.js';
import { findReferralOf, type ReferralRow } from './record-referral.js';
import {
  isOverMonthlyCap,
  isRecordedBeforeArrival,
  isWithinWindow,
  type RewardSide,
  type RewardStage,
  type RewardStatus,
  referrerPointsOf,
  sideLabels,
  stageLabels,
} from './rules.js';
import { type ReferralSettings, referralSettingsSetting } from './settings.js';
import { referralRewards, referrals } from './tables.js';

export type ReferralRewardRow = typeof referralRewards.$inferSelect;

const day = 86_400_000;

/** The idempotency key of a reward's points and voucher: the same reward is never given twice. */
export const rewardKey = (referralId: string, stage: RewardStage, side: RewardSide) => `referral:${referralId}:${stage}:${side}`;

/** Referrals of `referrerId` rewarded (given, or given then clawed back) since the start of this calendar month. */
const monthlyCapState = async (tx: Executor, ctx: Ctx, referral: ReferralRow, exceptRewardId: string) => {
  const monthStart = dayBegins(ctx, `${ctx.today.slice(0, 8)}01`);
  const [row] = await queryRows<{ others: number; this_one: boolean }>(
    tx,
    sql`select count(distinct referral_id) filter (where referral_id <> ${referral.id})::int as others,
               coalesce(bool_or(referral_id = ${referral.id}), false) as this_one
        from ${referralRewards}
        where tenant_id = ${ctx.tenantId} and customer_id = ${referral.referrerId} and side = 'referrer'
          and status in ('given', 'clawed_back') and created_at >= ${monthStart.toISOString()}::timestamptz and id <> ${exceptRewardId}`,
  );
  return { rewardedReferralsThisMonth: Number(row?.others ?? 0), isThisReferralRewardedThisMonth: Boolean(row?.this_one) };
};

type RewardSpec = {
  referral: ReferralRow;
  side: RewardSide;
  stage: RewardStage;
  /** Before the partner multiplier (referrer's deal points only). */
  points: number;
  voucherTemplateId: string | null;
  orderId?: string | null;
  /** Points usable at once, or after the refund window (a deal's referrer reward). */
  isPending?: boolean;
  settings: ReferralSettings;
};

/**
 * Gives one reward: points and/or a voucher, once per (referral, stage, side). The row is
 * claimed first (`on conflict do nothing`), so a second attempt, even a concurrent one that got
 * past the checks, changes nothing. The referrer's row is locked before her rewards are counted
 * against the monthly cap; beyond it the reward is recorded as capped and nothing is given.
 */
const giveReward = async (tx: Executor, ctx: Ctx, spec: RewardSpec): Promise<ReferralRewardRow | undefined> => {
  const { referral, side, stage } = spec;
  const customerId = side === 'referrer' ? referral.referrerId : referral.referredId;
  if (spec.points <= 0 && !spec.voucherTemplateId) return undefined;
  if (side === 'referrer') await getCustomerRow(tx, ctx.tenantId, customerId, { forUpdate: true });
  const id = newId();
  const [claimed] = await queryRows<{ id: string }>(
    tx,
    sql`insert into ${referralRewards} (tenant_id, id, referral_id, customer_id, side, stage, kind, order_id, status, created_at, updated_at)
        values (${ctx.tenantId}, ${id}, ${referral.id}, ${customerId}, ${side}, ${stage}, 'points', ${spec.orderId ?? null}, 'given',
                ${ctx.now.toISOString()}::timestamptz, ${ctx.now.toISOString()}::timestamptz)
        on conflict do nothing returning id`,
  );
  if (!claimed) return undefined;
  const label = `${stageLabels[stage]}·${sideLabels[side]}奖励`;
  const reason: Record<string, unknown> = { label, referralId: referral.id, referrerId: referral.referrerId, referredId: referral.referredId, stage, side };

  let status: RewardStatus = 'given';
  let points = 0;
  let pointsEntryId: string | null = null;
  let voucherId: string | null = null;
  let valueFen = 0;
  const pointsSettings = await getSetting(tx, ctx.tenantId, pointsSettingsSetting);
  if (side === 'referrer') {
    const cap = await monthlyCapState(tx, ctx, referral, id);
    if (isOverMonthlyCap({ ...cap, cap: spec.settings.monthlyRewardCap })) {
      status = 'capped';
      reason.capped = `本月已奖励 ${cap.rewardedReferralsThisMonth} 位推荐好友，达到每月上限 ${spec.settings.monthlyRewardCap} 位：本次记录但不发放`;
    }
  }
  if (status === 'given' && spec.points > 0 && pointsSettings.isEnabled) {
    points = spec.points;
    if (side === 'referrer' && stage === 'deal') {
      // 美学合伙人: her level's multiplier, measured now (this referral included as a success).
      const figures = (await partnerFiguresOf(tx, ctx, [customerId])).get(customerId) ?? { consumptionFen: 0, successfulReferrals: 0 };
      const standing = partnerStandingOf(spec.settings.partnerLevels, figures);
      points = referrerPointsOf(spec.points, standing.level.referrerMultiplierBasisPoints);
      reason.partnerLevel = standing.level.name;
      reason.multiplierBasisPoints = standing.level.referrerMultiplierBasisPoints;
    }
    const earned = await earnPoints(tx, {
      tenantId: ctx.tenantId,
      customerId,
      idempotencyKey: rewardKey(referral.id, stage, side),
      now: ctx.now,
      actorId: ctx.actor.id,
      sourceType: 'event',
      sourceId: referral.id,
      reason: { rule: 'referral', label, referralId: referral.id, stage, side, orderId: spec.orderId ?? null, explanation: [`${label}：${points} 积分`] },
      points,
      // The new customer may use hers on the very order that earned them; the referrer's wait out the refund window.
      availableAt: spec.isPending ? new Date(ctx.now.getTime() + pointsSettings.pendingDays * day) : ctx.now,
      expiresAt: expiryFor(pointsSettings.expiry, ctx.now, ctx.today, (date) => dayBegins(ctx, date)),
    });
    pointsEntryId = earned.entry.id;
    valueFen += Math.floor((points * 100) / pointsSettings.redemption.pointsPerYuan);
  }
  if (status === 'given' && spec.voucherTemplateId) {
    const outcome = await issueVoucher(tx, ctx, {
      templateId: spec.voucherTemplateId,
      customerId,
      source: 'referral',
      sourceRef: referral.id,
      issueKey: rewardKey(referral.id, stage, side),
    }).catch((error: unknown) => {
      // A template deleted from under the settings: record why, do not fail the checkout.
      if (error instanceof DomainError) return { status: 'skipped' as const, reason: 'inactive' as const, message: error.message };
      throw error;
    });
    if (outcome.status === 'skipped') {
      reason.voucherSkipped = outcome.message;
    } else {
      const voucher = outcome.vouchers[0];
      voucherId = voucher?.id ?? null;
      valueFen += (voucher?.snapshot as { faceValueFen?: number | null } | undefined)?.faceValueFen ?? 0;
    }
  }
  if (status === 'given' && !pointsEntryId && !voucherId) status = 'skipped';
  const kind = pointsEntryId && voucherId ? 'points_voucher' : voucherId ? 'voucher' : 'points';
  const [row] = await tx
    .update(referralRewards)
    .set({ kind, points: points > 0 ? points : null, pointsEntryId, voucherId, status, reason, valueFen, updatedAt: ctx.now })
    .where(and(eq(referralRewards.tenantId, ctx.tenantId), eq(referralRewards.id, id)))
    .returning();
  await writeAudit(tx, ctx.actor, { action: 'referral.reward', entityType: 'referral', entityId: referral.id, after: row });
  return row;
};

/**
 * 分享得券: the friend registered through the inviter's link or code; the inviter is rewarded
 * (points and/or a voucher, as the settings say), in the registration's transaction.
 */
export const rewardRegistration = async (tx: Executor, ctx: Ctx, referral: ReferralRow) => {
  const settings = await getSetting(tx, ctx.tenantId, referralSettingsSetting);
  if (!settings.isEnabled) return undefined;
  return giveReward(tx, ctx, {
    referral,
    side: 'referrer',
    stage: 'registration',
    points: settings.registration.referrerPoints,
    voucherTemplateId: settings.registration.referrerVoucherTemplateId,
    settings,
  });
};

/**
 * The referred customer's first visit (到店), in the visit's transaction (her row is locked):
 * the referral moves to 已到店, and the referrer gets the arrival reward if the clinic gives
 * one and she was on record before the friend walked in.
 */
export const recordArrival = async (tx: Executor, ctx: Ctx, input: { customerId: string; visitId: string; arrivedAt: Date }) => {
  const referral = await findReferralOf(tx, ctx.tenantId, input.customerId, { forUpdate: true });
  if (!referral || referral.arrivedAt) return;
  // History from before the referral was tracked (imported, or backfilled): her first visit is an earlier one.
  const [first] = await tx
    .select({ id: visits.id, arrivedAt: visits.arrivedAt })
    .from(visits)
    .where(and(eq(visits.tenantId, ctx.tenantId), eq(visits.customerId, input.customerId)))
    .orderBy(asc(visits.arrivedAt), asc(visits.id))
    .limit(1);
  const firstVisit = first && first.id !== input.visitId && first.arrivedAt <= input.arrivedAt ? first : { id: input.visitId, arrivedAt: input.arrivedAt };
  await tx
    .update(referrals)
    .set({ arrivedAt: firstVisit.arrivedAt, firstVisitId: firstVisit.id, updatedAt: ctx.now })
    .where(and(eq(referrals.tenantId, ctx.tenantId), eq(referrals.id, referral.id)));
  if (firstVisit.id !== input.visitId) return;
  const settings = await getSetting(tx, ctx.tenantId, referralSettingsSetting);
  if (!settings.isEnabled || settings.arrival.referrerPoints <= 0) return;
  if (!isRecordedBeforeArrival(referral.referredAt, input.arrivedAt)) return;
  await giveReward(tx, ctx, { referral, side: 'referrer', stage: 'arrival', points: settings.arrival.referrerPoints, voucherTemplateId: null, settings });
};

/**
 * 首次成交 of a referred customer, in the checkout's transaction (her row is locked, so two
 * qualifying orders committing at once take turns; the second finds the referral dealt). The
 * order is the first deal if it is a deal and she has no earlier one; within the reward window
 * both sides get the deal reward, hers first and usable at once, so a points payment in the same
 * checkout can spend it.
 */
export const rewardFirstDeal = async (tx: Executor, ctx: Ctx, input: { orderId: string; customerId: string; isDeal: boolean }) => {
  if (!input.isDeal) return;
  const referral = await findReferralOf(tx, ctx.tenantId, input.customerId, { forUpdate: true });
  if (!referral || referral.dealtAt) return;
  const [earlier] = await tx
    .select({ id: orders.id, placedAt: orders.placedAt })
    .from(orders)
    .where(
      and(
        eq(orders.tenantId, ctx.tenantId),
        eq(orders.customerId, input.customerId),
        eq(orders.status, 'placed'),
        eq(orders.isDeal, true),
        ne(orders.id, input.orderId),
      ),
    )
    .orderBy(asc(orders.placedAt))
    .limit(1);
  const first = earlier ? { id: earlier.id, at: earlier.placedAt ?? ctx.now } : { id: input.orderId, at: ctx.now };
  await tx
    .update(referrals)
    .set({ dealtAt: first.at, firstDealOrderId: first.id, updatedAt: ctx.now })
    .where(and(eq(referrals.tenantId, ctx.tenantId), eq(referrals.id, referral.id)));
  await applyReferralFacts(tx, ctx, { referralId: referral.id });
  if (earlier) return;
  const settings = await getSetting(tx, ctx.tenantId, referralSettingsSetting);
  if (!settings.isEnabled) return;
  if (!isWithinWindow(dayOf(ctx, referral.referredAt), ctx.today, settings.windowDays)) return;
  const dealtReferral = { ...referral, dealtAt: first.at, firstDealOrderId: first.id };
  await giveReward(tx, ctx, {
    referral: dealtReferral,
    side: 'referred',
    stage: 'deal',
    points: settings.deal.points,
    voucherTemplateId: settings.deal.referredVoucherTemplateId,
    orderId: input.orderId,
    settings,
  });
  await giveReward(tx, ctx, {
    referral: dealtReferral,
    side: 'referrer',
    stage: 'deal',
    points: settings.deal.points,
    voucherTemplateId: settings.deal.referrerVoucherTemplateId,
    orderId: input.orderId,
    isPending: true,
    settings,
  });
};

/**
 * The points a customer would receive if the order being quoted became her first deal today
 * (the referred side's deal reward), so the quote can let her spend them on it. 0 when she has
 * no referral, already dealt, is past the window, or the programme or points are off.
 */
export const prospectiveDealPoints = async (tx: Executor, ctx: Ctx, customerId: string): Promise<number> => {
  const referral = await findReferralOf(tx, ctx.tenantId, customerId);
  if (!referral || referral.dealtAt) return 0;
  const settings = await getSetting(tx, ctx.tenantId, referralSettingsSetting);
  if (!settings.isEnabled || settings.deal.points <= 0) return 0;
  if (!isWithinWindow(dayOf(ctx, referral.referredAt), ctx.today, settings.windowDays)) return 0;
  if (!(await getSetting(tx, ctx.tenantId, pointsSettingsSetting)).isEnabled) return 0;
  const [earlier] = await queryRows<{ id: string }>(
    tx,
    sql`select id from ${orders} where tenant_id = ${ctx.tenantId} and customer_id = ${customerId} and status = 'placed' and is_deal limit 1`,
  );
  return earlier ? 0 : settings.deal.points;
};

/**
 * A first-deal order refunded in full takes its deal rewards back when the clinic says so: the
 * points are reversed through the ledger (what was already spent becomes a recorded debt), an
 * unused voucher is voided, a used one stays used (noted). The rows become clawed_back.
 */
export const clawBackDealRewards = async (tx: Executor, ctx: Ctx, input: { orderId: string; refundId: string; isComplete: boolean }) => {
  if (!input.isComplete) return;
  const [referral] = await tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.tenantId, ctx.tenantId), eq(referrals.firstDealOrderId, input.orderId)));
  if (!referral) return;
  const settings = await getSetting(tx, ctx.tenantId, referralSettingsSetting);
  if (!settings.isClawbackOnRefund) return;
  const given = await tx
    .select()
    .from(referralRewards)
    .where(
      and(
        eq(referralRewards.tenantId, ctx.tenantId),
        eq(referralRewards.referralId, referral.id),
        eq(referralRewards.stage, 'deal'),
        eq(referralRewards.status, 'given'),
      ),
    )
    .orderBy(asc(referralRewards.side))
    .for('update');
  for (const reward of given) {
    if (reward.side === 'referrer') await getCustomerRow(tx, ctx.tenantId, reward.customerId, { forUpdate: true });
    const clawback: Record<string, unknown> = { refundId: input.refundId, orderId: input.orderId, at: ctx.now.toISOString() };
    if (reward.pointsEntryId) {
      const reversed = await reverseEntry(tx, {
        tenantId: ctx.tenantId,
        entryId: reward.pointsEntryId,
        idempotencyKey: `${rewardKey(referral.id, 'deal', reward.side as RewardSide)}:clawback`,
        now: ctx.now,
        actorId: ctx.actor.id,
        sourceType: 'event',
        sourceId: input.refundId,
        reason: { rule: 'referral_clawback', label: '推荐奖励扣回（首次成交订单已全额退款）', referralId: referral.id, refundId: input.refundId },
      });
      clawback.points = -reversed.entry.points;
    }
    if (reward.voucherId) {
      const voucher = await getWalletVoucherRow(tx, ctx.tenantId, reward.voucherId);
      if (voucher.status === 'available') {
        await voidVoucher(tx, ctx, { voucherId: voucher.id, reason: '推荐奖励扣回：首次成交订单已全额退款' });
        clawback.voucher = 'voided';
      } else {
        clawback.voucher = voucher.status === 'used' ? 'already_used' : voucher.status;
      }
    }
    const [after] = await tx
      .update(referralRewards)
      .set({ status: 'clawed_back', reason: { ...((reward.reason as object | null) ?? {}), clawback }, updatedAt: ctx.now })
      .where(and(eq(referralRewards.tenantId, ctx.tenantId), eq(referralRewards.id, reward.id)))
      .returning();
    await writeAudit(tx, ctx.actor, { action: 'referral.reward.clawback', entityType: 'referral', entityId: referral.id, before: reward, after });
  }
};
