import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../db/client.js';
import { type CardBenefit, recordCardUse, resolveCardsForCustomer, storedValueBalanceOf, storedValueSetting } from '../modules/cards/index.js';
import { type LineKind, lineKinds } from '../modules/catalog/index.js';
import { getCustomerRow } from '../modules/customers/index.js';
import { birthdayBenefitStatus, birthdayFromColumns, type CurrentTier, currentTierOf, toPricingTier } from '../modules/membership/index.js';
import {
  dealRulesSetting,
  decideDeal,
  type LineToPrice,
  monthOfPoints,
  orderSettingsSetting,
  type PricingOptions,
  pricingSettingsSetting,
} from '../modules/orders/index.js';
import { pointsSettingsSetting } from '../modules/points/index.js';
import { type PricingCard, type PricingInput, type PricingPoints, type PricingResult, type PricingVoucher, priceOrder } from '../modules/pricing/index.js';
import { prospectiveDealPoints } from '../modules/referrals/index.js';
import { getSetting } from '../modules/settings/index.js';
import { toPricingVoucher, vouchersForOrder } from '../modules/vouchers/index.js';
import type { Ctx } from '../platform/context.js';

/**
 * 转介绍: the referral reward a referred customer would receive if this order became her first
 * deal, which she may spend on it (SPEC §11). For a quote only (the commit gives it at checkout),
 * and only when the order, priced without points, would be a deal under the rules in force.
 */
const comingReferralPoints = async (tx: Executor, ctx: Ctx, options: PricingOptions, priceWithoutPoints: () => PricingResult): Promise<number> => {
  if (options.forCommit) return 0;
  const points = await prospectiveDealPoints(tx, ctx, options.customerId);
  if (points <= 0) return 0;
  const rules = await getSetting(tx, ctx.tenantId, dealRulesSetting);
  const orderType = options.orderType ?? (await getSetting(tx, ctx.tenantId, orderSettingsSetting)).defaultOrderType;
  const preview = priceWithoutPoints();
  const decision = decideDeal({ orderType, lines: preview.lines.map((line) => ({ kind: line.kind as LineKind, amountFen: line.finalFen })) }, rules);
  return decision.isDeal ? points : 0;
};

/**
 * Offers never apply to card lines (a membership card or a stored-value top-up is sold at its
 * price; a top-up's bonus is its own reward): card rules match the other kinds only, card lines
 * carry no category, and whole-order vouchers name the order's other items.
 */
const offerKinds = lineKinds.filter((kind) => kind !== 'card');
const isCardLine = (line: LineToPrice) => line.item.kind === 'card';
const wholeOrderScope = (lines: readonly LineToPrice[]) => {
  const itemIds = [...new Set(lines.filter((line) => !isCardLine(line)).map((line) => line.item.id))];
  return { itemIds: itemIds.length > 0 ? itemIds : ['none'], categoryIds: [] };
};

const cardVoucherId = (cardId: string, ref: string) => `card:${cardId}:${ref}`;
const parseCardVoucherId = (id: string) => {
  const [prefix, cardId, ...ref] = id.split(':');
  return prefix === 'card' && cardId ? { cardId, ref: ref.join(':') } : undefined;
};

/** A card as the pricing function takes it (a card rule's basis points are the share off; pricing's are the rate paid). */
const pricingCardOf = (card: CardBenefit): PricingCard => ({
  id: card.cardId,
  name: card.name,
  holder: card.isOwner ? 'owner' : 'family_member',
  ownerCustomerId: card.ownerId,
  validFrom: card.validFrom,
  validTo: card.validTo,
  discountRules: card.discountRules.flatMap((rule) =>
    offerKinds.map((kind) => ({ categoryId: rule.categoryId, kind, rateBp: 10_000 - rule.discountBasisPoints })),
  ),
  remaining: { discountFen: null, units: card.usesLeft },
});

const cardVouchersOf = (cards: readonly CardBenefit[], lines: readonly LineToPrice[]): PricingVoucher[] =>
  cards
    .filter((card) => card.isValid)
    .flatMap((card) =>
      card.vouchers
        .filter((voucher) => voucher.left > 0)
        .map((voucher) => ({
          id: cardVoucherId(card.cardId, voucher.ref),
          kind: 'cash_off' as const,
          name: `${card.name}·${voucher.name}`,
          faceValueFen: voucher.faceValueFen,
          thresholdFen: voucher.thresholdFen,
          scope: voucher.categoryIds.length > 0 ? { itemIds: [], categoryIds: voucher.categoryIds } : wholeOrderScope(lines),
          isStackable: true,
        })),
    );

