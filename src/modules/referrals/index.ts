// What flows and other modules may call: the first-deal reward and its claw-back.

export { ensureReferralCode, findCustomerByReferralCode } from './codes.js';
export { referralPortalRoutes } from './portal-routes.js';
export { applyReferrerChange, checkReferrerChange, type ReferralChannel, recordReferral } from './record-referral.js';
export { clawBackDealRewards, prospectiveDealPoints, recordArrival, rewardFirstDeal, rewardRegistration } from './rewards.js';
export { referralRoutes } from './routes.js';
export { referralSettingsSetting } from './settings.js';
export { referrals } from './tables.js';
