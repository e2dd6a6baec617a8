import { z } from 'zod';
import { ZTimestamp } from '../../platform/http.js';
import { ZPaymentInput } from '../orders/index.js';
import { spendingPolicies } from './spending.js';

const ZFen = z.number().int('金额须为整数（分）');

export const cardProductKinds = ['membership', 'stored_value', 'course'] as const;
export type CardProductKind = (typeof cardProductKinds)[number];

export const ZDiscountRule = z.strictObject({
  /** null: every category. */
  categoryId: z.uuid().nullable(),
  /** The share taken off, in basis points: 2000 = 20 % off (8折). */
  discountBasisPoints: z.number().int().min(1).max(10_000),
});

/**
 * 卡内券: a cash-off voucher that comes with the card, usable by the owner and by each family
 * member `quantity` times (seed 004: every family member gets the ¥200 filling voucher).
 */
export const ZBundledVoucher = z.strictObject({
  name: z.string().trim().min(1).max(40),
  faceValueFen: ZFen.min(1).max(100_000_000),
  quantity: z.number().int().min(1).max(100),
  /** The order must reach this amount on the voucher's lines (0: no threshold). */
  thresholdFen: ZFen.min(0).max(100_000_000).optional(),
  /** The categories it applies to; empty or absent: the whole order. */
  categoryIds: z.array(z.uuid()).max(50).optional(),
});

export const ZCardVoucher = z.object({
  ref: z.string(),
  name: z.string(),
  faceValueFen: z.number().int(),
  thresholdFen: z.number().int(),
  categoryIds: z.array(z.uuid()),
  quantity: z.number().int(),
  left: z.number().int(),
});

export const ZMemberLimits = z.strictObject({
  /** Uses of the card's benefits each person may make per period; null: no limit. */
  usesPerMember: z.number().int().min(1).max(10_000).nullable(),
  period: z.enum(['year', 'card']),
});

export const ZCardProductInput = z.strictObject({
  kind: z.enum(cardProductKinds),
  name: z.string().trim().min(1, '请输入卡项名称').max(60),
  /** Customer-facing description (checked against advertising-law wording before it is saved). */
  description: z.string().max(1000).nullable().optional(),
  /** membership and stored_value: the price (stored value: the top-up amount). */
  priceFen: ZFen.min(0).max(100_000_000).optional(),
  /** course: the existing package or course card this product sells. */
  itemId: z.uuid().optional(),
  categoryId: z.uuid().nullable().optional(),
  validity: z.enum(['annual', 'lifetime']).optional(),
  /** People who may use the card, the owner included (default 8). */
  familyLimit: z.number().int().min(1).max(20).optional(),
  discountRules: z.array(ZDiscountRule).max(50).optional(),
  bundledVouchers: z.array(ZBundledVoucher).max(20).optional(),
  memberLimits: ZMemberLimits.optional(),
  bonusFen: ZFen.min(0).max(100_000_000).optional(),
  grantsTierId: z.uuid().nullable().optional(),
  terms: z.string().max(2000).nullable().optional(),
  isActive: z.boolean().optional(),
});
export type CardProductInput = z.infer<typeof ZCardProductInput>;

export const ZCardProductPatch = ZCardProductInput.omit({ kind: true, itemId: true }).partial();
export type CardProductPatch = z.infer<typeof ZCardProductPatch>;

export const ZCardProduct = z
  .object({
    id: z.uuid(),
    kind: z.enum(cardProductKinds),
    itemId: z.uuid(),
    itemKind: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    priceFen: z.number().int(),
    isActive: z.boolean(),
    validity: z.enum(['annual', 'lifetime']).nullable(),
    familyLimit: z.number().int().nullable(),
    discountRules: z.array(z.object({ categoryId: z.uuid().nullable(), discountBasisPoints: z.number().int() })),
    bundledVouchers: z.array(
      z.object({
        name: z.string(),
        faceValueFen: z.number().int(),
        quantity: z.number().int(),
        thresholdFen: z.number().int().optional(),
        categoryIds: z.array(z.uuid()).optional(),
      }),
    ),
    memberLimits: z.object({ usesPerMember: z.number().int().nullable(), period: z.enum(['year', 'card']) }),
    bonusFen: z.number().int(),
    grantsTierId: z.uuid().nullable(),
    terms: z.string().nullable(),
    /** course: what the package holds. */
    contents: z.array(z.object({ itemId: z.uuid(), name: z.string(), sessions: z.number().int() })),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'CardProduct' });
export type CardProductView = z.infer<typeof ZCardProduct>;

