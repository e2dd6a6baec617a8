import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { OutgoingSms, SmsOutcome, SmsSender } from '../../platform/deps.js';
import type { App } from '../../platform/http.js';
import { enqueue, outbox } from '../../platform/outbox.js';
import { apiAs, createTestTenant, loginAs, movableClock, openTestDatabase, portalLogin, randomMobile, type TestTenant } from '../../testing/database.js';
import { logSmsChannel } from './dev-channel.js';
import { dispatchDueEvents, flagLostSends, sendQueuedSms } from './service.js';
import { messages } from './tables.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
const clock = movableClock('2026-12-07T02:00:00Z');
const printed: string[] = [];

/** A provider stand-in for the dispatcher's bookkeeping: answers as scripted, records every call. */
const scripted = (answer: (sms: OutgoingSms) => SmsOutcome | Promise<SmsOutcome>) => {
  const calls: OutgoingSms[] = [];
  const sender: SmsSender = {
    provider: 'aliyun',
    send: async (sms) => {
      calls.push(sms);
      return answer(sms);
    },
  };
  return { calls, deps: { smsSender: () => sender } };
};

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({ database, clock, smsChannel: logSmsChannel({ write: (text: string) => printed.push(text) > 0 }) });
  await app.ready();
  clinic = await createTestTenant(database, 'Messaging clinic');
  other = await createTestTenant(database, 'Other clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const newCustomer = async (tenant: TestTenant, name = '林悦') => {
  const staff = apiAs(app, await loginAs(app, tenant, 'front_desk'));
  const phone = randomMobile();
  const response = await staff.post('/customers', { name, gender: 'female', phone });
  expect(response.statusCode, response.body).toBe(201);
  return { id: response.json().id as string, phone, staff };
};

const queue = (tenant: TestTenant, customerId: string, topic: 'points.expiring' | 'vouchers.expiring', key: string = crypto.randomUUID()) =>
  database.db.transaction((tx) =>
    enqueue(
      tx,
      tenant.id,
      {
        channel: 'portal',
        topic,
        customerId,
        payload:
          topic === 'points.expiring'
            ? { points: 1280, expiresOn: '2026-12-31', daysBefore: 30 }
            : { titles: ['¥50 新客礼代金券（满¥200可用） · 全场（卡项除外） · 有效期至 2026-12-20'], expiresOn: '2026-12-20' },
        dedupeKey: `${topic}:${key}`,
        sendAfter: clock.now(),
      },
      clock.now(),
    ),
  );

const messagesOf = (tenant: TestTenant, customerId: string) =>
  database.db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenant.id), eq(messages.customerId, customerId)))
    .orderBy(messages.channel);

const sent = (): SmsOutcome => ({ ok: true, providerMessageId: `p-${crypto.randomUUID()}` });

