import { z } from 'zod';
import { defineSetting } from '../settings/index.js';

export const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间须为 HH:MM');

export const smsProviders = ['log', 'aliyun', 'tencent'] as const;
export type SmsProviderName = (typeof smsProviders)[number];

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
  })
  .superRefine((value, context) => {
    if (value.marketingHours.from < '08:00' || value.marketingHours.to > '22:00' || value.marketingHours.from >= value.marketingHours.to) {
      context.addIssue({ code: 'custom', path: ['marketingHours'], message: '营销消息只能在 08:00–22:00 之间发送，且开始早于结束' });
    }
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
  },
  label: '消息',
});
