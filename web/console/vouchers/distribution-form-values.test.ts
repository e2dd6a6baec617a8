import { describe, expect, it } from 'vitest';
import { initialFormValues, splitPhones, toDistributionInput } from './distribution-form-values';

describe('the 新建发券 form as a request', () => {
  it('splits a pasted phone list on lines, commas, spaces and tabs', () => {
    expect(splitPhones('13800000001\n13800000002, 13800000003；13800000004\t13800000005\r\n\n')).toEqual([
      '13800000001',
      '13800000002',
      '13800000003',
      '13800000004',
      '13800000005',
    ]);
  });

  it('sends only the fields the kind takes', () => {
    const base = { ...initialFormValues, name: ' 新客礼 ', templateId: 't1', customers: [{ value: 'c1' }] };
    expect(toDistributionInput({ ...base, kind: 'registration' })).toEqual({ kind: 'registration', name: '新客礼', templateId: 't1', quantity: 1 });
    expect(toDistributionInput({ ...base, kind: 'batch' })).toEqual({
      kind: 'batch',
      name: '新客礼',
      templateId: 't1',
      quantity: 1,
      audience: { kind: 'customers', customerIds: ['c1'] },
    });
    expect(toDistributionInput({ ...base, kind: 'periodic', every: 'week', weekday: 5, audienceKind: 'filter', noOrderDays: 15, activity: [] })).toEqual({
      kind: 'periodic',
      name: '新客礼',
      templateId: 't1',
      quantity: 1,
      schedule: { every: 'week', weekday: 5 },
      audience: { kind: 'filter', filter: { noOrderDays: 15 } },
    });
    expect(
      toDistributionInput({
        ...base,
        kind: 'operations',
        when: 'later',
        scheduledAt: '2026-03-08T02:00:00.000Z',
        audienceKind: 'phones',
        phones: '13800000001',
      }),
    ).toMatchObject({ scheduledAt: '2026-03-08T02:00:00.000Z', audience: { kind: 'phones', phones: ['13800000001'] } });
    expect(toDistributionInput({ ...base, kind: 'operations', when: 'now', scheduledAt: '2026-03-08T02:00:00.000Z' })).toMatchObject({ scheduledAt: null });
  });
});