/**
 * The tier's birthday-month benefit (生日月礼遇) as vouchers, once a year: in her birthday month
 * (solar or lunar), unless an order of this year not voided already used it. The order is the
 * record of the use; opening one locks the customer, so two desks cannot both give it.
 */
const birthdayVouchersOf = async (
  tx: Executor,
  ctx: Ctx,
  customerId: string,
  tier: CurrentTier | undefined,
  lines: readonly LineToPrice[],
): Promise<PricingVoucher[]> => {
  const benefit = tier?.benefits.birthday ?? null;
  if (!benefit) return [];
  const status = birthdayBenefitStatus(benefit, birthdayFromColumns(await getCustomerRow(tx, ctx.tenantId, customerId)), ctx.today);
  if (!status.isAvailable) return [];
  const prefix = `birthday:${ctx.today.slice(0, 4)}`;
  const [used] = await queryRows<{ used: boolean }>(
    tx,
    sql`select exists (
          select 1 from orders o, jsonb_array_elements(coalesce(o.pricing->'vouchers', '[]'::jsonb)) v
          where o.tenant_id = ${ctx.tenantId} and o.customer_id = ${customerId} and o.status <> 'voided' and v->>'voucherId' like ${`${prefix}%`}
        ) as used`,
  );
  if (used?.used) return [];
  const name = `${tier?.name ?? ''}生日月礼遇`;
  const scope = benefit.categoryId ? { itemIds: [], categoryIds: [benefit.categoryId] } : wholeOrderScope(lines);
  if (benefit.kind === 'discount') return [{ id: prefix, kind: 'discount', name, rateBp: benefit.basisPoints, maxOffFen: null, scope, isStackable: true }];
  return Array.from({ length: benefit.quantity }, (_, index) => ({
    id: `${prefix}:${index + 1}`,
    kind: 'gift' as const,
    name,
    scope,
    isStackable: true,
  }));
};

/** The points step of a quote: the clinic's redemption rules, her active points and this month's allowance. */
/** Her points usable now: available (no longer pending) and not expired. */
const activePointsOf = async (tx: Executor, ctx: Ctx, customerId: string): Promise<number> => {
  const [row] = await queryRows<{ active: number }>(
    tx,
    sql`select coalesce(sum(remaining), 0)::bigint as active from points_lots l where l.tenant_id = ${ctx.tenantId} and l.customer_id = ${customerId}
          and l.available_at <= ${ctx.now.toISOString()}::timestamptz and (l.expires_at is null or l.expires_at > ${ctx.now.toISOString()}::timestamptz)`,
  );
  return Number(row?.active ?? 0);
};

const pointsOf = async (
  tx: Executor,
  ctx: Ctx,
  customerId: string,
  options: { requested: number | 'all'; activePoints: number; orderFen: number },
): Promise<{ points: PricingPoints; activePoints: number } | null> => {
  const settings = await getSetting(tx, ctx.tenantId, pointsSettingsSetting);
  const rules = settings.redemption;
  if (!settings.isEnabled || !rules.isEnabled) return null;
  const month = await monthOfPoints(tx, ctx, customerId);
  const cap = rules.perOrderCap;
  // The month's allowance counts this order's consumption too, as the checkout does once the order is placed
  // (the checkout's rule and this one must agree, or the quote shows ¥0 where the checkout then redeems).
  const monthFen =
    rules.monthlyCapPercent === null
      ? null
      : Math.max(0, Math.floor(((month.consumptionFen + options.orderFen) * rules.monthlyCapPercent) / 100) - month.redeemedFen);
  const amountCaps = [cap.kind === 'amount' ? cap.amountFen : null, monthFen].filter((value): value is number => value !== null);
  const { activePoints } = options;
  return {
    activePoints,
    points: {
      requestedPoints: options.requested === 'all' ? activePoints : Math.min(options.requested, activePoints),
      pointsPerYuan: rules.pointsPerYuan,
      minimumPoints: rules.minimumPoints,
      maxPercentOfOrder: cap.kind === 'percent' ? cap.percent : null,
      maxFen: amountCaps.length > 0 ? Math.min(...amountCaps) : null,
      excludedKinds: [...new Set([...rules.excludedKinds, 'card' as const])],
      excludedCategoryIds: rules.excludedCategoryIds,
    },
  };
};

/** 积分抵现 at most: the points and their value the clinic's rules let her use on this order (her balance, the caps, the minimum). */
export type UsablePoints = { points: number; valueFen: number; balancePoints: number; message: string };

/**
 * Prices an order for a customer: her tier, her own and family cards with their vouchers, and
 * for a quote the points and stored value she would use. Pure pricing over what is read here;
 * the same function serves the quote and the commit, so they cannot disagree.
 */
