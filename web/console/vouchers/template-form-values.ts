import { scopeLabelOfNames, type ValidityLabel, voucherTitle } from '../../../src/modules/vouchers/title';
import { fenToYuanText, parseYuan } from '../../shared/money';
import type { VoucherChannel, VoucherKind, VoucherTemplate, VoucherTemplateInput } from './voucher-queries';

/**
 * What the voucher template form edits: yuan as typed instead of fen, 折 (8.5) instead of basis
 * points off, blank stock for unlimited. Field names follow the API where the value is the same,
 * so the server's 400 paths (`body.scope.itemIds`, `body.validity.to`) land on their fields.
 */
export type TemplateFormValues = {
  name: string;
  kind: VoucherKind;
  faceValue?: string;
  threshold?: string;
  zhe?: number | null;
  maxOff?: string;
  scope: { itemIds: string[]; categoryIds: string[] };
  validity: { kind: 'fixed' | 'relative'; from?: string; to?: string; days?: number | null };
  totalStock?: number | null;
  perCustomerLimit: number;
  channels: VoucherChannel[];
  isStackable: boolean;
  description?: string;
};

/** API body fields the form names differently. */
export const renamedFields = { faceValueFen: ['faceValue'], thresholdFen: ['threshold'], discountBasisPoints: ['zhe'], maxOffFen: ['maxOff'] } as const;

export const knownFields = [
  ['name'],
  ['kind'],
  ['faceValue'],
  ['threshold'],
  ['zhe'],
  ['maxOff'],
  ['scope', 'itemIds'],
  ['scope', 'categoryIds'],
  ['validity', 'kind'],
  ['validity', 'from'],
  ['validity', 'to'],
  ['validity', 'days'],
  ['totalStock'],
  ['perCustomerLimit'],
  ['channels'],
  ['isStackable'],
  ['description'],
] as const;

export const emptyTemplateValues: TemplateFormValues = {
  name: '',
  kind: 'cash_off',
  scope: { itemIds: [], categoryIds: [] },
  validity: { kind: 'relative', days: 30 },
  totalStock: null,
  perCustomerLimit: 1,
  channels: ['store'],
  isStackable: true,
};

/** 8.5 折 → 1 500 basis points off; undefined when it is not a 折 between 0.1 and 9.9. */
export const basisPointsOffOfZhe = (zhe: number | null | undefined): number | undefined => {
  if (zhe === null || zhe === undefined || !Number.isFinite(zhe) || zhe < 0.1 || zhe > 9.9) return undefined;
  return Math.round(10_000 - zhe * 1_000);
};

/** 1 500 basis points off → 8.5 折. */
export const zheOfBasisPointsOff = (basisPoints: number): number => (10_000 - basisPoints) / 1_000;

const fenOrNull = (text: string | undefined): number | null => {
  const fen = parseYuan(text);
  return fen === undefined || text === undefined || text.trim() === '' ? null : fen;
};

/**
 * The body POST/PATCH /voucher-templates takes. Fields another kind would use are left out, and
 * a blank required amount is sent as null so the server names the field that is missing.
 */
export const valuesToInput = (values: TemplateFormValues): VoucherTemplateInput => {
  const validity: VoucherTemplateInput['validity'] =
    values.validity.kind === 'fixed'
      ? { kind: 'fixed', from: values.validity.from ?? '', to: values.validity.to ?? '' }
      : { kind: 'relative', days: values.validity.days ?? 0 };
  const byKind = (() => {
    switch (values.kind) {
      case 'cash_off':
        return { faceValueFen: fenOrNull(values.faceValue), thresholdFen: parseYuan(values.threshold) ?? 0 };
      case 'discount':
        return { discountBasisPoints: basisPointsOffOfZhe(values.zhe) ?? null, maxOffFen: fenOrNull(values.maxOff) };
      case 'item':
        return { faceValueFen: fenOrNull(values.faceValue) };
      case 'gift':
        return {};
    }
  })();
  // A gift voucher gives one item; only the first is kept should more be chosen.
  const itemIds = values.kind === 'gift' ? values.scope.itemIds.slice(0, 1) : values.scope.itemIds;
  const categoryIds = values.kind === 'item' || values.kind === 'gift' ? [] : values.scope.categoryIds;
  return {
    name: values.name.trim(),
    kind: values.kind,
    ...byKind,
    scope: { itemIds, categoryIds },
    channels: values.channels,
    validity,
    totalStock: values.totalStock ?? null,
    perCustomerLimit: values.perCustomerLimit,
    isStackable: values.isStackable,
    description: values.description?.trim() || null,
  };
};

export const templateToValues = (template: VoucherTemplate): TemplateFormValues => ({
  name: template.name,
  kind: template.kind,
  faceValue: template.faceValueFen === null ? undefined : fenToYuanText(template.faceValueFen),
  threshold: template.thresholdFen > 0 ? fenToYuanText(template.thresholdFen) : undefined,
  zhe: template.discountBasisPoints === null ? null : zheOfBasisPointsOff(template.discountBasisPoints),
  maxOff: template.maxOffFen === null ? undefined : fenToYuanText(template.maxOffFen),
  scope: { itemIds: template.scope.itemIds, categoryIds: template.scope.categoryIds },
  validity:
    template.validity.kind === 'fixed'
      ? { kind: 'fixed', from: template.validity.from, to: template.validity.to }
      : { kind: 'relative', days: template.validity.days },
  totalStock: template.totalStock,
  perCustomerLimit: template.perCustomerLimit,
  channels: template.channels,
  isStackable: template.isStackable,
  description: template.description ?? undefined,
});

/**
 * The title customers will see, built by the same functions the server uses, from what the form
 * holds now; undefined until there is a name. Names of items and categories come from the caller.
 */
export const previewTitleOf = (
  values: Partial<TemplateFormValues> | undefined,
  names: { items: ReadonlyMap<string, string>; categories: ReadonlyMap<string, string> },
): string | undefined => {
  const name = values?.name?.trim();
  if (!values || !name || !values.kind) return undefined;
  const input = valuesToInput({ ...emptyTemplateValues, ...values, name, scope: values.scope ?? emptyTemplateValues.scope });
  const validity: ValidityLabel =
    input.validity.kind === 'fixed'
      ? { kind: 'fixed', from: input.validity.from || '…', to: input.validity.to || '…' }
      : { kind: 'relative', days: input.validity.days || 0 };
  const scopeLabel = scopeLabelOfNames(
    input.scope.itemIds.map((id) => names.items.get(id) ?? '…'),
    input.scope.categoryIds.map((id) => names.categories.get(id) ?? '…'),
  );
  return voucherTitle(
    {
      name,
      kind: input.kind,
      faceValueFen: input.faceValueFen ?? null,
      thresholdFen: input.thresholdFen ?? 0,
      discountBasisPoints: input.discountBasisPoints ?? null,
      maxOffFen: input.maxOffFen ?? null,
    },
    scopeLabel,
    validity,
  );
};
