import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { getItemRow } from '../catalog/index.js';
import { getSetting } from '../settings/index.js';
import { cancelCard, issueMembershipCard } from './customer-cards.js';
import { type CardProductRow, cardProductsByItems } from './products.js';
import { refundFormula, spendingPolicyText, storedValueSetting } from './settings.js';
import { lockStoredValueAccount, owedOfSpend, refundableOf, refundTopUp, restoreStoredValue, spendStoredValue, topUpStoredValue } from './stored-value.js';
import { customerCards, storedValueEntries, storedValueTopUps } from './tables.js';

type Line = { id: string; itemId: string; kind: string; name: string; quantity: number; unitPriceFen: number; amountFen: number; refundedFen: number };
type Payment = { method: string; amountFen: number };

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** Bonus for a top-up of `amountFen` of a product listed at `priceFen` with `bonusFen`: pro rata, rounded down. */
export const bonusFor = (product: Pick<CardProductRow, 'bonusFen'>, priceFen: number, amountFen: number) =>
  priceFen <= 0 ? 0 : Math.floor((product.bonusFen * amountFen) / priceFen);

/**
 * At checkout, in the order's transaction: a membership-card line issues the customer's card;
 * a stored-value line tops up her account (principal = the line's amount, bonus pro rata to
 * the list price) with the contract she agreed to. Returns the top-ups sold: the caller's flow
 * lets the tier engine weigh them. A top-up must be paid in full, in money: not on credit, not
 * with stored value or points.
 */
export const applyCardLines = async (
  tx: Executor,
  ctx: Ctx,
  order: { id: string; number: string; customerId: string; totalFen: number },
  lines: Line[],
  payments: readonly Payment[],
): Promise<{ topUps: { topUpId: string; principalFen: number }[] }> => {
  const topUps: { topUpId: string; principalFen: number }[] = [];
  if (!lines.some((line) => line.kind === 'card')) return { topUps };
  const products = await cardProductsByItems(
    tx,
    ctx.tenantId,
    lines.filter((line) => line.kind === 'card').map((line) => line.itemId),
  );
  for (const line of lines) {
    const product = products.find((row) => row.itemId === line.itemId);
    if (!product || line.kind !== 'card') continue;
    if (product.kind === 'membership') {
      if (line.quantity !== 1)
        throw new DomainError('rule', 'CARD_QUANTITY', `「${line.name}」每单只能售出 1 张`, [{ path: 'body.lines', message: '数量须为 1' }]);
      await issueMembershipCard(tx, ctx, { customerId: order.customerId, product, orderId: order.id, orderLineId: line.id });
    } else if (product.kind === 'stored_value') {
      topUps.push(await topUpFromLine(tx, ctx, order, line, product, payments));
    }
  }
  return { topUps };
};

