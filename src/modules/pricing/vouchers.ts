/** Vouchers (优惠券) at checkout: which apply, to which lines, for how much, and why the others do not. */
import { assertNever } from '../../platform/errors.js';
import { allocate, formatYuan } from '../../platform/money.js';
import { orderStep } from './explain.js';
import type { VoucherRejection } from './result.js';
import type { PricingLine, PricingSettings, PricingVoucher } from './schemas.js';
import { deduct, discountBase, type LineState, type Prepared, percentOffFen, type Run, sum } from './state.js';

export const voucherKindOrder: Record<PricingVoucher['kind'], number> = { item: 0, gift: 1, discount: 2, cash_off: 3 };

export const isInScope = (voucher: PricingVoucher, line: PricingLine): boolean => {
  const { itemIds, categoryIds } = voucher.scope;
  if (itemIds.length === 0 && categoryIds.length === 0) return true;
  return itemIds.includes(line.itemId) || (line.categoryId !== null && categoryIds.includes(line.categoryId));
};

export const claimedLineIds = (voucher: PricingVoucher, lines: readonly PricingLine[]): string[] => {
  const scoped = lines.filter((line) => isInScope(voucher, line) && line.unitPriceFen * line.quantity - (line.manualDiscountFen ?? 0) > 0);
  return (voucher.kind === 'item' || voucher.kind === 'gift' ? scoped.slice(0, 1) : scoped).map((line) => line.id);
};

export const combinesWithDiscounts = (voucher: PricingVoucher, settings: PricingSettings): boolean => settings.vouchersWithDiscounts && voucher.isStackable;

export const unitShareFen = (state: LineState): number => allocate(state.currentFen, new Array<number>(state.line.quantity).fill(1))[0] ?? 0;

type VoucherOutcome = { shares: number[]; forfeitedFen: number; faceFen: number | null } | { reason: VoucherRejection; message: string };

const voucherShares = (voucher: PricingVoucher, open: readonly LineState[], settings: PricingSettings): VoucherOutcome => {
  const currents = open.map((state) => state.currentFen);
  const eligibleFen = sum(currents);
  switch (voucher.kind) {
    case 'cash_off': {
      if (eligibleFen < voucher.thresholdFen) {
        return {
          reason: 'threshold_not_met',
          message: `「${voucher.name}」需适用品项满 ${formatYuan(voucher.thresholdFen)} 才能使用，本单适用品项合计 ${formatYuan(eligibleFen)}`,
        };
      }
      const amountFen = Math.min(voucher.faceValueFen, eligibleFen);
      return { shares: allocate(amountFen, currents), forfeitedFen: voucher.faceValueFen - amountFen, faceFen: voucher.faceValueFen };
    }
    case 'discount': {
      const offs = open.map((state) => Math.min(percentOffFen(discountBase(state, settings), voucher.rateBp), state.currentFen));
      const total = sum(offs);
      const shares = voucher.maxOffFen !== null && total > voucher.maxOffFen ? allocate(voucher.maxOffFen, offs) : offs;
      return { shares, forfeitedFen: 0, faceFen: null };
    }
    case 'item':
    case 'gift': {
      const unit = open[0] ? unitShareFen(open[0]) : 0;
      const faceFen = voucher.kind === 'item' ? voucher.faceValueFen : null;
      const amountFen = faceFen === null ? unit : Math.min(faceFen, unit);
      return { shares: open.map((_, index) => (index === 0 ? amountFen : 0)), forfeitedFen: faceFen === null ? 0 : faceFen - amountFen, faceFen };
    }
    default:
      return assertNever(voucher);
  }
};

export const applyVouchers = (run: Run, prepared: Prepared, declined: ReadonlySet<string>): void => {
  const { settings } = prepared;
  let exclusive: PricingVoucher | undefined;
  for (const voucher of prepared.vouchers) {
    const reject = (reason: VoucherRejection, message: string) => run.rejected.push({ voucherId: voucher.id, name: voucher.name, reason, message });
    if (declined.has(voucher.id)) {
      reject('member_discount_better', `「${voucher.name}」不可与会员折扣同享；按会员折扣结算更优惠，本单未使用此券，券仍可下次使用`);
      continue;
    }
    const scoped = run.states.filter((state) => isInScope(voucher, state.line));
    if (scoped.length === 0) {
      reject('not_applicable', `本单没有「${voucher.name}」适用的品项`);
      continue;
    }
    if (exclusive) {
      reject('not_stackable', `「${voucher.name}」不能与已使用的「${exclusive.name}」同时使用（该券不可叠加）`);
      continue;
    }
    const first = run.applied[0];
    if (!voucher.isStackable && first) {
      reject('not_stackable', `「${voucher.name}」不可与其他优惠券同时使用，本单已使用「${first.name}」`);
      continue;
    }
    const open = scoped.filter((state) => state.currentFen > 0);
    const outcome = voucherShares(voucher, open, settings);
    if ('reason' in outcome) {
      reject(outcome.reason, outcome.message);
      continue;
    }
    const amountFen = sum(outcome.shares);
    if (amountFen === 0) {
      reject('nothing_to_deduct', `「${voucher.name}」适用的品项已无可抵扣的金额`);
      continue;
    }
    const lineIds: string[] = [];
    open.forEach((state, index) => {
      const share = outcome.shares[index] ?? 0;
      if (share === 0) return;
      const rateBp = voucher.kind === 'discount' ? voucher.rateBp : undefined;
      deduct(state, { kind: 'voucher', label: voucher.name, amountFen: share, sourceId: voucher.id, ...(rateBp === undefined ? {} : { rateBp }) });
      state.hasVoucher = true;
      lineIds.push(state.line.id);
    });
    const notes = [`减 ${formatYuan(amountFen)}`];
    if (outcome.forfeitedFen > 0 && outcome.faceFen !== null) {
      notes.push(`券面 ${formatYuan(outcome.faceFen)}，适用品项只有 ${formatYuan(amountFen)} 可抵，余 ${formatYuan(outcome.forfeitedFen)} 作废，不找零`);
    }
    if (!combinesWithDiscounts(voucher, settings)) notes.push('此券不与会员折扣同享，适用品项不再打折');
    run.applied.push({
      voucherId: voucher.id,
      name: voucher.name,
      kind: voucher.kind,
      amountFen,
      forfeitedFen: outcome.forfeitedFen,
      lineIds,
      message: notes.join('；'),
    });
    if (!voucher.isStackable) exclusive = voucher;
    run.subtotalFen -= amountFen;
    run.steps.push(
      orderStep('voucher', {
        sourceId: voucher.id,
        label: voucher.name,
        amountFen,
        subtotalFen: run.subtotalFen,
        ...(outcome.forfeitedFen > 0 ? { note: `余 ${formatYuan(outcome.forfeitedFen)} 作废` } : {}),
      }),
    );
  }
};