export const ZStoredValueSettingsView = z
  .object({
    isSellingEnabled: z.boolean(),
    spendingPolicy: z.enum(spendingPolicies),
    maxPrincipalFen: z.number().int().nullable(),
    policyText: z.string(),
  })
  .meta({ id: 'StoredValueSettings' });

export const ZStoredValueEntry = z.object({
  id: z.uuid(),
  type: z.enum(['top_up', 'spend', 'refund', 'reverse', 'adjust']),
  principalFen: z.number().int(),
  bonusFen: z.number().int(),
  sourceType: z.string(),
  sourceId: z.string().nullable(),
  orderNumber: z.string().nullable(),
  reason: z.record(z.string(), z.unknown()),
  reversesId: z.uuid().nullable(),
  /** Balance after this entry (principal + bonus). */
  balanceAfterFen: z.number().int(),
  createdAt: ZTimestamp,
});

export const ZTopUp = z.object({
  id: z.uuid(),
  kind: z.enum(['top_up', 'restore']),
  principalFen: z.number().int(),
  bonusFen: z.number().int(),
  principalRemainingFen: z.number().int(),
  bonusRemainingFen: z.number().int(),
  /** What a refund of this top-up would pay back now: its unused principal. */
  refundableFen: z.number().int(),
  cardProductId: z.uuid().nullable(),
  orderId: z.uuid().nullable(),
  orderLineId: z.uuid().nullable(),
  grantsTierId: z.uuid().nullable(),
  contract: z.record(z.string(), z.unknown()),
  refundedAt: ZTimestamp.nullable(),
  createdAt: ZTimestamp,
});

export const ZStoredValueOverview = z
  .object({
    customerId: z.uuid(),
    principalFen: z.number().int(),
    bonusFen: z.number().int(),
    balanceFen: z.number().int(),
    topUps: z.array(ZTopUp),
    entries: z.array(ZStoredValueEntry),
  })
  .meta({ id: 'StoredValueOverview' });

export const ZSellRequest = z.strictObject({
  storeId: z.uuid(),
  cardProductId: z.uuid(),
  /** Stored value: a top-up of another amount than the product's (the bonus scales with it, rounded down). */
  amountFen: ZFen.min(1).max(100_000_000).optional(),
  payments: z.array(ZPaymentInput).min(1, '请填写收款').max(10),
  notes: z.string().max(500).nullable().optional(),
});
export type SellRequest = z.infer<typeof ZSellRequest>;

export const ZCardMember = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  name: z.string(),
  relation: z.string().nullable(),
  addedAt: ZTimestamp,
  removedAt: ZTimestamp.nullable(),
  uses: z.number().int(),
});

export const ZCardUse = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  customerName: z.string(),
  orderId: z.uuid().nullable(),
  orderLineId: z.uuid().nullable(),
  benefit: z.string(),
  amountFen: z.number().int(),
  reversesId: z.uuid().nullable(),
  createdAt: ZTimestamp,
});

export const ZCustomerCard = z
  .object({
    id: z.uuid(),
    cardProductId: z.uuid(),
    name: z.string(),
    ownerId: z.uuid(),
    ownerName: z.string(),
    /** Whether the customer asked about owns it (false: she uses it as a family member). */
    isOwner: z.boolean(),
    orderId: z.uuid().nullable(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    status: z.enum(['active', 'cancelled']),
    isValid: z.boolean(),
    familyLimit: z.number().int(),
    discountRules: z.array(z.object({ categoryId: z.uuid().nullable(), discountBasisPoints: z.number().int() })),
    memberLimits: z.object({ usesPerMember: z.number().int().nullable(), period: z.enum(['year', 'card']) }),
    pendingVouchers: z.array(z.object({ name: z.string(), faceValueFen: z.number().int(), quantity: z.number().int(), status: z.string() })),
    /** 卡内券 with what this customer has left of each. */
    vouchers: z.array(ZCardVoucher).optional(),
    members: z.array(ZCardMember),
    uses: z.array(ZCardUse),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'CustomerCard' });
export type CustomerCardView = z.infer<typeof ZCustomerCard>;

export const ZAddMemberRequest = z.strictObject({
  customerId: z.uuid(),
  relation: z.string().trim().min(1).max(10).nullable().optional(),
});

export const ZCardUseRequest = z.strictObject({
  /** The member who used the benefit (owner or dependant). */
  customerId: z.uuid(),
  orderId: z.uuid().nullable().optional(),
  orderLineId: z.uuid().nullable().optional(),
  benefit: z.enum(['discount', 'voucher', 'other']),
  amountFen: ZFen.min(0).max(100_000_000),
});
