import type { Executor } from '../db/client.js';
import { applyOrderFacts } from '../modules/customers/index.js';
import {
  currentTierScopeKey,
  evaluateTier,
  markTierGiftsVoided,
  recordTopUpForTier,
  type TierCause,
  type TierGiftDecision,
} from '../modules/membership/index.js';
import { refreshConsumptionTags } from '../modules/orders/index.js';
import { giftIdsAbove, issuePendingTierGifts, voidTierGiftVouchers } from '../modules/vouchers/index.js';
import type { Ctx } from '../platform/context.js';
import { forgetScoped } from '../platform/tx-scope.js';

/** What moved value in the flow: the tier weighs it once, whatever the number of payments and top-ups. */
export type ValueChange = {
  customerId: string;
  /** The order whose history moved: her facts follow it first, since the tier and tags read them. */
  orderId?: string;
  /** Why the tier is weighed now; null when nothing the tier counts has moved (arrears paid, say). */
  cause: TierCause | null;
  /** Stored value topped up in this transaction: counted by the tier's top-up criterion. */
  topUps?: readonly { topUpId: string; principalFen: number }[];
};

/**
 * The end of every flow that moves value, once per transaction: the customer's facts, membership tier (its upgrade
 * gifts and their vouchers go with the decision), then the customer's consumption tags
 * (成交 / 活跃度 / 欠费). Each flow calls it last, after every ledger has moved.
 */
export const afterValueChange = async (tx: Executor, ctx: Ctx, change: ValueChange) => {
  // 0. Her facts (amounts per day, month and category, deals, growth), which the tier and the tags read.
  const facts = change.orderId ? (await applyOrderFacts(tx, ctx, { orderId: change.orderId })).get(change.customerId) : undefined;
  for (const topUp of change.topUps ?? []) {
    await recordTopUpForTier(tx, ctx, { customerId: change.customerId, topUpId: topUp.topUpId, amountFen: topUp.principalFen });
  }
  const last = change.topUps?.at(-1);
  // A checkout with a top-up is weighed once, as a top-up (the order's payments are in the figures too).
  const cause: TierCause | null = last ? { kind: 'top_up', topUpId: last.topUpId, amountFen: last.principalFen } : change.cause;
  if (cause) {
    // 1. The tier: the membership module decides and records the change.
    const evaluation = await evaluateTier(tx, ctx, change.customerId, cause);
    // The tier may have changed: later reads in this transaction see the new one.
    forgetScoped(tx, currentTierScopeKey(ctx.tenantId, change.customerId));
    // 2. Its gifts: a lost tier's gifts taken back, a reached tier's gifts into her wallet.
    if (evaluation) await carryOutTierGifts(tx, ctx, evaluation.gifts);
  }
  // 3. 成交 / 活跃度 / 欠费 tags from her orders as they now are.
  await refreshConsumptionTags(tx, ctx, change.customerId, facts);
};

/** A tier decision's gifts carried out: a lost tier's unused gift vouchers voided, a reached tier's issued. */
export const carryOutTierGifts = async (tx: Executor, ctx: Ctx, gifts: TierGiftDecision) => {
  if (gifts.takeBackTierIds.length > 0) {
    // Unused gift vouchers are voided (a used one stays used), then the gifts are marked voided.
    const giftIds = await giftIdsAbove(tx, ctx, gifts.customerId, gifts.takeBackTierIds);
    await voidTierGiftVouchers(tx, ctx, giftIds);
    await markTierGiftsVoided(tx, ctx, giftIds);
  }
  // Straight into her wallet, in this transaction (the hourly sweep catches any left pending).
  if (gifts.issuePending) await issuePendingTierGifts(tx, ctx, { customerId: gifts.customerId });
};
