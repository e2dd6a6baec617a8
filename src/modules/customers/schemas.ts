import { z } from 'zod';
import { ZPageQuery, ZTimestamp } from '../../platform/http.js';
import { normalizeMobile } from '../../platform/phone.js';
import { activityStatuses } from './activity.js';
import { dealStatuses } from './deal-status.js';
import { visitTypes } from './visit-types.js';

export const genders = ['female', 'male', 'unknown'] as const;
export const sourceChannels = ['walk_in', 'referral', 'meituan', 'douyin', 'xiaohongshu', 'wechat', 'ads', 'event', 'other'] as const;

const ZLabel = z.string().trim().min(1, '不能为空').max(20, '不能超过 20 个字');

export const ZMobile = z
  .string()
  .max(20, '手机号格式不正确')
  .transform((value, context) => {
    const phone = normalizeMobile(value);
    if (!phone) {
      context.addIssue({ code: 'custom', message: '请输入正确的 11 位手机号' });
      return z.NEVER;
    }
    return phone;
  });

export const ZBirthdayInput = z.discriminatedUnion('calendar', [
  z.strictObject({ calendar: z.literal('solar'), date: z.iso.date('日期格式须为 YYYY-MM-DD') }),
  z.strictObject({
    calendar: z.literal('lunar'),
    year: z.number().int().min(1900).max(2100),
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(30),
    isLeapMonth: z.boolean().default(false),
  }),
]);

export const ZCustomerInput = z.strictObject({
  name: z.string().trim().min(1, '请输入姓名').max(40, '姓名不能超过 40 个字'),
  gender: z.enum(genders),
  phone: ZMobile,
  birthday: ZBirthdayInput.nullable().optional(),
  sourceChannel: z.enum(sourceChannels).nullable().optional(),
  consultantId: z.uuid().nullable().optional(),
  referrerId: z.uuid().nullable().optional(),
  firstStoreId: z.uuid().nullable().optional(),
  notes: z.string().max(2000, '备注不能超过 2000 字').nullable().optional(),
  tags: z.array(ZLabel).max(30, '标签最多 30 个').optional(),
  allergies: z.array(ZLabel).max(30, '过敏项最多 30 个').optional(),
});

export type CustomerInput = z.infer<typeof ZCustomerInput>;

export const ZCustomerPatch = ZCustomerInput.partial();
export type CustomerPatch = z.infer<typeof ZCustomerPatch>;

export const ZBirthday = z
  .object({
    calendar: z.enum(['solar', 'lunar']),
    solarDate: z.string(),
    lunar: z.object({ year: z.number(), month: z.number(), day: z.number(), isLeapMonth: z.boolean(), label: z.string() }),
  })
  .meta({ id: 'Birthday' });

export const ZCustomer = z
  .object({
    id: z.uuid(),
    name: z.string(),
    gender: z.enum(genders),
    phone: z.string(),
    isPhoneMasked: z.boolean(),
    birthday: ZBirthday.nullable(),
    sourceChannel: z.enum(sourceChannels).nullable(),
    consultantId: z.uuid().nullable(),
    referrerId: z.uuid().nullable(),
    firstStoreId: z.uuid().nullable(),
    familyId: z.uuid().nullable(),
    notes: z.string().nullable(),
    tags: z.array(z.string()),
    allergies: z.array(z.string()),
    /** Dynamic tags (SPEC §5). */
    dealStatus: z.enum(dealStatuses),
    dealCount: z.number().int(),
    activity: z.enum(activityStatuses),
    memberSince: z.string().nullable(),
    lastConsumptionDate: z.string().nullable(),
    hasAllergy: z.boolean(),
    arrearsFen: z.number().int(),
    lastVisitType: z.enum(visitTypes).nullable(),
    lastVisitDate: z.string().nullable(),
    createdAt: ZTimestamp,
    updatedAt: ZTimestamp,
  })
  .meta({ id: 'Customer' });

export type CustomerView = z.infer<typeof ZCustomer>;

const ZBooleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

/** Why the desk should reach a customer soon (the today screen's lists). */
export const upcomingReasons = ['birthday', 'points_expiring', 'vouchers_expiring'] as const;
export type UpcomingReason = (typeof upcomingReasons)[number];

export const ZCustomerListQuery = ZPageQuery.extend({
  q: z.string().trim().max(40).optional(),
  gender: z.enum(genders).optional(),
  tag: z.string().trim().max(20).optional(),
  hasAllergy: ZBooleanQuery.optional(),
  consultantId: z.uuid().optional(),
  sourceChannel: z.enum(sourceChannels).optional(),
  firstStoreId: z.uuid().optional(),
  dealStatus: z.enum(dealStatuses).optional(),
  activity: z.enum(activityStatuses).optional(),
  lastVisitType: z.enum(visitTypes).optional(),
  hasArrears: ZBooleanQuery.optional(),
  /** Has an appointment up to today that never turned into a visit (预约未到访). */
  bookedNotArrived: ZBooleanQuery.optional(),
  /** Someone to reach soon: a birthday within 7 days, points or vouchers that expire within 30 days. */
  upcoming: z.enum(upcomingReasons).optional(),
}).strict();

export type CustomerListQuery = z.infer<typeof ZCustomerListQuery>;

export const ZCustomerList = z.object({ items: z.array(ZCustomer), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const ZFamilyMember = z.object({ id: z.uuid(), name: z.string(), relation: z.string().nullable(), gender: z.enum(genders) });
export const ZFamily = z.object({ id: z.uuid(), members: z.array(ZFamilyMember) }).meta({ id: 'Family' });

export const ZCustomer360 = z
  .object({
    customer: ZCustomer,
    consultant: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    referrer: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    referrals: z.array(z.object({ id: z.uuid(), name: z.string(), createdAt: ZTimestamp })),
    firstStore: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    family: ZFamily.nullable(),
  })
  .meta({ id: 'Customer360' });

export const ZFamilyLinkRequest = z.strictObject({ memberId: z.uuid(), relation: ZLabel.nullable().optional() });

export const ZFamilyMemberParams = z.strictObject({ id: z.uuid(), memberId: z.uuid() });

export const ZTagCounts = z.object({ items: z.array(z.object({ tag: z.string(), count: z.number().int() })) });
