import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import type { App } from '../platform/http.js';
import { solarToLunar } from '../platform/lunar.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, movableClock, openTestDatabase, randomMobile, type TestTenant } from '../testing/database.js';

/**
 * The today screen (issue: the front desk's day): each figure counts what its list shows, for
 * the store asked and the role asking; a consultant counts her own customers.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
// 2026-12-07 10:00 in Shanghai.
const clock = movableClock('2026-12-07T02:00:00Z');

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, 'Today clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('today at the desk', () => {
  it('counts appointments, takings by method, unpaid orders and the customers to reach, each matching its list', async () => {
    const [storeA = '', storeB = ''] = clinic.storeIds;
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    const item = (await owner.post('/items', { kind: 'service', name: '小气泡清洁', priceFen: 20_000 })).json() as Json;
    const newCustomer = async (name: string, extra: object = {}) => {
      const response = await desk.post('/customers', { name, gender: 'female', phone: randomMobile(), ...extra });
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as Json;
    };

    // Birthdays: the 9th (solar, in the week), the lunar day the 12th is (in the week), the 20th (not).
    const solar = await newCustomer('生日近', { birthday: { calendar: 'solar', date: '1990-12-09' } });
    const lunarDay = solarToLunar('2026-12-12');
    await newCustomer('农历生日', { birthday: { calendar: 'lunar', year: 1988, month: lunarDay.month, day: lunarDay.day, isLeapMonth: false } });
    await newCustomer('生日远', { birthday: { calendar: 'solar', date: '1991-12-20' } });

    // Points: one lot expiring in 10 days (counted), one in 90 (not).
    await owner.post(`/customers/${solar.id}/points/adjustments`, { points: 300, reason: '开业赠送', expiresInDays: 10 });
    const later = await newCustomer('积分晚过期');
    await owner.post(`/customers/${later.id}/points/adjustments`, { points: 300, reason: '开业赠送', expiresInDays: 90 });

    // Vouchers: valid 20 days (counted).
    const template = await owner.post('/voucher-templates', {
      name: '清洁代金券',
      kind: 'cash_off',
      faceValueFen: 5_000,
      thresholdFen: 0,
      scope: { itemIds: [item.id], categoryIds: [] },
      channels: ['store'],
      validity: { kind: 'relative', days: 20 },
      totalStock: null,
      perCustomerLimit: 3,
      isStackable: true,
    });
    expect(template.statusCode, template.body).toBe(201);
    const holder = await newCustomer('有券');
    expect((await owner.post(`/customers/${holder.id}/vouchers`, { templateId: template.json().id })).statusCode).toBe(201);

    // Appointments: two today at store A, one arrives; one at store B.
    const book = (customerId: string, storeId: string, time: string) =>
      desk.post('/appointments', { customerId, storeId, startsAt: `2026-12-07T${time}:00+08:00`, durationMinutes: 60, itemIds: [item.id] });
    const first = (await book(solar.id, storeA, '14:00')).json() as Json;
    expect((await book(holder.id, storeA, '15:00')).statusCode).toBe(201);
    expect((await book(later.id, storeB, '15:00')).statusCode).toBe(201);
    expect((await desk.post(`/appointments/${first.id}/arrive`, {})).statusCode).toBeLessThan(300);

    // Takings: ¥150 WeChat + ¥50 cash on one order; an open order of ¥200 waits.
    const paid = await desk.post('/orders', {
      storeId: storeA,
      customerId: holder.id,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [
        { method: 'wechat', amountFen: 15_000 },
        { method: 'cash', amountFen: 5_000 },
      ],
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const open = await desk.post('/orders', { storeId: storeA, customerId: later.id, lines: [{ itemId: item.id, quantity: 1 }] });
    expect(open.statusCode, open.body).toBe(201);

    const today = (await desk.get(`/today?storeId=${storeA}`)).json() as Json;
    expect(today.businessDate).toBe('2026-12-07');
    expect(today.door).toEqual({ toCome: 1, arrived: 1, noShow: 0, visits: 1 });
    expect(today.desk).toMatchObject({ moneyFen: 20_000, nonCashFen: 0, openOrders: 1, openOrdersFen: 20_000 });
    expect(Object.fromEntries(today.desk.byMethod.map((row: Json) => [row.method, row.netFen]))).toEqual({ cash: 5_000, wechat: 15_000 });
    expect(today.customers).toMatchObject({ isMine: false, birthdays: 2, pointsExpiring: 1, vouchersExpiring: 1 });

    // Each figure is its list's total.
    const total = async (query: string) => ((await desk.get(`/customers?${query}`)).json() as Json).total;
    expect(await total('upcoming=birthday')).toBe(2);
    expect(await total('upcoming=points_expiring')).toBe(1);
    expect(await total('upcoming=vouchers_expiring')).toBe(1);
    expect(((await desk.get('/customers?upcoming=birthday')).json() as Json).items.map((row: Json) => row.name).sort()).toEqual(['农历生日', '生日近']);

    // Store B's day is its own.
    const other = (await desk.get(`/today?storeId=${storeB}`)).json() as Json;
    expect(other.door).toMatchObject({ toCome: 1, arrived: 0 });
    expect(other.desk).toMatchObject({ moneyFen: 0, openOrders: 0 });
  });

  it('shows a consultant her own customers, and a role only the sections it may see', async () => {
    const [storeA = ''] = clinic.storeIds;
    const consultant = apiAs(app, await loginAs(app, clinic, 'consultant'));
    const desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    const hers = await desk.post('/customers', {
      name: '顾问的客户',
      gender: 'female',
      phone: randomMobile(),
      consultantId: clinic.staff.consultant.id,
      birthday: { calendar: 'solar', date: '1992-12-08' },
    });
    expect(hers.statusCode, hers.body).toBe(201);
    const view = (await consultant.get(`/today?storeId=${storeA}`)).json() as Json;
    expect(view.customers).toMatchObject({ isMine: true, birthdays: 1 });
    const nurse = apiAs(app, await loginAs(app, clinic, 'doctor_nurse'));
    const nurseView = (await nurse.get(`/today?storeId=${storeA}`)).json() as Json;
    expect(nurseView.customers).not.toBeNull();
    expect(nurseView.desk).not.toBeNull();
  });

  it("answers 404 for another clinic's store, 400 for a bad id", async () => {
    const other = await createTestTenant(database, 'Other clinic');
    const desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    expect((await desk.get(`/today?storeId=${other.storeIds[0]}`)).statusCode).toBe(404);
    expect((await desk.get('/today?storeId=nope')).statusCode).toBe(400);
  });
});
