import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../../testing/database.js';
import { customers } from '../customers/tables.js';
import { orders } from './tables.js';

/** Acceptance cases of seed 003 and SPEC §3–§5, through the HTTP API, on a clock we move. */
let database: Database;
let app: App;
let now = Date.parse('2026-03-01T02:00:00Z'); // 10:00 in Shanghai
const clock = { now: () => new Date(now) };
/** Moves the clock to a Shanghai wall time; sessions idle past their limit, so staff log in again. */
const at = async (shanghaiDateTime: string) => {
  now = Date.parse(`${shanghaiDateTime}+08:00`);
  desk = await loginAs(app, clinic, 'front_desk');
  owner = await loginAs(app, clinic, 'owner');
};

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;

let clinic: TestTenant;
let desk: Session;
let owner: Session;
let store: string;

const call = async (session: Session, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, key?: string) => {
  const response = await app.inject({
    method,
    url: `/api/v1${url}`,
    headers:
      method === 'GET'
        ? session.headers
        : { ...session.writeHeaders, ...(key !== undefined ? { 'idempotency-key': key } : { 'idempotency-key': `k-${crypto.randomUUID()}` }) },
    payload,
  });
  return { status: response.statusCode, body: response.json() as Json, headers: response.headers };
};
const ok = async (promise: ReturnType<typeof call>, status = [200, 201]) => {
  const response = await promise;
  if (!status.includes(response.status)) throw new Error(`unexpected ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
};

const newCustomer = async (name: string) => ok(call(desk, 'POST', '/customers', { name, gender: 'female', phone: randomMobile() }));
const newItem = async (input: object) => ok(call(owner, 'POST', '/items', input));
const customerRow = async (id: string) => {
  const [row] = await database.db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, clinic.id), eq(customers.id, id)));
  if (!row) throw new Error('customer missing');
  return row;
};
const sell = async (customerId: string, lines: object[], payments: object[] = [{ method: 'wechat', amountFen: 0 }], extra: object = {}) =>
  ok(call(desk, 'POST', '/orders', { storeId: store, customerId, lines, payments: payments.filter((payment) => (payment as Json).amountFen > 0), ...extra }));

let serviceItem: Json;
let hydrationCard: Json;
let goodsItem: Json;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, 'Clinic A');
  desk = await loginAs(app, clinic, 'front_desk');
  owner = await loginAs(app, clinic, 'owner');
  store = clinic.storeIds[0] ?? '';
  serviceItem = await newItem({ kind: 'service', name: '润月雅水光2ml', priceFen: 68_000 });
  const collagen = await newItem({ kind: 'service', name: '胶原蛋白5ml', priceFen: 58_000 });
  hydrationCard = await newItem({
    kind: 'card',
    name: '补水小神卡',
    priceFen: 99_900,
    validityDays: 365,
    contents: [
      { itemId: serviceItem.id, sessions: 1 },
      { itemId: collagen.id, sessions: 1 },
    ],
  });
  goodsItem = await newItem({ kind: 'goods', name: '医用面膜', priceFen: 12_800 });
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('deal rules (成交配置, seed 003)', () => {
  it('clinic A (type 医美, minimum ¥0): Ms Wang’s ¥999 补水小神卡 makes her 首次成交, a second qualifying order 多次成交', async () => {
    await ok(
      call(owner, 'PUT', '/settings/deal-rules', {
        orderTypes: ['医美'],
        minimumFen: 0,
        countedKinds: { service: true, goods: true, drug: true, package: true, card: true },
      }),
    );
    const wang = await newCustomer('王女士');
    const order = await sell(wang.id, [{ itemId: hydrationCard.id, quantity: 1 }], [{ method: 'wechat', amountFen: 99_900 }]);
    expect(order).toMatchObject({ isDeal: true, orderType: '医美', totalFen: 99_900, arrearsFen: 0 });
    expect((await customerRow(wang.id)).dealStatus).toBe('first');
    await sell(wang.id, [{ itemId: goodsItem.id, quantity: 1 }], [{ method: 'cash', amountFen: 12_800 }]);
    expect((await customerRow(wang.id)).dealStatus).toBe('repeat');
  });

  it('clinic B (minimum ¥99): Ms Li’s ¥79 新年福袋 leaves her 未成交, and a later rule change does not rewrite history', async () => {
    await ok(
      call(owner, 'PUT', '/settings/deal-rules', {
        orderTypes: ['医美'],
        minimumFen: 9_900,
        countedKinds: { service: true, goods: true, drug: true, package: true, card: true },
      }),
    );
    const bag = await newItem({ kind: 'package', name: '新年福袋', priceFen: 68_000, contents: [{ itemId: serviceItem.id, sessions: 1 }] });
    const li = await newCustomer('李女士');
    const order = await sell(li.id, [{ itemId: bag.id, quantity: 1, unitPriceFen: 7_900 }], [{ method: 'alipay', amountFen: 7_900 }]);
    expect(order.isDeal).toBe(false);
    expect(order.dealReasons.join()).toContain('未达到最低成交限额');
    expect((await customerRow(li.id)).dealStatus).toBe('none');

    await ok(
      call(owner, 'PUT', '/settings/deal-rules', {
        orderTypes: ['医美'],
        minimumFen: 0,
        countedKinds: { service: true, goods: true, drug: true, package: true, card: true },
      }),
    );
    expect((await ok(call(desk, 'GET', `/orders/${order.id}`))).isDeal).toBe(false);
    expect((await customerRow(li.id)).dealStatus).toBe('none');
  });

  it('counts only the switched-on line kinds and order types', async () => {
    await ok(
      call(owner, 'PUT', '/settings/deal-rules', {
        orderTypes: ['医美'],
        minimumFen: 0,
        countedKinds: { service: true, goods: false, drug: true, package: true, card: true },
      }),
    );
    const zhao = await newCustomer('赵女士');
    const goodsOnly = await sell(zhao.id, [{ itemId: goodsItem.id, quantity: 1 }], [{ method: 'cash', amountFen: 12_800 }]);
    expect(goodsOnly.isDeal).toBe(false);
    const otherType = await sell(zhao.id, [{ itemId: serviceItem.id, quantity: 1 }], [{ method: 'cash', amountFen: 68_000 }], { orderType: '生美' });
    expect(otherType.isDeal).toBe(false);
    await ok(
      call(owner, 'PUT', '/settings/deal-rules', {
        orderTypes: [],
        minimumFen: 0,
        countedKinds: { service: true, goods: true, drug: true, package: true, card: true },
      }),
    );
  });
});

describe('visit types (到访类型, seed 003 scenario table)', () => {
  it('scenario 1: an order without a visit is 未到访 and dealt; a visit later that day gives the order its type', async () => {
    await at('2026-03-02T10:00:00');
    const customer = await newCustomer('孙女士');
    const order = await sell(customer.id, [{ itemId: serviceItem.id, quantity: 1 }], [{ method: 'cash', amountFen: 68_000 }]);
    expect(order).toMatchObject({ visitType: 'not_visited', isDeal: true });
    await at('2026-03-02T11:00:00');
    const visit = await ok(call(desk, 'POST', '/visits', { customerId: customer.id, storeId: store }));
    expect(visit).toMatchObject({ visitType: 'first', proposedType: 'first' });
    expect((await ok(call(desk, 'GET', `/orders/${order.id}`))).visitType).toBe('first');
    expect((await customerRow(customer.id)).dealStatus).toBe('first');
  });

  it('scenario 2: a gifted new customer’s first visit is 初诊 and not dealt; her second visit without a deal is 复诊', async () => {
    await at('2026-03-03T10:00:00');
    const gifted = await newCustomer('周女士');
    const first = await ok(call(desk, 'POST', '/visits', { customerId: gifted.id, storeId: store }));
    expect(first).toMatchObject({ visitType: 'first', proposedType: 'first', isOverridden: false });
    expect((await customerRow(gifted.id)).dealStatus).toBe('none');
    await at('2026-03-10T15:00:00');
    const proposal = await ok(call(desk, 'GET', `/customers/${gifted.id}/visit-proposal`));
    expect(proposal).toMatchObject({ type: 'return', isDayTypeFixed: false });
    const second = await ok(call(desk, 'POST', '/visits', { customerId: gifted.id, storeId: store }));
    expect(second.visitType).toBe('return');
    const row = await customerRow(gifted.id);
    expect([row.dealStatus, row.lastVisitType]).toEqual(['none', 'return']);
  });

  it('several visits on one day take the type of the first; overriding it changes the whole day and its orders', async () => {
    await at('2026-03-11T09:00:00');
    const customer = await newCustomer('吴女士');
    const first = await ok(call(desk, 'POST', '/visits', { customerId: customer.id, storeId: store }));
    await at('2026-03-11T16:00:00');
    const second = await ok(call(desk, 'POST', '/visits', { customerId: customer.id, storeId: store, visitType: 'recheck' }));
    expect([first.visitType, second.visitType]).toEqual(['first', 'first']);
    const order = await sell(customer.id, [{ itemId: goodsItem.id, quantity: 1 }], [{ method: 'cash', amountFen: 12_800 }]);
    expect(order.visitType).toBe('first');
    await ok(call(desk, 'PATCH', `/visits/${first.id}`, { visitType: 'return' }));
    expect((await ok(call(desk, 'GET', `/orders/${order.id}`))).visitType).toBe('return');
    const visits = await ok(call(desk, 'GET', `/visits?customerId=${customer.id}`));
    expect(visits.items.map((visit: Json) => visit.visitType)).toEqual(['return', 'return']);
  });

  it('registers arrivals only for today’s appointments', async () => {
    await at('2026-03-12T09:00:00');
    const customer = await newCustomer('明天约');
    const appointment = await ok(call(desk, 'POST', '/appointments', { storeId: store, customerId: customer.id, startsAt: '2026-03-13T10:00:00+08:00' }));
    const early = await call(desk, 'POST', `/appointments/${appointment.id}/arrive`, {});
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('APPOINTMENT_NOT_TODAY');
  });

  it('proposes 疗程内 with a course running, 复查 within the re-check window after it is finished, then 再消费', async () => {
    await at('2026-04-01T10:00:00');
    const customer = await newCustomer('郑女士');
    await ok(call(desk, 'POST', '/visits', { customerId: customer.id, storeId: store }));
    await sell(customer.id, [{ itemId: hydrationCard.id, quantity: 1 }], [{ method: 'cash', amountFen: 99_900 }]);
    await at('2026-04-10T10:00:00');
    expect((await ok(call(desk, 'GET', `/customers/${customer.id}/visit-proposal`))).type).toBe('in_course');
    const [course] = (await ok(call(desk, 'GET', `/customers/${customer.id}/courses`))).items;
    for (const item of course.items) {
      await ok(call(desk, 'POST', `/course-items/${item.id}/deductions`, { storeId: store, executorId: clinic.staff.doctor_nurse.id }));
    }
    await at('2026-04-25T10:00:00');
    expect(await ok(call(desk, 'GET', `/customers/${customer.id}/visit-proposal`))).toMatchObject({
      type: 'recheck',
      reason: expect.stringContaining('15 天前'),
    });
    await at('2026-06-01T10:00:00');
    expect((await ok(call(desk, 'GET', `/customers/${customer.id}/visit-proposal`))).type).toBe('repurchase');
  });
});

describe('activity thresholds', () => {
  it('re-labels customers at once when the thresholds change', async () => {
    await at('2026-04-20T10:00:00');
    const customer = await newCustomer('阈值');
    await sell(customer.id, [{ itemId: goodsItem.id, quantity: 1 }], [{ method: 'cash', amountFen: 12_800 }]);
    expect((await customerRow(customer.id)).activity).toBe('new');
    await ok(call(owner, 'PUT', '/settings/activity', { newMemberDays: 1, sleepingAfterDays: 90, deepSleepAfterDays: 180 }));
    await at('2026-04-21T10:00:00');
    await ok(call(owner, 'PUT', '/settings/activity', { newMemberDays: 1, sleepingAfterDays: 90, deepSleepAfterDays: 180 }));
    expect((await customerRow(customer.id)).activity).toBe('active');
    await ok(call(owner, 'PUT', '/settings/activity', { newMemberDays: 30, sleepingAfterDays: 90, deepSleepAfterDays: 180 }));
    expect((await customerRow(customer.id)).activity).toBe('new');
  });
});

describe('payments, arrears, reversals and refunds', () => {
  it('a partly paid order carries arrears until settled; the arrears tag follows', async () => {
    await at('2026-05-01T10:00:00');
    const customer = await newCustomer('冯女士');
    const order = await sell(customer.id, [{ itemId: serviceItem.id, quantity: 1 }], [{ method: 'cash', amountFen: 30_000 }]);
    expect(order).toMatchObject({ paidFen: 30_000, arrearsFen: 38_000, status: 'placed' });
    expect((await customerRow(customer.id)).arrearsFen).toBe(38_000);
    const tooMuch = await call(desk, 'POST', `/orders/${order.id}/payments`, { payments: [{ method: 'cash', amountFen: 38_001 }] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('PAYMENT_EXCEEDS_DUE');
    const settled = await ok(call(desk, 'POST', `/orders/${order.id}/payments`, { payments: [{ method: 'wechat', amountFen: 38_000 }] }));
    expect(settled).toMatchObject({ paidFen: 68_000, arrearsFen: 0 });
    expect((await customerRow(customer.id)).arrearsFen).toBe(0);
  });

  it('an order opened by a consultant waits unpaid in the queue until the desk checks it out', async () => {
    await at('2026-05-02T10:00:00');
    const consultant = await loginAs(app, clinic, 'consultant');
    const customer = await newCustomer('陈女士');
    const refused = await call(consultant, 'POST', '/orders', {
      storeId: store,
      customerId: customer.id,
      lines: [{ itemId: goodsItem.id, quantity: 1 }],
      payments: [],
    });
    expect(refused.status).toBe(403);
    const open = await ok(call(consultant, 'POST', '/orders', { storeId: store, customerId: customer.id, lines: [{ itemId: goodsItem.id, quantity: 2 }] }));
    expect(open).toMatchObject({ status: 'open', totalFen: 25_600, arrearsFen: 0, isDeal: null });
    const queue = await ok(call(desk, 'GET', `/orders?status=open&businessDate=2026-05-02&storeId=${store}`));
    expect(queue.items.map((item: Json) => item.id)).toContain(open.id);
    const placed = await ok(call(desk, 'POST', `/orders/${open.id}/checkout`, { payments: [{ method: 'bank_card', amountFen: 25_600 }] }));
    expect(placed).toMatchObject({ status: 'placed', paidFen: 25_600 });
    const again = await call(desk, 'POST', `/orders/${open.id}/checkout`, { payments: [] });
    expect(again.status).toBe(409);
  });

  it('a replayed checkout creates one order, and the same key with another body is refused', async () => {
    const customer = await newCustomer('褚女士');
    const body = { storeId: store, customerId: customer.id, lines: [{ itemId: goodsItem.id, quantity: 1 }], payments: [{ method: 'cash', amountFen: 12_800 }] };
    const first = await call(desk, 'POST', '/orders', body, 'checkout-replay-1');
    const second = await call(desk, 'POST', '/orders', body, 'checkout-replay-1');
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const list = await ok(call(desk, 'GET', `/orders?customerId=${customer.id}`));
    expect(list.total).toBe(1);
    const other = await call(desk, 'POST', '/orders', { ...body, lines: [{ itemId: goodsItem.id, quantity: 2 }] }, 'checkout-replay-1');
    expect(other.status).toBe(409);
  });

  it('reverses a wrong payment once, with a reason; arrears come back', async () => {
    const customer = await newCustomer('卫女士');
    const order = await sell(customer.id, [{ itemId: goodsItem.id, quantity: 1 }], [{ method: 'cash', amountFen: 12_800 }]);
    const reversed = await ok(call(desk, 'POST', `/payments/${order.payments[0].id}/reversal`, { reasonCode: 'wrong_amount', note: '收错金额' }));
    expect(reversed).toMatchObject({ paidFen: 0, arrearsFen: 12_800 });
    expect(reversed.payments.map((payment: Json) => [payment.kind, payment.amountFen, payment.isReversed])).toEqual([
      ['payment', 12_800, true],
      ['reversal', -12_800, false],
    ]);
    const twice = await call(desk, 'POST', `/payments/${order.payments[0].id}/reversal`, { reasonCode: 'wrong_amount' });
    expect(twice.status).toBe(409);
    const bad = await call(desk, 'POST', `/payments/${order.payments[0].id}/reversal`, { reasonCode: 'because' });
    expect(bad.status).toBe(400);
  });

  it('refunds part of an order: units of goods from the last, unused course sessions by their value; never more than was paid', async () => {
    await at('2026-05-03T10:00:00');
    const customer = await newCustomer('蒋女士');
    const order = await sell(
      customer.id,
      [
        { itemId: goodsItem.id, quantity: 3, discountFen: 100 },
        { itemId: hydrationCard.id, quantity: 1 },
      ],
      [{ method: 'wechat', amountFen: 138_200 }],
    );
    expect(order.totalFen).toBe(38_300 + 99_900);
    const [goodsLine, cardLine] = order.lines;
    const tooMuch = await call(owner, 'POST', `/orders/${order.id}/refunds`, {
      lines: [{ lineId: goodsLine.id, quantity: 1 }],
      payouts: [{ method: 'wechat', amountFen: 12_767 }],
      reasonCode: 'customer_request',
    });
    expect(tooMuch.status).toBe(422);
    const partial = await ok(
      call(owner, 'POST', `/orders/${order.id}/refunds`, {
        lines: [{ lineId: goodsLine.id, quantity: 1 }],
        payouts: [{ method: 'wechat', amountFen: 12_766 }],
        reasonCode: 'customer_request',
      }),
    );
    // 38 300 over 3 units: 12 767, 12 767, 12 766 — the last unit goes first.
    expect(partial).toMatchObject({ refundedFen: 12_766, paidFen: 138_200 - 12_766, arrearsFen: 0 });
    const wrongMethod = await call(owner, 'POST', `/orders/${order.id}/refunds`, {
      lines: [{ lineId: goodsLine.id, quantity: 1 }],
      payouts: [{ method: 'cash', amountFen: 12_767 }],
      reasonCode: 'other',
    });
    expect(wrongMethod.status).toBe(422);
    expect(wrongMethod.body.error.code).toBe('REFUND_EXCEEDS_METHOD');

    const [course] = (await ok(call(desk, 'GET', `/customers/${customer.id}/courses`))).items;
    const first = course.items[0];
    await ok(call(desk, 'POST', `/course-items/${first.id}/deductions`, { storeId: store, executorId: clinic.staff.doctor_nurse.id }));
    const unusedValue = course.items[1].valueFen;
    const refund = await ok(
      call(owner, 'POST', `/orders/${order.id}/refunds`, {
        lines: [{ lineId: cardLine.id }],
        payouts: [{ method: 'wechat', amountFen: unusedValue }],
        reasonCode: 'customer_request',
      }),
    );
    expect(refund.refundedFen).toBe(12_766 + unusedValue);
    const after = (await ok(call(desk, 'GET', `/customers/${customer.id}/courses`))).items[0];
    expect(after.items.map((item: Json) => item.remainingSessions)).toEqual([0, 0]);
    const nothingLeft = await call(owner, 'POST', `/orders/${order.id}/refunds`, { lines: [{ lineId: cardLine.id }], payouts: [], reasonCode: 'other' });
    expect(nothingLeft.status).toBe(422);
    expect((await call(desk, 'POST', `/orders/${order.id}/refunds`, { lines: [{ lineId: goodsLine.id }], payouts: [], reasonCode: 'other' })).status).toBe(403);
  });
});

describe('courses and deductions (划扣)', () => {
  it('deducts sessions crediting the executor, refuses an exhausted or expired course, and reverses a wrong deduction', async () => {
    await at('2026-06-01T10:00:00');
    const customer = await newCustomer('沈女士');
    const threeTimes = await newItem({
      kind: 'package',
      name: '光子嫩肤三次',
      priceFen: 100_000,
      validityDays: 30,
      contents: [{ itemId: serviceItem.id, sessions: 3 }],
    });
    await sell(customer.id, [{ itemId: threeTimes.id, quantity: 1 }], [{ method: 'cash', amountFen: 100_000 }]);
    const [course] = (await ok(call(desk, 'GET', `/customers/${customer.id}/courses`))).items;
    const item = course.items[0];
    expect(course.expiresOn).toBe('2026-07-01');
    expect(item.remainingValueFen).toBe(100_000);
    // More sessions than she has left are refused, with what is left, and nothing is deducted (never lowered to what is left).
    const tooMany = await call(desk, 'POST', `/course-items/${item.id}/deductions`, { storeId: store, executorId: clinic.staff.doctor_nurse.id, sessions: 4 });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error).toMatchObject({ code: 'COURSE_INSUFFICIENT', message: `「${item.name}」仅剩 3 次，不能划扣 4 次` });
    expect((await ok(call(desk, 'GET', `/customers/${customer.id}/courses`))).items[0].items[0].remainingSessions).toBe(3);
    const values = [];
    for (let session = 0; session < 3; session++) {
      values.push((await ok(call(desk, 'POST', `/course-items/${item.id}/deductions`, { storeId: store, executorId: clinic.staff.doctor_nurse.id }))).valueFen);
    }
    expect(values).toEqual([33_334, 33_333, 33_333]);
    const exhausted = await call(desk, 'POST', `/course-items/${item.id}/deductions`, { storeId: store, executorId: clinic.staff.doctor_nurse.id });
    expect(exhausted.status).toBe(422);
    expect(exhausted.body.error.code).toBe('COURSE_EXHAUSTED');
    const deductions = await ok(call(desk, 'GET', `/deductions?customerId=${customer.id}`));
    const reversal = await ok(call(desk, 'POST', `/deductions/${deductions.items[0].id}/reversal`, { reasonCode: 'wrong_item' }));
    expect(reversal).toMatchObject({ sessions: -1, valueFen: -33_333 });
    const [restored] = (await ok(call(desk, 'GET', `/customers/${customer.id}/courses`))).items;
    expect(restored.items[0]).toMatchObject({ remainingSessions: 1, remainingValueFen: 33_333 });
    // Executing a session counts as consumption for the activity tag.
    expect((await customerRow(customer.id)).lastConsumptionDate).toBe('2026-06-01');
    expect((await call(desk, 'POST', `/deductions/${deductions.items[0].id}/reversal`, { reasonCode: 'wrong_item' })).status).toBe(409);
    await at('2026-07-02T10:00:00');
    const expired = await call(desk, 'POST', `/course-items/${item.id}/deductions`, { storeId: store, executorId: clinic.staff.doctor_nurse.id });
    expect(expired.status).toBe(422);
    expect(expired.body.error.code).toBe('COURSE_EXPIRED');
  });
});

describe('bad input writes nothing', () => {
  it.each([
    [
      'attribution not summing to 100 %',
      {
        attribution: [
          { staffId: 'consultant', role: 'consultant', ratioPercent: 60 },
          { staffId: 'doctor_nurse', role: 'doctor', ratioPercent: 30 },
        ],
      },
      400,
    ],
    ['a negative quantity', { quantity: -1 }, 400],
    ['a fractional price', { unitPriceFen: 10.5 }, 400],
    ['a discount above the amount', { discountFen: 999_999 }, 422],
  ])('refuses %s', async (_case, change, status) => {
    const customer = await newCustomer('错单');
    const line: Json = { itemId: goodsItem.id, quantity: 1, ...change };
    if (line.attribution) line.attribution = line.attribution.map((share: Json) => ({ ...share, staffId: clinic.staff[share.staffId as 'consultant'].id }));
    const response = await call(desk, 'POST', '/orders', { storeId: store, customerId: customer.id, lines: [line], payments: [] });
    expect(response.status).toBe(status);
    const rows = await database.db
      .select()
      .from(orders)
      .where(and(eq(orders.tenantId, clinic.id), eq(orders.customerId, customer.id)));
    expect(rows).toEqual([]);
  });

  it('refuses a line for another tenant’s item as not found', async () => {
    const other = await createTestTenant(database, 'Clinic C');
    const otherOwner = await loginAs(app, other, 'owner');
    const foreign = await ok(call(otherOwner, 'POST', '/items', { kind: 'goods', name: '别家的面膜', priceFen: 100 }));
    const customer = await newCustomer('跨店');
    const response = await call(desk, 'POST', '/orders', {
      storeId: store,
      customerId: customer.id,
      lines: [{ itemId: foreign.id, quantity: 1 }],
      payments: [],
    });
    expect(response.status).toBe(404);
    expect(response.body.error.details).toEqual([{ path: 'body.lines.0.itemId', message: '品项不存在' }]);
  });

  it('accepts attribution splitting 100 % and credits each share exactly', async () => {
    const customer = await newCustomer('分业绩');
    const order = await sell(
      customer.id,
      [
        {
          itemId: serviceItem.id,
          quantity: 1,
          discountFen: 1,
          attribution: [
            { staffId: clinic.staff.consultant.id, role: 'consultant', ratioPercent: 33.33 },
            { staffId: clinic.staff.doctor_nurse.id, role: 'doctor', ratioPercent: 33.33 },
            { staffId: clinic.staff.front_desk.id, role: 'nurse', ratioPercent: 33.34 },
          ],
        },
      ],
      [{ method: 'cash', amountFen: 67_999 }],
    );
    const shares = order.lines[0].attribution.map((share: Json) => share.amountFen);
    expect(shares.reduce((sum: number, value: number) => sum + value, 0)).toBe(67_999);
    expect(shares).toEqual([22_664, 22_664, 22_671]);
    const report = await ok(call(owner, 'GET', `/reports/performance?from=${order.businessDate}&to=${order.businessDate}`));
    const consultant = report.items.find((row: Json) => row.staffId === clinic.staff.consultant.id);
    expect(consultant).toMatchObject({ salesFen: 22_664, netSalesFen: 22_664, lines: 1 });
  });
});

describe('shift close (交班 / 日结) and receipts', () => {
  it('totals the day by payment method with refunds and reversals, and closes once', async () => {
    await at('2026-08-08T09:00:00');
    const customer = await newCustomer('韩女士');
    const a = await sell(
      customer.id,
      [{ itemId: goodsItem.id, quantity: 2 }],
      [
        { method: 'cash', amountFen: 10_000 },
        { method: 'wechat', amountFen: 15_600 },
      ],
    );
    await sell(customer.id, [{ itemId: serviceItem.id, quantity: 1 }], [{ method: 'alipay', amountFen: 50_000 }]);
    await ok(
      call(owner, 'POST', `/orders/${a.id}/refunds`, {
        lines: [{ lineId: a.lines[0].id, quantity: 1 }],
        payouts: [{ method: 'wechat', amountFen: 12_800 }],
        reasonCode: 'customer_request',
      }),
    );
    await ok(call(desk, 'POST', `/payments/${a.payments[0].id}/reversal`, { reasonCode: 'duplicate' }));
    const totals = await ok(call(desk, 'GET', `/shift-close?storeId=${store}&businessDate=2026-08-08`));
    const byMethod = Object.fromEntries(totals.byMethod.map((row: Json) => [row.method, row.netFen]));
    expect(byMethod).toEqual({ alipay: 50_000, cash: 0, wechat: 2_800 });
    expect(totals).toMatchObject({ paymentsFen: 75_600, refundsFen: -12_800, reversalsFen: -10_000, netFen: 52_800, ordersPlaced: 2, salesFen: 93_600 });
    expect(totals.reversalsByReason).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reasonCode: 'duplicate', count: 1 }),
        expect.objectContaining({ reasonCode: 'customer_request', count: 1 }),
      ]),
    );
    // Created at checkout: the second order left ¥180 unpaid; the later reversal does not change what was created.
    expect(totals.arrearsCreatedFen).toBe(18_000);
    const closed = await ok(call(desk, 'POST', '/shift-closes', { storeId: store, businessDate: '2026-08-08' }));
    expect(closed.closedAt).not.toBeNull();
    expect((await call(desk, 'POST', '/shift-closes', { storeId: store, businessDate: '2026-08-08' })).status).toBe(409);
    const report = await ok(call(owner, 'GET', '/reports/reversals?from=2026-08-01&to=2026-08-31'));
    expect(report.items).toEqual(
      expect.arrayContaining([
        { kind: 'payment_reversal', reasonCode: 'duplicate', count: 1, amountFen: 10_000 },
        { kind: 'refund', reasonCode: 'customer_request', count: 1, amountFen: 12_800 },
      ]),
    );
  });

  it('prints a receipt with the total in 大写 and a masked phone', async () => {
    // The next day: the 8th has been closed (日结) and takes no more checkouts.
    await at('2026-08-09T09:00:00');
    const customer = await newCustomer('印小票');
    const order = await sell(customer.id, [{ itemId: goodsItem.id, quantity: 1 }], [{ method: 'cash', amountFen: 10_000 }]);
    const response = await app.inject({ method: 'GET', url: `/api/v1/orders/${order.id}/receipt?width=58`, headers: desk.headers });
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('壹佰贰拾捌元整');
    expect(response.body).toContain(`${customer.phone.slice(0, 3)}****${customer.phone.slice(-4)}`);
    expect(response.body).not.toContain(customer.phone);
    expect(response.body).toContain('欠费');
    expect(response.body).toContain('size: 58mm');
  });
});
