/**
 * 开单定价: the pure checkout pricing function (SPEC §8). Plain data in, plain data out:
 * no database, no clock, no I/O; the same input always gives the same fen.
 *
 * Steps, in this order: list price → manual line discount → tier/card discount and vouchers
 * (in the tenant's order; default vouchers first, so (400 − 200) × 0.8 = 160 as in seed 004)
 * → points offset → payable → optional payment plan (stored value, then what is left to pay).
 *
 * Rounding: a percentage's deduction is computed per line in integer arithmetic and rounded
 * half up to the fen (a half fen goes to the customer). Order-level amounts (cash-off vouchers,
 * capped discount vouchers, points) are split over their lines by largest remainder in
 * proportion to the lines' current amounts, so the lines always sum to the total.
 * Nothing goes below zero: every deduction is capped at what is left of its line; face value
 * that finds nothing to reduce is forfeited and said so (no change is given for vouchers).
 *
 * Stacking: tier and card discount on one line are best-of (tie: tier) or applied one after
 * the other (settings.tierWithCard). Vouchers go item/gift → discount → cash-off, by id within
 * a kind. A voucher that may not combine (isStackable false, or the tenant keeps vouchers apart
 * from discounts) is weighed against the member discount on its lines: whichever is cheaper for
 * the customer wins, and a voucher not used stays in the wallet. A non-stackable voucher also
 * excludes every other voucher after it. Lines that took a voucher get no points share when
 * settings.pointsWithVouchers is false.
 */
import { assertNever, DomainError } from '../../platform/errors.js';
import { allocate, formatYuan } from '../../platform/money.js';
import { lineSentence, orderStep } from './explain.js';
import { applyMemberDiscounts } from './member-discounts.js';
import { applyPoints } from './points-offset.js';
import type { AppliedCard, DeductionKind, PaymentPlan, PricedLine, PricingResult, PricingTotals, RejectedCard } from './result.js';
import { type PricingInput, type PricingStoredValue, ZPricingInput } from './schemas.js';
import { cardRate, cardRejectionMessage, cardStatus, compareIds, deduct, type LineState, type Prepared, type Run, sum, tierRate } from './state.js';
import { applyVouchers, claimedLineIds, combinesWithDiscounts, voucherKindOrder } from './vouchers.js';

export { percentOffFen } from './state.js';

// ---------------------------------------------------------------------------------------------
// One pass over the offers, for a given choice of vouchers that exclude member discounts

const runOffers = (prepared: Prepared, declined: ReadonlySet<string>, blockedLineIds: ReadonlySet<string>): Run => {
  const states: LineState[] = prepared.lines.map((line) => {
    const listFen = line.unitPriceFen * line.quantity;
    const startFen = listFen - (line.manualDiscountFen ?? 0);
    return { line, listFen, startFen, currentFen: listFen, deductions: [], hasVoucher: false, isDiscountBlocked: blockedLineIds.has(line.id) };
  });
  const listFen = sum(states.map((state) => state.listFen));
  const run: Run = {
    states,
    cards: prepared.cards.map((card) => ({
      card,
      status: cardStatus(card, prepared.input.at),
      remainingFen: card.remaining.discountFen,
      remainingUnits: card.remaining.units,
      amountFen: 0,
      lineIds: [],
    })),
    applied: [],
    rejected: [],
    steps: [orderStep('list', { amountFen: listFen, subtotalFen: listFen })],
    subtotalFen: listFen,
  };
  for (const state of states) deduct(state, { kind: 'manual', label: '门店优惠', amountFen: state.listFen - state.startFen, sourceId: null });
  const manualFen = listFen - sum(states.map((state) => state.startFen));
  if (manualFen > 0) {
    run.subtotalFen -= manualFen;
    run.steps.push(orderStep('manual', { amountFen: manualFen, subtotalFen: run.subtotalFen }));
  }
  switch (prepared.settings.applicationOrder) {
    case 'vouchers_then_discount':
      applyVouchers(run, prepared, declined);
      applyMemberDiscounts(run, prepared);
      break;
    case 'discount_then_vouchers':
      applyMemberDiscounts(run, prepared);
      applyVouchers(run, prepared, declined);
      break;
    default:
      assertNever(prepared.settings.applicationOrder);
  }
  return run;
};

