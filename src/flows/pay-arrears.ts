import type { Executor } from '../db/client.js';
import { getCustomerRow } from '../modules/customers/index.js';
import { arrearsOf, assertDayOpen, findOrder, linesOfOrder, lockOrder, type PaymentInput, setPaid, tooMuch } from '../modules/orders/index.js';
import { writeAudit } from '../platform/audit.js';
import { assertStoreAccess, type Ctx } from '../platform/context.js';
import { DomainError } from '../platform/errors.js';
import { afterValueChange } from './after-value-change.js';
import { collectPayments, openFlowScope } from './checkout.js';

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** 补缴欠费: further payments on a placed order, never more than its arrears. */
export const payArrears = async (tx: Executor, ctx: Ctx, orderId: string, list: readonly PaymentInput[]) => {
  if (list.length === 0) throw new DomainError('invalid', 'PAYMENTS_REQUIRED', '请填写收款', [{ path: 'body.payments', message: '必填' }]);
  await openFlowScope(tx, ctx);
  // Locks: the customer's row, then the order's.
  const peek = await findOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, peek.storeId);
  await assertDayOpen(tx, ctx, peek.storeId, { allowClosedStore: true });
  await getCustomerRow(tx, ctx.tenantId, peek.customerId, { forUpdate: true });
  const order = await lockOrder(tx, ctx.tenantId, orderId);
  assertStoreAccess(ctx, order.storeId);
  if (order.status !== 'placed') throw new DomainError('conflict', 'ORDER_NOT_PLACED', order.status === 'open' ? '订单尚未收银，请先收银' : '订单已作废');
  const arrears = arrearsOf(order);
  const paying = sum(list.map((payment) => payment.amountFen));
  if (arrears === 0) throw new DomainError('rule', 'ORDER_NO_ARREARS', '该订单没有欠费');
  if (paying > arrears) throw tooMuch(arrears, paying);
  // Payments with their ledgers, then the order's paid amount, then the tier and tags once.
  await collectPayments(tx, ctx, order, await linesOfOrder(tx, ctx.tenantId, orderId), list);
  await setPaid(tx, ctx, orderId, order.paidFen + paying);
  await afterValueChange(tx, ctx, { customerId: order.customerId, orderId, cause: { kind: 'order_payment', orderId } });
  await writeAudit(tx, ctx.actor, {
    action: 'order.pay',
    entityType: 'order',
    entityId: orderId,
    before: { paidFen: order.paidFen },
    after: { paidFen: order.paidFen + paying, payments: list },
  });
};