describe('delivering what the outbox holds', () => {
  it('turns a points-expiry reminder into an inbox message and an SMS, each once', async () => {
    const her = await newCustomer(clinic);
    await queue(clinic, her.id, 'points.expiring');
    const provider = scripted(sent);
    await dispatchDueEvents(database.db, provider.deps, clock.now());
    await sendQueuedSms(database.db, provider.deps, clock.now());
    // Again: nothing new, nothing sent twice.
    await dispatchDueEvents(database.db, provider.deps, clock.now());
    await sendQueuedSms(database.db, provider.deps, clock.now());
    const rows = await messagesOf(clinic, her.id);
    expect(rows.map((row) => [row.channel, row.status])).toEqual([
      ['portal', 'delivered'],
      ['sms', 'sent'],
    ]);
    expect(rows[0]?.body).toBe('林悦您好，您有 1280 积分将于 12月31日 到期，到店消费可抵现。');
    expect(provider.calls.filter((call) => call.phone === her.phone)).toHaveLength(1);
    expect(provider.calls[0]).toMatchObject({
      phone: her.phone,
      params: [
        { name: 'name', value: '林悦' },
        { name: 'points', value: '1280' },
        { name: 'date', value: '12月31日' },
      ],
      idempotencyId: rows[1]?.id,
    });
    // A notice carries no refusal line; the stored text is what she read.
    expect(rows[1]?.body).toBe('【Messaging clinic】林悦您好，您有 1280 积分将于 12月31日 到期，到店消费可抵现。');
  });

  it('sends one reminder when two horizons fall due on the same day, and the later one on its own day', async () => {
    const her = await newCustomer(clinic, '韩梅');
    const reminder = (daysBefore: number, queuedOn: string) =>
      database.db.transaction((tx) =>
        enqueue(
          tx,
          clinic.id,
          {
            channel: 'portal',
            topic: 'points.expiring',
            customerId: her.id,
            payload: { points: 300, expiresOn: '2026-12-12', daysBefore, queuedOn },
            dedupeKey: `points-expiring:${her.id}:2026-12-12:${daysBefore}`,
            sendAfter: clock.now(),
          },
          clock.now(),
        ),
      );
    await reminder(30, '2026-12-07');
    await reminder(7, '2026-12-07');
    const provider = scripted(sent);
    await dispatchDueEvents(database.db, provider.deps, clock.now());
    expect((await messagesOf(clinic, her.id)).map((row) => row.channel)).toEqual(['portal', 'sms']);
    await reminder(1, '2026-12-11');
    await dispatchDueEvents(database.db, provider.deps, clock.now());
    expect((await messagesOf(clinic, her.id)).map((row) => row.channel)).toEqual(['portal', 'portal', 'sms', 'sms']);
  });

  it('sends marketing only with consent, checked when it is sent, and holds it outside the clinic’s hours', async () => {
    const her = await newCustomer(clinic, '陈静');
    const provider = scripted(sent);
    // No consent: stopped, with the rule.
    await queue(clinic, her.id, 'vouchers.expiring');
    await dispatchDueEvents(database.db, provider.deps, clock.now());
    expect((await messagesOf(clinic, her.id)).map((row) => [row.channel, row.status, row.reason])).toEqual([
      ['portal', 'suppressed', 'no_consent'],
      ['sms', 'suppressed', 'marketing_sms_off'],
    ]);
    // Consent given at the desk; a reminder due at 22:30 in Shanghai waits for 08:00.
    expect((await her.staff.put(`/customers/${her.id}/consents`, { sms: false, portal: true })).statusCode).toBe(200);
    clock.set('2026-12-07T14:30:00Z');
    await queue(clinic, her.id, 'vouchers.expiring', 'late');
    await dispatchDueEvents(database.db, provider.deps, clock.now());
    const [held] = await database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, clinic.id), eq(outbox.dedupeKey, 'vouchers.expiring:late')));
    expect(held?.status).toBe('queued');
    expect(held?.sendAfter.toISOString()).toBe('2026-12-08T00:00:00.000Z');
    clock.set('2026-12-08T00:00:00Z');
    await dispatchDueEvents(database.db, provider.deps, clock.now());
    const delivered = (await messagesOf(clinic, her.id)).filter((row) => row.status === 'delivered');
    expect(delivered.map((row) => row.body)).toEqual(['陈静您好，您的「¥50 新客礼代金券（满¥200可用）」将于 12月20日 到期，欢迎到店使用。']);
    // Consent withdrawn in the portal between scheduling and sending: the next one is stopped.
    await queue(clinic, her.id, 'vouchers.expiring', 'withdrawn');
    const member = await portalLogin(app, clinic, her.phone, printed);
    const withdraw = await app.inject({
      method: 'PUT',
      url: '/api/portal/v1/consents',
      headers: { cookie: member.cookie, 'x-csrf-token': member.csrfToken },
      payload: { sms: false, portal: false },
    });
    expect(withdraw.statusCode, withdraw.body).toBe(200);
    await dispatchDueEvents(database.db, provider.deps, clock.now());
    const last = (await messagesOf(clinic, her.id)).filter((row) => row.channel === 'portal' && row.topic === 'vouchers.expiring').at(-1);
    expect([last?.status, last?.reason]).toEqual(['suppressed', 'no_consent']);
    clock.set('2026-12-07T02:00:00Z');
  });

  it('retries what the provider calls temporary with backoff, and fails for good on a wrong number', async () => {
    const her = await newCustomer(clinic, '王琳');
    await queue(clinic, her.id, 'points.expiring');
    const throttled = scripted(() => ({ ok: false, errorClass: 'throttled', retryable: true, providerCode: 'isv.BUSINESS_LIMIT_CONTROL', message: '' }));
    await dispatchDueEvents(database.db, throttled.deps, clock.now());
    const start = clock.now().getTime();
    for (let attempt = 0; attempt < 8; attempt++) {
      await sendQueuedSms(database.db, throttled.deps, new Date(start + attempt * 20 * 60_000));
    }
    const [, sms] = await messagesOf(clinic, her.id);
    expect([sms?.status, sms?.reason, sms?.attempts]).toEqual(['failed', 'throttled', 5]);
    expect(throttled.calls.filter((call) => call.phone === her.phone)).toHaveLength(5);

    const wrong = await newCustomer(clinic, '赵敏');
    await queue(clinic, wrong.id, 'points.expiring');
    const invalid = scripted(() => ({ ok: false, errorClass: 'invalid_number', retryable: false, providerCode: 'isv.MOBILE_NUMBER_ILLEGAL', message: '' }));
    await dispatchDueEvents(database.db, invalid.deps, clock.now());
    await sendQueuedSms(database.db, invalid.deps, clock.now());
    await sendQueuedSms(database.db, invalid.deps, new Date(clock.now().getTime() + 3_600_000));
    const [, failed] = await messagesOf(clinic, wrong.id);
    expect([failed?.status, failed?.reason, invalid.calls.filter((call) => call.phone === wrong.phone).length]).toEqual(['failed', 'invalid_number', 1]);
  });

  it('never sends twice when the process dies between the provider call and the mark: the message is flagged for review', async () => {
    const her = await newCustomer(clinic, '周雪');
    await queue(clinic, her.id, 'points.expiring');
    // The provider takes the SMS and the process dies before the answer is written.
    const dying = scripted(() => new Promise<SmsOutcome>(() => undefined));
    await dispatchDueEvents(database.db, dying.deps, clock.now());
    void sendQueuedSms(database.db, dying.deps, clock.now());
    await expect.poll(() => dying.calls.length).toBe(1);
    // After a restart: the claim is older than its lease.
    const later = new Date(clock.now().getTime() + 10 * 60_000);
    const healthy = scripted(sent);
    expect(await flagLostSends(database.db, later)).toBeGreaterThanOrEqual(1);
    await sendQueuedSms(database.db, healthy.deps, later);
    const [, sms] = await messagesOf(clinic, her.id);
    expect([sms?.status, sms?.reason]).toEqual(['unknown', 'no_answer_recorded']);
    expect(healthy.calls.filter((call) => call.phone === her.phone)).toHaveLength(0);
  });

  it('delivers each message once when two dispatchers run at the same time', async () => {
    const customers = await Promise.all(Array.from({ length: 6 }, (_, index) => newCustomer(clinic, `并发${index}`)));
    for (const customer of customers) await queue(clinic, customer.id, 'points.expiring');
    const provider = scripted(sent);
    await Promise.all([dispatchDueEvents(database.db, provider.deps, clock.now()), dispatchDueEvents(database.db, provider.deps, clock.now())]);
    await Promise.all([sendQueuedSms(database.db, provider.deps, clock.now()), sendQueuedSms(database.db, provider.deps, clock.now())]);
    const phones = new Set(customers.map((customer) => customer.phone));
    const calls = provider.calls.filter((call) => phones.has(call.phone));
    expect(calls).toHaveLength(6);
    expect(new Set(calls.map((call) => call.phone)).size).toBe(6);
    for (const customer of customers) expect((await messagesOf(clinic, customer.id)).map((row) => row.status)).toEqual(['delivered', 'sent']);
  });
});

