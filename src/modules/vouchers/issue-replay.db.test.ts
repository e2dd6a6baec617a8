import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { issueVoucher } from './issue.js';

/** Issuance claims its key with the request's hash: the same request replays, another one under the key is a 409. */
let database: Database;
let app: App;
let clinic: TestTenant;
let owner: ReturnType<typeof apiAs>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database);
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const newCustomer = async () => (await owner.post('/customers', { name: '幂等客户', gender: 'female', phone: randomMobile() })).json().id as string;

const template = async (name: string) => {
  const response = await owner.post('/voucher-templates', {
    name,
    kind: 'cash_off',
    faceValueFen: 5_000,
    thresholdFen: 0,
    scope: { itemIds: [], categoryIds: [] },
    channels: ['store'],
    validity: { kind: 'relative', days: 30 },
    totalStock: null,
    perCustomerLimit: 5,
    isStackable: true,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
};

const issue = (options: { templateId: string; customerId: string; issueKey: string; quantity?: number }) =>
  database.db.transaction((tx) => issueVoucher(tx, makeCtx(systemActor(clinic.id), new Date(), 'Asia/Shanghai'), { source: 'manual', ...options }));

describe('voucher issuance under a reused key', () => {
  it('replays the same issuance and refuses another template, customer or quantity under the key', async () => {
    const [first, second] = [await template('甲券'), await template('乙券')];
    const [customer, someoneElse] = [await newCustomer(), await newCustomer()];
    const issued = await issue({ templateId: first, customerId: customer, issueKey: 'replay:one', quantity: 2 });
    expect(issued.status).toBe('issued');
    const again = await issue({ templateId: first, customerId: customer, issueKey: 'replay:one', quantity: 2 });
    expect(again.status).toBe('replayed');
    expect(again.status === 'replayed' && again.vouchers.map((voucher) => voucher.id).sort()).toEqual(
      issued.status === 'issued' && issued.vouchers.map((voucher) => voucher.id).sort(),
    );
    for (const other of [
      { templateId: second, customerId: customer, quantity: 2 },
      { templateId: first, customerId: someoneElse, quantity: 2 },
      { templateId: first, customerId: customer, quantity: 1 },
      { templateId: first, customerId: customer, quantity: 3 },
    ]) {
      const refused = await issue({ ...other, issueKey: 'replay:one' }).catch((error: unknown) => error);
      expect(refused, JSON.stringify(other)).toBeInstanceOf(DomainError);
      expect((refused as DomainError).status).toBe(409);
      expect((refused as DomainError).code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    // A single voucher's key refuses a request for two under it.
    await issue({ templateId: first, customerId: customer, issueKey: 'replay:single' });
    const bigger = await issue({ templateId: first, customerId: customer, issueKey: 'replay:single', quantity: 2 }).catch((error: unknown) => error);
    expect((bigger as DomainError).status).toBe(409);
    const wallet = (await owner.get(`/customers/${customer}/vouchers`)).json().items;
    expect(wallet).toHaveLength(3);
  });

  it('over the API: the same Idempotency-Key replays the vouchers, another body under it is a 409 and issues nothing', async () => {
    const [first, second] = [await template('丙券'), await template('丁券')];
    const customer = await newCustomer();
    const key = `issue-${crypto.randomUUID()}`;
    const created = await owner.post(`/customers/${customer}/vouchers`, { templateId: first, quantity: 1 }, key);
    expect(created.statusCode, created.body).toBe(201);
    const replayed = await owner.post(`/customers/${customer}/vouchers`, { templateId: first, quantity: 1 }, key);
    expect(replayed.statusCode).toBe(201);
    expect(replayed.json().items.map((item: { id: string }) => item.id)).toEqual(created.json().items.map((item: { id: string }) => item.id));
    const other = await owner.post(`/customers/${customer}/vouchers`, { templateId: second, quantity: 1 }, key);
    expect(other.statusCode, other.body).toBe(409);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const wallet = (await owner.get(`/customers/${customer}/vouchers`)).json().items;
    expect(wallet.map((item: { templateId: string }) => item.templateId)).toEqual([first]);
  });
});
