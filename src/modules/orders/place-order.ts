import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { assertStoreAccess, type Ctx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { applyCardLines, assertPaymentReversible, restoreForPayment, reverseCardUsesOfOrder, spendForPayment } from '../cards/index.js';
import { itemsByIds } from '../catalog/service.js';
import { applyOrderFacts } from '../customers/index.js';
import { getCustomerRow } from '../customers/service.js';
import { evaluateTier } from '../membership/index.js';
import { earnForOrderPayments, redeemForPayment, restorePointsForPayment, reversePointsForPayment } from '../points/order-points.js';
import { rewardFirstDeal } from '../referrals/rewards.js';
import { getSetting } from '../settings/service.js';
import { staffExists } from '../staff/service.js';
import { storeExists } from '../tenants/service.js';
import { findDayVisit } from '../visits/service.js';
import { parseWalletPricingId, restoreVouchersOfOrder, useVouchersForOrder } from '../vouchers/index.js';
import { type AttributionShare, attributionProblem, splitAttribution } from './attribution.js';
import { createCourses } from './courses.js';
import { decideDeal, type LineKind } from './deal-rules.js';
import { nextOrderNumber } from './numbers.js';
import { monthOfPoints } from './points-month.js';
import { type LineToPrice, priceForCustomer, recordPricingUses } from './pricing.js';
import type { OpenOrderRequest, PaymentMethod } from './schemas.js';
import { dealRulesSetting, orderSettingsSetting } from './settings.js';
import { orderLines, orders, payments, performanceCredits } from './tables.js';
import { refreshConsumptionTags } from './tags.js';

export type OrderRow = typeof orders.$inferSelect;
type PaymentInput = { method: PaymentMethod; amountFen: number };

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

export const dueOf = (order: Pick<OrderRow, 'totalFen' | 'refundedFen'>) => order.totalFen - order.refundedFen;
export const arrearsOf = (order: Pick<OrderRow, 'totalFen' | 'refundedFen' | 'paidFen' | 'status'>) =>
  order.status === 'placed' ? Math.max(0, dueOf(order) - order.paidFen) : 0;

/** Locks the order row; callers lock the customer first (fixed order: customer, then order). */
export const lockOrder = async (tx: Executor, tenantId: string, orderId: string): Promise<OrderRow> => {
  const [row] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.tenantId, tenantId), eq(orders.id, orderId)))
    .for('update');
  if (!row) throw notFound('订单', 'ORDER_NOT_FOUND');
  return row;
};

export const findOrder = async (tx: Executor, tenantId: string, orderId: string): Promise<OrderRow> => {
  const [row] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.tenantId, tenantId), eq(orders.id, orderId)));
  if (!row) throw notFound('订单', 'ORDER_NOT_FOUND');
  return row;
};

const checkAttribution = async (tx: Executor, ctx: Ctx, shares: readonly AttributionShare[], path: string) => {
  const problem = attributionProblem(shares);
  if (problem) throw new DomainError('invalid', 'ATTRIBUTION_INVALID', problem, [{ path, message: problem }]);
  for (const [index, share] of shares.entries()) {
    if (!(await staffExists(tx, ctx.tenantId, share.staffId))) {
      throw new DomainError('rule', 'STAFF_NOT_FOUND', '业绩归属的员工不存在', [{ path: `${path}.${index}.staffId`, message: '员工不存在' }]);
    }
  }
};

/** The desk's lines against the catalogue: active items of this tenant, price and manual discount checked. */
export const resolveOrderLines = async (tx: Executor, ctx: Ctx, input: OpenOrderRequest['lines']): Promise<LineToPrice[]> => {
  const found = await itemsByIds(
    tx,
    ctx.tenantId,
    input.map((line) => line.itemId),
  );
  return input.map((line, index) => {
    const item = found.find((row) => row.id === line.itemId);
    // Another tenant's item is simply not found here.
    if (!item) throw new DomainError('rule', 'ITEM_NOT_FOUND', '品项不存在', [{ path: `body.lines.${index}.itemId`, message: '品项不存在' }]);
    if (!item.isActive)
      throw new DomainError('rule', 'ITEM_INACTIVE', `「${item.name}」已停用`, [{ path: `body.lines.${index}.itemId`, message: '品项已停用' }]);
    const unitPriceFen = line.unitPriceFen ?? item.priceFen;
    const manualDiscountFen = line.discountFen ?? 0;
    if (manualDiscountFen > unitPriceFen * line.quantity) {
      throw new DomainError('rule', 'DISCOUNT_TOO_LARGE', `「${item.name}」的优惠不能超过金额`, [
        { path: `body.lines.${index}.discountFen`, message: '优惠超过金额' },
      ]);
    }
    return { id: newId(), item, unitPriceFen, quantity: line.quantity, manualDiscountFen };
  });
};

