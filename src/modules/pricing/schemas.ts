import { z } from 'zod';
import { lineKinds } from '../catalog/index.js';

/**
 * What the checkout pricing function takes: the order's lines and the customer's benefits,
 * already resolved by the caller (tier, usable cards incl. family cards, selected vouchers,
 * points to use, stored value offered) and the tenant's stacking settings.
 * Amounts in fen, rates in basis points (8000 = 8折), dates as business dates (YYYY-MM-DD).
 */

// Bounds keep every product and sum far inside Number.MAX_SAFE_INTEGER.
const ZFen = z.number().int('金额须为整数（分）').min(0, '金额不能为负').max(10_000_000_000);
const ZBasisPoints = z.number().int('折扣须为整数（万分比）').min(0).max(10_000);
const ZId = z.string().min(1).max(100);
const ZIds = z.array(ZId).max(500);

export const ZPricingLine = z.strictObject({
  id: ZId,
  itemId: ZId,
  /** Shown to the customer in the explanation (e.g. 树脂补牙). */
  name: z.string().min(1).max(100),
  kind: z.enum(lineKinds),
  categoryId: ZId.nullable(),
  unitPriceFen: ZFen.max(1_000_000_000),
  quantity: z.number().int('数量须为整数').min(1, '数量至少为 1').max(999),
  /** 手工优惠 on this line, applied before any offer. */
  manualDiscountFen: ZFen.optional(),
});

export const ZPricingTier = z.strictObject({
  id: ZId,
  name: z.string().min(1).max(50),
  /** Category id → rate in basis points (8000 = 8折). Lines of other categories get no tier discount. */
  categoryDiscounts: z.record(ZId, ZBasisPoints),
});

/** A card's discount rule; null matches every category or kind. */
export const ZCardDiscountRule = z.strictObject({
  categoryId: ZId.nullable(),
  kind: z.enum(lineKinds).nullable(),
  rateBp: ZBasisPoints,
});

export const ZPricingCard = z.strictObject({
  id: ZId,
  name: z.string().min(1).max(50),
  /** Family cards (家庭卡) price the same for the owner and every family member on the card. */
  holder: z.enum(['owner', 'family_member']),
  ownerCustomerId: ZId,
  /** Inclusive business dates; null means open-ended. Checked against `at`. */
  validFrom: z.iso.date().nullable(),
  validTo: z.iso.date().nullable(),
  discountRules: z.array(ZCardDiscountRule).max(100),
  /** This member's remaining limits on the card's discount; null means unlimited. */
  remaining: z.strictObject({
    discountFen: ZFen.nullable(),
    /** Units (e.g. fillings) this member may still have discounted. */
    units: z.number().int().min(0).max(100_000).nullable(),
  }),
});

const voucherBase = {
  id: ZId,
  name: z.string().min(1).max(50),
  /** Lines the voucher applies to: by item or by category; both empty means the whole order. */
  scope: z.strictObject({ itemIds: ZIds, categoryIds: ZIds }),
  /** 可叠加: may combine with other vouchers and with tier or card discounts. */
  isStackable: z.boolean(),
};

export const ZPricingVoucher = z.discriminatedUnion('kind', [
  /** 满减券 / 代金券: a fixed amount off the lines in scope, once they reach the threshold (0: none). */
  z.strictObject({ ...voucherBase, kind: z.literal('cash_off'), faceValueFen: ZFen.min(1), thresholdFen: ZFen }),
  /** 折扣券: a percentage off the lines in scope, optionally capped. */
  z.strictObject({ ...voucherBase, kind: z.literal('discount'), rateBp: ZBasisPoints, maxOffFen: ZFen.nullable() }),
  /** 项目券: one unit of an item in scope, up to the face value (null: the whole unit). */
  z.strictObject({ ...voucherBase, kind: z.literal('item'), faceValueFen: ZFen.min(1).nullable() }),
  /** 赠品券: one unit of the gift item in scope is free. */
  z.strictObject({ ...voucherBase, kind: z.literal('gift') }),
]);

