import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, decideTier, type Figures, progressToNext, qualifiedTier, type Retention, type TierRule, windowOf } from './rules.js';

const none = { growth: null, consumptionFen: null, visits: null, topUpFen: null };
const tier = (id: string, rank: number, criteria: Partial<TierRule['criteria']>, retention: Retention = 're_evaluate'): TierRule => ({
  id,
  name: id,
  rank,
  criteria: { match: 'any', ...none, ...criteria },
  retention,
});
// 普通 (no threshold) < 银卡 (growth 1 000 or ¥2 980 top-up) < 金卡 (growth 5 000 or ¥20 000 paid) < 钻石 (growth 20 000 and 12 visits).
const tiers = [
  tier('basic', 1, {}),
  tier('silver', 2, { growth: 1_000, topUpFen: 298_000 }),
  tier('gold', 3, { growth: 5_000, consumptionFen: 2_000_000 }, 'down_one'),
  tier('diamond', 4, { match: 'all', growth: 20_000, visits: 12 }, 'never_down'),
];
const figures = (values: Partial<Figures> = {}): Figures => ({
  windowMonths: 12,
  from: '2025-03-03',
  to: '2026-03-02',
  growth: 0,
  consumptionFen: 0,
  visits: 0,
  largestTopUpFen: 0,
  ...values,
});

describe('qualifying for a tier', () => {
  it('a tier without criteria is the entry tier everyone reaches', () => {
    expect(qualifiedTier(tiers, figures()).tier?.id).toBe('basic');
  });

  it('reaching a threshold exactly qualifies; one below does not', () => {
    expect(qualifiedTier(tiers, figures({ growth: 1_000 })).tier?.id).toBe('silver');
    expect(qualifiedTier(tiers, figures({ growth: 999 })).tier?.id).toBe('basic');
    expect(qualifiedTier(tiers, figures({ consumptionFen: 2_000_000 })).tier?.id).toBe('gold');
    expect(qualifiedTier(tiers, figures({ consumptionFen: 1_999_999 })).tier?.id).toBe('basic');
  });

  it('one top-up of ¥2 980 makes silver (seed 003), whatever else she did', () => {
    const result = qualifiedTier(tiers, figures({ largestTopUpFen: 298_000 }));
    expect(result.tier?.id).toBe('silver');
    expect(result.criterion).toBe('topUpFen');
    expect(result.reasons).toEqual(['「silver」：近 12 个月单次储值 ¥2,980 ≥ ¥2,980']);
  });

  it('"all" needs every criterion: growth alone does not make diamond', () => {
    expect(qualifiedTier(tiers, figures({ growth: 25_000, visits: 11 })).tier?.id).toBe('gold');
    expect(qualifiedTier(tiers, figures({ growth: 25_000, visits: 12 })).tier?.id).toBe('diamond');
  });

  it('without an entry tier, figures below every threshold reach no tier', () => {
    expect(qualifiedTier(tiers.slice(1), figures({ growth: 10 })).tier).toBeNull();
  });
});

describe('deciding the tier after a change', () => {
  it('a payment raises the tier and names the criterion and the figures', () => {
    const decision = decideTier({ tiers, figures: figures({ growth: 5_200 }), current: { tierId: 'silver', floorTierId: 'silver' }, trigger: 'gain' });
    expect(decision).toMatchObject({ tierId: 'gold', direction: 'up', criterion: 'growth' });
    expect(decision.reasons).toEqual(['「gold」：近 12 个月成长值 5,200 ≥ 5,000']);
  });

  it('a gain never lowers a tier, even when the figures in the window fell', () => {
    expect(decideTier({ tiers, figures: figures(), current: { tierId: 'gold', floorTierId: 'basic' }, trigger: 'gain' })).toMatchObject({
      tierId: 'gold',
      direction: 'none',
    });
  });

  it('a refund takes back an upgrade it caused, down to the tier held when the period began', () => {
    const decision = decideTier({ tiers, figures: figures({ growth: 200 }), current: { tierId: 'gold', floorTierId: 'silver' }, trigger: 'loss' });
    expect(decision).toMatchObject({ tierId: 'silver', direction: 'down', criterion: 'floor' });
  });

  it('a refund without a floor goes to what the figures still reach', () => {
    expect(decideTier({ tiers, figures: figures({ growth: 1_200 }), current: { tierId: 'gold', floorTierId: null }, trigger: 'loss' })).toMatchObject({
      tierId: 'silver',
      direction: 'down',
    });
  });

  it('a partial refund that leaves the figures above the threshold keeps the tier', () => {
    expect(decideTier({ tiers, figures: figures({ growth: 5_000 }), current: { tierId: 'gold', floorTierId: 'basic' }, trigger: 'loss' })).toMatchObject({
      tierId: 'gold',
      direction: 'none',
    });
  });

  it('the first evaluation of a customer with no tier gives the entry tier', () => {
    expect(decideTier({ tiers, figures: figures(), current: null, trigger: 'gain' })).toMatchObject({ tierId: 'basic', direction: 'up', criterion: 'base' });
  });
});

