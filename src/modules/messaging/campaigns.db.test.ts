import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import { runMessageDelivery } from '../../jobs/sweeps.js';
import type { OutgoingSms, SmsSender } from '../../platform/deps.js';
import type { App } from '../../platform/http.js';
import { apiAs, createTestTenant, loginAs, movableClock, openTestDatabase, portalLogin, randomMobile, type TestTenant } from '../../testing/database.js';
import { messages } from './tables.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
// 10:00 in Shanghai: inside the marketing hours.
const clock = movableClock('2026-12-07T02:00:00Z');
const printed: string[] = [];
const smsCalls: OutgoingSms[] = [];
const sender: SmsSender = {
  provider: 'aliyun',
  send: async (sms) => {
    smsCalls.push(sms);
    printed.push(sms.text);
    return { ok: true, providerMessageId: `p-${crypto.randomUUID()}` };
  },
};
const deps = { smsSender: () => sender };

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({ database, clock, smsSender: deps.smsSender });
  await app.ready();
  clinic = await createTestTenant(database, 'Campaign clinic');
  other = await createTestTenant(database, 'Other clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

/** 市场 (marketing) runs the campaigns. */
const manager = async (tenant: TestTenant = clinic) => apiAs(app, await loginAs(app, tenant, 'marketing'));
const owner = async (tenant: TestTenant = clinic) => apiAs(app, await loginAs(app, tenant, 'owner'));

/** A customer with a tag, her portal consent as given. */
const customer = async (tenant: TestTenant, tag: string, consent: { sms: boolean; portal: boolean }, extra: Record<string, unknown> = {}) => {
  const staff = await owner(tenant);
  const phone = randomMobile();
  const created = await staff.post('/customers', { name: `顾客${phone.slice(-4)}`, gender: 'female', phone, tags: [tag], ...extra });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const saved = await staff.put(`/customers/${id}/consents`, consent);
  expect(saved.statusCode, saved.body).toBe(200);
  return { id, phone };
};

const campaignMessages = (campaignId: string) =>
  database.db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, clinic.id), eq(messages.campaignId, campaignId)));

const body = (tag: string, when: object = { kind: 'now' }) => ({
  name: `十二月护肤季 ${tag}`,
  channel: 'portal',
  audience: { kind: 'filter', filter: { tags: [tag] } },
  title: '十二月护肤季',
  body: '{姓名}您好，{诊所}十二月护肤季已开始，欢迎预约到店。',
  when,
});

