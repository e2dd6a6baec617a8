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
 */
import { assertNever, DomainError } from '../../platform/errors.js';
import { allocate, formatYuan } from '../../platform/money.js';
import { formatRate, lineKindLabels, lineSentence, orderStep, tierLabel } from './explain.js';
import type {
  AppliedCard,
  AppliedVoucher,
  CardRejection,
  Deduction,
  DeductionKind,
  ExplanationStep,
  ExplanationStepKind,
  PaymentPlan,
  PointsLimit,
  PointsOutcome,
  PricedLine,
  PricingResult,
  PricingTotals,
  RejectedCard,
  RejectedVoucher,
  VoucherRejection,
} from './result.js';
import {
  type PricingCard,
  type PricingInput,
  type PricingLine,
  type PricingSettings,
  type PricingStoredValue,
  type PricingTier,
  type PricingVoucher,
  ZPricingInput,
} from './schemas.js';

const fullRate = 10_000;

/** A percentage's deduction: base × (1 − rate), rounded half up to the fen. */
export const percentOffFen = (baseFen: number, rateBp: number): number => {
  const off = BigInt(baseFen) * BigInt(fullRate - rateBp);
  return Number((off * 2n + BigInt(fullRate)) / BigInt(2 * fullRate));
};

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

// Code-unit order, not locale order: the same on every machine.
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

type LineState = {
  line: PricingLine;
  listFen: number;
  /** After the manual discount: the base of percentages taken on the list price. */
  startFen: number;
  currentFen: number;
  deductions: { deduction: Deduction; isPlainRate: boolean }[];
  hasVoucher: boolean;
  /** Claimed by a voucher that does not combine with member discounts. */
  isDiscountBlocked: boolean;
};

type CardState = {
  card: PricingCard;
  status: CardRejection | 'valid';
  remainingFen: number | null;
  remainingUnits: number | null;
  amountFen: number;
  lineIds: string[];
};

type Prepared = {
  input: PricingInput;
  settings: PricingSettings;
  /** Sorted by id: every split and every greedy choice walks them in this order. */
  lines: PricingLine[];
  /** Item and gift vouchers first (they take a unit), then discount, then cash-off; by id within a kind. */
  vouchers: PricingVoucher[];
  cards: PricingCard[];
};

type Run = {
  states: LineState[];
  cards: CardState[];
  applied: AppliedVoucher[];
  rejected: RejectedVoucher[];
  steps: ExplanationStep[];
  subtotalFen: number;
};

const voucherKindOrder: Record<PricingVoucher['kind'], number> = { item: 0, gift: 1, discount: 2, cash_off: 3 };

const deduct = (state: LineState, deduction: Deduction, isPlainRate = true): void => {
  if (deduction.amountFen <= 0) return;
  if (deduction.amountFen > state.currentFen) throw new Error(`deduction ${deduction.amountFen} exceeds line ${state.line.id} at ${state.currentFen}`);
  state.currentFen -= deduction.amountFen;
  state.deductions.push({ deduction, isPlainRate });
};

const cardStatus = (card: PricingCard, at: string): CardRejection | 'valid' => {
  if (card.validFrom !== null && at < card.validFrom) return 'not_yet_valid';
  if (card.validTo !== null && at > card.validTo) return 'expired';
  if (card.remaining.discountFen === 0 || card.remaining.units === 0) return 'limit_reached';
  return 'valid';
};

const cardRejectionMessage = (card: PricingCard, reason: CardRejection): string => {
  switch (reason) {
    case 'not_yet_valid':
      return `「${card.name}」${card.validFrom} 起生效，本单还不能享受此卡折扣`;
    case 'expired':
      return `「${card.name}」已于 ${card.validTo} 到期，本单不能享受此卡折扣`;
    case 'limit_reached':
      return `「${card.name}」本人的折扣额度已用完`;
    default:
      return assertNever(reason);
  }
};

const tierRate = (tier: PricingTier | null, line: PricingLine): number | undefined => {
  if (!tier || line.categoryId === null || !Object.hasOwn(tier.categoryDiscounts, line.categoryId)) return undefined;
  const rate = tier.categoryDiscounts[line.categoryId];
  return rate !== undefined && rate < fullRate ? rate : undefined;
};

