import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.js';
import { formatRate } from './explain.js';
import { percentOffFen, priceOrder } from './pricing.js';
import { defaultPricingSettings, type PricingCard, type PricingInput, type PricingLine, type PricingVoucher } from './schemas.js';
import { orderInput, pointsInput } from './test-inputs.js';

const filling: PricingLine = { id: 'l1', itemId: 'resin-filling', name: '树脂补牙', kind: 'service', categoryId: 'filling', unitPriceFen: 40_000, quantity: 1 };

const familyCard = (overrides: Partial<PricingCard> = {}): PricingCard => ({
  id: 'card-family',
  name: '家庭卡',
  holder: 'owner',
  ownerCustomerId: 'customer-owner',
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  discountRules: [{ categoryId: 'filling', kind: null, rateBp: 8000 }],
  remaining: { discountFen: null, units: null },
  ...overrides,
});

const cardVoucher: PricingVoucher = {
  id: 'v-card-200',
  name: '家庭卡代金券',
  kind: 'cash_off',
  faceValueFen: 20_000,
  thresholdFen: 0,
  scope: { itemIds: [], categoryIds: [] },
  isStackable: true,
};

const points = pointsInput;
const order = (overrides: Partial<PricingInput> = {}): PricingInput => orderInput('2025-06-01', [filling], overrides);

describe('the family card of seed 004', () => {
  it('prices a ¥400 resin filling with the card’s ¥200 voucher and 20 % off at (400 − 200) × 0.8 = ¥160', () => {
    const result = priceOrder(order({ cards: [familyCard()], vouchers: [cardVoucher] }));
    expect(result.totals).toMatchObject({ listFen: 40_000, voucherFen: 20_000, cardDiscountFen: 4_000, payableFen: 16_000 });
    expect(result.lines[0]?.sentence).toBe('树脂补牙 原价 ¥400.00，减家庭卡代金券 ¥200.00，再享家庭卡 8 折，应付 ¥160.00');
    expect(result.lines[0]?.deductions).toEqual([
      { kind: 'voucher', label: '家庭卡代金券', amountFen: 20_000, sourceId: 'v-card-200' },
      { kind: 'card_discount', label: '家庭卡 8 折', amountFen: 4_000, sourceId: 'card-family', rateBp: 8000 },
    ]);
    expect(result.explanation.map((step) => step.sentence)).toEqual([
      '原价合计 ¥400.00',
      '优惠券「家庭卡代金券」减 ¥200.00，小计 ¥200.00',
      '家庭卡折扣减 ¥40.00，小计 ¥160.00',
      '应付 ¥160.00',
    ]);
  });

  it('gives a family member on the card exactly the owner’s price', () => {
    const owner = priceOrder(order({ cards: [familyCard()], vouchers: [cardVoucher] }));
    const dependant = priceOrder(order({ cards: [familyCard({ holder: 'family_member' })], vouchers: [cardVoucher] }));
    expect(dependant.totals.payableFen).toBe(16_000);
    expect(dependant.lines).toEqual(owner.lines);
    expect(dependant.totals).toEqual(owner.totals);
    expect(dependant.explanation).toEqual(owner.explanation);
    expect(dependant.cards.applied).toEqual([{ cardId: 'card-family', name: '家庭卡', holder: 'family_member', amountFen: 4_000, lineIds: ['l1'] }]);
  });

  it('discounts first when the tenant sets discount_then_vouchers: 400 × 0.8 − 200 = ¥120', () => {
    const result = priceOrder(
      order({ cards: [familyCard()], vouchers: [cardVoucher], settings: { ...defaultPricingSettings, applicationOrder: 'discount_then_vouchers' } }),
    );
    expect(result.totals.payableFen).toBe(12_000);
    expect(result.lines[0]?.sentence).toBe('树脂补牙 原价 ¥400.00，享家庭卡 8 折，再减家庭卡代金券 ¥200.00，应付 ¥120.00');
  });

  it('takes the percentage on the list price when the tenant says so, and shows its amount', () => {
    const result = priceOrder(order({ cards: [familyCard()], vouchers: [cardVoucher], settings: { ...defaultPricingSettings, percentageBase: 'list' } }));
    expect(result.totals.payableFen).toBe(12_000);
    expect(result.lines[0]?.sentence).toBe('树脂补牙 原价 ¥400.00，减家庭卡代金券 ¥200.00，再享家庭卡 8 折（减 ¥80.00），应付 ¥120.00');
  });

  it('gives no card discount outside the card’s validity and says why', () => {
    const result = priceOrder(order({ at: '2026-01-01', cards: [familyCard()], vouchers: [cardVoucher] }));
    expect(result.totals.payableFen).toBe(20_000);
    expect(result.cards.rejected).toEqual([
      { cardId: 'card-family', name: '家庭卡', reason: 'expired', message: '「家庭卡」已于 2025-12-31 到期，本单不能享受此卡折扣' },
    ]);
  });

  it('discounts only the units the member may still use on the card', () => {
    const result = priceOrder(order({ lines: [{ ...filling, quantity: 3 }], cards: [familyCard({ remaining: { discountFen: null, units: 1 } })] }));
    expect(result.totals.cardDiscountFen).toBe(8_000);
    expect(result.lines[0]?.sentence).toBe('树脂补牙 ×3 原价 ¥1,200.00，享家庭卡 8 折（减 ¥80.00），应付 ¥1,120.00');
  });

  it('caps the card discount at the member’s remaining discount amount', () => {
    const result = priceOrder(order({ cards: [familyCard({ remaining: { discountFen: 3_000, units: null } })] }));
    expect(result.totals.cardDiscountFen).toBe(3_000);
  });
});

