import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { openOrder } from '../flows/checkout.js';
import { createItem } from '../modules/catalog/service.js';
import { createCustomer } from '../modules/customers/service.js';
import { customers } from '../modules/customers/tables.js';
import { earnPoints } from '../modules/points/ledger.js';
import { pointsEntries } from '../modules/points/tables.js';
import { verifyPointsLedgers } from '../modules/points/verify.js';
import { makeCtx } from '../platform/context.js';
import { outbox } from '../platform/outbox.js';
import { createTestTenant, openTestDatabase, randomMobile, type TestTenant } from '../testing/database.js';
import { runActivitySweep, runExpiryReminderSweep, runPointsExpirySweep } from './sweeps.js';

let database: Database;
let clinic: TestTenant;
let customerId = '';

beforeAll(async () => {
  database = await openTestDatabase();
  clinic = await createTestTenant(database);
  // First and last consumption: 2026-01-01, 10:00 in Shanghai.
  const ctx = makeCtx({ tenantId: clinic.id, type: 'staff', id: clinic.staff.owner.id }, new Date('2026-01-01T02:00:00Z'), 'Asia/Shanghai');
  await database.db.transaction(async (tx) => {
    const item = await createItem(tx, ctx.actor, { kind: 'service', name: '水光', priceFen: 100_000 });
    const customer = await createCustomer(tx, ctx, { name: '活跃度', gender: 'female', phone: randomMobile() });
    customerId = customer.id;
    await openOrder(tx, ctx, {
      storeId: clinic.storeIds[0] ?? '',
      customerId,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'cash', amountFen: 100_000 }],
    });
  });
});

afterAll(async () => {
  await database.close();
});

const activityAt = async (instant: string) => {
  await runActivitySweep(database.db, { now: () => new Date(instant) });
  const [row] = await database.db
    .select({ activity: customers.activity })
    .from(customers)
    .where(and(eq(customers.tenantId, clinic.id), eq(customers.id, customerId)));
  return row?.activity;
};

describe('the daily activity sweep', () => {
  it('moves the tag at midnight in Asia/Shanghai: new → active on day 30, sleeping on day 90, deep sleep on day 180', async () => {
    expect(await activityAt('2026-01-30T15:59:59Z')).toBe('new'); // 2026-01-30 23:59:59, day 29
    expect(await activityAt('2026-01-30T16:00:00Z')).toBe('active'); // 2026-01-31 00:00, day 30
    expect(await activityAt('2026-03-31T15:59:59Z')).toBe('active'); // day 89, last second
    expect(await activityAt('2026-03-31T16:00:00Z')).toBe('sleeping'); // day 90 (2026-04-01)
    expect(await activityAt('2026-04-01T16:00:00Z')).toBe('sleeping'); // day 91
    expect(await activityAt('2026-06-29T16:00:00Z')).toBe('deep_sleep'); // day 180 (2026-06-30)
  });

  it('is idempotent: a second run on the same day changes nothing', async () => {
    await runActivitySweep(database.db, { now: () => new Date('2026-07-01T04:00:00Z') });
    const again = await runActivitySweep(database.db, { now: () => new Date('2026-07-01T04:00:00Z') });
    expect(again?.changed).toBe(0);
  });
});

describe('the points expiry sweep', () => {
  it('expires every due lot once and leaves the books balanced', async () => {
    const at = new Date('2026-02-01T00:00:00Z');
    await database.db.transaction((tx) =>
      earnPoints(tx, {
        tenantId: clinic.id,
        customerId,
        idempotencyKey: 'sweep-lot-1',
        now: at,
        sourceType: 'manual',
        reason: { test: true },
        points: 120,
        availableAt: at,
        expiresAt: new Date('2026-03-01T00:00:00Z'),
      }),
    );
    // The sweep covers every tenant, and other suites share this database: count this tenant's own entries.
    const expireEntries = async () =>
      (
        await database.db
          .select({ points: pointsEntries.points })
          .from(pointsEntries)
          .where(and(eq(pointsEntries.tenantId, clinic.id), eq(pointsEntries.customerId, customerId), eq(pointsEntries.type, 'expire')))
      ).map((row) => row.points);
    const first = await runPointsExpirySweep(database.db, { now: () => new Date('2026-03-02T00:00:00Z') }, 2, clinic.id);
    expect(first?.expired).toBeGreaterThanOrEqual(1);
    expect(await expireEntries()).toEqual([-120]);
    await runPointsExpirySweep(database.db, { now: () => new Date('2026-03-03T00:00:00Z') }, 2, clinic.id);
    expect(await expireEntries()).toEqual([-120]);
    expect(await verifyPointsLedgers(database.db, clinic.id)).toEqual([]);
  });
});

describe('points expiry reminders', () => {
  it('queues one reminder per customer, expiry day and horizon, however often the sweep runs', async () => {
    const at = new Date('2026-08-01T00:00:00Z');
    await database.db.transaction((tx) =>
      earnPoints(tx, {
        tenantId: clinic.id,
        customerId,
        idempotencyKey: 'reminder-lot-1',
        now: at,
        sourceType: 'manual',
        reason: { test: true },
        points: 90,
        availableAt: at,
        expiresAt: new Date('2026-08-20T04:00:00Z'),
      }),
    );
    const clock = { now: () => new Date('2026-08-15T00:00:00Z') };
    await runExpiryReminderSweep(database.db, clock);
    await runExpiryReminderSweep(database.db, clock);
    const queued = await database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.tenantId, clinic.id), eq(outbox.customerId, customerId)));
    expect(queued.map((row) => [row.topic, (row.payload as { daysBefore: number }).daysBefore, (row.payload as { points: number }).points]).sort()).toEqual([
      ['points.expiring', 30, 90],
      ['points.expiring', 7, 90],
    ]);
  });
});
