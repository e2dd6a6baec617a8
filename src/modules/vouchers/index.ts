// What other modules may call: issuing vouchers, and the checkout's use and restore of wallet vouchers.

export { distributionRunJobKind, runDistributionJobStep } from './distributions.js';
export { type CustomerVoucherRow, type IssueOutcome, issueOrRefuse, issueToMany, issueVoucher } from './issue.js';
export { giftIdsAbove, issuePendingTierGifts, voidTierGiftVouchers } from './tier-gifts.js';
export { parseWalletPricingId, restoreVouchersOfOrder, toPricingVoucher, useVouchersForOrder, vouchersForOrder } from './wallet.js';