describe('vouchers', () => {
  it('refuses a cash-off voucher whose threshold the lines in scope do not reach', () => {
    const voucher: PricingVoucher = { ...cardVoucher, id: 'v-500-50', name: '满500减50', faceValueFen: 5_000, thresholdFen: 50_000 };
    const result = priceOrder(order({ vouchers: [voucher] }));
    expect(result.totals.payableFen).toBe(40_000);
    expect(result.vouchers.rejected).toEqual([
      {
        voucherId: 'v-500-50',
        name: '满500减50',
        reason: 'threshold_not_met',
        message: '「满500减50」需适用品项满 ¥500.00 才能使用，本单适用品项合计 ¥400.00',
      },
    ]);
  });

  it('refuses a voucher scoped to a category the order does not hold', () => {
    const voucher: PricingVoucher = { ...cardVoucher, id: 'v-ortho', name: '正畸券', scope: { itemIds: [], categoryIds: ['ortho'] } };
    const result = priceOrder(order({ vouchers: [voucher] }));
    expect(result.vouchers.applied).toEqual([]);
    expect(result.vouchers.rejected).toMatchObject([{ voucherId: 'v-ortho', reason: 'not_applicable', message: '本单没有「正畸券」适用的品项' }]);
  });

  it('applies a scoped voucher only to its category', () => {
    const cleaning: PricingLine = { id: 'l2', itemId: 'cleaning', name: '洁牙', kind: 'service', categoryId: 'hygiene', unitPriceFen: 20_000, quantity: 1 };
    const voucher: PricingVoucher = { ...cardVoucher, id: 'v-hygiene', name: '洁牙券', faceValueFen: 5_000, scope: { itemIds: [], categoryIds: ['hygiene'] } };
    const result = priceOrder(order({ lines: [filling, cleaning], vouchers: [voucher] }));
    expect(result.lines.map((line) => line.finalFen)).toEqual([40_000, 15_000]);
  });

  it('uses a non-stackable voucher without the member discount when that is cheaper', () => {
    const voucher: PricingVoucher = { ...cardVoucher, isStackable: false };
    const result = priceOrder(order({ cards: [familyCard()], vouchers: [voucher] }));
    expect(result.totals).toMatchObject({ voucherFen: 20_000, cardDiscountFen: 0, payableFen: 20_000 });
    expect(result.vouchers.applied[0]?.message).toBe('减 ¥200.00；此券不与会员折扣同享，适用品项不再打折');
  });

  it('keeps the member discount and leaves a non-stackable voucher in the wallet when the discount is cheaper', () => {
    const voucher: PricingVoucher = { ...cardVoucher, faceValueFen: 5_000, isStackable: false };
    const result = priceOrder(order({ cards: [familyCard()], vouchers: [voucher] }));
    expect(result.totals).toMatchObject({ voucherFen: 0, cardDiscountFen: 8_000, payableFen: 32_000 });
    expect(result.vouchers.rejected).toMatchObject([{ voucherId: 'v-card-200', reason: 'member_discount_better' }]);
  });

  it('treats every voucher as exclusive of member discounts when the tenant does not let them combine', () => {
    const result = priceOrder(order({ cards: [familyCard()], vouchers: [cardVoucher], settings: { ...defaultPricingSettings, vouchersWithDiscounts: false } }));
    expect(result.totals.payableFen).toBe(20_000);
    expect(result.totals.cardDiscountFen).toBe(0);
  });

  it('refuses a second voucher next to a non-stackable one', () => {
    const exclusive: PricingVoucher = { ...cardVoucher, id: 'v-a', name: '独享券', faceValueFen: 1_000, isStackable: false };
    const other: PricingVoucher = { ...cardVoucher, id: 'v-b', name: '通用券', faceValueFen: 1_000 };
    const result = priceOrder(order({ vouchers: [other, exclusive] }));
    expect(result.vouchers.applied.map((voucher) => voucher.voucherId)).toEqual(['v-a']);
    expect(result.vouchers.rejected).toMatchObject([
      { voucherId: 'v-b', reason: 'not_stackable', message: '「通用券」不能与已使用的「独享券」同时使用（该券不可叠加）' },
    ]);
  });

  it('caps a voucher bigger than its lines at zero and states the forfeited remainder', () => {
    const voucher: PricingVoucher = { ...cardVoucher, faceValueFen: 50_000 };
    const result = priceOrder(order({ cards: [familyCard()], vouchers: [voucher] }));
    expect(result.totals.payableFen).toBe(0);
    expect(result.lines[0]?.finalFen).toBe(0);
    expect(result.vouchers.applied[0]).toMatchObject({ amountFen: 40_000, forfeitedFen: 10_000 });
    expect(result.vouchers.applied[0]?.message).toContain('余 ¥100.00 作废，不找零');
  });

  it('splits a cash-off voucher over its lines by largest remainder so the lines sum to the total', () => {
    const lines: PricingLine[] = ['a', 'b', 'c'].map((id) => ({ ...filling, id, unitPriceFen: 1_000 }));
    const result = priceOrder(order({ lines, vouchers: [{ ...cardVoucher, faceValueFen: 1_000 }] }));
    expect(result.lines.map((line) => line.deductions[0]?.amountFen)).toEqual([334, 333, 333]);
    expect(result.totals.payableFen).toBe(2_000);
  });

  it('takes one unit of the item with an item voucher, up to its face value', () => {
    const voucher: PricingVoucher = {
      id: 'v-item',
      name: '补牙体验券',
      kind: 'item',
      faceValueFen: 30_000,
      scope: { itemIds: ['resin-filling'], categoryIds: [] },
      isStackable: true,
    };
    const result = priceOrder(order({ lines: [{ ...filling, quantity: 2 }], vouchers: [voucher] }));
    expect(result.totals.voucherFen).toBe(30_000);
    const whole = priceOrder(order({ lines: [{ ...filling, quantity: 2 }], vouchers: [{ ...voucher, faceValueFen: null }] }));
    expect(whole.totals.voucherFen).toBe(40_000);
  });

  it('applies a discount voucher with round half up per line and its cap', () => {
    const voucher: PricingVoucher = {
      id: 'v-95',
      name: '9.5折券',
      kind: 'discount',
      rateBp: 9500,
      maxOffFen: null,
      scope: { itemIds: [], categoryIds: [] },
      isStackable: true,
    };
    const result = priceOrder(order({ lines: [{ ...filling, unitPriceFen: 1_010 }], vouchers: [voucher] }));
    // 5 % of ¥10.10 is 50.5 fen: the half fen goes to the customer.
    expect(result.totals.voucherFen).toBe(51);
    const capped = priceOrder(order({ vouchers: [{ ...voucher, maxOffFen: 1_000 }] }));
    expect(capped.totals.voucherFen).toBe(1_000);
  });
});

