import { and, asc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { createTestTenant, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { createCustomer } from '../customers/service.js';
import { refundTopUp, restoreStoredValue, spendStoredValue, topUpStoredValue } from './stored-value.js';
import { storedValueAccounts, storedValueTopUps } from './tables.js';
import { verifyStoredValueLedgers } from './verify.js';

/**
 * Model-based test (fast-check commands): the stored-value ledger on the database against a
 * small in-memory model written apart from it. After every top-up, spend, refund of a top-up
 * and give-back of a spend, principal and bonus (per account and per top-up) must agree with
 * the model and verify-ledgers must find nothing. On failure fast-check prints the seed and the
 * shortest failing command list.
 */
type ModelLot = { principal: number; bonus: number; refunded: boolean };
type ModelSpend = { takes: { lot: number; principal: number; bonus: number }[]; restored: boolean; entryId: string };
type Model = { lots: ModelLot[]; spends: ModelSpend[]; now: number };
type Real = { database: Database; tenantId: string; customerId: string; counter: { value: number } };

const start = Date.parse('2026-03-01T02:00:00Z');
const total = (model: Model, part: 'principal' | 'bonus') => model.lots.reduce((sum, lot) => sum + lot[part], 0);
/** Each command a second after the last, so top-ups are ordered as the model orders them. */
const options = (model: Model, real: Real, name: string) => {
  model.now += 1000;
  return {
    tenantId: real.tenantId,
    customerId: real.customerId,
    idempotencyKey: `${real.customerId}:${name}-${real.counter.value++}`,
    now: new Date(model.now),
    sourceType: 'manual' as const,
    reason: {},
  };
};

const check = async (model: Model, real: Real) => {
  const [account] = await real.database.db
    .select()
    .from(storedValueAccounts)
    .where(and(eq(storedValueAccounts.tenantId, real.tenantId), eq(storedValueAccounts.customerId, real.customerId)));
  expect([account?.principalFen ?? 0, account?.bonusFen ?? 0]).toEqual([total(model, 'principal'), total(model, 'bonus')]);
  const lots = await real.database.db
    .select()
    .from(storedValueTopUps)
    .where(and(eq(storedValueTopUps.tenantId, real.tenantId), eq(storedValueTopUps.customerId, real.customerId)))
    .orderBy(asc(storedValueTopUps.createdAt), asc(storedValueTopUps.id));
  expect(lots.map((lot) => [lot.principalRemainingFen, lot.bonusRemainingFen, lot.refundedAt !== null])).toEqual(
    model.lots.map((lot) => [lot.principal, lot.bonus, lot.refunded]),
  );
  const problems = (await verifyStoredValueLedgers(real.database.db, real.tenantId)).filter((problem) => problem.customerId === real.customerId);
  expect(problems).toEqual([]);
};

class TopUp implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly principal: number,
    readonly bonus: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    await real.database.db.transaction((tx) =>
      topUpStoredValue(tx, { ...options(model, real, 'top-up'), principalFen: this.principal, bonusFen: this.bonus, contract: { test: true } }),
    );
    model.lots.push({ principal: this.principal, bonus: this.bonus, refunded: false });
    await check(model, real);
  }
  toString = () => `topUp(${this.principal} + ${this.bonus})`;
}

class Spend implements fc.AsyncCommand<Model, Real> {
  constructor(readonly amount: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const spend = () =>
      real.database.db.transaction((tx) => spendStoredValue(tx, { ...options(model, real, 'spend'), amountFen: this.amount, policy: 'proportional' }));
    const live = model.lots.filter((lot) => !lot.refunded);
    if (live.reduce((sum, lot) => sum + lot.principal + lot.bonus, 0) < this.amount) {
      await expect(spend()).rejects.toBeInstanceOf(DomainError);
    } else {
      const result = await spend();
      // The model's rule: oldest top-up first; within one, bonus in proportion to what it holds, rounded up.
      const takes: ModelSpend['takes'] = [];
      let left = this.amount;
      model.lots.forEach((lot, index) => {
        if (left === 0 || lot.refunded) return;
        const held = lot.principal + lot.bonus;
        const chunk = Math.min(left, held);
        if (chunk === 0) return;
        const bonus = Math.min(lot.bonus, Math.ceil((chunk * lot.bonus) / held));
        takes.push({ lot: index, principal: chunk - bonus, bonus });
        lot.principal -= chunk - bonus;
        lot.bonus -= bonus;
        left -= chunk;
      });
      model.spends.push({ takes, restored: false, entryId: result.entry.id });
    }
    await check(model, real);
  }
  toString = () => `spend(${this.amount})`;
}

