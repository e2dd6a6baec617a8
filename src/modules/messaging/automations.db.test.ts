import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { SmsSender } from '../../platform/deps.js';
import type { App } from '../../platform/http.js';
import { solarToLunar } from '../../platform/lunar.js';
import { outbox } from '../../platform/outbox.js';
import { apiAs, createTestTenant, loginAs, movableClock, openTestDatabase, portalLogin, randomMobile, type TestTenant } from '../../testing/database.js';
import { customers } from '../customers/index.js';
import { queueAutomations } from './automations.js';
import { logSmsChannel } from './dev-channel.js';
import { dispatchDueEvents } from './service.js';
import { messages } from './tables.js';

let database: Database;
let app: App;
// 09:00 on New Year's Eve in Shanghai.
const clock = movableClock('2026-12-31T01:00:00Z');

const sms = { calls: [] as Parameters<SmsSender['send']>[0][] };
const sender: SmsSender = {
  provider: 'aliyun',
  send: async (message) => {
    sms.calls.push(message);
    return { ok: true, providerMessageId: `p-${crypto.randomUUID()}` };
  },
};
const deps = { smsSender: () => sender };
/** What the development channel printed (portal login codes). */
const printed: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({ database, clock, smsChannel: logSmsChannel({ write: (text: string) => printed.push(text) > 0 }) });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const sweep = (tenant: TestTenant) => database.db.transaction((tx) => queueAutomations(tx, clock.now(), tenant.id));

const eventsOf = (tenant: TestTenant, topic: string) =>
  database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.tenantId, tenant.id), eq(outbox.topic, topic)))
    .orderBy(outbox.createdAt, outbox.dedupeKey);

const portalMessagesOf = (tenant: TestTenant, customerId: string) =>
  database.db
    .select()
    .from(messages)
    .where(and(eq(messages.tenantId, tenant.id), eq(messages.customerId, customerId), eq(messages.channel, 'portal')))
    .orderBy(messages.createdAt);

const newCustomer = async (tenant: TestTenant, name: string, extra: Record<string, unknown> = {}) => {
  const staff = apiAs(app, await loginAs(app, tenant, 'front_desk'));
  const response = await staff.post('/customers', { name, gender: 'female', phone: randomMobile(), ...extra });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
};

/** Customers' created_at is the database's clock; the tests place it on the test clock's timeline. */
const setCreatedAt = (tenant: TestTenant, customerId: string, at: string) =>
  database.db
    .update(customers)
    .set({ createdAt: new Date(at) })
    .where(and(eq(customers.tenantId, tenant.id), eq(customers.id, customerId)));

const book = async (tenant: TestTenant, customerId: string, startsAt: string) => {
  const staff = apiAs(app, await loginAs(app, tenant, 'front_desk'));
  const response = await staff.post('/appointments', { storeId: tenant.storeIds[0], customerId, startsAt });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
};

const saveAutomations = async (tenant: TestTenant, change: Record<string, unknown>) => {
  const owner = apiAs(app, await loginAs(app, tenant, 'owner'));
  const current = await owner.get('/settings/message-automations');
  expect(current.statusCode, current.body).toBe(200);
  const response = await owner.put('/settings/message-automations', { ...current.json(), ...change });
  expect(response.statusCode, response.body).toBe(200);
  return (await owner.get('/settings/message-automations')).json();
};