/** 开单: an order that waits in the unpaid queue, or, with `payments`, is checked out at once. */
export const openOrder = async (tx: Executor, ctx: Ctx, input: OpenOrderRequest) => {
  assertStoreAccess(ctx, input.storeId);
  if (!(await storeExists(tx, ctx.tenantId, input.storeId)))
    throw new DomainError('rule', 'STORE_NOT_FOUND', '门店不存在', [{ path: 'body.storeId', message: '门店不存在' }]);
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
  const totalFen = pricing.totals.payableFen;
  if (input.expectedTotalFen !== undefined && input.expectedTotalFen !== totalFen) {
    throw new DomainError('conflict', 'PRICE_CHANGED', `价格已变化，请重新确认：本单应付 ¥${(totalFen / 100).toFixed(2)}`, [
      { path: 'body.expectedTotalFen', message: `现应付 ¥${(totalFen / 100).toFixed(2)}` },
    ]);
  }
  const priced = new Map(pricing.lines.map((line) => [line.lineId, line]));
  const lines = resolved.map((line, index) => {
    const amountFen = priced.get(line.id)?.finalFen ?? line.unitPriceFen * line.quantity - line.manualDiscountFen;
    const gross = line.unitPriceFen * line.quantity;
    return { ...line, discountFen: gross - amountFen, amountFen, attribution: input.lines[index]?.attribution ?? [] };
  });
  const visit = await findDayVisit(tx, ctx.tenantId, input.customerId, ctx.today);
  const order = {
    tenantId: ctx.tenantId,
    id: newId(),
    number: await nextOrderNumber(tx, ctx.tenantId, ctx.today),
    storeId: input.storeId,
    customerId: input.customerId,
    orderType,
    status: 'open',
    totalFen: sum(lines.map((line) => line.amountFen)),
    pricing: { totals: pricing.totals, explanation: pricing.explanation, vouchers: pricing.vouchers.applied, cards: pricing.cards.applied },
    businessDate: ctx.today,
    visitId: visit?.id ?? null,
    visitType: visit?.visitType ?? 'not_visited',
    openedBy: ctx.actor.type === 'staff' ? ctx.actor.id : null,
    notes: input.notes ?? null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await tx.insert(orders).values(order);
  await tx.insert(orderLines).values(
    lines.map((line, index) => ({
      tenantId: ctx.tenantId,
      id: line.id,
      orderId: order.id,
      lineNo: index + 1,
      itemId: line.item.id,
      kind: line.item.kind,
      name: line.item.name,
      unitPriceFen: line.unitPriceFen,
      quantity: line.quantity,
      discountFen: line.discountFen,
      amountFen: line.amountFen,
      attribution: line.attribution,
    })),
  );
  await recordPricingUses(tx, ctx, { orderId: order.id, customerId: input.customerId, result: pricing });
  await useVouchersForOrder(tx, ctx, {
    orderId: order.id,
    storeId: order.storeId,
    uses: pricing.vouchers.applied.flatMap((applied) => {
      const voucherId = parseWalletPricingId(applied.voucherId);
      return voucherId ? [{ voucherId, amountFen: applied.amountFen, lineIds: applied.lineIds }] : [];
    }),
  });
  await writeAudit(tx, ctx.actor, { action: 'order.open', entityType: 'order', entityId: order.id, after: { ...order, lines: input.lines } });
  if (input.payments) await checkoutOrder(tx, ctx, order.id, input.payments);
  return order.id;
};

/** Records payments and earns their points in the same transaction. */
const recordPayments = async (tx: Executor, ctx: Ctx, order: OrderRow, list: readonly PaymentInput[]) => {
  if (list.length === 0) return;
  const rows = list.map((payment) => ({
    tenantId: ctx.tenantId,
    id: newId(),
    orderId: order.id,
    storeId: order.storeId,
    customerId: order.customerId,
    kind: 'payment',
    method: payment.method,
    amountFen: payment.amountFen,
    cashierId: ctx.actor.type === 'staff' ? ctx.actor.id : null,
    businessDate: ctx.today,
    createdAt: ctx.now,
  }));
  await tx.insert(payments).values(rows);
  const lines = await tx
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.tenantId, ctx.tenantId), eq(orderLines.orderId, order.id)));
  for (const row of rows) {
    if (row.method === 'stored_value') {
      // 储值支付 moves prepaid money already counted when it was topped up: it earns no points by default (pointsPerYuan has no stored_value).
      await spendForPayment(tx, ctx, { orderId: order.id, customerId: order.customerId, paymentId: row.id, amountFen: row.amountFen });
      await earnForOrderPayments(tx, ctx, { orderId: order.id, customerId: order.customerId, paymentId: row.id, payment: row, lines });
    } else if (row.method === 'points') {
      await redeemForPayment(tx, ctx, {
        orderId: order.id,
        customerId: order.customerId,
        paymentId: row.id,
        amountFen: row.amountFen,
        check: await redemptionContext(tx, ctx, order, lines, row.id),
      });
    } else {
      await earnForOrderPayments(tx, ctx, { orderId: order.id, customerId: order.customerId, paymentId: row.id, payment: row, lines });
    }
  }
  await applyOrderFacts(tx, ctx, { orderId: order.id });
  // 会员等级, after the growth these payments earned, in the same transaction.
  await evaluateTier(tx, ctx, order.customerId, { kind: 'order_payment', orderId: order.id });
};

