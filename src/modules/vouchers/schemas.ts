import { z } from 'zod';
import { ZTimestamp } from '../../platform/http.js';

const ZFen = z.number().int('金额须为整数（分）');

export const voucherKinds = ['cash_off', 'discount', 'item', 'gift'] as const;
export type VoucherKind = (typeof voucherKinds)[number];
export const voucherChannels = ['store', 'mall'] as const;
/** Where a wallet voucher came from (SPEC §10's ways to distribute, plus gifts from other programmes). */
export const voucherSources = ['registration', 'periodic', 'claim', 'share', 'operations', 'batch', 'manual', 'tier_gift', 'referral'] as const;
export type VoucherSource = (typeof voucherSources)[number];

export const ZVoucherScope = z.strictObject({
  /** Items it applies to (an item or gift voucher names its item here). */
  itemIds: z.array(z.uuid()).max(200),
  categoryIds: z.array(z.uuid()).max(50),
});

export const ZValidity = z.discriminatedUnion('kind', [
  /** 固定日期: usable from … to (business dates, inclusive). */
  z.strictObject({ kind: z.literal('fixed'), from: z.iso.date(), to: z.iso.date() }),
  /** 领取后 N 天内有效: from the day of receipt. */
  z.strictObject({ kind: z.literal('relative'), days: z.number().int().min(1, '有效天数至少 1 天').max(3650) }),
]);
export type Validity = z.infer<typeof ZValidity>;

const templateFields = {
  /** What it gives, as the customer reads it: 「水光针代金券」「小气泡清洁体验券」. */
  name: z.string().trim().min(1, '请输入券名称').max(30, '券名称最多 30 个字'),
  kind: z.enum(voucherKinds),
  /** cash_off: the amount off (required); item: the most it covers (null: the whole item). */
  faceValueFen: ZFen.min(1, '面值须大于 0').max(100_000_000).nullable().optional(),
  /** cash_off: 满 X 可用 on the items in scope (0: no threshold). */
  thresholdFen: ZFen.min(0, '门槛不能为负').max(100_000_000).optional(),
  /** discount: the share off in basis points, 1 500 = 15 % off = 8.5 折. */
  discountBasisPoints: z.number().int().min(100, '折扣至少 1%').max(9_900, '折扣最多 99%').nullable().optional(),
  /** discount: 最多减. */
  maxOffFen: ZFen.min(1).max(100_000_000).nullable().optional(),
  scope: ZVoucherScope,
  channels: z.array(z.enum(voucherChannels)).min(1, '至少选择一个可用渠道').max(2),
  validity: ZValidity,
  /** 发放总量; null: unlimited. */
  totalStock: z.number().int().min(1, '总量至少 1 张').max(10_000_000).nullable(),
  /** 每人限领. */
  perCustomerLimit: z.number().int().min(1, '每人至少可领 1 张').max(100),
  isStackable: z.boolean(),
  /** 使用说明 shown in the wallet. */
  description: z.string().trim().max(500).nullable().optional(),
};

type TemplateFields = {
  kind: VoucherKind;
  faceValueFen?: number | null | undefined;
  discountBasisPoints?: number | null | undefined;
  scope?: { itemIds: string[]; categoryIds: string[] } | undefined;
  validity?: Validity | undefined;
};

/** Kind-specific rules, as field errors (400 with the paths). */
const checkTemplate = (value: TemplateFields, ctx: z.RefinementCtx) => {
  if (value.kind === 'cash_off' && !value.faceValueFen) ctx.addIssue({ code: 'custom', path: ['faceValueFen'], message: '代金券须填写面值' });
  if (value.kind === 'discount' && !value.discountBasisPoints) {
    ctx.addIssue({ code: 'custom', path: ['discountBasisPoints'], message: '折扣券须填写折扣' });
  }
  if ((value.kind === 'item' || value.kind === 'gift') && value.scope && value.scope.itemIds.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['scope', 'itemIds'], message: value.kind === 'item' ? '项目券须选择适用项目' : '赠品券须选择赠品' });
  }
  if (value.validity?.kind === 'fixed' && value.validity.to < value.validity.from) {
    ctx.addIssue({ code: 'custom', path: ['validity', 'to'], message: '结束日期不能早于开始日期' });
  }
};

