import { z } from 'zod';
import type { itemsByIds } from '../catalog/index.js';
import { defaultPricingSettings, type PricingResult, ZPricingSettings } from '../pricing/index.js';
import { defineSetting } from '../settings/index.js';

/** 开单定价 settings: the order in which offers apply and which combine (SPEC §8). */
export const pricingSettingsSetting = defineSetting({
  key: 'pricing',
  schema: ZPricingSettings.meta({ id: 'PricingSettings' }),
  defaults: defaultPricingSettings,
  label: '开单定价',
});

type ItemRow = Awaited<ReturnType<typeof itemsByIds>>[number];

/** An order line as the desk entered it, resolved against the catalogue. */
export type LineToPrice = { id: string; item: ItemRow; unitPriceFen: number; quantity: number; manualDiscountFen: number };

export type PricingOptions = {
  customerId: string;
  lines: LineToPrice[];
  /** false: list prices and manual discounts only (no tier, card or card voucher). */
  memberPricing: boolean;
  /** Quote only: points the customer would use (they are paid at checkout as a payment). */
  pointsToUse?: number;
  /** Quote only: plan paying from her stored value. */
  useStoredValue?: boolean;
  /** Vouchers from her wallet (券包) the desk chose; checked usable, and locked when `forCommit`. */
  voucherIds?: readonly string[];
  /** The order's commit: the chosen vouchers' rows are locked until it ends. */
  forCommit?: boolean;
  /** Quote only: the order type, to tell whether the order would be a deal (the default order type when absent). */
  orderType?: string | undefined;
};

const ZDeduction = z.object({
  kind: z.enum(['manual', 'tier_discount', 'card_discount', 'voucher', 'points']),
  label: z.string(),
  amountFen: z.number().int(),
  sourceId: z.string().nullable(),
  rateBp: z.number().int().optional(),
});

/** What a quote answers: the pricing function's result, with the order total before points. */
export const ZQuote = z
  .object({
    lines: z.array(
      z.object({
        lineId: z.string(),
        itemId: z.string(),
        name: z.string(),
        kind: z.string(),
        categoryId: z.string().nullable(),
        unitPriceFen: z.number().int(),
        quantity: z.number().int(),
        listFen: z.number().int(),
        deductions: z.array(ZDeduction),
        finalFen: z.number().int(),
        sentence: z.string(),
      }),
    ),
    totals: z.object({
      listFen: z.number().int(),
      manualFen: z.number().int(),
      tierDiscountFen: z.number().int(),
      cardDiscountFen: z.number().int(),
      voucherFen: z.number().int(),
      pointsFen: z.number().int(),
      deductionsFen: z.number().int(),
      payableFen: z.number().int(),
    }),
    vouchers: z.object({
      applied: z.array(
        z.object({
          voucherId: z.string(),
          name: z.string(),
          kind: z.string(),
          amountFen: z.number().int(),
          forfeitedFen: z.number().int(),
          lineIds: z.array(z.string()),
          message: z.string(),
        }),
      ),
      rejected: z.array(z.object({ voucherId: z.string(), name: z.string(), reason: z.string(), message: z.string() })),
    }),
    cards: z.object({
      applied: z.array(z.object({ cardId: z.string(), name: z.string(), holder: z.string(), amountFen: z.number().int(), lineIds: z.array(z.string()) })),
      rejected: z.array(z.object({ cardId: z.string(), name: z.string(), reason: z.string(), message: z.string() })),
    }),
    points: z.object({
      requestedPoints: z.number().int(),
      usedPoints: z.number().int(),
      valueFen: z.number().int(),
      limitedBy: z.string().nullable(),
      message: z.string(),
    }),
    payment: z.object({
      pointsFen: z.number().int(),
      storedValue: z.object({ principalFen: z.number().int(), bonusFen: z.number().int(), totalFen: z.number().int() }).nullable(),
      dueFen: z.number().int(),
    }),
    explanation: z.array(
      z.object({ kind: z.string(), sourceId: z.string().nullable(), amountFen: z.number().int(), subtotalFen: z.number().int(), sentence: z.string() }),
    ),
    /** What the order will total (before points, which are paid as a payment): send it back as `expectedTotalFen`. */
    orderTotalFen: z.number().int(),
    /**
     * 积分抵现 at most on this order: her usable balance within the clinic's caps (per order, month, eligible items), ratio and
     * minimum, as the checkout will accept it; send `points` as `pointsToUse` and pay `valueFen` with a points payment. Null
     * when there is nothing to offer: she has no active points, or the clinic does not take points for cash.
     */
    usablePoints: z.object({ points: z.number().int(), valueFen: z.number().int(), balancePoints: z.number().int(), message: z.string() }).nullable(),
    /** 转介绍: points this order gives her as her first deal (counted in the points she may use on it); null when none. */
    referralReward: z.object({ points: z.number().int(), message: z.string() }).nullable(),
  })
  .meta({ id: 'Quote' });

export const quoteOf = (
  result: PricingResult,
  referralPoints = 0,
  usablePoints: { points: number; valueFen: number; balancePoints: number; message: string } | null = null,
) => ({
  ...result,
  usablePoints,
  orderTotalFen: result.totals.payableFen + result.totals.pointsFen,
  referralReward:
    referralPoints > 0 ? { points: referralPoints, message: `本单为推荐好友的首次成交：到账 ${referralPoints} 积分推荐奖励，本单即可使用` } : null,
});
