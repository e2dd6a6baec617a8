import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { createSecretBox } from '../../platform/secret-box.js';
import { auditLog } from '../../platform/tables.js';
import { apiAs, createTestTenant, loginAs, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { tenantSettings } from '../settings/tables.js';
import { logSmsChannel } from './dev-channel.js';
import { smsProvidersFromEnv } from './provider-senders.js';
import { type FakeSmsServer, startFakeSmsServer } from './providers/fake-provider.js';
import { smsSenderFactory } from './senders.js';

// The keys the clinic enters in the console: the only ones the fake provider accepts.
const saved = {
  aliyun: { accessKey: 'LTAI5tSavedClinicKey9f3a', secret: 'aliyun-saved-secret-7d1c0e' },
  tencent: { accessKey: 'AKIDSavedClinicId42b8', secret: 'tencent-saved-secret-55aa01' },
};
// The installation's keys in the environment: unknown to the fake, so a request signed with them is refused.
const env = {
  ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI-env-key',
  ALIYUN_SMS_ACCESS_KEY_SECRET: 'aliyun-env-secret',
  TENCENT_SMS_SECRET_ID: 'AKID-env-id',
  TENCENT_SMS_SECRET_KEY: 'tencent-env-secret',
};

let database: Database;
let app: App;
let fake: FakeSmsServer;
let clinic: TestTenant;
const others: App[] = [];
const masterKey = randomBytes(32);

const appWith = async (box: ReturnType<typeof createSecretBox> | undefined) => {
  const devChannel = logSmsChannel({ write: () => true });
  const providers = smsProvidersFromEnv({
    ...env,
    ALIYUN_SMS_ENDPOINT: fake.endpoint,
    ALIYUN_SMS_PROTOCOL: 'http',
    TENCENT_SMS_ENDPOINT: fake.endpoint,
    TENCENT_SMS_PROTOCOL: 'http',
  });
  const built = await buildApp({
    database,
    smsChannel: devChannel,
    smsSender: smsSenderFactory({ devChannel, isDevChannelAllowed: false, providers }),
    ...(box ? { secretBox: box } : {}),
  });
  await built.ready();
  return built;
};

beforeAll(async () => {
  fake = await startFakeSmsServer({
    aliyun: { accessKeyId: saved.aliyun.accessKey, accessKeySecret: saved.aliyun.secret },
    tencent: { secretId: saved.tencent.accessKey, secretKey: saved.tencent.secret },
  });
  database = await openTestDatabase();
  app = await appWith(createSecretBox(masterKey, 'env'));
  clinic = await createTestTenant(database, 'Keys clinic');
});

afterAll(async () => {
  for (const other of others) await other.close();
  await app.close();
  await database.close();
  await fake.close();
});

const useProvider = async (owner: ReturnType<typeof apiAs>, provider: 'aliyun' | 'tencent', templateCode: string) => {
  const settings = (await owner.get('/settings/messaging')).json();
  const put = await owner.put('/settings/messaging', { ...settings, sms: { provider, signName: '悦会医美', sdkApp: '1400000001', region: 'ap-guangzhou' } });
  expect(put.statusCode, put.body).toBe(200);
  const template = await owner.put('/message-templates/portal.code/sms', {
    body: '您的登录验证码为 {验证码}，5 分钟内有效。',
    providerTemplateCode: templateCode,
    isEnabled: true,
  });
  expect(template.statusCode, template.body).toBe(200);
};

/** Asks for a login code for a new member and returns the HTTP request the fake provider received for it. */
const askCode = async (owner: ReturnType<typeof apiAs>, on: App = app) => {
  const phone = randomMobile();
  expect((await owner.post('/customers', { name: '林悦', gender: 'female', phone })).statusCode).toBe(201);
  const before = fake.httpRequests.length;
  const asked = await on.inject({ method: 'POST', url: '/api/portal/v1/auth/code', payload: { tenantCode: clinic.code, phone } });
  expect(asked.statusCode, asked.body).toBe(202);
  const request = fake.httpRequests.slice(before).at(-1);
  return { phone, authorization: request?.headers.authorization ?? '' };
};

const auditRows = () =>
  database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, clinic.id), eq(auditLog.entityType, 'setting:sms_provider_keys')));

const everySecret = [saved.aliyun.secret, saved.tencent.secret, 'aliyun-replaced-secret-000', saved.aliyun.accessKey, saved.tencent.accessKey];