/**
 * A voucher that does not combine with member discounts is weighed against them: every
 * choice of using or leaving such vouchers is priced, and the cheapest for the customer wins
 * (on a tie, fewer vouchers used: they stay in the customer's wallet).
 */
const bestRun = (prepared: Prepared): Run => {
  const { settings, input } = prepared;
  const validCards = prepared.cards.filter((card) => cardStatus(card, input.at) === 'valid');
  const discountedLineIds = new Set(
    prepared.lines
      .filter((line) => tierRate(input.tier, line) !== undefined || validCards.some((card) => cardRate(card, line) !== undefined))
      .map((line) => line.id),
  );
  const conflicting = prepared.vouchers
    .filter((voucher) => !combinesWithDiscounts(voucher, settings))
    .map((voucher) => ({ voucher, lineIds: claimedLineIds(voucher, prepared.lines) }))
    .filter(({ lineIds }) => lineIds.some((id) => discountedLineIds.has(id)));
  const count = conflicting.length;
  // Few vouchers are selected at once; past six, weigh only "all" against "none".
  // Each choice: which of the conflicting vouchers are used (by index), fewest first so a tie keeps the discount.
  // Few vouchers are selected at once; past six, only "none" is weighed against "all".
  const indexes = conflicting.map((_, index) => index);
  const choices: number[][] =
    count <= 6
      ? Array.from({ length: 2 ** count }, (_, mask) => indexes.filter((index) => mask & (1 << index))).sort(
          (a, b) => a.length - b.length || compareChoices(a, b),
        )
      : [[], indexes];
  let best: Run | undefined;
  for (const choice of choices) {
    const declined = new Set<string>();
    const blocked = new Set<string>();
    conflicting.forEach(({ voucher, lineIds }, index) => {
      if (choice.includes(index)) for (const id of lineIds) blocked.add(id);
      else declined.add(voucher.id);
    });
    const run = runOffers(prepared, declined, blocked);
    if (!best || run.subtotalFen < best.subtotalFen) best = run;
  }
  if (!best) throw new Error('no pricing run');
  return best;
};

const compareChoices = (a: readonly number[], b: readonly number[]): number => {
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
};

// ---------------------------------------------------------------------------------------------
// Payment plan: points (already offset) → stored value per its spending order → what is left

const planStoredValue = (payableFen: number, storedValue: PricingStoredValue): { principalFen: number; bonusFen: number } => {
  const totalFen = Math.min(payableFen, storedValue.principalFen + storedValue.bonusFen);
  switch (storedValue.spendOrder) {
    case 'principal_first': {
      const principalFen = Math.min(storedValue.principalFen, totalFen);
      return { principalFen, bonusFen: totalFen - principalFen };
    }
    case 'bonus_first': {
      const bonusFen = Math.min(storedValue.bonusFen, totalFen);
      return { principalFen: totalFen - bonusFen, bonusFen };
    }
    case 'proportional': {
      const [principalFen = 0, bonusFen = 0] = allocate(totalFen, [storedValue.principalFen, storedValue.bonusFen]);
      return { principalFen, bonusFen };
    }
    default:
      return assertNever(storedValue.spendOrder);
  }
};

// ---------------------------------------------------------------------------------------------

const parseInput = (input: PricingInput): PricingInput => {
  const parsed = ZPricingInput.safeParse(input);
  if (!parsed.success) {
    throw new DomainError(
      'invalid',
      'PRICING_INPUT_INVALID',
      '开单数据有误',
      parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    );
  }
  return parsed.data;
};

