import type { Order, OrderLine, PaymentMethod } from '../../shared/api-models';
import { isPaymentMethod } from '../payments/payment-methods';

/** Package and card lines are courses: a refund returns every unused session, valued by the server. */
export const isCourseLine = (line: Pick<OrderLine, 'kind'>) => line.kind === 'package' || line.kind === 'card';

export const unitsLeft = (line: Pick<OrderLine, 'quantity' | 'refundedQuantity'>) => line.quantity - line.refundedQuantity;

/**
 * The value of `count` units of a line as the server counts it: the amount split evenly over the
 * units by largest remainder (earlier units take the extra fen), taken from the last unrefunded units.
 */
export const unitsValue = (line: Pick<OrderLine, 'amountFen' | 'quantity' | 'refundedQuantity'>, count: number): number => {
  if (line.quantity <= 0 || count <= 0) return 0;
  const base = Math.floor(line.amountFen / line.quantity);
  const extra = line.amountFen - base * line.quantity;
  const end = line.quantity - line.refundedQuantity;
  let total = 0;
  for (let unit = Math.max(0, end - count); unit < end; unit += 1) total += base + (unit < extra ? 1 : 0);
  return total;
};

/** What the order holds per method now (payments less refunds and reversals): payouts go back the same way. */
export const netPaidByMethod = (order: Pick<Order, 'payments'>): { method: PaymentMethod; amountFen: number }[] => {
  const totals = new Map<PaymentMethod, number>();
  for (const payment of order.payments) {
    if (!isPaymentMethod(payment.method)) continue;
    totals.set(payment.method, (totals.get(payment.method) ?? 0) + payment.amountFen);
  }
  return [...totals].filter(([, amountFen]) => amountFen > 0).map(([method, amountFen]) => ({ method, amountFen }));
};
