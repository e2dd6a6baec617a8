import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { orderLines, orders, payments } from '../modules/orders/index.js';

/** What the demo script needs to pick a payment to reverse or a line to refund. */
export const paymentsOf = async (tx: Tx, tenantId: string, orderId: string) => {
  const paymentRows = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.tenantId, tenantId), eq(payments.orderId, orderId), eq(payments.kind, 'payment')));
  const lineRows = await tx
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.tenantId, tenantId), eq(orderLines.orderId, orderId)));
  const [order] = await tx
    .select({ paidFen: orders.paidFen })
    .from(orders)
    .where(and(eq(orders.tenantId, tenantId), eq(orders.id, orderId)));
  return { paymentRows, lineRows, paidFen: order?.paidFen ?? 0 };
};
