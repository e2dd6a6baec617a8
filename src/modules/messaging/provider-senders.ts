import type { SmsSender, SmsSenderFactory } from '../../platform/deps.js';
import { aliyunSmsProvider, type SmsProvider, tencentSmsProvider } from './providers/index.js';

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

/**
 * The SMS providers whose keys the environment holds (the keys never live in the database nor
 * show in the console): Aliyun with ALIYUN_SMS_ACCESS_KEY_ID and ALIYUN_SMS_ACCESS_KEY_SECRET,
 * Tencent Cloud with TENCENT_SMS_SECRET_ID and TENCENT_SMS_SECRET_KEY (the SDK app id and region
 * are the clinic's settings). *_ENDPOINT and *_PROTOCOL point them elsewhere, e.g. at a test double.
 */
export const smsProvidersFromEnv = (env: NodeJS.ProcessEnv): Partial<Record<'aliyun' | 'tencent', SmsSenderFactory>> => {
  const providers: Partial<Record<'aliyun' | 'tencent', SmsSenderFactory>> = {};
  const aliyunId = env.ALIYUN_SMS_ACCESS_KEY_ID;
  const aliyunSecret = env.ALIYUN_SMS_ACCESS_KEY_SECRET;
  if (aliyunId && aliyunSecret) {
    const aliyun = senderOf(
      aliyunSmsProvider({
        accessKeyId: aliyunId,
        accessKeySecret: aliyunSecret,
        ...(env.ALIYUN_SMS_ENDPOINT ? { endpoint: env.ALIYUN_SMS_ENDPOINT } : {}),
        ...(protocolOf(env.ALIYUN_SMS_PROTOCOL) ? { protocol: protocolOf(env.ALIYUN_SMS_PROTOCOL) } : {}),
      }),
    );
    providers.aliyun = () => aliyun;
  }
  const tencentId = env.TENCENT_SMS_SECRET_ID;
  const tencentKey = env.TENCENT_SMS_SECRET_KEY;
  if (tencentId && tencentKey) {
    const clients = new Map<string, SmsSender>();
    providers.tencent = (config) => {
      if (!config.sdkApp) return undefined;
      const key = `${config.sdkApp}:${config.region}`;
      let sender = clients.get(key);
      if (!sender) {
        sender = senderOf(
          tencentSmsProvider({
            secretId: tencentId,
            secretKey: tencentKey,
            sdkAppId: config.sdkApp,
            region: config.region || 'ap-guangzhou',
            ...(env.TENCENT_SMS_ENDPOINT ? { endpoint: env.TENCENT_SMS_ENDPOINT } : {}),
            ...(protocolOf(env.TENCENT_SMS_PROTOCOL) ? { protocol: protocolOf(env.TENCENT_SMS_PROTOCOL) } : {}),
          }),
        );
        clients.set(key, sender);
      }
      return sender;
    };
  }
  return providers;
};
