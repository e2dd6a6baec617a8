// What other modules may call: issuing vouchers, and the checkout's use and restore of wallet vouchers.

export { type AudienceCursor, type AudienceReport, audienceChunk, audienceCondition, audienceSize, prepareAudience } from './audience.js';
export { claimByCode } from './claim.js';
export { voucherDistributionRoutes } from './distribution-routes.js';
export {
  type AudienceFilter,
  type AudienceInput,
  type StoredAudience,
  ZAudienceFilter,
  ZAudienceInput,
  ZAudiencePreview,
  ZAudienceView,
} from './distribution-schemas.js';
export {
  createDistribution,
  distributionRunJobKind,
  dueDistributionIds,
  issueRegistrationVouchers,
  issueShareRewards,
  runDistributionJobStep,
  runDistributionNow,
  runIfDue,
} from './distributions.js';
export { type CustomerVoucherRow, type IssueOutcome, issueOrRefuse, issueToMany, issueVoucher } from './issue.js';
export { voucherClaimPortalRoutes } from './portal-claim-routes.js';
export { voucherPortalRoutes } from './portal-routes.js';
export { queueVoucherExpiryReminders } from './reminders.js';
export { voucherRoutes } from './routes.js';
export { isDue, nextRunOn, periodOf, type Schedule } from './schedule.js';
export { customerVouchers, voucherTemplates } from './tables.js';
export { createVoucherTemplate, toTemplateView } from './templates.js';
export { giftIdsAbove, issuePendingTierGifts, voidTierGiftVouchers } from './tier-gifts.js';
export { verifyVoucherLedgers } from './verify.js';
export {
  getWalletVoucherRow,
  parseWalletPricingId,
  redeemByCode,
  restoreVouchersOfOrder,
  toPricingVoucher,
  useVouchersForOrder,
  voidVoucher,
  vouchersExpiringCondition,
  vouchersForOrder,
  vouchersUsedOnOrder,
} from './wallet.js';
