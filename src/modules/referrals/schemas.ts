import { z } from 'zod';
import { ZTimestamp } from '../../platform/http.js';
import { referralStages, rewardSides, rewardStatuses } from './rules.js';

export const referralChannels = ['code', 'staff', 'import'] as const;
export const referralStagesOfCustomer = ['registered', 'arrived', 'dealt'] as const;

export const ZReferralReward = z
  .object({
    id: z.uuid(),
    referralId: z.uuid(),
    customerId: z.uuid(),
    customerName: z.string(),
    side: z.enum(rewardSides),
    stage: z.enum(referralStages),
    /** points | voucher | points_voucher */
    kind: z.string(),
    points: z.number().int().nullable(),
    voucherId: z.uuid().nullable(),
    orderId: z.uuid().nullable(),
    status: z.enum(rewardStatuses),
    /** Why, in words: the label, and for a capped, skipped or clawed-back reward what happened. */
    note: z.string(),
    /** Cash value for the liability report (points at the redemption rate + the voucher's face value); never paid out. */
    valueFen: z.number().int(),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'ReferralReward' });
export type ReferralRewardView = z.infer<typeof ZReferralReward>;

export const ZReferredCustomer = z.object({
  referralId: z.uuid(),
  customerId: z.uuid(),
  name: z.string(),
  channel: z.enum(referralChannels),
  stage: z.enum(referralStagesOfCustomer),
  referredAt: ZTimestamp,
  arrivedAt: ZTimestamp.nullable(),
  dealtAt: ZTimestamp.nullable(),
  firstDealOrderId: z.uuid().nullable(),
  rewards: z.array(ZReferralReward),
});

export const ZPartnerStanding = z
  .object({
    figures: z.object({ consumptionFen: z.number().int(), successfulReferrals: z.number().int() }),
    level: z.object({ index: z.number().int(), name: z.string(), benefits: z.string(), referrerMultiplierBasisPoints: z.number().int() }),
    reasons: z.array(z.string()),
    next: z
      .object({
        index: z.number().int(),
        name: z.string(),
        benefits: z.string(),
        missingConsumptionFen: z.number().int(),
        missingReferrals: z.number().int(),
        percent: z.number().int(),
        sentence: z.string(),
      })
      .nullable(),
  })
  .meta({ id: 'PartnerStanding' });

export const ZCustomerReferrals = z
  .object({
    customerId: z.uuid(),
    /** Her referral code; null until first asked for (GET …/referral-code creates it). */
    code: z.string().nullable(),
    referrer: z
      .object({
        referralId: z.uuid(),
        customerId: z.uuid(),
        name: z.string(),
        channel: z.enum(referralChannels),
        stage: z.enum(referralStagesOfCustomer),
        referredAt: ZTimestamp,
      })
      .nullable(),
    /** Staff may set or change her referrer only before her first visit. */
    canChangeReferrer: z.boolean(),
    changeProblem: z.string().nullable(),
    referred: z.array(ZReferredCustomer),
    /** Every reward she received, as referrer or as referred customer. */
    rewards: z.array(ZReferralReward),
    totals: z.object({
      referred: z.number().int(),
      arrived: z.number().int(),
      dealt: z.number().int(),
      pointsGiven: z.number().int(),
      capped: z.number().int(),
      clawedBack: z.number().int(),
    }),
    partner: ZPartnerStanding,
    activity: z.object({ referralsLast30Days: z.number().int(), isFlagged: z.boolean(), threshold: z.number().int() }),
  })
  .meta({ id: 'CustomerReferrals' });
export type CustomerReferrals = z.infer<typeof ZCustomerReferrals>;

export const ZReferralCode = z
  .object({
    code: z.string(),
    /** The portal registration link with her code, on the host the console is served from. */
    url: z.string(),
    /** The link as a QR code (SVG markup). */
    qrSvg: z.string(),
  })
  .meta({ id: 'ReferralCode' });

export const ZDateRangeQuery = z
  .strictObject({
    from: z.iso.date('日期格式须为 YYYY-MM-DD').optional(),
    to: z.iso.date('日期格式须为 YYYY-MM-DD').optional(),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { message: '开始日期不能晚于结束日期', path: ['to'] });

export const ZReferralReport = z
  .object({
    from: z.string(),
    to: z.string(),
    /** The period's referrals (recorded from … to) and how far they came, up to now. */
    funnel: z.object({
      referred: z.number().int(),
      arrived: z.number().int(),
      dealt: z.number().int(),
      /** arrived ÷ referred, %. */
      arrivalRatePercent: z.number(),
      /** dealt ÷ referred, %: the referral conversion rate. */
      conversionRatePercent: z.number(),
      /** dealt ÷ arrived, %. */
      arrivedToDealtPercent: z.number(),
    }),
    /** First deals (首次成交: customers whose first deal fell in the period) and how many came by referral. */
    firstDeals: z.object({ total: z.number().int(), byReferral: z.number().int(), sharePercent: z.number() }),
    /** All deal orders placed in the period, and how many were by referred customers. */
    dealOrders: z.object({ total: z.number().int(), byReferral: z.number().int(), sharePercent: z.number() }),
    /** Rewards recorded in the period. */
    rewards: z.object({
      given: z.number().int(),
      pointsGiven: z.number().int(),
      vouchersGiven: z.number().int(),
      capped: z.number().int(),
      skipped: z.number().int(),
      clawedBack: z.number().int(),
      valueFen: z.number().int(),
    }),
    referrers: z.array(
      z.object({
        customerId: z.uuid(),
        name: z.string(),
        referred: z.number().int(),
        arrived: z.number().int(),
        dealt: z.number().int(),
        rewardsGiven: z.number().int(),
        pointsGiven: z.number().int(),
        capped: z.number().int(),
        referralsLast30Days: z.number().int(),
        isFlagged: z.boolean(),
        partnerLevel: z.string(),
      }),
    ),
    flagThreshold: z.number().int(),
  })
  .meta({ id: 'ReferralReport' });
export type ReferralReport = z.infer<typeof ZReferralReport>;