describe('tier and card discounts', () => {
  const tier = (rateBp: number) => ({ id: 'tier-gold', name: '钻石', categoryDiscounts: { filling: rateBp } });

  it('gives the better of tier and card discount by default', () => {
    expect(priceOrder(order({ tier: tier(9000), cards: [familyCard()] })).totals).toMatchObject({ cardDiscountFen: 8_000, tierDiscountFen: 0 });
    const tierWins = priceOrder(order({ tier: tier(7000), cards: [familyCard()] }));
    expect(tierWins.totals).toMatchObject({ cardDiscountFen: 0, tierDiscountFen: 12_000 });
    expect(tierWins.lines[0]?.sentence).toBe('树脂补牙 原价 ¥400.00，享钻石会员 7 折，应付 ¥280.00');
  });

  it('multiplies tier and card discounts when the tenant stacks them: 400 × 0.9 × 0.8 = 288', () => {
    const result = priceOrder(order({ tier: tier(9000), cards: [familyCard()], settings: { ...defaultPricingSettings, tierWithCard: 'multiply' } }));
    expect(result.totals).toMatchObject({ tierDiscountFen: 4_000, cardDiscountFen: 7_200, payableFen: 28_800 });
  });

  it('adds them when both are taken on the list price: 400 − 40 − 80 = 280', () => {
    const settings = { ...defaultPricingSettings, tierWithCard: 'multiply' as const, percentageBase: 'list' as const };
    expect(priceOrder(order({ tier: tier(9000), cards: [familyCard()], settings })).totals.payableFen).toBe(28_000);
  });

  it('gives no tier discount to categories the tier does not list', () => {
    expect(priceOrder(order({ tier: { id: 't', name: '铂金', categoryDiscounts: { photo: 8000 } } })).totals.payableFen).toBe(40_000);
  });
});