/** Prices an order: every line, the totals, the vouchers used and refused, the points used and the customer's explanation. */
export const priceOrder = (rawInput: PricingInput): PricingResult => {
  const input = parseInput(rawInput);
  const prepared: Prepared = {
    input,
    settings: input.settings,
    lines: [...input.lines].sort((a, b) => compareIds(a.id, b.id)),
    vouchers: [...input.vouchers].sort((a, b) => voucherKindOrder[a.kind] - voucherKindOrder[b.kind] || compareIds(a.id, b.id)),
    cards: [...input.cards].sort((a, b) => compareIds(a.id, b.id)),
  };
  const run = bestRun(prepared);
  const points = applyPoints(run, prepared);

  const byKind = (kind: DeductionKind) =>
    sum(run.states.flatMap((state) => state.deductions.filter(({ deduction }) => deduction.kind === kind).map(({ deduction }) => deduction.amountFen)));
  const listFen = sum(run.states.map((state) => state.listFen));
  const payableFen = sum(run.states.map((state) => state.currentFen));
  const totals: PricingTotals = {
    listFen,
    manualFen: byKind('manual'),
    tierDiscountFen: byKind('tier_discount'),
    cardDiscountFen: byKind('card_discount'),
    voucherFen: byKind('voucher'),
    pointsFen: byKind('points'),
    deductionsFen: listFen - payableFen,
    payableFen,
  };

  const explanation = [...run.steps, orderStep('payable', { amountFen: payableFen, subtotalFen: payableFen })];
  let storedValue: PaymentPlan['storedValue'] = null;
  let dueFen = payableFen;
  if (input.storedValue) {
    const split = planStoredValue(payableFen, input.storedValue);
    const totalFen = split.principalFen + split.bonusFen;
    storedValue = { ...split, totalFen };
    dueFen = payableFen - totalFen;
    if (totalFen > 0) {
      explanation.push(
        orderStep('stored_value', {
          amountFen: totalFen,
          subtotalFen: dueFen,
          note: `本金 ${formatYuan(split.principalFen)}，赠送金 ${formatYuan(split.bonusFen)}`,
        }),
      );
    }
    explanation.push(orderStep('due', { amountFen: dueFen, subtotalFen: dueFen }));
  }

  const stateById = new Map(run.states.map((state) => [state.line.id, state]));
  const lines: PricedLine[] = input.lines.map((line) => {
    const state = stateById.get(line.id);
    if (!state) throw new Error(`line ${line.id} lost`);
    return {
      lineId: line.id,
      itemId: line.itemId,
      name: line.name,
      kind: line.kind,
      categoryId: line.categoryId,
      unitPriceFen: line.unitPriceFen,
      quantity: line.quantity,
      listFen: state.listFen,
      deductions: state.deductions.map(({ deduction }) => deduction),
      finalFen: state.currentFen,
      sentence: lineSentence({ name: line.name, quantity: line.quantity, listFen: state.listFen, deductions: state.deductions, finalFen: state.currentFen }),
    };
  });

  const appliedCards: AppliedCard[] = run.cards
    .filter((card) => card.amountFen > 0)
    .map((card) => ({ cardId: card.card.id, name: card.card.name, holder: card.card.holder, amountFen: card.amountFen, lineIds: card.lineIds }));
  const rejectedCards: RejectedCard[] = run.cards.flatMap((card) =>
    card.status === 'valid' ? [] : [{ cardId: card.card.id, name: card.card.name, reason: card.status, message: cardRejectionMessage(card.card, card.status) }],
  );

  return {
    lines,
    totals,
    vouchers: { applied: run.applied, rejected: run.rejected },
    cards: { applied: appliedCards, rejected: rejectedCards },
    points,
    payment: { pointsFen: points.valueFen, storedValue, dueFen },
    explanation,
  };
};
