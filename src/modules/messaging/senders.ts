import type { OutgoingSms, SmsChannel, SmsOutcome, SmsSender, SmsSenderFactory } from '../../platform/deps.js';

export type { OutgoingSms, SmsOutcome, SmsSender, SmsSenderFactory };

/** The development channel as a sender: printed on the server's console (codes included) and logged as sent. */
export const logSender = (channel: SmsChannel): SmsSender => ({
  provider: 'log',
  send: async (sms) => {
    await channel.send({ phone: sms.phone, text: sms.text });
    return { ok: true, providerMessageId: `log:${sms.idempotencyId}` };
  },
});

/**
 * The clinic's SMS sender: a provider when it chose one and its keys are in the environment; the
 * development channel where that is allowed (demo and development), never in production.
 */
export const smsSenderFactory =
  (options: { devChannel: SmsChannel; isDevChannelAllowed: boolean; providers?: Partial<Record<'aliyun' | 'tencent', SmsSenderFactory>> }): SmsSenderFactory =>
  (config) => {
    if (config.provider === 'log') return options.isDevChannelAllowed ? logSender(options.devChannel) : undefined;
    return options.providers?.[config.provider]?.(config);
  };
