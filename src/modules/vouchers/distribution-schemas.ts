import { z } from 'zod';
import { ZTimestamp } from '../../platform/http.js';
import { ZJob } from '../../platform/job-routes.js';
import { activityStatuses, dealStatuses } from '../customers/index.js';

/** 发券方式 staff create (a manual gift goes through POST /customers/:id/vouchers instead). */
export const distributionKinds = ['registration', 'periodic', 'claim_link', 'share', 'operations', 'batch'] as const;
export type DistributionKind = (typeof distributionKinds)[number];
export const distributionStatuses = ['active', 'scheduled', 'done', 'cancelled'] as const;

/** Customers picked by a filter at run time; a later segment kind joins here. All criteria must hold; none means every customer. */
export const ZAudienceFilter = z.strictObject({
  /** 超过 N 天没有下单: no placed order in the last N days (customers who never ordered count, once registered N days). */
  noOrderDays: z.number().int().min(1, '至少 1 天').max(3650).optional(),
  activity: z.array(z.enum(activityStatuses)).max(activityStatuses.length).optional(),
  dealStatus: z.enum(dealStatuses).optional(),
  /** Any of these tags. */
  tags: z.array(z.string().trim().min(1).max(20)).max(20).optional(),
});
export type AudienceFilter = z.infer<typeof ZAudienceFilter>;

export const ZAudienceInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('customers'), customerIds: z.array(z.uuid()).min(1, '请选择客户').max(10_000) }),
  /** A pasted or uploaded list; each line one number. Numbers that match no customer are reported back, never dropped silently. */
  z.strictObject({ kind: z.literal('phones'), phones: z.array(z.string().max(40)).min(1, '请粘贴手机号').max(10_000) }),
  z.strictObject({ kind: z.literal('filter'), filter: ZAudienceFilter }),
]);
export type AudienceInput = z.infer<typeof ZAudienceInput>;

/** What is stored: phones are resolved to customers when the distribution is created, so no phone number is kept or shown again. */
export type StoredAudience =
  | { kind: 'customers'; customerIds: string[]; fromPhones?: { matched: number; unknown: number } }
  | { kind: 'filter'; filter: AudienceFilter };

export const ZSchedule = z.discriminatedUnion('every', [
  /** Every month on this day (the month's last day when shorter). */
  z.strictObject({ every: z.literal('month'), day: z.number().int().min(1).max(31) }),
  /** Every week on this weekday, 1 = Monday … 7 = Sunday. */
  z.strictObject({ every: z.literal('week'), weekday: z.number().int().min(1).max(7) }),
]);

const common = {
  name: z.string().trim().min(1, '请输入发券名称').max(40, '名称最多 40 个字'),
  templateId: z.uuid(),
  /** Vouchers each customer gets each time. */
  quantity: z.number().int().min(1).max(10).optional(),
};

export const ZDistributionInput = z.discriminatedUnion('kind', [
  /** 新客注册 (and, until WeChat is connected, the portal's 新关注): every customer created from now on. */
  z.strictObject({ ...common, kind: z.literal('registration') }),
  /** 分享领券: the inviter, each time a friend she invited registers. */
  z.strictObject({ ...common, kind: z.literal('share') }),
  /** 领券链接: customers claim it themselves on the portal. */
  z.strictObject({ ...common, kind: z.literal('claim_link') }),
  /** 定期发券: to an audience every month or week. */
  z.strictObject({ ...common, kind: z.literal('periodic'), schedule: ZSchedule, audience: ZAudienceInput }),
  /** 运营发券: to an audience now or at a chosen time. */
  z.strictObject({ ...common, kind: z.literal('operations'), audience: ZAudienceInput, scheduledAt: ZTimestamp.nullable().optional() }),
  /** 批量发券: straight into the wallets of the audience, now. */
  z.strictObject({ ...common, kind: z.literal('batch'), audience: ZAudienceInput }),
]);
export type DistributionInput = z.infer<typeof ZDistributionInput>;

export const ZSkipCounts = z.object({
  out_of_stock: z.number().int(),
  over_limit: z.number().int(),
  inactive: z.number().int(),
  ended: z.number().int(),
  not_found: z.number().int(),
});

export const ZAudienceView = z.object({
  kind: z.enum(['customers', 'filter']),
  /** customers: how many were chosen. */
  customerCount: z.number().int().nullable(),
  /** Pasted phones: how many matched customers and how many did not. */
  fromPhones: z.object({ matched: z.number().int(), unknown: z.number().int() }).nullable(),
  filter: ZAudienceFilter.nullable(),
});

export const ZDistribution = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(distributionKinds),
    template: z.object({
      id: z.uuid(),
      name: z.string(),
      title: z.string(),
      isActive: z.boolean(),
      totalStock: z.number().int().nullable(),
      stockLeft: z.number().int().nullable(),
      perCustomerLimit: z.number().int(),
    }),
    /** claim_link: the code, and the portal path customers open (scan the QR or tap the link). */
    claimCode: z.string().nullable(),
    claimPath: z.string().nullable(),
    audience: ZAudienceView.nullable(),
    quantity: z.number().int(),
    schedule: ZSchedule.nullable(),
    scheduledAt: ZTimestamp.nullable(),
    /** periodic: the next business date it runs. */
    nextRunOn: z.iso.date().nullable(),
    status: z.enum(distributionStatuses),
    /** Vouchers issued by this distribution so far. */
    issuedCount: z.number().int(),
    /** Customers passed over: in the last run (audiences) or so far (registration, share, claims). */
    skipped: ZSkipCounts,
    lastRunAt: ZTimestamp.nullable(),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'VoucherDistribution' });
