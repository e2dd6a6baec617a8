import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { auditLog } from '../../platform/tables.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../../testing/database.js';
import { holidayCalendar, isPublicHoliday } from './calendar.js';

/**
 * The holiday calendar points rules use, per clinic: the shared national calendar (法定节假日 and
 * 调休上班) under each clinic's own overrides, at checkout, in the preview and over the API.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
let now = Date.parse('2026-01-05T02:00:00Z');

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock: { now: () => new Date(now) } });
  clinic = await createTestTenant(database, '悦己医美');
  other = await createTestTenant(database, '隔壁诊所');
  // Both clinics double points on holidays; nothing else multiplies.
  for (const tenant of [clinic, other]) {
    const owner = await loginAs(app, tenant, 'owner');
    const settings = await get(owner, '/settings/points');
    const saved = await send(owner, 'PUT', '/settings/points', { ...settings, earning: { ...settings.earning, holidayBasisPoints: 20_000, memberDay: null } });
    expect(saved.statusCode).toBe(200);
  }
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const send = (session: Session, method: 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...session.writeHeaders, 'idempotency-key': `k-${crypto.randomUUID()}` },
    ...(payload ? { payload } : {}),
  });
const get = async (session: Session, url: string) => (await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: session.headers })).json();

/** Points a ¥3 000 WeChat payment earns at the given instant (Asia/Shanghai business date), with its explanation. */
const checkoutAt = async (tenant: TestTenant, iso: string) => {
  now = Date.parse(iso);
  const desk = await loginAs(app, tenant, 'front_desk');
  const owner = await loginAs(app, tenant, 'owner');
  const customer = (await send(desk, 'POST', '/customers', { name: '节日顾客', gender: 'female', phone: randomMobile() })).json();
  const item = (await send(owner, 'POST', '/items', { kind: 'service', name: '水光', priceFen: 300_000 })).json();
  const order = await send(desk, 'POST', '/orders', {
    storeId: tenant.storeIds[0],
    customerId: customer.id,
    lines: [{ itemId: item.id, quantity: 1 }],
    payments: [{ method: 'wechat', amountFen: 300_000 }],
  });
  expect(order.statusCode).toBe(201);
  const overview = await get(desk, `/customers/${customer.id}/points`);
  const explained = await get(desk, `/points/entries/${overview.entries[0].id}`);
  return { points: overview.balance as number, explanation: explained.entry.reason.explanation as string[] };
};

const calendarOf = async (tenant: TestTenant, year: number) => {
  const owner = await loginAs(app, tenant, 'owner');
  const body = await get(owner, `/settings/points/holidays?year=${year}`);
  return new Map<string, { day: string; name: string; kind: string; source: string; overrideId: string | null; national: unknown }>(
    body.items.map((item: { day: string }) => [item.day, item]),
  );
};