const topUpFromLine = async (
  tx: Executor,
  ctx: Ctx,
  order: { id: string; number: string; customerId: string; totalFen: number },
  line: Line,
  product: CardProductRow,
  payments: readonly Payment[],
) => {
  const settings = await getSetting(tx, ctx.tenantId, storedValueSetting);
  if (!settings.isSellingEnabled) throw new DomainError('rule', 'STORED_VALUE_SALES_STOPPED', '本店已暂停销售储值');
  const paid = payments.reduce((sum, payment) => sum + payment.amountFen, 0);
  if (payments.some((payment) => payment.method === 'stored_value' || payment.method === 'points')) {
    throw new DomainError('rule', 'TOP_UP_PAYMENT_METHOD', '充值须以现金、银行卡、微信或支付宝支付', [
      { path: 'body.payments', message: '不能用储值或积分充值' },
    ]);
  }
  if (paid !== order.totalFen) {
    throw new DomainError('rule', 'TOP_UP_NOT_PAID', `含充值的订单须一次付清：应收 ${yuan(order.totalFen)}，实收 ${yuan(paid)}`, [
      { path: 'body.payments', message: '须付清' },
    ]);
  }
  const item = await getItemRow(tx, ctx.tenantId, product.itemId);
  const principalFen = line.amountFen;
  const bonusFen = bonusFor(product, item.priceFen * line.quantity, principalFen);
  const account = await lockStoredValueAccount(tx, ctx.tenantId, order.customerId);
  if (settings.maxPrincipalFen !== null && account.principalFen + principalFen > settings.maxPrincipalFen) {
    throw new DomainError(
      'rule',
      'STORED_VALUE_LIMIT',
      `充值后本金 ${yuan(account.principalFen + principalFen)} 超过单卡上限 ${yuan(settings.maxPrincipalFen)}（单用途预付卡限额）`,
      [{ path: 'body.payments', message: '超过储值上限' }],
    );
  }
  const result = await topUpStoredValue(tx, {
    tenantId: ctx.tenantId,
    customerId: order.customerId,
    idempotencyKey: `order:${order.id}:line:${line.id}:top_up`,
    now: ctx.now,
    actorId: ctx.actor.id,
    sourceType: 'order',
    sourceId: order.id,
    reason: { rule: 'top_up', orderNumber: order.number, cardProductId: product.id },
    principalFen,
    bonusFen,
    cardProductId: product.id,
    orderId: order.id,
    orderLineId: line.id,
    grantsTierId: product.grantsTierId,
    // 预付卡协议 (消费者权益保护法实施条例 Art. 22): what she agreed to, kept with the top-up.
    contract: {
      productName: product.name,
      orderNumber: order.number,
      principalFen,
      bonusFen,
      terms: product.terms,
      policyText: settings.policyText,
      spendingPolicy: settings.spendingPolicy,
      spendingPolicyText: spendingPolicyText[settings.spendingPolicy],
      refundFormula,
      grantsTierId: product.grantsTierId,
      agreedAt: ctx.now.toISOString(),
    },
  });
  return { topUpId: result.topUpId, principalFen };
};

const spendKey = (orderId: string, paymentId: string) => `order:${orderId}:payment:${paymentId}:spend`;

/** 储值支付: spends the payment's amount in the order's transaction under the tenant's policy. */
export const spendForPayment = async (tx: Executor, ctx: Ctx, input: { orderId: string; customerId: string; paymentId: string; amountFen: number }) => {
  const settings = await getSetting(tx, ctx.tenantId, storedValueSetting);
  return spendStoredValue(tx, {
    tenantId: ctx.tenantId,
    customerId: input.customerId,
    idempotencyKey: spendKey(input.orderId, input.paymentId),
    now: ctx.now,
    actorId: ctx.actor.id,
    sourceType: 'order',
    sourceId: input.orderId,
    reason: { rule: 'payment', paymentId: input.paymentId },
    amountFen: input.amountFen,
    policy: settings.spendingPolicy,
  });
};

/** A reversed stored-value payment gives back everything it took and has not yet been given back. */
export const restoreForPayment = async (tx: Executor, ctx: Ctx, input: { orderId: string; paymentId: string }) => {
  const [entry] = await tx
    .select()
    .from(storedValueEntries)
    .where(and(eq(storedValueEntries.tenantId, ctx.tenantId), eq(storedValueEntries.idempotencyKey, spendKey(input.orderId, input.paymentId))));
  if (!entry) return;
  await restoreStoredValue(tx, {
    tenantId: ctx.tenantId,
    idempotencyKey: `payment:${input.paymentId}:reversal:stored_value`,
    now: ctx.now,
    actorId: ctx.actor.id,
    sourceType: 'order',
    sourceId: input.orderId,
    reason: { rule: 'payment_reversal', paymentId: input.paymentId },
    entryId: entry.id,
  }).catch((error: unknown) => {
    // Already given back in full by refunds: nothing left to restore.
    if (error instanceof DomainError && error.code === 'STORED_VALUE_REVERSAL_EXCEEDED') return;
    throw error;
  });
};

