import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { auditLog } from '../../platform/tables.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, movableClock, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';

/**
 * 日结 closes the store's day (issue 11): after the whole-store close, nothing dated that day
 * moves value at that store (checkout, payment, refund, reversal, 划扣: 409 DAY_CLOSED, nothing
 * written) until a manager reopens it with a reason; the close lists what is still open, counts
 * money apart from points and stored value, and keeps the cash the desk counted.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
// 10:00 in Shanghai on 7 December 2026.
const clock = movableClock('2026-12-07T02:00:00Z');

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;
type Api = ReturnType<typeof apiAs>;

let owner: Api;
let manager: Api;
let desk: Api;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, 'Day close clinic');
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
  manager = apiAs(app, await loginAs(app, clinic, 'store_manager'));
  desk = apiAs(app, await loginAs(app, clinic, 'front_desk'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const ok = (response: { statusCode: number; body: string; json: () => unknown }, status = 201): Json => {
  expect(response.statusCode, response.body).toBe(status);
  return response.json() as Json;
};

const newCustomer = async () => ok(await desk.post('/customers', { name: '林女士', gender: 'female', phone: randomMobile() }));

const newItems = async () => {
  const tag = crypto.randomUUID().slice(0, 6);
  const service = ok(await owner.post('/items', { kind: 'service', name: `水光针 ${tag}`, priceFen: 100_000 }));
  const course = ok(
    await owner.post('/items', { kind: 'package', name: `水光三次 ${tag}`, priceFen: 270_000, contents: [{ itemId: service.id, sessions: 3 }] }),
  );
  return { service, course };
};

/** Counts of what a refused write could have left behind, for the clinic. */
const footprint = async () => {
  const [row] = await queryRows<Record<string, number>>(
    database.db,
    sql`select (select count(*)::int from orders where tenant_id = ${clinic.id}) as orders,
               (select count(*)::int from payments where tenant_id = ${clinic.id}) as payments,
               (select count(*)::int from refunds where tenant_id = ${clinic.id}) as refunds,
               (select count(*)::int from deductions where tenant_id = ${clinic.id}) as deductions,
               (select count(*)::int from points_entries where tenant_id = ${clinic.id}) as points,
               (select count(*)::int from audit_log where tenant_id = ${clinic.id}) as audits`,
  );
  return row;
};

const dayOf = async (storeId: string) => ok(await manager.get(`/shift-close?storeId=${storeId}`), 200);

