import { z } from 'zod';
import { defineSetting } from '../settings/index.js';
import { topics, variablesIn } from './templates.js';

export const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间须为 HH:MM');

export const smsProviders = ['log', 'aliyun', 'tencent'] as const;
export type SmsProviderName = (typeof smsProviders)[number];

/** A WeChat template's field key as WeChat shows it in the template's detail (thing1, time2, character_string3, first, remark). */
const ZWechatFieldKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z_]{0,30}\d{0,2}$/, '字段名须为模板详情中的名称，如 thing1、time2');

/** One topic by WeChat: the template chosen in the official account and what each of its fields says ({变量} allowed). */
export const ZWechatTemplate = z.strictObject({
  topic: z.enum(topics.map((topic) => topic.key) as [string, ...string[]]),
  /** The template's id in the official account (模板ID). */
  templateId: z.string().trim().min(1, '请填写模板ID').max(64),
  fields: z
    .array(z.strictObject({ key: ZWechatFieldKey, value: z.string().trim().min(1, '请填写字段内容').max(200) }))
    .min(1, '至少填写一个字段')
    .max(10),
});
export type WechatTemplate = z.infer<typeof ZWechatTemplate>;

export const ZMessagingSettings = z
  .strictObject({
    sms: z.strictObject({
      /** log: the development channel (the server's console and the message log); aliyun / tencent: the provider's SDK. */
      provider: z.enum(smsProviders),
      /** 短信签名, as approved by the provider (e.g. 悦会医美). */
      signName: z.string().trim().max(20),
      /** Tencent's SmsSdkAppId. */
      sdkApp: z.string().trim().max(40),
      /** Tencent's region, e.g. ap-guangzhou. */
      region: z.string().trim().max(40),
    }),
    /** Marketing only inside this window of the clinic's day (the law's 08:00–22:00 at most). */
    marketingHours: z.strictObject({ from: ZClock, to: ZClock }),
    /** At most this many marketing messages to one customer in 7 days, all channels together. */
    marketingPerCustomerPerWeek: z.number().int().min(0).max(50),
    /** At most this many SMS a day for the clinic (codes and notices are never held back by it). */
    dailySmsBudget: z.number().int().min(0).max(1_000_000),
    /** Marketing by SMS at all: providers refuse medical-aesthetic marketing templates, so it goes to the portal (or WeChat) unless switched on. */
    isMarketingSmsOn: z.boolean(),
    /** WeChat official-account template messages: per topic, the account's template and its fields (the AppID and AppSecret are saved as keys). */
    wechat: z.strictObject({ templates: z.array(ZWechatTemplate).max(topics.length) }).default({ templates: [] }),
  })
  .superRefine((value, context) => {
    if (value.marketingHours.from < '08:00' || value.marketingHours.to > '22:00' || value.marketingHours.from >= value.marketingHours.to) {
      context.addIssue({ code: 'custom', path: ['marketingHours'], message: '营销消息只能在 08:00–22:00 之间发送，且开始早于结束' });
    }
    const seen = new Set<string>();
    value.wechat.templates.forEach((template, index) => {
      if (seen.has(template.topic))
        context.addIssue({ code: 'custom', path: ['wechat', 'templates', index, 'topic'], message: '每种消息只能设置一个微信模板' });
      seen.add(template.topic);
      const known = new Set<string>(topics.find((topic) => topic.key === template.topic)?.variables ?? []);
      const keys = new Set<string>();
      template.fields.forEach((field, fieldIndex) => {
        if (keys.has(field.key)) context.addIssue({ code: 'custom', path: ['wechat', 'templates', index, 'fields', fieldIndex, 'key'], message: '字段名重复' });
        keys.add(field.key);
        const unknown = variablesIn(field.value).filter((name) => !known.has(name));
        if (unknown.length > 0) {
          context.addIssue({
            code: 'custom',
            path: ['wechat', 'templates', index, 'fields', fieldIndex, 'value'],
            message: `这条消息没有变量 ${unknown.map((name) => `{${name}}`).join('、')}`,
          });
        }
      });
    });
  });

export type MessagingSettings = z.infer<typeof ZMessagingSettings>;

export const messagingSetting = defineSetting<MessagingSettings>({
  key: 'messaging',
  schema: ZMessagingSettings,
  defaults: {
    sms: { provider: 'log', signName: '', sdkApp: '', region: 'ap-guangzhou' },
    marketingHours: { from: '08:00', to: '22:00' },
    marketingPerCustomerPerWeek: 2,
    dailySmsBudget: 500,
    isMarketingSmsOn: false,
    wechat: { templates: [] },
  },
  label: '消息',
});
