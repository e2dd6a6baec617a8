import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { itemsByIds } from '../catalog/index.js';
import { staffExists } from '../staff/index.js';
import { type AttributionShare, attributionProblem, splitAttribution } from './attribution.js';
import type { LineToPrice } from './pricing.js';
import type { OpenOrderRequest, PaymentMethod } from './schemas.js';
import { orderLines, orders, payments, performanceCredits } from './tables.js';

export type OrderRow = typeof orders.$inferSelect;
export type PaymentInput = { method: PaymentMethod; amountFen: number };

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

export const checkAttribution = async (tx: Executor, ctx: Ctx, shares: readonly AttributionShare[], path: string) => {
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

export type OrderLineRow = typeof orderLines.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;

export const tooMuch = (dueFen: number, payingFen: number) =>
  new DomainError('rule', 'PAYMENT_EXCEEDS_DUE', `收款 ¥${(payingFen / 100).toFixed(2)} 超过应收 ¥${(dueFen / 100).toFixed(2)}`, [
    { path: 'body.payments', message: '超过应收金额' },
  ]);

/** The order's lines, in line order. */
export const linesOfOrder = (tx: Executor, tenantId: string, orderId: string): Promise<OrderLineRow[]> =>
  tx
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.tenantId, tenantId), eq(orderLines.orderId, orderId)));

/** Writes a new order and its lines (two statements); returns the line rows as stored. */
export const insertOrder = async (
  tx: Executor,
  ctx: Ctx,
  order: typeof orders.$inferInsert & { id: string },
  lines: (LineToPrice & { discountFen: number; amountFen: number; attribution: readonly AttributionShare[] })[],
): Promise<OrderLineRow[]> => {
  await tx.insert(orders).values(order);
  const rows = lines.map((line, index) => ({
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
    refundedQuantity: 0,
    refundedFen: 0,
    attribution: [...line.attribution],
  }));
  await tx.insert(orderLines).values(rows);
  return rows;
};

/** 收银's decision on the order row: placed, paid so far, 成交 or not, the visit if one came since. */
export const markPlaced = async (
  tx: Executor,
  ctx: Ctx,
  orderId: string,
  input: { paidFen: number; isDeal: boolean; dealReasons: string[]; visit?: { id: string; visitType: string } | undefined },
) => {
  await tx
    .update(orders)
    .set({
      status: 'placed',
      paidFen: input.paidFen,
      isDeal: input.isDeal,
      dealReasons: input.dealReasons,
      placedBy: ctx.actor.type === 'staff' ? ctx.actor.id : null,
      placedAt: ctx.now,
      updatedAt: ctx.now,
      ...(input.visit ? { visitId: input.visit.id, visitType: input.visit.visitType } : {}),
    })
    .where(and(eq(orders.tenantId, ctx.tenantId), eq(orders.id, orderId)));
};

export const setPaid = async (tx: Executor, ctx: Ctx, orderId: string, paidFen: number) => {
  await tx
    .update(orders)
    .set({ paidFen, updatedAt: ctx.now })
    .where(and(eq(orders.tenantId, ctx.tenantId), eq(orders.id, orderId)));
};

export const markVoided = async (tx: Executor, ctx: Ctx, orderId: string, reason: string) => {
  await tx
    .update(orders)
    .set({ status: 'voided', voidedAt: ctx.now, voidReason: reason, updatedAt: ctx.now })
    .where(and(eq(orders.tenantId, ctx.tenantId), eq(orders.id, orderId)));
};

/** The payment rows of one collection (one statement); the ledger moves are the caller's next steps. */
export const insertPayments = async (
  tx: Executor,
  ctx: Ctx,
  order: Pick<OrderRow, 'id' | 'storeId' | 'customerId'>,
  list: readonly PaymentInput[],
): Promise<PaymentRow[]> => {
  if (list.length === 0) return [];
  const rows = list.map((payment) => ({
    tenantId: ctx.tenantId,
    id: newId(),
    orderId: order.id,
    storeId: order.storeId,
    customerId: order.customerId,
    kind: 'payment',
    method: payment.method,
    amountFen: payment.amountFen,
    reversesId: null,
    refundId: null,
    reasonCode: null,
    note: null,
    cashierId: ctx.actor.type === 'staff' ? ctx.actor.id : null,
    businessDate: ctx.today,
    createdAt: ctx.now,
  }));
  await tx.insert(payments).values(rows);
  return rows;
};

/** Points already paid on the order by other payments: what the points-for-cash rules weigh. */
export const pointsPaidOnOrder = async (tx: Executor, ctx: Ctx, orderId: string, exceptPaymentId: string): Promise<number> => {
  const [onOrder] = await queryRows<{ points: number }>(
    tx,
    sql`select coalesce(sum(p.amount_fen), 0)::bigint as points from ${payments} p
        where p.tenant_id = ${ctx.tenantId} and p.order_id = ${orderId} and p.method = 'points' and p.id <> ${exceptPaymentId}`,
  );
  return Number(onOrder?.points ?? 0);
};

/** 业绩: each line's amount split among the staff it is attributed to (one statement, none without attribution). */
export const creditPerformance = async (tx: Executor, ctx: Ctx, order: Pick<OrderRow, 'id' | 'storeId'>, lines: readonly OrderLineRow[]) => {
  const credits = lines.flatMap((line) =>
    splitAttribution(line.amountFen, line.attribution as AttributionShare[]).map((share) => ({
      tenantId: ctx.tenantId,
      id: newId(),
      sourceType: 'order_line',
      sourceId: line.id,
      orderId: order.id,
      storeId: order.storeId,
      staffId: share.staffId,
      role: share.role,
      ratioBasisPoints: Math.round(share.ratioPercent * 100),
      amountFen: share.amountFen,
      businessDate: ctx.today,
    })),
  );
  if (credits.length > 0) await tx.insert(performanceCredits).values(credits);
};

/** A payment by its id, for 撤销收款; 404 when it is not this tenant's. */
export const getPayment = async (tx: Executor, tenantId: string, paymentId: string): Promise<PaymentRow> => {
  const [payment] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.tenantId, tenantId), eq(payments.id, paymentId)));
  if (!payment) throw notFound('收款记录', 'PAYMENT_NOT_FOUND');
  return payment;
};

export const isPaymentReversed = async (tx: Executor, tenantId: string, paymentId: string): Promise<boolean> => {
  const [already] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.tenantId, tenantId), eq(payments.reversesId, paymentId)));
  return already !== undefined;
};

/** The reversal entry naming the payment it undoes. */
export const insertReversal = async (
  tx: Executor,
  ctx: Ctx,
  order: Pick<OrderRow, 'id' | 'storeId' | 'customerId'>,
  payment: PaymentRow,
  input: { reasonCode: string; note?: string | null },
) => {
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
  return reversal;
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
