import { assertNever } from '../../platform/errors.js';

/**
 * How stored value is spent: pure, so the rule is tested on its own and the ledger applies the
 * result under the account lock.
 *
 * Top-ups are spent oldest first. Within a top-up the tenant's policy decides the split:
 * - `proportional` (default): principal and bonus in the proportion the top-up still holds them,
 *   so a ¥2 980 + ¥300 top-up spends ¥1 000 as ¥908.53 principal and ¥91.47 bonus. The bonus share is
 *   rounded up to the fen, so rounding never costs the customer refundable principal.
 *   This is what a customer who later asks for a refund expects: the bonus is used up at the
 *   pace it was given, and the unused principal she gets back is the honest remainder.
 * - `principal_first`: all principal of every top-up, then bonus (oldest first each time).
 * - `bonus_first`: all bonus first, then principal (the most generous to the customer on refund).
 */
export const spendingPolicies = ['proportional', 'principal_first', 'bonus_first'] as const;
export type SpendingPolicy = (typeof spendingPolicies)[number];

export type TopUpState = { id: string; principalRemainingFen: number; bonusRemainingFen: number; createdAt: Date };
export type Take = { topUpId: string; principalFen: number; bonusFen: number };

const oldestFirst = (a: TopUpState, b: TopUpState) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Splits `amount` (≤ principal + bonus) of one top-up: the bonus share rounded up. */
export const splitProportionally = (amount: number, principal: number, bonus: number): { principalFen: number; bonusFen: number } => {
  const total = principal + bonus;
  if (amount <= 0 || total <= 0) return { principalFen: 0, bonusFen: 0 };
  const bonusFen = Math.min(bonus, Math.ceil((amount * bonus) / total));
  return { principalFen: amount - bonusFen, bonusFen };
};

/** What each top-up gives for `amount`, or undefined when together they hold too little. */
export const planSpend = (topUps: readonly TopUpState[], amount: number, policy: SpendingPolicy): Take[] | undefined => {
  const ordered = [...topUps].sort(oldestFirst);
  const held = ordered.reduce((sum, topUp) => sum + topUp.principalRemainingFen + topUp.bonusRemainingFen, 0);
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > held) return undefined;
  const takes = new Map<string, Take>();
  const take = (topUpId: string, principalFen: number, bonusFen: number) => {
    const current = takes.get(topUpId) ?? { topUpId, principalFen: 0, bonusFen: 0 };
    takes.set(topUpId, { topUpId, principalFen: current.principalFen + principalFen, bonusFen: current.bonusFen + bonusFen });
  };
  let left = amount;
  switch (policy) {
    case 'proportional':
      for (const topUp of ordered) {
        if (left === 0) break;
        const chunk = Math.min(left, topUp.principalRemainingFen + topUp.bonusRemainingFen);
        if (chunk === 0) continue;
        const split = splitProportionally(chunk, topUp.principalRemainingFen, topUp.bonusRemainingFen);
        take(topUp.id, split.principalFen, split.bonusFen);
        left -= chunk;
      }
      break;
    case 'principal_first':
    case 'bonus_first': {
      const passes: ('principal' | 'bonus')[] = policy === 'principal_first' ? ['principal', 'bonus'] : ['bonus', 'principal'];
      for (const part of passes) {
        for (const topUp of ordered) {
          if (left === 0) break;
          const chunk = Math.min(left, part === 'principal' ? topUp.principalRemainingFen : topUp.bonusRemainingFen);
          if (chunk === 0) continue;
          take(topUp.id, part === 'principal' ? chunk : 0, part === 'bonus' ? chunk : 0);
          left -= chunk;
        }
      }
      break;
    }
    default:
      return assertNever(policy);
  }
  return [...takes.values()];
};

/**
 * Gives `amount` back over what a spend took (movements not yet given back), last taken first;
 * within one movement, principal and bonus in the proportion still owed, bonus rounded up — so
 * a series of partial returns ends exactly where the spend began.
 */
export const planRestore = (
  owed: readonly { movementId: string; topUpId: string; principalFen: number; bonusFen: number }[],
  amount: number,
): { movementId: string; topUpId: string; principalFen: number; bonusFen: number }[] | undefined => {
  const total = owed.reduce((sum, row) => sum + row.principalFen + row.bonusFen, 0);
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > total) return undefined;
  const gives = [];
  let left = amount;
  for (const row of [...owed].reverse()) {
    if (left === 0) break;
    const chunk = Math.min(left, row.principalFen + row.bonusFen);
    if (chunk === 0) continue;
    const split = splitProportionally(chunk, row.principalFen, row.bonusFen);
    gives.push({ movementId: row.movementId, topUpId: row.topUpId, ...split });
    left -= chunk;
  }
  return gives;
};