describe('appointment reminders', () => {
  let clinic: TestTenant;
  beforeAll(async () => {
    clinic = await createTestTenant(database, '悦会诊所');
  });

  it("queues one reminder per appointment starting tomorrow in the clinic's time zone, at 10:00 the day before, across the year's end", async () => {
    clock.set('2026-12-31T01:00:00Z');
    const her = await newCustomer(clinic, '林悦');
    const justAfterMidnight = await book(clinic, her, '2027-01-01T00:30:00+08:00');
    const dayAfter = await book(clinic, her, '2027-01-02T14:30:00+08:00');
    // 23:30 tonight in Shanghai is still today: no reminder.
    await book(clinic, her, '2026-12-31T23:30:00+08:00');

    expect((await sweep(clinic)).appointmentReminder).toBe(1);
    const events = await eventsOf(clinic, 'appointments.reminder');
    expect(events.map((event) => [event.dedupeKey, event.sendAfter.toISOString()])).toEqual([
      [`appointment-reminder:${justAfterMidnight}`, '2026-12-31T02:00:00.000Z'],
    ]);

    // The next run (and the one after) queue nothing new.
    expect((await sweep(clinic)).appointmentReminder).toBe(0);
    expect(await eventsOf(clinic, 'appointments.reminder')).toHaveLength(1);

    // New Year's Day 11:00: the send time has passed, so the reminder for the 2nd goes now.
    clock.set('2027-01-01T03:00:00Z');
    expect((await sweep(clinic)).appointmentReminder).toBe(1);
    const next = (await eventsOf(clinic, 'appointments.reminder')).find((event) => event.dedupeKey === `appointment-reminder:${dayAfter}`);
    expect(next?.sendAfter.toISOString()).toBe('2027-01-01T03:00:00.000Z');
  });

  it('fills the time and the store into the text and the SMS parameters', async () => {
    clock.set('2027-02-10T01:00:00Z');
    const her = await newCustomer(clinic, '韩梅');
    await book(clinic, her, '2027-02-11T14:30:00+08:00');
    await sweep(clinic);
    // Before 10:00 nothing goes; at 10:00 it does.
    await dispatchDueEvents(database.db, deps, clock.now());
    expect(await portalMessagesOf(clinic, her)).toHaveLength(0);
    clock.set('2027-02-10T02:00:00Z');
    await dispatchDueEvents(database.db, deps, clock.now());
    const [message] = await portalMessagesOf(clinic, her);
    expect(message?.body).toBe('韩梅您好，提醒您 2月11日 14:30 在一号店的预约，如需改期请联系门店。');
    const [smsRow] = await database.db
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, clinic.id), eq(messages.customerId, her), eq(messages.channel, 'sms')));
    expect(smsRow?.body).toBe('【悦会诊所】韩梅您好，提醒您 2月11日 14:30 在一号店的预约，如需改期请联系门店。');
    expect(smsRow?.variables).toMatchObject({ 预约时间: '2月11日 14:30', 门店: '一号店', 诊所: '悦会诊所' });
  });

  it('withdraws a waiting reminder when the appointment is cancelled, and reminds a moved one of its new time', async () => {
    clock.set('2027-03-01T01:00:00Z');
    const her = await newCustomer(clinic, '周岚');
    const cancelled = await book(clinic, her, '2027-03-02T15:00:00+08:00');
    const moved = await book(clinic, her, '2027-03-02T16:00:00+08:00');
    expect((await sweep(clinic)).appointmentReminder).toBe(2);
    const staff = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    expect((await staff.patch(`/appointments/${cancelled}`, { status: 'cancelled' })).statusCode).toBe(200);
    expect((await staff.patch(`/appointments/${moved}`, { startsAt: '2027-03-02T17:00:00+08:00' })).statusCode).toBe(200);
    expect((await sweep(clinic)).appointmentReminder).toBe(1);
    const events = (await eventsOf(clinic, 'appointments.reminder')).filter((event) => event.customerId === her);
    expect(events.map((event) => event.status).sort()).toEqual(['cancelled', 'cancelled', 'queued']);
    const live = events.find((event) => event.status === 'queued');
    expect(live?.dedupeKey).toBe(`appointment-reminder:${moved}`);
    expect(live?.payload).toMatchObject({ startsAtLocal: '2027-03-02T17:00' });
  });
});

