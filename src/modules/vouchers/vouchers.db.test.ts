import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, movableClock, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { issueToMany } from './issue.js';
import { verifyVoucherLedgers } from './verify.js';

/**
 * Vouchers from template to wallet to checkout: titles, idempotent issuance within stock and
 * limits, use through pricing, restore on void and refund (only while valid), and 核销 codes.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
let owner: ReturnType<typeof apiAs>;
let otherOwner: ReturnType<typeof apiAs>;
const clock = movableClock('2026-12-02T03:00:00Z');
let serviceId: string;
let itemVoucherItemId: string;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database);
  other = await createTestTenant(database, 'Other clinic');
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
  otherOwner = apiAs(app, await loginAs(app, other, 'owner'));
  serviceId = (await owner.post('/items', { kind: 'service', name: '水光注射', priceFen: 68_000 })).json().id;
  itemVoucherItemId = (await owner.post('/items', { kind: 'service', name: '小气泡清洁', priceFen: 29_800 })).json().id;
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const newCustomer = async (name = '券包客户') => (await owner.post('/customers', { name, gender: 'female', phone: randomMobile() })).json().id as string;

const template = async (overrides: Record<string, unknown> = {}) => {
  const response = await owner.post('/voucher-templates', {
    name: '水光针代金券',
    kind: 'cash_off',
    faceValueFen: 10_000,
    thresholdFen: 50_000,
    scope: { itemIds: [serviceId], categoryIds: [] },
    channels: ['store'],
    validity: { kind: 'relative', days: 30 },
    totalStock: null,
    perCustomerLimit: 3,
    isStackable: true,
    ...overrides,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; title: string; issuedCount: number; stockLeft: number | null };
};

const issue = (customerId: string, templateId: string, key?: string, quantity?: number) =>
  owner.post(`/customers/${customerId}/vouchers`, { templateId, ...(quantity ? { quantity } : {}) }, key);

const wallet = async (customerId: string) =>
  (await owner.get(`/customers/${customerId}/vouchers`)).json().items as { id: string; status: string; code: string }[];

const checkout = (customerId: string, voucherIds: string[], payFen: number, key?: string) =>
  owner.post(
    '/orders',
    {
      storeId: clinic.storeIds[0],
      customerId,
      lines: [{ itemId: serviceId, quantity: 1 }],
      voucherIds,
      payments: payFen > 0 ? [{ method: 'wechat', amountFen: payFen }] : [],
    },
    key,
  );

describe('voucher templates', () => {
  it('show value, scope and validity in the customer-facing title (seed 003: never a bare ¥100)', async () => {
    const created = await template();
    expect(created.title).toBe('¥100 水光针代金券（满¥500可用） · 限水光注射 · 领取后 30 天内有效');
    expect(created.stockLeft).toBeNull();
  });

  it('refuses bad input with field paths, and scopes naming another clinic’s items', async () => {
    const missing = await owner.post('/voucher-templates', {
      name: '无面值',
      kind: 'cash_off',
      scope: { itemIds: [], categoryIds: [] },
      channels: ['store'],
      validity: { kind: 'fixed', from: '2026-12-10', to: '2026-12-01' },
      totalStock: 10,
      perCustomerLimit: 1,
      isStackable: true,
    });
    expect(missing.statusCode).toBe(400);
    const paths = missing.json().error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['body.faceValueFen', 'body.validity.to']));
    const foreignItem = (await otherOwner.post('/items', { kind: 'service', name: '别家项目', priceFen: 100 })).json().id;
    const foreign = await owner.post('/voucher-templates', {
      name: '越界券',
      kind: 'item',
      scope: { itemIds: [foreignItem], categoryIds: [] },
      channels: ['store'],
      validity: { kind: 'relative', days: 7 },
      totalStock: null,
      perCustomerLimit: 1,
      isStackable: false,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.details).toEqual([{ path: 'body.scope.itemIds.0', message: '品项不存在' }]);
  });

  it('keeps vouchers already issued as they were when the template is edited', async () => {
    const created = await template({ name: '改价券' });
    const customerId = await newCustomer();
    await issue(customerId, created.id);
    const patched = await owner.patch(`/voucher-templates/${created.id}`, { faceValueFen: 20_000 });
    expect(patched.json().title).toContain('¥200');
    const [held] = (await owner.get(`/customers/${customerId}/vouchers`)).json().items;
    expect(held.snapshot.faceValueFen).toBe(10_000);
    expect(held.snapshot.title).toBe('¥100 改价券（满¥500可用） · 限水光注射 · 有效期至 2026-12-31');
    const below = await owner.patch(`/voucher-templates/${created.id}`, { totalStock: 0 });
    expect(below.statusCode).toBe(400);
  });
});

describe('issuing', () => {
  it('is idempotent by key, and keeps the per-customer limit and the stock', async () => {
    const created = await template({ name: '限量券', totalStock: 3, perCustomerLimit: 2 });
    const first = await newCustomer();
    const second = await newCustomer();
    const once = await issue(first, created.id, 'issue-limit-1');
    const again = await issue(first, created.id, 'issue-limit-1');
    expect(once.statusCode).toBe(201);
    expect(again.json()).toEqual(once.json());
    expect(await wallet(first)).toHaveLength(1);
    expect((await issue(first, created.id)).statusCode).toBe(201);
    const overLimit = await issue(first, created.id);
    expect([overLimit.statusCode, overLimit.json().error.code]).toEqual([422, 'VOUCHER_OVER_LIMIT']);
    expect((await issue(second, created.id)).statusCode).toBe(201);
    const soldOut = await issue(second, created.id);
    expect([soldOut.statusCode, soldOut.json().error.code]).toEqual([409, 'VOUCHER_OUT_OF_STOCK']);
    const after = (await owner.get(`/voucher-templates/${created.id}`)).json();
    expect([after.issuedCount, after.stockLeft]).toEqual([3, 0]);
  });

  it('a batch run again under the same key issues nothing twice, and reports who was passed over', async () => {
    const created = await template({ name: '批量券', totalStock: 4, perCustomerLimit: 1 });
    const customers = [await newCustomer(), await newCustomer(), await newCustomer()];
    const ctx = makeCtx(systemActor(clinic.id), clock.now(), 'Asia/Shanghai');
    const run = () =>
      database.db.transaction((tx) =>
        issueToMany(tx, ctx, { templateId: created.id, customerIds: [...customers, crypto.randomUUID()], keyPrefix: 'dist:test', source: 'batch' }),
      );
    const first = await run();
    expect(first).toMatchObject({ issued: 3, replayed: 0, skipped: { not_found: 1, out_of_stock: 0 } });
    const second = await run();
    expect(second).toMatchObject({ issued: 0, replayed: 3 });
    for (const customerId of customers) expect(await wallet(customerId)).toHaveLength(1);
    expect((await owner.get(`/voucher-templates/${created.id}`)).json().issuedCount).toBe(3);
  });
});

describe('at checkout', () => {
  it('takes ¥100 off through pricing, is used once, and refuses a second use', async () => {
    const created = await template({ name: '结账券' });
    const customerId = await newCustomer();
    const [voucher] = (await issue(customerId, created.id)).json().items;
    const quote = await owner.post('/orders/quote', { customerId, lines: [{ itemId: serviceId, quantity: 1 }], voucherIds: [voucher.id] });
    expect(quote.json().totals.voucherFen).toBe(10_000);
    expect(quote.json().orderTotalFen).toBe(58_000);
    const order = await checkout(customerId, [voucher.id], 58_000);
    expect(order.statusCode, order.body).toBe(201);
    expect(order.json().totalFen).toBe(58_000);
    const [used] = (await owner.get(`/customers/${customerId}/vouchers`)).json().items;
    expect(used).toMatchObject({ status: 'used', usedOrderId: order.json().id, usedAmountFen: 10_000 });
    const twice = await checkout(customerId, [voucher.id], 58_000);
    expect([twice.statusCode, twice.json().error.code]).toEqual([422, 'VOUCHER_USED']);
  });

  it('refuses a chosen voucher that does not apply, with the reason, and writes nothing', async () => {
    const created = await template({ name: '门槛券', thresholdFen: 100_000 });
    const customerId = await newCustomer();
    const [voucher] = (await issue(customerId, created.id)).json().items;
    const refused = await checkout(customerId, [voucher.id], 68_000);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'VOUCHER_NOT_APPLICABLE', details: [{ path: 'body.voucherIds.0' }] });
    expect(refused.json().error.message).toContain('满 ¥1,000.00');
    expect((await owner.get(`/orders?customerId=${customerId}`)).json().items).toHaveLength(0);
    expect((await wallet(customerId))[0]?.status).toBe('available');
    const stranger = await newCustomer();
    const notHers = await checkout(stranger, [voucher.id], 68_000);
    expect([notHers.statusCode, notHers.json().error.code]).toEqual([422, 'VOUCHER_NOT_FOUND']);
  });

  it('comes back when the open order is voided, and when its line is refunded while still valid — not once expired', async () => {
    const created = await template({ name: '退款券', validity: { kind: 'relative', days: 10 } });
    const customerId = await newCustomer();
    const [first, second] = (await issue(customerId, created.id, undefined, 2)).json().items;
    const open = await owner.post('/orders', { storeId: clinic.storeIds[0], customerId, lines: [{ itemId: serviceId, quantity: 1 }], voucherIds: [first.id] });
    expect(open.statusCode, open.body).toBe(201);
    expect((await owner.get(`/vouchers/${first.id}`)).json().voucher.status).toBe('used');
    await owner.post(`/orders/${open.json().id}/void`, { reason: '客户改期' });
    expect((await owner.get(`/vouchers/${first.id}`)).json().voucher.status).toBe('available');

    const paid = (await checkout(customerId, [first.id], 58_000)).json();
    const refund = await owner.post(`/orders/${paid.id}/refunds`, {
      lines: [{ lineId: paid.lines[0].id, quantity: 1 }],
      payouts: [{ method: 'wechat', amountFen: 58_000 }],
      reasonCode: 'customer_request',
    });
    expect(refund.statusCode, refund.body).toBe(200);
    const restored = (await owner.get(`/vouchers/${first.id}`)).json();
    expect(restored.voucher.status).toBe('available');
    expect(restored.events.map((event: { type: string }) => event.type)).toEqual(['issue', 'use', 'restore', 'use', 'restore']);

    const later = (await checkout(customerId, [second.id], 58_000)).json();
    clock.advanceDays(12);
    try {
      // Twelve days on, staff sign in again.
      const desk = apiAs(app, await loginAs(app, clinic, 'owner'));
      await desk.post(`/orders/${later.id}/refunds`, {
        lines: [{ lineId: later.lines[0].id, quantity: 1 }],
        payouts: [{ method: 'wechat', amountFen: 58_000 }],
        reasonCode: 'customer_request',
      });
      const expired = (await desk.get(`/vouchers/${second.id}`)).json();
      expect(expired.voucher.status).toBe('used');
      expect(expired.events.at(-1)).toMatchObject({ type: 'restore_refused', orderId: later.id });
      expect((await desk.get(`/vouchers/${first.id}`)).json().voucher.status).toBe('expired');
    } finally {
      clock.advanceDays(-12);
    }
  });
});

describe('核销 by code', () => {
  it('redeems an item voucher once; the same code again is refused, a replay of the same request is not', async () => {
    const created = await template({
      name: '小气泡体验券',
      kind: 'item',
      faceValueFen: null,
      thresholdFen: 0,
      scope: { itemIds: [itemVoucherItemId], categoryIds: [] },
    });
    const customerId = await newCustomer('核销客户');
    const [voucher] = (await issue(customerId, created.id)).json().items;
    const lookup = await owner.get(`/voucher-codes/${voucher.code}`);
    expect(lookup.json()).toMatchObject({ voucher: { id: voucher.id, status: 'available' }, customer: { id: customerId, name: '核销客户' } });
    const body = { code: voucher.code, storeId: clinic.storeIds[0] };
    const redeemed = await owner.post('/voucher-redemptions', body, 'redeem-once');
    expect(redeemed.statusCode).toBe(201);
    expect(redeemed.json().voucher.status).toBe('used');
    const replay = await owner.post('/voucher-redemptions', body, 'redeem-once');
    expect([replay.statusCode, replay.headers['idempotent-replayed']]).toEqual([201, 'true']);
    const again = await owner.post('/voucher-redemptions', body, 'redeem-twice');
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'VOUCHER_ALREADY_REDEEMED']);
    expect(again.json().error.message).toContain('不能重复使用');
    expect((await otherOwner.get(`/voucher-codes/${voucher.code}`)).statusCode).toBe(404);
    expect((await owner.get(`/vouchers/${voucher.id}`)).json().events.map((event: { type: string }) => event.type)).toEqual(['issue', 'use']);
  });

  it('sends cash-off vouchers to the checkout', async () => {
    const created = await template({ name: '收银用券' });
    const customerId = await newCustomer();
    const [voucher] = (await issue(customerId, created.id)).json().items;
    const refused = await owner.post('/voucher-redemptions', { code: voucher.code, storeId: clinic.storeIds[0] });
    expect([refused.statusCode, refused.json().error.code]).toEqual([422, 'VOUCHER_USE_AT_CHECKOUT']);
  });
});

describe('under concurrency (real on PostgreSQL)', () => {
  it('100 staff issuances to 100 customers for 20 in stock: exactly 20; one customer with a limit of 2 asking 10 times: exactly 2', async () => {
    const created = await template({ name: '抢券', totalStock: 20, perCustomerLimit: 2 });
    const customers = await Promise.all(Array.from({ length: 100 }, (_, index) => newCustomer(`抢券${index}`)));
    const results = await Promise.all(customers.map((customerId) => issue(customerId, created.id)));
    const statuses = results.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(20);
    expect(statuses.filter((status) => status !== 201).every((status) => status === 409)).toBe(true);
    expect((await owner.get(`/voucher-templates/${created.id}`)).json()).toMatchObject({ issuedCount: 20, stockLeft: 0 });

    const limited = await template({ name: '限领', totalStock: null, perCustomerLimit: 2 });
    const one = await newCustomer();
    const mine = await Promise.all(Array.from({ length: 10 }, () => issue(one, limited.id)));
    expect(mine.filter((response) => response.statusCode === 201)).toHaveLength(2);
    expect(await wallet(one)).toHaveLength(2);
    expect((await owner.get(`/voucher-templates/${limited.id}`)).json().issuedCount).toBe(2);
  });

  it('a batch into wallets and the same customers’ own issuances at once: no deadlock, limits kept', async () => {
    const created = await template({ name: '批量并发', totalStock: null, perCustomerLimit: 2 });
    const customers = await Promise.all(Array.from({ length: 30 }, (_, index) => newCustomer(`批量并发${index}`)));
    const ctx = makeCtx(systemActor(clinic.id), clock.now(), 'Asia/Shanghai');
    const batch = () =>
      database.db.transaction((tx) =>
        issueToMany(tx, ctx, { templateId: created.id, customerIds: customers, keyPrefix: `dist:race:${crypto.randomUUID()}`, source: 'batch' }),
      );
    const singles = customers.slice(0, 10).map((customerId) => issue(customerId, created.id));
    const [first] = await Promise.all([batch(), batch()]);
    const responses = await Promise.all(singles);
    expect((first?.issued ?? 0) + (first?.skipped.over_limit ?? 0)).toBe(30);
    expect(responses.every((response) => response.statusCode === 201 || response.statusCode === 422)).toBe(true);
    for (const customerId of customers) expect((await wallet(customerId)).length).toBeLessThanOrEqual(2);
    expect(await verifyVoucherLedgers(database.db, clinic.id)).toEqual([]);
  });

  it('one voucher on 5 orders committed at once: exactly one order uses it', async () => {
    const created = await template({ name: '并发用券' });
    const customerId = await newCustomer();
    const [voucher] = (await issue(customerId, created.id)).json().items;
    const results = await Promise.all(Array.from({ length: 5 }, () => checkout(customerId, [voucher.id], 58_000)));
    expect(results.filter((response) => response.statusCode === 201)).toHaveLength(1);
    expect(results.filter((response) => response.statusCode !== 201).every((response) => response.statusCode === 422)).toBe(true);
    expect((await owner.get(`/orders?customerId=${customerId}`)).json().items).toHaveLength(1);
  });
});

describe('verify-ledgers', () => {
  it('finds the voucher books balanced after everything above, and reports a stock counter that drifted', async () => {
    expect(await verifyVoucherLedgers(database.db, clinic.id)).toEqual([]);
    const created = await template({ name: '漂移券' });
    await issue(await newCustomer(), created.id);
    await database.db.execute(sql`update voucher_templates set issued_count = issued_count + 1 where id = ${created.id}`);
    expect(await verifyVoucherLedgers(database.db, clinic.id)).toEqual([
      expect.objectContaining({ problem: 'voucher_stock', detail: expect.stringContaining('counter 2, issued 1') }),
    ]);
    await database.db.execute(sql`update voucher_templates set issued_count = issued_count - 1 where id = ${created.id}`);
  });
});
