import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRestore, planSpend, spendingPolicies, splitProportionally, type TopUpState } from './spending.js';

const lot = (id: string, principal: number, bonus: number, day: number): TopUpState => ({
  id,
  principalRemainingFen: principal,
  bonusRemainingFen: bonus,
  createdAt: new Date(Date.UTC(2026, 0, day)),
});

describe('stored-value spending policy', () => {
  it('proportional: ¥1 000 from a ¥2 980 + ¥300 top-up is ¥908.53 principal and ¥91.47 bonus (bonus share 91.46… rounded up)', () => {
    expect(planSpend([lot('a', 298_000, 30_000, 1)], 100_000, 'proportional')).toEqual([{ topUpId: 'a', principalFen: 90_853, bonusFen: 9_147 }]);
  });

  it('spends the oldest top-up first', () => {
    const plan = planSpend([lot('new', 10_000, 0, 5), lot('old', 5_000, 1_000, 1)], 7_000, 'proportional');
    expect(plan).toEqual([
      { topUpId: 'old', principalFen: 5_000, bonusFen: 1_000 },
      { topUpId: 'new', principalFen: 1_000, bonusFen: 0 },
    ]);
  });

  it('principal_first takes every top-up’s principal before any bonus', () => {
    const plan = planSpend([lot('a', 1_000, 500, 1), lot('b', 1_000, 500, 2)], 2_200, 'principal_first');
    expect(plan).toEqual([
      { topUpId: 'a', principalFen: 1_000, bonusFen: 200 },
      { topUpId: 'b', principalFen: 1_000, bonusFen: 0 },
    ]);
  });

  it('bonus_first takes bonus before principal', () => {
    expect(planSpend([lot('a', 1_000, 500, 1)], 600, 'bonus_first')).toEqual([{ topUpId: 'a', principalFen: 100, bonusFen: 500 }]);
  });

  it('refuses more than the top-ups hold, and non-positive amounts', () => {
    expect(planSpend([lot('a', 100, 10, 1)], 111, 'proportional')).toBeUndefined();
    expect(planSpend([lot('a', 100, 10, 1)], 0, 'proportional')).toBeUndefined();
  });

  it('under every policy: takes exactly the amount, never more than a top-up holds of either part', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 50_000 })), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 400_000 }),
        fc.constantFrom(...spendingPolicies),
        (parts, amount, policy) => {
          const lots = parts.map(([principal, bonus], index) => lot(`l${index}`, principal, bonus, index + 1));
          const held = parts.reduce((sum, [principal, bonus]) => sum + principal + bonus, 0);
          const plan = planSpend(lots, amount, policy);
          if (amount > held) {
            expect(plan).toBeUndefined();
            return;
          }
          expect(plan).toBeDefined();
          expect(plan?.reduce((sum, take) => sum + take.principalFen + take.bonusFen, 0)).toBe(amount);
          for (const take of plan ?? []) {
            const source = lots.find((row) => row.id === take.topUpId);
            expect(take.principalFen).toBeGreaterThanOrEqual(0);
            expect(take.bonusFen).toBeGreaterThanOrEqual(0);
            expect(take.principalFen).toBeLessThanOrEqual(source?.principalRemainingFen ?? 0);
            expect(take.bonusFen).toBeLessThanOrEqual(source?.bonusRemainingFen ?? 0);
          }
        },
      ),
    );
  });

  it('a split never leaves either part out of range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 20_000 }), (principal, bonus, wanted) => {
        const amount = Math.min(wanted, principal + bonus);
        const split = splitProportionally(amount, principal, bonus);
        expect(split.principalFen + split.bonusFen).toBe(principal + bonus === 0 ? 0 : amount);
        expect(split.principalFen).toBeLessThanOrEqual(principal);
        expect(split.bonusFen).toBeLessThanOrEqual(bonus);
        expect(Math.min(split.principalFen, split.bonusFen)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('partial returns of a spend end exactly where the spend began', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 2_000 })), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 3_000 }), { maxLength: 6 }),
        (parts, chunks) => {
          const owed = parts.map(([principalFen, bonusFen], index) => ({ movementId: `m${index}`, topUpId: `t${index}`, principalFen, bonusFen }));
          const total = owed.reduce((sum, row) => sum + row.principalFen + row.bonusFen, 0);
          let left = total;
          for (const chunk of [...chunks, Number.POSITIVE_INFINITY]) {
            const amount = Math.min(chunk, left);
            if (amount === 0) break;
            const gives = planRestore(owed, amount) ?? [];
            for (const give of gives) {
              const row = owed.find((candidate) => candidate.movementId === give.movementId);
              if (!row) throw new Error('unknown movement');
              row.principalFen -= give.principalFen;
              row.bonusFen -= give.bonusFen;
              expect(Math.min(row.principalFen, row.bonusFen)).toBeGreaterThanOrEqual(0);
            }
            left -= amount;
          }
          expect(owed.every((row) => row.principalFen === 0 && row.bonusFen === 0)).toBe(true);
        },
      ),
    );
  });
});
