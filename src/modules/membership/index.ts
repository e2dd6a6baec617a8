// What other modules may call: tier evaluation in their transactions, and the current tier with its benefits.

export { birthdayBenefitStatus, birthdayFromColumns } from './birthday.js';
export {
  changeTierManually,
  evaluateTier,
  markTierGiftsVoided,
  recordTopUpForTier,
  recordTopUpRefundForTier,
  type TierCause,
  type TierEvaluation,
  type TierGiftDecision,
} from './evaluate.js';
export { type CurrentTier, currentTierOf, currentTierScopeKey, membershipOf, pricingTierOf, toPricingTier } from './queries.js';
export type { BirthdayBenefit, TierBenefits } from './rules.js';
