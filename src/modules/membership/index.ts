// What other modules may call: tier evaluation in their transactions, and the current tier with its benefits.

export { birthdayBenefitStatus, birthdayFromColumns } from './birthday.js';
export {
  changeTierManually,
  evaluateTier,
  markTierGiftsVoided,
  measureFigures,
  recordTopUpForTier,
  recordTopUpRefundForTier,
  type TierCause,
  type TierEvaluation,
  type TierGiftDecision,
} from './evaluate.js';
export { type CurrentTier, currentTierOf, currentTierScopeKey, membershipOf, pricingTierOf, toPricingTier } from './queries.js';
export { renewEndedTierPeriodsBatch } from './retention.js';
export { membershipRoutes } from './routes.js';
export type { BirthdayBenefit, TierBenefits } from './rules.js';
export { windowOf } from './rules.js';
export { type TierInput, ZPortalMembership } from './schemas.js';
export { membershipPendingGifts, membershipTiers } from './tables.js';
export { createTier, updateTier } from './tiers.js';
export { assertCustomerWording, forbiddenWordsIn } from './wording.js';
