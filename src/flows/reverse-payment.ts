import type { Executor } from '../db/client.js';
import { assertPaymentReversible, restoreForPayment } from '../modules/cards/index.js';
import { getCustomerRow } from '../modules/customers/index.js';
import { assertDayOpen, getPayment, insertReversal, isPaymentReversed, lockOrder, setPaid } from '../modules/orders/index.js';
import { restorePointsForPayment, reversePointsForPayment } from '../modules/points/index.js';
import { writeAudit } from '../platform/audit.js';
import { assertStoreAccess, type Ctx } from '../platform/context.js';
import { DomainError } from '../platform/errors.js';
import { afterValueChange } from './after-value-change.js';
import { openFlowScope } from './checkout.js';

/** 撤销收款: a wrong charge is undone by a reversal entry naming it; arrears come back. */
export const reversePayment = async (tx: Executor, ctx: Ctx, paymentId: string, input: { reasonCode: string; note?: string | null }) => {
  await openFlowScope(tx, ctx);
  const payment = await getPayment(tx, ctx.tenantId, paymentId);
  if (payment.kind !== 'payment') throw new DomainError('rule', 'PAYMENT_NOT_REVERSIBLE', '只能撤销收款记录');
  assertStoreAccess(ctx, payment.storeId);
  // Locks: the store's row in share mode (today not closed), the customer's row, then the order's.
  await assertDayOpen(tx, ctx, payment.storeId, { allowClosedStore: true });
  await getCustomerRow(tx, ctx.tenantId, payment.customerId, { forUpdate: true });
  const order = await lockOrder(tx, ctx.tenantId, payment.orderId);
  if (await isPaymentReversed(tx, ctx.tenantId, paymentId)) throw new DomainError('conflict', 'PAYMENT_ALREADY_REVERSED', '该收款已撤销');
  if (order.paidFen < payment.amountFen) throw new DomainError('rule', 'PAYMENT_REFUNDED', '该订单已退款，收款不能再撤销，请走退款流程');
  await assertPaymentReversible(tx, ctx, order.id);
  // 1. The reversal entry; 2. the ledgers the payment moved; 3. the order's paid amount; 4. tier and tags.
  const reversal = await insertReversal(tx, ctx, order, payment, input);
  if (payment.method === 'points') await restorePointsForPayment(tx, ctx, { orderId: order.id, paymentId: payment.id });
  else await reversePointsForPayment(tx, ctx, { orderId: order.id, paymentId: payment.id });
  if (payment.method === 'stored_value') await restoreForPayment(tx, ctx, { orderId: order.id, paymentId: payment.id });
  await setPaid(tx, ctx, order.id, order.paidFen - payment.amountFen);
  await afterValueChange(tx, ctx, {
    customerId: order.customerId,
    orderId: order.id,
    cause: { kind: 'payment_reversal', orderId: order.id, paymentId: payment.id },
  });
  await writeAudit(tx, ctx.actor, { action: 'payment.reverse', entityType: 'payment', entityId: paymentId, before: payment, after: reversal });
  return { reversalId: reversal.id, orderId: order.id };
};