describe('points offset (积分抵现)', () => {
  it('caps points at a percentage of the order', () => {
    const result = priceOrder(order({ points: points({ requestedPoints: 100_000, maxPercentOfOrder: 50 }) }));
    expect(result.points).toMatchObject({ requestedPoints: 100_000, usedPoints: 20_000, valueFen: 20_000, limitedBy: 'percent_cap' });
    expect(result.points.message).toBe('使用 20000 积分，抵 ¥200.00（申请 100000 积分；积分抵现最多为本单金额的 50%，即 ¥200.00）');
    expect(result.totals.payableFen).toBe(20_000);
  });

  it('caps points at an amount', () => {
    const result = priceOrder(order({ points: points({ requestedPoints: 100_000, maxFen: 5_000 }) }));
    expect(result.points).toMatchObject({ usedPoints: 5_000, valueFen: 5_000, limitedBy: 'amount_cap' });
  });

  it('uses points only in whole fen', () => {
    const result = priceOrder(order({ points: points({ requestedPoints: 1_000, pointsPerYuan: 300 }) }));
    expect(result.points).toMatchObject({ usedPoints: 999, valueFen: 333, limitedBy: 'whole_fen' });
  });

  it('gives no points share to excluded kinds and categories', () => {
    const drug: PricingLine = { id: 'l2', itemId: 'antibiotic', name: '抗生素', kind: 'drug', categoryId: 'medicine', unitPriceFen: 10_000, quantity: 1 };
    const gel: PricingLine = { id: 'l3', itemId: 'gel', name: '修复凝胶', kind: 'goods', categoryId: 'retail', unitPriceFen: 5_000, quantity: 1 };
    const result = priceOrder(
      order({ lines: [filling, drug, gel], points: points({ requestedPoints: 1_000_000, excludedKinds: ['drug'], excludedCategoryIds: ['retail'] }) }),
    );
    expect(result.points).toMatchObject({ usedPoints: 40_000, limitedBy: 'eligible_lines' });
    expect(result.lines.map((line) => line.finalFen)).toEqual([0, 10_000, 5_000]);
  });

  it('keeps points off lines that took a voucher when points and vouchers do not combine', () => {
    const cleaning: PricingLine = { id: 'l2', itemId: 'cleaning', name: '洁牙', kind: 'service', categoryId: 'hygiene', unitPriceFen: 20_000, quantity: 1 };
    const voucher: PricingVoucher = { ...cardVoucher, faceValueFen: 1_000, scope: { itemIds: ['resin-filling'], categoryIds: [] } };
    const result = priceOrder(
      order({
        lines: [filling, cleaning],
        vouchers: [voucher],
        points: points({ requestedPoints: 100_000 }),
        settings: { ...defaultPricingSettings, pointsWithVouchers: false },
      }),
    );
    expect(result.lines.map((line) => line.finalFen)).toEqual([39_000, 0]);
    expect(result.points.valueFen).toBe(20_000);
  });

  it('uses no points below the minimum', () => {
    const result = priceOrder(order({ points: points({ requestedPoints: 50, minimumPoints: 100 }) }));
    expect(result.points).toMatchObject({ usedPoints: 0, limitedBy: 'below_minimum', message: '本单未使用积分：积分抵现至少使用 100 积分' });
  });
});

