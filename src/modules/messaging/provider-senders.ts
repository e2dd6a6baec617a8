import { createHash } from 'node:crypto';
import type { SmsProviderKeys, SmsSender, SmsSenderFactory } from '../../platform/deps.js';
import { aliyunSmsProvider, type SmsProvider, tencentSmsProvider, type WechatProvider, wechatProvider } from './providers/index.js';

/** A provider as the dispatcher's sender: SMS go by the clinic's approved template, never as free text. */
const senderOf = (provider: SmsProvider): SmsSender => ({
  provider: provider.name,
  send: async (sms) => {
    if (!sms.templateCode) {
      return {
        ok: false,
        errorClass: 'template_not_approved',
        retryable: false,
        providerCode: 'NO_TEMPLATE',
        message: 'no provider template set for this message',
      };
    }
    return provider.send({ phone: sms.phone, signName: sms.signName, templateCode: sms.templateCode, params: sms.params, idempotencyId: sms.idempotencyId });
  },
});

const protocolOf = (value: string | undefined): 'http' | 'https' | undefined => (value === 'http' || value === 'https' ? value : undefined);

/** Names a cached client by its keys without keeping the secret itself as a map key. */
const keyTag = (keys: SmsProviderKeys) => `${keys.accessKeyId}:${createHash('sha256').update(keys.secret).digest('hex').slice(0, 16)}`;

/**
 * The SMS providers, each with the clinic's own keys (entered in the console, sealed in its
 * settings) when it has saved them, else the environment's: Aliyun with ALIYUN_SMS_ACCESS_KEY_ID
 * and ALIYUN_SMS_ACCESS_KEY_SECRET, Tencent Cloud with TENCENT_SMS_SECRET_ID and
 * TENCENT_SMS_SECRET_KEY (the SDK app id and region are the clinic's settings). A provider with
 * neither has no sender. *_ENDPOINT and *_PROTOCOL point them elsewhere, e.g. at a test double.
 */
export const smsProvidersFromEnv = (env: NodeJS.ProcessEnv): Record<'aliyun' | 'tencent', SmsSenderFactory> => {
  const envKeys = {
    aliyun:
      env.ALIYUN_SMS_ACCESS_KEY_ID && env.ALIYUN_SMS_ACCESS_KEY_SECRET
        ? { accessKeyId: env.ALIYUN_SMS_ACCESS_KEY_ID, secret: env.ALIYUN_SMS_ACCESS_KEY_SECRET }
        : undefined,
    tencent:
      env.TENCENT_SMS_SECRET_ID && env.TENCENT_SMS_SECRET_KEY ? { accessKeyId: env.TENCENT_SMS_SECRET_ID, secret: env.TENCENT_SMS_SECRET_KEY } : undefined,
  };
  const clients = new Map<string, SmsSender>();
  const cached = (key: string, make: () => SmsSender) => {
    let sender = clients.get(key);
    if (!sender) {
      sender = make();
      clients.set(key, sender);
    }
    return sender;
  };
  return {
    aliyun: (config) => {
      const keys = config.keys ?? envKeys.aliyun;
      if (!keys) return undefined;
      return cached(`aliyun:${keyTag(keys)}`, () =>
        senderOf(
          aliyunSmsProvider({
            accessKeyId: keys.accessKeyId,
            accessKeySecret: keys.secret,
            ...(env.ALIYUN_SMS_ENDPOINT ? { endpoint: env.ALIYUN_SMS_ENDPOINT } : {}),
            ...(protocolOf(env.ALIYUN_SMS_PROTOCOL) ? { protocol: protocolOf(env.ALIYUN_SMS_PROTOCOL) } : {}),
          }),
        ),
      );
    },
    tencent: (config) => {
      const keys = config.keys ?? envKeys.tencent;
      if (!keys || !config.sdkApp) return undefined;
      return cached(`tencent:${keyTag(keys)}:${config.sdkApp}:${config.region}`, () =>
        senderOf(
          tencentSmsProvider({
            secretId: keys.accessKeyId,
            secretKey: keys.secret,
            sdkAppId: config.sdkApp,
            region: config.region || 'ap-guangzhou',
            ...(env.TENCENT_SMS_ENDPOINT ? { endpoint: env.TENCENT_SMS_ENDPOINT } : {}),
            ...(protocolOf(env.TENCENT_SMS_PROTOCOL) ? { protocol: protocolOf(env.TENCENT_SMS_PROTOCOL) } : {}),
          }),
        ),
      );
    },
  };
};

/** One sender per official account (and endpoint) for the life of the process, so its access token is fetched once and kept until it expires. */
const wechatSenders = new Map<string, WechatProvider>();

/** The clinic's official account as a sender of template messages, its access token cached across sends. */
export const wechatSenderFor = (account: { appId: string; appSecret: string }, endpoint: string | undefined): WechatProvider => {
  const key = `${endpoint ?? ''}:${keyTag({ accessKeyId: account.appId, secret: account.appSecret })}`;
  let sender = wechatSenders.get(key);
  if (!sender) {
    sender = wechatProvider({ ...account, ...(endpoint ? { endpoint } : {}) });
    wechatSenders.set(key, sender);
  }
  return sender;
};
