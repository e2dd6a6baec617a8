import { describe, expect, it } from 'vitest';
import { proposeVisitType, type VisitHistory } from './visit-type.js';

const fresh: VisitHistory = { hasEarlierVisits: false, firstVisitTypeToday: null, dealCount: 0, hasActiveCourse: false, daysSinceLastTreatment: null };
const options = { recheckWindowDays: 30 };

describe('visit type proposal (seed 003)', () => {
  it('a first ever visit is 初诊', () => {
    expect(proposeVisitType(fresh, options).type).toBe('first');
  });

  it('a gifted new customer holding a course is still 初诊 on her first visit, and 复诊 on her second without a deal', () => {
    expect(proposeVisitType({ ...fresh, hasActiveCourse: true }, options).type).toBe('first');
    expect(proposeVisitType({ ...fresh, hasActiveCourse: true, hasEarlierVisits: true }, options).type).toBe('return');
  });

  it('a customer who dealt: 疗程内 with a course running, 复查 within the window, else 再消费', () => {
    const dealt = { ...fresh, hasEarlierVisits: true, dealCount: 1 };
    expect(proposeVisitType({ ...dealt, hasActiveCourse: true, daysSinceLastTreatment: 3 }, options).type).toBe('in_course');
    expect(proposeVisitType({ ...dealt, daysSinceLastTreatment: 30 }, options).type).toBe('recheck');
    expect(proposeVisitType({ ...dealt, daysSinceLastTreatment: 31 }, options).type).toBe('repurchase');
    expect(proposeVisitType(dealt, options).type).toBe('repurchase');
  });

  it('a deal on an earlier day without any visit makes the first visit 再消费', () => {
    expect(proposeVisitType({ ...fresh, dealCount: 1 }, options).type).toBe('repurchase');
  });

  it('later visits of a day take the day’s first type, whatever else holds', () => {
    expect(proposeVisitType({ ...fresh, dealCount: 3, hasActiveCourse: true, firstVisitTypeToday: 'first' }, options)).toMatchObject({
      type: 'first',
      reason: expect.stringContaining('当天第一次到访'),
    });
  });
});
