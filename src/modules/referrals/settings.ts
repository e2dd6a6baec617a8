import { z } from 'zod';
import { defineSetting } from '../settings/index.js';

/**
 * 美学合伙人 levels (seed 001): by consumption in the last 12 months and successful referrals
 * (referred customers who dealt). The first level is where everyone starts (0 and 0).
 */
export const ZPartnerLevel = z.strictObject({
  name: z.string().trim().min(1, '请输入等级名称').max(10, '等级名称最多 10 个字'),
  /** Money paid in the last 12 months, fen (not points, vouchers or stored-value spending). */
  minConsumptionFen: z.number().int('金额须为整数（分）').min(0).max(10_000_000_000),
  /** Referred customers who made a deal. */
  minSuccessfulReferrals: z.number().int().min(0).max(10_000),
  /** Level benefits as the customer reads them (checked against advertising wording). */
  benefits: z.string().trim().max(200, '权益说明最多 200 字'),
  /** Multiplies the referrer's deal-reward points: 15 000 = ×1.5. */
  referrerMultiplierBasisPoints: z.number().int().min(10_000, '倍数不能低于 1 倍').max(50_000, '倍数最多 5 倍'),
});
export type PartnerLevel = z.infer<typeof ZPartnerLevel>;

/**
 * 转介绍 settings (SPEC §11, COMPLIANCE §7). Rewards are points or vouchers (services are item
 * vouchers) and nothing else: the schema has no cash field at all, and refuses unknown fields.
 */
export const ZReferralSettings = z
  .strictObject({
    isEnabled: z.boolean(),
    /** The first deal (首次成交) of the referred customer: equal points to both (双方各得等值积分), and optional vouchers. */
    deal: z.strictObject({
      points: z.number().int().min(0).max(100_000),
      referrerVoucherTemplateId: z.uuid().nullable(),
      referredVoucherTemplateId: z.uuid().nullable(),
    }),
    /** The referred customer's first visit, when the referrer was recorded before it: points to the referrer (0: off). */
    arrival: z.strictObject({ referrerPoints: z.number().int().min(0).max(100_000) }),
    /** 分享得券: the friend registers through the inviter's link or code; points and/or a voucher to the inviter. */
    registration: z.strictObject({
      referrerPoints: z.number().int().min(0).max(100_000),
      referrerVoucherTemplateId: z.uuid().nullable(),
    }),
    /** A first deal more than this many days after the referral was recorded gives nothing. */
    windowDays: z.number().int().min(1, '奖励期限至少 1 天').max(3650),
    /** A first-deal order refunded in full takes its deal rewards back (points reversed, unused vouchers voided). */
    isClawbackOnRefund: z.boolean(),
    /** Referrals a referrer is rewarded for per calendar month; beyond it the reward is recorded as capped and nothing is given. */
    monthlyRewardCap: z.number().int().min(1).max(1000),
    /** Referrals in the last 30 days at which a referrer is flagged as unusually active. */
    flagThreshold: z.number().int().min(1).max(1000),
    partnerLevels: z.array(ZPartnerLevel).min(1, '至少保留一个合伙人等级').max(10, '最多 10 个合伙人等级'),
  })
  .superRefine((value, context) => {
    const [first] = value.partnerLevels;
    if (first && (first.minConsumptionFen !== 0 || first.minSuccessfulReferrals !== 0)) {
      context.addIssue({ code: 'custom', message: '第一个等级是起始等级：消费与推荐门槛须为 0', path: ['partnerLevels', 0, 'minConsumptionFen'] });
    }
    const names = new Set<string>();
    for (const [index, level] of value.partnerLevels.entries()) {
      if (names.has(level.name)) context.addIssue({ code: 'custom', message: '等级名称不能重复', path: ['partnerLevels', index, 'name'] });
      names.add(level.name);
      const previous = value.partnerLevels[index - 1];
      if (!previous) continue;
      const isHigher =
        level.minConsumptionFen >= previous.minConsumptionFen &&
        level.minSuccessfulReferrals >= previous.minSuccessfulReferrals &&
        (level.minConsumptionFen > previous.minConsumptionFen || level.minSuccessfulReferrals > previous.minSuccessfulReferrals);
      if (!isHigher) {
        context.addIssue({ code: 'custom', message: '每个等级的门槛须高于上一个等级', path: ['partnerLevels', index, 'minConsumptionFen'] });
      }
    }
  })
  .meta({ id: 'ReferralSettings' });

export type ReferralSettings = z.infer<typeof ZReferralSettings>;

export const defaultPartnerLevels: PartnerLevel[] = [
  {
    name: '见习合伙人',
    minConsumptionFen: 0,
    minSuccessfulReferrals: 0,
    benefits: '推荐好友成交，双方各得积分；可参加门店美学沙龙。',
    referrerMultiplierBasisPoints: 10_000,
  },
  {
    name: '正式合伙人',
    minConsumptionFen: 1_000_000,
    minSuccessfulReferrals: 2,
    benefits: '推荐奖励积分 1.2 倍；每月美学私享会；新品体验优先预约。',
    referrerMultiplierBasisPoints: 12_000,
  },
  {
    name: '金牌合伙人',
    minConsumptionFen: 5_000_000,
    minSuccessfulReferrals: 5,
    benefits: '推荐奖励积分 1.5 倍；受邀加入新品体验顾问团；专属美学顾问年度规划。',
    referrerMultiplierBasisPoints: 15_000,
  },
];

export const referralSettingsSetting = defineSetting<ReferralSettings>({
  key: 'referrals',
  schema: ZReferralSettings,
  label: '转介绍',
  defaults: {
    isEnabled: true,
    deal: { points: 500, referrerVoucherTemplateId: null, referredVoucherTemplateId: null },
    arrival: { referrerPoints: 0 },
    registration: { referrerPoints: 0, referrerVoucherTemplateId: null },
    windowDays: 90,
    isClawbackOnRefund: true,
    monthlyRewardCap: 10,
    flagThreshold: 5,
    partnerLevels: defaultPartnerLevels,
  },
});
