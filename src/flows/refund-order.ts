import type { Executor } from '../db/client.js';
import { recordTopUpRefundForTier } from '../modules/membership/index.js';
import { type RefundRequest, refundOrderLines } from '../modules/orders/index.js';
import type { Ctx } from '../platform/context.js';
import { afterValueChange } from './after-value-change.js';
import { openFlowScope } from './checkout.js';

/**
 * 退款, in one transaction: the lines come back (card lines, course sessions, units; the line
 * counters move first, then the vouchers are restored, then the payouts, points and referral
 * rewards — the orders module keeps that order), then the tier and tags once.
 */
export const refundOrder = async (tx: Executor, ctx: Ctx, orderId: string, input: RefundRequest) => {
  await openFlowScope(tx, ctx);
  const { refundId, customerId, refundedTopUpIds } = await refundOrderLines(tx, ctx, orderId, input);
  // A refunded top-up no longer counts for the tier: recorded before the tier is weighed.
  for (const topUpId of refundedTopUpIds) await recordTopUpRefundForTier(tx, ctx, topUpId);
  await afterValueChange(tx, ctx, { customerId, cause: { kind: 'refund', orderId, refundId } });
  return refundId;
};
