import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, formatYuan, parseYuan, toChineseUppercase } from './money.js';

describe('allocate (largest remainder)', () => {
  it('splits ¥100 over three equal lines as 33.34 / 33.33 / 33.33, earliest line first on ties', () => {
    expect(allocate(10000, [1, 1, 1])).toEqual([3334, 3333, 3333]);
  });

  it('splits a ¥200 voucher over ¥400 and ¥100 lines in proportion', () => {
    expect(allocate(20000, [40000, 10000])).toEqual([16000, 4000]);
  });

  it('gives the leftover fen to the largest remainders, not the largest weights', () => {
    // exact shares: 0.7, 1.4, 2.9 → floors 0, 1, 2 (sum 3), two fen left: to .9 then .7
    expect(allocate(5, [7, 14, 29])).toEqual([1, 1, 3]);
  });

  it('allocates negative totals (refunds) symmetrically', () => {
    expect(allocate(-10000, [1, 1, 1])).toEqual([-3334, -3333, -3333]);
  });

  it('splits evenly when every weight is zero', () => {
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
  });

  it('refuses fractional fen and negative weights', () => {
    expect(() => allocate(1.5, [1])).toThrow(RangeError);
    expect(() => allocate(100, [1, -1])).toThrow(RangeError);
    expect(() => allocate(1, [])).toThrow(RangeError);
  });

  it('always sums to the total, and every share is within 1 fen of its exact proportion', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const shares = allocate(total, weights);
          expect(shares.reduce((sum, share) => sum + share, 0)).toBe(total);
          const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
          shares.forEach((share, index) => {
            expect(Number.isInteger(share)).toBe(true);
            const exact = weightSum === 0 ? total / weights.length : (total * (weights[index] ?? 0)) / weightSum;
            expect(Math.abs(share - exact)).toBeLessThan(1);
          });
        },
      ),
    );
  });
});

describe('yuan formatting', () => {
  it('formats fen as yuan with thousands separators', () => {
    expect(formatYuan(123450)).toBe('¥1,234.50');
    expect(formatYuan(-5)).toBe('-¥0.05');
  });

  it('parses yuan text into fen without floating point error', () => {
    expect(parseYuan('0.29')).toBe(29);
    expect(parseYuan('1,234.5')).toBe(123450);
    expect(parseYuan('¥19.99')).toBe(1999);
    expect(() => parseYuan('1.234')).toThrow(RangeError);
  });
});

describe('人民币大写', () => {
  it.each([
    [0, '零元整'],
    [100, '壹元整'],
    [1000, '壹拾元整'],
    [123450, '壹仟贰佰叁拾肆元伍角'],
    [100500, '壹仟零伍元整'],
    [1050, '壹拾元伍角'],
    [1005, '壹拾元零伍分'],
    [1609, '壹拾陆元零玖分'],
    [5, '伍分'],
    [50, '伍角'],
    [1_000_000, '壹万元整'],
    [9_990_000, '玖万玖仟玖佰元整'],
    [20_000_100, '贰拾万零壹元整'],
    [1_000_000_000, '壹仟万元整'],
    [10_001_000_000, '壹亿零壹万元整'],
    [10_000_000_000, '壹亿元整'],
    [39_800, '叁佰玖拾捌元整'],
    [-16_000, '负壹佰陆拾元整'],
  ])('%i fen is %s', (fen, text) => {
    expect(toChineseUppercase(fen)).toBe(text);
  });
});
