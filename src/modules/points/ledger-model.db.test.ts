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
import { earnPoints, redeemPoints } from './ledger.js';
import { isWrittenOff } from './lots.js';
import { pointsAccounts, pointsLots } from './tables.js';

/**
 * Model-based test (fast-check commands): the ledger on the database against a small
 * in-memory model written independently of it. After every command the balance, the active
 * and the pending points must agree with the model (replays are covered in ledger.db.test.ts).
 * On failure fast-check prints the seed and the shortest failing command list.
 */
const day = 86_400_000;
const start = Date.parse('2026-01-01T02:00:00Z');

type ModelLot = { points: number; remaining: number; availableAt: number; expiresAt: number | null; order: number };
type Model = { lots: ModelLot[]; now: number };
type Real = { database: Database; tenantId: string; customerId: string; counter: { value: number } };

const live = (model: Model) => model.lots.filter((lot) => lot.remaining > 0 && (lot.expiresAt === null || lot.expiresAt > model.now));
const active = (model: Model) => live(model).filter((lot) => lot.availableAt <= model.now);
const sum = (lots: ModelLot[]) => lots.reduce((total, lot) => total + lot.remaining, 0);

const check = async (model: Model, real: Real) => {
  const [account] = await real.database.db
    .select()
    .from(pointsAccounts)
    .where(and(eq(pointsAccounts.tenantId, real.tenantId), eq(pointsAccounts.customerId, real.customerId)));
  const lots = await real.database.db
    .select()
    .from(pointsLots)
    .where(and(eq(pointsLots.tenantId, real.tenantId), eq(pointsLots.customerId, real.customerId)));
  const now = new Date(model.now);
  const liveLots = lots.filter((lot) => !isWrittenOff(lot, account?.expiredThrough ?? null) && lot.remaining > 0 && (!lot.expiresAt || lot.expiresAt > now));
  expect(account?.balance ?? 0).toBe(sum(live(model)));
  expect(liveLots.filter((lot) => lot.availableAt <= now).reduce((total, lot) => total + lot.remaining, 0)).toBe(sum(active(model)));
  expect(liveLots.filter((lot) => lot.availableAt > now).reduce((total, lot) => total + lot.remaining, 0)).toBe(sum(live(model)) - sum(active(model)));
};

class Earn implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly points: number,
    readonly pendingDays: number,
    readonly expiryDays: number | null,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const key = `${real.customerId}:earn-${real.counter.value++}`;
    await real.database.db.transaction((tx) =>
      earnPoints(tx, {
        tenantId: real.tenantId,
        customerId: real.customerId,
        idempotencyKey: key,
        now: new Date(model.now),
        sourceType: 'manual',
        reason: {},
        points: this.points,
        availableAt: new Date(model.now + this.pendingDays * day),
        expiresAt: this.expiryDays === null ? null : new Date(model.now + this.expiryDays * day),
      }),
    );
    model.lots.push({
      points: this.points,
      remaining: this.points,
      availableAt: model.now + this.pendingDays * day,
      expiresAt: this.expiryDays === null ? null : model.now + this.expiryDays * day,
      order: model.lots.length,
    });
    await check(model, real);
  }
  toString = () => `earn(${this.points}, pending ${this.pendingDays}d, expires ${this.expiryDays}d)`;
}

class Redeem implements fc.AsyncCommand<Model, Real> {
  constructor(readonly points: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const key = `${real.customerId}:redeem-${real.counter.value++}`;
    const spend = () =>
      real.database.db.transaction((tx) =>
        redeemPoints(tx, {
          tenantId: real.tenantId,
          customerId: real.customerId,
          idempotencyKey: key,
          now: new Date(model.now),
          sourceType: 'manual',
          reason: {},
          points: this.points,
        }),
      );
    if (sum(active(model)) < this.points) {
      await expect(spend()).rejects.toBeInstanceOf(DomainError);
    } else {
      await spend();
      // The model's own rule: soonest expiry first (never-expiring last), then oldest.
      let left = this.points;
      for (const lot of [...active(model)].sort(
        (a, b) => (a.expiresAt ?? Number.POSITIVE_INFINITY) - (b.expiresAt ?? Number.POSITIVE_INFINITY) || a.order - b.order,
      )) {
        const take = Math.min(left, lot.remaining);
        lot.remaining -= take;
        left -= take;
      }
    }
    await check(model, real);
  }
  toString = () => `redeem(${this.points})`;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly days: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    model.now += this.days * day;
    await real.database.db.transaction((tx) => expireDueLotsBatch(tx, new Date(model.now), 10_000, real.tenantId));
    for (const lot of model.lots) if (lot.expiresAt !== null && lot.expiresAt <= model.now) lot.remaining = 0;
    await check(model, real);
  }
  toString = () => `advance(${this.days}d)`;
}

let database: Database;
let clinic: TestTenant;

beforeAll(async () => {
  database = await openTestDatabase();
  clinic = await createTestTenant(database);
});

afterAll(async () => {
  await database.close();
});

describe('the points ledger against an in-memory model', () => {
  it('agrees on balance, active and pending points after every earn, redeem and passing day', async () => {
    const commands = [
      fc
        .tuple(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 7 }), fc.option(fc.integer({ min: 1, max: 60 })))
        .map(([points, pending, expiry]) => new Earn(points, pending, expiry)),
      fc.integer({ min: 1, max: 600 }).map((points) => new Redeem(points)),
      fc.integer({ min: 1, max: 30 }).map((days) => new Advance(days)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 15 }), async (list) => {
        const customer = await createCustomer(database.db, makeCtx(systemActor(clinic.id), new Date(), 'Asia/Shanghai'), {
          name: '模型',
          gender: 'female',
          phone: randomMobile(),
        });
        await fc.asyncModelRun(
          () => ({ model: { lots: [], now: start }, real: { database, tenantId: clinic.id, customerId: customer.id, counter: { value: 0 } } }),
          list,
        );
      }),
      { numRuns: 25 },
    );
  });
});
