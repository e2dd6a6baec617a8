import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import {
  apiAs,
  buildTestApp,
  createTestTenant,
  loginAs,
  movableClock,
  openTestDatabase,
  randomMobile,
  scopedStaffApi,
  type TestTenant,
} from '../../testing/database.js';

/**
 * A clinic whose business day starts at 04:00 (SPEC §1: clinic settings): the evening's last
 * orders after midnight land on the day they were worked, in the order, its payments and the
 * day's 日结 totals; and reports show a store-scoped manager only her stores.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
const clock = movableClock('2026-08-08T02:00:00Z');
/** Moves the clock to a Shanghai wall time. */
const at = (shanghai: string) => clock.set(`${shanghai}+08:00`);

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, 'Late clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const sellAt = async (shanghai: string, storeId: string, amountFen: number) => {
  at(shanghai);
  const desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
  const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
  const item = (await owner.post('/items', { kind: 'goods', name: `夜间面膜 ${amountFen}`, priceFen: amountFen })).json() as Json;
  const customer = (await desk.post('/customers', { name: '晚女士', gender: 'female', phone: randomMobile() })).json() as Json;
  const response = await desk.post('/orders', {
    storeId,
    customerId: customer.id,
    lines: [{ itemId: item.id, quantity: 1, attribution: [{ staffId: clinic.staff.consultant.id, role: 'consultant', ratioPercent: 100 }] }],
    payments: [{ method: 'cash', amountFen }],
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Json;
};

describe('the business day start', () => {
  it('counts 02:00 on the 9th as the 8th once the day starts at 04:00, in orders, payments and the day totals', async () => {
    const [storeA = ''] = clinic.storeIds;
    at('2026-08-08T10:00:00');
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const profile = (await owner.get('/settings/clinic')).json() as Json;
    const changed = await owner.put('/settings/clinic', {
      name: profile.name,
      timezone: profile.timezone,
      contactPhone: null,
      address: null,
      receiptHeader: null,
      receiptFooter: null,
      businessDayStart: '04:00',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await owner.get('/auth/me')).json().tenant.businessDayStart).toBe('04:00');

    const evening = await sellAt('2026-08-08T21:00:00', storeA, 10_000);
    const afterMidnight = await sellAt('2026-08-09T02:30:00', storeA, 2_000);
    const morning = await sellAt('2026-08-09T04:00:00', storeA, 300);
    expect([evening.businessDate, afterMidnight.businessDate, morning.businessDate]).toEqual(['2026-08-08', '2026-08-08', '2026-08-09']);

    const desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    const eighth = (await desk.get(`/shift-close?storeId=${storeA}&businessDate=2026-08-08`)).json() as Json;
    expect(eighth).toMatchObject({ ordersPlaced: 2, salesFen: 12_000, paymentsFen: 12_000 });
    const ninth = (await desk.get(`/shift-close?storeId=${storeA}&businessDate=2026-08-09`)).json() as Json;
    expect(ninth).toMatchObject({ ordersPlaced: 1, salesFen: 300, paymentsFen: 300 });
  });

  it('at midnight by default: a clinic that never set it keeps calendar days', async () => {
    const other = await createTestTenant(database, 'Day clinic');
    at('2026-08-10T00:30:00');
    const owner = apiAs(app, await loginAs(app, other, 'owner'));
    expect((await owner.get('/auth/me')).json().tenant.businessDayStart).toBe('00:00');
    const item = (await owner.post('/items', { kind: 'goods', name: '面膜', priceFen: 500 })).json() as Json;
    const customer = (await owner.post('/customers', { name: '早女士', gender: 'female', phone: randomMobile() })).json() as Json;
    const order = await owner.post('/orders', {
      storeId: other.storeIds[0],
      customerId: customer.id,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'cash', amountFen: 500 }],
    });
    expect(order.json().businessDate).toBe('2026-08-10');
  });
});

describe('reports for a manager of one store', () => {
  it('shows her stores only, and refuses another store by name', async () => {
    const [storeA = '', storeB = ''] = clinic.storeIds;
    await sellAt('2026-08-11T11:00:00', storeB, 7_000);
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const manager = await scopedStaffApi(app, clinic, 'store_manager', [storeA], 'manager-a');

    const ownerView = (await owner.get('/reports/performance?from=2026-08-01&to=2026-08-31')).json() as Json;
    const managerView = (await manager.get('/reports/performance?from=2026-08-01&to=2026-08-31')).json() as Json;
    const sales = (report: Json) => report.items.reduce((sum: number, row: Json) => sum + row.salesFen, 0);
    // The owner sees both stores' sales; the manager only store A's (the orders sold above without store B's ¥70).
    expect(sales(ownerView) - sales(managerView)).toBe(7_000);

    expect((await manager.get(`/reports/performance?from=2026-08-01&to=2026-08-31&storeId=${storeB}`)).statusCode).toBe(403);
    expect((await manager.get(`/reports/reversals?from=2026-08-01&to=2026-08-31&storeId=${storeB}`)).statusCode).toBe(403);
    expect((await manager.get('/reports/reversals?from=2026-08-01&to=2026-08-31')).statusCode).toBe(200);
  });
});