describe("the clinic's own SMS provider keys, sealed and never shown back", () => {
  it('without saved keys the environment’s sign the request; saved keys sign it instead, and the API and the audit never carry the secret', async () => {
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    await useProvider(owner, 'aliyun', 'SMS_200001');
    const initial = (await owner.get('/messaging/provider-keys')).json();
    expect(initial).toEqual({
      canSave: true,
      items: [
        { provider: 'aliyun', source: 'env', accessKeyIdMasked: null, savedAt: null, hasEnvKeys: true, isUnreadable: false },
        { provider: 'tencent', source: 'env', accessKeyIdMasked: null, savedAt: null, hasEnvKeys: true, isUnreadable: false },
        { provider: 'wechat', source: null, accessKeyIdMasked: null, savedAt: null, hasEnvKeys: false, isUnreadable: false },
      ],
    });
    const withEnv = await askCode(owner);
    expect(withEnv.authorization).toContain(`Credential=${env.ALIYUN_SMS_ACCESS_KEY_ID},`);
    expect(fake.rejections.at(-1)).toEqual({ provider: 'aliyun', code: 'InvalidAccessKeyId.NotFound' });

    // Only who manages settings may enter keys.
    const desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    expect((await desk.put('/messaging/provider-keys/aliyun', saved.aliyun)).statusCode).toBe(403);
    expect((await desk.get('/messaging/provider-keys')).statusCode).toBe(403);

    const put = await owner.put('/messaging/provider-keys/aliyun', saved.aliyun);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().items[0]).toMatchObject({ provider: 'aliyun', source: 'setting', accessKeyIdMasked: '****9f3a', isUnreadable: false });
    expect(Date.parse(put.json().items[0].savedAt)).not.toBeNaN();
    const read = await owner.get('/messaging/provider-keys');
    const status = await owner.get('/messaging/status');
    for (const body of [put.body, read.body, status.body]) {
      for (const secret of everySecret) expect(body).not.toContain(secret);
    }
    // Stored sealed: neither the secret nor the key id in the clear.
    const [row] = await database.db
      .select({ value: tenantSettings.value })
      .from(tenantSettings)
      .where(and(eq(tenantSettings.tenantId, clinic.id), eq(tenantSettings.key, 'sms_provider_keys')));
    const stored = JSON.stringify(row?.value);
    expect(stored).toContain('"sealed":"v1.');
    expect(stored).not.toContain(saved.aliyun.secret);
    expect(stored).not.toContain(saved.aliyun.accessKey);

    const withSaved = await askCode(owner);
    expect(withSaved.authorization).toContain(`Credential=${saved.aliyun.accessKey},`);
    const call = fake.calls.filter((entry) => entry.provider === 'aliyun' && entry.params.PhoneNumbers === withSaved.phone).at(-1);
    const code = JSON.parse(String(call?.params.TemplateParam)).code as string;
    const login = await app.inject({ method: 'POST', url: '/api/portal/v1/auth/login', payload: { tenantCode: clinic.code, phone: withSaved.phone, code } });
    expect(login.statusCode, login.body).toBe(200);

    const audits = await auditRows();
    expect(audits.map((entry) => entry.action)).toEqual(['sms_provider_keys.set']);
    expect(audits[0]?.after).toMatchObject({ provider: 'aliyun', accessKeyId: '****9f3a' });
    const auditText = JSON.stringify(audits);
    for (const secret of everySecret) expect(auditText).not.toContain(secret);
    expect(auditText).not.toContain('"sealed"');
  });

  it('Tencent Cloud signs with its saved SecretId and SecretKey; keys are replaced and cleared, each change audited without the secret', async () => {
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    await useProvider(owner, 'tencent', '2200001');
    expect((await owner.put('/messaging/provider-keys/tencent', saved.tencent)).statusCode).toBe(200);
    const tencent = await askCode(owner);
    expect(tencent.authorization).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${saved.tencent.accessKey}/`));
    expect(fake.calls.at(-1)).toMatchObject({ provider: 'tencent', params: { TemplateId: '2200001' } });

    // Replacing the Aliyun secret with a wrong one: its requests are signed with it, and refused by the provider.
    await useProvider(owner, 'aliyun', 'SMS_200001');
    const replaced = await owner.put('/messaging/provider-keys/aliyun', { accessKey: saved.aliyun.accessKey, secret: 'aliyun-replaced-secret-000' });
    expect(replaced.statusCode, replaced.body).toBe(200);
    await askCode(owner);
    expect(fake.rejections.at(-1)).toEqual({ provider: 'aliyun', code: 'SignatureDoesNotMatch' });

    const cleared = await app.inject({
      method: 'DELETE',
      url: '/api/v1/messaging/provider-keys/aliyun',
      headers: (await loginAs(app, clinic, 'owner')).writeHeaders,
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json().items[0]).toMatchObject({ source: 'env', accessKeyIdMasked: null, savedAt: null });
    const again = await app.inject({
      method: 'DELETE',
      url: '/api/v1/messaging/provider-keys/aliyun',
      headers: (await loginAs(app, clinic, 'owner')).writeHeaders,
    });
    expect(again.statusCode).toBe(404);
    expect((await askCode(owner)).authorization).toContain(`Credential=${env.ALIYUN_SMS_ACCESS_KEY_ID},`);

    const audits = await auditRows();
    expect(audits.map((entry) => entry.action).sort()).toEqual(
      ['sms_provider_keys.clear', 'sms_provider_keys.replace', 'sms_provider_keys.set', 'sms_provider_keys.set'].sort(),
    );
    const auditText = JSON.stringify(audits);
    for (const secret of everySecret) expect(auditText).not.toContain(secret);
  });

  it('a server without a master key refuses to save keys with 422; one with another master key cannot open them and falls back to the environment', async () => {
    const withoutKey = await appWith(undefined);
    others.push(withoutKey);
    const owner = apiAs(withoutKey, await loginAs(withoutKey, clinic, 'owner'));
    expect((await owner.get('/messaging/provider-keys')).json().canSave).toBe(false);
    const refused = await owner.put('/messaging/provider-keys/aliyun', saved.aliyun);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'SECRET_KEY_MISSING' });
    expect(refused.json().error.message).toContain('YUEHUI_SECRET_KEY');

    const withOtherKey = await appWith(createSecretBox(randomBytes(32), 'env'));
    others.push(withOtherKey);
    const other = apiAs(withOtherKey, await loginAs(withOtherKey, clinic, 'owner'));
    await useProvider(other, 'tencent', '2200001');
    const view = (await other.get('/messaging/provider-keys')).json().items[1];
    expect(view).toMatchObject({ provider: 'tencent', source: 'env', accessKeyIdMasked: '****42b8', isUnreadable: true });
    const sent = await askCode(other, withOtherKey);
    expect(sent.authorization).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${env.TENCENT_SMS_SECRET_ID}/`));
  });
});