/** Money paid back as stored value on a refund: back to principal and bonus as the order's spends took them, latest spend first. */
export const restoreForRefund = async (tx: Executor, ctx: Ctx, input: { orderId: string; refundId: string; amountFen: number }) => {
  const spends = await tx
    .select()
    .from(storedValueEntries)
    .where(
      and(
        eq(storedValueEntries.tenantId, ctx.tenantId),
        eq(storedValueEntries.sourceType, 'order'),
        eq(storedValueEntries.sourceId, input.orderId),
        eq(storedValueEntries.type, 'spend'),
      ),
    )
    .orderBy(asc(storedValueEntries.createdAt), asc(storedValueEntries.id));
  let left = input.amountFen;
  for (const entry of spends.reverse()) {
    if (left <= 0) break;
    const owed = (await owedOfSpend(tx, ctx.tenantId, entry.id)).reduce((sum, row) => sum + row.principalFen + row.bonusFen, 0);
    const amount = Math.min(owed, left);
    if (amount <= 0) continue;
    await restoreStoredValue(tx, {
      tenantId: ctx.tenantId,
      idempotencyKey: `refund:${input.refundId}:stored_value:${entry.id}`,
      now: ctx.now,
      actorId: ctx.actor.id,
      sourceType: 'order',
      sourceId: input.orderId,
      reason: { rule: 'refund_payout', refundId: input.refundId },
      entryId: entry.id,
      amountFen: amount,
    });
    left -= amount;
  }
  if (left > 0) throw new DomainError('rule', 'REFUND_EXCEEDS_METHOD', `原路退回：该订单的储值支付只剩 ${yuan(input.amountFen - left)} 可退`);
};

/**
 * Refund of a card line. Stored value: the top-up's unused principal is the value returned and
 * its unused bonus is void. Membership card: the card is cancelled (for the owner and every
 * member) and the line's unrefunded amount is returned. Undefined: not a card product line
 * (a course card: the orders module refunds its unused sessions).
 */
export const refundCardLine = async (
  tx: Executor,
  ctx: Ctx,
  input: { orderId: string; line: Line },
): Promise<{ amountFen: number; refundedTopUpId?: string } | undefined> => {
  if (input.line.kind !== 'card') return undefined;
  const [product] = await cardProductsByItems(tx, ctx.tenantId, [input.line.itemId]);
  if (!product || product.kind === 'course') return undefined;
  if (product.kind === 'stored_value') {
    const [lot] = await tx
      .select()
      .from(storedValueTopUps)
      .where(and(eq(storedValueTopUps.tenantId, ctx.tenantId), eq(storedValueTopUps.orderLineId, input.line.id)));
    if (!lot || refundableOf(lot) === 0) {
      throw new DomainError('rule', 'NOTHING_TO_REFUND', `「${input.line.name}」没有可退的储值本金`, [{ path: 'body.lines', message: '没有可退本金' }]);
    }
    const result = await refundTopUp(tx, {
      tenantId: ctx.tenantId,
      idempotencyKey: `top_up:${lot.id}:refund`,
      now: ctx.now,
      actorId: ctx.actor.id,
      sourceType: 'order',
      sourceId: input.orderId,
      reason: { rule: 'top_up_refund', orderLineId: input.line.id },
      topUpId: lot.id,
    });
    // The tier no longer counts it: the refund flow records that and weighs the tier once.
    return { amountFen: result.principalFen, refundedTopUpId: lot.id };
  }
  const [card] = await tx
    .select()
    .from(customerCards)
    .where(and(eq(customerCards.tenantId, ctx.tenantId), eq(customerCards.orderLineId, input.line.id)));
  const amountFen = input.line.amountFen - input.line.refundedFen;
  if (!card || card.status === 'cancelled' || amountFen <= 0) {
    throw new DomainError('rule', 'NOTHING_TO_REFUND', `「${input.line.name}」已退款`, [{ path: 'body.lines', message: '已退款' }]);
  }
  await cancelCard(tx, ctx, card.id, { orderId: input.orderId, orderLineId: input.line.id });
  return { amountFen };
};

/**
 * Undoing a payment of an order that topped up stored value would hand the money back while the
 * balance stays: such orders go through a refund, which returns the unused principal only.
 */
export const assertPaymentReversible = async (tx: Executor, ctx: Ctx, orderId: string) => {
  const [lot] = await tx
    .select({ id: storedValueTopUps.id })
    .from(storedValueTopUps)
    .where(and(eq(storedValueTopUps.tenantId, ctx.tenantId), eq(storedValueTopUps.orderId, orderId), isNull(storedValueTopUps.refundedAt)));
  if (lot) throw new DomainError('rule', 'PAYMENT_HAS_TOP_UP', '该订单含储值充值，收款不能撤销，请走退款流程（退还未使用本金）');
};
