import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../platform/clock.js';
import { isDue, isoWeekday, isoWeekOf, nextRunOn, periodOf, runDayIn } from './schedule.js';

describe('periodic distribution schedule', () => {
  it('names ISO weeks by the year of their Thursday', () => {
    expect(isoWeekday('2026-03-02')).toBe(1);
    expect(isoWeekday('2026-03-08')).toBe(7);
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(periodOf({ every: 'month', day: 8 }, '2026-03-31')).toBe('2026-03');
    expect(periodOf({ every: 'week', weekday: 3 }, '2026-03-08')).toBe('2026-W10');
  });

  it('runs day 31 on the last day of a shorter month', () => {
    expect(runDayIn({ every: 'month', day: 31 }, '2026-02-10')).toBe('2026-02-28');
    expect(runDayIn({ every: 'month', day: 31 }, '2028-02-10')).toBe('2028-02-29');
    expect(runDayIn({ every: 'month', day: 31 }, '2026-04-01')).toBe('2026-04-30');
    expect(runDayIn({ every: 'week', weekday: 5 }, '2026-03-08')).toBe('2026-03-06');
  });

  it('is due once per period, from its run day on', () => {
    const monthly = { every: 'month', day: 8 } as const;
    expect(isDue(monthly, '2026-03-07', null, '2026-02-01')).toBe(false);
    expect(isDue(monthly, '2026-03-08', null, '2026-02-01')).toBe(true);
    // A sweep missed on the day catches up later in the period.
    expect(isDue(monthly, '2026-03-20', '2026-02-08', '2026-02-01')).toBe(true);
    expect(isDue(monthly, '2026-03-20', '2026-03-08', '2026-02-01')).toBe(false);
    expect(isDue(monthly, '2026-04-08', '2026-03-08', '2026-02-01')).toBe(true);
  });

  it('starts with the next period when created after this period’s run day, and runs the same day when created on it', () => {
    const monthly = { every: 'month', day: 8 } as const;
    expect(isDue(monthly, '2026-03-15', null, '2026-03-15')).toBe(false);
    expect(nextRunOn(monthly, '2026-03-15', null, '2026-03-15')).toBe('2026-04-08');
    expect(isDue(monthly, '2026-03-08', null, '2026-03-08')).toBe(true);
    expect(nextRunOn(monthly, '2026-03-01', null, '2026-03-01')).toBe('2026-03-08');
    expect(nextRunOn({ every: 'week', weekday: 1 }, '2026-03-04', '2026-03-02', '2026-02-01')).toBe('2026-03-09');
    expect(nextRunOn({ every: 'month', day: 8 }, '2026-12-20', '2026-12-08', '2026-02-01')).toBe('2027-01-08');
  });

  it('swept now and then, runs once in every period a sweep reaches on or after its run day, never twice, never early', () => {
    const schedule = fc.oneof(
      fc.record({ every: fc.constant('month' as const), day: fc.integer({ min: 1, max: 31 }) }),
      fc.record({ every: fc.constant('week' as const), weekday: fc.integer({ min: 1, max: 7 }) }),
    );
    fc.assert(
      fc.property(schedule, fc.integer({ min: 0, max: 2000 }), fc.array(fc.boolean(), { minLength: 120, maxLength: 200 }), (rule, offset, swept) => {
        const createdOn = addDays('2025-01-01', offset);
        let lastRunOn: string | null = null;
        const runs: string[] = [];
        swept.forEach((isSwept, index) => {
          const today = addDays(createdOn, index);
          // A missed sweep is at most a few days late: the next sweep that comes still runs it.
          if ((isSwept || index % 4 === 0) && isDue(rule, today, lastRunOn, createdOn)) {
            runs.push(today);
            lastRunOn = today;
          }
        });
        const periods = runs.map((day) => periodOf(rule, day));
        expect(new Set(periods).size).toBe(periods.length);
        for (const day of runs) expect(day >= runDayIn(rule, day)).toBe(true);
        // Every period in which some sweep came on or after its run day (and the run day was not before the distribution existed) ran once.
        const expected = new Set<string>();
        swept.forEach((isSwept, index) => {
          const day = addDays(createdOn, index);
          const runDay = runDayIn(rule, day);
          if ((isSwept || index % 4 === 0) && day >= runDay && runDay >= createdOn) expected.add(periodOf(rule, day));
        });
        for (const period of expected) expect(periods).toContain(period);
      }),
    );
  });
});
