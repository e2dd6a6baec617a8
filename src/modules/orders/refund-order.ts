import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { assertStoreAccess, type Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { allocate } from '../../platform/money.js';
import { getCustomerRow } from '../customers/index.js';
import { type AttributionShare, splitAttribution } from './attribution.js';
import { remainingOf, valueOfSessions } from './courses.js';
import { dueOf, findOrder, lockOrder } from './place-order.js';
import type { RefundRequest } from './schemas.js';
import { assertDayOpen } from './shift-close.js';
import { courseItems, courses, orderLines, orders, payments, performanceCredits, refunds } from './tables.js';

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The value of `count` units of a line, taken from its last unrefunded units (largest remainder per unit). */
export const unitsValue = (line: { amountFen: number; quantity: number; refundedQuantity: number }, count: number) => {
  const units = allocate(
    line.amountFen,
    Array.from({ length: line.quantity }, () => 1),
  );
  const end = line.quantity - line.refundedQuantity;
  return sum(units.slice(end - count, end));
};

type OrderLineRow = typeof orderLines.$inferSelect;
type OrderRow = Awaited<ReturnType<typeof lockOrder>>;

/** The order to refund and the lines asked for, with her record and the order locked; nothing written yet. */
export type RefundTarget = { order: OrderRow; requested: { line: OrderLineRow; quantity?: number; path: string }[] };

export const lockOrderForRefund = async (tx: Executor, ctx: Ctx, orderId: string, input: RefundRequest): Promise<RefundTarget> => {
  const peek = await findOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, peek.storeId);
  await assertDayOpen(tx, ctx, peek.storeId, { allowClosedStore: true });
  await getCustomerRow(tx, ctx.tenantId, peek.customerId, { forUpdate: true });
  const order = await lockOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, order.storeId);
  if (order.status !== 'placed') throw new DomainError('conflict', 'ORDER_NOT_PLACED', '只能对已收银的订单退款');
  const lineIds = input.lines.map((line) => line.lineId);
  if (new Set(lineIds).size !== lineIds.length)
    throw new DomainError('invalid', 'REFUND_LINE_DUPLICATE', '同一品项只能出现一次', [{ path: 'body.lines', message: '品项重复' }]);
  const lines = await tx
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.tenantId, ctx.tenantId), eq(orderLines.orderId, orderId)));
  const requested = input.lines.map((request, index) => {
    const path = `body.lines.${index}`;
    const line = lines.find((row) => row.id === request.lineId);
    if (!line) throw new DomainError('rule', 'ORDER_LINE_NOT_FOUND', '订单中没有这个品项', [{ path: `${path}.lineId`, message: '不属于该订单' }]);
    return { line, quantity: request.quantity, path };
  });
  return { order, requested };
};

export type RefundOutcome = {
  refundId: string;
  customerId: string;
  refundFen: number;
  /** The order is refunded in full with this refund. */
  isComplete: boolean;
  /** Lines this refund returned in full: the card benefits they used come back. */
  linesReturnedNow: string[];
  /** Every line of the order now refunded in full: wallet vouchers whose lines are all here come back. */
  linesRefundedInFull: string[];
  pointsPayoutFen: number;
  storedValuePayoutFen: number;
};

/**
 * 退款: returns lines (units of goods and services, every unused session of a course, or what
 * cards returned for card lines) and pays money back. The payout can be no more than the value
 * returned or than was paid, by method; and no less than what was paid beyond the new amount due.
 * Writes the refund, its payouts, the line counters, the reversed sales credits and the order's totals.
 */
