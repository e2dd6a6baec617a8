import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import type { App } from '../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, scopedStaffApi, type TestTenant } from '../testing/database.js';

/**
 * The receipt's content (issue: the front desk's day): what a printed receipt tells the customer
 * — the voucher used, points earned and spent with the balance after, stored value spent with the
 * balance after, the cashier — and the store wall for staff of another store.
 */
let database: Database;
let app: App;
let clinic: TestTenant;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database, 'Receipt clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('a receipt', () => {
  it('names the voucher used, the points and stored value with their balances after, and the cashier', async () => {
    const [storeA = '', storeB = ''] = clinic.storeIds;
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    const settings = await owner.put('/settings/stored-value', {
      isSellingEnabled: true,
      spendingPolicy: 'principal_first',
      maxPrincipalFen: 500_000,
      policyText: '本金可退，赠送不退。',
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const item = (await owner.post('/items', { kind: 'service', name: '光子嫩肤', priceFen: 30_000 })).json() as Json;
    const product = (
      await owner.post('/card-products', { kind: 'stored_value', name: '千元储值卡', priceFen: 100_000, bonusFen: 0, terms: '本卡仅限本店使用' })
    ).json() as Json;
    const customer = (await desk.post('/customers', { name: '小票客户', gender: 'female', phone: randomMobile() })).json() as Json;
    const topUp = await desk.post(`/customers/${customer.id}/stored-value/top-ups`, {
      storeId: storeA,
      cardProductId: product.id,
      payments: [{ method: 'wechat', amountFen: 100_000 }],
    });
    expect(topUp.statusCode, topUp.body).toBe(201);
    const adjusted = await owner.post(`/customers/${customer.id}/points/adjustments`, { points: 2_000, reason: '老客回馈' });
    expect(adjusted.statusCode, adjusted.body).toBe(201);
    const template = await owner.post('/voucher-templates', {
      name: '嫩肤代金券',
      kind: 'cash_off',
      faceValueFen: 5_000,
      thresholdFen: 0,
      scope: { itemIds: [item.id], categoryIds: [] },
      channels: ['store'],
      validity: { kind: 'relative', days: 30 },
      totalStock: null,
      perCustomerLimit: 3,
      isStackable: true,
    });
    expect(template.statusCode, template.body).toBe(201);
    const voucher = ((await owner.post(`/customers/${customer.id}/vouchers`, { templateId: template.json().id })).json() as Json).items[0];

    // 2 000 adjusted and what the top-up's payment earned.
    const pointsBefore = ((await desk.get(`/customers/${customer.id}/points`)).json() as Json).balance as number;
    const order = await desk.post('/orders', {
      storeId: storeA,
      customerId: customer.id,
      lines: [{ itemId: item.id, quantity: 1 }],
      voucherIds: [voucher.id],
      payments: [
        { method: 'points', amountFen: 1_000 },
        { method: 'stored_value', amountFen: 10_000 },
        { method: 'wechat', amountFen: 14_000 },
      ],
    });
    expect(order.statusCode, order.body).toBe(201);
    const orderId = order.json().id as string;

    const response = await desk.get(`/orders/${orderId}/receipt-view`);
    expect(response.statusCode, response.body).toBe(200);
    const receipt = response.json() as Json;
    expect(receipt.vouchers).toEqual([{ title: voucher.snapshot.title, amountFen: 5_000 }]);
    expect(voucher.snapshot.title).toContain('50');
    expect(receipt.points.spent).toBe(1_000);
    expect(receipt.points.earned).toBeGreaterThan(0);
    expect(receipt.points.balanceAfter).toBe(pointsBefore - 1_000 + receipt.points.earned);
    expect(receipt.points.balanceAfter).toBe(((await desk.get(`/customers/${customer.id}/points`)).json() as Json).balance);
    expect(receipt.storedValue).toEqual({ spentFen: 10_000, balanceAfterFen: 90_000 });
    expect(receipt.cashierNames).toEqual(['front_desk 员工']);
    expect(receipt.customer.maskedPhone).toBe(`${customer.phone.slice(0, 3)}****${customer.phone.slice(-4)}`);
    expect(JSON.stringify(receipt)).not.toContain(customer.phone);
    expect(receipt.store.name).toBe('一号店');

    // A manager of store B does not find store A's order.
    const manager = await scopedStaffApi(app, clinic, 'store_manager', [storeB], 'manager-b');
    expect((await manager.get(`/orders/${orderId}/receipt-view`)).statusCode).toBe(404);
  });

  it('leaves points and stored value out of an order that moved neither', async () => {
    const desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const item = (await owner.post('/items', { kind: 'goods', name: '面膜', priceFen: 0 })).json() as Json;
    const customer = (await desk.post('/customers', { name: '零元客户', gender: 'female', phone: randomMobile() })).json() as Json;
    const order = await desk.post('/orders', { storeId: clinic.storeIds[0], customerId: customer.id, lines: [{ itemId: item.id, quantity: 1 }], payments: [] });
    expect(order.statusCode, order.body).toBe(201);
    const receipt = (await desk.get(`/orders/${order.json().id}/receipt-view`)).json() as Json;
    expect(receipt).toMatchObject({ vouchers: [], points: null, storedValue: null });
  });
});