describe('birthday greetings', () => {
  let clinic: TestTenant;
  beforeAll(async () => {
    clinic = await createTestTenant(database, 'Birthday clinic');
  });

  it('are off until the clinic switches them on', async () => {
    clock.set('2027-01-01T01:00:00Z');
    await newCustomer(clinic, '元旦', { birthday: { calendar: 'solar', date: '1990-01-01' } });
    expect((await sweep(clinic)).birthday).toBe(0);
    expect(await eventsOf(clinic, 'customers.birthday')).toHaveLength(0);
  });

  it('greets on the solar birthday and on this year’s lunar birthday, at the set hour, once a year', async () => {
    clock.set('2027-01-01T00:30:00Z');
    const settings = await saveAutomations(clinic, { birthday: { isOn: true, sendAt: '09:30' } });
    expect(settings.birthday).toEqual({ isOn: true, sendAt: '09:30' });
    const solar = await newCustomer(clinic, '新年', { birthday: { calendar: 'solar', date: '1992-01-01' } });
    const lunarToday = solarToLunar('2027-01-01');
    const lunar = await newCustomer(clinic, '农历', {
      birthday: { calendar: 'lunar', year: 1990, month: lunarToday.month, day: lunarToday.day, isLeapMonth: false },
    });
    const tomorrow = await newCustomer(clinic, '明天', { birthday: { calendar: 'solar', date: '1990-01-02' } });

    // 新年, 农历 and 元旦 from before; not 明天.
    expect((await sweep(clinic)).birthday).toBe(3);
    const events = await eventsOf(clinic, 'customers.birthday');
    const greeted = events.map((event) => event.customerId);
    expect(greeted).toEqual(expect.arrayContaining([solar, lunar]));
    expect(greeted).not.toContain(tomorrow);
    expect(events.map((event) => event.sendAfter.toISOString())).toEqual(['2027-01-01T01:30:00.000Z', '2027-01-01T01:30:00.000Z', '2027-01-01T01:30:00.000Z']);
    expect(events.map((event) => event.dedupeKey)).toContain(`birthday:${solar}:2027`);
    expect((await sweep(clinic)).birthday).toBe(0);

    // The same solar birthday next year: greeted again, once (the lunar one falls on another day in 2028).
    clock.set('2028-01-01T03:00:00Z');
    expect((await sweep(clinic)).birthday).toBe(2);
    expect((await eventsOf(clinic, 'customers.birthday')).map((event) => event.dedupeKey)).toContain(`birthday:${solar}:2028`);
    expect((await sweep(clinic)).birthday).toBe(0);
  });
});

describe('welcome', () => {
  let clinic: TestTenant;
  beforeAll(async () => {
    clinic = await createTestTenant(database, '欢迎诊所');
  });

  it('welcomes only customers created after it was switched on, once, with the clinic’s name', async () => {
    clock.set('2027-04-01T02:00:00Z');
    const before = await newCustomer(clinic, '老客');
    await setCreatedAt(clinic, before, '2027-04-01T01:00:00Z');
    expect((await saveAutomations(clinic, { welcome: { isOn: false, onSince: null } })).welcome).toEqual({ isOn: false, onSince: null });
    const whileOff = await newCustomer(clinic, '关闭时');
    await setCreatedAt(clinic, whileOff, '2027-04-01T02:00:00Z');
    expect((await sweep(clinic)).welcome).toBe(0);

    clock.set('2027-04-01T03:00:00Z');
    // Switched on: the server keeps when, whatever the form sent.
    expect((await saveAutomations(clinic, { welcome: { isOn: true, onSince: null } })).welcome).toEqual({ isOn: true, onSince: '2027-04-01T03:00:00.000Z' });
    const after = await newCustomer(clinic, '新客');
    await setCreatedAt(clinic, after, '2027-04-01T03:30:00Z');
    clock.set('2027-04-01T04:05:00Z');
    expect((await sweep(clinic)).welcome).toBe(1);
    expect((await sweep(clinic)).welcome).toBe(0);
    expect((await eventsOf(clinic, 'customers.welcome')).map((event) => event.dedupeKey)).toEqual([`welcome:${after}`]);

    await dispatchDueEvents(database.db, deps, clock.now());
    expect((await portalMessagesOf(clinic, after)).map((message) => message.body)).toEqual([
      '新客您好，欢迎成为欢迎诊所会员！在会员中心可查看积分、优惠券和预约。',
    ]);
  });
});

describe('wake-up calls', () => {
  let clinic: TestTenant;
  beforeAll(async () => {
    clinic = await createTestTenant(database, 'Wakeup clinic');
  });

  it('call a sleeping member at most once in 90 days', async () => {
    clock.set('2027-05-01T02:00:00Z');
    const sleeping = await newCustomer(clinic, '沉睡');
    await newCustomer(clinic, '活跃');
    await database.db
      .update(customers)
      .set({ activity: 'sleeping' })
      .where(and(eq(customers.tenantId, clinic.id), eq(customers.id, sleeping)));
    expect((await sweep(clinic)).wakeup).toBe(0);
    await saveAutomations(clinic, { wakeup: { isOn: true, everyDays: 90 } });
    expect((await sweep(clinic)).wakeup).toBe(1);
    expect((await sweep(clinic)).wakeup).toBe(0);
    clock.advanceDays(89);
    expect((await sweep(clinic)).wakeup).toBe(0);
    clock.advanceDays(2);
    expect((await sweep(clinic)).wakeup).toBe(1);
    const events = await eventsOf(clinic, 'customers.wakeup');
    expect(events.map((event) => event.customerId)).toEqual([sleeping, sleeping]);
  });
});