export type Distribution = z.infer<typeof ZDistribution>;

export const ZRunResult = z.object({
  /** Customers in the audience this run. */
  audience: z.number().int(),
  /** Customers who received vouchers now. */
  issued: z.number().int(),
  /** Customers who already had them from an earlier run of this distribution (nothing issued twice). */
  alreadyIssued: z.number().int(),
  skipped: ZSkipCounts,
});
export type RunResult = z.infer<typeof ZRunResult>;

export const ZAudiencePreview = z.object({
  customerCount: z.number().int(),
  /** Pasted numbers that are valid mobiles but match no customer. */
  unknownPhones: z.array(z.string()),
  /** Pasted lines that are not mobile numbers. */
  invalidPhones: z.array(z.string()),
});

/** A distribution's run as a background job: `result` holds the run's counts so far (final once `succeeded`). */
export const ZDistributionJob = ZJob.extend({ result: ZRunResult.nullable() }).meta({ id: 'DistributionJob' });

export const ZDistributionCreated = z.object({
  distribution: ZDistribution,
  /** operations / batch start a run at once unless scheduled: follow it at GET /jobs/{id}. */
  job: ZDistributionJob.nullable(),
  audience: ZAudiencePreview.nullable(),
});

export const ZVoucherDistributionSettings = z
  .strictObject({
    /** 到期提醒: remind customers this many days before a voucher's last day (one message per customer and day). */
    reminderDaysBefore: z.array(z.number().int().min(1, '至少提前 1 天').max(60, '最多提前 60 天')).max(3, '最多 3 个提醒时间'),
    /** Days a tier's upgrade gift (升级礼) voucher is valid, from the day it is given. */
    upgradeGiftValidDays: z.number().int().min(1).max(3650),
  })
  .meta({ id: 'VoucherDistributionSettings' });
export type VoucherDistributionSettings = z.infer<typeof ZVoucherDistributionSettings>;

const ZRates = {
  /** 领取率 = claimed ÷ the template's total stock (limited templates with a claim link only; null otherwise). */
  claimRate: z.number().nullable(),
  /** 使用率 = used ÷ issued. */
  useRate: z.number().nullable(),
};

const ZFigures = z.object({
  issued: z.number().int(),
  /** Self-claimed on the portal (source claim). */
  claimed: z.number().int(),
  used: z.number().int(),
  /** Available past their last day. */
  expired: z.number().int(),
  voided: z.number().int(),
  /** Still usable. */
  available: z.number().int(),
  ...ZRates,
  /** Orders that used them, and those orders' totals net of refunds (带动营收). */
  orders: z.number().int(),
  revenueFen: z.number().int(),
  /** Revenue ÷ orders. */
  averageOrderFen: z.number().int().nullable(),
  /** What the vouchers took off. */
  discountFen: z.number().int(),
});
export type VoucherFigures = z.infer<typeof ZFigures>;

export const ZVoucherStats = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    /** Vouchers issued in [from, to], with their status today. */
    totals: ZFigures,
    templates: z.array(ZFigures.extend({ templateId: z.uuid().nullable(), name: z.string(), totalStock: z.number().int().nullable() })),
    distributions: z.array(ZFigures.extend({ distributionId: z.uuid(), name: z.string(), kind: z.enum(distributionKinds) })),
    /** Issued and used per business day in the period. */
    daily: z.array(z.object({ date: z.iso.date(), issued: z.number().int(), used: z.number().int() })),
    reminders: z.object({
      /** Expiry reminders queued in the period (one per customer and expiry day). */
      queued: z.number().int(),
      /** Vouchers those reminders named, and how many of them were used after the reminder (转化). */
      vouchers: z.number().int(),
      usedAfter: z.number().int(),
    }),
  })
  .meta({ id: 'VoucherStats' });
export type VoucherStats = z.infer<typeof ZVoucherStats>;

export const ZStatsQuery = z.strictObject({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  templateId: z.uuid().optional(),
});

/** A claim-link offer as the portal shows it (领券页 and 领券中心). */
export const ZClaimOffer = z
  .object({
    code: z.string(),
    name: z.string(),
    /** Value, scope and validity in one line. */
    title: z.string(),
    kind: z.enum(['cash_off', 'discount', 'item', 'gift']),
    faceValueFen: z.number().int().nullable(),
    thresholdFen: z.number().int(),
    discountBasisPoints: z.number().int().nullable(),
    scopeLabel: z.string(),
    validityLabel: z.string(),
    description: z.string().nullable(),
    /** null: unlimited. */
    stockLeft: z.number().int().nullable(),
    perCustomerLimit: z.number().int(),
    /** available | out_of_stock | ended (closed, stopped or past its dates) | limit_reached (for the signed-in customer) */
    state: z.enum(['available', 'out_of_stock', 'ended', 'limit_reached']),
    /** The signed-in customer's vouchers of it; null when nobody is signed in. */
    held: z.number().int().nullable(),
    clinicName: z.string(),
  })
  .meta({ id: 'ClaimOffer' });
export type ClaimOffer = z.infer<typeof ZClaimOffer>;