/** The card's best rule for the line; a rule without category or kind matches every line. */
const cardRate = (card: PricingCard, line: PricingLine): number | undefined => {
  const rates = card.discountRules
    .filter((rule) => (rule.categoryId === null || rule.categoryId === line.categoryId) && (rule.kind === null || rule.kind === line.kind))
    .map((rule) => rule.rateBp);
  const best = rates.length > 0 ? Math.min(...rates) : fullRate;
  return best < fullRate ? best : undefined;
};

const isInScope = (voucher: PricingVoucher, line: PricingLine): boolean => {
  const { itemIds, categoryIds } = voucher.scope;
  if (itemIds.length === 0 && categoryIds.length === 0) return true;
  return itemIds.includes(line.itemId) || (line.categoryId !== null && categoryIds.includes(line.categoryId));
};

/** Item and gift vouchers take one unit of the first line in scope; the others reach every line in scope. */
const claimedLineIds = (voucher: PricingVoucher, lines: readonly PricingLine[]): string[] => {
  const scoped = lines.filter((line) => isInScope(voucher, line) && line.unitPriceFen * line.quantity - (line.manualDiscountFen ?? 0) > 0);
  return (voucher.kind === 'item' || voucher.kind === 'gift' ? scoped.slice(0, 1) : scoped).map((line) => line.id);
};

const combinesWithDiscounts = (voucher: PricingVoucher, settings: PricingSettings): boolean => settings.vouchersWithDiscounts && voucher.isStackable;

const unitShareFen = (state: LineState): number => allocate(state.currentFen, new Array<number>(state.line.quantity).fill(1))[0] ?? 0;

const discountBase = (state: LineState, settings: PricingSettings): number => (settings.percentageBase === 'list' ? state.startFen : state.currentFen);

// ---------------------------------------------------------------------------------------------
// Member discounts (tier and card)

type CardOffer = { card: CardState; rateBp: number; amountFen: number; units: number; isPlainRate: boolean };

const bestCardOffer = (state: LineState, cards: readonly CardState[], settings: PricingSettings): CardOffer | undefined => {
  let best: CardOffer | undefined;
  for (const card of cards) {
    if (card.status !== 'valid' || card.remainingFen === 0 || card.remainingUnits === 0) continue;
    const rateBp = cardRate(card.card, state.line);
    if (rateBp === undefined) continue;
    const base = discountBase(state, settings);
    const { quantity } = state.line;
    const units = Math.min(quantity, card.remainingUnits ?? quantity);
    // Only the units the member may still have discounted: their share of the line.
    const unitsBase = units === quantity ? base : (allocate(base, [units, quantity - units])[0] ?? 0);
    const full = Math.min(percentOffFen(unitsBase, rateBp), state.currentFen);
    const amountFen = Math.min(full, card.remainingFen ?? full);
    const isPlainRate = settings.percentageBase === 'current' && amountFen === percentOffFen(state.currentFen, rateBp);
    if (amountFen > 0 && (!best || amountFen > best.amountFen)) best = { card, rateBp, amountFen, units, isPlainRate };
  }
  return best;
};