describe('the member’s inbox and the console’s log', () => {
  it('lists her messages with the unread count, marks one read, and never shows or touches another member’s', async () => {
    const her = await newCustomer(clinic, '李娜');
    const someoneElse = await newCustomer(clinic, '孙丽');
    await queue(clinic, her.id, 'points.expiring');
    await queue(clinic, someoneElse.id, 'points.expiring');
    await dispatchDueEvents(database.db, scripted(sent).deps, clock.now());
    const member = await portalLogin(app, clinic, her.phone, printed);
    const headers = { cookie: member.cookie, 'x-csrf-token': member.csrfToken };
    const inbox = await app.inject({ method: 'GET', url: '/api/portal/v1/messages', headers });
    expect(inbox.json()).toMatchObject({ unread: 1, items: [{ title: '积分即将到期', isRead: false }] });
    const [othersMessage] = (await messagesOf(clinic, someoneElse.id)).filter((row) => row.channel === 'portal');
    expect((await app.inject({ method: 'POST', url: `/api/portal/v1/messages/${othersMessage?.id}/read`, headers })).statusCode).toBe(404);
    const read = await app.inject({ method: 'POST', url: `/api/portal/v1/messages/${inbox.json().items[0].id}/read`, headers });
    expect(read.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/portal/v1/messages', headers })).json().unread).toBe(0);
  });

  it('logs a login code with the code masked, and shows the clinic its own log only', async () => {
    const her = await newCustomer(clinic, '郑爽');
    await portalLogin(app, clinic, her.phone, printed);
    expect(printed.at(-1)).toMatch(/验证码为 \d{6}/);
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const log = (await owner.get(`/messages?customerId=${her.id}`)).json();
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      topic: 'portal.code',
      channel: 'sms',
      status: 'sent',
      provider: 'log',
      body: expect.stringContaining('验证码为 ******'),
    });
    expect(JSON.stringify(log)).not.toMatch(/验证码为 \d{6}/);
    const elsewhere = apiAs(app, await loginAs(app, other, 'owner'));
    expect((await elsewhere.get(`/messages?customerId=${her.id}`)).statusCode).toBe(404);
    expect((await elsewhere.get('/messages')).json().items.some((item: { customerId: string }) => item.customerId === her.id)).toBe(false);
    expect((await elsewhere.get(`/customers/${her.id}/consents`)).statusCode).toBe(404);
  });

  it('refuses a code where the clinic has no SMS channel (production without a provider), writing no code', async () => {
    const strict = await buildApp({ database, clock, isDevSmsAllowed: false, smsChannel: logSmsChannel({ write: (text: string) => printed.push(text) > 0 }) });
    await strict.ready();
    try {
      const her = await newCustomer(clinic, '吴倩');
      const before = printed.length;
      const response = await strict.inject({ method: 'POST', url: '/api/portal/v1/auth/code', payload: { tenantCode: clinic.code, phone: her.phone } });
      expect(response.statusCode).toBe(422);
      expect(response.json().error.code).toBe('SMS_CHANNEL_MISSING');
      expect(printed.length).toBe(before);
    } finally {
      await strict.close();
    }
  });

  it('words a topic the clinic’s way, refusing forbidden words and unknown variables, and previews it with a customer’s data', async () => {
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const her = await newCustomer(clinic, '冯媛');
    const forbidden = await owner.put('/message-templates/points.expiring/portal', {
      body: '{姓名}，最好的积分 {积分} 永久有效',
      providerTemplateCode: null,
      isEnabled: true,
    });
    expect(forbidden.statusCode).toBe(422);
    expect(forbidden.json().error.code).toBe('WORDING_FORBIDDEN');
    const unknown = await owner.put('/message-templates/points.expiring/portal', { body: '{姓名} {余额}', providerTemplateCode: null, isEnabled: true });
    expect(unknown.json().error.code).toBe('TEMPLATE_VARIABLE_UNKNOWN');
    const preview = await owner.post('/message-templates/points.expiring/portal/preview', {
      body: '亲爱的{姓名}，{积分} 积分 {到期日} 到期',
      customerId: her.id,
    });
    expect(preview.json().text).toMatch(/^亲爱的冯媛，1,280 积分 \d+月\d+日 到期$/);
    const saved = await owner.put('/message-templates/points.expiring/portal', {
      body: '亲爱的{姓名}：{积分} 积分 {到期日} 到期',
      providerTemplateCode: null,
      isEnabled: true,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    await queue(clinic, her.id, 'points.expiring');
    await dispatchDueEvents(database.db, scripted(sent).deps, clock.now());
    const [portal] = await messagesOf(clinic, her.id);
    expect(portal?.body).toBe('亲爱的冯媛：1280 积分 12月31日 到期');
    const topics = (await owner.get('/message-topics')).json().items;
    expect(topics.find((topic: { topic: string }) => topic.topic === 'points.expiring').channels[0]).toMatchObject({ channel: 'portal', isCustom: true });
  });

  it('keeps the opt-out list: a 退订 phone gets no marketing SMS', async () => {
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const settings = (await owner.get('/settings/messaging')).json();
    expect((await owner.put('/settings/messaging', { ...settings, isMarketingSmsOn: true })).statusCode).toBe(200);
    const her = await newCustomer(clinic, '蒋欣');
    await her.staff.put(`/customers/${her.id}/consents`, { sms: true, portal: true });
    expect((await owner.post('/message-suppressions', { phone: her.phone, note: '电话里说不要短信' })).statusCode).toBe(201);
    await queue(clinic, her.id, 'vouchers.expiring');
    await dispatchDueEvents(database.db, scripted(sent).deps, clock.now());
    expect((await messagesOf(clinic, her.id)).map((row) => [row.channel, row.status, row.reason])).toEqual([
      ['portal', 'delivered', null],
      ['sms', 'suppressed', 'opted_out'],
    ]);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/message-suppressions/${her.phone}`, headers: (await loginAs(app, clinic, 'owner')).writeHeaders }))
        .statusCode,
    ).toBe(204);
    await owner.put('/settings/messaging', settings);
  });
});
