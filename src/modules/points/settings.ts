import { z } from 'zod';
import { defineSetting } from '../settings/index.js';

const ZBasisPoints = z.number().int().min(0).max(1_000_000);

/** 互动积分 events: registration, a survey, sharing a post-op diary, a successful referral, a skin check, post-op care on schedule, the birthday. */
export const pointsEvents = ['registration', 'survey', 'diary_share', 'referral', 'skin_check', 'post_op_care', 'birthday'] as const;
export type PointsEvent = (typeof pointsEvents)[number];
export const pointsEventLabels: Record<PointsEvent, string> = {
  registration: '注册会员',
  survey: '完成问卷',
  diary_share: '分享术后日记',
  referral: '成功推荐',
  skin_check: '皮肤检测到店',
  post_op_care: '按时完成术后护理',
  birthday: '生日',
};

export const ZPointsSettings = z
  .strictObject({
    isEnabled: z.boolean(),
    earning: z.strictObject({
      pointsPerYuan: z.record(z.string(), z.number().int().min(0).max(1000)),
      tierBasisPoints: z.record(z.string(), ZBasisPoints),
      memberDay: z.strictObject({ dayOfMonth: z.number().int().min(1).max(28), basisPoints: ZBasisPoints }).nullable(),
      holidayBasisPoints: ZBasisPoints.nullable(),
      weekdayBasisPoints: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), ZBasisPoints),
      /** Campaign multipliers by date range (business dates, both ends included). */
      campaigns: z
        .array(
          z
            .strictObject({ name: z.string().min(1).max(40), from: z.iso.date(), to: z.iso.date(), basisPoints: ZBasisPoints })
            .refine((campaign) => campaign.from <= campaign.to, { message: '活动结束日期不能早于开始日期', path: ['to'] }),
        )
        .max(50),
      /** One item or one whole category (exactly one of the two), at or above a unit price. */
      itemMultipliers: z
        .array(
          z
            .strictObject({
              itemId: z.uuid().optional(),
              categoryId: z.uuid().optional(),
              minUnitPriceFen: z.number().int().min(0),
              basisPoints: ZBasisPoints,
              name: z.string().min(1).max(40),
            })
            .refine((rule) => (rule.itemId === undefined) !== (rule.categoryId === undefined), { message: '请选择一个品项或一个分类', path: ['itemId'] }),
        )
        .max(50),
      stacking: z.enum(['multiply', 'best']),
    }),
    /** 积分抵现 (points-for-cash) at checkout. */
    redemption: z.strictObject({
      isEnabled: z.boolean(),
      /** How many points make ¥1 (e.g. 100). */
      pointsPerYuan: z.number().int().min(1).max(100_000),
      minimumPoints: z.number().int().min(0),
      /** Cap per order: a share of the amount due, or a fixed amount. */
      perOrderCap: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('percent'), percent: z.number().int().min(1).max(100) }),
        z.strictObject({ kind: z.literal('amount'), amountFen: z.number().int().min(0) }),
      ]),
      /** Line kinds points may not pay for (e.g. drugs). */
      excludedKinds: z.array(z.enum(['service', 'goods', 'drug', 'package', 'card'])),
      excludedCategoryIds: z.array(z.uuid()),
      /** Risk control (seed 001): cash value redeemed in a month ≤ this share of the month's consumption. Null: no cap. */
      monthlyCapPercent: z.number().int().min(1).max(100).nullable(),
    }),
    /** Non-consumption points (互动积分) with caps; 0 points switches an event off. */
    events: z.record(
      z.enum(pointsEvents),
      z.strictObject({ points: z.number().int().min(0).max(100_000), perDay: z.number().int().min(0).max(100), perMonth: z.number().int().min(0).max(1000) }),
    ),
    /** Earned points stay pending (not spendable) this many days: the refund window. */
    pendingDays: z.number().int().min(0).max(90),
    expiry: z.discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('rolling'), months: z.number().int().min(1).max(120) }),
      z.strictObject({ mode: z.literal('calendar'), yearsAfter: z.number().int().min(0).max(10) }),
      z.strictObject({ mode: z.literal('never') }),
    ]),
    /**
     * 过期提醒: days before a lot expires at which the customer is reminded; empty turns reminders
     * off. Added after the first release: rows saved before it get the default when read.
     */
    reminders: z.strictObject({
      daysBefore: z
        .array(z.number().int().min(1, '提醒天数须在 1–365 天之间').max(365, '提醒天数须在 1–365 天之间'))
        .max(5, '最多设置 5 个提醒')
        .refine((days) => new Set(days).size === days.length, '提醒天数不能重复'),
    }),
  })
  .meta({ id: 'PointsSettings' });

export type PointsSettings = z.infer<typeof ZPointsSettings>;

export const pointsSettingsSetting = defineSetting<PointsSettings>({
  key: 'points',
  schema: ZPointsSettings,
  label: '积分',
  defaults: {
    isEnabled: true,
    earning: {
      pointsPerYuan: { cash: 1, bank_card: 1, wechat: 1, alipay: 1 },
      tierBasisPoints: {},
      memberDay: null,
      holidayBasisPoints: null,
      weekdayBasisPoints: {},
      campaigns: [],
      itemMultipliers: [],
      stacking: 'multiply',
    },
    redemption: {
      isEnabled: true,
      pointsPerYuan: 100,
      minimumPoints: 100,
      perOrderCap: { kind: 'percent', percent: 50 },
      excludedKinds: ['drug'],
      excludedCategoryIds: [],
      monthlyCapPercent: 30,
    },
    events: {
      registration: { points: 200, perDay: 1, perMonth: 1 },
      survey: { points: 50, perDay: 1, perMonth: 4 },
      diary_share: { points: 100, perDay: 1, perMonth: 4 },
      referral: { points: 500, perDay: 5, perMonth: 10 },
      skin_check: { points: 50, perDay: 1, perMonth: 2 },
      post_op_care: { points: 50, perDay: 1, perMonth: 8 },
      birthday: { points: 300, perDay: 1, perMonth: 1 },
    },
    pendingDays: 7,
    expiry: { mode: 'rolling', months: 12 },
    reminders: { daysBefore: [30, 7] },
  },
});

/**
 * When points earned at `now` expire: rolling N months later, or at the end of 31 Dec of the
 * year N after the year they were earned in (tenant's time zone), or never.
 */
export const expiryFor = (
  settings: PointsSettings['expiry'],
  now: Date,
  businessDate: string,
  timeZoneOffsetStartOfDay: (date: string) => Date,
): Date | null => {
  if (settings.mode === 'never') return null;
  if (settings.mode === 'rolling') {
    const at = new Date(now);
    at.setUTCMonth(at.getUTCMonth() + settings.months);
    return at;
  }
  const year = Number(businessDate.slice(0, 4)) + settings.yearsAfter + 1;
  return timeZoneOffsetStartOfDay(`${year}-01-01`);
};
