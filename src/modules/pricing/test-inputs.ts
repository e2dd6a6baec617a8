/** Pricing inputs for tests: everything off unless a test sets it. */
import { defaultPricingSettings, type PricingInput, type PricingLine, type PricingPoints } from './schemas.js';

/** Points offered at 100 points per ¥1, no minimum and no caps. */
export const pointsInput = (overrides: Partial<PricingPoints> = {}): PricingPoints => ({
  requestedPoints: 0,
  pointsPerYuan: 100,
  minimumPoints: 0,
  maxPercentOfOrder: null,
  maxFen: null,
  excludedKinds: [],
  excludedCategoryIds: [],
  ...overrides,
});

/** An order of the given lines on a date, with no tier, cards, vouchers, points or stored value. */
export const orderInput = (at: string, lines: PricingLine[], overrides: Partial<PricingInput> = {}): PricingInput => ({
  at,
  lines,
  tier: null,
  cards: [],
  vouchers: [],
  points: null,
  storedValue: null,
  settings: defaultPricingSettings,
  ...overrides,
});
