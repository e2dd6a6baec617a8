// What flows and other modules may call: the first-deal reward and its claw-back.
export { clawBackDealRewards, rewardFirstDeal } from './rewards.js';
