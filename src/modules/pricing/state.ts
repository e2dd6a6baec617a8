/** The working state of one pricing pass, and the small rules every step shares. */
import { assertNever } from '../../platform/errors.js';
import type { AppliedVoucher, CardRejection, Deduction, ExplanationStep, RejectedVoucher } from './result.js';
import type { PricingCard, PricingInput, PricingLine, PricingSettings, PricingTier, PricingVoucher } from './schemas.js';

export const fullRate = 10_000;

/** A percentage's deduction: base × (1 − rate), rounded half up to the fen. */
export const percentOffFen = (baseFen: number, rateBp: number): number => {
  const off = BigInt(baseFen) * BigInt(fullRate - rateBp);
  return Number((off * 2n + BigInt(fullRate)) / BigInt(2 * fullRate));
};

export const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

// Code-unit order, not locale order: the same on every machine.
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export type LineState = {
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

export type CardState = {
  card: PricingCard;
  status: CardRejection | 'valid';
  remainingFen: number | null;
  remainingUnits: number | null;
  amountFen: number;
  lineIds: string[];
};

export type Prepared = {
  input: PricingInput;
  settings: PricingSettings;
  /** Sorted by id: every split and every greedy choice walks them in this order. */
  lines: PricingLine[];
  /** Item and gift vouchers first (they take a unit), then discount, then cash-off; by id within a kind. */
  vouchers: PricingVoucher[];
  cards: PricingCard[];
};

export type Run = {
  states: LineState[];
  cards: CardState[];
  applied: AppliedVoucher[];
  rejected: RejectedVoucher[];
  steps: ExplanationStep[];
  subtotalFen: number;
};

export const deduct = (state: LineState, deduction: Deduction, isPlainRate = true): void => {
  if (deduction.amountFen <= 0) return;
  if (deduction.amountFen > state.currentFen) throw new Error(`deduction ${deduction.amountFen} exceeds line ${state.line.id} at ${state.currentFen}`);
  state.currentFen -= deduction.amountFen;
  state.deductions.push({ deduction, isPlainRate });
};

export const cardStatus = (card: PricingCard, at: string): CardRejection | 'valid' => {
  if (card.validFrom !== null && at < card.validFrom) return 'not_yet_valid';
  if (card.validTo !== null && at > card.validTo) return 'expired';
  if (card.remaining.discountFen === 0 || card.remaining.units === 0) return 'limit_reached';
  return 'valid';
};

export const cardRejectionMessage = (card: PricingCard, reason: CardRejection): string => {
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

export const tierRate = (tier: PricingTier | null, line: PricingLine): number | undefined => {
  if (!tier || line.categoryId === null || !Object.hasOwn(tier.categoryDiscounts, line.categoryId)) return undefined;
  const rate = tier.categoryDiscounts[line.categoryId];
  return rate !== undefined && rate < fullRate ? rate : undefined;
};

/** The card's best rule for the line; a rule without category or kind matches every line. */
export const cardRate = (card: PricingCard, line: PricingLine): number | undefined => {
  const rates = card.discountRules
    .filter((rule) => (rule.categoryId === null || rule.categoryId === line.categoryId) && (rule.kind === null || rule.kind === line.kind))
    .map((rule) => rule.rateBp);
  const best = rates.length > 0 ? Math.min(...rates) : fullRate;
  return best < fullRate ? best : undefined;
};

/** Item and gift vouchers take one unit of the first line in scope; the others reach every line in scope. */
export const discountBase = (state: LineState, settings: PricingSettings): number => (settings.percentageBase === 'list' ? state.startFen : state.currentFen);
