import type { ReferralSettings } from './referral-queries';

/** A partner level as the form edits it: the multiplier as a decimal (1.5) instead of basis points. */
export type PartnerLevelValues = {
  name: string;
  minConsumptionFen: number | undefined;
  minSuccessfulReferrals: number;
  multiplier: number;
  benefits: string;
};

type VoucherChoice = string | null | undefined;

/**
 * The 转介绍 settings as the form edits them: the API's shape (so the server's field paths land
 * on the fields), a cleared voucher picker as undefined, multipliers as decimals.
 */
export type ReferralSettingsValues = Omit<ReferralSettings, 'partnerLevels' | 'deal' | 'registration'> & {
  deal: { points: number; referrerVoucherTemplateId: VoucherChoice; referredVoucherTemplateId: VoucherChoice };
  registration: { referrerPoints: number; referrerVoucherTemplateId: VoucherChoice };
  partnerLevels: PartnerLevelValues[];
};

export const toValues = (settings: ReferralSettings): ReferralSettingsValues => ({
  ...settings,
  partnerLevels: settings.partnerLevels.map((level) => ({
    name: level.name,
    minConsumptionFen: level.minConsumptionFen,
    minSuccessfulReferrals: level.minSuccessfulReferrals,
    multiplier: level.referrerMultiplierBasisPoints / 10_000,
    benefits: level.benefits,
  })),
});

/** Back to the API's shape. There is no cash field to fill: the settings have none. */
export const toSettings = (values: ReferralSettingsValues): ReferralSettings => ({
  isEnabled: values.isEnabled,
  deal: {
    points: values.deal.points,
    referrerVoucherTemplateId: values.deal.referrerVoucherTemplateId ?? null,
    referredVoucherTemplateId: values.deal.referredVoucherTemplateId ?? null,
  },
  arrival: { referrerPoints: values.arrival.referrerPoints },
  registration: { referrerPoints: values.registration.referrerPoints, referrerVoucherTemplateId: values.registration.referrerVoucherTemplateId ?? null },
  windowDays: values.windowDays,
  isClawbackOnRefund: values.isClawbackOnRefund,
  monthlyRewardCap: values.monthlyRewardCap,
  flagThreshold: values.flagThreshold,
  partnerLevels: values.partnerLevels.map((level) => ({
    name: level.name.trim(),
    minConsumptionFen: level.minConsumptionFen ?? 0,
    minSuccessfulReferrals: level.minSuccessfulReferrals,
    // ×1.1 is 11 000 basis points; rounding guards against 1.1 × 10 000 = 11 000.000000000002.
    referrerMultiplierBasisPoints: Math.round(level.multiplier * 10_000),
    benefits: level.benefits.trim(),
  })),
});
