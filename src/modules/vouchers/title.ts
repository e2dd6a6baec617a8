/** What a voucher says to the customer: value, scope and validity, never a bare 「¥100」 (seed 003). */
import { assertNever } from '../../platform/errors.js';
import type { VoucherKind } from './schemas.js';

/** ¥100 or ¥99.50: the yuan without empty cents, for titles. */
export const yuanShort = (fen: number): string => {
  const yuan = Math.floor(Math.abs(fen) / 100).toLocaleString('en-US');
  const cents = Math.abs(fen) % 100;
  return `${fen < 0 ? '-' : ''}¥${yuan}${cents === 0 ? '' : `.${String(cents).padStart(2, '0').replace(/0$/, '')}`}`;
};

/** 1 500 basis points off → 「8.5折」. */
export const zheOf = (shareOffBasisPoints: number): string => {
  const paid = 10_000 - shareOffBasisPoints;
  return `${(paid / 1000).toFixed(2).replace(/\.?0+$/, '')}折`;
};

export type TitleFields = {
  name: string;
  kind: VoucherKind;
  faceValueFen: number | null;
  thresholdFen: number;
  discountBasisPoints: number | null;
  maxOffFen: number | null;
};

/** The value part: 「¥100代金券（满¥500可用）」, 「8.5折券（最多减¥200）」, 「小气泡清洁体验券（价值¥298）」. */
export const valueLabel = (fields: TitleFields): string => {
  switch (fields.kind) {
    case 'cash_off': {
      const face = yuanShort(fields.faceValueFen ?? 0);
      return fields.thresholdFen > 0 ? `${face} ${fields.name}（满${yuanShort(fields.thresholdFen)}可用）` : `${face} ${fields.name}（无门槛）`;
    }
    case 'discount': {
      const zhe = zheOf(fields.discountBasisPoints ?? 0);
      return fields.maxOffFen ? `${zhe} ${fields.name}（最多减${yuanShort(fields.maxOffFen)}）` : `${zhe} ${fields.name}`;
    }
    case 'item':
      return fields.faceValueFen ? `${fields.name}（抵${yuanShort(fields.faceValueFen)}）` : `${fields.name}（免费体验 1 次）`;
    case 'gift':
      return `${fields.name}（赠送 1 份）`;
    default:
      return assertNever(fields.kind);
  }
};

export type ValidityLabel = { kind: 'fixed'; from: string; to: string } | { kind: 'relative'; days: number } | { kind: 'issued'; to: string };

export const validityLabel = (validity: ValidityLabel): string => {
  switch (validity.kind) {
    case 'fixed':
      return `${validity.from} 至 ${validity.to} 有效`;
    case 'relative':
      return `领取后 ${validity.days} 天内有效`;
    case 'issued':
      return `有效期至 ${validity.to}`;
    default:
      return assertNever(validity);
  }
};

/** What a voucher with no items or categories applies to: the order's items, never its cards. */
export const wholeOrderLabel = '全场（卡项除外）';

/** The scope as the customer reads it: 「水光针、皮肤管理类」, the first three and a count beyond, or 「全场（卡项除外）」. */
export const scopeLabelOfNames = (itemNames: readonly string[], categoryNames: readonly string[]): string => {
  const names = [...itemNames, ...categoryNames.map((name) => `${name}类`)];
  if (names.length === 0) return wholeOrderLabel;
  return names.length > 3 ? `${names.slice(0, 3).join('、')}等 ${names.length} 项` : names.join('、');
};

/** 「¥100 水光针代金券（满¥500可用）· 限水光针 · 领取后 30 天内有效」. */
export const voucherTitle = (fields: TitleFields, scopeLabel: string, validity: ValidityLabel): string =>
  [valueLabel(fields), scopeLabel.startsWith('全场') ? scopeLabel : `限${scopeLabel}`, validityLabel(validity)].join(' · ');
