import { describe, expect, it } from 'vitest';
import { dealStatusOf, decideDeal, defaultDealRules } from './deal-rules.js';

const allKinds = defaultDealRules.countedKinds;

describe('deal rules (成交)', () => {
  it('clinic A: type 医美, minimum ¥0 — a ¥999 card is a deal', () => {
    const decision = decideDeal(
      { orderType: '医美', lines: [{ kind: 'card', amountFen: 99_900 }] },
      { orderTypes: ['医美'], minimumFen: 0, countedKinds: allKinds },
    );
    expect(decision).toMatchObject({ isDeal: true, countedFen: 99_900 });
  });

  it('clinic B: minimum ¥99 — a ¥79 bag is not, and says why', () => {
    const decision = decideDeal(
      { orderType: '医美', lines: [{ kind: 'package', amountFen: 7_900 }] },
      { orderTypes: ['医美'], minimumFen: 9_900, countedKinds: allKinds },
    );
    expect(decision.isDeal).toBe(false);
    expect(decision.reasons[0]).toBe('成交金额 ¥79.00 未达到最低成交限额 ¥99.00');
  });

  it('meets the minimum exactly at the threshold', () => {
    expect(decideDeal({ orderType: '医美', lines: [{ kind: 'service', amountFen: 9_900 }] }, { ...defaultDealRules, minimumFen: 9_900 }).isDeal).toBe(true);
  });

  it('counts only switched-on kinds towards the minimum', () => {
    const rules = { orderTypes: [], minimumFen: 10_000, countedKinds: { ...allKinds, goods: false } };
    const decision = decideDeal(
      {
        orderType: '医美',
        lines: [
          { kind: 'goods', amountFen: 50_000 },
          { kind: 'service', amountFen: 5_000 },
        ],
      },
      rules,
    );
    expect(decision).toMatchObject({ isDeal: false, countedFen: 5_000 });
  });

  it('refuses order types outside the list and zero-amount orders', () => {
    expect(decideDeal({ orderType: '商品', lines: [{ kind: 'goods', amountFen: 100 }] }, { ...defaultDealRules, orderTypes: ['医美'] }).isDeal).toBe(false);
    expect(decideDeal({ orderType: '医美', lines: [{ kind: 'service', amountFen: 0 }] }, defaultDealRules).isDeal).toBe(false);
  });

  it('names the deal status by count', () => {
    expect([0, 1, 2, 7].map(dealStatusOf)).toEqual(['none', 'first', 'repeat', 'repeat']);
  });
});
