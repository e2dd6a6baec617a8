import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { enqueue } from '../../platform/outbox.js';
import { scoped } from '../../platform/tx-scope.js';
import { customerLockScopeKey, customers, toWindowFacts, windowFactsExpression } from '../customers/index.js';
import { getSetting } from '../settings/index.js';
import { addMonths, type Decision, decideTier, type Figures, type TierBenefits, type TierRule, type Trigger, windowOf } from './rules.js';
import { membershipSettingsSetting } from './settings.js';
import { customerTierChanges, customerTiers, membershipPendingGifts, membershipTiers, membershipTopUps } from './tables.js';

type TierRow = typeof membershipTiers.$inferSelect;
type CustomerTierRow = typeof customerTiers.$inferSelect;

/**
 * What changed for the customer, so the tier is evaluated in the same transaction (DESIGN §6).
 * Gains (a payment, a top-up) only ever raise a tier; losses (a refund, a reversed payment, a
 * refunded top-up) re-evaluate it down to the period's floor. The stored-value module reports
 * each top-up as `top_up` with its own id and amount, and a refunded one as `top_up_refund`.
 */
export type TierCause =
  | { kind: 'order_payment'; orderId: string }
  | { kind: 'payment_reversal'; orderId: string; paymentId: string }
  | { kind: 'refund'; orderId: string; refundId: string }
  | { kind: 'top_up'; topUpId: string; amountFen: number }
  | { kind: 'top_up_refund'; topUpId: string };

const triggerOf = (cause: TierCause): Trigger => {
  switch (cause.kind) {
    case 'order_payment':
    case 'top_up':
      return 'gain';
    case 'payment_reversal':
    case 'refund':
    case 'top_up_refund':
      return 'loss';
  }
};

const sourceOf = (cause: TierCause): string => {
  switch (cause.kind) {
    case 'order_payment':
      return cause.orderId;
    case 'payment_reversal':
      return cause.paymentId;
    case 'refund':
      return cause.refundId;
    case 'top_up':
    case 'top_up_refund':
      return cause.topUpId;
  }
};

export const activeTiers = async (tx: Executor, tenantId: string): Promise<TierRow[]> =>
  tx
    .select()
    .from(membershipTiers)
    .where(and(eq(membershipTiers.tenantId, tenantId), isNull(membershipTiers.archivedAt)))
    .orderBy(asc(membershipTiers.rank), asc(membershipTiers.createdAt));

export const toTierRule = (row: TierRow): TierRule => ({
  id: row.id,
  name: row.name,
  rank: row.rank,
  criteria: row.criteria,
  retention: row.retention as TierRule['retention'],
});

/**
 * The customer's figures in the window ending today, read from her day facts (customers module)
 * so the cost does not grow with her history. Growth counts by the date it was earned: a
 * refund's negative growth counts against the window of the payment it reverses, so a refund of
 * an old order does not eat into this year's progress. Money paid is by the order's business
 * date, net of refunds and reversals; points and vouchers never count as money, and spending
 * stored value does not count again (the top-up's money counted when it was paid).
 */
export const measureFigures = async (
  tx: Executor,
  options: { tenantId: string; customerId: string; today: string; timezone: string; windowMonths: number; measure?: 'rolling' | 'cumulative' },
): Promise<Figures> => {
  const { from, to } = windowOf(options.today, options.windowMonths, options.measure);
  // Her day facts and her largest top-up in the window, in one statement.
  const [row] = await queryRows<{ window: Record<string, number>; top_up: number }>(
    tx,
    sql`select ${windowFactsExpression({ tenantId: options.tenantId, customerId: options.customerId, from, to })} as window,
               (select coalesce(max(t.amount_fen), 0)::bigint from ${membershipTopUps} t
                 where t.tenant_id = ${options.tenantId} and t.customer_id = ${options.customerId} and not t.is_refunded
                   and t.business_date >= ${from}::date and t.business_date <= ${to}::date) as top_up`,
  );
  const facts = toWindowFacts(row?.window);
  return {
    windowMonths: options.windowMonths,
    from,
    to,
    growth: Math.max(0, facts.growth),
    consumptionFen: Math.max(0, facts.moneyFen),
    visits: facts.visitDays,
    largestTopUpFen: Number(row?.top_up ?? 0),
  };
};

