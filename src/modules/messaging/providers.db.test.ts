import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { apiAs, createTestTenant, loginAs, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { callbackToken } from './callbacks.js';
import { logSmsChannel } from './dev-channel.js';
import { smsProvidersFromEnv } from './provider-senders.js';
import { type FakeSmsServer, startFakeSmsServer } from './providers/fake-provider.js';
import { smsSenderFactory } from './senders.js';
import { messageSuppressions, messages } from './tables.js';

// The real SDKs, configured as the environment would, against a local impersonation of both providers.
const aliyunKeys = { accessKeyId: 'LTAI-clinic-key', accessKeySecret: 'aliyun-clinic-secret' };
const tencentKeys = { secretId: 'AKID-clinic-id', secretKey: 'tencent-clinic-secret' };
const secret = 'callback-secret-for-tests';

let database: Database;
let app: App;
let fake: FakeSmsServer;
let clinic: TestTenant;
const printed: string[] = [];

beforeAll(async () => {
  fake = await startFakeSmsServer({ aliyun: aliyunKeys, tencent: tencentKeys });
  const providers = smsProvidersFromEnv({
    ALIYUN_SMS_ACCESS_KEY_ID: aliyunKeys.accessKeyId,
    ALIYUN_SMS_ACCESS_KEY_SECRET: aliyunKeys.accessKeySecret,
    ALIYUN_SMS_ENDPOINT: fake.endpoint,
    ALIYUN_SMS_PROTOCOL: 'http',
    TENCENT_SMS_SECRET_ID: tencentKeys.secretId,
    TENCENT_SMS_SECRET_KEY: tencentKeys.secretKey,
    TENCENT_SMS_ENDPOINT: fake.endpoint,
    TENCENT_SMS_PROTOCOL: 'http',
  });
  database = await openTestDatabase();
  const devChannel = logSmsChannel({ write: (text: string) => printed.push(text) > 0 });
  // As in production: no development channel, only the providers.
  app = await buildApp({
    database,
    smsChannel: devChannel,
    smsSender: smsSenderFactory({ devChannel, isDevChannelAllowed: false, providers }),
    callbackSecret: secret,
  });
  await app.ready();
  clinic = await createTestTenant(database, 'Provider clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
  await fake.close();
});

const useProvider = async (provider: 'aliyun' | 'tencent', templateCode: string) => {
  const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
  const settings = (await owner.get('/settings/messaging')).json();
  const saved = await owner.put('/settings/messaging', { ...settings, sms: { provider, signName: '悦会医美', sdkApp: '1400000001', region: 'ap-guangzhou' } });
  expect(saved.statusCode, saved.body).toBe(200);
  const template = await owner.put('/message-templates/portal.code/sms', {
    body: '您的登录验证码为 {验证码}，5 分钟内有效。',
    providerTemplateCode: templateCode,
    isEnabled: true,
  });
  expect(template.statusCode, template.body).toBe(200);
  return owner;
};

const member = async () => {
  const staff = apiAs(app, await loginAs(app, clinic, 'front_desk'));
  const phone = randomMobile();
  const created = await staff.post('/customers', { name: '林悦', gender: 'female', phone });
  return { id: created.json().id as string, phone, staff };
};

describe('SMS through the providers’ SDKs', () => {
  it('logs a member in with a code delivered through Aliyun, its template and signature, and records the delivery receipt', async () => {
    const owner = await useProvider('aliyun', 'SMS_100001');
    expect((await owner.get('/messaging/status')).json()).toMatchObject({
      providers: { aliyun: true, tencent: true },
      isDevChannelAllowed: false,
      hasSmsChannel: true,
    });
    const her = await member();
    const asked = await app.inject({ method: 'POST', url: '/api/portal/v1/auth/code', payload: { tenantCode: clinic.code, phone: her.phone } });
    expect(asked.statusCode, asked.body).toBe(202);
    const call = fake.calls.filter((entry) => entry.provider === 'aliyun' && entry.params.PhoneNumbers === her.phone).at(-1);
    expect(call?.params).toMatchObject({ SignName: '悦会医美', TemplateCode: 'SMS_100001' });
    const code = JSON.parse(String(call?.params.TemplateParam)).code as string;
    expect(code).toMatch(/^\d{6}$/);
    // Nothing went to the development channel.
    expect(printed.some((text) => text.includes(code))).toBe(false);
    const login = await app.inject({ method: 'POST', url: '/api/portal/v1/auth/login', payload: { tenantCode: clinic.code, phone: her.phone, code } });
    expect(login.statusCode, login.body).toBe(200);
    const [logged] = (await owner.get(`/messages?customerId=${her.id}`)).json().items;
    expect(logged).toMatchObject({ provider: 'aliyun', status: 'sent', body: '【悦会医美】您的登录验证码为 ******，5 分钟内有效。' });

    const receipts = `/api/callbacks/sms/aliyun/receipts/${clinic.code}/${callbackToken(secret, clinic.id, 'aliyun')}`;
    const [row] = await database.db
      .select({ providerMessageId: messages.providerMessageId })
      .from(messages)
      .where(and(eq(messages.tenantId, clinic.id), eq(messages.id, logged.id)));
    const receipt = [
      {
        phone_number: her.phone,
        send_time: '2026-12-07 10:00:00',
        report_time: '2026-12-07 10:00:05',
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: row?.providerMessageId,
        out_id: logged.id,
      },
    ];
    // A forged address changes nothing.
    expect((await app.inject({ method: 'POST', url: `${receipts}x`, payload: receipt })).statusCode).toBe(404);
    expect((await owner.get(`/messages?customerId=${her.id}`)).json().items[0].status).toBe('sent');
    const pushed = await app.inject({ method: 'POST', url: receipts, payload: receipt });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect((await owner.get(`/messages?customerId=${her.id}`)).json().items[0]).toMatchObject({ status: 'delivered', deliveredAt: '2026-12-07T02:00:05.000Z' });
  });

  it('sends through Tencent Cloud with the SDK app, +86 and the parameters in order', async () => {
    await useProvider('tencent', '2100001');
    const her = await member();
    const asked = await app.inject({ method: 'POST', url: '/api/portal/v1/auth/code', payload: { tenantCode: clinic.code, phone: her.phone } });
    expect(asked.statusCode, asked.body).toBe(202);
    const call = fake.calls.filter((entry) => entry.provider === 'tencent').at(-1);
    expect(call?.params).toMatchObject({ PhoneNumberSet: [`+86${her.phone}`], SmsSdkAppId: '1400000001', SignName: '悦会医美', TemplateId: '2100001' });
    expect(call?.params.TemplateParamSet).toEqual([expect.stringMatching(/^\d{6}$/)]);
  });

  it('honours a 退订 reply at once: the phone joins the opt-out list and her SMS consent is withdrawn', async () => {
    const her = await member();
    expect((await her.staff.put(`/customers/${her.id}/consents`, { sms: true, portal: true })).statusCode).toBe(200);
    const replies = `/api/callbacks/sms/tencent/replies/${clinic.code}/${callbackToken(secret, clinic.id, 'tencent')}`;
    const wrong = `/api/callbacks/sms/tencent/replies/${clinic.code}/${callbackToken(secret, clinic.id, 'aliyun')}`;
    const reply = { extend: '', mobile: her.phone, nationcode: '86', sign: '悦会医美', text: 'TD', time: 1796601600 };
    expect((await app.inject({ method: 'POST', url: wrong, payload: reply })).statusCode).toBe(404);
    const suppressed = () =>
      database.db
        .select()
        .from(messageSuppressions)
        .where(and(eq(messageSuppressions.tenantId, clinic.id), eq(messageSuppressions.phone, her.phone)));
    expect(await suppressed()).toEqual([]);
    expect((await app.inject({ method: 'POST', url: replies, payload: { ...reply, text: '好的谢谢' } })).statusCode).toBe(200);
    expect(await suppressed()).toEqual([]);
    expect((await app.inject({ method: 'POST', url: replies, payload: reply })).statusCode).toBe(200);
    expect((await suppressed()).map((row) => [row.source, row.note])).toEqual([['reply', 'TD']]);
    expect((await her.staff.get(`/customers/${her.id}/consents`)).json()).toEqual({ sms: false, portal: true, wechat: false });
  });
});
