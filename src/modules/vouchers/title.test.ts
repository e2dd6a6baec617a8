import { describe, expect, it } from 'vitest';
import { scopeLabelOfNames, voucherTitle, yuanShort, zheOf } from './title.js';

const base = { thresholdFen: 0, discountBasisPoints: null, maxOffFen: null } as const;

describe('voucher titles show value, scope and validity', () => {
  it('a cash-off voucher with a threshold, scoped to an item, valid N days after receipt', () => {
    expect(
      voucherTitle({ ...base, name: '代金券', kind: 'cash_off', faceValueFen: 10_000, thresholdFen: 50_000 }, '水光针', { kind: 'relative', days: 30 }),
    ).toBe('¥100 代金券（满¥500可用） · 限水光针 · 领取后 30 天内有效');
  });

  it('a discount voucher with a cap, whole order, fixed dates', () => {
    expect(
      voucherTitle({ ...base, name: '折扣券', kind: 'discount', faceValueFen: null, discountBasisPoints: 1_500, maxOffFen: 20_000 }, '全场（卡项除外）', {
        kind: 'fixed',
        from: '2026-12-01',
        to: '2027-01-31',
      }),
    ).toBe('8.5折 折扣券（最多减¥200） · 全场（卡项除外） · 2026-12-01 至 2027-01-31 有效');
  });

  it('item and gift vouchers, as issued', () => {
    expect(voucherTitle({ ...base, name: '小气泡体验券', kind: 'item', faceValueFen: null }, '小气泡清洁', { kind: 'issued', to: '2027-03-01' })).toBe(
      '小气泡体验券（免费体验 1 次） · 限小气泡清洁 · 有效期至 2027-03-01',
    );
    expect(voucherTitle({ ...base, name: '面膜赠品券', kind: 'gift', faceValueFen: null }, '医用面膜', { kind: 'issued', to: '2027-03-01' })).toContain(
      '（赠送 1 份）',
    );
  });

  it('formats yuan and 折 compactly', () => {
    expect([yuanShort(10_000), yuanShort(9_950), yuanShort(9_905), yuanShort(123_456_00)]).toEqual(['¥100', '¥99.5', '¥99.05', '¥123,456']);
    expect([zheOf(2_000), zheOf(1_500), zheOf(1_200), zheOf(500)]).toEqual(['8折', '8.5折', '8.8折', '9.5折']);
  });
});

describe('scope labels', () => {
  it('names items, then categories with 类, three at most and a count beyond; nothing named is the whole order', () => {
    expect(scopeLabelOfNames(['水光针'], ['皮肤管理'])).toBe('水光针、皮肤管理类');
    expect(scopeLabelOfNames(['水光针', '小气泡', '光子嫩肤'], ['皮肤管理'])).toBe('水光针、小气泡、光子嫩肤等 4 项');
    expect(scopeLabelOfNames([], [])).toBe('全场（卡项除外）');
  });
});
