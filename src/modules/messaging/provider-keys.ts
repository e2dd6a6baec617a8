import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import type { Actor } from '../../platform/audit.js';
import type { SmsProviderKeys, SmsSenderFactory } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { ZTimestamp } from '../../platform/http.js';
import type { SecretBox } from '../../platform/secret-box.js';
import { defineSetting, getSetting, putSetting } from '../settings/index.js';
import type { MessagingSettings } from './settings.js';

/** The SMS providers' access keys, and the WeChat official account's AppID and AppSecret, kept alike. */
export const keyProviders = ['aliyun', 'tencent', 'wechat'] as const;
export type KeyProvider = (typeof keyProviders)[number];

/** One provider's keys as stored: the id and secret sealed together, the id's last 4 characters to show, and who saved them when. */
const ZStoredKeys = z.strictObject({
  sealed: z.string(),
  accessKeyIdLast4: z.string().max(4),
  savedAt: ZTimestamp,
  savedBy: z.uuid().nullable(),
});
type StoredKeys = z.infer<typeof ZStoredKeys>;

const ZProviderKeysSetting = z.strictObject({ aliyun: ZStoredKeys.nullable(), tencent: ZStoredKeys.nullable(), wechat: ZStoredKeys.nullable() });
type ProviderKeysSetting = z.infer<typeof ZProviderKeysSetting>;

/**
 * The clinic's own SMS provider keys, sealed (platform/secret-box.ts). Never exposed as a setting:
 * only `providerKeysView` reads it for the console, and it shows no secret.
 */
export const providerKeysSetting = defineSetting<ProviderKeysSetting>({
  key: 'sms_provider_keys',
  schema: ZProviderKeysSetting,
  defaults: { aliyun: null, tencent: null, wechat: null },
  label: '短信服务商密钥',
});

/** What the seal is bound to: this clinic and this provider, so a sealed value moved elsewhere does not open. */
const contextOf = (tenantId: string, provider: KeyProvider) => `tenant:${tenantId}:sms-keys:${provider}`;

const openStored = (box: SecretBox | undefined, tenantId: string, provider: KeyProvider, stored: StoredKeys | null): SmsProviderKeys | undefined => {
  if (!stored || !box) return undefined;
  try {
    const opened = JSON.parse(box.open(stored.sealed, contextOf(tenantId, provider))) as SmsProviderKeys;
    return typeof opened.accessKeyId === 'string' && typeof opened.secret === 'string' ? opened : undefined;
  } catch {
    // Sealed under another master key, or altered: as if none were saved (the console says so).
    return undefined;
  }
};

/** The clinic's WeChat official account (AppID and AppSecret, as saved in the console), when it saved keys that open. */
export const wechatAccountOf = async (
  tx: Executor,
  tenantId: string,
  box: SecretBox | undefined,
): Promise<{ appId: string; appSecret: string } | undefined> => {
  const keys = openStored(box, tenantId, 'wechat', (await getSetting(tx, tenantId, providerKeysSetting)).wechat);
  return keys ? { appId: keys.accessKeyId, appSecret: keys.secret } : undefined;
};

/** The clinic's SMS settings with its own keys for its provider, when it saved keys that open. */
export const smsConfigOf = async (tx: Executor, tenantId: string, sms: MessagingSettings['sms'], box: SecretBox | undefined) => {
  if (sms.provider === 'log') return sms;
  const keys = openStored(box, tenantId, sms.provider, (await getSetting(tx, tenantId, providerKeysSetting))[sms.provider]);
  return keys ? { ...sms, keys } : sms;
};

export const ZProviderKeysView = z
  .object({
    provider: z.enum(keyProviders),
    /** setting: the clinic's own keys; env: the installation's; null: none. */
    source: z.enum(['setting', 'env']).nullable(),
    /** The clinic's saved key id, all but the last 4 characters hidden (****a1b2). */
    accessKeyIdMasked: z.string().nullable(),
    savedAt: ZTimestamp.nullable(),
    /** Whether the environment holds keys for this provider (used when the clinic saved none). */
    hasEnvKeys: z.boolean(),
    /** Saved keys that no longer open (the master key changed): they must be entered again. */
    isUnreadable: z.boolean(),
  })
  .meta({ id: 'SmsProviderKeys' });