describe('switched off', () => {
  it('queues nothing at all', async () => {
    const clinic = await createTestTenant(database, 'Quiet clinic');
    clock.set('2027-06-01T01:00:00Z');
    await saveAutomations(clinic, {
      appointmentReminder: { isOn: false, sendAt: '10:00' },
      birthday: { isOn: false, sendAt: '10:00' },
      wakeup: { isOn: false, everyDays: 90 },
      welcome: { isOn: false, onSince: null },
    });
    const her = await newCustomer(clinic, '六一', { birthday: { calendar: 'solar', date: '1990-06-01' } });
    await setCreatedAt(clinic, her, '2027-06-01T00:30:00Z');
    await database.db
      .update(customers)
      .set({ activity: 'sleeping' })
      .where(and(eq(customers.tenantId, clinic.id), eq(customers.id, her)));
    await book(clinic, her, '2027-06-02T10:00:00+08:00');
    expect(await sweep(clinic)).toEqual({ appointmentReminder: 0, birthday: 0, wakeup: 0, welcome: 0, careSeries: 0 });
    expect(await database.db.select().from(outbox).where(eq(outbox.tenantId, clinic.id))).toHaveLength(0);
  });
});

describe('the message log by topic', () => {
  it('lists an automation’s messages alone, and those since a time', async () => {
    const clinic = await createTestTenant(database, 'Log clinic');
    clock.set('2027-07-01T02:00:00Z');
    const her = await newCustomer(clinic, '记录');
    await setCreatedAt(clinic, her, '2027-07-01T01:30:00Z');
    await sweep(clinic);
    await dispatchDueEvents(database.db, deps, clock.now());
    const staff = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    const welcome = await staff.get('/messages?topic=customers.welcome&pageSize=1');
    expect(welcome.json().total).toBe(1);
    expect((await staff.get('/messages?topic=customers.birthday')).json().total).toBe(0);
    expect((await staff.get('/messages?topic=customers.welcome&createdFrom=2027-07-01T02:00:01Z')).json().total).toBe(0);
  });
});