/**
 * Locks the customer row, then her tier row (the order every writer takes: checkout, refunds,
 * the sweep). The customer lock also serialises the first evaluation, which inserts the tier
 * row; a flow that already holds it (checkout locks her row first) does not take it again —
 * its lock conflicts with this one, so writers stay serialised.
 */
const lockCustomerTier = async (tx: Executor, tenantId: string, customerId: string): Promise<CustomerTierRow | undefined> => {
  await scoped(tx, customerLockScopeKey(tenantId, customerId), async () => {
    const [customer] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)))
      .for('update');
    if (!customer) throw notFound('客户', 'CUSTOMER_NOT_FOUND');
    return true;
  });
  const [row] = await tx
    .select()
    .from(customerTiers)
    .where(and(eq(customerTiers.tenantId, tenantId), eq(customerTiers.customerId, customerId)))
    .for('update');
  return row;
};

/** Gifts on reaching a tier: pending once per customer, tier and gift; voided again if the tier is lost by a refund. */
const recordUpgradeGifts = async (tx: Executor, ctx: Ctx, customerId: string, tier: TierRow, changeId: string) => {
  const gifts = (tier.benefits as TierBenefits).upgradeGifts;
  for (const [position, gift] of gifts.entries()) {
    await tx
      .insert(membershipPendingGifts)
      .values({
        tenantId: ctx.tenantId,
        id: newId(),
        customerId,
        tierId: tier.id,
        position,
        name: gift.name,
        faceValueFen: gift.faceValueFen,
        quantity: gift.quantity,
        status: 'pending',
        changeId,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoUpdate({
        target: [membershipPendingGifts.tenantId, membershipPendingGifts.customerId, membershipPendingGifts.tierId, membershipPendingGifts.position],
        set: { status: 'pending', changeId, updatedAt: ctx.now },
        setWhere: sql`${membershipPendingGifts.status} = 'voided'`,
      });
  }
};

/** Marks gifts voided once their vouchers are taken back (the tier-gift decision's second half). */
export const markTierGiftsVoided = async (tx: Executor, ctx: Ctx, giftIds: readonly string[]) => {
  if (giftIds.length === 0) return;
  await tx
    .update(membershipPendingGifts)
    .set({ status: 'voided', updatedAt: ctx.now })
    .where(and(eq(membershipPendingGifts.tenantId, ctx.tenantId), inArray(membershipPendingGifts.id, [...giftIds])));
};

/** Gifts above the tier kept that were never issued: they will not be. */
const voidPendingGiftsAbove = async (tx: Executor, ctx: Ctx, customerId: string, above: string[]) => {
  await tx
    .update(membershipPendingGifts)
    .set({ status: 'voided', updatedAt: ctx.now })
    .where(
      and(
        eq(membershipPendingGifts.tenantId, ctx.tenantId),
        eq(membershipPendingGifts.customerId, customerId),
        eq(membershipPendingGifts.status, 'pending'),
        inArray(membershipPendingGifts.tierId, above),
      ),
    );
};

type ChangeRecord = {
  customerId: string;
  from: TierRow | null;
  to: TierRow | null;
  direction: 'up' | 'down' | 'manual';
  cause: string;
  sourceId: string | null;
  criterion: string | null;
  figures: Figures | Record<string, unknown>;
  reasons: string[];
  note?: string | null;
};

/** History row, audit entry and an outbox event (webhooks, a congratulation message) for one tier change. */
const recordChange = async (tx: Executor, ctx: Ctx, change: ChangeRecord) => {
  const row = {
    tenantId: ctx.tenantId,
    id: newId(),
    customerId: change.customerId,
    fromTierId: change.from?.id ?? null,
    toTierId: change.to?.id ?? null,
    fromName: change.from?.name ?? null,
    toName: change.to?.name ?? null,
    direction: change.direction,
    cause: change.cause,
    sourceId: change.sourceId,
    criterion: change.criterion,
    figures: change.figures,
    reasons: change.reasons,
    note: change.note ?? null,
    actorId: ctx.actor.type === 'staff' || ctx.actor.type === 'api_key' ? ctx.actor.id : null,
    businessDate: ctx.today,
    createdAt: ctx.now,
  };
  await tx.insert(customerTierChanges).values(row);
  await writeAudit(tx, ctx.actor, {
    action: 'membership.tier_change',
    entityType: 'customer',
    entityId: change.customerId,
    before: { tierId: row.fromTierId, tierName: row.fromName },
    after: { tierId: row.toTierId, tierName: row.toName, cause: row.cause, criterion: row.criterion, reasons: row.reasons, note: row.note },
  });
  await enqueue(
    tx,
    ctx.tenantId,
    {
      channel: 'webhook',
      topic: 'membership.tier_changed',
      customerId: change.customerId,
      payload: { changeId: row.id, from: row.fromTierId, to: row.toTierId, direction: row.direction, cause: row.cause },
      dedupeKey: `tier-change:${row.id}`,
      sendAfter: ctx.now,
    },
    ctx.now,
  );
  return row;
};

/**
 * What the caller's flow does with tier gifts after an evaluation: issue the pending upgrade gifts
 * into her wallet, and take back (void their unused vouchers) the gifts of tiers she lost.
 */
export type TierGiftDecision = { customerId: string; issuePending: boolean; takeBackTierIds: string[] };

export type TierEvaluation = { tierId: string | null; changed: boolean; decision: Decision; figures: Figures; gifts: TierGiftDecision };

const applyDecision = async (
  tx: Executor,
  ctx: Ctx,
  input: {
    customerId: string;
    tiers: TierRow[];
    current: CustomerTierRow | undefined;
    decision: Decision;
    figures: Figures;
    windowMonths: number;
    cause: string;
    sourceId: string | null;
    isRenewal: boolean;
  },
): Promise<TierEvaluation> => {
  const { decision, current } = input;
  const gifts: TierGiftDecision = { customerId: input.customerId, issuePending: false, takeBackTierIds: [] };
  const byId = (id: string | null | undefined) => input.tiers.find((tier) => tier.id === id) ?? null;
  const to = byId(decision.tierId);
  const changed = decision.direction !== 'none';
  const newPeriodEnd = addMonths(ctx.today, input.windowMonths);
  // An upgrade or a renewal starts a new period; a refund's downgrade keeps the period it is in.
  const periodEndsOn = !current || input.isRenewal || decision.direction === 'up' ? newPeriodEnd : current.periodEndsOn;
  const floorTierId = input.isRenewal ? (to?.id ?? null) : (current?.floorTierId ?? null);
  if (!current) {
    await tx.insert(customerTiers).values({
      tenantId: ctx.tenantId,
      customerId: input.customerId,
      tierId: to?.id ?? null,
      floorTierId,
      since: ctx.now,
      periodEndsOn,
      evaluatedAt: ctx.now,
    });
  } else {
    await tx
      .update(customerTiers)
      .set({ tierId: to?.id ?? null, floorTierId, periodEndsOn, evaluatedAt: ctx.now, ...(changed ? { since: ctx.now } : {}) })
      .where(and(eq(customerTiers.tenantId, ctx.tenantId), eq(customerTiers.customerId, input.customerId)));
  }
  if (changed) {
    const from = byId(current?.tierId);
    const change = await recordChange(tx, ctx, {
      customerId: input.customerId,
      from,
      to,
      direction: decision.direction === 'up' ? 'up' : 'down',
      cause: input.cause,
      sourceId: input.sourceId,
      criterion: decision.criterion,
      figures: input.figures,
      reasons: decision.reasons,
    });
    if (decision.direction === 'up' && to) {
      await recordUpgradeGifts(tx, ctx, input.customerId, to, change.id);
      gifts.issuePending = true;
    }
    if (decision.direction === 'down') {
      const above = input.tiers.filter((tier) => tier.rank > (to?.rank ?? 0)).map((tier) => tier.id);
      // A refund's downgrade takes gifts back (the caller's flow voids their vouchers); a renewal's does not.
      if (!input.isRenewal) gifts.takeBackTierIds = above;
      else if (above.length > 0) await voidPendingGiftsAbove(tx, ctx, input.customerId, above);
    }
  }
  // The gifts are carried out by the caller: the flow after a value change, or the retention sweep.
  return { tierId: to?.id ?? null, changed, decision, figures: input.figures, gifts };
};

/** A stored-value top-up the tier's top-up criterion counts; recorded once per top-up. */
export const recordTopUpForTier = async (tx: Executor, ctx: Ctx, input: { customerId: string; topUpId: string; amountFen: number }) => {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) throw new DomainError('invalid', 'TOP_UP_INVALID', '储值金额须为正整数（分）');
  await tx
    .insert(membershipTopUps)
    .values({
      tenantId: ctx.tenantId,
      customerId: input.customerId,
      sourceId: input.topUpId,
      amountFen: input.amountFen,
      businessDate: ctx.today,
      createdAt: ctx.now,
    })
    .onConflictDoNothing();
};

/** A refunded top-up no longer counts for the tier. */
export const recordTopUpRefundForTier = async (tx: Executor, ctx: Ctx, topUpId: string) => {
  await tx
    .update(membershipTopUps)
    .set({ isRefunded: true })
    .where(and(eq(membershipTopUps.tenantId, ctx.tenantId), eq(membershipTopUps.sourceId, topUpId)));
};

/**
 * 等级评定: evaluates the customer's tier in the caller's transaction, after whatever changed
 * her figures (a payment and its growth, a refund, a top-up). The caller holds the customer's
 * row lock (checkout and refunds do); this locks her tier row. Returns undefined when the
 * tenant has no tiers or has switched tiers off.
 */
export const evaluateTier = async (tx: Executor, ctx: Ctx, customerId: string, cause: TierCause): Promise<TierEvaluation | undefined> => {
  if (cause.kind === 'top_up') await recordTopUpForTier(tx, ctx, { customerId, topUpId: cause.topUpId, amountFen: cause.amountFen });
  if (cause.kind === 'top_up_refund') await recordTopUpRefundForTier(tx, ctx, cause.topUpId);
  const settings = await getSetting(tx, ctx.tenantId, membershipSettingsSetting);
  if (!settings.isEnabled) return undefined;
  const tiers = await activeTiers(tx, ctx.tenantId);
  if (tiers.length === 0) return undefined;
  const current = await lockCustomerTier(tx, ctx.tenantId, customerId);
  const figures = await measureFigures(tx, {
    tenantId: ctx.tenantId,
    customerId,
    today: ctx.today,
    timezone: ctx.timezone,
    windowMonths: settings.windowMonths,
    measure: settings.measure,
  });
  const decision = decideTier({
    tiers: tiers.map(toTierRule),
    figures,
    current: current ? { tierId: current.tierId, floorTierId: current.floorTierId } : null,
    trigger: triggerOf(cause),
  });
  return applyDecision(tx, ctx, {
    customerId,
    tiers,
    current,
    decision,
    figures,
    windowMonths: settings.windowMonths,
    cause: cause.kind,
    sourceId: sourceOf(cause),
    isRenewal: false,
  });
};

/**
 * Period end (保级): applies the current tier's retention rule and starts a new period with the
 * resulting tier as its floor. Only for customers whose period has ended; the caller holds the
 * customer's row lock.
 */
export const renewTierPeriod = async (tx: Executor, ctx: Ctx, customerId: string): Promise<TierEvaluation | undefined> => {
  const settings = await getSetting(tx, ctx.tenantId, membershipSettingsSetting);
  if (!settings.isEnabled) return undefined;
  const current = await lockCustomerTier(tx, ctx.tenantId, customerId);
  if (!current || current.periodEndsOn > ctx.today) return undefined;
  const tiers = await activeTiers(tx, ctx.tenantId);
  const figures = await measureFigures(tx, {
    tenantId: ctx.tenantId,
    customerId,
    today: ctx.today,
    timezone: ctx.timezone,
    windowMonths: settings.windowMonths,
    measure: settings.measure,
  });
  const decision = decideTier({
    tiers: tiers.map(toTierRule),
    figures,
    current: { tierId: current.tierId, floorTierId: current.floorTierId },
    trigger: 'period_end',
  });
  return applyDecision(tx, ctx, {
    customerId,
    tiers,
    current,
    decision,
    figures,
    windowMonths: settings.windowMonths,
    cause: 'retention',
    sourceId: current.periodEndsOn,
    isRenewal: true,
  });
};

/**
 * 手工调级: staff set a tier with a reason (audited); it becomes the floor of a new period. A raise
 * records the new tier's gifts as pending: the caller (flows/change-tier) issues them; a lowering
 * voids gifts still pending above, and takes back none already given.
 */
export const changeTierManually = async (tx: Executor, ctx: Ctx, customerId: string, input: { tierId: string | null; reason: string }) => {
  const settings = await getSetting(tx, ctx.tenantId, membershipSettingsSetting);
  const tiers = await activeTiers(tx, ctx.tenantId);
  const to = input.tierId ? (tiers.find((tier) => tier.id === input.tierId) ?? null) : null;
  if (input.tierId && !to) throw notFound('会员等级', 'TIER_NOT_FOUND');
  const current = await lockCustomerTier(tx, ctx.tenantId, customerId);
  const from = tiers.find((tier) => tier.id === current?.tierId) ?? null;
  if ((current?.tierId ?? null) === (to?.id ?? null)) throw new DomainError('rule', 'TIER_UNCHANGED', `客户已是「${to?.name ?? '无等级'}」`);
  const figures = await measureFigures(tx, {
    tenantId: ctx.tenantId,
    customerId,
    today: ctx.today,
    timezone: ctx.timezone,
    windowMonths: settings.windowMonths,
    measure: settings.measure,
  });
  const periodEndsOn = addMonths(ctx.today, settings.windowMonths);
  if (current) {
    await tx
      .update(customerTiers)
      .set({ tierId: to?.id ?? null, floorTierId: to?.id ?? null, since: ctx.now, periodEndsOn, evaluatedAt: ctx.now })
      .where(and(eq(customerTiers.tenantId, ctx.tenantId), eq(customerTiers.customerId, customerId)));
  } else {
    await tx.insert(customerTiers).values({
      tenantId: ctx.tenantId,
      customerId,
      tierId: to?.id ?? null,
      floorTierId: to?.id ?? null,
      since: ctx.now,
      periodEndsOn,
      evaluatedAt: ctx.now,
    });
  }
  const change = await recordChange(tx, ctx, {
    customerId,
    from,
    to,
    direction: 'manual',
    cause: 'manual',
    sourceId: null,
    criterion: 'manual',
    figures,
    reasons: [`手工调整：${input.reason}`],
    note: input.reason,
  });
  const gifts: TierGiftDecision = { customerId, issuePending: false, takeBackTierIds: [] };
  if (to && to.rank > (from?.rank ?? 0)) {
    await recordUpgradeGifts(tx, ctx, customerId, to, change.id);
    gifts.issuePending = true;
  }
  if (!to || to.rank < (from?.rank ?? 0)) {
    const above = tiers.filter((tier) => tier.rank > (to?.rank ?? 0)).map((tier) => tier.id);
    if (above.length > 0) await voidPendingGiftsAbove(tx, ctx, customerId, above);
  }
  return { change, gifts };
};

/** Customers whose period ended by `today`, in a fixed order, for the retention sweep. */
export const periodsEnded = async (tx: Executor, tenantId: string, today: string, limit: number, after: string | null) =>
  tx
    .select({ customerId: customerTiers.customerId })
    .from(customerTiers)
    .where(
      and(eq(customerTiers.tenantId, tenantId), sql`${customerTiers.periodEndsOn} <= ${today}::date`, after ? gt(customerTiers.customerId, after) : undefined),
    )
    .orderBy(asc(customerTiers.customerId))
    .limit(limit);
