import { describe, expect, it } from 'vitest';
import type { Item, Quote } from '../../shared/api-models';
import { type CartLine, newCartLine } from './cart';
import { explanationRowsOf, formatPoints, isSameOrderPrice, pointsForFen, quoteRequestOf, rejectedChosenVouchers, walletVoucherOutcome } from './quote-request';

const customerId = '0193a1b2-0000-7000-8000-000000000001';
const storeId = '0193a1b2-0000-7000-8000-000000000002';
const cardId = '0193a1b2-0000-7000-8000-000000000003';

const filling: Item = {
  id: '0193a1b2-0000-7000-8000-000000000004',
  kind: 'service',
  name: '树脂补牙',
  categoryId: null,
  categoryName: null,
  shortCode: 'SZBY',
  priceFen: 40_000,
  unit: '次',
  validityDays: null,
  isActive: true,
  contents: [],
  createdAt: '2026-11-23T00:00:00.000Z',
};

const line = (patch: Partial<CartLine> = {}): CartLine => ({ ...newCartLine(filling, []), ...patch });

describe('quoteRequestOf', () => {
  it('prices nothing until there is a customer and every line is valid', () => {
    expect(quoteRequestOf({ storeId, customerId: undefined, lines: [line()], isMemberPricing: true, pointsToUse: 0 })).toBeUndefined();
    expect(quoteRequestOf({ storeId, customerId, lines: [], isMemberPricing: true, pointsToUse: 0 })).toBeUndefined();
    expect(quoteRequestOf({ storeId, customerId, lines: [line({ quantity: undefined })], isMemberPricing: true, pointsToUse: 0 })).toBeUndefined();
  });

  it('sends member pricing and points only when they depart from the default', () => {
    expect(quoteRequestOf({ storeId, customerId, lines: [line({ discountFen: 1_000 })], isMemberPricing: true, pointsToUse: 0 })).toEqual({
      storeId,
      customerId,
      lines: [{ itemId: filling.id, quantity: 1, unitPriceFen: 40_000, discountFen: 1_000 }],
    });
    expect(quoteRequestOf({ storeId, customerId, lines: [line()], isMemberPricing: false, pointsToUse: 500 })).toMatchObject({
      memberPricing: false,
      pointsToUse: 500,
    });
  });
});

describe('wallet vouchers at the desk', () => {
  const walletVoucherId = '0193a1b2-0000-7000-8000-000000000005';
  const otherVoucherId = '0193a1b2-0000-7000-8000-000000000006';

  it('sends the chosen vouchers with the cart, and none when none is chosen', () => {
    expect(quoteRequestOf({ storeId, customerId, lines: [line()], isMemberPricing: true, pointsToUse: 0, voucherIds: [walletVoucherId] })).toMatchObject({
      voucherIds: [walletVoucherId],
    });
    expect(quoteRequestOf({ storeId, customerId, lines: [line()], isMemberPricing: true, pointsToUse: 0, voucherIds: [] })).not.toHaveProperty('voucherIds');
  });

  it('a chosen voucher changes the order total', () => {
    const without = quoteRequestOf({ storeId, customerId, lines: [line()], isMemberPricing: true, pointsToUse: 0 });
    const withVoucher = quoteRequestOf({ storeId, customerId, lines: [line()], isMemberPricing: true, pointsToUse: 0, voucherIds: [walletVoucherId] });
    expect(isSameOrderPrice(without, withVoucher)).toBe(false);
  });

  it('reads what the quote did with each chosen voucher, and which ones it refused', () => {
    const quote = {
      vouchers: {
        applied: [{ voucherId: `wallet:${walletVoucherId}`, name: '代金券', kind: 'cash_off', amountFen: 10_000, forfeitedFen: 0, lineIds: [], message: '' }],
        rejected: [
          { voucherId: `wallet:${otherVoucherId}`, name: '水光针代金券', reason: 'threshold', message: '满¥500可用，本单适用品项 ¥400' },
          { voucherId: `card:${cardId}:voucher:0`, name: '家庭卡·补牙代金券', reason: 'scope', message: '本单没有补牙项目' },
        ],
      },
    } as unknown as Quote;
    expect(walletVoucherOutcome(quote, walletVoucherId).applied?.amountFen).toBe(10_000);
    expect(walletVoucherOutcome(quote, walletVoucherId).rejected).toBeUndefined();
    // A card voucher the quote passed over does not block the order; a chosen wallet voucher does.
    expect(rejectedChosenVouchers(quote, [walletVoucherId, otherVoucherId]).map((rejected) => rejected.name)).toEqual(['水光针代金券']);
    expect(rejectedChosenVouchers(quote, [walletVoucherId])).toEqual([]);
  });
});

