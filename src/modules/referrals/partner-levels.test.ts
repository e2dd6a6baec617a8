import { describe, expect, it } from 'vitest';
import { type PartnerLevelRule, partnerStandingOf } from './partner-levels.js';
import { defaultPartnerLevels } from './settings.js';

const levels: PartnerLevelRule[] = defaultPartnerLevels;

describe('美学合伙人 levels', () => {
  it('everyone starts at 见习 with nothing spent and nobody referred', () => {
    const standing = partnerStandingOf(levels, { consumptionFen: 0, successfulReferrals: 0 });
    expect(standing.level.name).toBe('见习合伙人');
    expect(standing.level.referrerMultiplierBasisPoints).toBe(10_000);
    expect(standing.next).toMatchObject({ name: '正式合伙人', missingConsumptionFen: 1_000_000, missingReferrals: 2, percent: 0 });
    expect(standing.next?.sentence).toBe('还差消费 ¥10,000.00、成功推荐 2 人即可成为正式合伙人');
  });

  it('正式 needs both ¥10,000 in 12 months and 2 successful referrals', () => {
    expect(partnerStandingOf(levels, { consumptionFen: 1_000_000, successfulReferrals: 2 }).level.name).toBe('正式合伙人');
    expect(partnerStandingOf(levels, { consumptionFen: 999_999, successfulReferrals: 9 }).level.name).toBe('见习合伙人');
    expect(partnerStandingOf(levels, { consumptionFen: 9_000_000, successfulReferrals: 1 }).level.name).toBe('见习合伙人');
  });

  it('金牌 at ¥50,000 and 5 referrals, with the ×1.5 multiplier and no next level', () => {
    const standing = partnerStandingOf(levels, { consumptionFen: 5_000_000, successfulReferrals: 5 });
    expect(standing.level).toMatchObject({ index: 2, name: '金牌合伙人', referrerMultiplierBasisPoints: 15_000 });
    expect(standing.next).toBeNull();
    expect(standing.reasons).toEqual(['近 12 个月消费 ¥50,000.00（金牌合伙人需 ¥50,000.00）', '成功推荐 5 人（金牌合伙人需 5 人）']);
  });

  it('says only what is missing for the next level, with progress by the weaker criterion', () => {
    const standing = partnerStandingOf(levels, { consumptionFen: 2_500_000, successfulReferrals: 4 });
    expect(standing.level.name).toBe('正式合伙人');
    expect(standing.next).toMatchObject({ name: '金牌合伙人', missingConsumptionFen: 2_500_000, missingReferrals: 1, percent: 50 });
    const onlyReferrals = partnerStandingOf(levels, { consumptionFen: 6_000_000, successfulReferrals: 3 });
    expect(onlyReferrals.next?.sentence).toBe('还差成功推荐 2 人即可成为金牌合伙人');
    expect(onlyReferrals.next?.missingConsumptionFen).toBe(0);
  });

  it('works with a clinic’s own single level', () => {
    const standing = partnerStandingOf([{ ...levels[0], name: '合伙人' } as PartnerLevelRule], { consumptionFen: 10, successfulReferrals: 1 });
    expect(standing.level.name).toBe('合伙人');
    expect(standing.next).toBeNull();
  });
});
