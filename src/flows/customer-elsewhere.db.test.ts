import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import type { App } from '../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, scopedStaffApi, type TestTenant } from '../testing/database.js';

/**
 * A store-scoped account on a customer's 360 page: what her scope hides (another store's visits,
 * appointments and orders) is counted per store, never listed, so the page can say why her
 * history looks empty; an account that sees every store gets nothing to explain.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database, 'Elsewhere clinic');
  other = await createTestTenant(database, 'Other clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe("a customer's history in stores the account does not see", () => {
  it('counts her visits, appointments and orders per other store for a scoped desk, and nothing for the owner', async () => {
    const [storeA = '', storeB = ''] = clinic.storeIds;
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const item = (await owner.post('/items', { kind: 'service', name: '水光针', priceFen: 68_000 })).json() as Json;
    const customer = (await owner.post('/customers', { name: '跨店客户', gender: 'female', phone: randomMobile() })).json() as Json;
    expect((await owner.post('/visits', { storeId: storeB, customerId: customer.id })).statusCode).toBe(201);
    const order = await owner.post('/orders', {
      storeId: storeB,
      customerId: customer.id,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'wechat', amountFen: 68_000 }],
    });
    expect(order.statusCode, order.body).toBe(201);
    const desk = await scopedStaffApi(app, clinic, 'front_desk', [storeA], 'desk-a');

    // Her lists look empty to the desk of store A…
    expect(((await desk.get(`/visits?customerId=${customer.id}`)).json() as Json).items).toEqual([]);
    expect(((await desk.get(`/orders?customerId=${customer.id}`)).json() as Json).items).toEqual([]);
    // …and the page can say why.
    const hidden = (await desk.get(`/customers/${customer.id}/elsewhere`)).json() as Json;
    expect(hidden).toEqual({
      isScoped: true,
      visibleStores: ['一号店'],
      stores: [{ storeId: storeB, storeName: '二号店', visits: 1, appointments: 0, orders: 1 }],
    });
    // A visit at her own store is not "elsewhere".
    expect((await desk.post('/visits', { storeId: storeA, customerId: customer.id })).statusCode).toBe(201);
    expect(((await desk.get(`/customers/${customer.id}/elsewhere`)).json() as Json).stores).toEqual(hidden.stores);

    expect((await owner.get(`/customers/${customer.id}/elsewhere`)).json()).toEqual({ isScoped: false, visibleStores: [], stores: [] });
  });

  it("is 404 for another clinic's customer", async () => {
    const stranger = apiAs(app, await loginAs(app, other, 'owner'));
    const theirs = (await stranger.post('/customers', { name: '别家客户', gender: 'female', phone: randomMobile() })).json() as Json;
    const response = await apiAs(app, await loginAs(app, clinic, 'owner')).get(`/customers/${theirs.id}/elsewhere`);
    expect(response.statusCode).toBe(404);
  });
});