export const priceForCustomer = async (
  tx: Executor,
  ctx: Ctx,
  options: PricingOptions,
): Promise<{ input: PricingInput; result: PricingResult; referralPoints: number; usablePoints: UsablePoints | null }> => {
  // One after another: a transaction is one connection.
  const settings = await getSetting(tx, ctx.tenantId, pricingSettingsSetting);
  const currentTier = options.memberPricing ? await currentTierOf(tx, ctx.tenantId, options.customerId) : undefined;
  const cards = options.memberPricing
    ? await resolveCardsForCustomer(tx, { tenantId: ctx.tenantId, customerId: options.customerId, date: ctx.today, timezone: ctx.timezone })
    : [];
  const usable = cards.filter((card) => card.isValid || card.validTo !== null);
  const storedValue = options.useStoredValue ? await storedValueBalanceOf(tx, ctx.tenantId, options.customerId) : null;
  const spendOrder = storedValue ? (await getSetting(tx, ctx.tenantId, storedValueSetting)).spendingPolicy : 'proportional';
  const input: PricingInput = {
    at: ctx.today,
    lines: options.lines.map((line) => ({
      id: line.id,
      itemId: line.item.id,
      name: line.item.name,
      kind: line.item.kind as PricingInput['lines'][number]['kind'],
      categoryId: isCardLine(line) ? null : (line.item.categoryId ?? null),
      unitPriceFen: line.unitPriceFen,
      quantity: line.quantity,
      manualDiscountFen: line.manualDiscountFen,
    })),
    tier: currentTier ? toPricingTier(currentTier) : null,
    cards: usable.filter((card) => card.discountRules.length > 0).map(pricingCardOf),
    vouchers: [
      ...(await vouchersForOrder(tx, ctx, { customerId: options.customerId, voucherIds: options.voucherIds ?? [], forUpdate: options.forCommit ?? false })).map(
        (row) => toPricingVoucher(row, wholeOrderScope(options.lines)),
      ),
      ...cardVouchersOf(usable, options.lines),
      ...(options.memberPricing ? await birthdayVouchersOf(tx, ctx, options.customerId, currentTier, options.lines) : []),
    ],
    points: null,
    storedValue: storedValue ? { principalFen: storedValue.principalFen, bonusFen: storedValue.bonusFen, spendOrder } : null,
    settings,
  };
  const withoutPoints = priceOrder(input);
  const referralPoints = await comingReferralPoints(tx, ctx, options, () => withoutPoints);
  // A quote tells the desk the most points can pay here, priced by the very function that prices the request.
  let usablePoints: UsablePoints | null = null;
  if (!options.forCommit) {
    // Her active points, plus a referral reward this order would give her as her first deal (转介绍: usable on that order).
    // None: nothing to offer, and the rules need not be read (the ordinary quote stays within its statements).
    const activePoints = (await activePointsOf(tx, ctx, options.customerId)) + referralPoints;
    const all =
      activePoints > 0 ? await pointsOf(tx, ctx, options.customerId, { requested: 'all', activePoints, orderFen: withoutPoints.totals.payableFen }) : null;
    if (all) {
      const most = priceOrder({ ...input, points: all.points }).points;
      usablePoints = { points: most.usedPoints, valueFen: most.valueFen, balancePoints: all.activePoints, message: most.message };
      if (options.pointsToUse) input.points = { ...all.points, requestedPoints: Math.min(options.pointsToUse, all.activePoints) };
    }
  }
  return { input, result: input.points ? priceOrder(input) : withoutPoints, referralPoints, usablePoints };
};

/**
 * The commit's side of member pricing, in the order's transaction: every card benefit a line
 * took is recorded as a use by this customer (who used what, within the card's limits, checked
 * again under the card's lock).
 */
export const recordPricingUses = async (tx: Executor, ctx: Ctx, input: { orderId: string; customerId: string; result: PricingResult }) => {
  for (const line of input.result.lines) {
    for (const deduction of line.deductions) {
      if (deduction.kind === 'card_discount' && deduction.sourceId && deduction.amountFen > 0) {
        await recordCardUse(tx, ctx, {
          cardId: deduction.sourceId,
          customerId: input.customerId,
          orderId: input.orderId,
          orderLineId: line.lineId,
          benefit: 'discount',
          amountFen: deduction.amountFen,
        });
      }
    }
  }
  for (const voucher of input.result.vouchers.applied) {
    const card = parseCardVoucherId(voucher.voucherId);
    if (!card || voucher.amountFen <= 0) continue;
    await recordCardUse(tx, ctx, {
      cardId: card.cardId,
      customerId: input.customerId,
      orderId: input.orderId,
      orderLineId: voucher.lineIds[0] ?? null,
      benefit: 'voucher',
      benefitRef: card.ref,
      amountFen: voucher.amountFen,
    });
  }
};
