import type { DatabaseKind, Db } from '../db/client.js';
import type { Clock } from './clock.js';
import type { JobRunner } from './jobs.js';
import type { RateLimiter } from './rate-limit.js';
import type { SecretBox } from './secret-box.js';

/** Where verification codes go. Production uses a provider's SDK (messaging issue); development uses the log channel. */
export type SmsChannel = { name: string; send: (message: { phone: string; text: string }) => Promise<void> };

/** One SMS as it leaves: the text (the development channel prints it), and the provider's template and parameters. */
export type OutgoingSms = {
  phone: string;
  text: string;
  signName: string;
  templateCode: string | null;
  params: { name: string; value: string }[];
  idempotencyId: string;
};

export type SmsOutcome = { ok: true; providerMessageId: string } | { ok: false; errorClass: string; retryable: boolean; providerCode: string; message: string };

export type SmsSender = { provider: 'log' | 'aliyun' | 'tencent'; send: (sms: OutgoingSms) => Promise<SmsOutcome> };

/** A provider's access key as the clinic entered it (opened from its sealed setting): the id and the secret. */
export type SmsProviderKeys = { accessKeyId: string; secret: string };

/**
 * A clinic's SMS channel from its settings; undefined when it has none it may use. `keys`: the
 * clinic's own keys for its provider, used over the environment's when present.
 */
export type SmsSenderFactory = (config: {
  provider: 'log' | 'aliyun' | 'tencent';
  signName: string;
  sdkApp: string;
  region: string;
  keys?: SmsProviderKeys | undefined;
}) => SmsSender | undefined;

/** What route modules are built with: passed explicitly, no container. */
export type Deps = {
  db: Db;
  databaseKind: DatabaseKind;
  clock: Clock;
  limiter: RateLimiter;
  secureCookies: boolean;
  /** The development channel (the server's console). */
  sms: SmsChannel;
  /** Each clinic's SMS channel: a provider, or the development channel where that is allowed. */
  smsSender: SmsSenderFactory;
  /** Seals the secrets clinics enter (YUEHUI_SECRET_KEY, or embedded mode's key file); without it they cannot be stored. */
  secretBox?: SecretBox | undefined;
  /** Signs the SMS providers' callback addresses; callbacks are off without it. */
  callbackSecret?: string | undefined;
  /** WeChat's API (https://api.weixin.qq.com, or WECHAT_API_ENDPOINT: a test double). */
  wechatEndpoint?: string | undefined;
  /** Background jobs: a start request kicks its job once committed. */
  jobs: Pick<JobRunner, 'kick'>;
  /**
   * Who may create a clinic on the setup page: 'first_clinic_only' (anyone, while the database has
   * no clinic; then closed) or 'open' (beside existing clinics too: the demo, or an operator's choice).
   */
  setupPolicy?: 'first_clinic_only' | 'open';
};