const applyMemberDiscounts = (run: Run, prepared: Prepared): void => {
  const { settings } = prepared;
  const tier = prepared.input.tier;
  let tierTotal = 0;
  const cardTotals = new Map<string, number>();

  const applyTier = (state: LineState, rateBp: number, amountFen: number) => {
    if (!tier || amountFen <= 0) return;
    const isPlainRate = settings.percentageBase === 'current' && amountFen === percentOffFen(state.currentFen, rateBp);
    deduct(state, { kind: 'tier_discount', label: `${tierLabel(tier.name)} ${formatRate(rateBp)}`, amountFen, sourceId: tier.id, rateBp }, isPlainRate);
    tierTotal += amountFen;
  };
  const applyCard = (state: LineState, offer: CardOffer) => {
    const { card } = offer;
    deduct(
      state,
      {
        kind: 'card_discount',
        label: `${card.card.name} ${formatRate(offer.rateBp)}`,
        amountFen: offer.amountFen,
        sourceId: card.card.id,
        rateBp: offer.rateBp,
      },
      offer.isPlainRate,
    );
    card.amountFen += offer.amountFen;
    card.lineIds.push(state.line.id);
    if (card.remainingFen !== null) card.remainingFen -= offer.amountFen;
    if (card.remainingUnits !== null) card.remainingUnits -= offer.units;
    cardTotals.set(card.card.id, (cardTotals.get(card.card.id) ?? 0) + offer.amountFen);
  };

  for (const state of run.states) {
    if (state.isDiscountBlocked || state.currentFen === 0) continue;
    const rate = tierRate(tier, state.line);
    const tierAmount = (rateBp: number | undefined) =>
      rateBp === undefined ? 0 : Math.min(percentOffFen(discountBase(state, settings), rateBp), state.currentFen);
    switch (settings.tierWithCard) {
      case 'best_of': {
        const tierOff = tierAmount(rate);
        const offer = bestCardOffer(state, run.cards, settings);
        // The better for the customer; on a tie the tier, which spends no card limit.
        if (offer && offer.amountFen > tierOff) applyCard(state, offer);
        else if (rate !== undefined) applyTier(state, rate, tierOff);
        break;
      }
      case 'multiply': {
        if (rate !== undefined) applyTier(state, rate, tierAmount(rate));
        const offer = bestCardOffer(state, run.cards, settings);
        if (offer) applyCard(state, offer);
        break;
      }
      default:
        assertNever(settings.tierWithCard);
    }
  }

  const step = (kind: ExplanationStepKind, options: { sourceId: string; label: string; amountFen: number }) => {
    run.subtotalFen -= options.amountFen;
    run.steps.push(orderStep(kind, { ...options, subtotalFen: run.subtotalFen }));
  };
  if (tier && tierTotal > 0) step('tier_discount', { sourceId: tier.id, label: `${tierLabel(tier.name)}折扣`, amountFen: tierTotal });
  for (const card of run.cards) {
    const amountFen = cardTotals.get(card.card.id) ?? 0;
    if (amountFen > 0) step('card_discount', { sourceId: card.card.id, label: `${card.card.name}折扣`, amountFen });
  }
};

// ---------------------------------------------------------------------------------------------
// Vouchers

type VoucherOutcome = { shares: number[]; forfeitedFen: number; faceFen: number | null } | { reason: VoucherRejection; message: string };

const voucherShares = (voucher: PricingVoucher, open: readonly LineState[], settings: PricingSettings): VoucherOutcome => {
  const currents = open.map((state) => state.currentFen);
  const eligibleFen = sum(currents);
  switch (voucher.kind) {
    case 'cash_off': {
      if (eligibleFen < voucher.thresholdFen) {
        return {
          reason: 'threshold_not_met',
          message: `「${voucher.name}」需适用品项满 ${formatYuan(voucher.thresholdFen)} 才能使用，本单适用品项合计 ${formatYuan(eligibleFen)}`,
        };
      }
      const amountFen = Math.min(voucher.faceValueFen, eligibleFen);
      return { shares: allocate(amountFen, currents), forfeitedFen: voucher.faceValueFen - amountFen, faceFen: voucher.faceValueFen };
    }
    case 'discount': {
      const offs = open.map((state) => Math.min(percentOffFen(discountBase(state, settings), voucher.rateBp), state.currentFen));
      const total = sum(offs);
      const shares = voucher.maxOffFen !== null && total > voucher.maxOffFen ? allocate(voucher.maxOffFen, offs) : offs;
      return { shares, forfeitedFen: 0, faceFen: null };
    }
    case 'item':
    case 'gift': {
      const unit = open[0] ? unitShareFen(open[0]) : 0;
      const faceFen = voucher.kind === 'item' ? voucher.faceValueFen : null;
      const amountFen = faceFen === null ? unit : Math.min(faceFen, unit);
      return { shares: open.map((_, index) => (index === 0 ? amountFen : 0)), forfeitedFen: faceFen === null ? 0 : faceFen - amountFen, faceFen };
    }
    default:
      return assertNever(voucher);
  }
};

