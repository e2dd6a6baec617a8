import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { outbox } from '../../platform/outbox.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../../testing/database.js';
import { tenantSettings } from '../settings/tables.js';
import { earnPoints } from './ledger.js';
import { queueExpiryReminders } from './reminders.js';
import { pointsSettingsSetting } from './settings.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let owner: Session;
let manager: Session;
let desk: Session;
let now = Date.parse('2026-03-08T02:00:00Z');

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock: { now: () => new Date(now) } });
  clinic = await createTestTenant(database);
  owner = await loginAs(app, clinic, 'owner');
  manager = await loginAs(app, clinic, 'store_manager');
  desk = await loginAs(app, clinic, 'front_desk');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const post = (session: Session, url: string, payload: object, key = crypto.randomUUID()) =>
  app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { ...session.writeHeaders, 'idempotency-key': `k-${key}` }, payload });
const get = async (session: Session, url: string) => (await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: session.headers })).json();

describe('points over the API', () => {
  it('shows the earn of an order as pending with its explanation, then active after the refund window', async () => {
    const customer = (await post(desk, '/customers', { name: '积分', gender: 'female', phone: randomMobile() })).json();
    const item = (await post(owner, '/items', { kind: 'service', name: '热玛吉', priceFen: 300_000 })).json();
    await post(desk, '/orders', {
      storeId: clinic.storeIds[0],
      customerId: customer.id,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'wechat', amountFen: 300_000 }],
    });
    const overview = await get(desk, `/customers/${customer.id}/points`);
    expect(overview).toMatchObject({ balance: 3_000, pending: 3_000, active: 0, growth: 3_000 });
    const explained = await get(desk, `/points/entries/${overview.entries[0].id}`);
    expect(explained.entry.reason.explanation).toEqual(['热玛吉：基础 3000 = 3000 积分']);
    expect(explained.movements).toHaveLength(1);
    now += 8 * 86_400_000;
    const desk2 = await loginAs(app, clinic, 'front_desk');
    expect(await get(desk2, `/customers/${customer.id}/points`)).toMatchObject({ active: 3_000, pending: 0 });
  });

  it('previews a member-day order: ¥3 000 by a 铂金 member earns 9 000 points', async () => {
    now = Date.parse('2026-04-01T02:00:00Z');
    owner = await loginAs(app, clinic, 'owner');
    const settings = await get(owner, '/settings/points');
    const changed = { ...settings, earning: { ...settings.earning, memberDay: { dayOfMonth: 8, basisPoints: 20_000 }, tierBasisPoints: { platinum: 15_000 } } };
    const preview = await post(owner, '/points/preview', {
      amountFen: 300_000,
      date: '2026-03-08',
      tierId: 'platinum',
      tierName: '铂金',
      itemName: '订单',
      settings: changed,
    });
    expect(preview.json()).toMatchObject({ points: 9_000, reasons: ['订单：基础 3000 × 等级（铂金） 1.5 × 会员日 2 = 9000 积分'] });
    const saved = await app.inject({ method: 'PUT', url: '/api/v1/settings/points', headers: owner.writeHeaders, payload: changed });
    expect(saved.statusCode).toBe(200);
  });

  it('adjusts by hand with a reason, audited; large adjustments need the owner; front desk may not', async () => {
    manager = await loginAs(app, clinic, 'store_manager');
    desk = await loginAs(app, clinic, 'front_desk');
    const customer = (await post(desk, '/customers', { name: '调整', gender: 'female', phone: randomMobile() })).json();
    const ok = await post(manager, `/customers/${customer.id}/points/adjustments`, { points: 500, reason: '活动补发' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ type: 'adjust', points: 500, reason: { note: '活动补发' } });
    // Without its own validity, an adjustment expires like earned points (12 months by default).
    const lots = (await get(manager, `/customers/${customer.id}/points`)).lots;
    expect(lots[0].expiresAt?.slice(0, 7)).toBe('2027-04');
    expect((await post(manager, `/customers/${customer.id}/points/adjustments`, { points: 20_000, reason: '大额补发' })).statusCode).toBe(403);
    expect((await post(desk, `/customers/${customer.id}/points/adjustments`, { points: 5, reason: '前台补发' })).statusCode).toBe(403);
    expect((await post(manager, `/customers/${customer.id}/points/adjustments`, { points: -600, reason: '扣减' })).statusCode).toBe(422);
    expect((await post(manager, `/customers/${customer.id}/points/adjustments`, { points: 0, reason: '零' })).statusCode).toBe(400);
    const audit = await get(owner, `/audit-log?entityType=customer&entityId=${customer.id}`);
    expect(audit.items.map((entry: { action: string }) => entry.action)).toContain('points.adjust');
  });

  it('earns interaction points within the daily and monthly caps; registration only once', async () => {
    now = Date.parse('2026-05-05T02:00:00Z');
    manager = await loginAs(app, clinic, 'store_manager');
    const customer = (await post(manager, '/customers', { name: '互动', gender: 'female', phone: randomMobile() })).json();
    const event = (body: object) => post(manager, `/customers/${customer.id}/points/events`, body);
    expect((await event({ event: 'registration', reference: 'signup' })).statusCode).toBe(201);
    expect((await event({ event: 'registration', reference: 'signup' })).json().points).toBe(200);
    const survey1 = await event({ event: 'survey', reference: 's-1' });
    expect(survey1.json()).toMatchObject({ points: 50, reason: { label: '完成问卷' } });
    const capped = await event({ event: 'survey', reference: 's-2' });
    expect(capped.statusCode).toBe(422);
    expect(capped.json().error.message).toContain('今天已达上限');
    const balance = await get(manager, `/customers/${customer.id}/points`);
    expect(balance).toMatchObject({ balance: 250, active: 250 });
  });

  it('warns before saving a rule that would raise the points issued by more than 20 %', async () => {
    owner = await loginAs(app, clinic, 'owner');
    const settings = await get(owner, '/settings/points');
    const same = await post(owner, '/settings/points/impact', settings);
    expect(same.json()).toMatchObject({ changePercent: 0, isWarning: false });
    expect(same.json().currentPoints).toBeGreaterThan(0);
    const doubled = { ...settings, earning: { ...settings.earning, pointsPerYuan: { ...settings.earning.pointsPerYuan, wechat: 2 } } };
    const impact = (await post(owner, '/settings/points/impact', doubled)).json();
    expect(impact.proposedPoints).toBe(impact.currentPoints * 2);
    expect(impact).toMatchObject({ changePercent: 100, isWarning: true, proposedLiabilityFen: impact.proposedPoints });
  });

  it('previews weekday, campaign and item multipliers with their names in the explanation', async () => {
    owner = await loginAs(app, clinic, 'owner');
    const category = (await post(owner, '/item-categories', { name: '光电' })).json();
    const item = (await post(owner, '/items', { kind: 'service', name: '超声炮', priceFen: 1_280_000, categoryId: category.id })).json();
    const settings = await get(owner, '/settings/points');
    const changed = {
      ...settings,
      earning: {
        ...settings.earning,
        memberDay: null,
        weekdayBasisPoints: { '6': 15_000 },
        campaigns: [{ name: '三月焕颜', from: '2026-03-01', to: '2026-03-31', basisPoints: 20_000 }],
        itemMultipliers: [{ categoryId: category.id, minUnitPriceFen: 1_000_000, basisPoints: 30_000, name: '光电高客单' }],
      },
    };
    // 2026-03-07 is a Saturday within the campaign; ¥10 000 reaches the category's threshold.
    const preview = async (amountFen: number, extra: object = {}) =>
      (await post(owner, '/points/preview', { amountFen, date: '2026-03-07', settings: changed, ...extra })).json();
    expect(await preview(1_000_000, { itemId: item.id })).toMatchObject({
      points: 90_000,
      reasons: ['超声炮：基础 10000 × 周六 1.5 × 三月焕颜 2 × 光电高客单 3 = 90000 积分'],
    });
    expect((await preview(999_999, { itemId: item.id })).reasons).toEqual(['超声炮：基础 9999 × 周六 1.5 × 三月焕颜 2 = 29997 积分']);
    expect((await preview(1_000_000)).reasons).toEqual(['订单：基础 10000 × 周六 1.5 × 三月焕颜 2 = 30000 积分']);
    const saved = await app.inject({ method: 'PUT', url: '/api/v1/settings/points', headers: owner.writeHeaders, payload: changed });
    expect(saved.statusCode).toBe(200);
    expect((await get(owner, '/settings/points')).earning).toMatchObject({
      weekdayBasisPoints: { '6': 15_000 },
      itemMultipliers: changed.earning.itemMultipliers,
    });
  });

  it('refuses a campaign that ends before it starts, an item rule without exactly one target and bad reminder days', async () => {
    const settings = await get(owner, '/settings/points');
    const put = (payload: object) => app.inject({ method: 'PUT', url: '/api/v1/settings/points', headers: owner.writeHeaders, payload });
    const earning = (patch: object) => ({ ...settings, earning: { ...settings.earning, ...patch } });
    const backwards = await put(earning({ campaigns: [{ name: '倒序', from: '2026-03-31', to: '2026-03-01', basisPoints: 20_000 }] }));
    expect(backwards.statusCode).toBe(400);
    expect(JSON.stringify(backwards.json())).toContain('活动结束日期不能早于开始日期');
    expect((await put(earning({ itemMultipliers: [{ minUnitPriceFen: 0, basisPoints: 20_000, name: '无对象' }] }))).statusCode).toBe(400);
    expect((await put({ ...settings, reminders: { daysBefore: [7, 7] } })).statusCode).toBe(400);
    expect((await put({ ...settings, reminders: { daysBefore: [0] } })).statusCode).toBe(400);
    expect((await put({ ...settings, reminders: { daysBefore: [1, 2, 3, 4, 5, 6] } })).statusCode).toBe(400);
  });
});

