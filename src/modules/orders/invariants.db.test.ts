import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../../db/client.js';
import { openOrder } from '../../flows/checkout.js';
import { payArrears } from '../../flows/pay-arrears.js';
import { refundOrder } from '../../flows/refund-order.js';
import { reversePayment } from '../../flows/reverse-payment.js';
import { makeCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { createTestTenant, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { createItem } from '../catalog/service.js';
import { createCustomer } from '../customers/service.js';
import { customers } from '../customers/tables.js';
import { deductSessions, listCourses, reverseDeduction } from './courses.js';
import { courseItems, deductions, orderLines, orders, payments, performanceCredits } from './tables.js';

/**
 * Property: any sequence of payments, reversals, refunds, deductions and their reversals
 * keeps the order and course arithmetic exact. Domain refusals (422/409) are allowed moves;
 * they must leave nothing behind.
 */
let database: Database;
let clinic: TestTenant;
let goodsId = '';
let packageId = '';

const ctx = () => makeCtx({ tenantId: clinic.id, type: 'staff', id: clinic.staff.owner.id }, new Date('2026-09-01T03:00:00Z'), 'Asia/Shanghai');

beforeAll(async () => {
  database = await openTestDatabase();
  clinic = await createTestTenant(database);
  const actor = ctx().actor;
  await database.db.transaction(async (tx) => {
    goodsId = (await createItem(tx, actor, { kind: 'goods', name: '修护面膜', priceFen: 12_345 })).id;
    const a = await createItem(tx, actor, { kind: 'service', name: '光子嫩肤', priceFen: 99_900 });
    const b = await createItem(tx, actor, { kind: 'service', name: '小气泡', priceFen: 19_900 });
    packageId = (
      await createItem(tx, actor, {
        kind: 'package',
        name: '焕肤套餐',
        priceFen: 150_000,
        contents: [
          { itemId: a.id, sessions: 2 },
          { itemId: b.id, sessions: 3 },
        ],
      })
    ).id;
  });
});

afterAll(async () => {
  await database.close();
});

const moves = fc.oneof(
  fc.record({ kind: fc.constant('pay' as const), fen: fc.integer({ min: 1, max: 200_000 }) }),
  fc.record({ kind: fc.constant('reversePayment' as const), index: fc.nat(5) }),
  fc.record({ kind: fc.constant('refundGoods' as const), quantity: fc.integer({ min: 1, max: 3 }), payout: fc.integer({ min: 0, max: 50_000 }) }),
  fc.record({ kind: fc.constant('refundCourse' as const), payout: fc.integer({ min: 0, max: 200_000 }) }),
  fc.record({ kind: fc.constant('deduct' as const), item: fc.nat(1), sessions: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('reverseDeduction' as const), index: fc.nat(5) }),
);

const checkInvariants = async (orderId: string, customerId: string) => {
  const db = database.db;
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.tenantId, clinic.id), eq(orders.id, orderId)));
  if (!order) throw new Error('order missing');
  const lines = await db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.tenantId, clinic.id), eq(orderLines.orderId, orderId)));
  // Order total = Σ lines; refunded = Σ line refunds; paid = Σ money rows.
  expect(order.totalFen).toBe(lines.reduce((sum, line) => sum + line.amountFen, 0));
  expect(order.refundedFen).toBe(lines.reduce((sum, line) => sum + line.refundedFen, 0));
  const [money] = await queryRows<{ total: number }>(
    db,
    sql`select coalesce(sum(amount_fen), 0)::bigint as total from ${payments} where tenant_id = ${clinic.id} and order_id = ${orderId}`,
  );
  expect(order.paidFen).toBe(Number(money?.total));
  // Paid + arrears = what is due; nothing negative.
  const due = order.totalFen - order.refundedFen;
  const arrears = Math.max(0, due - order.paidFen);
  expect(order.paidFen).toBeGreaterThanOrEqual(0);
  expect(order.paidFen + arrears).toBe(due);
  expect(order.paidFen).toBeLessThanOrEqual(due);
  for (const line of lines) expect(line.refundedFen).toBeLessThanOrEqual(line.amountFen);
  // Sessions never below zero and never beyond the total; used = Σ deductions.
  const items = await db
    .select()
    .from(courseItems)
    .where(
      and(
        eq(courseItems.tenantId, clinic.id),
        sql`${courseItems.courseId} in (select id from courses where tenant_id = ${clinic.id} and order_id = ${orderId})`,
      ),
    );
  for (const item of items) {
    expect(item.usedSessions).toBeGreaterThanOrEqual(0);
    expect(item.usedSessions + item.refundedSessions).toBeLessThanOrEqual(item.totalSessions);
    const [used] = await queryRows<{ total: number }>(
      db,
      sql`select coalesce(sum(sessions), 0)::int as total from ${deductions} where tenant_id = ${clinic.id} and course_item_id = ${item.id}`,
    );
    expect(item.usedSessions).toBe(Number(used?.total));
  }
  // Attribution per line sums to the line's amount; credits net of refunds to what is kept.
  for (const line of lines) {
    const [sales] = await queryRows<{ total: number }>(
      db,
      sql`select coalesce(sum(amount_fen), 0)::bigint as total from ${performanceCredits} where tenant_id = ${clinic.id} and source_type = 'order_line' and source_id = ${line.id}`,
    );
    expect(Number(sales?.total)).toBe(line.amountFen);
  }
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, clinic.id), eq(customers.id, customerId)));
  expect(customer?.arrearsFen).toBe(arrears);
};