describe('clinic holidays', () => {
  let womensDayId = '';

  it("a clinic's own 三八妇女节 doubles points at checkout for that clinic only", async () => {
    now = Date.parse('2026-01-05T02:00:00Z');
    const owner = await loginAs(app, clinic, 'owner');
    const put = await send(owner, 'PUT', '/settings/points/holidays/2026-03-08', { name: '三八妇女节', isHoliday: true });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ day: '2026-03-08', name: '三八妇女节', isHoliday: true });
    womensDayId = put.json().id;

    // 00:30 on 8 March in Shanghai is still 7 March in UTC: the clinic's business date decides.
    const mine = await checkoutAt(clinic, '2026-03-07T16:30:00Z');
    expect(mine.points).toBe(6_000);
    expect(mine.explanation).toEqual(['水光：基础 3000 × 节日（三八妇女节） 2 = 6000 积分']);
    expect((await checkoutAt(clinic, '2026-03-07T15:30:00Z')).points).toBe(3_000);
    expect((await checkoutAt(other, '2026-03-07T16:30:00Z')).points).toBe(3_000);
  });

  it('a national holiday turned off for the clinic earns base points, and only there', async () => {
    now = Date.parse('2026-01-05T02:00:00Z');
    const owner = await loginAs(app, clinic, 'owner');
    const put = await send(owner, 'PUT', '/settings/points/holidays/2026-10-01', { isHoliday: false });
    expect(put.statusCode).toBe(200);
    // Without a name of its own, the override keeps the national holiday's.
    expect(put.json()).toMatchObject({ day: '2026-10-01', name: '国庆节', isHoliday: false });
    expect((await checkoutAt(clinic, '2026-10-01T02:00:00Z')).points).toBe(3_000);
    const theirs = await checkoutAt(other, '2026-10-01T02:00:00Z');
    expect(theirs.points).toBe(6_000);
    expect(theirs.explanation).toEqual(['水光：基础 3000 × 法定节假日 2 = 6000 积分']);
    // The shared national calendar is untouched.
    const [national] = await database.db.select().from(holidayCalendar).where(eq(holidayCalendar.day, '2026-10-01'));
    expect(national).toMatchObject({ name: '国庆节', isWorkday: false });
  });

  it('a make-up workday (调休上班) is not a holiday, and cannot be "turned off"', async () => {
    expect((await checkoutAt(clinic, '2026-01-04T02:00:00Z')).points).toBe(3_000); // a Sunday worked for 元旦
    expect(await isPublicHoliday(database.db, { tenantId: clinic.id, day: '2026-01-04' })).toBe(false);
    expect(await isPublicHoliday(database.db, { tenantId: clinic.id, day: '2026-01-01' })).toBe(true);
    const owner = await loginAs(app, clinic, 'owner');
    const refused = await send(owner, 'PUT', '/settings/points/holidays/2026-01-04', { isHoliday: false });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('HOLIDAY_NOT_NATIONAL');
    const ordinary = await send(owner, 'PUT', '/settings/points/holidays/2026-03-09', { isHoliday: false });
    expect(ordinary.statusCode).toBe(422);
  });

  it("lists the year merged: national holidays, make-up workdays, the clinic's days and the national days it turned off", async () => {
    const mine = await calendarOf(clinic, 2026);
    expect(mine.get('2026-03-08')).toEqual({
      day: '2026-03-08',
      name: '三八妇女节',
      kind: 'clinic_holiday',
      source: 'clinic',
      overrideId: womensDayId,
      national: null,
    });
    expect(mine.get('2026-10-01')).toMatchObject({ kind: 'clinic_off', source: 'clinic', national: { name: '国庆节', isWorkday: false } });
    expect(mine.get('2026-10-02')).toMatchObject({ name: '国庆节', kind: 'national_holiday', source: 'lunar-typescript', overrideId: null });
    expect(mine.get('2026-01-04')).toMatchObject({ kind: 'makeup_workday', overrideId: null });
    expect([...mine.keys()]).toEqual([...mine.keys()].sort());
    expect([...mine.keys()].every((day) => day.startsWith('2026-'))).toBe(true);

    const theirs = await calendarOf(other, 2026);
    expect(theirs.has('2026-03-08')).toBe(false);
    expect(theirs.get('2026-10-01')).toMatchObject({ kind: 'national_holiday', overrideId: null });
  });

  it("another clinic's overrides are invisible and its ids are not found", async () => {
    const theirOwner = await loginAs(app, other, 'owner');
    const attempt = await send(theirOwner, 'DELETE', `/settings/points/holidays/${womensDayId}`);
    expect(attempt.statusCode).toBe(404);
    expect(attempt.json().error.code).toBe('CLINIC_HOLIDAY_NOT_FOUND');
    expect((await calendarOf(clinic, 2026)).get('2026-03-08')?.kind).toBe('clinic_holiday');
  });

  it('removing an override restores the national meaning; every write is audited', async () => {
    const owner = await loginAs(app, clinic, 'owner');
    const offId = (await calendarOf(clinic, 2026)).get('2026-10-01')?.overrideId;
    expect((await send(owner, 'DELETE', `/settings/points/holidays/${offId}`)).statusCode).toBe(204);
    expect((await send(owner, 'DELETE', `/settings/points/holidays/${offId}`)).statusCode).toBe(404);
    expect((await calendarOf(clinic, 2026)).get('2026-10-01')).toMatchObject({ kind: 'national_holiday', overrideId: null });
    expect(await isPublicHoliday(database.db, { tenantId: clinic.id, day: '2026-10-01' })).toBe(true);

    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, clinic.id), eq(auditLog.entityType, 'clinic_holiday')));
    expect(audits.map((row) => row.action).sort()).toEqual(['points.holiday.put', 'points.holiday.put', 'points.holiday.remove']);
    expect(audits.find((row) => row.action === 'points.holiday.remove')).toMatchObject({ entityId: offId, before: { day: '2026-10-01', isHoliday: false } });
  });

  it('putting the same day again replaces its override (one per day)', async () => {
    const owner = await loginAs(app, clinic, 'owner');
    const renamed = await send(owner, 'PUT', '/settings/points/holidays/2026-03-08', { name: '女神节', isHoliday: true });
    expect(renamed.json()).toMatchObject({ id: womensDayId, name: '女神节' });
    expect((await calendarOf(clinic, 2026)).get('2026-03-08')?.name).toBe('女神节');
  });

  it('refuses bad input with field paths, and staff without the settings permission', async () => {
    const owner = await loginAs(app, clinic, 'owner');
    const badDay = await send(owner, 'PUT', '/settings/points/holidays/2026-02-30', { name: '?', isHoliday: true });
    expect(badDay.statusCode).toBe(400);
    expect(badDay.json().error.details.map((detail: { path: string }) => detail.path)).toEqual(['params.day']);
    const noName = await send(owner, 'PUT', '/settings/points/holidays/2026-05-20', { isHoliday: true });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().error.details).toEqual([{ path: 'body.name', message: '请填写节日名称' }]);
    const unknown = await send(owner, 'PUT', '/settings/points/holidays/2026-05-20', { name: '520', isHoliday: true, multiplier: 3 });
    expect(unknown.json().error.details).toEqual([{ path: 'body.multiplier', message: '不允许的字段' }]);
    const badYear = await app.inject({ method: 'GET', url: '/api/v1/settings/points/holidays?year=20x6', headers: owner.headers });
    expect(badYear.statusCode).toBe(400);
    expect(badYear.json().error.details[0].path).toBe('query.year');

    const desk = await loginAs(app, clinic, 'front_desk');
    expect((await send(desk, 'PUT', '/settings/points/holidays/2026-05-20', { name: '520', isHoliday: true })).statusCode).toBe(403);
    expect((await send(desk, 'DELETE', `/settings/points/holidays/${womensDayId}`)).statusCode).toBe(403);
    // Reading the calendar is for everyone who reads points.
    expect((await get(desk, '/settings/points/holidays?year=2026')).items.length).toBeGreaterThan(20);
  });

  it('the preview names the clinic holiday in its reason', async () => {
    const owner = await loginAs(app, clinic, 'owner');
    const preview = await send(owner, 'POST', '/points/preview', { amountFen: 100_000, date: '2026-03-08' });
    expect(preview.json()).toMatchObject({ points: 2_000, isHoliday: true, reasons: ['订单：基础 1000 × 节日（女神节） 2 = 2000 积分'] });
  });
});
