import type { AttributionShare, Item, OrderLineInput } from '../../shared/api-models';

/** A line being rung up; undefined numbers are boxes that do not hold a valid value right now. */
export type CartLine = {
  key: string;
  item: Item;
  quantity: number | undefined;
  unitPriceFen: number | undefined;
  discountFen: number | undefined;
  attribution: AttributionShare[];
};

let lineCounter = 0;

/** Quantity 1 at the list price, credited as the caller says (usually the customer's consultant). */
export const newCartLine = (item: Item, attribution: AttributionShare[]): CartLine => {
  lineCounter += 1;
  return { key: `line-${lineCounter}`, item, quantity: 1, unitPriceFen: item.priceFen, discountFen: 0, attribution };
};

/** The customer's consultant gets 100 % of a line by default, when she has one. */
export const defaultAttribution = (consultantId: string | null | undefined): AttributionShare[] =>
  consultantId ? [{ staffId: consultantId, role: 'consultant', ratioPercent: 100 }] : [];

export const lineGrossFen = (line: CartLine): number => (line.unitPriceFen ?? 0) * (line.quantity ?? 0);
export const lineAmountFen = (line: CartLine): number => Math.max(0, lineGrossFen(line) - (line.discountFen ?? 0));

/** Ratios in hundredths of a percent, as the server counts them. */
export const toBasisPoints = (ratioPercent: number): number => Math.round(ratioPercent * 100);

export type AttributionProblem = 'sum' | 'duplicate' | 'ratio';

/** The server's rule: ratios > 0 with at most two decimals, summing to exactly 100; one role per staff member once. */
export const attributionProblemOf = (shares: readonly AttributionShare[]): AttributionProblem | undefined => {
  if (shares.length === 0) return undefined;
  if (shares.some((share) => share.ratioPercent <= 0 || Math.abs(share.ratioPercent * 100 - toBasisPoints(share.ratioPercent)) > 1e-9)) return 'ratio';
  if (shares.reduce((sum, share) => sum + toBasisPoints(share.ratioPercent), 0) !== 10_000) return 'sum';
  if (new Set(shares.map((share) => `${share.staffId}:${share.role}`)).size !== shares.length) return 'duplicate';
  return undefined;
};

export type LineProblem = 'quantity' | 'unitPrice' | 'discount' | 'discountTooLarge' | AttributionProblem;

export const lineProblemOf = (line: CartLine): LineProblem | undefined => {
  if (line.quantity === undefined || !Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > 999) return 'quantity';
  if (line.unitPriceFen === undefined) return 'unitPrice';
  if (line.discountFen === undefined) return 'discount';
  if (line.discountFen > lineGrossFen(line)) return 'discountTooLarge';
  return attributionProblemOf(line.attribution);
};

export const cartTotals = (lines: readonly CartLine[]) => {
  const grossFen = lines.reduce((sum, line) => sum + lineGrossFen(line), 0);
  const totalFen = lines.reduce((sum, line) => sum + lineAmountFen(line), 0);
  return { grossFen, discountFen: grossFen - totalFen, totalFen };
};

/** The line as POST /orders wants it; only for a line without a problem. */
export const toOrderLineInput = (line: CartLine): OrderLineInput => ({
  itemId: line.item.id,
  quantity: line.quantity ?? 1,
  unitPriceFen: line.unitPriceFen ?? line.item.priceFen,
  ...(line.discountFen ? { discountFen: line.discountFen } : {}),
  ...(line.attribution.length > 0 ? { attribution: line.attribution } : {}),
});

/** Splits 100 % evenly in hundredths, the first shares taking the remainder: 3 → 33.34, 33.33, 33.33. */
export const evenRatios = (count: number): number[] => {
  if (count <= 0) return [];
  const base = Math.floor(10_000 / count);
  const extra = 10_000 - base * count;
  return Array.from({ length: count }, (_, index) => (base + (index < extra ? 1 : 0)) / 100);
};
