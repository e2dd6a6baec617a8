import { describe, expect, it } from 'vitest';
import { decideDeal } from '../src/modules/orders/deal-rules.js';
import { proposeVisitType } from '../src/modules/visits/visit-type.js';
import { englishOf, serverTexts } from '../web/console/common/server-text-rules.js';

const noChinese = (text: string) => !/[\u4e00-\u9fff]/.test(text);

describe('server-composed texts in English', () => {
  it('reads every visit-type reason the server writes', () => {
    const base = { hasEarlierVisits: false, firstVisitTypeToday: null, dealCount: 0, hasActiveCourse: false, daysSinceLastTreatment: null };
    const histories = [
      base,
      { ...base, hasEarlierVisits: true },
      { ...base, dealCount: 1, hasActiveCourse: true },
      { ...base, dealCount: 1, daysSinceLastTreatment: 3 },
      { ...base, dealCount: 1 },
      { ...base, firstVisitTypeToday: 'recheck' as const },
    ];
    const english = histories.map((history) =>
      englishOf(serverTexts.visitReasons, proposeVisitType(history, { recheckWindowDays: 30 }).reason, () => 'Re-check'),
    );
    expect(english).toEqual([
      'First visit',
      'Visited before, no deal yet',
      'Has a course with sessions left',
      'Treated 3 days ago, within the 30-day re-check window',
      'Dealt before, no course running',
      "Several visits today: the day's first visit (Re-check) decides",
    ]);
  });

  it('reads every deal reason the server writes, figures kept', () => {
    const rules = { orderTypes: ['医美', '口腔'], minimumFen: 10_000, countedKinds: { service: true, goods: false, drug: false, package: true, card: false } };
    const service = { kind: 'service' as const, amountFen: 128_000 };
    const decisions = [
      decideDeal({ orderType: '零售', lines: [service] }, rules),
      decideDeal({ orderType: '医美', lines: [{ kind: 'goods' as const, amountFen: 5_000 }] }, rules),
      decideDeal({ orderType: '医美', lines: [{ kind: 'service' as const, amountFen: 5_000 }] }, rules),
      decideDeal({ orderType: '医美', lines: [service] }, rules),
      decideDeal({ orderType: '医美', lines: [{ kind: 'service' as const, amountFen: 0 }] }, { ...rules, minimumFen: 0 }),
    ];
    const reasons = decisions.flatMap((decision) => decision.reasons);
    expect(reasons.length).toBeGreaterThanOrEqual(5);
    for (const reason of reasons) expect(noChinese(englishOf(serverTexts.dealReasons, reason).replace(/"[^"]*"|\(counted: [^)]*\)/g, '')), reason).toBe(true);
    expect(englishOf(serverTexts.dealReasons, '成交金额 ¥50.00 未达到最低成交限额 ¥100.00')).toBe('Deal amount ¥50.00 is below the minimum of ¥100.00');
  });

  it('shows a sentence it does not know as stored', () => {
    expect(englishOf(serverTexts.visitReasons, '旧的说法')).toBe('旧的说法');
  });
});
