import { z } from 'zod';
import { activitySetting, ZActivityThresholds } from '../customers/index.js';
import { defineSetting } from '../settings/index.js';
import { defaultDealRules, lineKinds } from './deal-rules.js';

export { activitySetting, ZActivityThresholds };

export const ZDealRules = z
  .strictObject({
    orderTypes: z.array(z.string().trim().min(1).max(20)).max(20),
    minimumFen: z.number().int().min(0).max(100_000_000),
    countedKinds: z.strictObject(Object.fromEntries(lineKinds.map((kind) => [kind, z.boolean()])) as Record<(typeof lineKinds)[number], z.ZodBoolean>),
  })
  .meta({ id: 'DealRules' });

export const dealRulesSetting = defineSetting({ key: 'deal_rules', schema: ZDealRules, defaults: defaultDealRules, label: '成交配置' });

/** Order types the desk chooses from, and the re-check window for proposing 复查. */
export const ZOrderSettings = z
  .strictObject({
    orderTypes: z.array(z.string().trim().min(1).max(20)).min(1).max(20),
    defaultOrderType: z.string().trim().min(1).max(20),
    recheckWindowDays: z.number().int().min(0).max(365),
  })
  .refine((value) => value.orderTypes.includes(value.defaultOrderType), { message: '默认订单类型须在订单类型中', path: ['defaultOrderType'] })
  .meta({ id: 'OrderSettings' });

export const orderSettingsSetting = defineSetting({
  key: 'order_settings',
  schema: ZOrderSettings,
  defaults: { orderTypes: ['医美', '生美', '口腔', '商品'], defaultOrderType: '医美', recheckWindowDays: 30 },
  label: '开单设置',
});

/** Reason codes for reversals (撤销) and refunds; reportable by code. */
export const reversalReasons = {
  wrong_item: '项目录入错误',
  wrong_amount: '金额录入错误',
  wrong_customer: '客户选择错误',
  duplicate: '重复操作',
  customer_request: '客户要求',
  treatment_issue: '治疗效果或不适',
  other: '其他',
} as const;
export type ReversalReason = keyof typeof reversalReasons;
export const ZReversalReason = z.enum(Object.keys(reversalReasons) as [ReversalReason, ...ReversalReason[]]);