describe('术后护理: the care series after a 划扣', () => {
  let clinic: TestTenant;
  let owner: ReturnType<typeof apiAs>;
  let desk: ReturnType<typeof apiAs>;
  let photo: { id: string };
  let cleansing: { id: string };
  let course: { id: string };
  const seriesId = crypto.randomUUID();
  const steps = [
    { days: 1, text: '今天请避免用热水洗脸，外出注意防晒。' },
    { days: 3, text: '如有轻微泛红属正常现象，请继续保湿。' },
    { days: 7, text: '可以恢复日常护肤，如有不适请联系门店。' },
  ];

  const ok = async (response: Promise<{ statusCode: number; body: string; json: () => { id: string } }>, status = 201) => {
    const answer = await response;
    expect(answer.statusCode, answer.body).toBe(status);
    return answer.json();
  };

  beforeAll(async () => {
    clinic = await createTestTenant(database, '护理诊所');
    owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    const category = await ok(owner.post('/item-categories', { name: '光电' }));
    photo = await ok(owner.post('/items', { kind: 'service', name: '光子嫩肤', priceFen: 128_000, categoryId: category.id }));
    cleansing = await ok(owner.post('/items', { kind: 'service', name: '清洁护理', priceFen: 18_000 }));
    course = await ok(
      owner.post('/items', {
        kind: 'package',
        name: '光子护理疗程',
        priceFen: 300_000,
        contents: [
          { itemId: photo.id, sessions: 3 },
          { itemId: cleansing.id, sessions: 3 },
        ],
      }),
    );
    clock.set('2027-01-20T02:00:00Z');
    await saveAutomations(clinic, {
      careSeries: [{ id: seriesId, name: '光子嫩肤术后', isOn: true, itemIds: [], categoryIds: [category.id], sendAt: '10:00', steps }],
    });
  });

  /** A customer with the course bought: her course items by name. */
  const customerWithCourse = async (name: string) => {
    const phone = randomMobile();
    const customer = await ok(desk.post('/customers', { name, gender: 'female', phone }));
    await ok(
      desk.post('/orders', {
        storeId: clinic.storeIds[0],
        customerId: customer.id,
        lines: [{ itemId: course.id, quantity: 1 }],
        payments: [{ method: 'cash', amountFen: 300_000 }],
      }),
    );
    const courses = (await desk.get(`/customers/${customer.id}/courses`)).json().items as { items: { id: string; name: string }[] }[];
    const itemOf = (itemName: string) => courses[0]?.items.find((entry) => entry.name === itemName)?.id ?? '';
    return { id: customer.id, phone, photo: itemOf('光子嫩肤'), cleansing: itemOf('清洁护理') };
  };

  const deduct = async (courseItemId: string) =>
    (await ok(desk.post(`/course-items/${courseItemId}/deductions`, { storeId: clinic.storeIds[0], executorId: clinic.staff.doctor_nurse.id }))).id;

  // The inbox alone: these tests leave no SMS queued for other files sharing a PostgreSQL database.
  const portalOnly = { smsSender: () => undefined };

  const careEvents = async (customerId: string) =>
    (await eventsOf(clinic, 'treatments.care'))
      .filter((event) => event.customerId === customerId)
      .map((event) => [event.dedupeKey, event.status, event.sendAfter.toISOString()]);

  it("sends each step on its day at 10:00 in the clinic's time zone, across a month's end, once, and into her portal inbox", async () => {
    // 22:00 on 31 January in Shanghai: a 光子嫩肤 session (in the series' category) and a cleansing one (not).
    clock.set('2027-01-31T14:00:00Z');
    const her = await customerWithCourse('林悦');
    const deduction = await deduct(her.photo);
    await deduct(her.cleansing);
    expect((await sweep(clinic)).careSeries).toBe(0);
    // 23:30 in Shanghai is still the 31st.
    clock.set('2027-01-31T15:30:00Z');
    expect((await sweep(clinic)).careSeries).toBe(0);
    // 01:00 on 1 February in Shanghai (still 31 January in UTC): day 1, sent at 10:00 Shanghai.
    clock.set('2027-01-31T17:00:00Z');
    expect((await sweep(clinic)).careSeries).toBe(1);
    expect((await sweep(clinic)).careSeries).toBe(0);
    expect(await careEvents(her.id)).toEqual([[`care:${seriesId}:${deduction}:1`, 'queued', '2027-02-01T02:00:00.000Z']]);

    // Not before its time; then in her inbox, with the step's advice.
    await dispatchDueEvents(database.db, portalOnly, new Date('2027-02-01T01:59:00Z'));
    expect(await portalMessagesOf(clinic, her.id)).toEqual([]);
    await dispatchDueEvents(database.db, portalOnly, new Date('2027-02-01T02:00:00Z'));
    const [first] = await portalMessagesOf(clinic, her.id);
    expect(first).toMatchObject({ purpose: 'notice', topic: 'treatments.care', title: '护理提醒', body: `林悦您好，${steps[0]?.text}`, status: 'delivered' });

    // Day 3 (the sweep runs after 10:00: it goes at once) and day 7, each once.
    clock.set('2027-02-03T02:30:00Z');
    expect((await sweep(clinic)).careSeries).toBe(1);
    await dispatchDueEvents(database.db, portalOnly, clock.now());
    clock.set('2027-02-07T01:00:00Z');
    expect((await sweep(clinic)).careSeries).toBe(1);
    expect((await sweep(clinic)).careSeries).toBe(0);
    expect(await careEvents(her.id)).toEqual([
      [`care:${seriesId}:${deduction}:1`, 'sent', '2027-02-01T02:00:00.000Z'],
      [`care:${seriesId}:${deduction}:3`, 'sent', '2027-02-03T02:30:00.000Z'],
      [`care:${seriesId}:${deduction}:7`, 'queued', '2027-02-07T02:00:00.000Z'],
    ]);
    await dispatchDueEvents(database.db, portalOnly, new Date('2027-02-07T02:00:00Z'));
    await dispatchDueEvents(database.db, portalOnly, new Date('2027-02-07T02:00:00Z'));
    expect((await portalMessagesOf(clinic, her.id)).map((message) => message.body)).toEqual(steps.map((step) => `林悦您好，${step.text}`));

    const member = await portalLogin(app, clinic, her.phone, printed);
    const inbox = await app.inject({ method: 'GET', url: '/api/portal/v1/messages', headers: { cookie: member.cookie } });
    expect(inbox.statusCode, inbox.body).toBe(200);
    const care = inbox.json().items.filter((item: { title: string }) => item.title === '护理提醒');
    expect(care.map((item: { body: string }) => item.body)).toEqual(steps.map((step) => `林悦您好，${step.text}`).reverse());
  });

  it('sends nothing for a 划扣 reversed before the day, withdraws one reversed after it was queued, and stops when the series is off', async () => {
    clock.set('2027-03-10T03:00:00Z');
    const reversedSameDay = await customerWithCourse('撤销甲');
    const reversedLater = await customerWithCourse('撤销乙');
    const kept = await customerWithCourse('保留丙');
    const first = await deduct(reversedSameDay.photo);
    const second = await deduct(reversedLater.photo);
    await deduct(kept.photo);
    await ok(owner.post(`/deductions/${first}/reversal`, { reasonCode: 'wrong_customer' }));

    clock.set('2027-03-11T01:00:00Z');
    expect((await sweep(clinic)).careSeries).toBe(2);
    expect(await careEvents(reversedSameDay.id)).toEqual([]);
    expect(await careEvents(reversedLater.id)).toHaveLength(1);

    // Reversed the next morning, before 10:00: the queued message is withdrawn, nothing reaches her.
    clock.set('2027-03-11T01:30:00Z');
    await ok(owner.post(`/deductions/${second}/reversal`, { reasonCode: 'duplicate' }));
    await sweep(clinic);
    expect((await careEvents(reversedLater.id)).map(([, status]) => status)).toEqual(['cancelled']);
    await dispatchDueEvents(database.db, portalOnly, new Date('2027-03-11T02:00:00Z'));
    expect(await portalMessagesOf(clinic, reversedLater.id)).toEqual([]);
    expect(await portalMessagesOf(clinic, kept.id)).toHaveLength(1);
    // A later sweep does not queue it again.
    clock.set('2027-03-11T03:00:00Z');
    expect((await sweep(clinic)).careSeries).toBe(0);

    // Switched off: day 3's message is not queued.
    const current = (await owner.get('/settings/message-automations')).json();
    await saveAutomations(clinic, { careSeries: current.careSeries.map((series: Record<string, unknown>) => ({ ...series, isOn: false })) });
    clock.set('2027-03-13T03:00:00Z');
    expect((await sweep(clinic)).careSeries).toBe(0);
  });

  it('refuses promotion and the advertising law’s words in the advice, a series with no item or category, and two steps on one day', async () => {
    const current = (await owner.get('/settings/message-automations')).json();
    const withSeries = (change: Record<string, unknown>) => ({ ...current, careSeries: [{ ...current.careSeries[0], ...change }] });
    const selling = await owner.put('/settings/message-automations', withSeries({ steps: [{ days: 1, text: '恢复期间到店护理享限时优惠。' }] }));
    expect(selling.statusCode).toBe(422);
    expect(selling.json().error).toMatchObject({ code: 'CARE_TEXT_PROMOTION', details: [{ path: 'body.careSeries.0.steps.0.text' }] });
    const promise = await owner.put('/settings/message-automations', withSeries({ steps: [{ days: 1, text: '保证不留疤，效果永久。' }] }));
    expect(promise.statusCode).toBe(422);
    expect(promise.json().error.code).toBe('WORDING_FORBIDDEN');
    const nothing = await owner.put('/settings/message-automations', withSeries({ itemIds: [], categoryIds: [] }));
    expect(nothing.statusCode).toBe(400);
    const twice = await owner.put('/settings/message-automations', withSeries({ steps: [steps[0], steps[0]] }));
    expect(twice.statusCode).toBe(400);
    // Nothing of it was kept.
    expect((await owner.get('/settings/message-automations')).json().careSeries).toEqual(current.careSeries);
  });
});