export type ProviderKeysView = z.infer<typeof ZProviderKeysView>;

const masked = (last4: string) => `****${last4}`;

/** Each provider: where its keys come from, the saved key id masked and when it was saved — never a secret. */
export const providerKeysView = async (tx: Executor, tenantId: string, box: SecretBox | undefined, smsSender: SmsSenderFactory) => {
  const stored = await getSetting(tx, tenantId, providerKeysSetting);
  return keyProviders.map((provider): ProviderKeysView => {
    const row = stored[provider];
    const isReadable = openStored(box, tenantId, provider, row) !== undefined;
    // Without keys of its own the factory answers from the environment's (a probe app id stands in for Tencent's).
    // An official account is the clinic's own: WeChat's keys come from the console only.
    const hasEnvKeys = provider !== 'wechat' && smsSender({ provider, signName: '', sdkApp: 'probe', region: '' }) !== undefined;
    return {
      provider,
      source: isReadable ? 'setting' : hasEnvKeys ? 'env' : null,
      accessKeyIdMasked: row ? masked(row.accessKeyIdLast4) : null,
      savedAt: row?.savedAt ?? null,
      hasEnvKeys,
      isUnreadable: row !== null && !isReadable,
    };
  });
};

/** Refuses to store a secret where it could not be sealed, saying what the operator must do. */
const assertCanSeal = (box: SecretBox | undefined): SecretBox => {
  if (box) return box;
  throw new DomainError(
    'rule',
    'SECRET_KEY_MISSING',
    '服务器未设置主密钥 YUEHUI_SECRET_KEY，无法保存服务商密钥：请运维人员设置该环境变量（32 字节，如 openssl rand -hex 32）后重启，或改用环境变量配置服务商密钥',
  );
};

/** Saves (or replaces) a provider's keys, sealed; the audit names the provider and the masked id, never the secret. */
export const saveProviderKeys = async (
  tx: Executor,
  actor: Actor,
  box: SecretBox | undefined,
  provider: KeyProvider,
  keys: SmsProviderKeys,
  now: Date,
): Promise<void> => {
  const sealer = assertCanSeal(box);
  const current = await getSetting(tx, actor.tenantId, providerKeysSetting);
  const before = current[provider];
  const stored: StoredKeys = {
    sealed: sealer.seal(JSON.stringify({ accessKeyId: keys.accessKeyId, secret: keys.secret }), contextOf(actor.tenantId, provider)),
    accessKeyIdLast4: keys.accessKeyId.slice(-4),
    savedAt: now.toISOString(),
    savedBy: actor.type === 'staff' ? actor.id : null,
  };
  await putSetting(
    tx,
    actor,
    providerKeysSetting,
    { ...current, [provider]: stored },
    {
      audit: {
        action: before ? 'sms_provider_keys.replace' : 'sms_provider_keys.set',
        before: before ? { provider, accessKeyId: masked(before.accessKeyIdLast4), savedAt: before.savedAt } : null,
        after: { provider, accessKeyId: masked(stored.accessKeyIdLast4), masterKey: sealer.keyId, masterKeySource: sealer.source },
      },
    },
  );
};

/** Clears a provider's keys (the environment's, if any, apply again). False when none were saved. */
export const clearProviderKeys = async (tx: Executor, actor: Actor, provider: KeyProvider): Promise<boolean> => {
  const current = await getSetting(tx, actor.tenantId, providerKeysSetting);
  const before = current[provider];
  if (!before) return false;
  await putSetting(
    tx,
    actor,
    providerKeysSetting,
    { ...current, [provider]: null },
    {
      audit: {
        action: 'sms_provider_keys.clear',
        before: { provider, accessKeyId: masked(before.accessKeyIdLast4), savedAt: before.savedAt },
        after: { provider, accessKeyId: null },
      },
    },
  );
  return true;
};
