import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../../testing/database.js';

/**
 * Races: N identical requests at once, each with its own idempotency key. On PostgreSQL they
 * really run concurrently (PGlite has one connection and serialises them); exactly the
 * allowed number may succeed and the balances must match.
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

const setup = async () => {
  const customer = (await post('/customers', { name: '并发客户', gender: 'female', phone: randomMobile() })).json();
  const service = (await post('/items', { kind: 'service', name: `热玛吉${crypto.randomUUID().slice(0, 4)}`, priceFen: 1_000_000 })).json();
  const course = (
    await post('/items', {
      kind: 'package',
      name: `热玛吉两次${crypto.randomUUID().slice(0, 4)}`,
      priceFen: 1_800_000,
      contents: [{ itemId: service.id, sessions: 2 }],
    })
  ).json();
  return { customer, service, course };
};

describe('races on PostgreSQL', () => {
  it('eight concurrent deductions of a two-session course: exactly two succeed', async () => {
    const { customer, course } = await setup();
    await post('/orders', {
      storeId: clinic.storeIds[0],
      customerId: customer.id,
      lines: [{ itemId: course.id, quantity: 1 }],
      payments: [{ method: 'cash', amountFen: 1_800_000 }],
    });
    const courseItemId = (await get(`/customers/${customer.id}/courses`)).items[0].items[0].id;
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        post(`/course-items/${courseItemId}/deductions`, { storeId: clinic.storeIds[0], executorId: clinic.staff.doctor_nurse.id }),
      ),
    );
    const statuses = results.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([201, 201, 422, 422, 422, 422, 422, 422]);
    const after = (await get(`/customers/${customer.id}/courses`)).items[0].items[0];
    expect([after.usedSessions, after.remainingSessions]).toEqual([2, 0]);
  });

  it('six concurrent payments of the whole arrears: exactly one succeeds and nothing is overpaid', async () => {
    const { customer, service } = await setup();
    const order = (
      await post('/orders', { storeId: clinic.storeIds[0], customerId: customer.id, lines: [{ itemId: service.id, quantity: 1 }], payments: [] })
    ).json();
    expect(order.arrearsFen).toBe(1_000_000);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post(`/orders/${order.id}/payments`, { payments: [{ method: 'wechat', amountFen: 1_000_000 }] })),
    );
    expect(results.filter((response) => response.statusCode === 200)).toHaveLength(1);
    const after = await get(`/orders/${order.id}`);
    expect([after.paidFen, after.arrearsFen]).toEqual([1_000_000, 0]);
  });

  it('five concurrent checkouts of one queued order: one places it, the rest get 409', async () => {
    const { customer, service } = await setup();
    const order = (await post('/orders', { storeId: clinic.storeIds[0], customerId: customer.id, lines: [{ itemId: service.id, quantity: 1 }] })).json();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => post(`/orders/${order.id}/checkout`, { payments: [{ method: 'cash', amountFen: 1_000_000 }] })),
    );
    expect(results.map((response) => response.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    const after = await get(`/orders/${order.id}`);
    expect(after.payments).toHaveLength(1);
    expect(after.paidFen).toBe(1_000_000);
  });

  it('concurrent reversals of one payment: reversed exactly once', async () => {
    const { customer, service } = await setup();
    const order = (
      await post('/orders', {
        storeId: clinic.storeIds[0],
        customerId: customer.id,
        lines: [{ itemId: service.id, quantity: 1 }],
        payments: [{ method: 'cash', amountFen: 500_000 }],
      })
    ).json();
    const results = await Promise.all(Array.from({ length: 4 }, () => post(`/payments/${order.payments[0].id}/reversal`, { reasonCode: 'duplicate' })));
    expect(results.map((response) => response.statusCode).sort()).toEqual([200, 409, 409, 409]);
    expect((await get(`/orders/${order.id}`)).paidFen).toBe(0);
  });

  it('concurrent orders on one day get distinct numbers', async () => {
    const { customer, service } = await setup();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => post('/orders', { storeId: clinic.storeIds[0], customerId: customer.id, lines: [{ itemId: service.id, quantity: 1 }] })),
    );
    const numbers = results.map((response) => response.json().number);
    expect(new Set(numbers).size).toBe(6);
  });

  it('eight checkouts for eight customers at once: each gets its own readable number of the day', async () => {
    const { service } = await setup();
    const buyers = await Promise.all(
      Array.from({ length: 8 }, async (_, index) => (await post('/customers', { name: `并发客户${index}`, gender: 'female', phone: randomMobile() })).json()),
    );
    const results = await Promise.all(
      buyers.map((buyer) =>
        post('/orders', {
          storeId: clinic.storeIds[0],
          customerId: buyer.id,
          lines: [{ itemId: service.id, quantity: 1 }],
          payments: [{ method: 'wechat', amountFen: 1_000_000 }],
        }),
      ),
    );
    expect(results.map((response) => response.statusCode)).toEqual(Array.from({ length: 8 }, () => 201));
    const numbers = results.map((response) => response.json().number as string);
    expect(new Set(numbers).size).toBe(8);
    for (const number of numbers) expect(number).toMatch(/^\d{8}-\d{4}$/);
  });
});
