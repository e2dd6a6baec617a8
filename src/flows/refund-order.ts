import type { Executor } from '../db/client.js';
import { refundCardLine, restoreForRefund, reverseCardUsesOfOrder } from '../modules/cards/index.js';
import { recordTopUpRefundForTier } from '../modules/membership/index.js';
import { lockOrderForRefund, type RefundRequest, refundOrderLines } from '../modules/orders/index.js';
import { restorePointsForRefund, reversePointsForRefund } from '../modules/points/index.js';
import { clawBackDealRewards } from '../modules/referrals/index.js';
import { restoreVouchersOfOrder } from '../modules/vouchers/index.js';
import type { Ctx } from '../platform/context.js';
import { afterValueChange } from './after-value-change.js';
import { openFlowScope } from './checkout.js';

/**
 * 退款: the checkout backwards, in one transaction and in this order:
 * 1. her record and the order locked, the lines asked for found (nothing written yet);
 * 2. card lines go back to cards: a top-up returns its unused principal (the bonus is void), a membership card is cancelled;
 * 3. the refund itself: course sessions and units returned, payouts checked and recorded, line counters and sales credits moved;
 * 4. lines returned in full give back the card benefits they used (where the card is still valid);
 * 5. wallet vouchers whose lines are now all refunded come back to the wallet, if still valid — after the line counters moved;
 * 6. points and stored value that paid are paid back to their ledgers;
 * 7. points earned on the order are taken back in proportion;
 * 8. a first-deal order refunded in full takes its referral rewards back, if the clinic says so;
 * 9. refunded top-ups no longer count for the tier; then her facts, the tier, its gifts and the tags, once.
 */
export const refundOrder = async (tx: Executor, ctx: Ctx, orderId: string, input: RefundRequest) => {
  await openFlowScope(tx, ctx);
  const target = await lockOrderForRefund(tx, ctx, orderId, input);

  const cardRefunds = new Map<string, { amountFen: number }>();
  const refundedTopUpIds: string[] = [];
  for (const { line } of target.requested) {
    const cardRefund = await refundCardLine(tx, ctx, { orderId, line });
    if (!cardRefund) continue;
    cardRefunds.set(line.id, cardRefund);
    if (cardRefund.refundedTopUpId) refundedTopUpIds.push(cardRefund.refundedTopUpId);
  }

  const refund = await refundOrderLines(tx, ctx, target, input, cardRefunds);
  const { refundId } = refund;

  await reverseCardUsesOfOrder(tx, ctx, { orderId, lineIds: refund.linesReturnedNow });
  await restoreVouchersOfOrder(tx, ctx, { orderId, fullyRefundedLineIds: refund.linesRefundedInFull, cause: 'refund', refundId });

  if (refund.pointsPayoutFen > 0) await restorePointsForRefund(tx, ctx, { orderId, refundId, amountFen: refund.pointsPayoutFen });
  if (refund.storedValuePayoutFen > 0) await restoreForRefund(tx, ctx, { orderId, refundId, amountFen: refund.storedValuePayoutFen });
  await reversePointsForRefund(tx, ctx, { orderId, refundId, refundFen: refund.refundFen, totalFen: target.order.totalFen, isComplete: refund.isComplete });

  await clawBackDealRewards(tx, ctx, { orderId, refundId, isComplete: refund.isComplete });

  for (const topUpId of refundedTopUpIds) await recordTopUpRefundForTier(tx, ctx, topUpId);
  await afterValueChange(tx, ctx, { customerId: refund.customerId, orderId, cause: { kind: 'refund', orderId, refundId } });
  return refundId;
};
