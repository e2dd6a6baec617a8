import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, businessDate } from '../../platform/clock.js';
import { activityOf, defaultActivityThresholds } from './activity.js';

const thresholds = defaultActivityThresholds; // new < 30 days, sleeping from 90, deep sleep from 180

describe('member activity (会员活跃度)', () => {
  it('is non-member without a membership', () => {
    expect(activityOf({ memberSince: null, lastConsumptionDate: null }, '2026-03-01', thresholds)).toBe('non_member');
  });

  it('is new for the first 30 business days, day 0 being the joining day', () => {
    const customer = { memberSince: '2026-03-01', lastConsumptionDate: '2026-03-01' };
    expect(activityOf(customer, '2026-03-30', thresholds)).toBe('new'); // day 29
    expect(activityOf(customer, '2026-03-31', thresholds)).toBe('active'); // day 30
  });

  it('falls asleep on day 90 without consumption and into deep sleep on day 180', () => {
    const customer = { memberSince: '2025-01-01', lastConsumptionDate: '2026-01-01' };
    expect(activityOf(customer, addDays('2026-01-01', 89), thresholds)).toBe('active');
    expect(activityOf(customer, addDays('2026-01-01', 90), thresholds)).toBe('sleeping');
    expect(activityOf(customer, addDays('2026-01-01', 179), thresholds)).toBe('sleeping');
    expect(activityOf(customer, addDays('2026-01-01', 180), thresholds)).toBe('deep_sleep');
  });

  it('turns at midnight in Asia/Shanghai, not at midnight UTC', () => {
    const customer = { memberSince: '2025-01-01', lastConsumptionDate: '2026-01-01' };
    // Day 90 after 2026-01-01 is 2026-04-01; it starts at 2026-03-31T16:00Z.
    const status = (instant: string) => activityOf(customer, businessDate(new Date(instant), 'Asia/Shanghai'), thresholds);
    expect(status('2026-03-30T16:00:00Z')).toBe('active'); // N−1: 2026-03-31 00:00 Shanghai
    expect(status('2026-03-31T15:59:59Z')).toBe('active'); // N−1, last second
    expect(status('2026-03-31T16:00:00Z')).toBe('sleeping'); // N: 2026-04-01 00:00 Shanghai
    expect(status('2026-04-01T16:00:00Z')).toBe('sleeping'); // N+1
  });

  it('never goes back to sleep as days pass after new consumption (monotone in idle days)', () => {
    const order = ['active', 'sleeping', 'deep_sleep'];
    fc.assert(
      fc.property(fc.integer({ min: 31, max: 2000 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 }), (joinedAgo, idleA, extra) => {
        const today = '2026-06-01';
        const memberSince = addDays(today, -joinedAgo);
        const a = activityOf({ memberSince, lastConsumptionDate: addDays(today, -idleA) }, today, thresholds);
        const b = activityOf({ memberSince, lastConsumptionDate: addDays(today, -(idleA + extra)) }, today, thresholds);
        expect(order.indexOf(b)).toBeGreaterThanOrEqual(order.indexOf(a));
      }),
    );
  });
});