describe('expiry reminders follow each tenant’s own reminder days', () => {
  it('queues reminders at the tenant’s days; a settings row saved before reminder days existed keeps the default 30 and 7', async () => {
    now = Date.parse('2026-09-01T02:00:00Z');
    const at = new Date(now);
    owner = await loginAs(app, clinic, 'owner');
    const older = await createTestTenant(database, 'Older settings clinic');
    const olderOwner = await loginAs(app, older, 'owner');

    // This clinic reminds 3 days before; the older one saved its settings before the field existed.
    const settings = await get(owner, '/settings/points');
    expect(settings.reminders).toEqual({ daysBefore: [30, 7] });
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/settings/points',
      headers: owner.writeHeaders,
      payload: { ...settings, reminders: { daysBefore: [3] } },
    });
    expect(put.statusCode).toBe(200);
    const { reminders: _reminders, ...beforeReminders } = pointsSettingsSetting.defaults;
    await database.db.insert(tenantSettings).values({ tenantId: older.id, key: 'points', value: { ...beforeReminders, pendingDays: 3 } });
    const olderSettings = await get(olderOwner, '/settings/points');
    expect(olderSettings).toMatchObject({ pendingDays: 3, reminders: { daysBefore: [30, 7] } });

    // Each has a customer with 80 points expiring in 5 days and 40 in 2 days.
    const customerOf = async (tenant: TestTenant, session: Session) => {
      const customer = (await post(session, '/customers', { name: '提醒', gender: 'female', phone: randomMobile() })).json();
      await database.db.transaction(async (tx) => {
        for (const [days, points] of [
          [5, 80],
          [2, 40],
        ] as const) {
          await earnPoints(tx, {
            tenantId: tenant.id,
            customerId: customer.id,
            idempotencyKey: `reminder-${customer.id}-${days}`,
            now: at,
            sourceType: 'manual',
            reason: { test: true },
            points,
            availableAt: at,
            expiresAt: new Date(now + days * 86_400_000),
          });
        }
      });
      return customer.id as string;
    };
    const customerId = await customerOf(clinic, owner);
    const olderCustomerId = await customerOf(older, olderOwner);

    const reminders = async (tenantId: string, id: string) =>
      (
        await database.db
          .select({ payload: outbox.payload })
          .from(outbox)
          .where(and(eq(outbox.tenantId, tenantId), eq(outbox.customerId, id), eq(outbox.topic, 'points.expiring')))
      )
        .map((row) => row.payload as { daysBefore: number; points: number; expiresOn: string })
        .map((payload) => [payload.daysBefore, payload.expiresOn, payload.points])
        .sort();
    const sweep = () => database.db.transaction((tx) => queueExpiryReminders(tx, at));
    await sweep();
    // 3 days ahead: only the lot expiring in 2 days. 7 and 30 days ahead: both lots, each expiry day once.
    expect(await reminders(clinic.id, customerId)).toEqual([[3, '2026-09-03', 40]]);
    expect(await reminders(older.id, olderCustomerId)).toEqual([
      [30, '2026-09-03', 40],
      [30, '2026-09-06', 80],
      [7, '2026-09-03', 40],
      [7, '2026-09-06', 80],
    ]);
    // Idempotent: sweeping again queues nothing new for either clinic.
    await sweep();
    expect(await reminders(clinic.id, customerId)).toHaveLength(1);
    expect(await reminders(older.id, olderCustomerId)).toHaveLength(4);

    // Turning reminders off stops new ones; 10 days ahead picks up the lot in 5 days.
    const off = await app.inject({
      method: 'PUT',
      url: '/api/v1/settings/points',
      headers: owner.writeHeaders,
      payload: { ...settings, reminders: { daysBefore: [] } },
    });
    expect(off.statusCode).toBe(200);
    await database.db.transaction((tx) => queueExpiryReminders(tx, at, clinic.id));
    expect(await reminders(clinic.id, customerId)).toHaveLength(1);
    await app.inject({ method: 'PUT', url: '/api/v1/settings/points', headers: owner.writeHeaders, payload: { ...settings, reminders: { daysBefore: [10] } } });
    await database.db.transaction((tx) => queueExpiryReminders(tx, at, clinic.id));
    expect(await reminders(clinic.id, customerId)).toEqual([
      [10, '2026-09-03', 40],
      [10, '2026-09-06', 80],
      [3, '2026-09-03', 40],
    ]);
  });
});
