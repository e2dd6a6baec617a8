import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { openOrder } from '../../flows/checkout.js';
import { refundOrder } from '../../flows/refund-order.js';
import { reversePayment } from '../../flows/reverse-payment.js';
import { makeCtx } from '../../platform/context.js';
import { createTestTenant, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { createItem } from '../catalog/service.js';
import { createCustomer } from '../customers/service.js';
import { orderLines, payments } from '../orders/tables.js';
import { isPublicHoliday } from './calendar.js';
import { redeemPoints } from './ledger.js';
import { pointsAccounts, pointsEntries } from './tables.js';
import { verifyPointsLedgers } from './verify.js';

/** Points earned with orders, in the same transaction, and taken back by refunds (the cases that broke other systems). */
let database: Database;
let clinic: TestTenant;
let goodsId = '';
const at = (iso: string) => makeCtx({ tenantId: clinic.id, type: 'staff', id: clinic.staff.front_desk.id }, new Date(iso), 'Asia/Shanghai');

beforeAll(async () => {
  database = await openTestDatabase();
  clinic = await createTestTenant(database);
  goodsId = (await database.db.transaction((tx) => createItem(tx, at('2026-03-02T02:00:00Z').actor, { kind: 'goods', name: '面膜', priceFen: 10_000 }))).id;
});

afterAll(async () => {
  await database.close();
});

const setup = async (quantity: number, paidFen: number, when = '2026-03-02T02:00:00Z') => {
  const ctx = at(when);
  return database.db.transaction(async (tx) => {
    const customer = await createCustomer(tx, ctx, { name: '积分订单', gender: 'female', phone: randomMobile() });
    const orderId = await openOrder(tx, ctx, {
      storeId: clinic.storeIds[0] ?? '',
      customerId: customer.id,
      lines: [{ itemId: goodsId, quantity }],
      payments: [{ method: 'wechat', amountFen: paidFen }],
    });
    return { customerId: customer.id, orderId };
  });
};
const accountOf = async (customerId: string) => {
  const [row] = await database.db
    .select()
    .from(pointsAccounts)
    .where(and(eq(pointsAccounts.tenantId, clinic.id), eq(pointsAccounts.customerId, customerId)));
  return row;
};
const lineOf = async (orderId: string) => {
  const [line] = await database.db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.tenantId, clinic.id), eq(orderLines.orderId, orderId)));
  return line;
};