export const refundOrderLines = async (
  tx: Executor,
  ctx: Ctx,
  { order, requested }: RefundTarget,
  input: RefundRequest,
  cardRefunds: ReadonlyMap<string, { amountFen: number }>,
): Promise<RefundOutcome> => {
  const orderId = order.id;
  const returned: { line: OrderLineRow; quantity: number; amountFen: number; sessions?: number }[] = [];
  for (const { line, quantity: requestedQuantity, path } of requested) {
    const cardRefund = cardRefunds.get(line.id);
    if (cardRefund) {
      returned.push({ line, quantity: 0, amountFen: cardRefund.amountFen });
    } else if (line.kind === 'package' || line.kind === 'card') {
      const [course] = await tx
        .select()
        .from(courses)
        .where(and(eq(courses.tenantId, ctx.tenantId), eq(courses.orderLineId, line.id)));
      const items = course
        ? await tx
            .select()
            .from(courseItems)
            .where(and(eq(courseItems.tenantId, ctx.tenantId), eq(courseItems.courseId, course.id)))
            .for('update')
        : [];
      const sessions = sum(items.map(remainingOf));
      if (sessions === 0) throw new DomainError('rule', 'NOTHING_TO_REFUND', `「${line.name}」没有可退的剩余次数`, [{ path, message: '没有剩余次数' }]);
      let amountFen = 0;
      for (const item of items) {
        const remaining = remainingOf(item);
        if (remaining === 0) continue;
        amountFen += valueOfSessions(item, item.usedSessions, remaining);
        await tx
          .update(courseItems)
          .set({ refundedSessions: item.refundedSessions + remaining })
          .where(and(eq(courseItems.tenantId, ctx.tenantId), eq(courseItems.id, item.id)));
      }
      returned.push({ line, quantity: 0, amountFen, sessions });
    } else {
      const left = line.quantity - line.refundedQuantity;
      const quantity = requestedQuantity ?? left;
      if (left === 0) throw new DomainError('rule', 'NOTHING_TO_REFUND', `「${line.name}」已全部退款`, [{ path, message: '已全部退款' }]);
      if (quantity > left)
        throw new DomainError('rule', 'REFUND_QUANTITY_EXCEEDED', `「${line.name}」最多可退 ${left} 件`, [
          { path: `${path}.quantity`, message: `最多 ${left}` },
        ]);
      returned.push({ line, quantity, amountFen: unitsValue(line, quantity) });
    }
  }
  const refundFen = sum(returned.map((entry) => entry.amountFen));
  const payoutFen = sum(input.payouts.map((payout) => payout.amountFen));
  const newDue = dueOf(order) - refundFen;
  const mustPayBack = Math.max(0, order.paidFen - newDue);
  if (payoutFen > refundFen)
    throw new DomainError('rule', 'REFUND_EXCEEDS_VALUE', `退款 ${yuan(payoutFen)} 超过所退品项的金额 ${yuan(refundFen)}`, [
      { path: 'body.payouts', message: '超过可退金额' },
    ]);
  if (payoutFen > order.paidFen)
    throw new DomainError('rule', 'REFUND_EXCEEDS_PAID', `退款 ${yuan(payoutFen)} 超过已收金额 ${yuan(order.paidFen)}`, [
      { path: 'body.payouts', message: '超过已收金额' },
    ]);
  if (payoutFen < mustPayBack) {
    throw new DomainError('rule', 'REFUND_PAYOUT_TOO_SMALL', `退货后应收 ${yuan(newDue)}，已收 ${yuan(order.paidFen)}，须退还至少 ${yuan(mustPayBack)}`, [
      { path: 'body.payouts', message: `至少 ${yuan(mustPayBack)}` },
    ]);
  }
  const byMethod = await tx
    .select({ method: payments.method, netFen: sql<number>`sum(${payments.amountFen})::bigint` })
    .from(payments)
    .where(and(eq(payments.tenantId, ctx.tenantId), eq(payments.orderId, orderId)))
    .groupBy(payments.method);
  for (const [index, payout] of input.payouts.entries()) {
    const paidByMethod = Number(byMethod.find((row) => row.method === payout.method)?.netFen ?? 0);
    const requested = sum(input.payouts.filter((other) => other.method === payout.method).map((other) => other.amountFen));
    if (requested > paidByMethod) {
      throw new DomainError('rule', 'REFUND_EXCEEDS_METHOD', `原路退回：该订单通过此方式只收了 ${yuan(paidByMethod)}`, [
        { path: `body.payouts.${index}.amountFen`, message: `最多 ${yuan(paidByMethod)}` },
      ]);
    }
  }

  const refundId = newId();
  await tx.insert(refunds).values({
    tenantId: ctx.tenantId,
    id: refundId,
    orderId,
    amountFen: refundFen,
    payoutFen,
    lines: returned.map((entry) => ({
      lineId: entry.line.id,
      quantity: entry.quantity,
      amountFen: entry.amountFen,
      ...(entry.sessions ? { sessions: entry.sessions } : {}),
    })),
    reasonCode: input.reasonCode,
    note: input.note ?? null,
    createdBy: ctx.actor.id,
    businessDate: ctx.today,
    createdAt: ctx.now,
  });
  if (input.payouts.length > 0) {
    await tx.insert(payments).values(
      input.payouts.map((payout) => ({
        tenantId: ctx.tenantId,
        id: newId(),
        orderId,
        storeId: order.storeId,
        customerId: order.customerId,
        kind: 'refund',
        method: payout.method,
        amountFen: -payout.amountFen,
        refundId,
        reasonCode: input.reasonCode,
        note: input.note ?? null,
        cashierId: ctx.actor.type === 'staff' ? ctx.actor.id : null,
        businessDate: ctx.today,
        createdAt: ctx.now,
      })),
    );
  }
  for (const entry of returned) {
    await tx
      .update(orderLines)
      .set({ refundedQuantity: entry.line.refundedQuantity + entry.quantity, refundedFen: entry.line.refundedFen + entry.amountFen })
      .where(and(eq(orderLines.tenantId, ctx.tenantId), eq(orderLines.id, entry.line.id)));
    const shares = splitAttribution(-entry.amountFen, entry.line.attribution as AttributionShare[]);
    if (shares.length > 0 && entry.amountFen > 0) {
      await tx.insert(performanceCredits).values(
        shares.map((share) => ({
          tenantId: ctx.tenantId,
          id: newId(),
          sourceType: 'refund',
          sourceId: refundId,
          orderId,
          storeId: order.storeId,
          staffId: share.staffId,
          role: share.role,
          ratioBasisPoints: Math.round(share.ratioPercent * 100),
          amountFen: share.amountFen,
          businessDate: ctx.today,
        })),
      );
    }
  }
  await tx
    .update(orders)
    .set({ refundedFen: order.refundedFen + refundFen, paidFen: order.paidFen - payoutFen, updatedAt: ctx.now })
    .where(and(eq(orders.tenantId, ctx.tenantId), eq(orders.id, orderId)));
  await writeAudit(tx, ctx.actor, {
    action: 'order.refund',
    entityType: 'order',
    entityId: orderId,
    before: { refundedFen: order.refundedFen, paidFen: order.paidFen },
    after: { refundedFen: order.refundedFen + refundFen, paidFen: order.paidFen - payoutFen, refundId, reasonCode: input.reasonCode },
  });
  const payoutOf = (method: string) => sum(input.payouts.filter((payout) => payout.method === method).map((payout) => payout.amountFen));
  const linesReturnedNow = returned.filter((entry) => entry.line.refundedQuantity + entry.quantity >= entry.line.quantity).map((entry) => entry.line.id);
  const linesRefundedInFull = (
    await tx
      .select({ id: orderLines.id, quantity: orderLines.quantity, refundedQuantity: orderLines.refundedQuantity })
      .from(orderLines)
      .where(and(eq(orderLines.tenantId, ctx.tenantId), eq(orderLines.orderId, orderId)))
  )
    .filter((line) => line.refundedQuantity >= line.quantity)
    .map((line) => line.id);
  return {
    refundId,
    customerId: order.customerId,
    refundFen,
    isComplete: order.refundedFen + refundFen >= order.totalFen,
    linesReturnedNow,
    linesRefundedInFull: [...new Set([...linesRefundedInFull, ...linesReturnedNow])],
    pointsPayoutFen: payoutOf('points'),
    storedValuePayoutFen: payoutOf('stored_value'),
  };
};
