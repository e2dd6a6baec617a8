import { and, asc, eq, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { dayBegins } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { itemsByIds } from '../catalog/index.js';
import { currentTierOf } from '../membership/index.js';
import { getSetting } from '../settings/index.js';
import { findHoliday } from './calendar.js';
import { earnPoints, redeemPoints, reverseEntry } from './ledger.js';
import { decideRedemption, type RedemptionCheck } from './redemption.js';
import { earnForPayments } from './rules.js';
import { expiryFor, pointsSettingsSetting } from './settings.js';
import { pointsEntries } from './tables.js';

const day = 86_400_000;

/**
 * Points for one payment of an order, in the transaction that records it (DESIGN §6): one earn
 * entry per payment (so a reversed payment takes back exactly its own points), pending for the
 * refund window. Rounding is per payment, down.
 */
export const earnForOrderPayments = async (
  tx: Executor,
  ctx: Ctx,
  input: {
    orderId: string;
    customerId: string;
    paymentId: string;
    payment: { method: string; amountFen: number };
    lines: { id: string; itemId: string; name: string; unitPriceFen: number; amountFen: number }[];
  },
) => {
  const settings = await getSetting(tx, ctx.tenantId, pointsSettingsSetting);
  if (!settings.isEnabled) return undefined;
  const items = new Map(
    (
      await itemsByIds(
        tx,
        ctx.tenantId,
        input.lines.map((line) => line.itemId),
      )
    ).map((item) => [item.id, item]),
  );
  // The tier held when paying (evaluated after the payment, so an upgrade weighs the next order).
  // Its weight is the tier's own benefit, set on the tiers page; it supersedes an entry for the
  // same tier id in the points settings.
  const tier = await currentTierOf(tx, ctx.tenantId, input.customerId);
  const rules = tier
    ? { ...settings.earning, tierBasisPoints: { ...settings.earning.tierBasisPoints, [tier.id]: tier.benefits.pointsBasisPoints } }
    : settings.earning;
  // The clinic's own calendar first (活动节日, or a national holiday it works), then the national one.
  const holiday = await findHoliday(tx, { tenantId: ctx.tenantId, day: ctx.today });
  const earning = earnForPayments(
    {
      date: ctx.today,
      isHoliday: holiday !== undefined,
      clinicHolidayName: holiday?.kind === 'clinic_holiday' ? holiday.name : undefined,
      tierId: tier?.id ?? null,
      tierName: tier?.name,
      payments: [input.payment],
      lines: input.lines.map((line) => ({
        lineId: line.id,
        itemId: line.itemId,
        categoryId: items.get(line.itemId)?.categoryId ?? null,
        name: line.name,
        unitPriceFen: line.unitPriceFen,
        amountFen: line.amountFen,
      })),
    },
    rules,
  );
  const paidFen = (settings.earning.pointsPerYuan[input.payment.method] ?? 0) > 0 ? input.payment.amountFen : 0;
  // 成长值 follows money actually paid, ¥1 = 1, whatever the multipliers.
  const growth = Math.floor(paidFen / 100);
  if (earning.points <= 0) return undefined;
  return earnPoints(tx, {
    tenantId: ctx.tenantId,
    customerId: input.customerId,
    idempotencyKey: `order:${input.orderId}:earn:${input.paymentId}`,
    now: ctx.now,
    actorId: ctx.actor.id,
    sourceType: 'order',
    sourceId: input.orderId,
    reason: {
      rule: 'order',
      paymentId: input.paymentId,
      method: input.payment.method,
      date: ctx.today,
      paidFen,
      basePoints: earning.basePoints,
      tierId: tier?.id ?? null,
      lines: earning.lines,
      explanation: earning.reasons,
    },
    points: earning.points,
    growth,
    availableAt: new Date(ctx.now.getTime() + settings.pendingDays * day),
    expiresAt: expiryFor(settings.expiry, ctx.now, ctx.today, (date) => dayBegins(ctx, date)),
  });
};

const earnEntriesOf = async (tx: Executor, tenantId: string, orderId: string) =>
  tx
    .select()
    .from(pointsEntries)
    .where(
      and(eq(pointsEntries.tenantId, tenantId), eq(pointsEntries.sourceType, 'order'), eq(pointsEntries.sourceId, orderId), eq(pointsEntries.type, 'earn')),
    )
    .orderBy(asc(pointsEntries.createdAt), asc(pointsEntries.id));

const reversedOf = async (tx: Executor, tenantId: string, entryId: string) => {
  const [row] = await queryRows<{ points: number; growth: number }>(
    tx,
    sql`select coalesce(sum((reason->>'intended')::bigint), 0)::bigint as points, coalesce(-sum(growth), 0)::bigint as growth
        from ${pointsEntries} where tenant_id = ${tenantId} and reverses_id = ${entryId}`,
  );
  return { points: Number(row?.points ?? 0), growth: Number(row?.growth ?? 0) };
};

/**
 * A refund takes back the points (and growth) the order earned, pro rata to the value refunded,
 * rounded down; the refund that empties the order takes back whatever is left, so the total
 * never exceeds what was earned and a full refund keeps nothing.
 */
export const reversePointsForRefund = async (
  tx: Executor,
  ctx: Ctx,
  input: { orderId: string; refundId: string; refundFen: number; totalFen: number; isComplete: boolean },
) => {
  const entries = await earnEntriesOf(tx, ctx.tenantId, input.orderId);
  for (const entry of entries) {
    const done = await reversedOf(tx, ctx.tenantId, entry.id);
    const leftPoints = entry.points - done.points;
    const leftGrowth = entry.growth - done.growth;
    if (leftPoints <= 0) continue;
    const points = input.isComplete ? leftPoints : Math.min(leftPoints, Math.floor((entry.points * input.refundFen) / Math.max(1, input.totalFen)));
    const growth = input.isComplete ? leftGrowth : Math.min(leftGrowth, Math.floor((entry.growth * input.refundFen) / Math.max(1, input.totalFen)));
    if (points <= 0) continue;
    await reverseEntry(tx, {
      tenantId: ctx.tenantId,
      idempotencyKey: `refund:${input.refundId}:points:${entry.id}`,
      now: ctx.now,
      actorId: ctx.actor.id,
      sourceType: 'order',
      sourceId: input.orderId,
      reason: { rule: 'refund', refundId: input.refundId, refundFen: input.refundFen, totalFen: input.totalFen },
      entryId: entry.id,
      points,
      growth,
    });
  }
};

/** A reversed (wrong) payment takes back what that payment earned and has not already been taken back. */
export const reversePointsForPayment = async (tx: Executor, ctx: Ctx, input: { orderId: string; paymentId: string }) => {
  const [entry] = await tx
    .select()
    .from(pointsEntries)
    .where(and(eq(pointsEntries.tenantId, ctx.tenantId), eq(pointsEntries.idempotencyKey, `order:${input.orderId}:earn:${input.paymentId}`)));
  if (!entry) return;
  const done = await reversedOf(tx, ctx.tenantId, entry.id);
  const points = entry.points - done.points;
  if (points <= 0) return;
  await reverseEntry(tx, {
    tenantId: ctx.tenantId,
    idempotencyKey: `payment:${input.paymentId}:reversal:points`,
    now: ctx.now,
    actorId: ctx.actor.id,
    sourceType: 'order',
    sourceId: input.orderId,
    reason: { rule: 'payment_reversal', paymentId: input.paymentId },
    entryId: entry.id,
    points,
    growth: entry.growth - done.growth,
  });
};

/** 积分抵现 as a payment: checks the redemption rules, then spends the points with the payment's key. */
export const redeemForPayment = async (
  tx: Executor,
  ctx: Ctx,
  input: { orderId: string; customerId: string; paymentId: string; amountFen: number; check: Omit<RedemptionCheck, 'points'> },
) => {
  const settings = await getSetting(tx, ctx.tenantId, pointsSettingsSetting);
  const rate = settings.redemption.pointsPerYuan;
  const points = (input.amountFen * rate) / 100;
  if (!Number.isInteger(points))
    throw new DomainError('invalid', 'POINTS_AMOUNT_INVALID', `积分抵现金额须对应整数积分（每 ¥1 为 ${rate} 积分）`, [
      { path: 'body.payments', message: '金额无法换算为整数积分' },
    ]);
  const decision = decideRedemption({ ...input.check, points }, settings.redemption);
  if (!decision.ok) throw new DomainError('rule', 'POINTS_REDEMPTION_REFUSED', decision.reason, [{ path: 'body.payments', message: decision.reason }]);
  return redeemPoints(tx, {
    tenantId: ctx.tenantId,
    customerId: input.customerId,
    idempotencyKey: `payment:${input.paymentId}:redeem`,
    now: ctx.now,
    actorId: ctx.actor.id,
    sourceType: 'order',
    sourceId: input.orderId,
    reason: { rule: 'redemption', paymentId: input.paymentId, amountFen: input.amountFen, pointsPerYuan: rate },
    points,
  });
};

/** Money paid back as points on a refund: the points come back from the order's redemptions, never more than were spent on it. */
export const restorePointsForRefund = async (tx: Executor, ctx: Ctx, input: { orderId: string; refundId: string; amountFen: number }) => {
  const redeems = await tx
    .select()
    .from(pointsEntries)
    .where(
      and(
        eq(pointsEntries.tenantId, ctx.tenantId),
        eq(pointsEntries.sourceType, 'order'),
        eq(pointsEntries.sourceId, input.orderId),
        eq(pointsEntries.type, 'redeem'),
      ),
    )
    .orderBy(asc(pointsEntries.createdAt), asc(pointsEntries.id));
  let leftFen = input.amountFen;
  for (const entry of redeems) {
    if (leftFen <= 0) break;
    const rate = Number((entry.reason as { pointsPerYuan?: number }).pointsPerYuan ?? 100);
    const done = await reversedOf(tx, ctx.tenantId, entry.id);
    const available = -entry.points - done.points;
    const points = Math.min(available, Math.floor((leftFen * rate) / 100));
    if (points <= 0) continue;
    leftFen -= Math.ceil((points * 100) / rate);
    await reverseEntry(tx, {
      tenantId: ctx.tenantId,
      idempotencyKey: `refund:${input.refundId}:restore:${entry.id}`,
      now: ctx.now,
      actorId: ctx.actor.id,
      sourceType: 'order',
      sourceId: input.orderId,
      reason: { rule: 'refund_points_payout', refundId: input.refundId },
      entryId: entry.id,
      points,
    });
  }
};

/** A reversed points payment gives its points back in full. */
export const restorePointsForPayment = async (tx: Executor, ctx: Ctx, input: { orderId: string; paymentId: string }) => {
  const [entry] = await tx
    .select()
    .from(pointsEntries)
    .where(and(eq(pointsEntries.tenantId, ctx.tenantId), eq(pointsEntries.idempotencyKey, `payment:${input.paymentId}:redeem`)));
  if (!entry) return;
  const done = await reversedOf(tx, ctx.tenantId, entry.id);
  const points = -entry.points - done.points;
  if (points <= 0) return;
  await reverseEntry(tx, {
    tenantId: ctx.tenantId,
    idempotencyKey: `payment:${input.paymentId}:reversal:restore`,
    now: ctx.now,
    actorId: ctx.actor.id,
    sourceType: 'order',
    sourceId: input.orderId,
    reason: { rule: 'payment_reversal', paymentId: input.paymentId },
    entryId: entry.id,
    points,
  });
};