describe('order and course arithmetic under random operations', () => {
  it('keeps total = Σ lines, paid + arrears = due, sessions within bounds and attribution exact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(moves, { maxLength: 8 }), fc.integer({ min: 0, max: 188_000 }), async (sequence, initialPayment) => {
        const c = ctx();
        const staffShares = [
          { staffId: clinic.staff.consultant.id, role: 'consultant' as const, ratioPercent: 70 },
          { staffId: clinic.staff.doctor_nurse.id, role: 'doctor' as const, ratioPercent: 30 },
        ];
        const { orderId, customerId } = await database.db.transaction(async (tx) => {
          const customer = await createCustomer(tx, c, { name: '性质测试', gender: 'female', phone: randomMobile() });
          const id = await openOrder(tx, c, {
            storeId: clinic.storeIds[0] ?? '',
            customerId: customer.id,
            lines: [
              { itemId: goodsId, quantity: 3, discountFen: 35, attribution: staffShares },
              { itemId: packageId, quantity: 1, attribution: staffShares },
            ],
            payments: initialPayment > 0 ? [{ method: 'cash', amountFen: Math.min(initialPayment, 187_000) }] : [],
          });
          return { orderId: id, customerId: customer.id };
        });
        for (const move of sequence) {
          try {
            await database.db.transaction(async (tx) => {
              const paymentRows = await tx
                .select()
                .from(payments)
                .where(and(eq(payments.tenantId, clinic.id), eq(payments.orderId, orderId), eq(payments.kind, 'payment')));
              const lines = await tx
                .select()
                .from(orderLines)
                .where(and(eq(orderLines.tenantId, clinic.id), eq(orderLines.orderId, orderId)));
              const goodsLine = lines.find((line) => line.kind === 'goods');
              const courseLine = lines.find((line) => line.kind === 'package');
              switch (move.kind) {
                case 'pay':
                  return payArrears(tx, c, orderId, [{ method: 'wechat', amountFen: move.fen }]);
                case 'reversePayment': {
                  const payment = paymentRows[move.index % Math.max(1, paymentRows.length)];
                  if (payment) await reversePayment(tx, c, payment.id, { reasonCode: 'wrong_amount' });
                  return;
                }
                case 'refundGoods':
                  return refundOrder(tx, c, orderId, {
                    lines: [{ lineId: goodsLine?.id ?? '', quantity: move.quantity }],
                    payouts: move.payout > 0 ? [{ method: 'cash', amountFen: move.payout }] : [],
                    reasonCode: 'customer_request',
                  });
                case 'refundCourse':
                  return refundOrder(tx, c, orderId, {
                    lines: [{ lineId: courseLine?.id ?? '' }],
                    payouts: move.payout > 0 ? [{ method: 'cash', amountFen: move.payout }] : [],
                    reasonCode: 'customer_request',
                  });
                case 'deduct': {
                  const [course] = await listCourses(tx, c, customerId);
                  const item = course?.items[move.item];
                  if (item)
                    await deductSessions(tx, c, item.id, {
                      storeId: clinic.storeIds[0] ?? '',
                      sessions: move.sessions,
                      executorId: clinic.staff.doctor_nurse.id,
                    });
                  return;
                }
                case 'reverseDeduction': {
                  const rows = await tx
                    .select()
                    .from(deductions)
                    .where(and(eq(deductions.tenantId, clinic.id), eq(deductions.customerId, customerId)));
                  const target = rows[move.index % Math.max(1, rows.length)];
                  if (target) await reverseDeduction(tx, c, target.id, { reasonCode: 'wrong_item' });
                  return;
                }
              }
            });
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
          await checkInvariants(orderId, customerId);
        }
      }),
      { numRuns: 25 },
    );
  });
});
