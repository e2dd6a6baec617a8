import type { LineKind } from '../catalog/index.js';
import type { VoucherKind } from './schemas.js';

export type DeductionKind = 'manual' | 'tier_discount' | 'card_discount' | 'voucher' | 'points';

/** One reduction of one line, in the order it was applied. */
export type Deduction = {
  kind: DeductionKind;
  /** Chinese label for the clinic user and the customer (e.g. 家庭卡代金券). */
  label: string;
  amountFen: number;
  /** Tier, card or voucher id; null for manual and points. */
  sourceId: string | null;
  /** Percentage offers: the rate applied (8000 = 8折). */
  rateBp?: number;
};

export type PricedLine = {
  lineId: string;
  itemId: string;
  name: string;
  kind: LineKind;
  categoryId: string | null;
  unitPriceFen: number;
  quantity: number;
  listFen: number;
  deductions: Deduction[];
  finalFen: number;
  /** e.g. 树脂补牙 原价 ¥400.00，减家庭卡代金券 ¥200.00，再享家庭卡 8 折，应付 ¥160.00 */
  sentence: string;
};

export type PricingTotals = {
  listFen: number;
  manualFen: number;
  tierDiscountFen: number;
  cardDiscountFen: number;
  voucherFen: number;
  pointsFen: number;
  deductionsFen: number;
  payableFen: number;
};

export type VoucherRejection = 'not_applicable' | 'threshold_not_met' | 'not_stackable' | 'member_discount_better' | 'nothing_to_deduct';

export type AppliedVoucher = {
  voucherId: string;
  name: string;
  kind: VoucherKind;
  amountFen: number;
  /** Face value that found nothing to reduce (no change is given). */
  forfeitedFen: number;
  lineIds: string[];
  message: string;
};

export type RejectedVoucher = { voucherId: string; name: string; reason: VoucherRejection; message: string };

export type CardRejection = 'not_yet_valid' | 'expired' | 'limit_reached';

export type AppliedCard = { cardId: string; name: string; holder: 'owner' | 'family_member'; amountFen: number; lineIds: string[] };

export type RejectedCard = { cardId: string; name: string; reason: CardRejection; message: string };

export type PointsLimit = 'request' | 'whole_fen' | 'eligible_lines' | 'percent_cap' | 'amount_cap' | 'below_minimum';

export type PointsOutcome = {
  requestedPoints: number;
  usedPoints: number;
  valueFen: number;
  /** What bounded the points used; null when none were requested. */
  limitedBy: PointsLimit | null;
  message: string;
};

export type PaymentPlan = {
  pointsFen: number;
  storedValue: { principalFen: number; bonusFen: number; totalFen: number } | null;
  /** Left to pay by cash, card, WeChat or Alipay. */
  dueFen: number;
};

export type ExplanationStepKind = 'list' | DeductionKind | 'payable' | 'stored_value' | 'due';

/** One step of the customer's explanation: what happened, how much, and the amount after it. */
export type ExplanationStep = {
  kind: ExplanationStepKind;
  sourceId: string | null;
  amountFen: number;
  subtotalFen: number;
  sentence: string;
};

export type PricingResult = {
  lines: PricedLine[];
  totals: PricingTotals;
  vouchers: { applied: AppliedVoucher[]; rejected: RejectedVoucher[] };
  cards: { applied: AppliedCard[]; rejected: RejectedCard[] };
  points: PointsOutcome;
  payment: PaymentPlan;
  explanation: ExplanationStep[];
};
