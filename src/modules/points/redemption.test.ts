import { describe, expect, it } from 'vitest';
import { decideRedemption, pointsValueFen, type RedemptionCheck, type RedemptionRules } from './redemption.js';

const rules: RedemptionRules = {
  isEnabled: true,
  pointsPerYuan: 100,
  minimumPoints: 100,
  perOrderCap: { kind: 'percent', percent: 50 },
  excludedKinds: ['drug'],
  excludedCategoryIds: [],
  monthlyCapPercent: 30,
};
const check = (overrides: Partial<RedemptionCheck>): RedemptionCheck => ({
  points: 10_000,
  orderDueFen: 100_000,
  lines: [{ kind: 'service', categoryId: null, amountFen: 100_000 }],
  alreadyOnOrderFen: 0,
  monthRedeemedFen: 0,
  monthConsumptionFen: 1_000_000,
  ...overrides,
});

describe('points-for-cash (积分抵现)', () => {
  it('100 points are ¥1; only whole fen', () => {
    expect(pointsValueFen(150, 100)).toBe(150);
    expect(pointsValueFen(1, 300)).toBeUndefined();
    expect(decideRedemption(check({}), rules)).toEqual({ ok: true, amountFen: 10_000, maxFen: 50_000 });
  });

  it('refuses below the minimum and above the per-order cap', () => {
    expect(decideRedemption(check({ points: 99 }), rules)).toMatchObject({ ok: false, reason: '积分抵现至少使用 100 积分' });
    expect(decideRedemption(check({ points: 50_100 }), rules)).toMatchObject({ ok: false, maxFen: 50_000 });
  });

  it('never pays for excluded kinds such as drugs', () => {
    const decision = decideRedemption(
      check({
        points: 20_000,
        lines: [
          { kind: 'drug', categoryId: null, amountFen: 90_000 },
          { kind: 'goods', categoryId: null, amountFen: 10_000 },
        ],
      }),
      rules,
    );
    expect(decision).toMatchObject({ ok: false, maxFen: 10_000 });
  });

  it('keeps the month’s redemptions within 30 % of the month’s consumption (seed 001)', () => {
    const decision = decideRedemption(check({ points: 20_000, monthConsumptionFen: 200_000, monthRedeemedFen: 50_000 }), rules);
    expect(decision).toMatchObject({ ok: false, maxFen: 10_000 });
    if (!decision.ok) expect(decision.reason).toContain('本月积分抵现已达上限');
  });
});
