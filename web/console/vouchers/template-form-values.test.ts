import { describe, expect, it } from 'vitest';
import {
  basisPointsOffOfZhe,
  emptyTemplateValues,
  previewTitleOf,
  type TemplateFormValues,
  templateToValues,
  valuesToInput,
  zheOfBasisPointsOff,
} from './template-form-values';
import type { VoucherTemplate } from './voucher-queries';

const noNames = { items: new Map<string, string>(), categories: new Map<string, string>() };
const itemId = '0190f0a0-0000-7000-8000-000000000001';
const categoryId = '0190f0a0-0000-7000-8000-000000000002';

describe('the voucher template form', () => {
  it('takes 折 as staff say it: 8.5 折 is 1 500 basis points off, and back', () => {
    expect(basisPointsOffOfZhe(8.5)).toBe(1_500);
    expect(basisPointsOffOfZhe(8.8)).toBe(1_200);
    expect(basisPointsOffOfZhe(9.5)).toBe(500);
    expect([basisPointsOffOfZhe(10), basisPointsOffOfZhe(0), basisPointsOffOfZhe(null)]).toEqual([undefined, undefined, undefined]);
    expect(zheOfBasisPointsOff(1_500)).toBe(8.5);
  });

  it('sends a cash-off voucher in fen with its threshold, and leaves out the fields of other kinds', () => {
    const values: TemplateFormValues = {
      ...emptyTemplateValues,
      name: ' 水光针代金券 ',
      faceValue: '100',
      threshold: '500.5',
      zhe: 8,
      scope: { itemIds: [itemId], categoryIds: [categoryId] },
      totalStock: 200,
      perCustomerLimit: 2,
    };
    expect(valuesToInput(values)).toEqual({
      name: '水光针代金券',
      kind: 'cash_off',
      faceValueFen: 10_000,
      thresholdFen: 50_050,
      scope: { itemIds: [itemId], categoryIds: [categoryId] },
      channels: ['store'],
      validity: { kind: 'relative', days: 30 },
      totalStock: 200,
      perCustomerLimit: 2,
      isStackable: true,
      description: null,
    });
  });

  it('sends a blank face value as null so the server names the missing field, and blank stock as unlimited', () => {
    const input = valuesToInput({ ...emptyTemplateValues, name: '代金券', faceValue: '' });
    expect(input.faceValueFen).toBeNull();
    expect(input.totalStock).toBeNull();
  });

  it('keeps one gift item and no categories for a gift voucher; fixed dates as typed', () => {
    const input = valuesToInput({
      ...emptyTemplateValues,
      name: '面膜赠品券',
      kind: 'gift',
      faceValue: '98',
      scope: { itemIds: [itemId, categoryId], categoryIds: [categoryId] },
      validity: { kind: 'fixed', from: '2026-12-01', to: '2027-01-31' },
    });
    expect(input).toMatchObject({
      kind: 'gift',
      scope: { itemIds: [itemId], categoryIds: [] },
      validity: { kind: 'fixed', from: '2026-12-01', to: '2027-01-31' },
    });
    expect(input).not.toHaveProperty('faceValueFen');
  });

  it('round-trips a saved discount template through the form', () => {
    const template = {
      id: itemId,
      name: '折扣券',
      title: '',
      kind: 'discount',
      faceValueFen: null,
      thresholdFen: 0,
      discountBasisPoints: 1_500,
      maxOffFen: 20_000,
      scope: { itemIds: [], categoryIds: [categoryId] },
      scopeLabel: '皮肤管理类',
      channels: ['store', 'mall'],
      validity: { kind: 'fixed', from: '2026-12-01', to: '2027-01-31' },
      totalStock: null,
      issuedCount: 0,
      stockLeft: null,
      perCustomerLimit: 1,
      isStackable: false,
      description: '节假日通用',
      isActive: true,
      createdAt: '2026-11-01T00:00:00Z',
      updatedAt: '2026-11-01T00:00:00Z',
    } satisfies VoucherTemplate;
    const values = templateToValues(template);
    expect(values).toMatchObject({ zhe: 8.5, maxOff: '200.00' });
    expect(valuesToInput(values)).toEqual({
      name: '折扣券',
      kind: 'discount',
      discountBasisPoints: 1_500,
      maxOffFen: 20_000,
      scope: { itemIds: [], categoryIds: [categoryId] },
      channels: ['store', 'mall'],
      validity: { kind: 'fixed', from: '2026-12-01', to: '2027-01-31' },
      totalStock: null,
      perCustomerLimit: 1,
      isStackable: false,
      description: '节假日通用',
    });
  });
});

describe('the live title preview', () => {
  it('shows value, scope and validity the way the server titles the template — never a bare 「¥100」', () => {
    const names = { items: new Map([[itemId, '水光针']]), categories: new Map([[categoryId, '皮肤管理']]) };
    expect(
      previewTitleOf({ ...emptyTemplateValues, name: '代金券', faceValue: '100', threshold: '500', scope: { itemIds: [itemId], categoryIds: [] } }, names),
    ).toBe('¥100 代金券（满¥500可用） · 限水光针 · 领取后 30 天内有效');
    expect(
      previewTitleOf(
        {
          ...emptyTemplateValues,
          name: '折扣券',
          kind: 'discount',
          zhe: 8.5,
          maxOff: '200',
          scope: { itemIds: [], categoryIds: [categoryId] },
          validity: { kind: 'fixed', from: '2026-12-01', to: '2027-01-31' },
        },
        names,
      ),
    ).toBe('8.5折 折扣券（最多减¥200） · 限皮肤管理类 · 2026-12-01 至 2027-01-31 有效');
    expect(previewTitleOf({ ...emptyTemplateValues, name: '代金券', faceValue: '50' }, noNames)).toBe(
      '¥50 代金券（无门槛） · 全场（卡项除外） · 领取后 30 天内有效',
    );
  });

  it('waits for a name', () => {
    expect(previewTitleOf({ ...emptyTemplateValues, name: '  ' }, noNames)).toBeUndefined();
    expect(previewTitleOf(undefined, noNames)).toBeUndefined();
  });
});
