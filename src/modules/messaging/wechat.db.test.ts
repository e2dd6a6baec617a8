import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { createSecretBox } from '../../platform/secret-box.js';
import { apiAs, createTestTenant, loginAs, openTestDatabase, type TestTenant } from '../../testing/database.js';
import { tenantSettings } from '../settings/tables.js';
import { logSmsChannel } from './dev-channel.js';
import { wechatAccountOf } from './provider-keys.js';
import { type FakeWechatServer, startFakeWechatServer } from './providers/fake-wechat.js';
import { wechatProvider } from './providers/wechat.js';
import { smsSenderFactory } from './senders.js';
import { wechatTemplateData } from './templates.js';

// The official account's keys as the owner enters them: the only ones the fake WeChat accepts.
const account = { accessKey: 'wx8a9f0c1d2e3f4b5c', secret: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' };

let database: Database;
let app: App;
let fake: FakeWechatServer;
let clinic: TestTenant;
let other: TestTenant;
const box = createSecretBox(randomBytes(32), 'env');

beforeAll(async () => {
  fake = await startFakeWechatServer({ appId: account.accessKey, appSecret: account.secret });
  database = await openTestDatabase();
  const devChannel = logSmsChannel({ write: () => true });
  app = await buildApp({ database, smsChannel: devChannel, smsSender: smsSenderFactory({ devChannel, isDevChannelAllowed: true }), secretBox: box });
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