/** What the points-for-cash rules weigh: the order's lines and due, and the customer's month so far. */
const redemptionContext = async (tx: Executor, ctx: Ctx, order: OrderRow, lines: (typeof orderLines.$inferSelect)[], paymentId: string) => {
  const items = new Map(
    (
      await itemsByIds(
        tx,
        ctx.tenantId,
        lines.map((line) => line.itemId),
      )
    ).map((item) => [item.id, item]),
  );
  const month = await monthOfPoints(tx, ctx, order.customerId, paymentId);
  const [onOrder] = await queryRows<{ points: number }>(
    tx,
    sql`select coalesce(sum(p.amount_fen), 0)::bigint as points from ${payments} p
        where p.tenant_id = ${ctx.tenantId} and p.order_id = ${order.id} and p.method = 'points' and p.id <> ${paymentId}`,
  );
  return {
    orderDueFen: dueOf(order),
    lines: lines.map((line) => ({ kind: line.kind, categoryId: items.get(line.itemId)?.categoryId ?? null, amountFen: line.amountFen - line.refundedFen })),
    alreadyOnOrderFen: Number(onOrder?.points ?? 0),
    monthRedeemedFen: month.redeemedFen,
    monthConsumptionFen: month.consumptionFen,
  };
};

const tooMuch = (dueFen: number, payingFen: number) =>
  new DomainError('rule', 'PAYMENT_EXCEEDS_DUE', `收款 ¥${(payingFen / 100).toFixed(2)} 超过应收 ¥${(dueFen / 100).toFixed(2)}`, [
    { path: 'body.payments', message: '超过应收金额' },
  ]);