export const ZPricingPoints = z.strictObject({
  requestedPoints: z.number().int().min(0).max(1_000_000_000),
  pointsPerYuan: z.number().int().min(1).max(1_000_000),
  minimumPoints: z.number().int().min(0),
  /** Per-order caps already known to the caller (e.g. 50 % of the order, or the month's remaining allowance). */
  maxPercentOfOrder: z.number().int().min(0).max(100).nullable(),
  maxFen: ZFen.nullable(),
  excludedKinds: z.array(z.enum(lineKinds)),
  excludedCategoryIds: ZIds,
});

export const storedValueSpendOrders = ['principal_first', 'bonus_first', 'proportional'] as const;

export const ZPricingStoredValue = z.strictObject({
  principalFen: ZFen,
  /** 赠送金 */
  bonusFen: ZFen,
  spendOrder: z.enum(storedValueSpendOrders),
});

export const ZPricingSettings = z.strictObject({
  /** Default `vouchers_then_discount`: (400 − 200) × 0.8 = 160 as in seed 004. */
  applicationOrder: z.enum(['vouchers_then_discount', 'discount_then_vouchers']),
  /** A percentage applies to the already-reduced amount (`current`) or to the line's amount before any offer (`list`). */
  percentageBase: z.enum(['current', 'list']),
  /** Tier and card discount on the same line: the better one, or both one after the other. */
  tierWithCard: z.enum(['best_of', 'multiply']),
  /** Whether vouchers combine with tier and card discounts at all. */
  vouchersWithDiscounts: z.boolean(),
  /** Whether a line that got a voucher may also be paid with points. */
  pointsWithVouchers: z.boolean(),
});

export const ZPricingInput = z
  .strictObject({
    /** The business date the order is priced on; card validity is checked against it. */
    at: z.iso.date(),
    lines: z.array(ZPricingLine).min(1, '请至少添加一个品项').max(200),
    tier: ZPricingTier.nullable(),
    cards: z.array(ZPricingCard).max(20),
    vouchers: z.array(ZPricingVoucher).max(20),
    points: ZPricingPoints.nullable(),
    /** Offered to plan the payment split; null leaves payment to the caller. */
    storedValue: ZPricingStoredValue.nullable(),
    settings: ZPricingSettings,
  })
  .superRefine((input, context) => {
    const duplicates = (ids: string[]) => ids.filter((id, index) => ids.indexOf(id) !== index);
    for (const [path, ids] of [
      ['lines', input.lines.map((line) => line.id)],
      ['cards', input.cards.map((card) => card.id)],
      ['vouchers', input.vouchers.map((voucher) => voucher.id)],
    ] as const) {
      for (const id of duplicates(ids)) context.addIssue({ code: 'custom', path: [path], message: `重复的编号 ${id}` });
    }
    input.lines.forEach((line, index) => {
      if ((line.manualDiscountFen ?? 0) > line.unitPriceFen * line.quantity) {
        context.addIssue({ code: 'custom', path: ['lines', index, 'manualDiscountFen'], message: '优惠超过金额' });
      }
    });
  });

export type PricingLine = z.infer<typeof ZPricingLine>;
export type PricingTier = z.infer<typeof ZPricingTier>;
export type CardDiscountRule = z.infer<typeof ZCardDiscountRule>;
export type PricingCard = z.infer<typeof ZPricingCard>;
export type PricingVoucher = z.infer<typeof ZPricingVoucher>;
export type VoucherKind = PricingVoucher['kind'];
export type PricingPoints = z.infer<typeof ZPricingPoints>;
export type PricingStoredValue = z.infer<typeof ZPricingStoredValue>;
export type PricingSettings = z.infer<typeof ZPricingSettings>;
export type PricingInput = z.infer<typeof ZPricingInput>;

export const defaultPricingSettings: PricingSettings = {
  applicationOrder: 'vouchers_then_discount',
  percentageBase: 'current',
  tierWithCard: 'best_of',
  vouchersWithDiscounts: true,
  pointsWithVouchers: true,
};
