import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../../testing/database.js';
import { verifyStoredValueLedgers } from './verify.js';

/**
 * Races on stored value: N spends at once, each with its own idempotency key. On PostgreSQL they
 * really run concurrently (PGlite has one connection and serialises them); exactly the number
 * the balance covers may succeed, and the books must balance afterwards.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
let desk: Session;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database);
  desk = await loginAs(app, clinic, 'owner');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const post = (url: string, payload: object) =>
  app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { ...desk.writeHeaders, 'idempotency-key': `race-${crypto.randomUUID()}` }, payload });
const get = async (url: string) => (await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: desk.headers })).json();

describe('stored-value races', () => {
  it('30 concurrent spends against a balance that covers 10: exactly 10 succeed, nothing goes negative', async () => {
    const customer = (await post('/customers', { name: '并发储值', gender: 'female', phone: randomMobile() })).json();
    const product = (await post('/card-products', { kind: 'stored_value', name: '储值一千', priceFen: 90_000, bonusFen: 10_000 })).json();
    const service = (await post('/items', { kind: 'service', name: '洁面', priceFen: 10_000 })).json();
    const topUp = await post(`/customers/${customer.id}/stored-value/top-ups`, {
      storeId: clinic.storeIds[0],
      cardProductId: product.id,
      payments: [{ method: 'cash', amountFen: 90_000 }],
    });
    expect(topUp.statusCode).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        post('/orders', {
          storeId: clinic.storeIds[0],
          customerId: customer.id,
          lines: [{ itemId: service.id, quantity: 1 }],
          payments: [{ method: 'stored_value', amountFen: 10_000 }],
        }),
      ),
    );
    const statuses = results.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status !== 201).every((status) => status === 409)).toBe(true);
    const overview = await get(`/customers/${customer.id}/stored-value`);
    expect([overview.principalFen, overview.bonusFen]).toEqual([0, 0]);
    expect(overview.entries.filter((entry: { type: string }) => entry.type === 'spend')).toHaveLength(10);
    expect(await verifyStoredValueLedgers(database.db, clinic.id)).toEqual([]);
  });
});
