import { and, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { createTestTenant, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { createCustomer } from '../customers/service.js';
import { expireDueLotsBatch } from './expiry.js';
import { adjustPoints, earnPoints, type LedgerOptions, redeemPoints, reverseEntry } from './ledger.js';
import { isActive, isWrittenOff } from './lots.js';
import { pointsAccounts, pointsEntries, pointsLots } from './tables.js';
import { verifyPointsLedgers } from './verify.js';

let database: Database;
let clinic: TestTenant;

beforeAll(async () => {
  database = await openTestDatabase();
  clinic = await createTestTenant(database);
});

afterAll(async () => {
  await database.close();
});

const day = 86_400_000;
const start = Date.parse('2026-01-01T02:00:00Z');
const newCustomer = async () =>
  (
    await database.db.transaction((tx) =>
      createCustomer(tx, makeCtx(systemActor(clinic.id), new Date(), 'Asia/Shanghai'), { name: '积分客户', gender: 'female', phone: randomMobile() }),
    )
  ).id;
const base = (customerId: string, key: string, now: number): LedgerOptions => ({
  tenantId: clinic.id,
  customerId,
  idempotencyKey: key,
  now: new Date(now),
  sourceType: 'manual',
  reason: { test: true },
});
const account = async (customerId: string) => {
  const [row] = await database.db
    .select()
    .from(pointsAccounts)
    .where(and(eq(pointsAccounts.tenantId, clinic.id), eq(pointsAccounts.customerId, customerId)));
  return row;
};
const lotsOf = (customerId: string) =>
  database.db
    .select()
    .from(pointsLots)
    .where(and(eq(pointsLots.tenantId, clinic.id), eq(pointsLots.customerId, customerId)));
const run = <T>(work: Parameters<typeof database.db.transaction<T>>[0]) => database.db.transaction(work);

describe('points ledger guarantees', () => {
  it('spends the lots that expire first, and only active ones', async () => {
    const customer = await newCustomer();
    await run((tx) => earnPoints(tx, { ...base(customer, 'a', start), points: 100, availableAt: new Date(start), expiresAt: new Date(start + 300 * day) }));
    await run((tx) => earnPoints(tx, { ...base(customer, 'b', start), points: 100, availableAt: new Date(start), expiresAt: new Date(start + 30 * day) }));
    await run((tx) =>
      earnPoints(tx, { ...base(customer, 'c', start), points: 500, availableAt: new Date(start + 7 * day), expiresAt: new Date(start + 10 * day) }),
    );
    await expect(run((tx) => redeemPoints(tx, { ...base(customer, 'r0', start + day), points: 201 }))).rejects.toMatchObject({ code: 'POINTS_INSUFFICIENT' });
    await run((tx) => redeemPoints(tx, { ...base(customer, 'r1', start + day), points: 150 }));
    const lots = await lotsOf(customer);
    const byExpiry = lots.sort((a, b) => (a.expiresAt?.getTime() ?? 0) - (b.expiresAt?.getTime() ?? 0)).map((lot) => lot.remaining);
    expect(byExpiry).toEqual([500, 0, 50]); // the pending 500 untouched, the 30-day lot first
    expect((await account(customer))?.balance).toBe(550);
  });

  it('replays the same key with the first result, and refuses the key for another request', async () => {
    const customer = await newCustomer();
    const options = { ...base(customer, 'same', start), points: 80, availableAt: new Date(start), expiresAt: null };
    const first = await run((tx) => earnPoints(tx, options));
    const second = await run((tx) => earnPoints(tx, options));
    expect(second).toEqual({ entry: first.entry, isReplay: true });
    expect((await account(customer))?.balance).toBe(80);
    await expect(run((tx) => earnPoints(tx, { ...options, points: 81 }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('expires each lot once, however often the sweep runs', async () => {
    const customer = await newCustomer();
    await run((tx) => earnPoints(tx, { ...base(customer, 'e', start), points: 70, availableAt: new Date(start), expiresAt: new Date(start + day) }));
    await run((tx) => expireDueLotsBatch(tx, new Date(start + 2 * day), 1000, clinic.id));
    await run((tx) => expireDueLotsBatch(tx, new Date(start + 3 * day), 1000, clinic.id));
    const entries = await database.db
      .select()
      .from(pointsEntries)
      .where(and(eq(pointsEntries.tenantId, clinic.id), eq(pointsEntries.customerId, customer)));
    expect(entries.map((entry) => [entry.type, entry.points])).toEqual([
      ['earn', 70],
      ['expire', -70],
    ]);
  });

  it('writes off what is due at the watermark only, leaves later lots, and verify-ledgers reports a lot the sweep would miss', async () => {
    const customer = await newCustomer();
    const earn = (key: string, points: number, days: number) =>
      run((tx) => earnPoints(tx, { ...base(customer, key, start), points, availableAt: new Date(start), expiresAt: new Date(start + days * day) }));
    await earn('w1', 40, 2);
    await earn('w2', 50, 5);
    await earn('w3', 60, 9);
    expect((await account(customer))?.nextExpiryAt?.toISOString()).toBe(new Date(start + 2 * day).toISOString());
    await run((tx) => expireDueLotsBatch(tx, new Date(start + 6 * day), 1000, clinic.id));
    expect(await account(customer)).toMatchObject({ balance: 60, expiredThrough: new Date(start + 6 * day), nextExpiryAt: new Date(start + 9 * day) });
    // An earn may not create a lot that is already written off, but a replay of one that has since expired answers as before.
    await expect(earn('w4', 10, 4)).rejects.toMatchObject({ code: 'POINTS_EXPIRY_IN_PAST' });
    expect((await earn('w1', 40, 2)).isReplay).toBe(true);
    expect(await run((tx) => verifyPointsLedgers(tx, clinic.id))).toEqual([]);
    // Drift: the sweep told to look too late would miss the 9-day lot.
    await database.db
      .update(pointsAccounts)
      .set({ nextExpiryAt: new Date(start + 30 * day) })
      .where(and(eq(pointsAccounts.tenantId, clinic.id), eq(pointsAccounts.customerId, customer)));
    const problems = await run((tx) => verifyPointsLedgers(tx, clinic.id));
    expect(problems.map((problem) => [problem.customerId, problem.problem])).toEqual([[customer, 'expiry_missed']]);
    await database.db
      .update(pointsAccounts)
      .set({ nextExpiryAt: new Date(start + 9 * day) })
      .where(and(eq(pointsAccounts.tenantId, clinic.id), eq(pointsAccounts.customerId, customer)));
  });

  it('a refund after the points were spent records a debt, repaid by the next earnings', async () => {
    const customer = await newCustomer();
    const earned = await run((tx) =>
      earnPoints(tx, { ...base(customer, 'order-1', start), points: 300, availableAt: new Date(start), expiresAt: null, growth: 300 }),
    );
    await run((tx) => redeemPoints(tx, { ...base(customer, 'spend', start + day), points: 250 }));
    await run((tx) => reverseEntry(tx, { ...base(customer, 'refund-1', start + 2 * day), entryId: earned.entry.id, growth: 300 }));
    expect(await account(customer)).toMatchObject({ balance: -250, debt: 250, growth: 0 });
    await run((tx) => earnPoints(tx, { ...base(customer, 'order-2', start + 3 * day), points: 100, availableAt: new Date(start), expiresAt: null }));
    expect(await account(customer)).toMatchObject({ balance: -150, debt: 150 });
    await expect(run((tx) => reverseEntry(tx, { ...base(customer, 'refund-again', start + 4 * day), entryId: earned.entry.id }))).rejects.toMatchObject({
      code: 'POINTS_REVERSAL_EXCEEDED',
    });
  });

  it('never charges points twice: reversing a redeem gives back exactly what was taken, even from an expired lot', async () => {
    const customer = await newCustomer();
    await run((tx) => earnPoints(tx, { ...base(customer, 'x1', start), points: 100, availableAt: new Date(start), expiresAt: new Date(start + 10 * day) }));
    const spent = await run((tx) => redeemPoints(tx, { ...base(customer, 'pay-with-points', start + day), points: 60 }));
    await run((tx) => reverseEntry(tx, { ...base(customer, 'refund-half', start + 2 * day), entryId: spent.entry.id, points: 30 }));
    expect((await account(customer))?.balance).toBe(70);
    await run((tx) => expireDueLotsBatch(tx, new Date(start + 11 * day), 1000, clinic.id));
    await run((tx) => reverseEntry(tx, { ...base(customer, 'refund-rest', start + 12 * day), entryId: spent.entry.id }));
    expect((await account(customer))?.balance).toBe(30); // the rest comes back in a fresh lot with a grace period
    const fresh = (await lotsOf(customer)).find((row) => row.remaining === 30 && row.expiresAt && row.expiresAt > new Date(start + 12 * day));
    expect(fresh?.expiresAt?.toISOString()).toBe(new Date(start + 12 * day + 30 * day).toISOString());
    await expect(run((tx) => reverseEntry(tx, { ...base(customer, 'refund-more', start + 13 * day), entryId: spent.entry.id }))).rejects.toMatchObject({
      code: 'POINTS_REVERSAL_EXCEEDED',
    });
  });

  it('does not claw back points that expired before the refund', async () => {
    const customer = await newCustomer();
    const earned = await run((tx) =>
      earnPoints(tx, { ...base(customer, 'y1', start), points: 100, availableAt: new Date(start), expiresAt: new Date(start + day) }),
    );
    await run((tx) => redeemPoints(tx, { ...base(customer, 'y2', start), points: 30 }));
    await run((tx) => expireDueLotsBatch(tx, new Date(start + 2 * day), 1000, clinic.id));
    await run((tx) => reverseEntry(tx, { ...base(customer, 'y3', start + 3 * day), entryId: earned.entry.id }));
    expect(await account(customer)).toMatchObject({ balance: -30, debt: 30 });
  });
});

describe('random sequences keep every invariant', () => {
  type Step =
    | { op: 'earn'; points: number; pendingDays: number; expiryDays: number | null }
    | { op: 'redeem'; points: number }
    | { op: 'adjust'; points: number }
    | { op: 'advance'; days: number }
    | { op: 'reverse'; index: number; part: number | null }
    | { op: 'replay'; index: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      op: fc.constant('earn' as const),
      points: fc.integer({ min: 1, max: 500 }),
      pendingDays: fc.integer({ min: 0, max: 7 }),
      expiryDays: fc.option(fc.integer({ min: 1, max: 60 })),
    }),
    fc.record({ op: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 400 }) }),
    fc.record({ op: fc.constant('adjust' as const), points: fc.integer({ min: -300, max: 300 }).filter((value) => value !== 0) }),
    fc.record({ op: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ op: fc.constant('reverse' as const), index: fc.nat(20), part: fc.option(fc.integer({ min: 1, max: 200 })) }),
    fc.record({ op: fc.constant('replay' as const), index: fc.nat(20) }),
  );

  it('balance = Σ entries = Σ live lots − debt; active + pending = Σ live lots; replays change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const customer = await newCustomer();
        let now = start;
        const done: { key: string; run: () => Promise<unknown> }[] = [];
        for (const [index, current] of steps.entries()) {
          const key = `step-${index}`;
          const attempt = async (work: () => Promise<unknown>) => {
            try {
              await work();
              done.push({ key, run: work });
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
            }
          };
          const at = now;
          switch (current.op) {
            case 'earn':
              await attempt(() =>
                run((tx) =>
                  earnPoints(tx, {
                    ...base(customer, key, at),
                    points: current.points,
                    availableAt: new Date(at + current.pendingDays * day),
                    expiresAt: current.expiryDays === null ? null : new Date(at + current.expiryDays * day),
                  }),
                ),
              );
              break;
            case 'redeem':
              await attempt(() => run((tx) => redeemPoints(tx, { ...base(customer, key, at), points: current.points })));
              break;
            case 'adjust':
              await attempt(() => run((tx) => adjustPoints(tx, { ...base(customer, key, at), points: current.points, expiresAt: null })));
              break;
            case 'advance': {
              now += current.days * day;
              await run((tx) => expireDueLotsBatch(tx, new Date(now), 1000, clinic.id));
              break;
            }
            case 'reverse': {
              const entries = await database.db
                .select()
                .from(pointsEntries)
                .where(and(eq(pointsEntries.tenantId, clinic.id), eq(pointsEntries.customerId, customer)));
              const target = entries.filter((entry) => entry.type === 'earn' || entry.type === 'redeem')[current.index % Math.max(1, entries.length)];
              if (target)
                await attempt(() => run((tx) => reverseEntry(tx, { ...base(customer, key, at), entryId: target.id, points: current.part ?? undefined })));
              break;
            }
            case 'replay': {
              const previous = done[current.index % Math.max(1, done.length)];
              if (previous) {
                const before = await account(customer);
                await previous.run();
                expect(await account(customer)).toEqual(before);
              }
              break;
            }
          }
          const row = await account(customer);
          const lots = await lotsOf(customer);
          const unexpired = lots.filter((lot) => !isWrittenOff(lot, row?.expiredThrough ?? null));
          const live = unexpired.reduce((sum, lot) => sum + lot.remaining, 0);
          const active = lots.filter((lot) => isActive(lot, new Date(now))).reduce((sum, lot) => sum + lot.remaining, 0);
          const pending = unexpired
            .filter((lot) => lot.availableAt > new Date(now) && (!lot.expiresAt || lot.expiresAt > new Date(now)))
            .reduce((sum, lot) => sum + lot.remaining, 0);
          const overdue = unexpired.filter((lot) => lot.expiresAt && lot.expiresAt <= new Date(now)).reduce((sum, lot) => sum + lot.remaining, 0);
          if (row) {
            expect(row.balance).toBe(live - row.debt);
            expect(active + pending + overdue).toBe(live);
            expect(row.debt).toBeGreaterThanOrEqual(0);
          }
          for (const lot of lots) expect(lot.remaining).toBeGreaterThanOrEqual(0);
        }
        expect(await run((tx) => verifyPointsLedgers(tx, clinic.id))).toEqual([]);
      }),
      { numRuns: 30, verbose: true },
    );
  });
});

describe('races (real concurrency on PostgreSQL; serialised on PGlite)', () => {
  it('50 concurrent redemptions of 10 points against a balance of 100: exactly 10 succeed, the balance is exact', async () => {
    const customer = await newCustomer();
    await run((tx) => earnPoints(tx, { ...base(customer, 'fund', start), points: 100, availableAt: new Date(start), expiresAt: null }));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) => run((tx) => redeemPoints(tx, { ...base(customer, `race-${index}`, start + 1000), points: 10 }))),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(10);
    const refusals = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refusals.every((result) => result.reason instanceof DomainError && result.reason.code === 'POINTS_INSUFFICIENT')).toBe(true);
    expect((await account(customer))?.balance).toBe(0);
    expect(await run((tx) => verifyPointsLedgers(tx, clinic.id))).toEqual([]);
  });

  it('concurrent replays of one idempotency key have one effect', async () => {
    const customer = await newCustomer();
    const options = { ...base(customer, 'one-key', start), points: 40, availableAt: new Date(start), expiresAt: null };
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => run((tx) => earnPoints(tx, options))));
    const entries = new Set(results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.entry.id] : [])));
    expect(entries.size).toBe(1);
    expect((await account(customer))?.balance).toBe(40);
  });
});
