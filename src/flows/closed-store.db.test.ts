import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import type { App } from '../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type TestTenant } from '../testing/database.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let api: ReturnType<typeof apiAs>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database);
  api = apiAs(app, await loginAs(app, clinic, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('a closed store', () => {
  it('keeps its history but takes no new order, arrival or appointment, each refused with 422 and nothing written', async () => {
    const [open, closing] = clinic.storeIds as [string, string];
    const customer = (await api.post('/customers', { name: '停业门店客户', gender: 'female', phone: randomMobile() })).json();
    const item = (await api.post('/items', { kind: 'service', name: '停业测试项目', priceFen: 10_000 })).json();
    const order = { customerId: customer.id, lines: [{ itemId: item.id, quantity: 1 }], payments: [{ method: 'wechat', amountFen: 10_000 }] };
    expect((await api.post('/orders', { ...order, storeId: closing })).statusCode).toBe(201);
    expect((await api.post(`/stores/${closing}/close`, {})).statusCode).toBe(200);

    const refused = [
      await api.post('/orders', { ...order, storeId: closing }),
      await api.post('/visits', { storeId: closing, customerId: customer.id }),
      await api.post('/appointments', { storeId: closing, customerId: customer.id, startsAt: new Date(Date.now() + 86_400_000).toISOString() }),
    ];
    for (const response of refused) {
      expect(response.statusCode).toBe(422);
      expect(response.json().error.code).toBe('STORE_CLOSED');
      expect(response.json().error.details).toEqual([{ path: 'body.storeId', message: '门店已停业' }]);
    }
    const orders = (await api.get(`/orders?customerId=${customer.id}`)).json();
    expect(orders.total).toBe(1);
    // The open store goes on as before.
    expect((await api.post('/orders', { ...order, storeId: open })).statusCode).toBe(201);
  });
});
