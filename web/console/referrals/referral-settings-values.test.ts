import { describe, expect, it } from 'vitest';
import type { ReferralSettings } from './referral-queries';
import { toSettings, toValues } from './referral-settings-values';

const templateId = '0193a1b2-0000-7000-8000-000000000001';

const saved: ReferralSettings = {
  isEnabled: true,
  deal: { points: 500, referrerVoucherTemplateId: null, referredVoucherTemplateId: templateId },
  arrival: { referrerPoints: 100 },
  registration: { referrerPoints: 0, referrerVoucherTemplateId: null },
  windowDays: 90,
  isClawbackOnRefund: true,
  monthlyRewardCap: 10,
  flagThreshold: 5,
  partnerLevels: [
    { name: '见习合伙人', minConsumptionFen: 0, minSuccessfulReferrals: 0, benefits: '起步', referrerMultiplierBasisPoints: 10_000 },
    { name: '金牌合伙人', minConsumptionFen: 5_000_000, minSuccessfulReferrals: 5, benefits: '×1.5', referrerMultiplierBasisPoints: 15_000 },
  ],
};

describe('referral settings form values', () => {
  it('round-trips the saved settings', () => {
    expect(toSettings(toValues(saved))).toEqual(saved);
  });

  it('shows multipliers as decimals and turns 1.1 back into exactly 11 000 basis points', () => {
    const values = toValues(saved);
    expect(values.partnerLevels.map((level) => level.multiplier)).toEqual([1, 1.5]);
    const edited = { ...values, partnerLevels: values.partnerLevels.map((level, index) => (index === 1 ? { ...level, multiplier: 1.1 } : level)) };
    expect(toSettings(edited).partnerLevels[1]?.referrerMultiplierBasisPoints).toBe(11_000);
  });

  it('an emptied voucher picker means no voucher, and no cash field ever appears', () => {
    const values = toValues(saved);
    const settings = toSettings({ ...values, deal: { ...values.deal, referredVoucherTemplateId: undefined } });
    expect(settings.deal).toEqual({ points: 500, referrerVoucherTemplateId: null, referredVoucherTemplateId: null });
    expect(JSON.stringify(settings)).not.toMatch(/cash|commission/i);
  });
});