describe('日结 locks the store day', () => {
  it('refuses checkout, payment, refund, reversal, 划扣, 核销 and 作废 dated the closed day with 409, writes nothing, and takes them again after a reopen', async () => {
    const [storeA = '', storeB = ''] = clinic.storeIds;
    const { service, course } = await newItems();
    const customer = await newCustomer();
    // Before the close: a paid order (to refund and reverse), a course (to deduct), an order waiting in the unpaid queue.
    const paid = ok(
      await desk.post('/orders', {
        storeId: storeA,
        customerId: customer.id,
        lines: [{ itemId: service.id, quantity: 2 }],
        payments: [{ method: 'cash', amountFen: 200_000 }],
      }),
    );
    const withCourse = ok(
      await desk.post('/orders', {
        storeId: storeA,
        customerId: customer.id,
        lines: [{ itemId: course.id, quantity: 1 }],
        payments: [{ method: 'wechat', amountFen: 200_000 }],
      }),
    );
    const waiting = ok(await desk.post('/orders', { storeId: storeA, customerId: customer.id, lines: [{ itemId: service.id, quantity: 1 }] }));
    const courseItemId = ok(await desk.get(`/customers/${customer.id}/courses`), 200).items[0].items[0].id;
    // An item voucher in her wallet, to redeem by code at the desk.
    const template = ok(
      await owner.post('/voucher-templates', {
        name: `水光体验券 ${crypto.randomUUID().slice(0, 4)}`,
        kind: 'item',
        faceValueFen: null,
        thresholdFen: 0,
        scope: { itemIds: [service.id], categoryIds: [] },
        channels: ['store'],
        validity: { kind: 'relative', days: 30 },
        totalStock: null,
        perCustomerLimit: 3,
        isStackable: true,
      }),
    );
    const [voucher] = ok(await owner.post(`/customers/${customer.id}/vouchers`, { templateId: template.id })).items;

    const closed = ok(await desk.post('/shift-closes', { storeId: storeA, countedCashFen: 200_000 }));
    expect(closed.closedAt).not.toBeNull();
    const before = await footprint();

    const refusals = [
      await desk.post('/orders', { storeId: storeA, customerId: customer.id, lines: [{ itemId: service.id, quantity: 1 }], payments: [] }),
      await desk.post(`/orders/${waiting.id}/checkout`, { payments: [{ method: 'cash', amountFen: 100_000 }] }),
      await desk.post(`/orders/${withCourse.id}/payments`, { payments: [{ method: 'cash', amountFen: 70_000 }] }),
      await manager.post(`/orders/${paid.id}/refunds`, {
        lines: [{ lineId: paid.lines[0].id, quantity: 1 }],
        payouts: [{ method: 'cash', amountFen: 100_000 }],
        reasonCode: 'wrong_amount',
      }),
      await manager.post(`/payments/${paid.payments[0].id}/reversal`, { reasonCode: 'wrong_amount' }),
      await desk.post(`/course-items/${courseItemId}/deductions`, { storeId: storeA, executorId: clinic.staff.doctor_nurse.id }),
      await owner.post('/voucher-redemptions', { code: voucher.code, storeId: storeA }),
      await desk.post(`/orders/${waiting.id}/void`, { reason: '客人改天再来' }),
    ];
    for (const response of refusals) {
      expect(response.statusCode, response.body).toBe(409);
      expect(response.json().error).toEqual({ code: 'DAY_CLOSED', message: '该门店 12月7日 已日结，如需补录请店长先重新开账' });
    }
    expect(await footprint()).toEqual(before);
    expect(ok(await owner.get(`/vouchers/${voucher.id}`), 200).voucher.status).toBe('available');
    // The closed report's figures stand as they were closed.
    const live = await dayOf(storeA);
    expect([live.netFen, live.salesFen, live.ordersPlaced, live.closedAt]).toEqual([closed.netFen, closed.salesFen, closed.ordersPlaced, closed.closedAt]);
    // The other store's day is its own.
    ok(await desk.post('/orders', { storeId: storeB, customerId: customer.id, lines: [{ itemId: service.id, quantity: 1 }], payments: [] }));

    // 重新开账: the front desk may not; a reason is required; the manager reopens, audited.
    expect((await desk.post('/shift-closes/reopen', { storeId: storeA, reason: '补录' })).statusCode).toBe(403);
    expect((await manager.post('/shift-closes/reopen', { storeId: storeA, reason: ' ' })).statusCode).toBe(400);
    const reopened = ok(await manager.post('/shift-closes/reopen', { storeId: storeA, reason: '漏收一笔现金，补录' }), 200);
    expect(reopened.closedAt).toBeNull();
    const audits = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, clinic.id), eq(auditLog.action, 'shift.reopen')));
    expect(audits).toHaveLength(1);
    expect(audits[0]?.after).toEqual({ reason: '漏收一笔现金，补录' });
    expect(audits[0]?.actorId).toBe(clinic.staff.store_manager.id);
    expect((await manager.post('/shift-closes/reopen', { storeId: storeA, reason: '再来' })).json().error).toMatchObject({ code: 'DAY_NOT_CLOSED' });

    // The day takes writes again; closing again records the new figures.
    ok(await desk.post(`/orders/${waiting.id}/checkout`, { payments: [{ method: 'cash', amountFen: 100_000 }] }), 200);
    ok(await desk.post(`/course-items/${courseItemId}/deductions`, { storeId: storeA, executorId: clinic.staff.doctor_nurse.id }));
    const again = ok(await desk.post('/shift-closes', { storeId: storeA }));
    expect(again.netFen).toBe(closed.netFen + 100_000);
    expect(again.ordersPlaced).toBe(closed.ordersPlaced + 1);
    expect(again.deductions).toBe(closed.deductions + 1);
  });

  it('lists what is still open before the close: unpaid orders, appointments not arrived, cashiers who have not 交班', async () => {
    const clinic2 = await createTestTenant(database, 'Open items clinic');
    const deskB = apiAs(app, await loginAs(app, clinic2, 'front_desk'));
    const ownerB = apiAs(app, await loginAs(app, clinic2, 'owner'));
    const [store = ''] = clinic2.storeIds;
    const service = ok(await ownerB.post('/items', { kind: 'service', name: '洁牙', priceFen: 30_000 }));
    const customer = ok(await deskB.post('/customers', { name: '周先生', gender: 'male', phone: randomMobile() }));
    ok(await deskB.post('/orders', { storeId: store, customerId: customer.id, lines: [{ itemId: service.id, quantity: 1 }] }));
    ok(await deskB.post('/orders', { storeId: store, customerId: customer.id, lines: [{ itemId: service.id, quantity: 2 }] }));
    ok(
      await ownerB.post('/orders', {
        storeId: store,
        customerId: customer.id,
        lines: [{ itemId: service.id, quantity: 1 }],
        payments: [{ method: 'cash', amountFen: 30_000 }],
      }),
    );
    ok(await deskB.post('/appointments', { storeId: store, customerId: customer.id, startsAt: '2026-12-07T15:00:00+08:00' }));
    const day = ok(await ownerB.get(`/shift-close?storeId=${store}`), 200);
    expect(day.openItems).toEqual({
      unpaidOrders: 2,
      unpaidOrdersFen: 90_000,
      appointmentsNotArrived: 1,
      shiftsNotClosed: [{ cashierId: clinic2.staff.owner.id, name: expect.any(String) }],
    });
    // Her 交班 takes her off the list; a cashier's own totals carry no list.
    ok(await ownerB.post('/shift-closes', { storeId: store, cashierId: clinic2.staff.owner.id }));
    expect(ok(await ownerB.get(`/shift-close?storeId=${store}`), 200).openItems.shiftsNotClosed).toEqual([]);
    expect(ok(await ownerB.get(`/shift-close?storeId=${store}&cashierId=${clinic2.staff.owner.id}`), 200).openItems).toBeUndefined();
  });

  it('counts money apart from points and stored value, and keeps the counted cash with its difference', async () => {
    const clinic3 = await createTestTenant(database, 'Money clinic');
    const ownerC = apiAs(app, await loginAs(app, clinic3, 'owner'));
    const [store = ''] = clinic3.storeIds;
    const service = ok(await ownerC.post('/items', { kind: 'service', name: '光子嫩肤', priceFen: 100_000 }));
    const customer = ok(await ownerC.post('/customers', { name: '陈女士', gender: 'female', phone: randomMobile() }));
    ok(await ownerC.post(`/customers/${customer.id}/points/adjustments`, { points: 5_000, reason: '活动补发' }));
    ok(
      await ownerC.post('/orders', {
        storeId: store,
        customerId: customer.id,
        lines: [{ itemId: service.id, quantity: 1 }],
        payments: [
          { method: 'points', amountFen: 500 },
          { method: 'cash', amountFen: 59_500 },
          { method: 'alipay', amountFen: 40_000 },
        ],
      }),
    );
    const day = ok(await ownerC.get(`/shift-close?storeId=${store}`), 200);
    // 净收款 is money only: ¥595 cash + ¥400 Alipay; ¥5 of points is non-cash settlement.
    expect(day.netFen).toBe(99_500);
    expect(day.paymentsFen).toBe(99_500);
    expect(day.nonCash).toMatchObject({ pointsFen: 500, storedValueFen: 0 });
    expect(day.byMethod.find((row: Json) => row.method === 'points')).toMatchObject({ isMoney: false, netFen: 500 });
    expect(day.byMethod.find((row: Json) => row.method === 'cash')).toMatchObject({ isMoney: true, netFen: 59_500 });
    expect(day.cash).toEqual({ expectedFen: 59_500, countedFen: null, differenceFen: null });
    // The desk counts ¥5 less than expected: 短款 ¥5.
    const closed = ok(await ownerC.post('/shift-closes', { storeId: store, countedCashFen: 59_000 }));
    expect(closed.cash).toEqual({ expectedFen: 59_500, countedFen: 59_000, differenceFen: -500 });
    expect(ok(await ownerC.get(`/shift-close?storeId=${store}`), 200).cash.differenceFen).toBe(-500);
    expect((await ownerC.post('/shift-closes', { storeId: clinic3.storeIds[1], countedCashFen: -1 })).statusCode).toBe(400);
  });

  it('a close and a checkout at once: the order is either in the closed figures or refused, never dated the day and missing', async () => {
    const clinic4 = await createTestTenant(database, 'Race clinic');
    const ownerD = apiAs(app, await loginAs(app, clinic4, 'owner'));
    const [store = ''] = clinic4.storeIds;
    const service = ok(await ownerD.post('/items', { kind: 'service', name: '小气泡', priceFen: 10_000 }));
    const customers = await Promise.all(
      Array.from({ length: 4 }, async () => ok(await ownerD.post('/customers', { name: '赵女士', gender: 'female', phone: randomMobile() }))),
    );
    // The close starts a little later each round, so it lands before, among and after the checkouts' statements.
    const offsets = [0, 5, 10, 20, 30, 45, 60, 90];
    for (const [round, offset] of offsets.entries()) {
      const checkouts = customers.map((customer) =>
        ownerD.post('/orders', {
          storeId: store,
          customerId: customer.id,
          lines: [{ itemId: service.id, quantity: 1 }],
          payments: [{ method: 'cash', amountFen: 10_000 }],
        }),
      );
      const close = new Promise<Awaited<ReturnType<Api['post']>>>((resolve, reject) => {
        setTimeout(() => ownerD.post('/shift-closes', { storeId: store }).then(resolve, reject), offset);
      });
      const [closeResponse, ...checkoutResponses] = await Promise.all([close, ...checkouts]);
      const closed = ok(closeResponse as NonNullable<typeof closeResponse>);
      for (const checkout of checkoutResponses) expect([201, 409], checkout.body).toContain(checkout.statusCode);
      const [placed] = await queryRows<{ count: number; fen: number }>(
        database.db,
        sql`select count(*)::int as count, coalesce(sum(total_fen), 0)::bigint as fen from orders
            where tenant_id = ${clinic4.id} and store_id = ${store} and business_date = '2026-12-07' and status = 'placed'`,
      );
      // The figures recorded at the close (and those it answered with) hold every order dated the day.
      const [recorded] = await queryRows<{ totals: Json }>(
        database.db,
        sql`select totals from shift_closes where tenant_id = ${clinic4.id} and store_id = ${store} and scope = 'all'`,
      );
      expect([recorded?.totals.ordersPlaced, recorded?.totals.netFen]).toEqual([placed?.count, Number(placed?.fen)]);
      expect([closed.ordersPlaced, closed.netFen]).toEqual([placed?.count, Number(placed?.fen)]);
      ok(await ownerD.post('/shift-closes/reopen', { storeId: store, reason: `第 ${round + 1} 轮` }), 200);
    }
  });
});
