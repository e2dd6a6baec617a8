import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../../testing/database.js';
import { createCustomer } from '../customers/service.js';
import { restoreStoredValue, spendStoredValue, topUpStoredValue } from './stored-value.js';
import { storedValueAccounts, storedValueTopUps } from './tables.js';
import { verifyStoredValueLedgers } from './verify.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let owner: Session;
let desk: Session;
let counter = 0;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database);
  owner = await loginAs(app, clinic, 'owner');
  desk = await loginAs(app, clinic, 'front_desk');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const key = () => `sv-test-${Date.now()}-${counter++}`;
const post = (session: Session, url: string, payload: object, idempotencyKey: string | null = key()) =>
  app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...session.writeHeaders, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    payload,
  });
const put = (url: string, payload: object) => app.inject({ method: 'PUT', url: `/api/v1${url}`, headers: owner.writeHeaders, payload });
const get = async (url: string) => (await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: owner.headers })).json();

const newCustomer = async () => (await post(desk, '/customers', { name: '储值客户', gender: 'female', phone: randomMobile() }, null)).json().id as string;
const storedValueProduct = async (priceFen = 298_000, bonusFen = 30_000) =>
  (await post(owner, '/card-products', { kind: 'stored_value', name: `储值卡${counter++}`, priceFen, bonusFen, terms: '本卡仅限本店使用' }, null)).json();
const service = async (priceFen: number) => (await post(owner, '/items', { kind: 'service', name: `水光针${counter++}`, priceFen }, null)).json();
const topUp = (customerId: string, productId: string, payments: object[], extra: object = {}, idempotencyKey = key()) =>
  post(desk, `/customers/${customerId}/stored-value/top-ups`, { storeId: clinic.storeIds[0], cardProductId: productId, payments, ...extra }, idempotencyKey);
const balance = async (customerId: string) => {
  const overview = await get(`/customers/${customerId}/stored-value`);
  return { principal: overview.principalFen, bonus: overview.bonusFen };
};
const payWithStoredValue = async (customerId: string, priceFen: number, payments: object[]) => {
  const item = await service(priceFen);
  return post(desk, '/orders', { storeId: clinic.storeIds[0], customerId, lines: [{ itemId: item.id, quantity: 1 }], payments });
};
const resetSettings = () =>
  put('/settings/stored-value', { isSellingEnabled: true, spendingPolicy: 'proportional', maxPrincipalFen: 500_000, policyText: '本金可退，赠送不退。' });