const applyVouchers = (run: Run, prepared: Prepared, declined: ReadonlySet<string>): void => {
  const { settings } = prepared;
  let exclusive: PricingVoucher | undefined;
  for (const voucher of prepared.vouchers) {
    const reject = (reason: VoucherRejection, message: string) => run.rejected.push({ voucherId: voucher.id, name: voucher.name, reason, message });
    if (declined.has(voucher.id)) {
      reject('member_discount_better', `「${voucher.name}」不可与会员折扣同享；按会员折扣结算更优惠，本单未使用此券，券仍可下次使用`);
      continue;
    }
    const scoped = run.states.filter((state) => isInScope(voucher, state.line));
    if (scoped.length === 0) {
      reject('not_applicable', `本单没有「${voucher.name}」适用的品项`);
      continue;
    }
    if (exclusive) {
      reject('not_stackable', `「${voucher.name}」不能与已使用的「${exclusive.name}」同时使用（该券不可叠加）`);
      continue;
    }
    const first = run.applied[0];
    if (!voucher.isStackable && first) {
      reject('not_stackable', `「${voucher.name}」不可与其他优惠券同时使用，本单已使用「${first.name}」`);
      continue;
    }
    const open = scoped.filter((state) => state.currentFen > 0);
    const outcome = voucherShares(voucher, open, settings);
    if ('reason' in outcome) {
      reject(outcome.reason, outcome.message);
      continue;
    }
    const amountFen = sum(outcome.shares);
    if (amountFen === 0) {
      reject('nothing_to_deduct', `「${voucher.name}」适用的品项已无可抵扣的金额`);
      continue;
    }
    const lineIds: string[] = [];
    open.forEach((state, index) => {
      const share = outcome.shares[index] ?? 0;
      if (share === 0) return;
      const rateBp = voucher.kind === 'discount' ? voucher.rateBp : undefined;
      deduct(state, { kind: 'voucher', label: voucher.name, amountFen: share, sourceId: voucher.id, ...(rateBp === undefined ? {} : { rateBp }) });
      state.hasVoucher = true;
      lineIds.push(state.line.id);
    });
    const notes = [`减 ${formatYuan(amountFen)}`];
    if (outcome.forfeitedFen > 0 && outcome.faceFen !== null) {
      notes.push(`券面 ${formatYuan(outcome.faceFen)}，适用品项只有 ${formatYuan(amountFen)} 可抵，余 ${formatYuan(outcome.forfeitedFen)} 作废，不找零`);
    }
    if (!combinesWithDiscounts(voucher, settings)) notes.push('此券不与会员折扣同享，适用品项不再打折');
    run.applied.push({
      voucherId: voucher.id,
      name: voucher.name,
      kind: voucher.kind,
      amountFen,
      forfeitedFen: outcome.forfeitedFen,
      lineIds,
      message: notes.join('；'),
    });
    if (!voucher.isStackable) exclusive = voucher;
    run.subtotalFen -= amountFen;
    run.steps.push(
      orderStep('voucher', {
        sourceId: voucher.id,
        label: voucher.name,
        amountFen,
        subtotalFen: run.subtotalFen,
        ...(outcome.forfeitedFen > 0 ? { note: `余 ${formatYuan(outcome.forfeitedFen)} 作废` } : {}),
      }),
    );
  }
};

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
// Points

const pointsLimitMessage = (limit: PointsLimit, options: { capFen: number; percent: number | null; pointsPerYuan: number; minimumPoints: number }): string => {
  switch (limit) {
    case 'request':
      return '';
    case 'whole_fen':
      return `每 ¥1 为 ${options.pointsPerYuan} 积分，积分按整分抵扣`;
    case 'eligible_lines':
      return `可用积分抵扣的品项金额为 ${formatYuan(options.capFen)}（部分品项或已用券的品项不参与积分抵现）`;
    case 'percent_cap':
      return `积分抵现最多为本单金额的 ${options.percent}%，即 ${formatYuan(options.capFen)}`;
    case 'amount_cap':
      return `本单积分最多抵 ${formatYuan(options.capFen)}`;
    case 'below_minimum':
      return `积分抵现至少使用 ${options.minimumPoints} 积分`;
    default:
      return assertNever(limit);
  }
};

