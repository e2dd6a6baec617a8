import type { Executor } from '../db/client.js';
import { applyCardLines, spendForPayment } from '../modules/cards/index.js';
import { itemsByIds } from '../modules/catalog/index.js';
import { getCustomerRow } from '../modules/customers/index.js';
import {
  assertDayOpen,
  checkAttribution,
  createCourses,
  creditPerformance,
  dealRulesSetting,
  decideDeal,
  dueOf,
  findOrder,
  insertOrder,
  insertPayments,
  type LineKind,
  linesOfOrder,
  lockOrder,
  markPlaced,
  monthOfPoints,
  nextOrderNumber,
  type OpenOrderRequest,
  type OrderLineRow,
  type OrderRow,
  orderSettingsSetting,
  type PaymentInput,
  type PaymentRow,
  pointsPaidOnOrder,
  pricingSettingsSetting,
  resolveOrderLines,
  tooMuch,
} from '../modules/orders/index.js';
import { earnForOrderPayments, redeemForPayment } from '../modules/points/index.js';
import { rewardFirstDeal } from '../modules/referrals/index.js';
import { getSetting, preloadSettings } from '../modules/settings/index.js';
import { findDayVisit } from '../modules/visits/index.js';
import { parseWalletPricingId, useVouchersForOrder } from '../modules/vouchers/index.js';
import { type AuditEntry, writeAudit, writeAudits } from '../platform/audit.js';
import { assertStoreAccess, type Ctx } from '../platform/context.js';
import { DomainError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { openTxScope } from '../platform/tx-scope.js';
import { afterValueChange } from './after-value-change.js';
import { priceForCustomer, recordPricingUses } from './price-order.js';

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/**
 * The order number, taken in its own autocommitted statement before the checkout's transaction
 * opens: the tenant's per-day counter row is locked for that one statement only, so checkouts of
 * one clinic never queue behind each other. A checkout that then fails leaves a gap in the day's
 * numbers (docs/ARCHITECTURE.md).
 */
export const takeOrderNumber = (db: Executor, ctx: Ctx): Promise<string> => nextOrderNumber(db, ctx.tenantId, ctx.today);

/**
 * The start of every order flow, right after BEGIN: the tenant's settings in one statement, kept
 * for the transaction so every later step reads them from memory.
 */
export const openFlowScope = async (tx: Executor, ctx: Ctx) => {
  openTxScope(tx);
  await preloadSettings(tx, ctx.tenantId);
};

/**
 * Records payments and moves their ledgers, in the flow's transaction: stored value spent,
 * points redeemed (the referral reward given just before can pay here), points earned.
 */
export const collectPayments = async (tx: Executor, ctx: Ctx, order: OrderRow, lines: readonly OrderLineRow[], list: readonly PaymentInput[]) => {
  const rows = await insertPayments(tx, ctx, order, list);
  for (const row of rows) {
    if (row.method === 'stored_value') {
      // 储值支付 moves prepaid money already counted when it was topped up: it earns no points by default (pointsPerYuan has no stored_value).
      await spendForPayment(tx, ctx, { orderId: order.id, customerId: order.customerId, paymentId: row.id, amountFen: row.amountFen });
      await earnForOrderPayments(tx, ctx, { orderId: order.id, customerId: order.customerId, paymentId: row.id, payment: row, lines: [...lines] });
    } else if (row.method === 'points') {
      await redeemForPayment(tx, ctx, {
        orderId: order.id,
        customerId: order.customerId,
        paymentId: row.id,
        amountFen: row.amountFen,
        check: await redemptionContext(tx, ctx, order, lines, row),
      });
    } else {
      await earnForOrderPayments(tx, ctx, { orderId: order.id, customerId: order.customerId, paymentId: row.id, payment: row, lines: [...lines] });
    }
  }
  return rows;
};

/** What the points-for-cash rules weigh: the order's lines and due, and the customer's month so far. */
const redemptionContext = async (tx: Executor, ctx: Ctx, order: OrderRow, lines: readonly OrderLineRow[], payment: PaymentRow) => {
  const items = new Map(
    (
      await itemsByIds(
        tx,
        ctx.tenantId,
        lines.map((line) => line.itemId),
      )
    ).map((item) => [item.id, item]),
  );
  const month = await monthOfPoints(tx, ctx, order.customerId, payment.id);
  // The lines a voucher applied to, as the order's pricing recorded them (its line ids are the order lines').
  const applied = (order.pricing as { vouchers?: { lineIds?: string[]; amountFen?: number }[] } | null)?.vouchers ?? [];
  const voucherLineIds = new Set(applied.filter((voucher) => (voucher.amountFen ?? 0) > 0).flatMap((voucher) => voucher.lineIds ?? []));
  return {
    orderDueFen: dueOf(order),
    lines: lines.map((line) => ({
      kind: line.kind,
      categoryId: items.get(line.itemId)?.categoryId ?? null,
      amountFen: line.amountFen - line.refundedFen,
      hasVoucher: voucherLineIds.has(line.id),
    })),
    pointsWithVouchers: (await getSetting(tx, ctx.tenantId, pricingSettingsSetting)).pointsWithVouchers,
    alreadyOnOrderFen: await pointsPaidOnOrder(tx, ctx, order.id, payment.id),
    monthRedeemedFen: month.redeemedFen,
    monthConsumptionFen: month.consumptionFen,
  };
};

/** 成交 and the amount paid, decided before anything is written: the order can be written placed at once. */
const decidePlacement = async (
  tx: Executor,
  ctx: Ctx,
  order: Pick<OrderRow, 'orderType' | 'totalFen'>,
  lines: readonly { kind: string; amountFen: number }[],
  list: readonly PaymentInput[],
) => {
  const paying = sum(list.map((payment) => payment.amountFen));
  if (paying > order.totalFen) throw tooMuch(order.totalFen, paying);
  const rules = await getSetting(tx, ctx.tenantId, dealRulesSetting);
  const decision = decideDeal({ orderType: order.orderType, lines: lines.map((line) => ({ kind: line.kind as LineKind, amountFen: line.amountFen })) }, rules);
  return { paying, isDeal: decision.isDeal, dealReasons: decision.reasons };
};

/**
 * 收银 after the order is placed (its row written or updated as placed, customer and order
 * locked): the steps in the order they must run. `audits` are entries of the same change still
 * to write (a checkout at 开单 writes both in one statement).
 */
const settlePlaced = async (
  tx: Executor,
  ctx: Ctx,
  order: OrderRow,
  lines: readonly OrderLineRow[],
  list: readonly PaymentInput[],
  placement: { isDeal: boolean; dealReasons: string[] },
  audits: AuditEntry[],
) => {
  // 1. 转介绍: a referred customer's first deal rewards both sides — before the payments, so her
  //    reward points can pay for this very order.
  await rewardFirstDeal(tx, ctx, { orderId: order.id, customerId: order.customerId, isDeal: placement.isDeal });
  // 2. Payments, with their stored-value spends, point redemptions and point earns.
  await collectPayments(tx, ctx, order, lines, list);
  // 3. 业绩, courses, then card lines (membership cards issued, stored value topped up).
  await creditPerformance(tx, ctx, order, lines);
  await createCourses(tx, ctx, order, [...lines]);
  const { topUps } = await applyCardLines(tx, ctx, order, [...lines], list);
  // 4. Once, after every ledger moved: tier (growth and top-ups), tier gifts, tags.
  await afterValueChange(tx, ctx, {
    customerId: order.customerId,
    orderId: order.id,
    cause: list.length > 0 ? { kind: 'order_payment', orderId: order.id } : null,
    topUps,
  });
  await writeAudits(tx, ctx.actor, [
    ...audits,
    {
      action: 'order.checkout',
      entityType: 'order',
      entityId: order.id,
      before: { status: 'open' },
      after: { status: 'placed', payments: list, isDeal: placement.isDeal, dealReasons: placement.dealReasons },
    },
  ]);
};

/**
 * 开单: an order that waits in the unpaid queue, or, with `payments`, is checked out at once —
 * one transaction, the customer's row locked first. `number` comes from `takeOrderNumber`
 * before the transaction; without it (the demo seed, tests) it is taken here.
 */
export const openOrder = async (tx: Executor, ctx: Ctx, input: OpenOrderRequest, number?: string): Promise<string> => {
  await openFlowScope(tx, ctx);
  assertStoreAccess(ctx, input.storeId);
  // The store's row in share mode (open, and today not closed), before the customer's row.
  await assertDayOpen(tx, ctx, input.storeId);
  await getCustomerRow(tx, ctx.tenantId, input.customerId, { forUpdate: true });
  const settings = await getSetting(tx, ctx.tenantId, orderSettingsSetting);
  const orderType = input.orderType ?? settings.defaultOrderType;
  if (!settings.orderTypes.includes(orderType)) {
    throw new DomainError('rule', 'ORDER_TYPE_UNKNOWN', `订单类型「${orderType}」未启用`, [{ path: 'body.orderType', message: '未启用的订单类型' }]);
  }
  const resolved = await resolveOrderLines(tx, ctx, input.lines);
  for (const [index, line] of input.lines.entries()) await checkAttribution(tx, ctx, line.attribution ?? [], `body.lines.${index}.attribution`);
  // 开单定价: tier, card and card-voucher prices, the same function the quote shows.
  const { result: pricing } = await priceForCustomer(tx, ctx, {
    customerId: input.customerId,
    lines: resolved,
    memberPricing: input.memberPricing ?? true,
    voucherIds: input.voucherIds ?? [],
    forCommit: true,
  });
  // A voucher the desk chose must take effect: otherwise say why, and write nothing.
  for (const rejected of pricing.vouchers.rejected) {
    const voucherId = parseWalletPricingId(rejected.voucherId);
    if (!voucherId) continue;
    const index = (input.voucherIds ?? []).indexOf(voucherId);
    throw new DomainError('rule', 'VOUCHER_NOT_APPLICABLE', rejected.message, [{ path: `body.voucherIds.${index}`, message: rejected.message }]);
  }
  const payableFen = pricing.totals.payableFen;
  if (input.expectedTotalFen !== undefined && input.expectedTotalFen !== payableFen) {
    throw new DomainError('conflict', 'PRICE_CHANGED', `价格已变化，请重新确认：本单应付 ¥${(payableFen / 100).toFixed(2)}`, [
      { path: 'body.expectedTotalFen', message: `现应付 ¥${(payableFen / 100).toFixed(2)}` },
    ]);
  }
  const priced = new Map(pricing.lines.map((line) => [line.lineId, line]));
  const lines = resolved.map((line, index) => {
    const amountFen = priced.get(line.id)?.finalFen ?? line.unitPriceFen * line.quantity - line.manualDiscountFen;
    const gross = line.unitPriceFen * line.quantity;
    return { ...line, discountFen: gross - amountFen, amountFen, attribution: input.lines[index]?.attribution ?? [] };
  });
  const visit = await findDayVisit(tx, ctx.tenantId, input.customerId, ctx.today);
  const totalFen = sum(lines.map((line) => line.amountFen));
  // Checked out at once: decided now, so the order is written placed in one statement.
  const placement = input.payments
    ? await decidePlacement(
        tx,
        ctx,
        { orderType, totalFen },
        lines.map((line) => ({ kind: line.item.kind, amountFen: line.amountFen })),
        input.payments,
      )
    : undefined;
  const opened = {
    tenantId: ctx.tenantId,
    id: newId(),
    number: number ?? (await takeOrderNumber(tx, ctx)),
    storeId: input.storeId,
    customerId: input.customerId,
    orderType,
    status: 'open',
    totalFen,
    refundedFen: 0,
    paidFen: 0,
    pricing: { totals: pricing.totals, explanation: pricing.explanation, vouchers: pricing.vouchers.applied, cards: pricing.cards.applied },
    businessDate: ctx.today,
    visitId: visit?.id ?? null,
    visitType: visit?.visitType ?? 'not_visited',
    isDeal: null as boolean | null,
    dealReasons: null as string[] | null,
    openedBy: ctx.actor.type === 'staff' ? ctx.actor.id : null,
    placedBy: null,
    placedAt: null,
    voidedAt: null,
    voidReason: null,
    notes: input.notes ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const order: OrderRow = placement
    ? {
        ...opened,
        status: 'placed',
        paidFen: placement.paying,
        isDeal: placement.isDeal,
        dealReasons: placement.dealReasons,
        placedBy: ctx.actor.type === 'staff' ? ctx.actor.id : null,
        placedAt: ctx.now,
      }
    : opened;
  const lineRows = await insertOrder(tx, ctx, order, lines);
  await recordPricingUses(tx, ctx, { orderId: order.id, customerId: input.customerId, result: pricing });
  await useVouchersForOrder(tx, ctx, {
    orderId: order.id,
    storeId: order.storeId,
    uses: pricing.vouchers.applied.flatMap((applied) => {
      const voucherId = parseWalletPricingId(applied.voucherId);
      return voucherId ? [{ voucherId, amountFen: applied.amountFen, lineIds: applied.lineIds }] : [];
    }),
  });
  const openAudit: AuditEntry = { action: 'order.open', entityType: 'order', entityId: order.id, after: { ...opened, lines: input.lines } };
  if (!placement || !input.payments) await writeAudit(tx, ctx.actor, openAudit);
  else await settlePlaced(tx, ctx, order, lineRows, input.payments, placement, [openAudit]);
  return order.id;
};

/** 收银 of an order from the unpaid queue: the customer's row, then the order's (the fixed lock order). */
export const checkoutOrder = async (tx: Executor, ctx: Ctx, orderId: string, list: readonly PaymentInput[]) => {
  await openFlowScope(tx, ctx);
  const peek = await findOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, peek.storeId);
  await assertDayOpen(tx, ctx, peek.storeId);
  await getCustomerRow(tx, ctx.tenantId, peek.customerId, { forUpdate: true });
  const order = await lockOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, order.storeId);
  if (order.status !== 'open') throw new DomainError('conflict', 'ORDER_NOT_OPEN', order.status === 'placed' ? '订单已收银' : '订单已作废');
  const lines = await linesOfOrder(tx, ctx.tenantId, orderId);
  const placement = await decidePlacement(tx, ctx, order, lines, list);
  // The visit of the day may have been registered after the order was opened.
  const visit = order.visitId ? undefined : await findDayVisit(tx, ctx.tenantId, order.customerId, order.businessDate);
  await markPlaced(tx, ctx, order.id, { paidFen: placement.paying, isDeal: placement.isDeal, dealReasons: placement.dealReasons, visit });
  await settlePlaced(tx, ctx, order, lines, list, placement, []);
};
