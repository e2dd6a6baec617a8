import { assertNever } from '../../platform/errors.js';
import { formatYuan } from '../../platform/money.js';
import type { LineKind } from '../catalog/index.js';
import type { Deduction, ExplanationStep, ExplanationStepKind } from './result.js';

/** 8000 → "8 折", 8500 → "8.5 折", 8850 → "8.85 折"; 0 → "免费". */
export const formatRate = (rateBp: number): string => {
  if (rateBp === 0) return '免费';
  const whole = Math.floor(rateBp / 1000);
  const fraction = String(rateBp % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} 折`;
};

export const lineKindLabels: Record<LineKind, string> = { service: '服务项目', goods: '商品', drug: '药品', package: '套餐', card: '卡项' };

/** Tier names are often bare (钻石); the customer reads 钻石会员. */
export const tierLabel = (name: string): string => (/(会员|卡)$/.test(name) ? name : `${name}会员`);

const deductionPhrase = (deduction: Deduction, showAmount: boolean): string => {
  const amount = formatYuan(deduction.amountFen);
  switch (deduction.kind) {
    case 'manual':
    case 'voucher':
      return `减${deduction.label} ${amount}`;
    case 'tier_discount':
    case 'card_discount':
      // The label already reads 家庭卡 8 折.
      return `享${deduction.label}${showAmount ? `（减 ${amount}）` : ''}`;
    case 'points':
      return `用积分抵 ${amount}`;
    default:
      return assertNever(deduction.kind);
  }
};

/**
 * The line's sentence for the customer, e.g.
 * 树脂补牙 原价 ¥400.00，减家庭卡代金券 ¥200.00，再享家庭卡 8 折，应付 ¥160.00.
 * A percentage shows its amount only when it is not simply the rate of what was left
 * (taken on the list price, or cut short by a card's remaining limit).
 */
export const lineSentence = (options: {
  name: string;
  quantity: number;
  listFen: number;
  deductions: { deduction: Deduction; isPlainRate: boolean }[];
  finalFen: number;
}): string => {
  const head = `${options.name}${options.quantity > 1 ? ` ×${options.quantity}` : ''} 原价 ${formatYuan(options.listFen)}`;
  const steps = options.deductions.map(({ deduction, isPlainRate }, index) => `${index === 0 ? '' : '再'}${deductionPhrase(deduction, !isPlainRate)}`);
  return [head, ...steps, `应付 ${formatYuan(options.finalFen)}`].join('，');
};

export const orderStep = (
  kind: ExplanationStepKind,
  options: { sourceId?: string | null; label?: string; amountFen: number; subtotalFen: number; note?: string },
): ExplanationStep => {
  const amount = formatYuan(options.amountFen);
  const subtotal = formatYuan(options.subtotalFen);
  const note = options.note ? `（${options.note}）` : '';
  const sentence = (() => {
    switch (kind) {
      case 'list':
        return `原价合计 ${amount}`;
      case 'manual':
        return `门店优惠减 ${amount}，小计 ${subtotal}`;
      case 'tier_discount':
      case 'card_discount':
        return `${options.label}减 ${amount}${note}，小计 ${subtotal}`;
      case 'voucher':
        return `优惠券「${options.label}」减 ${amount}${note}，小计 ${subtotal}`;
      case 'points':
        return `${options.label}抵 ${amount}，小计 ${subtotal}`;
      case 'payable':
        return `应付 ${amount}`;
      case 'stored_value':
        return `储值支付 ${amount}${note}`;
      case 'due':
        return `还需支付 ${amount}`;
      default:
        return assertNever(kind);
    }
  })();
  return { kind, sourceId: options.sourceId ?? null, amountFen: options.amountFen, subtotalFen: options.subtotalFen, sentence };
};
