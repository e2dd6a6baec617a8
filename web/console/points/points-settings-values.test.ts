import { describe, expect, it } from 'vitest';
import type { PointsSettings } from '../../shared/api-models';
import { type PointsSettingsValues, toSettings, toValues } from './points-settings-values';

const categoryId = '0193a1b2-0000-7000-8000-000000000001';
const itemId = '0193a1b2-0000-7000-8000-000000000002';

const saved: PointsSettings = {
  isEnabled: true,
  earning: {
    pointsPerYuan: { cash: 1, wechat: 1 },
    tierBasisPoints: { platinum: 15_000 },
    memberDay: null,
    holidayBasisPoints: null,
    weekdayBasisPoints: { '6': 15_000 },
    campaigns: [{ name: '春季焕颜', from: '2026-03-01', to: '2026-03-31', basisPoints: 20_000 }],
    itemMultipliers: [
      { itemId, minUnitPriceFen: 1_280_050, basisPoints: 20_000, name: '超声炮加倍' },
      { categoryId, minUnitPriceFen: 500_000, basisPoints: 12_500, name: '光电高客单' },
    ],
    stacking: 'multiply',
  },
  redemption: {
    isEnabled: true,
    pointsPerYuan: 100,
    minimumPoints: 100,
    perOrderCap: { kind: 'percent', percent: 50 },
    excludedKinds: ['drug'],
    excludedCategoryIds: [categoryId],
    monthlyCapPercent: 30,
  },
  events: { registration: { points: 200, perDay: 1, perMonth: 1 } },
  pendingDays: 7,
  expiry: { mode: 'rolling', months: 12 },
  reminders: { daysBefore: [30, 7] },
};

const edit = (patch: Partial<PointsSettingsValues>) => toSettings({ ...toValues(saved), ...patch }, saved);

describe('points settings form values', () => {
  it('round-trips weekday, campaign and item multipliers, excluded categories and reminder days unchanged', () => {
    expect(toSettings(toValues(saved), saved)).toEqual(saved);
  });

  it('shows multipliers as × decimals, the price threshold in yuan and the campaign as a date range', () => {
    const values = toValues(saved);
    expect(values.weekdayMultipliers).toEqual({ '1': null, '2': null, '3': null, '4': null, '5': null, '6': 1.5, '7': null });
    expect(values.campaigns).toEqual([{ name: '春季焕颜', range: ['2026-03-01', '2026-03-31'], multiplier: 2 }]);
    expect(values.itemMultipliers).toEqual([
      { name: '超声炮加倍', target: 'item', itemId, categoryId: undefined, minUnitPriceYuan: 12_800.5, multiplier: 2 },
      { name: '光电高客单', target: 'category', itemId: undefined, categoryId, minUnitPriceYuan: 5_000, multiplier: 1.25 },
    ]);
    expect(values.reminderDays).toEqual([30, 7]);
  });

  it('stores a weekday only when its multiplier changes anything: empty and ×1 are left out', () => {
    expect(edit({ weekdayMultipliers: { '1': 1, '3': null, '5': 2.5, '7': 1.05 } }).earning.weekdayBasisPoints).toEqual({ '5': 25_000, '7': 10_500 });
  });

  it('converts the threshold through the text, so ¥1 000.10 is exactly 100 010 fen', () => {
    const rules = edit({ itemMultipliers: [{ name: '高客单', target: 'category', categoryId, minUnitPriceYuan: 1000.1, multiplier: 2 }] }).earning
      .itemMultipliers;
    expect(rules).toEqual([{ categoryId, minUnitPriceFen: 100_010, basisPoints: 20_000, name: '高客单' }]);
  });

  it('keeps only the chosen target: switching a rule from item to category drops the item', () => {
    const rules = edit({ itemMultipliers: [{ name: '按分类', target: 'category', itemId, categoryId, minUnitPriceYuan: 0, multiplier: 2 }] }).earning
      .itemMultipliers;
    expect(rules).toEqual([{ categoryId, minUnitPriceFen: 0, basisPoints: 20_000, name: '按分类' }]);
    const unset = edit({ itemMultipliers: [{ name: '未切换', itemId, categoryId, minUnitPriceYuan: 0, multiplier: 2 }] }).earning.itemMultipliers;
    expect(unset).toEqual([{ itemId, minUnitPriceFen: 0, basisPoints: 20_000, name: '未切换' }]);
  });

  it('leaves out rows still being filled in, so the live preview keeps a valid body', () => {
    const earning = edit({
      campaigns: [
        undefined,
        { name: '  ', range: ['2026-05-01', '2026-05-03'], multiplier: 2 },
        { name: '五一', range: null, multiplier: 2 },
        { name: ' 五一 ', range: ['2026-05-01', '2026-05-05'], multiplier: 3 },
      ],
      itemMultipliers: [
        { name: '未选', target: 'item', minUnitPriceYuan: 100, multiplier: 2 },
        { target: 'category', categoryId, minUnitPriceYuan: 100, multiplier: 2 },
        undefined,
      ],
    }).earning;
    expect(earning.campaigns).toEqual([{ name: '五一', from: '2026-05-01', to: '2026-05-05', basisPoints: 30_000 }]);
    expect(earning.itemMultipliers).toEqual([]);
  });

  it('sends reminder days longest first, each once, skipping empty boxes; none turns reminders off', () => {
    expect(edit({ reminderDays: [7, null, 30, undefined, 1, 7] }).reminders).toEqual({ daysBefore: [30, 7, 1] });
    expect(edit({ reminderDays: [] }).reminders).toEqual({ daysBefore: [] });
  });

  it('sends the excluded categories the form holds', () => {
    expect(edit({ excludedCategoryIds: [] }).redemption.excludedCategoryIds).toEqual([]);
    expect(edit({ excludedCategoryIds: [categoryId, itemId] }).redemption.excludedCategoryIds).toEqual([categoryId, itemId]);
  });
});