describe('payment plan', () => {
  it('pays with points, then stored value by its spending order, then the rest', () => {
    const input = order({ points: points({ requestedPoints: 5_000 }), storedValue: { principalFen: 20_000, bonusFen: 5_000, spendOrder: 'bonus_first' } });
    const result = priceOrder(input);
    expect(result.payment).toEqual({ pointsFen: 5_000, storedValue: { principalFen: 20_000, bonusFen: 5_000, totalFen: 25_000 }, dueFen: 10_000 });
    expect(result.explanation.slice(-3).map((step) => step.sentence)).toEqual([
      '应付 ¥350.00',
      '储值支付 ¥250.00（本金 ¥200.00，赠送金 ¥50.00）',
      '还需支付 ¥100.00',
    ]);
    const proportional = priceOrder({ ...input, storedValue: { principalFen: 100_000, bonusFen: 50_000, spendOrder: 'proportional' } });
    expect(proportional.payment.storedValue).toEqual({ principalFen: 23_333, bonusFen: 11_667, totalFen: 35_000 });
    const principalFirst = priceOrder({ ...input, storedValue: { principalFen: 100_000, bonusFen: 50_000, spendOrder: 'principal_first' } });
    expect(principalFirst.payment).toMatchObject({ storedValue: { principalFen: 35_000, bonusFen: 0 }, dueFen: 0 });
  });
});

describe('input and rounding', () => {
  it('rounds a percentage’s deduction half up to the fen', () => {
    expect(percentOffFen(1_010, 9500)).toBe(51);
    expect(percentOffFen(1_009, 9500)).toBe(50);
    expect(percentOffFen(40_000, 8000)).toBe(8_000);
    expect(formatRate(8500)).toBe('8.5 折');
    expect(formatRate(8850)).toBe('8.85 折');
  });

  it('refuses malformed input with a domain error', () => {
    expect(() => priceOrder(order({ lines: [{ ...filling, unitPriceFen: 1.5 }] }))).toThrow(DomainError);
    expect(() => priceOrder(order({ lines: [filling, filling] }))).toThrow('开单数据有误');
    expect(() => priceOrder(order({ lines: [{ ...filling, manualDiscountFen: 50_000 }] }))).toThrow(DomainError);
  });

  it('applies a manual line discount before any offer', () => {
    const result = priceOrder(order({ lines: [{ ...filling, manualDiscountFen: 5_000 }], cards: [familyCard()] }));
    expect(result.lines[0]?.sentence).toBe('树脂补牙 原价 ¥400.00，减门店优惠 ¥50.00，再享家庭卡 8 折，应付 ¥280.00');
  });

  it('returns the lines in the order given and prices them the same whatever that order', () => {
    const cleaning: PricingLine = { id: 'l2', itemId: 'cleaning', name: '洁牙', kind: 'service', categoryId: 'hygiene', unitPriceFen: 333, quantity: 1 };
    const forward = priceOrder(order({ lines: [filling, cleaning], vouchers: [{ ...cardVoucher, faceValueFen: 101 }] }));
    const backward = priceOrder(order({ lines: [cleaning, filling], vouchers: [{ ...cardVoucher, faceValueFen: 101 }] }));
    expect(backward.lines.map((line) => line.lineId)).toEqual(['l2', 'l1']);
    expect(backward.lines.toReversed()).toEqual(forward.lines);
  });
});
