/**
 * 到访类型: what a visit means for sales. The system proposes one from the customer's history;
 * staff may override it. An order without a visit that day carries `not_visited` (未到访).
 */
import { type OrderVisitType, type VisitType, visitTypeLabels, visitTypes } from '../customers/index.js';

export { type OrderVisitType, type VisitType, visitTypeLabels, visitTypes };

export type VisitHistory = {
  /** Visits on earlier business days. */
  hasEarlierVisits: boolean;
  /** The type of today's first visit, when this is not the first today. */
  firstVisitTypeToday: VisitType | null;
  /** Deal orders of earlier business days (成交 per the rules in force when each was placed). */
  dealCount: number;
  /** A course with sessions left and not expired. */
  hasActiveCourse: boolean;
  /** Days since the last executed treatment (a deduction), if any. */
  daysSinceLastTreatment: number | null;
};

export type VisitTypeProposal = { type: VisitType; reason: string };

/**
 * The proposed type, with the reason staff see next to it. Several visits on one day take the
 * type of the day's first visit. A customer who never dealt is 初诊 on her first visit and 复诊
 * after — even holding a gifted course (seed 003, scenario 2). A customer who dealt is 疗程内
 * with a course running, 复查 when treated within the re-check window, else 再消费.
 */
export const proposeVisitType = (history: VisitHistory, options: { recheckWindowDays: number }): VisitTypeProposal => {
  if (history.firstVisitTypeToday) {
    return { type: history.firstVisitTypeToday, reason: `同一天多次到访，以当天第一次到访（${visitTypeLabels[history.firstVisitTypeToday]}）为准` };
  }
  if (history.dealCount === 0) {
    return history.hasEarlierVisits ? { type: 'return', reason: '曾到访，尚未成交' } : { type: 'first', reason: '首次到访' };
  }
  if (history.hasActiveCourse) return { type: 'in_course', reason: '有未完成的疗程' };
  if (history.daysSinceLastTreatment !== null && history.daysSinceLastTreatment <= options.recheckWindowDays) {
    return { type: 'recheck', reason: `${history.daysSinceLastTreatment} 天前做过治疗，在 ${options.recheckWindowDays} 天复查期内` };
  }
  return { type: 'repurchase', reason: '曾成交，当前无进行中的疗程' };
};