const applyPoints = (run: Run, prepared: Prepared): PointsOutcome => {
  const { points } = prepared.input;
  if (!points || points.requestedPoints === 0)
    return { requestedPoints: points?.requestedPoints ?? 0, usedPoints: 0, valueFen: 0, limitedBy: null, message: '' };
  const eligible = run.states.filter(
    (state) =>
      state.currentFen > 0 &&
      !points.excludedKinds.includes(state.line.kind) &&
      !(state.line.categoryId !== null && points.excludedCategoryIds.includes(state.line.categoryId)) &&
      (prepared.settings.pointsWithVouchers || !state.hasVoucher),
  );
  const eligibleFen = sum(eligible.map((state) => state.currentFen));
  const orderFen = sum(run.states.map((state) => state.currentFen));
  const percentCapFen = points.maxPercentOfOrder === null ? Number.POSITIVE_INFINITY : Math.floor((orderFen * points.maxPercentOfOrder) / 100);
  const amountCapFen = points.maxFen ?? Number.POSITIVE_INFINITY;
  const limits: [PointsLimit, number][] = [
    ['eligible_lines', eligibleFen],
    ['percent_cap', percentCapFen],
    ['amount_cap', amountCapFen],
  ];
  const [capLimit, capFen] = limits.reduce((tightest, limit) => (limit[1] < tightest[1] ? limit : tightest));
  // Points pay only whole fen: blocks of unitPoints points are worth unitFen fen exactly.
  const divisor = gcd(100, points.pointsPerYuan);
  const unitFen = 100 / divisor;
  const unitPoints = points.pointsPerYuan / divisor;
  const requestedUnits = Math.floor(points.requestedPoints / unitPoints);
  const capUnits = Math.floor(capFen / unitFen);
  const units = Math.min(requestedUnits, capUnits);
  let usedPoints = units * unitPoints;
  let valueFen = units * unitFen;
  let limitedBy: PointsLimit = requestedUnits <= capUnits ? (usedPoints === points.requestedPoints ? 'request' : 'whole_fen') : capLimit;
  if (usedPoints > 0 && usedPoints < points.minimumPoints) {
    usedPoints = 0;
    valueFen = 0;
    limitedBy = 'below_minimum';
  }
  const why = pointsLimitMessage(limitedBy, {
    capFen: limitedBy === 'eligible_lines' ? eligibleFen : capFen,
    percent: points.maxPercentOfOrder,
    pointsPerYuan: points.pointsPerYuan,
    minimumPoints: points.minimumPoints,
  });
  const excludedNote =
    eligible.length === 0
      ? `本单品项均不能用积分抵现${points.excludedKinds.length > 0 ? `（${points.excludedKinds.map((kind) => lineKindLabels[kind]).join('、')}不参与积分抵现）` : ''}`
      : why;
  const message =
    valueFen > 0
      ? `使用 ${usedPoints} 积分，抵 ${formatYuan(valueFen)}${usedPoints < points.requestedPoints ? `（申请 ${points.requestedPoints} 积分；${why}）` : ''}`
      : `本单未使用积分：${excludedNote}`;
  if (valueFen > 0) {
    const shares = allocate(
      valueFen,
      eligible.map((state) => state.currentFen),
    );
    eligible.forEach((state, index) => {
      deduct(state, { kind: 'points', label: '积分抵现', amountFen: shares[index] ?? 0, sourceId: null });
    });
    run.subtotalFen -= valueFen;
    run.steps.push(orderStep('points', { label: `使用 ${usedPoints} 积分`, amountFen: valueFen, subtotalFen: run.subtotalFen }));
  }
  return { requestedPoints: points.requestedPoints, usedPoints, valueFen, limitedBy, message };
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