/** 收银: places an open order, takes payments (the rest becomes arrears), decides 成交, creates courses. */
export const checkoutOrder = async (tx: Executor, ctx: Ctx, orderId: string, list: readonly PaymentInput[]) => {
  const peek = await findOrder(tx, ctx.tenantId, orderId);
  await getCustomerRow(tx, ctx.tenantId, peek.customerId, { forUpdate: true });
  const order = await lockOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, order.storeId);
  if (order.status !== 'open') throw new DomainError('conflict', 'ORDER_NOT_OPEN', order.status === 'placed' ? '订单已收银' : '订单已作废');
  const paying = sum(list.map((payment) => payment.amountFen));
  if (paying > order.totalFen) throw tooMuch(order.totalFen, paying);
  const lines = await tx
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.tenantId, ctx.tenantId), eq(orderLines.orderId, orderId)));
  const rules = await getSetting(tx, ctx.tenantId, dealRulesSetting);
  const decision = decideDeal({ orderType: order.orderType, lines: lines.map((line) => ({ kind: line.kind as LineKind, amountFen: line.amountFen })) }, rules);
  // The visit of the day may have been registered after the order was opened.
  const visit = order.visitId ? undefined : await findDayVisit(tx, ctx.tenantId, order.customerId, order.businessDate);
  await tx
    .update(orders)
    .set({
      status: 'placed',
      paidFen: paying,
      isDeal: decision.isDeal,
      dealReasons: decision.reasons,
      placedBy: ctx.actor.type === 'staff' ? ctx.actor.id : null,
      placedAt: ctx.now,
      updatedAt: ctx.now,
      ...(visit ? { visitId: visit.id, visitType: visit.visitType } : {}),
    })
    .where(and(eq(orders.tenantId, ctx.tenantId), eq(orders.id, orderId)));
  // 转介绍: a referred customer's first deal rewards both sides, before the payments, so her
  // reward points can pay for this very order.
  await rewardFirstDeal(tx, ctx, { orderId, customerId: order.customerId, isDeal: decision.isDeal });
  await recordPayments(tx, ctx, order, list);
  const credits = lines.flatMap((line) =>
    splitAttribution(line.amountFen, line.attribution as AttributionShare[]).map((share) => ({
      tenantId: ctx.tenantId,
      id: newId(),
      sourceType: 'order_line',
      sourceId: line.id,
      orderId,
      storeId: order.storeId,
      staffId: share.staffId,
      role: share.role,
      ratioBasisPoints: Math.round(share.ratioPercent * 100),
      amountFen: share.amountFen,
      businessDate: ctx.today,
    })),
  );
  if (credits.length > 0) await tx.insert(performanceCredits).values(credits);
  await createCourses(tx, ctx, order, lines);
  // 卡项: membership cards issued, stored value topped up, in this transaction.
  await applyCardLines(tx, ctx, order, lines, list);
  await applyOrderFacts(tx, ctx, { orderId });
  await refreshConsumptionTags(tx, ctx, order.customerId);
  await writeAudit(tx, ctx.actor, {
    action: 'order.checkout',
    entityType: 'order',
    entityId: orderId,
    before: { status: 'open' },
    after: { status: 'placed', payments: list, isDeal: decision.isDeal, dealReasons: decision.reasons },
  });
};

/** 补缴欠费: further payments on a placed order, never more than its arrears. */
export const payArrears = async (tx: Executor, ctx: Ctx, orderId: string, list: readonly PaymentInput[]) => {
  if (list.length === 0) throw new DomainError('invalid', 'PAYMENTS_REQUIRED', '请填写收款', [{ path: 'body.payments', message: '必填' }]);
  const peek = await findOrder(tx, ctx.tenantId, orderId);
  await getCustomerRow(tx, ctx.tenantId, peek.customerId, { forUpdate: true });
  const order = await lockOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, order.storeId);
  if (order.status !== 'placed') throw new DomainError('conflict', 'ORDER_NOT_PLACED', order.status === 'open' ? '订单尚未收银，请先收银' : '订单已作废');
  const arrears = arrearsOf(order);
  const paying = sum(list.map((payment) => payment.amountFen));
  if (arrears === 0) throw new DomainError('rule', 'ORDER_NO_ARREARS', '该订单没有欠费');
  if (paying > arrears) throw tooMuch(arrears, paying);
  await recordPayments(tx, ctx, order, list);
  await tx
    .update(orders)
    .set({ paidFen: order.paidFen + paying, updatedAt: ctx.now })
    .where(and(eq(orders.tenantId, ctx.tenantId), eq(orders.id, orderId)));
  await refreshConsumptionTags(tx, ctx, order.customerId);
  await writeAudit(tx, ctx.actor, {
    action: 'order.pay',
    entityType: 'order',
    entityId: orderId,
    before: { paidFen: order.paidFen },
    after: { paidFen: order.paidFen + paying, payments: list },
  });
};

export const voidOrder = async (tx: Executor, ctx: Ctx, orderId: string, reason: string) => {
  const order = await lockOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, order.storeId);
  if (order.status !== 'open') throw new DomainError('conflict', 'ORDER_NOT_OPEN', '只能作废未收银的订单；已收银的订单请退款或撤销收款');
  await tx
    .update(orders)
    .set({ status: 'voided', voidedAt: ctx.now, voidReason: reason, updatedAt: ctx.now })
    .where(and(eq(orders.tenantId, ctx.tenantId), eq(orders.id, orderId)));
  // The card discounts, card vouchers and wallet vouchers it took are given back.
  await reverseCardUsesOfOrder(tx, ctx, { orderId });
  await restoreVouchersOfOrder(tx, ctx, { orderId, cause: 'void' });
  await applyOrderFacts(tx, ctx, { orderId });
  await writeAudit(tx, ctx.actor, {
    action: 'order.void',
    entityType: 'order',
    entityId: orderId,
    before: { status: 'open' },
    after: { status: 'voided', reason },
  });
};

