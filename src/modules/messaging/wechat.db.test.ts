import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { enqueue } from '../../platform/outbox.js';
import { createSecretBox } from '../../platform/secret-box.js';
import { auditLog } from '../../platform/tables.js';
import { apiAs, createTestTenant, loginAs, openTestDatabase, portalLogin, randomMobile, type TestTenant } from '../../testing/database.js';
import { tenantSettings } from '../settings/tables.js';
import { logSmsChannel } from './dev-channel.js';
import { wechatAccountOf } from './provider-keys.js';
import { type FakeWechatServer, startFakeWechatServer } from './providers/fake-wechat.js';
import { wechatProvider } from './providers/wechat.js';
import { smsSenderFactory } from './senders.js';
import { dispatchDueEvents, flagLostSends, sendQueuedWechat } from './service.js';
import { customerWechatBindings, messages } from './tables.js';
import { wechatTemplateData } from './templates.js';

// The official account's keys as the owner enters them: the only ones the fake WeChat accepts.
const account = { accessKey: 'wx8a9f0c1d2e3f4b5c', secret: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' };

let database: Database;
let app: App;
let fake: FakeWechatServer;
let clinic: TestTenant;
let other: TestTenant;
const box = createSecretBox(randomBytes(32), 'env');
const printed: string[] = [];

beforeAll(async () => {
  fake = await startFakeWechatServer({ appId: account.accessKey, appSecret: account.secret });
  database = await openTestDatabase();
  const devChannel = logSmsChannel({ write: (text: string) => printed.push(text) > 0 });
  app = await buildApp({
    database,
    smsChannel: devChannel,
    smsSender: smsSenderFactory({ devChannel, isDevChannelAllowed: true }),
    secretBox: box,
    wechatEndpoint: fake.endpoint,
  });
  await app.ready();
  clinic = await createTestTenant(database, 'WeChat clinic');
  other = await createTestTenant(database, 'Other clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
  await fake.close();
});

const pointsTemplate = {
  topic: 'points.expiring',
  templateId: 'TPL-points-expiring',
  fields: [
    { key: 'thing1', value: '{姓名}您好，您的积分即将到期，到店消费可抵现' },
    { key: 'number2', value: '{积分}' },
    { key: 'time3', value: '{到期日}' },
  ],
};

describe("the clinic's WeChat official account", () => {
  it('saves the AppSecret sealed like the SMS keys, shows only the AppID’s last 4, and opens it to send through WeChat', async () => {
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    expect((await desk.put('/messaging/provider-keys/wechat', account)).statusCode).toBe(403);
    expect((await owner.get('/messaging/status')).json().providers.wechat).toBe(false);

    const put = await owner.put('/messaging/provider-keys/wechat', account);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().items.find((item: { provider: string }) => item.provider === 'wechat')).toMatchObject({
      source: 'setting',
      accessKeyIdMasked: '****4b5c',
      hasEnvKeys: false,
      isUnreadable: false,
    });
    const status = await owner.get('/messaging/status');
    expect(status.json().providers.wechat).toBe(true);
    for (const body of [put.body, status.body, (await owner.get('/messaging/provider-keys')).body]) {
      expect(body).not.toContain(account.secret);
      expect(body).not.toContain(account.accessKey);
    }
    const [row] = await database.db
      .select({ value: tenantSettings.value })
      .from(tenantSettings)
      .where(and(eq(tenantSettings.tenantId, clinic.id), eq(tenantSettings.key, 'sms_provider_keys')));
    expect(JSON.stringify(row?.value)).not.toContain(account.secret);

    // The clinic's account opens for the clinic only; another clinic has none.
    const opened = await wechatAccountOf(database.db, clinic.id, box);
    expect(opened).toEqual({ appId: account.accessKey, appSecret: account.secret });
    expect(await wechatAccountOf(database.db, other.id, box)).toBeUndefined();
    expect(await wechatAccountOf(database.db, clinic.id, createSecretBox(randomBytes(32), 'env'))).toBeUndefined();

    // The saved template's fields, filled in and sent by the real sender to the fake WeChat with the opened keys.
    const data = wechatTemplateData(pointsTemplate.fields, { 姓名: '林悦', 积分: '1200', 到期日: '12月31日' });
    const sent = await wechatProvider({ ...(opened as NonNullable<typeof opened>), endpoint: fake.endpoint }).send({
      openid: 'o-lin-yue',
      templateId: pointsTemplate.templateId,
      data,
    });
    expect(sent.ok).toBe(true);
    expect(fake.messages.at(-1)).toMatchObject({
      touser: 'o-lin-yue',
      template_id: 'TPL-points-expiring',
      data: { thing1: { value: '林悦您好，您的积分即将到期，到店消费可…' }, number2: { value: '1200' }, time3: { value: '12月31日' } },
    });

    const cleared = await app.inject({
      method: 'DELETE',
      url: '/api/v1/messaging/provider-keys/wechat',
      headers: (await loginAs(app, clinic, 'owner')).writeHeaders,
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(await wechatAccountOf(database.db, clinic.id, box)).toBeUndefined();
  });

  it('keeps a WeChat template per topic with its fields; an unknown variable, a repeated topic or field is refused with its path', async () => {
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const settings = (await owner.get('/settings/messaging')).json();
    expect(settings.wechat).toEqual({ templates: [] });

    const saved = await owner.put('/settings/messaging', { ...settings, wechat: { templates: [pointsTemplate] } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await owner.get('/settings/messaging')).json().wechat).toEqual({ templates: [pointsTemplate] });

    const unknownVariable = await owner.put('/settings/messaging', {
      ...settings,
      wechat: { templates: [{ ...pointsTemplate, fields: [{ key: 'thing1', value: '{券名}即将到期' }] }] },
    });
    expect(unknownVariable.statusCode).toBe(400);
    expect(unknownVariable.json().error.details).toEqual([
      expect.objectContaining({ path: 'body.wechat.templates.0.fields.0.value', message: expect.stringContaining('{券名}') }),
    ]);

    const twice = await owner.put('/settings/messaging', { ...settings, wechat: { templates: [pointsTemplate, pointsTemplate] } });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.details).toEqual([expect.objectContaining({ path: 'body.wechat.templates.1.topic' })]);

    const sameField = await owner.put('/settings/messaging', {
      ...settings,
      wechat: { templates: [{ ...pointsTemplate, fields: [pointsTemplate.fields[1], pointsTemplate.fields[1]] }] },
    });
    expect(sameField.statusCode).toBe(400);
    expect(sameField.json().error.details).toEqual([expect.objectContaining({ path: 'body.wechat.templates.0.fields.1.key' })]);

    const badKey = await owner.put('/settings/messaging', {
      ...settings,
      wechat: { templates: [{ ...pointsTemplate, fields: [{ key: '字段1', value: '{积分}' }] }] },
    });
    expect(badKey.statusCode).toBe(400);

    // A client that sends no WeChat part (as before it existed) is still accepted.
    const { wechat: _wechat, ...withoutWechat } = settings;
    expect((await owner.put('/settings/messaging', withoutWechat)).statusCode).toBe(200);
  });
});

describe('a member binds her WeChat in the portal (我的 → 绑定微信)', () => {
  const memberOf = async (tenant: TestTenant) => {
    const staff = apiAs(app, await loginAs(app, tenant, 'front_desk'));
    const phone = randomMobile();
    const created = await staff.post('/customers', { name: '林悦', gender: 'female', phone });
    expect(created.statusCode, created.body).toBe(201);
    const session = await portalLogin(app, tenant, phone, printed);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    return { id: created.json().id as string, headers };
  };
  const portal = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
    app.inject({ method, url: `/api/portal/v1${url}`, headers, ...(payload ? { payload } : {}) });
  const stateOf = (url: string) => new URL(url).searchParams.get('state') ?? '';

  it('goes through WeChat’s authorisation with a signed state, stores her openid, refuses a forged or foreign state, and unbinds', async () => {
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const her = await memberOf(clinic);
    // Before the clinic saved its account there is nothing to bind to.
    await app.inject({ method: 'DELETE', url: '/api/v1/messaging/provider-keys/wechat', headers: (await loginAs(app, clinic, 'owner')).writeHeaders });
    expect((await portal('GET', '/wechat', her.headers)).json()).toEqual({ isAvailable: false, isBound: false, boundAt: null });
    const refused = await portal('POST', '/wechat/authorize', her.headers, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('WECHAT_NOT_CONFIGURED');
    expect((await owner.put('/messaging/provider-keys/wechat', account)).statusCode).toBe(200);
    expect((await portal('GET', '/wechat', her.headers)).json()).toMatchObject({ isAvailable: true, isBound: false });

    const started = await portal('POST', '/wechat/authorize', { ...her.headers, host: 'm.clinic.example' }, {});
    expect(started.statusCode, started.body).toBe(200);
    const url = new URL(started.json().url);
    expect(`${url.origin}${url.pathname}`).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(url.hash).toBe('#wechat_redirect');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      appid: account.accessKey,
      redirect_uri: 'http://m.clinic.example/api/portal/v1/wechat/callback',
      response_type: 'code',
      scope: 'snsapi_base',
    });
    const state = stateOf(started.json().url);

    // Someone else's session cannot use her state, nor she a tampered one.
    const someone = await memberOf(clinic);
    const foreign = await portal('GET', `/wechat/callback?code=${fake.issueCode('o-attacker')}&state=${state}`, someone.headers);
    expect(foreign.statusCode).toBe(302);
    expect(foreign.headers.location).toBe('/m/?wechat=WECHAT_STATE_INVALID#/me');
    const tampered = await portal('GET', `/wechat/callback?code=${fake.issueCode('o-attacker')}&state=${state.replace(/^\d/, '9')}`, her.headers);
    expect(tampered.headers.location).toBe('/m/?wechat=WECHAT_STATE_INVALID#/me');
    const badCode = await portal('GET', `/wechat/callback?code=made-up&state=${state}`, her.headers);
    expect(badCode.headers.location).toBe('/m/?wechat=WECHAT_AUTH_FAILED#/me');
    expect(await database.db.select().from(customerWechatBindings).where(eq(customerWechatBindings.tenantId, clinic.id))).toEqual([]);

    const bound = await portal('GET', `/wechat/callback?code=${fake.issueCode('o-lin-yue-1')}&state=${state}`, her.headers);
    expect(bound.statusCode).toBe(302);
    expect(bound.headers.location).toBe('/m/?wechat=bound#/me');
    expect((await portal('GET', '/wechat', her.headers)).json()).toMatchObject({ isAvailable: true, isBound: true, boundAt: expect.any(String) });
    const rows = await database.db.select().from(customerWechatBindings).where(eq(customerWechatBindings.tenantId, clinic.id));
    expect(rows.map((row) => [row.customerId, row.openid])).toEqual([[her.id, 'o-lin-yue-1']]);

    // The same WeChat cannot be bound to another member of the clinic.
    const otherState = stateOf((await portal('POST', '/wechat/authorize', someone.headers, {})).json().url);
    const taken = await portal('GET', `/wechat/callback?code=${fake.issueCode('o-lin-yue-1')}&state=${otherState}`, someone.headers);
    expect(taken.headers.location).toBe('/m/?wechat=WECHAT_OPENID_TAKEN#/me');

    // Her consent to offers by WeChat, kept when a client leaves WeChat out.
    expect((await portal('GET', '/consents', her.headers)).json()).toEqual({ sms: false, portal: false, wechat: false });
    const consented = await app.inject({
      method: 'PUT',
      url: '/api/portal/v1/consents',
      headers: her.headers,
      payload: { sms: false, portal: true, wechat: true },
    });
    expect(consented.statusCode, consented.body).toBe(200);
    expect(consented.json()).toEqual({ sms: false, portal: true, wechat: true });
    const withoutWechat = await app.inject({ method: 'PUT', url: '/api/portal/v1/consents', headers: her.headers, payload: { sms: true, portal: true } });
    expect(withoutWechat.json()).toEqual({ sms: true, portal: true, wechat: true });

    const unbound = await portal('DELETE', '/wechat', her.headers);
    expect(unbound.statusCode, unbound.body).toBe(200);
    expect(unbound.json()).toMatchObject({ isBound: false });
    expect((await portal('DELETE', '/wechat', her.headers)).statusCode).toBe(404);
    const audits = await database.db
      .select({ action: auditLog.action, after: auditLog.after, before: auditLog.before })
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, clinic.id), eq(auditLog.entityId, her.id)));
    const wechatAudits = audits.filter((entry) => entry.action.startsWith('wechat.'));
    expect(wechatAudits.map((entry) => entry.action).sort()).toEqual(['wechat.bind', 'wechat.unbind']);
    expect(JSON.stringify(wechatAudits)).not.toContain('o-lin-yue-1');
  });
});