describe('群发 campaigns', () => {
  it('previews who will receive it and why the others will not, then sends to the inbox of those who may', async () => {
    const tag = `camp-${crypto.randomUUID().slice(0, 6)}`;
    const yes = await Promise.all([0, 1, 2].map(() => customer(clinic, tag, { sms: false, portal: true })));
    const noConsent = await customer(clinic, tag, { sms: false, portal: false });
    const minor = await customer(clinic, tag, { sms: false, portal: true }, { birthday: { calendar: 'solar', date: '2015-03-01' } });
    const staff = await manager();

    const preview = await staff.post('/message-campaigns/preview', { channel: 'portal', audience: body(tag).audience, body: body(tag).body });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ audience: 5, recipients: 3, excluded: { no_consent: 1, minor: 1, opted_out: 0 } });
    expect(preview.json().sample.text).toMatch(/^顾客\d{4}您好，Campaign clinic十二月护肤季已开始/);
    // A preview writes nothing.
    expect(
      await database.db
        .select()
        .from(messages)
        .where(eq(messages.customerId, yes[0]?.id ?? '')),
    ).toHaveLength(0);

    const created = await staff.post('/message-campaigns', body(tag), 'campaign-1');
    expect(created.statusCode, created.body).toBe(201);
    const campaign = created.json().campaign;
    expect(campaign.status).toBe('sending');
    // A retried request finds the same campaign and starts nothing more.
    const again = await staff.post('/message-campaigns', body(tag), 'campaign-1');
    expect(again.json().campaign.id).toBe(campaign.id);
    await app.jobs.idle();
    await runMessageDelivery(database.db, deps, clock);

    const written = await campaignMessages(campaign.id);
    expect(written).toHaveLength(5);
    expect(written.filter((row) => row.status === 'delivered').map((row) => row.customerId)).toEqual(expect.arrayContaining(yes.map((row) => row.id)));
    expect(written.find((row) => row.customerId === noConsent.id)).toMatchObject({ status: 'suppressed', reason: 'no_consent' });
    expect(written.find((row) => row.customerId === minor.id)).toMatchObject({ status: 'suppressed', reason: 'minor' });

    const inbox = await app.inject({
      method: 'GET',
      url: '/api/portal/v1/messages',
      headers: { cookie: (await portalLogin(app, clinic, yes[0]?.phone ?? '', printed)).cookie },
    });
    expect(inbox.json().items[0]).toMatchObject({ title: '十二月护肤季', isRead: false });

    const view = await staff.get(`/message-campaigns/${campaign.id}`);
    expect(view.json()).toMatchObject({
      status: 'sent',
      results: { messages: 5, delivered: 3, suppressed: 2, excluded: { no_consent: 1, minor: 1 } },
      job: { status: 'succeeded', result: { audience: 5, queued: 3 } },
    });
    const log = await staff.get(`/messages?campaignId=${campaign.id}`);
    expect(log.json().total).toBe(5);
  });

  it('counts the orders placed within the campaign’s days of a message as its result', async () => {
    const tag = `camp-${crypto.randomUUID().slice(0, 6)}`;
    const her = await customer(clinic, tag, { sms: false, portal: true });
    const staff = await manager();
    const created = await staff.post('/message-campaigns', { ...body(tag), attributionDays: 3 });
    const id = created.json().campaign.id as string;
    await app.jobs.idle();
    await runMessageDelivery(database.db, deps, clock);
    const made = await (await owner()).post('/items', { kind: 'service', name: `小气泡 ${crypto.randomUUID().slice(0, 4)}`, priceFen: 19_800 });
    expect(made.statusCode, made.body).toBe(201);
    const item = made.json() as { id: string; priceFen: number };
    clock.set('2026-12-08T03:00:00Z');
    const order = await apiAs(app, await loginAs(app, clinic, 'front_desk')).post('/orders', {
      customerId: her.id,
      storeId: clinic.storeIds[0],
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'cash', amountFen: item.priceFen }],
    });
    expect(order.statusCode, order.body).toBe(201);
    const view = await (await manager()).get(`/message-campaigns/${id}`);
    expect(view.json().results).toMatchObject({ orderedCustomers: 1, orderedFen: item.priceFen });
    // Four days later an order no longer counts for a 3-day campaign.
    clock.set('2026-12-11T03:00:00Z');
    await apiAs(app, await loginAs(app, clinic, 'front_desk')).post('/orders', {
      customerId: her.id,
      storeId: clinic.storeIds[0],
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'cash', amountFen: item.priceFen }],
    });
    const later = await (await manager()).get(`/message-campaigns/${id}`);
    expect(later.json().results).toMatchObject({ orderedCustomers: 1, orderedFen: item.priceFen });
    clock.set('2026-12-07T02:00:00Z');
  });

  it('waits for the marketing hours: created at 22:00 it goes at 08:00 the next morning', async () => {
    const tag = `camp-${crypto.randomUUID().slice(0, 6)}`;
    const her = await customer(clinic, tag, { sms: false, portal: true });
    clock.set('2026-12-07T13:59:00Z'); // 21:59 in Shanghai
    const staff = await manager();
    const before = await staff.post('/message-campaigns/preview', { channel: 'portal', audience: body(tag).audience });
    expect(new Date(before.json().sendsAt).toISOString()).toBe('2026-12-07T13:59:00.000Z');
    clock.set('2026-12-07T14:00:00Z'); // 22:00
    const preview = await staff.post('/message-campaigns/preview', { channel: 'portal', audience: body(tag).audience });
    expect(preview.json().sendsAt).toBe('2026-12-08T00:00:00.000Z');
    const created = await staff.post('/message-campaigns', body(tag));
    expect(created.json().campaign).toMatchObject({ status: 'scheduled', sendAt: '2026-12-08T00:00:00.000Z' });
    await runMessageDelivery(database.db, deps, clock);
    await app.jobs.idle();
    expect(await campaignMessages(created.json().campaign.id)).toHaveLength(0);
    clock.set('2026-12-08T00:00:00Z');
    await runMessageDelivery(database.db, deps, clock);
    await app.jobs.kick({ tenantId: clinic.id, id: (await (await manager()).get(`/message-campaigns/${created.json().campaign.id}`)).json().job.id });
    await app.jobs.idle();
    await runMessageDelivery(database.db, deps, clock);
    const written = await campaignMessages(created.json().campaign.id);
    expect(written.map((row) => [row.customerId, row.status])).toEqual([[her.id, 'delivered']]);
    clock.set('2026-12-07T02:00:00Z');
  });

  it('honours an opt-out and a consent withdrawn after the message was written and before it leaves', async () => {
    await (await owner()).put('/settings/messaging', {
      sms: { provider: 'aliyun', signName: '悦会', sdkApp: '', region: 'ap-guangzhou' },
      marketingHours: { from: '08:00', to: '22:00' },
      marketingPerCustomerPerWeek: 5,
      dailySmsBudget: 500,
      isMarketingSmsOn: true,
    });
    const tag = `camp-${crypto.randomUUID().slice(0, 6)}`;
    const stays = await customer(clinic, tag, { sms: true, portal: false });
    const optsOut = await customer(clinic, tag, { sms: true, portal: false });
    const withdraws = await customer(clinic, tag, { sms: true, portal: false });
    const staff = await manager();
    const created = await staff.post('/message-campaigns', { ...body(tag), channel: 'sms', providerTemplateCode: 'SMS_900001' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().campaign.id as string;
    await app.jobs.idle();
    expect((await campaignMessages(id)).filter((row) => row.status === 'queued')).toHaveLength(3);
    // Between the run and the send: one replies 退订 (entered by staff), one withdraws her consent.
    expect((await staff.post('/message-suppressions', { phone: optsOut.phone, note: '回复TD' })).statusCode).toBe(201);
    expect((await (await owner()).put(`/customers/${withdraws.id}/consents`, { sms: false, portal: false })).statusCode).toBe(200);
    smsCalls.length = 0;
    await runMessageDelivery(database.db, deps, clock);
    const written = await campaignMessages(id);
    expect(written.find((row) => row.customerId === stays.id)?.status).toBe('sent');
    expect(written.find((row) => row.customerId === optsOut.id)).toMatchObject({ status: 'suppressed', reason: 'opted_out' });
    expect(written.find((row) => row.customerId === withdraws.id)).toMatchObject({ status: 'suppressed', reason: 'no_consent' });
    expect(smsCalls.map((sms) => sms.phone)).toEqual([stays.phone]);
    expect(smsCalls[0]).toMatchObject({
      templateCode: 'SMS_900001',
      params: [
        { name: 'name', value: expect.any(String) },
        { name: 'clinic', value: 'Campaign clinic' },
      ],
    });
    expect(smsCalls[0]?.text).toMatch(/^【悦会】.*拒收请回复R$/);
  });

  it('refuses marketing SMS while the clinic has not switched it on, unknown variables and forbidden words', async () => {
    const staff = await manager(other);
    const tag = 'nobody';
    const sms = await staff.post('/message-campaigns', { ...body(tag), channel: 'sms' });
    expect(sms.statusCode, sms.body).toBe(422);
    expect(sms.json().error.code).toBe('MARKETING_SMS_OFF');
    const variable = await staff.post('/message-campaigns', { ...body(tag), body: '{姓名}您好，{积分}' });
    expect(variable.statusCode).toBe(400);
    expect(variable.json().error.code).toBe('TEMPLATE_VARIABLE_UNKNOWN');
    const wording = await staff.post('/message-campaigns', { ...body(tag), body: '{姓名}您好，全网最低价，根治痘痘' });
    expect([400, 422]).toContain(wording.statusCode);
  });

  it('keeps every clinic to its own campaigns and customers', async () => {
    const mine = await customer(clinic, 'wall', { sms: false, portal: true });
    const staff = await manager(other);
    const foreign = await staff.post('/message-campaigns', { ...body('wall'), audience: { kind: 'customers', customerIds: [mine.id] } });
    expect(foreign.statusCode).toBe(404);
    const list = await (await manager()).get('/message-campaigns');
    const id = list.json().items[0].id as string;
    expect((await staff.get(`/message-campaigns/${id}`)).statusCode).toBe(404);
    expect((await staff.post(`/message-campaigns/${id}/cancel`, {})).statusCode).toBe(404);
  });

  it('runs a recurring campaign once in each period, at its time', async () => {
    const tag = `camp-${crypto.randomUUID().slice(0, 6)}`;
    await customer(clinic, tag, { sms: false, portal: true });
    const staff = await manager();
    // Monday 2026-12-07 10:00; every Monday at 11:00.
    const created = await staff.post('/message-campaigns', body(tag, { kind: 'recurring', schedule: { every: 'week', weekday: 1, at: '11:00' } }));
    expect(created.json().campaign).toMatchObject({ status: 'active', nextRunOn: '2026-12-07' });
    const id = created.json().campaign.id as string;
    await runMessageDelivery(database.db, deps, clock);
    expect((await staff.get(`/message-campaigns/${id}`)).json().job).toBeNull();
    clock.set('2026-12-07T03:00:00Z');
    await runMessageDelivery(database.db, deps, clock);
    await runMessageDelivery(database.db, deps, clock);
    const job = (await (await manager()).get(`/message-campaigns/${id}`)).json().job;
    await app.jobs.kick({ tenantId: clinic.id, id: job.id });
    await app.jobs.idle();
    await runMessageDelivery(database.db, deps, clock);
    expect(await campaignMessages(id)).toHaveLength(1);
    clock.set('2026-12-14T03:30:00Z');
    await runMessageDelivery(database.db, deps, clock);
    const next = (await (await manager()).get(`/message-campaigns/${id}`)).json().job;
    expect(next.id).not.toBe(job.id);
    await app.jobs.kick({ tenantId: clinic.id, id: next.id });
    await app.jobs.idle();
    expect(await campaignMessages(id)).toHaveLength(2);
    const cancelled = await (await manager()).post(`/message-campaigns/${id}/cancel`, {});
    expect(cancelled.json().status).toBe('cancelled');
    clock.set('2026-12-07T02:00:00Z');
  });
});