describe('isSameOrderPrice', () => {
  const request = quoteRequestOf({ storeId, customerId, lines: [line()], isMemberPricing: true, pointsToUse: 0 });

  it('ignores the points, which are paid as a payment and leave the order total alone', () => {
    expect(isSameOrderPrice(request, request && { ...request, pointsToUse: 300 })).toBe(true);
  });

  it('tells apart another quantity or member pricing turned off', () => {
    expect(isSameOrderPrice(request, quoteRequestOf({ storeId, customerId, lines: [line({ quantity: 2 })], isMemberPricing: true, pointsToUse: 0 }))).toBe(
      false,
    );
    expect(isSameOrderPrice(request, request && { ...request, memberPricing: false })).toBe(false);
    expect(isSameOrderPrice(undefined, request)).toBe(false);
  });
});

describe('formatPoints', () => {
  it('groups thousands with a no-break space', () => {
    expect(formatPoints(2_556)).toBe('2\u00a0556');
    expect(formatPoints(1_234_567)).toBe('1\u00a0234\u00a0567');
    expect(formatPoints(999)).toBe('999');
    expect(formatPoints(0)).toBe('0');
  });
});

describe('pointsForFen', () => {
  it('rounds up so the points cover the amount: ¥1.01 at 100 points per yuan takes 101 points', () => {
    expect(pointsForFen(101, 100)).toBe(101);
    expect(pointsForFen(1, 30)).toBe(1);
    expect(pointsForFen(0, 100)).toBe(0);
  });
});

describe('explanationRowsOf', () => {
  it('names the card and its rate on the discount step, and leaves the desk’s own discount unnamed', () => {
    const voucherId = `card:${cardId}:voucher:0`;
    const quote = {
      lines: [
        {
          deductions: [
            { kind: 'manual', label: '门店优惠', amountFen: 1_000, sourceId: null },
            { kind: 'voucher', label: '家庭卡·补牙代金券', amountFen: 20_000, sourceId: voucherId },
            { kind: 'card_discount', label: '家庭卡 8 折', amountFen: 4_000, sourceId: cardId, rateBp: 8_000 },
          ],
        },
      ],
      explanation: [
        { kind: 'list', sourceId: null, amountFen: 41_000, subtotalFen: 41_000, sentence: '原价合计 ¥410.00' },
        { kind: 'manual', sourceId: null, amountFen: 1_000, subtotalFen: 40_000, sentence: '门店优惠减 ¥10.00' },
        { kind: 'voucher', sourceId: voucherId, amountFen: 20_000, subtotalFen: 20_000, sentence: '优惠券减 ¥200.00' },
        { kind: 'card_discount', sourceId: cardId, amountFen: 4_000, subtotalFen: 16_000, sentence: '家庭卡折扣减 ¥40.00' },
        { kind: 'payable', sourceId: null, amountFen: 16_000, subtotalFen: 16_000, sentence: '应付 ¥160.00' },
        { kind: 'bonus_points', sourceId: null, amountFen: 0, subtotalFen: 16_000, sentence: '新步骤' },
      ],
    } as unknown as Quote;
    expect(explanationRowsOf(quote).map((row) => [row.kind, row.isDeduction, row.labels, row.amountFen])).toEqual([
      ['list', false, [], 41_000],
      ['manual', true, [], 1_000],
      ['voucher', true, [{ text: '家庭卡·补牙代金券', rateBp: undefined }], 20_000],
      ['card_discount', true, [{ text: '家庭卡 8 折', rateBp: 8_000 }], 4_000],
      ['payable', false, [], 16_000],
      [undefined, false, [], 0],
    ]);
  });
});