describe('retention at the end of the period', () => {
  const atEnd = (current: string, values: Partial<Figures>) =>
    decideTier({ tiers, figures: figures(values), current: { tierId: current, floorTierId: current }, trigger: 'period_end' });

  it('re-evaluate: silver with nothing in the window falls to what the figures reach', () => {
    expect(atEnd('silver', {})).toMatchObject({ tierId: 'basic', direction: 'down', criterion: 're_evaluate' });
  });

  it('down one level: gold with nothing in the window becomes silver, not basic', () => {
    expect(atEnd('gold', {})).toMatchObject({ tierId: 'silver', direction: 'down', criterion: 'down_one' });
  });

  it('never down: diamond stays diamond with nothing in the window', () => {
    expect(atEnd('diamond', {})).toMatchObject({ tierId: 'diamond', direction: 'none', criterion: 'never_down' });
  });

  it('meeting the tier again renews it; exceeding it raises it', () => {
    expect(atEnd('gold', { growth: 5_000 })).toMatchObject({ tierId: 'gold', direction: 'none', criterion: 'renewed' });
    expect(atEnd('silver', { growth: 5_000 })).toMatchObject({ tierId: 'gold', direction: 'up' });
  });
});

describe('spending points', () => {
  it('never lowers a tier: the figures hold no balance, so any spending leaves every decision as it was', () => {
    // Spending moves the balance only; growth, money paid, visits and top-ups stay. Whatever the
    // tier and trigger, a decision from the same figures is the same decision.
    fc.assert(
      fc.property(
        fc.record({ growth: fc.nat(30_000), consumptionFen: fc.nat(3_000_000), visits: fc.nat(30), largestTopUpFen: fc.nat(500_000) }),
        fc.constantFrom('basic', 'silver', 'gold', 'diamond'),
        fc.constantFrom('gain' as const, 'loss' as const, 'period_end' as const),
        fc.nat(1_000_000),
        (values, current, trigger, spentPoints) => {
          const before = decideTier({ tiers, figures: figures(values), current: { tierId: current, floorTierId: current }, trigger });
          const afterSpending = { ...figures(values), balanceAfterSpending: -spentPoints } as Figures;
          expect(decideTier({ tiers, figures: afterSpending, current: { tierId: current, floorTierId: current }, trigger })).toEqual(before);
        },
      ),
    );
  });

  it('a gain never returns a tier below the current one (property)', () => {
    fc.assert(
      fc.property(
        fc.record({ growth: fc.nat(30_000), consumptionFen: fc.nat(3_000_000), visits: fc.nat(30), largestTopUpFen: fc.nat(500_000) }),
        fc.constantFrom('basic', 'silver', 'gold', 'diamond'),
        (values, current) => {
          const decision = decideTier({ tiers, figures: figures(values), current: { tierId: current, floorTierId: null }, trigger: 'gain' });
          const rank = (id: string | null) => tiers.find((entry) => entry.id === id)?.rank ?? 0;
          expect(rank(decision.tierId)).toBeGreaterThanOrEqual(rank(current));
        },
      ),
    );
  });
});

describe('progress to the next tier', () => {
  it('shows each criterion of the next tier with the figures, and the closest one for "any"', () => {
    const progress = progressToNext(tiers, figures({ growth: 2_500, consumptionFen: 1_500_000 }), 'silver');
    expect(progress.next?.id).toBe('gold');
    expect(progress.items).toEqual([
      { criterion: 'growth', current: 2_500, target: 5_000, percent: 50, isMet: false },
      { criterion: 'consumptionFen', current: 1_500_000, target: 2_000_000, percent: 75, isMet: false },
    ]);
    expect(progress.percent).toBe(75);
  });

  it('"all" shows the criterion furthest behind; the top tier has no next tier', () => {
    expect(progressToNext(tiers, figures({ growth: 20_000, visits: 3 }), 'gold').percent).toBe(25);
    expect(progressToNext(tiers, figures(), 'diamond')).toEqual({ next: null, items: [], percent: 100 });
  });
});

describe('the rolling window', () => {
  it('12 months to 2 March 2026 is 3 March 2025 to 2 March 2026, both included', () => {
    expect(windowOf('2026-03-02', 12)).toEqual({ from: '2025-03-03', to: '2026-03-02' });
    // 消费型: the tier follows cumulative consumption, whatever the period length.
    expect(windowOf('2026-03-02', 12, 'cumulative')).toEqual({ from: '2000-01-01', to: '2026-03-02' });
  });

  it('month arithmetic clamps to the month end', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(windowOf('2026-03-31', 1)).toEqual({ from: '2026-03-01', to: '2026-03-31' });
  });
});