describe('stored value at the desk', () => {
  it('a ¥2 980 top-up with ¥300 bonus keeps principal and bonus apart, stores the contract and shows in the shift close', async () => {
    await resetSettings();
    const customer = await newCustomer();
    const product = await storedValueProduct();
    const response = await topUp(customer, product.id, [{ method: 'wechat', amountFen: 298_000 }]);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.balance).toEqual({ principalFen: 298_000, bonusFen: 30_000, balanceFen: 328_000 });
    expect(body.order.lines[0]).toMatchObject({ kind: 'card', amountFen: 298_000 });
    const overview = await get(`/customers/${customer}/stored-value`);
    expect(overview.topUps[0]).toMatchObject({ principalFen: 298_000, bonusFen: 30_000, refundableFen: 298_000 });
    expect(overview.topUps[0].contract).toMatchObject({
      terms: '本卡仅限本店使用',
      policyText: '本金可退，赠送不退。',
      spendingPolicy: 'proportional',
      bonusFen: 30_000,
      refundFormula: expect.stringContaining('本金'),
    });
    const shift = await get(`/shift-close?storeId=${clinic.storeIds[0]}`);
    expect(shift.byMethod.find((row: { method: string }) => row.method === 'wechat')?.paymentsFen).toBeGreaterThanOrEqual(298_000);
  });

  it('spends proportionally by default, principal first when the tenant says so', async () => {
    await resetSettings();
    const customer = await newCustomer();
    const product = await storedValueProduct();
    await topUp(customer, product.id, [{ method: 'cash', amountFen: 298_000 }]);
    expect((await payWithStoredValue(customer, 100_000, [{ method: 'stored_value', amountFen: 100_000 }])).statusCode).toBe(201);
    expect(await balance(customer)).toEqual({ principal: 298_000 - 90_853, bonus: 30_000 - 9_147 });
    await put('/settings/stored-value', { isSellingEnabled: true, spendingPolicy: 'principal_first', maxPrincipalFen: 500_000, policyText: 'x' });
    await payWithStoredValue(customer, 50_000, [{ method: 'stored_value', amountFen: 50_000 }]);
    expect(await balance(customer)).toEqual({ principal: 298_000 - 90_853 - 50_000, bonus: 30_000 - 9_147 });
    await resetSettings();
  });

  it('refuses to spend more than the balance', async () => {
    const customer = await newCustomer();
    const product = await storedValueProduct(10_000, 0);
    await topUp(customer, product.id, [{ method: 'cash', amountFen: 10_000 }]);
    const response = await payWithStoredValue(customer, 20_000, [{ method: 'stored_value', amountFen: 10_001 }]);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('STORED_VALUE_INSUFFICIENT');
    expect(await balance(customer)).toEqual({ principal: 10_000, bonus: 0 });
  });

  it('refunding a top-up pays back the unused principal only and voids its bonus', async () => {
    await resetSettings();
    const customer = await newCustomer();
    const product = await storedValueProduct();
    const sale = (await topUp(customer, product.id, [{ method: 'cash', amountFen: 298_000 }])).json();
    await payWithStoredValue(customer, 100_000, [{ method: 'stored_value', amountFen: 100_000 }]);
    const [lot] = (await get(`/customers/${customer}/stored-value`)).topUps;
    expect(lot.refundableFen).toBe(298_000 - 90_853);
    const tooMuch = await post(owner, `/stored-value/top-ups/${lot.id}/refund`, {
      payouts: [{ method: 'cash', amountFen: 298_000 }],
      reasonCode: 'customer_request',
    });
    expect(tooMuch.statusCode).toBe(422);
    const refund = await post(owner, `/stored-value/top-ups/${lot.id}/refund`, {
      payouts: [{ method: 'cash', amountFen: 207_147 }],
      reasonCode: 'customer_request',
    });
    expect(refund.statusCode).toBe(200);
    expect(refund.json().balance).toEqual({ principalFen: 0, bonusFen: 0, balanceFen: 0 });
    const overview = await get(`/customers/${customer}/stored-value`);
    expect(overview.entries[0]).toMatchObject({ type: 'refund', principalFen: -207_147, bonusFen: -20_853 });
    expect(overview.topUps[0].refundedAt).not.toBeNull();
    const order = await get(`/orders/${sale.order.id}`);
    expect(order.refundedFen).toBe(207_147);
    const again = await post(owner, `/stored-value/top-ups/${lot.id}/refund`, { payouts: [{ method: 'cash', amountFen: 1 }], reasonCode: 'customer_request' });
    expect(again.statusCode).toBe(422);
    expect(await verifyStoredValueLedgers(database.db, clinic.id)).toEqual([]);
  });

  it('an order paid by stored value refunds it exactly, to principal and bonus as taken', async () => {
    await resetSettings();
    const customer = await newCustomer();
    const product = await storedValueProduct(100_000, 10_000);
    await topUp(customer, product.id, [{ method: 'cash', amountFen: 100_000 }]);
    const before = await balance(customer);
    const item = await service(30_000);
    const order = (
      await post(desk, '/orders', {
        storeId: clinic.storeIds[0],
        customerId: customer,
        lines: [{ itemId: item.id, quantity: 3 }],
        payments: [
          { method: 'stored_value', amountFen: 70_000 },
          { method: 'cash', amountFen: 20_000 },
        ],
      })
    ).json();
    const after = await balance(customer);
    expect(before.principal + before.bonus - after.principal - after.bonus).toBe(70_000);
    // Refund one unit (¥300) back to stored value, then the rest.
    const line = order.lines[0].id;
    const first = await post(owner, `/orders/${order.id}/refunds`, {
      lines: [{ lineId: line, quantity: 1 }],
      payouts: [{ method: 'stored_value', amountFen: 30_000 }],
      reasonCode: 'customer_request',
    });
    expect(first.statusCode).toBe(200);
    const second = await post(owner, `/orders/${order.id}/refunds`, {
      lines: [{ lineId: line, quantity: 2 }],
      payouts: [
        { method: 'stored_value', amountFen: 40_000 },
        { method: 'cash', amountFen: 20_000 },
      ],
      reasonCode: 'customer_request',
    });
    expect(second.statusCode).toBe(200);
    expect(await balance(customer)).toEqual(before);
    const tooMuch = await post(owner, `/orders/${order.id}/refunds`, {
      lines: [{ lineId: line, quantity: 1 }],
      payouts: [{ method: 'stored_value', amountFen: 1 }],
      reasonCode: 'customer_request',
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(await verifyStoredValueLedgers(database.db, clinic.id)).toEqual([]);
  });

  it('a reversed stored-value payment gives back exactly what it took; a top-up payment cannot be reversed', async () => {
    await resetSettings();
    const customer = await newCustomer();
    const product = await storedValueProduct(50_000, 5_000);
    const sale = (await topUp(customer, product.id, [{ method: 'cash', amountFen: 50_000 }])).json();
    const before = await balance(customer);
    const order = (await payWithStoredValue(customer, 33_333, [{ method: 'stored_value', amountFen: 33_333 }])).json();
    const reversal = await post(owner, `/payments/${order.payments[0].id}/reversal`, { reasonCode: 'duplicate' });
    expect(reversal.statusCode).toBe(200);
    expect(await balance(customer)).toEqual(before);
    const topUpReversal = await post(owner, `/payments/${sale.order.payments[0].id}/reversal`, { reasonCode: 'duplicate' });
    expect(topUpReversal.statusCode).toBe(422);
    expect(topUpReversal.json().error.code).toBe('PAYMENT_HAS_TOP_UP');
  });

  it('replays a top-up with the same key and body, and refuses the key for another body', async () => {
    const customer = await newCustomer();
    const product = await storedValueProduct(20_000, 2_000);
    const sameKey = key();
    const first = await topUp(customer, product.id, [{ method: 'cash', amountFen: 20_000 }], {}, sameKey);
    const second = await topUp(customer, product.id, [{ method: 'cash', amountFen: 20_000 }], {}, sameKey);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await balance(customer)).toEqual({ principal: 20_000, bonus: 2_000 });
    const other = await topUp(customer, product.id, [{ method: 'wechat', amountFen: 20_000 }], {}, sameKey);
    expect(other.statusCode).toBe(409);
    expect(await balance(customer)).toEqual({ principal: 20_000, bonus: 2_000 });
  });

  it('the ledger itself: one effect per key, another body under the key is a 409', async () => {
    const customer = (
      await createCustomer(database.db, makeCtx(systemActor(clinic.id), new Date(), 'Asia/Shanghai'), { name: '账本', gender: 'female', phone: randomMobile() })
    ).id;
    const base = { tenantId: clinic.id, customerId: customer, now: new Date(), sourceType: 'manual' as const, reason: {} };
    const options = { ...base, idempotencyKey: `ledger-${customer}-t`, principalFen: 1_000, bonusFen: 100, contract: {} };
    const first = await database.db.transaction((tx) => topUpStoredValue(tx, options));
    const replay = await database.db.transaction((tx) => topUpStoredValue(tx, options));
    expect(replay.isReplay).toBe(true);
    expect(replay.entry.id).toBe(first.entry.id);
    await expect(database.db.transaction((tx) => topUpStoredValue(tx, { ...options, bonusFen: 101 }))).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    const spend = await database.db.transaction((tx) =>
      spendStoredValue(tx, { ...base, idempotencyKey: `ledger-${customer}-s`, amountFen: 550, policy: 'proportional' }),
    );
    expect([spend.entry.principalFen, spend.entry.bonusFen]).toEqual([-500, -50]);
    await database.db.transaction((tx) => restoreStoredValue(tx, { ...base, idempotencyKey: `ledger-${customer}-r1`, entryId: spend.entry.id, amountFen: 11 }));
    await database.db.transaction((tx) => restoreStoredValue(tx, { ...base, idempotencyKey: `ledger-${customer}-r2`, entryId: spend.entry.id }));
    await expect(
      database.db.transaction((tx) => restoreStoredValue(tx, { ...base, idempotencyKey: `ledger-${customer}-r3`, entryId: spend.entry.id })),
    ).rejects.toMatchObject({ code: 'STORED_VALUE_REVERSAL_EXCEEDED' });
    const [account] = await database.db
      .select()
      .from(storedValueAccounts)
      .where(and(eq(storedValueAccounts.tenantId, clinic.id), eq(storedValueAccounts.customerId, customer)));
    expect([account?.principalFen, account?.bonusFen]).toEqual([1_000, 100]);
  });

  it('stops selling when the tenant switch is off, and keeps to the principal limit', async () => {
    const customer = await newCustomer();
    const product = await storedValueProduct(300_000, 0);
    await put('/settings/stored-value', { isSellingEnabled: false, spendingPolicy: 'proportional', maxPrincipalFen: 500_000, policyText: 'x' });
    const stopped = await topUp(customer, product.id, [{ method: 'cash', amountFen: 300_000 }]);
    expect(stopped.statusCode).toBe(422);
    expect(stopped.json().error.code).toBe('STORED_VALUE_SALES_STOPPED');
    await resetSettings();
    expect((await topUp(customer, product.id, [{ method: 'cash', amountFen: 300_000 }])).statusCode).toBe(201);
    const over = await topUp(customer, product.id, [{ method: 'cash', amountFen: 300_000 }]);
    expect(over.statusCode).toBe(422);
    expect(over.json().error.code).toBe('STORED_VALUE_LIMIT');
    const unpaid = await topUp(customer, product.id, [{ method: 'cash', amountFen: 100_000 }], { amountFen: 150_000 });
    expect(unpaid.json().error.code).toBe('TOP_UP_NOT_PAID');
  });

  it('verify-ledgers catches drift in principal, bonus and top-ups', async () => {
    const customer = await newCustomer();
    const product = await storedValueProduct(10_000, 1_000);
    await topUp(customer, product.id, [{ method: 'cash', amountFen: 10_000 }]);
    expect(await verifyStoredValueLedgers(database.db, clinic.id)).toEqual([]);
    await database.db.execute(sql`update ${storedValueAccounts} set bonus_fen = bonus_fen + 1 where tenant_id = ${clinic.id} and customer_id = ${customer}`);
    await database.db.execute(
      sql`update ${storedValueTopUps} set principal_remaining_fen = principal_remaining_fen - 5 where tenant_id = ${clinic.id} and customer_id = ${customer}`,
    );
    const problems = (await verifyStoredValueLedgers(database.db, clinic.id))
      .filter((problem) => problem.customerId === customer)
      .map((problem) => problem.problem);
    expect(problems).toEqual(expect.arrayContaining(['stored_value_vs_entries', 'stored_value_vs_top_ups', 'top_up_vs_movements']));
    // Put it back so the other tests' sweeps stay clean.
    await database.db.execute(sql`update ${storedValueAccounts} set bonus_fen = bonus_fen - 1 where tenant_id = ${clinic.id} and customer_id = ${customer}`);
    await database.db.execute(
      sql`update ${storedValueTopUps} set principal_remaining_fen = principal_remaining_fen + 5 where tenant_id = ${clinic.id} and customer_id = ${customer}`,
    );
  });
});
