import { describe, expect, it } from 'vitest';
import {
  isFlagged,
  isOverMonthlyCap,
  isRecordedBeforeArrival,
  isWithinWindow,
  maskName,
  rateOf,
  referralStageOf,
  referrerPointsOf,
  rewardLines,
} from './rules.js';
import { referralSettingsSetting, ZReferralSettings } from './settings.js';

const settings = referralSettingsSetting.defaults;

describe('referral reward rules', () => {
  it('a first deal within 90 days of the referral qualifies; day 91 does not', () => {
    expect(isWithinWindow('2026-03-01', '2026-03-01', 90)).toBe(true);
    expect(isWithinWindow('2026-03-01', '2026-05-30', 90)).toBe(true);
    expect(isWithinWindow('2026-03-01', '2026-05-31', 90)).toBe(false);
    expect(isWithinWindow('2026-03-02', '2026-03-01', 90)).toBe(false);
  });

  it('the arrival reward needs the referrer on record before the friend arrived', () => {
    const arrived = new Date('2026-03-01T03:00:00Z');
    expect(isRecordedBeforeArrival(new Date('2026-03-01T02:59:00Z'), arrived)).toBe(true);
    expect(isRecordedBeforeArrival(new Date('2026-03-01T03:01:00Z'), arrived)).toBe(false);
  });

  it('the partner multiplier applies to the referrer, rounded down: 金牌 ×1.5 of 500 is 750', () => {
    expect(referrerPointsOf(500, 15_000)).toBe(750);
    expect(referrerPointsOf(333, 12_000)).toBe(399);
    expect(referrerPointsOf(500, 10_000)).toBe(500);
  });

  it('the 11th referral rewarded in a month is capped at 10; a referral already rewarded this month is not counted twice', () => {
    expect(isOverMonthlyCap({ rewardedReferralsThisMonth: 9, isThisReferralRewardedThisMonth: false, cap: 10 })).toBe(false);
    expect(isOverMonthlyCap({ rewardedReferralsThisMonth: 10, isThisReferralRewardedThisMonth: false, cap: 10 })).toBe(true);
    expect(isOverMonthlyCap({ rewardedReferralsThisMonth: 10, isThisReferralRewardedThisMonth: true, cap: 10 })).toBe(false);
  });

  it('flags a referrer with as many referrals in 30 days as the threshold', () => {
    expect(isFlagged(4, 5)).toBe(false);
    expect(isFlagged(5, 5)).toBe(true);
  });

  it('stages: registered, then arrived, then dealt', () => {
    expect(referralStageOf({ arrivedAt: null, dealtAt: null })).toBe('registered');
    expect(referralStageOf({ arrivedAt: new Date(), dealtAt: null })).toBe('arrived');
    expect(referralStageOf({ arrivedAt: null, dealtAt: new Date() })).toBe('dealt');
  });

  it('rates to one decimal, 0 of nothing', () => {
    expect(rateOf(1, 3)).toBe(33.3);
    expect(rateOf(2, 3)).toBe(66.7);
    expect(rateOf(0, 0)).toBe(0);
  });

  it('masks names for other customers', () => {
    expect(maskName('王雅婷')).toBe('王**');
    expect(maskName('李倩')).toBe('李*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
  });

  it('promises points and vouchers in customer words, never cash', () => {
    const lines = rewardLines({ ...settings, arrival: { referrerPoints: 100 } }, {});
    expect(lines).toEqual(['好友 90 天内首次消费成交，双方各得 500 积分，好友的积分当单即可抵扣', '好友首次到店，推荐人得 100 积分']);
    const withVouchers = rewardLines(settings, { dealReferred: '¥100 新客券（无门槛）', registrationReferrer: '小气泡清洁体验券' });
    expect(withVouchers).toEqual([
      '好友 90 天内首次消费成交，好友得 500 积分 + 「¥100 新客券（无门槛）」',
      '好友首次消费成交，推荐人得 500 积分',
      '好友通过邀请注册，推荐人得 「小气泡清洁体验券」',
    ]);
    for (const line of [...lines, ...withVouchers]) expect(line).not.toMatch(/现金|返现|返利|元/);
    expect(rewardLines({ ...settings, isEnabled: false }, {})).toEqual([]);
  });

  it('the settings have no cash reward and refuse one', () => {
    const withCash = { ...settings, deal: { ...settings.deal, cashFen: 5000 } };
    expect(ZReferralSettings.safeParse(withCash).success).toBe(false);
    expect(ZReferralSettings.safeParse(settings).success).toBe(true);
  });

  it('partner levels must start at 0/0 and rise', () => {
    const [first, second] = settings.partnerLevels;
    expect(ZReferralSettings.safeParse({ ...settings, partnerLevels: [{ ...first, minSuccessfulReferrals: 1 }] }).success).toBe(false);
    expect(ZReferralSettings.safeParse({ ...settings, partnerLevels: [first, first] }).success).toBe(false);
    expect(ZReferralSettings.safeParse({ ...settings, partnerLevels: [second, first] }).success).toBe(false);
  });
});