describe('the dispatcher sends notices by WeChat to bound customers', () => {
  it('a points-expiry notice goes to her openid by the clinic’s template (and to the inbox); throttled is retried, unsubscribed fails; the unbound get the inbox only', async () => {
    const tenant = await createTestTenant(database, 'Dispatch clinic');
    const owner = apiAs(app, await loginAs(app, tenant, 'owner'));
    expect((await owner.put('/messaging/provider-keys/wechat', account)).statusCode).toBe(200);
    const settings = (await owner.get('/settings/messaging')).json();
    expect((await owner.put('/settings/messaging', { ...settings, wechat: { templates: [pointsTemplate] } })).statusCode).toBe(200);
    const staff = apiAs(app, await loginAs(app, tenant, 'front_desk'));
    const customer = async (name: string) => (await staff.post('/customers', { name, gender: 'female', phone: randomMobile() })).json().id as string;
    const bound = await customer('林悦');
    const throttled = await customer('王芳');
    const unsubscribed = await customer('陈静');
    const unbound = await customer('赵敏');
    const now = new Date();
    await database.db.insert(customerWechatBindings).values([
      { tenantId: tenant.id, customerId: bound, openid: 'o-dispatch-bound', boundAt: now },
      { tenantId: tenant.id, customerId: throttled, openid: 'o-dispatch-throttled', boundAt: now },
      { tenantId: tenant.id, customerId: unsubscribed, openid: 'o-dispatch-unsubscribed', boundAt: now },
    ]);
    fake.script('o-dispatch-throttled', 'throttled');
    fake.script('o-dispatch-unsubscribed', 'unsubscribed');
    for (const customerId of [bound, throttled, unsubscribed, unbound]) {
      await database.db.transaction((tx) =>
        enqueue(
          tx,
          tenant.id,
          {
            channel: 'portal',
            topic: 'points.expiring',
            customerId,
            payload: { points: 1280, expiresOn: '2026-12-31', daysBefore: 30 },
            dedupeKey: `points.expiring:${customerId}`,
            sendAfter: now,
          },
          now,
        ),
      );
    }
    const deps = {
      smsSender: smsSenderFactory({ devChannel: logSmsChannel({ write: () => true }), isDevChannelAllowed: true }),
      secretBox: box,
      wechatEndpoint: fake.endpoint,
    };
    await dispatchDueEvents(database.db, deps, now, 200, { topics: ['points.expiring'] });
    const sentBefore = fake.messages.length;
    expect(await sendQueuedWechat(database.db, deps, now)).toBe(3);

    const sent = fake.messages.slice(sentBefore);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      touser: 'o-dispatch-bound',
      template_id: 'TPL-points-expiring',
      data: { thing1: { value: '林悦您好，您的积分即将到期，到店消费可…' }, number2: { value: '1280' }, time3: { value: '12月31日' } },
    });
    const rows = await database.db.select().from(messages).where(eq(messages.tenantId, tenant.id));
    const of = (customerId: string, channel: string) => rows.find((row) => row.customerId === customerId && row.channel === channel);
    expect(of(bound, 'wechat')).toMatchObject({ status: 'sent', provider: 'wechat', providerMessageId: String(sent[0]?.msgid), attempts: 1 });
    expect(of(bound, 'portal')).toMatchObject({ status: 'delivered' });
    expect(of(throttled, 'wechat')).toMatchObject({ status: 'queued', reason: 'throttled', attempts: 1 });
    expect(of(unsubscribed, 'wechat')).toMatchObject({ status: 'failed', reason: 'invalid_number' });
    expect(of(unbound, 'wechat')).toBeUndefined();
    expect(of(unbound, 'portal')).toMatchObject({ status: 'delivered' });

    // Nothing due again until the retry's time; then it goes, once, and nothing is left in flight.
    expect(await sendQueuedWechat(database.db, deps, now)).toBe(0);
    fake.script('o-dispatch-throttled', 'ok');
    const later = new Date(now.getTime() + 60 * 60_000);
    expect(await sendQueuedWechat(database.db, deps, later)).toBe(1);
    const [retried] = await database.db
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenant.id), eq(messages.customerId, throttled), eq(messages.channel, 'wechat')));
    expect(retried).toMatchObject({ status: 'sent', attempts: 2 });
    expect(fake.messages.filter((message) => message.touser === 'o-dispatch-throttled')).toHaveLength(1);
    expect(await flagLostSends(database.db, new Date(later.getTime() + 60 * 60_000))).toBe(0);
  });
});
