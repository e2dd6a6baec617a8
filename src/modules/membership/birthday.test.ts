import { describe, expect, it } from 'vitest';
import { birthdayBenefitStatus, birthdayMonthOf, birthdaysInYear } from './birthday.js';

const freeItem = { kind: 'free_item' as const, categoryId: '0190f0c0-0000-7000-8000-000000000001', quantity: 1 };

describe('the birthday month', () => {
  it('a solar birthday is its own month every year', () => {
    expect(birthdayMonthOf({ calendar: 'solar', month: 5, day: 20 }, '2026-05-01')).toMatchObject({ isBirthdayMonth: true, dateThisMonth: '2026-05-20' });
    expect(birthdayMonthOf({ calendar: 'solar', month: 5, day: 20 }, '2026-06-01').isBirthdayMonth).toBe(false);
  });

  it('29 February is kept on 28 February in a common year', () => {
    expect(birthdaysInYear({ calendar: 'solar', month: 2, day: 29 }, 2026)).toEqual(['2026-02-28']);
    expect(birthdaysInYear({ calendar: 'solar', month: 2, day: 29 }, 2028)).toEqual(['2028-02-29']);
  });

  it('a lunar birthday moves with the lunar calendar: 农历腊月二十 falls on 7 February 2026', () => {
    expect(birthdayMonthOf({ calendar: 'lunar', month: 12, day: 20, isLeapMonth: false }, '2026-02-15')).toMatchObject({
      isBirthdayMonth: true,
      dateThisMonth: '2026-02-07',
    });
    expect(birthdayMonthOf({ calendar: 'lunar', month: 12, day: 20, isLeapMonth: false }, '2026-12-15').isBirthdayMonth).toBe(false);
  });

  it('born in a leap month (2023 闰二月初十): kept in the ordinary second month, 28 March 2026', () => {
    const leap = { calendar: 'lunar' as const, month: 2, day: 10, isLeapMonth: true };
    expect(birthdaysInYear(leap, 2026)).toEqual(['2026-03-28']);
    expect(birthdayMonthOf(leap, '2026-03-01').isBirthdayMonth).toBe(true);
    // 2023 itself has 闰二月 again: the ordinary month still counts (二月初十 2023 = 1 March 2023).
    expect(birthdaysInYear(leap, 2023)).toEqual(['2023-03-01']);
  });

  it('born on 七月三十: in 2026 the seventh month has 29 days, so the birthday is 七月廿九 (10 September)', () => {
    expect(birthdaysInYear({ calendar: 'lunar', month: 7, day: 30, isLeapMonth: false }, 2026)).toEqual(['2026-09-10']);
    expect(birthdaysInYear({ calendar: 'lunar', month: 7, day: 30, isLeapMonth: false }, 2025)).toEqual(['2025-09-21']);
  });

  it('冬月二十 falls twice in 2026 (8 January and 28 December): both months are birthday months', () => {
    const lunar = { calendar: 'lunar' as const, month: 11, day: 20, isLeapMonth: false };
    expect(birthdaysInYear(lunar, 2026)).toEqual(['2026-01-08', '2026-12-28']);
    expect(birthdayMonthOf(lunar, '2026-01-31').isBirthdayMonth).toBe(true);
    expect(birthdayMonthOf(lunar, '2026-12-01').isBirthdayMonth).toBe(true);
    expect(birthdayMonthOf(lunar, '2026-06-01').isBirthdayMonth).toBe(false);
  });
});

describe('the birthday benefit', () => {
  it('is available only in the birthday month, and never without a recorded birthday', () => {
    expect(birthdayBenefitStatus(freeItem, { calendar: 'solar', month: 3, day: 8 }, '2026-03-31').isAvailable).toBe(true);
    expect(birthdayBenefitStatus(freeItem, { calendar: 'solar', month: 3, day: 8 }, '2026-04-01').isAvailable).toBe(false);
    expect(birthdayBenefitStatus(freeItem, null, '2026-03-08').isAvailable).toBe(false);
    expect(birthdayBenefitStatus(null, { calendar: 'solar', month: 3, day: 8 }, '2026-03-08')).toMatchObject({ isBirthdayMonth: true, isAvailable: false });
  });
});
