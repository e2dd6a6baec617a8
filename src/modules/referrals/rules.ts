import { daysBetween } from '../../platform/clock.js';

/**
 * The reward rules of the referral programme, pure (SPEC §11, COMPLIANCE §7). The caller reads
 * the settings and the ledger; these decide.
 */

export const referralStages = ['registration', 'arrival', 'deal'] as const;
export type RewardStage = (typeof referralStages)[number];
export const rewardSides = ['referrer', 'referred'] as const;
export type RewardSide = (typeof rewardSides)[number];
/** given; capped (over the referrer's monthly cap: recorded, nothing given); skipped (nothing could be given, e.g. the voucher ran out); clawed_back (a refund took it back). */
export const rewardStatuses = ['given', 'capped', 'skipped', 'clawed_back'] as const;
export type RewardStatus = (typeof rewardStatuses)[number];

export const stageLabels: Record<RewardStage, string> = { registration: '好友注册', arrival: '好友到店', deal: '好友首次成交' };
export const sideLabels: Record<RewardSide, string> = { referrer: '推荐人', referred: '被推荐人' };

/** How far a referred customer came: 已注册 → 已到店 → 已成交. */
export type ReferralStage = 'registered' | 'arrived' | 'dealt';
export const referralStageOf = (referral: { arrivedAt: Date | null; dealtAt: Date | null }): ReferralStage =>
  referral.dealtAt ? 'dealt' : referral.arrivedAt ? 'arrived' : 'registered';

/**
 * The reward window: a first deal on the day the referral was recorded up to `windowDays` days
 * after it qualifies; later (or, for imported data, before the referral) gives nothing.
 */
export const isWithinWindow = (referredOn: string, dealtOn: string, windowDays: number): boolean => {
  const days = daysBetween(referredOn, dealtOn);
  return days >= 0 && days <= windowDays;
};

/** The arrival reward needs the referrer on record before the friend walked in. */
export const isRecordedBeforeArrival = (referredAt: Date, arrivedAt: Date): boolean => referredAt.getTime() <= arrivedAt.getTime();

/** The referrer's deal points under her partner level's multiplier, rounded down. */
export const referrerPointsOf = (points: number, multiplierBasisPoints: number): number => Math.floor((points * multiplierBasisPoints) / 10_000);

/**
 * The monthly cap: a referrer is rewarded for at most `cap` referrals per calendar month. A
 * referral already rewarded this month (an earlier stage) does not count twice.
 */
export const isOverMonthlyCap = (input: { rewardedReferralsThisMonth: number; isThisReferralRewardedThisMonth: boolean; cap: number }): boolean =>
  !input.isThisReferralRewardedThisMonth && input.rewardedReferralsThisMonth >= input.cap;

/** Unusually active: as many referrals in the last 30 days as the threshold, or more. */
export const isFlagged = (referralsLast30Days: number, threshold: number): boolean => referralsLast30Days >= threshold;

/** Percentages for the report, one decimal; 0 when there is nothing to divide. */
export const rateOf = (part: number, whole: number): number => (whole <= 0 ? 0 : Math.round((part * 1000) / whole) / 10);

const points = (value: number) => `${value.toLocaleString('en-US')} 积分`;

/**
 * What the programme promises, in customer-facing lines (the poster and the invite page):
 * points and vouchers only, never cash.
 */
export const rewardLines = (
  settings: {
    isEnabled: boolean;
    deal: { points: number };
    arrival: { referrerPoints: number };
    registration: { referrerPoints: number };
    windowDays: number;
  },
  vouchers: { dealReferrer?: string | null; dealReferred?: string | null; registrationReferrer?: string | null },
): string[] => {
  if (!settings.isEnabled) return [];
  const lines: string[] = [];
  const referredGift = [settings.deal.points > 0 ? points(settings.deal.points) : null, vouchers.dealReferred ? `「${vouchers.dealReferred}」` : null].filter(
    Boolean,
  );
  const referrerGift = [settings.deal.points > 0 ? points(settings.deal.points) : null, vouchers.dealReferrer ? `「${vouchers.dealReferrer}」` : null].filter(
    Boolean,
  );
  if (settings.deal.points > 0 && !vouchers.dealReferred && !vouchers.dealReferrer) {
    lines.push(`好友 ${settings.windowDays} 天内首次消费成交，双方各得 ${points(settings.deal.points)}，好友的积分当单即可抵扣`);
  } else {
    if (referredGift.length > 0) lines.push(`好友 ${settings.windowDays} 天内首次消费成交，好友得 ${referredGift.join(' + ')}`);
    if (referrerGift.length > 0) lines.push(`好友首次消费成交，推荐人得 ${referrerGift.join(' + ')}`);
  }
  if (settings.arrival.referrerPoints > 0) lines.push(`好友首次到店，推荐人得 ${points(settings.arrival.referrerPoints)}`);
  const registration = [
    settings.registration.referrerPoints > 0 ? points(settings.registration.referrerPoints) : null,
    vouchers.registrationReferrer ? `「${vouchers.registrationReferrer}」` : null,
  ].filter(Boolean);
  if (registration.length > 0) lines.push(`好友通过邀请注册，推荐人得 ${registration.join(' + ')}`);
  return lines;
};

/** Said wherever the programme is shown (反不正当竞争法): rewards are points or vouchers, never cash. */
export const noCashStatement = '推荐奖励仅为积分、优惠券或服务，不提供现金返利';
/** Said to the friend being invited: she is told the referrer is rewarded. */
export const referrerRewardedStatement = '告知好友：推荐人将获得奖励';

/** 王雅婷 → 王**: a name shown to other customers (the poster, the friend's invite, her list of friends). */
export const maskName = (name: string): string => {
  const characters = [...name.trim()];
  if (characters.length === 0) return '*';
  return `${characters[0]}${'*'.repeat(Math.max(1, characters.length - 1))}`;
};
