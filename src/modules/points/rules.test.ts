import { describe, expect, it } from 'vitest';
import { applyMultipliers, type EarningInput, type EarningRules, earnForPayments } from './rules.js';

const rules: EarningRules = {
  pointsPerYuan: { cash: 1, bank_card: 1, wechat: 1, alipay: 1 },
  tierBasisPoints: { platinum: 15_000 },
  memberDay: { dayOfMonth: 8, basisPoints: 20_000 },
  holidayBasisPoints: 20_000,
  weekdayBasisPoints: {},
  campaigns: [],
  itemMultipliers: [],
  stacking: 'multiply',
};

const order = (overrides: Partial<EarningInput> = {}): EarningInput => ({
  date: '2026-03-08',
  isHoliday: false,
  tierId: 'platinum',
  tierName: '铂金',
  payments: [{ method: 'wechat', amountFen: 300_000 }],
  lines: [{ lineId: 'l1', itemId: 'i1', categoryId: null, name: '热玛吉', unitPriceFen: 300_000, amountFen: 300_000 }],
  ...overrides,
});

describe('earning rules', () => {
  it('¥3 000 on member day by a 铂金 member earns 9 000 points: base 3 000 × tier 1.5 × member day 2', () => {
    const earning = earnForPayments(order(), rules);
    expect(earning.points).toBe(9_000);
    expect(earning.reasons).toEqual(['热玛吉：基础 3000 × 等级（铂金） 1.5 × 会员日 2 = 9000 积分']);
  });

  it('with "best wins" only the largest multiplier applies', () => {
    expect(earnForPayments(order(), { ...rules, stacking: 'best' }).points).toBe(6_000);
  });

  it('points and vouchers never earn; unknown methods earn nothing', () => {
    expect(earnForPayments(order({ payments: [{ method: 'points', amountFen: 300_000 }] }), rules).points).toBe(0);
    expect(earnForPayments(order({ payments: [{ method: 'voucher', amountFen: 300_000 }] }), rules).points).toBe(0);
  });

  it('a public holiday doubles, a make-up workday is not a holiday', () => {
    const noTier = { tierId: null, date: '2026-10-02' };
    expect(earnForPayments(order({ ...noTier, isHoliday: true }), rules).points).toBe(6_000);
    expect(earnForPayments(order({ ...noTier, isHoliday: false }), rules).points).toBe(3_000);
  });

  it("a clinic's own holiday doubles like a public one and is named in the reason", () => {
    const earning = earnForPayments(order({ tierId: null, date: '2026-05-20', isHoliday: true, clinicHolidayName: '520' }), rules);
    expect(earning.points).toBe(6_000);
    expect(earning.reasons).toEqual(['热玛吉：基础 3000 × 节日（520） 2 = 6000 积分']);
  });

  it('items above the price threshold earn more, others not', () => {
    const withItems = { ...rules, itemMultipliers: [{ categoryId: 'laser', minUnitPriceFen: 100_000, basisPoints: 20_000, name: '高客单项目' }] };
    const earning = earnForPayments(
      order({
        date: '2026-03-09',
        tierId: null,
        payments: [{ method: 'cash', amountFen: 150_000 }],
        lines: [
          { lineId: 'a', itemId: 'x', categoryId: 'laser', name: '光子', unitPriceFen: 128_000, amountFen: 128_000 },
          { lineId: 'b', itemId: 'y', categoryId: 'care', name: '面膜', unitPriceFen: 22_000, amountFen: 22_000 },
        ],
      }),
      withItems,
    );
    expect(earning.lines.map((line) => [line.basePoints, line.points])).toEqual([
      [1280, 2560],
      [220, 220],
    ]);
  });

  it('a weekday multiplier applies on that weekday only and is named by the day', () => {
    const saturdays = { ...rules, memberDay: null, weekdayBasisPoints: { '6': 15_000 } } as const;
    const saturday = earnForPayments(order({ date: '2026-03-07', tierId: null }), saturdays);
    expect(saturday.reasons).toEqual(['热玛吉：基础 3000 × 周六 1.5 = 4500 积分']);
    expect(earnForPayments(order({ date: '2026-03-09', tierId: null }), saturdays).points).toBe(3_000);
  });

  it('a campaign applies from its first to its last day, both included, under its own name', () => {
    const spring = { ...rules, memberDay: null, campaigns: [{ name: '春季焕颜', from: '2026-03-01', to: '2026-03-31', basisPoints: 30_000 }] };
    const noTier = { tierId: null };
    expect(earnForPayments(order({ ...noTier, date: '2026-03-01' }), spring).reasons).toEqual(['热玛吉：基础 3000 × 春季焕颜 3 = 9000 积分']);
    expect(earnForPayments(order({ ...noTier, date: '2026-03-31' }), spring).points).toBe(9_000);
    expect(earnForPayments(order({ ...noTier, date: '2026-02-28' }), spring).points).toBe(3_000);
    expect(earnForPayments(order({ ...noTier, date: '2026-04-01' }), spring).points).toBe(3_000);
  });

  it('an item multiplier names itself in the line’s reason and stacks with the order’s multipliers', () => {
    const withItem = { ...rules, itemMultipliers: [{ itemId: 'i1', minUnitPriceFen: 300_000, basisPoints: 20_000, name: '高客单' }] };
    expect(earnForPayments(order(), withItem).reasons).toEqual(['热玛吉：基础 3000 × 等级（铂金） 1.5 × 会员日 2 × 高客单 2 = 18000 积分']);
    expect(earnForPayments(order(), { ...withItem, stacking: 'best' }).reasons).toEqual(['热玛吉：基础 3000 × 会员日 2 = 6000 积分']);
  });

  it('rounds down once per line with exact integer arithmetic', () => {
    expect(applyMultipliers(333, [{ name: 'x', basisPoints: 15_000 }])).toBe(499);
    expect(applyMultipliers(1, [{ name: 'x', basisPoints: 19_999 }])).toBe(1);
  });
});