class GiveBack implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.spends.some((spend) => !spend.restored);
  async run(model: Model, real: Real) {
    const open = model.spends.filter((spend) => !spend.restored);
    const spend = open[this.pick % open.length];
    if (!spend) throw new Error('no spend to give back');
    await real.database.db.transaction((tx) => restoreStoredValue(tx, { ...options(model, real, 'give-back'), entryId: spend.entryId }));
    spend.restored = true;
    // Back exactly as taken, last taken first; into a new lot where the top-up was refunded since.
    for (const take of [...spend.takes].reverse()) {
      const lot = model.lots[take.lot];
      if (!lot) throw new Error('unknown lot');
      if (lot.refunded) {
        model.lots.push({ principal: take.principal, bonus: take.bonus, refunded: false });
      } else {
        lot.principal += take.principal;
        lot.bonus += take.bonus;
      }
    }
    await check(model, real);
  }
  toString = () => `giveBack(#${this.pick})`;
}

class RefundTopUp implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.lots.some((lot) => !lot.refunded);
  async run(model: Model, real: Real) {
    const lots = await real.database.db
      .select()
      .from(storedValueTopUps)
      .where(and(eq(storedValueTopUps.tenantId, real.tenantId), eq(storedValueTopUps.customerId, real.customerId)))
      .orderBy(asc(storedValueTopUps.createdAt), asc(storedValueTopUps.id));
    const open = model.lots.map((lot, index) => ({ lot, index })).filter(({ lot }) => !lot.refunded);
    const chosen = open[this.pick % open.length];
    const row = chosen ? lots[chosen.index] : undefined;
    if (!chosen || !row) throw new Error('no lot to refund');
    const result = await real.database.db.transaction((tx) => refundTopUp(tx, { ...options(model, real, 'refund'), topUpId: row.id }));
    // Unused principal comes back; unused bonus is void.
    expect([result.principalFen, result.voidedBonusFen]).toEqual([chosen.lot.principal, chosen.lot.bonus]);
    chosen.lot.principal = 0;
    chosen.lot.bonus = 0;
    chosen.lot.refunded = true;
    await check(model, real);
  }
  toString = () => `refundTopUp(#${this.pick})`;
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

describe('the stored-value ledger against an in-memory model', () => {
  it('agrees on principal and bonus, per account and per top-up, after every top-up, spend, give-back and refund', async () => {
    const commands = [
      fc.tuple(fc.integer({ min: 1, max: 50_000 }), fc.integer({ min: 0, max: 10_000 })).map(([principal, bonus]) => new TopUp(principal, bonus)),
      fc.integer({ min: 1, max: 60_000 }).map((amount) => new Spend(amount)),
      fc.nat(10).map((pick) => new GiveBack(pick)),
      fc.nat(10).map((pick) => new RefundTopUp(pick)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 14 }), async (list) => {
        const customer = await createCustomer(database.db, makeCtx(systemActor(clinic.id), new Date(), 'Asia/Shanghai'), {
          name: '模型',
          gender: 'female',
          phone: randomMobile(),
        });
        await fc.asyncModelRun(
          () => ({ model: { lots: [], spends: [], now: start }, real: { database, tenantId: clinic.id, customerId: customer.id, counter: { value: 0 } } }),
          list,
        );
      }),
      { numRuns: 25 },
    );
  });
});