/** 撤销收款: a wrong charge is undone by a reversal entry naming it; arrears come back. */
export const reversePayment = async (tx: Executor, ctx: Ctx, paymentId: string, input: { reasonCode: string; note?: string | null }) => {
  const [payment] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.tenantId, ctx.tenantId), eq(payments.id, paymentId)));
  if (!payment) throw notFound('收款记录', 'PAYMENT_NOT_FOUND');
  if (payment.kind !== 'payment') throw new DomainError('rule', 'PAYMENT_NOT_REVERSIBLE', '只能撤销收款记录');
  assertStoreAccess(ctx, payment.storeId);
  await getCustomerRow(tx, ctx.tenantId, payment.customerId, { forUpdate: true });
  const order = await lockOrder(tx, ctx.tenantId, payment.orderId);
  const [already] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.tenantId, ctx.tenantId), eq(payments.reversesId, paymentId)));
  if (already) throw new DomainError('conflict', 'PAYMENT_ALREADY_REVERSED', '该收款已撤销');
  if (order.paidFen < payment.amountFen) throw new DomainError('rule', 'PAYMENT_REFUNDED', '该订单已退款，收款不能再撤销，请走退款流程');
  await assertPaymentReversible(tx, ctx, order.id);
  const reversal = {
    tenantId: ctx.tenantId,
    id: newId(),
    orderId: order.id,
    storeId: order.storeId,
    customerId: order.customerId,
    kind: 'reversal',
    method: payment.method,
    amountFen: -payment.amountFen,
    reversesId: payment.id,
    reasonCode: input.reasonCode,
    note: input.note ?? null,
    cashierId: ctx.actor.type === 'staff' ? ctx.actor.id : null,
    businessDate: ctx.today,
    createdAt: ctx.now,
  };
  await tx.insert(payments).values(reversal);
  if (payment.method === 'points') await restorePointsForPayment(tx, ctx, { orderId: order.id, paymentId: payment.id });
  else await reversePointsForPayment(tx, ctx, { orderId: order.id, paymentId: payment.id });
  if (payment.method === 'stored_value') await restoreForPayment(tx, ctx, { orderId: order.id, paymentId: payment.id });
  await tx
    .update(orders)
    .set({ paidFen: order.paidFen - payment.amountFen, updatedAt: ctx.now })
    .where(and(eq(orders.tenantId, ctx.tenantId), eq(orders.id, order.id)));
  await applyOrderFacts(tx, ctx, { orderId: order.id });
  await evaluateTier(tx, ctx, order.customerId, { kind: 'payment_reversal', orderId: order.id, paymentId: payment.id });
  await refreshConsumptionTags(tx, ctx, order.customerId);
  await writeAudit(tx, ctx.actor, { action: 'payment.reverse', entityType: 'payment', entityId: paymentId, before: payment, after: reversal });
  return { reversalId: reversal.id, orderId: order.id };
};

/** Links the day's orders that were opened before the customer's arrival to her visit (seed 003, scenario 1). */
export const linkOrdersToVisit = async (tx: Executor, tenantId: string, customerId: string, visit: { id: string; visitType: string; businessDate: string }) => {
  await tx
    .update(orders)
    .set({ visitId: visit.id, visitType: visit.visitType })
    .where(and(eq(orders.tenantId, tenantId), eq(orders.customerId, customerId), eq(orders.businessDate, visit.businessDate), isNull(orders.visitId)));
};

/** Keeps the day's orders in step when staff override the day's visit type. */
export const retypeVisitOrders = async (tx: Executor, tenantId: string, visitIds: string[], visitType: string) => {
  if (visitIds.length === 0) return;
  await tx
    .update(orders)
    .set({ visitType, updatedAt: sql`now()` })
    .where(and(eq(orders.tenantId, tenantId), inArray(orders.visitId, visitIds)));
};