describe('points with orders', () => {
  it('earns 1 point per ¥1 paid with the order, pending for the refund window, with growth value', async () => {
    const { customerId } = await setup(3, 30_000);
    expect(await accountOf(customerId)).toMatchObject({ balance: 300, growth: 300, debt: 0 });
    const [entry] = await database.db
      .select()
      .from(pointsEntries)
      .where(and(eq(pointsEntries.tenantId, clinic.id), eq(pointsEntries.customerId, customerId)));
    expect(entry?.reason).toMatchObject({ explanation: ['面膜：基础 300 = 300 积分'] });
    await expect(
      database.db.transaction((tx) =>
        redeemPoints(tx, {
          tenantId: clinic.id,
          customerId,
          idempotencyKey: 'too-early',
          now: new Date('2026-03-05T02:00:00Z'),
          sourceType: 'manual',
          reason: {},
          points: 1,
        }),
      ),
    ).rejects.toMatchObject({
      code: 'POINTS_INSUFFICIENT',
    });
  });

  it('buy → refund keeps no points and no growth', async () => {
    const { customerId, orderId } = await setup(1, 10_000);
    const line = await lineOf(orderId);
    await database.db.transaction((tx) =>
      refundOrder(tx, at('2026-03-03T02:00:00Z'), orderId, {
        lines: [{ lineId: line?.id ?? '' }],
        payouts: [{ method: 'wechat', amountFen: 10_000 }],
        reasonCode: 'customer_request',
      }),
    );
    expect(await accountOf(customerId)).toMatchObject({ balance: 0, growth: 0, debt: 0 });
  });

  it('partial refunds take back points pro rata, rounded down, and the last refund takes the rest', async () => {
    const { customerId, orderId } = await setup(3, 30_000);
    const line = await lineOf(orderId);
    const refund = (key: string) =>
      database.db.transaction((tx) =>
        refundOrder(tx, at(key), orderId, {
          lines: [{ lineId: line?.id ?? '', quantity: 1 }],
          payouts: [{ method: 'wechat', amountFen: 10_000 }],
          reasonCode: 'customer_request',
        }),
      );
    await refund('2026-03-03T02:00:00Z');
    expect((await accountOf(customerId))?.balance).toBe(200);
    await refund('2026-03-04T02:00:00Z');
    await refund('2026-03-04T03:00:00Z');
    expect(await accountOf(customerId)).toMatchObject({ balance: 0, growth: 0 });
  });

  it('a refund after the earned points were spent records a debt instead of a silent negative', async () => {
    const { customerId, orderId } = await setup(2, 20_000);
    await database.db.transaction((tx) =>
      redeemPoints(tx, {
        tenantId: clinic.id,
        customerId,
        idempotencyKey: `spend-${customerId}`,
        now: new Date('2026-03-20T02:00:00Z'),
        sourceType: 'manual',
        reason: {},
        points: 150,
      }),
    );
    const line = await lineOf(orderId);
    await database.db.transaction((tx) =>
      refundOrder(tx, at('2026-03-21T02:00:00Z'), orderId, {
        lines: [{ lineId: line?.id ?? '' }],
        payouts: [{ method: 'wechat', amountFen: 20_000 }],
        reasonCode: 'customer_request',
      }),
    );
    expect(await accountOf(customerId)).toMatchObject({ balance: -150, debt: 150 });
    expect(await verifyPointsLedgers(database.db, clinic.id)).toEqual([]);
  });

  it('reversing a wrong payment takes back exactly the points it earned', async () => {
    const { customerId, orderId } = await setup(1, 10_000);
    const [payment] = await database.db
      .select()
      .from(payments)
      .where(and(eq(payments.tenantId, clinic.id), eq(payments.orderId, orderId)));
    await database.db.transaction((tx) => reversePayment(tx, at('2026-03-02T05:00:00Z'), payment?.id ?? '', { reasonCode: 'wrong_amount' }));
    expect(await accountOf(customerId)).toMatchObject({ balance: 0, growth: 0 });
  });

  it('knows the public holidays and the make-up workdays of the calendar', async () => {
    expect(await isPublicHoliday(database.db, { tenantId: clinic.id, day: '2026-10-01' })).toBe(true);
    expect(await isPublicHoliday(database.db, { tenantId: clinic.id, day: '2026-01-04' })).toBe(false); // a Sunday worked for 元旦
    expect(await isPublicHoliday(database.db, { tenantId: clinic.id, day: '2026-03-02' })).toBe(false);
  });

  it('pays with points at checkout (100 points = ¥1), and a refund gives them back without charging twice', async () => {
    const funded = await setup(20, 200_000, '2026-04-01T02:00:00Z'); // 2 000 points, active after 7 days
    const ctx = at('2026-04-10T02:00:00Z');
    const orderId = await database.db.transaction((tx) =>
      openOrder(tx, ctx, {
        storeId: clinic.storeIds[0] ?? '',
        customerId: funded.customerId,
        lines: [{ itemId: goodsId, quantity: 1 }],
        payments: [
          { method: 'points', amountFen: 1_500 },
          { method: 'cash', amountFen: 8_500 },
        ],
      }),
    );
    // 2 000 earned − 1 500 spent + 85 earned on the cash part only.
    expect((await accountOf(funded.customerId))?.balance).toBe(2_000 - 1_500 + 85);
    const line = await lineOf(orderId);
    await database.db.transaction((tx) =>
      refundOrder(tx, at('2026-04-11T02:00:00Z'), orderId, {
        lines: [{ lineId: line?.id ?? '' }],
        payouts: [
          { method: 'points', amountFen: 1_500 },
          { method: 'cash', amountFen: 8_500 },
        ],
        reasonCode: 'customer_request',
      }),
    );
    expect((await accountOf(funded.customerId))?.balance).toBe(2_000);
    expect(await verifyPointsLedgers(database.db, clinic.id)).toEqual([]);
  });

  it('refuses points beyond the per-order cap or for drugs, writing nothing', async () => {
    const funded = await setup(20, 200_000, '2026-05-01T02:00:00Z');
    const drug = await database.db.transaction((tx) =>
      createItem(tx, at('2026-05-01T02:00:00Z').actor, { kind: 'drug', name: '利多卡因乳膏', priceFen: 10_000 }),
    );
    const attempt = (itemId: string, points: number) =>
      database.db.transaction((tx) =>
        openOrder(tx, at('2026-05-10T02:00:00Z'), {
          storeId: clinic.storeIds[0] ?? '',
          customerId: funded.customerId,
          lines: [{ itemId, quantity: 1 }],
          payments: [{ method: 'points', amountFen: points }],
        }),
      );
    await expect(attempt(goodsId, 6_000)).rejects.toMatchObject({ code: 'POINTS_REDEMPTION_REFUSED', message: expect.stringContaining('每单积分抵现上限') });
    await expect(attempt(drug.id, 1_000)).rejects.toMatchObject({ code: 'POINTS_REDEMPTION_REFUSED', message: expect.stringContaining('不能用积分') });
    expect((await accountOf(funded.customerId))?.balance).toBe(2_000);
  });
});
