import type { Quote, QuoteInput } from '../../shared/api-models';
import { type CartLine, lineProblemOf } from './cart';

/**
 * What the desk asks POST /orders/quote, or undefined while there is nothing to price (no
 * customer, no lines, or a line whose boxes do not hold valid values yet).
 */
export const quoteRequestOf = (options: {
  storeId: string | undefined;
  customerId: string | undefined;
  lines: readonly CartLine[];
  isMemberPricing: boolean;
  pointsToUse: number;
  /** Wallet vouchers (券包) the desk chose. */
  voucherIds?: readonly string[];
}): QuoteInput | undefined => {
  const { storeId, customerId, lines } = options;
  if (!customerId || lines.length === 0 || lines.some((line) => lineProblemOf(line) !== undefined)) return undefined;
  return {
    ...(storeId ? { storeId } : {}),
    customerId,
    lines: lines.map((line) => ({
      itemId: line.item.id,
      quantity: line.quantity ?? 1,
      unitPriceFen: line.unitPriceFen ?? line.item.priceFen,
      ...(line.discountFen ? { discountFen: line.discountFen } : {}),
    })),
    // Only the exception is sent: the server prices with member benefits by default.
    ...(options.isMemberPricing ? {} : { memberPricing: false }),
    ...(options.pointsToUse > 0 ? { pointsToUse: options.pointsToUse } : {}),
    ...(options.voucherIds && options.voucherIds.length > 0 ? { voucherIds: [...options.voucherIds] } : {}),
  };
};

/** The quote names wallet vouchers `wallet:<id>` (card vouchers and birthday gifts have their own prefixes). */
const walletPricingId = (voucherId: string) => `wallet:${voucherId}`;

/** What the quote did with one chosen wallet voucher: what it took off, or why it did not apply. */
export const walletVoucherOutcome = (quote: Quote, voucherId: string) => ({
  applied: quote.vouchers.applied.find((applied) => applied.voucherId === walletPricingId(voucherId)),
  rejected: quote.vouchers.rejected.find((rejected) => rejected.voucherId === walletPricingId(voucherId)),
});

/** Chosen wallet vouchers the quote refused: the order would be refused too (422 VOUCHER_NOT_APPLICABLE), so the desk stops first. */
export const rejectedChosenVouchers = (quote: Quote, voucherIds: readonly string[]) =>
  voucherIds.flatMap((voucherId) => {
    const { rejected } = walletVoucherOutcome(quote, voucherId);
    return rejected ? [rejected] : [];
  });

/**
 * Whether two requests give the same order total. Points do not change it (they are paid as a
 * payment), so a quote for other points still tells the desk what the order will total.
 */
export const isSameOrderPrice = (a: QuoteInput | undefined, b: QuoteInput | undefined): boolean => {
  if (!a || !b) return false;
  const { pointsToUse: _a, ...restA } = a;
  const { pointsToUse: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
};

/** The points a 积分抵现 payment of `fen` takes, rounded up so the points cover the amount. */
export const pointsForFen = (fen: number, pointsPerYuan: number): number => (fen > 0 && pointsPerYuan > 0 ? Math.ceil((fen * pointsPerYuan) / 100) : 0);

/** 2556 → "2 556" (a no-break space between thousands, so the figure never wraps). */
export const formatPoints = (points: number): string => String(points).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');

/** The explanation steps the console has words for, in the order they can appear. */
export const explanationStepKinds = ['list', 'manual', 'tier_discount', 'card_discount', 'voucher', 'points', 'payable', 'stored_value', 'due'] as const;
export type ExplanationStepKind = (typeof explanationStepKinds)[number];
const isExplanationStepKind = (kind: string): kind is ExplanationStepKind => explanationStepKinds.some((known) => known === kind);

export type ExplanationRow = {
  /** undefined: a step this console does not know yet; its sentence says what it is. */
  kind: ExplanationStepKind | undefined;
  /** What the step took off, or for 原价 / 应付 the amount itself. */
  amountFen: number;
  subtotalFen: number;
  /** True for the steps that take something off (shown as −¥…). */
  isDeduction: boolean;
  /** The offers behind a step as the lines name them: 家庭卡 8 折, 家庭卡·补牙代金券. */
  /** The offers behind a step: a tier's, card's or voucher's label, with the rate of a percentage. */
  labels: { text: string; rateBp: number | undefined }[];
  sentence: string;
};

const deductionKinds = new Set<string>(['manual', 'tier_discount', 'card_discount', 'voucher', 'points']);
// 门店优惠 and 积分抵现 name nothing beyond the step itself; a tier, card or voucher has a name and a rate.
const namedKinds = new Set<string>(['tier_discount', 'card_discount', 'voucher']);

/**
 * The explanation steps of a quote, each with the names of the offers behind it, read from the
 * lines' deductions of the same kind and source (a card's step shows "家庭卡 8 折").
 */
export const explanationRowsOf = (quote: Quote): ExplanationRow[] =>
  quote.explanation.map((step) => {
    const isDeduction = deductionKinds.has(step.kind);
    const labels = namedKinds.has(step.kind)
      ? [
          ...new Map(
            quote.lines.flatMap((line) =>
              line.deductions
                .filter((deduction) => deduction.kind === step.kind && (step.sourceId === null || deduction.sourceId === step.sourceId))
                .map((deduction) => [deduction.label, { text: deduction.label, rateBp: deduction.rateBp }] as const),
            ),
          ).values(),
        ]
      : [];
    return {
      kind: isExplanationStepKind(step.kind) ? step.kind : undefined,
      amountFen: step.amountFen,
      subtotalFen: step.subtotalFen,
      isDeduction,
      labels,
      sentence: step.sentence,
    };
  });
