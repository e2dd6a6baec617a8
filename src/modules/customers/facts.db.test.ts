import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Executor } from '../../db/client.js';
import { arrive } from '../../flows/arrive.js';
import { checkoutOrder, openOrder } from '../../flows/checkout.js';
import { payArrears } from '../../flows/pay-arrears.js';
import { refundOrder } from '../../flows/refund-order.js';
import { reversePayment } from '../../flows/reverse-payment.js';
import { voidOrder } from '../../flows/void-order.js';
import { makeCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { createTestTenant, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { createCategory, createItem } from '../catalog/service.js';
import { deductSessions, listCourses, reverseDeduction } from '../orders/courses.js';
import { deductions, orderLines, orders, payments } from '../orders/tables.js';
import { getCustomerFacts, recomputeFacts, verifyFactLedgers, verifyFacts } from './facts.js';
import { createCustomer } from './service.js';

/**
 * Property: after every step of any sequence of orders (deal or not, paid in full, in part or
 * not at all), refunds (partial and full), voids, payment reversals, 划扣 and their reversals,
 * and visits, the facts the write path kept equal a recomputation from raw history.
 */
let database: Database;
let clinic: TestTenant;
const itemIds: string[] = [];
const customerIds: string[] = [];

let clock = Date.parse('2026-03-01T03:00:00Z');
/** Each step a few hours later, so steps fall on different days and months. */
const ctx = () => {
  clock += 7 * 3_600_000;
  return makeCtx({ tenantId: clinic.id, type: 'staff', id: clinic.staff.owner.id }, new Date(clock), 'Asia/Shanghai');
};

beforeAll(async () => {
  database = await openTestDatabase();
  clinic = await createTestTenant(database);
  const c = ctx();
  await database.db.transaction(async (tx) => {
    const skin = await createCategory(tx, c.actor, { name: '皮肤管理' });
    const care = await createCategory(tx, c.actor, { name: '院线产品' });
    const service = await createItem(tx, c.actor, { kind: 'service', name: '光子嫩肤', priceFen: 99_900, categoryId: skin.id });
    const bubble = await createItem(tx, c.actor, { kind: 'service', name: '小气泡', priceFen: 19_900, categoryId: skin.id });
    const goods = await createItem(tx, c.actor, { kind: 'goods', name: '修护面膜', priceFen: 12_345, categoryId: care.id });
    const free = await createItem(tx, c.actor, { kind: 'goods', name: '赠品小样', priceFen: 0 });
    const course = await createItem(tx, c.actor, {
      kind: 'package',
      name: '焕肤套餐',
      priceFen: 150_000,
      categoryId: skin.id,
      contents: [
        { itemId: service.id, sessions: 2 },
        { itemId: bubble.id, sessions: 3 },
      ],
    });
    itemIds.push(service.id, goods.id, free.id, course.id);
    for (const name of ['事实一', '事实二', '事实三']) {
      customerIds.push((await createCustomer(tx, c, { name, gender: 'female', phone: randomMobile() })).id);
    }
  });
});

afterAll(async () => {
  await database.close();
});

const moves = fc.oneof(
  fc.record({
    kind: fc.constant('order' as const),
    customer: fc.nat(2),
    item: fc.nat(3),
    quantity: fc.integer({ min: 1, max: 3 }),
    payment: fc.oneof(fc.constant('none' as const), fc.constant('open' as const), fc.constant('full' as const), fc.integer({ min: 1, max: 100_000 })),
    method: fc.constantFrom('cash' as const, 'wechat' as const),
  }),
  fc.record({ kind: fc.constant('checkout' as const), index: fc.nat(9), isPaid: fc.boolean() }),
  fc.record({ kind: fc.constant('void' as const), index: fc.nat(9) }),
  fc.record({ kind: fc.constant('pay' as const), index: fc.nat(9), fen: fc.integer({ min: 1, max: 200_000 }) }),
  fc.record({ kind: fc.constant('reversePayment' as const), index: fc.nat(9) }),
  fc.record({ kind: fc.constant('refund' as const), index: fc.nat(9), quantity: fc.option(fc.integer({ min: 1, max: 3 })) }),
  fc.record({ kind: fc.constant('deduct' as const), customer: fc.nat(2), item: fc.nat(1), sessions: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant('reverseDeduction' as const), index: fc.nat(9) }),
  fc.record({ kind: fc.constant('visit' as const), customer: fc.nat(2) }),
);
type Move = typeof moves extends fc.Arbitrary<infer T> ? T : never;

const ordersOf = async (tx: Executor, status: string) =>
  tx
    .select()
    .from(orders)
    .where(and(eq(orders.tenantId, clinic.id), eq(orders.status, status)))
    .orderBy(orders.createdAt, orders.id);

const run = async (move: Move) => {
  const c = ctx();
  const storeId = clinic.storeIds[0] ?? '';
  await database.db.transaction(async (tx) => {
    switch (move.kind) {
      case 'order': {
        const price = [99_900, 12_345, 0, 150_000][move.item] ?? 0;
        const total = price * move.quantity;
        const list =
          move.payment === 'open'
            ? undefined
            : move.payment === 'none' || total === 0
              ? []
              : [{ method: move.method, amountFen: move.payment === 'full' ? total : Math.min(total, move.payment) }];
        await openOrder(tx, c, {
          storeId,
          customerId: customerIds[move.customer] ?? '',
          lines: [{ itemId: itemIds[move.item] ?? '', quantity: move.quantity }],
          memberPricing: false,
          ...(list ? { payments: list } : {}),
        });
        return;
      }
      case 'checkout': {
        const open = await ordersOf(tx, 'open');
        const order = open[move.index % Math.max(1, open.length)];
        if (order) await checkoutOrder(tx, c, order.id, move.isPaid && order.totalFen > 0 ? [{ method: 'wechat', amountFen: order.totalFen }] : []);
        return;
      }
      case 'void': {
        const open = await ordersOf(tx, 'open');
        const order = open[move.index % Math.max(1, open.length)];
        if (order) await voidOrder(tx, c, order.id, '客户改约');
        return;
      }
      case 'pay': {
        const placed = (await ordersOf(tx, 'placed')).filter((order) => order.totalFen - order.refundedFen > order.paidFen);
        const order = placed[move.index % Math.max(1, placed.length)];
        if (order) await payArrears(tx, c, order.id, [{ method: 'wechat', amountFen: Math.min(move.fen, order.totalFen - order.refundedFen - order.paidFen) }]);
        return;
      }
      case 'reversePayment': {
        const rows = await tx
          .select()
          .from(payments)
          .where(and(eq(payments.tenantId, clinic.id), eq(payments.kind, 'payment')));
        const payment = rows[move.index % Math.max(1, rows.length)];
        if (payment) await reversePayment(tx, c, payment.id, { reasonCode: 'wrong_amount' });
        return;
      }
      case 'refund': {
        const placed = await ordersOf(tx, 'placed');
        const order = placed[move.index % Math.max(1, placed.length)];
        if (!order) return;
        const [line] = await tx
          .select()
          .from(orderLines)
          .where(and(eq(orderLines.tenantId, clinic.id), eq(orderLines.orderId, order.id)));
        if (!line) return;
        const quantity = line.kind === 'package' ? undefined : Math.min(move.quantity ?? line.quantity, line.quantity - line.refundedQuantity);
        await refundOrder(tx, c, order.id, {
          lines: [{ lineId: line.id, ...(quantity ? { quantity } : {}) }],
          payouts: [],
          reasonCode: 'customer_request',
        });
        return;
      }
      case 'deduct': {
        const [course] = await listCourses(tx, c, customerIds[move.customer] ?? '');
        const item = course?.items[move.item];
        if (item) await deductSessions(tx, c, item.id, { storeId, sessions: move.sessions, executorId: clinic.staff.doctor_nurse.id });
        return;
      }
      case 'reverseDeduction': {
        const rows = await tx
          .select()
          .from(deductions)
          .where(and(eq(deductions.tenantId, clinic.id), sql`${deductions.reversesId} is null`));
        const target = rows[move.index % Math.max(1, rows.length)];
        if (target) await reverseDeduction(tx, c, target.id, { reasonCode: 'wrong_item' });
        return;
      }
      case 'visit':
        await arrive(tx, c, { customerId: customerIds[move.customer] ?? '', storeId });
        return;
    }
  });
};

describe('customer facts', () => {
  it('equal a recomputation from raw history after every order, refund, void, reversal, 划扣 and visit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(moves, { minLength: 1, maxLength: 10 }), async (sequence) => {
        for (const move of sequence) {
          try {
            await run(move);
          } catch (error) {
            // A refusal (nothing left to refund, a course already used…) is a legal move that writes nothing.
            if (!(error instanceof DomainError)) throw error;
          }
          expect(await verifyFacts(database.db, clinic.id)).toEqual([]);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('verify-ledgers names the customer, table and field of a fact that drifted', async () => {
    const customerId = customerIds[0] ?? '';
    await run({ kind: 'order', customer: 0, item: 1, quantity: 1, payment: 'full', method: 'cash' });
    const before = await getCustomerFacts(database.db, clinic.id, customerId);
    expect(before.orderCount).toBeGreaterThan(0);
    await database.db.execute(sql`update customer_facts set order_count = order_count + 1 where tenant_id = ${clinic.id} and customer_id = ${customerId}`);
    const differences = await verifyFacts(database.db, clinic.id);
    expect(differences).toEqual([
      {
        tenantId: clinic.id,
        customerId,
        table: 'customer_facts',
        key: customerId,
        field: 'order_count',
        stored: before.orderCount + 1,
        recomputed: before.orderCount,
      },
    ]);
    // The check itself changes nothing; verify-ledgers reports the same drift.
    expect((await getCustomerFacts(database.db, clinic.id, customerId)).orderCount).toBe(before.orderCount + 1);
    expect(await verifyFactLedgers(database.db, clinic.id)).toEqual([
      {
        tenantId: clinic.id,
        customerId,
        problem: 'customer_facts',
        detail: `customer_facts ${customerId} order_count: kept ${before.orderCount + 1}, recomputed ${before.orderCount}`,
      },
    ]);
    // Recomputing repairs it.
    await database.db.transaction((tx) => recomputeFacts(tx, clinic.id, customerId));
    expect(await verifyFacts(database.db, clinic.id)).toEqual([]);
  });
});
