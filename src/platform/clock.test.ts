import { describe, expect, it } from 'vitest';
import { addDays, businessDate, dayStartMinutes, daysBetween, startOfBusinessDay } from './clock.js';

const shanghai = 'Asia/Shanghai';

describe('tenant business dates', () => {
  it('23:59:59 in Shanghai is still that day although UTC is 15:59', () => {
    expect(businessDate(new Date('2026-03-08T15:59:59Z'), shanghai)).toBe('2026-03-08');
  });

  it('midnight in Shanghai (16:00 UTC the day before) starts the next business day', () => {
    expect(businessDate(new Date('2026-03-08T16:00:00Z'), shanghai)).toBe('2026-03-09');
    expect(businessDate(new Date('2026-03-08T16:00:00Z'), 'UTC')).toBe('2026-03-08');
  });

  it('finds the instant a Shanghai business day starts', () => {
    expect(startOfBusinessDay('2026-03-09', shanghai).toISOString()).toBe('2026-03-08T16:00:00.000Z');
  });

  it('with a 04:00 day start, 02:00 still belongs to the day before and 04:00 starts the next', () => {
    // 2026-03-09 02:00 and 04:00 in Shanghai.
    expect(businessDate(new Date('2026-03-08T18:00:00Z'), shanghai, '04:00')).toBe('2026-03-08');
    expect(businessDate(new Date('2026-03-08T19:59:59Z'), shanghai, '04:00')).toBe('2026-03-08');
    expect(businessDate(new Date('2026-03-08T20:00:00Z'), shanghai, '04:00')).toBe('2026-03-09');
    expect(startOfBusinessDay('2026-03-09', shanghai, '04:00').toISOString()).toBe('2026-03-08T20:00:00.000Z');
  });

  it('reads a day start as minutes after midnight, anything unreadable as midnight', () => {
    expect(dayStartMinutes('04:30')).toBe(270);
    expect(dayStartMinutes('00:00')).toBe(0);
    expect(dayStartMinutes('25:00')).toBe(0);
  });

  it('counts whole days across month and year ends', () => {
    expect(daysBetween('2025-12-31', '2026-01-01')).toBe(1);
    expect(daysBetween('2026-03-01', '2026-02-01')).toBe(-28);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});