export const ZVoucherTemplateInput = z.strictObject(templateFields).superRefine(checkTemplate);
export type VoucherTemplateInput = z.infer<typeof ZVoucherTemplateInput>;

/** Edits apply to vouchers issued from now on; vouchers already in wallets keep what they were issued with. */
export const ZVoucherTemplatePatch = z
  .strictObject({ ...templateFields, isActive: z.boolean() })
  .partial()
  .extend({ kind: z.enum(voucherKinds).optional() });
export type VoucherTemplatePatch = z.infer<typeof ZVoucherTemplatePatch>;

/** What a voucher is, as issued: kept on each wallet voucher. */
export const ZVoucherSnapshot = z.object({
  name: z.string(),
  /** The customer-facing title: value, scope and validity (seed 003: never a bare 「¥100」). */
  title: z.string(),
  kind: z.enum(voucherKinds),
  faceValueFen: z.number().int().nullable(),
  thresholdFen: z.number().int(),
  discountBasisPoints: z.number().int().nullable(),
  maxOffFen: z.number().int().nullable(),
  scope: ZVoucherScope,
  /** 「水光针、小气泡清洁」, 「皮肤管理类」 or 「全场（卡项除外）」. */
  scopeLabel: z.string(),
  channels: z.array(z.enum(voucherChannels)),
  isStackable: z.boolean(),
  description: z.string().nullable(),
});
export type VoucherSnapshot = z.infer<typeof ZVoucherSnapshot>;

export const ZVoucherTemplate = z
  .object({
    id: z.uuid(),
    name: z.string(),
    title: z.string(),
    kind: z.enum(voucherKinds),
    faceValueFen: z.number().int().nullable(),
    thresholdFen: z.number().int(),
    discountBasisPoints: z.number().int().nullable(),
    maxOffFen: z.number().int().nullable(),
    scope: ZVoucherScope,
    scopeLabel: z.string(),
    channels: z.array(z.enum(voucherChannels)),
    validity: ZValidity,
    totalStock: z.number().int().nullable(),
    issuedCount: z.number().int(),
    /** null: unlimited. */
    stockLeft: z.number().int().nullable(),
    perCustomerLimit: z.number().int(),
    isStackable: z.boolean(),
    description: z.string().nullable(),
    isActive: z.boolean(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: 'VoucherTemplate' });
export type VoucherTemplate = z.infer<typeof ZVoucherTemplate>;

export const walletStatuses = ['available', 'used', 'expired', 'voided'] as const;

export const ZCustomerVoucher = z
  .object({
    id: z.uuid(),
    templateId: z.uuid().nullable(),
    customerId: z.uuid(),
    source: z.enum(voucherSources),
    distributionId: z.uuid().nullable(),
    /** 核销码, single use. */
    code: z.string(),
    snapshot: ZVoucherSnapshot,
    validFrom: z.iso.date(),
    validTo: z.iso.date(),
    /** available | used | expired (available past its last day) | voided */
    status: z.enum(walletStatuses),
    /** Available and ending within the tenant's reminder horizon. */
    isExpiringSoon: z.boolean(),
    /** Usable today (started, not ended, available). */
    isUsableToday: z.boolean(),
    usedAt: ZTimestamp.nullable(),
    usedOrderId: z.uuid().nullable(),
    usedAmountFen: z.number().int().nullable(),
    issuedAt: ZTimestamp,
  })
  .meta({ id: 'CustomerVoucher' });
export type CustomerVoucher = z.infer<typeof ZCustomerVoucher>;

export const ZIssueRequest = z.strictObject({
  templateId: z.uuid(),
  quantity: z.number().int().min(1).max(20).optional(),
  note: z.string().trim().max(200).nullable().optional(),
});

export const ZRedeemCodeRequest = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{12}$/, '核销码为 12 位数字'),
  storeId: z.uuid(),
  note: z.string().trim().max(200).nullable().optional(),
});

export const ZVoucherEvent = z.object({
  id: z.uuid(),
  type: z.string(),
  orderId: z.uuid().nullable(),
  storeId: z.uuid().nullable(),
  amountFen: z.number().int().nullable(),
  reason: z.unknown().nullable(),
  actorId: z.uuid().nullable(),
  createdAt: ZTimestamp,
});
