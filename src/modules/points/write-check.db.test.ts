import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, queryRows } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import { createTestTenant, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { spendStoredValue, topUpStoredValue } from '../cards/stored-value.js';
import { verifyStoredValueLedgers } from '../cards/verify.js';
import { createCustomer } from '../customers/service.js';
import { earnPoints, redeemPoints } from './ledger.js';
import { verifyPointsLedgers } from './verify.js';

/**
 * The kernel's O(1) write check: an account that drifted from its last entry's balance after
 * refuses the next write (nothing is committed), and verify-ledgers names the broken link.
 */
let database: Database;
let clinic: TestTenant;

beforeAll(async () => {
  database = await openTestDatabase();
  clinic = await createTestTenant(database);
});

afterAll(async () => {
  await database.close();
});

const customer = async () =>
  (await createCustomer(database.db, makeCtx(systemActor(clinic.id), new Date(), 'Asia/Shanghai'), { name: '校验', gender: 'female', phone: randomMobile() }))
    .id;
const base = (customerId: string, key: string) => ({
  tenantId: clinic.id,
  customerId,
  idempotencyKey: key,
  now: new Date(),
  sourceType: 'manual' as const,
  reason: { rule: 'test' },
});

describe('the write-path check in O(1)', () => {
  it('refuses a points write on an account that drifted from its entries, commits nothing, and verify names the drift', async () => {
    const customerId = await customer();
    const earn = (key: string) =>
      database.db.transaction((tx) => earnPoints(tx, { ...base(customerId, key), points: 100, availableAt: new Date(Date.now() - 1000), expiresAt: null }));
    const redeem = (key: string) => database.db.transaction((tx) => redeemPoints(tx, { ...base(customerId, key), points: 10 }));
    expect((await earn(`${customerId}:1`)).entry.balanceAfter).toBe(100);
    expect((await redeem(`${customerId}:2`)).entry.balanceAfter).toBe(90);
    expect(await verifyPointsLedgers(database.db, clinic.id)).toEqual([]);
    // The account moves without an entry: the last entry says 90, the account 91.
    await database.db.execute(sql`update points_accounts set balance = balance + 1 where tenant_id = ${clinic.id} and customer_id = ${customerId}`);
    await expect(earn(`${customerId}:3`)).rejects.toThrow(/out of balance/);
    await expect(redeem(`${customerId}:4`)).rejects.toThrow(/out of balance/);
    const [entries] = await queryRows<{ count: number }>(database.db, sql`select count(*)::int as count from points_entries where customer_id = ${customerId}`);
    expect(Number(entries?.count)).toBe(2);
    const problems = (await verifyPointsLedgers(database.db, clinic.id)).map((problem) => problem.problem);
    expect(problems).toEqual(expect.arrayContaining(['points_vs_entries', 'points_last_balance_after']));
  });

  it('stored value: principal and bonus after each entry; a broken chain is refused on write and named by verify', async () => {
    const customerId = await customer();
    await database.db.transaction((tx) =>
      topUpStoredValue(tx, { ...base(customerId, `${customerId}:top`), principalFen: 10_000, bonusFen: 1_000, contract: {} }),
    );
    const spent = await database.db.transaction((tx) =>
      spendStoredValue(tx, { ...base(customerId, `${customerId}:spend`), amountFen: 1_100, policy: 'proportional' }),
    );
    expect([spent.entry.principalAfterFen, spent.entry.bonusAfterFen]).toEqual([9_000, 900]);
    expect(await verifyStoredValueLedgers(database.db, clinic.id)).toEqual([]);
    await database.db.execute(
      sql`update stored_value_entries set principal_after_fen = principal_after_fen + 5 where tenant_id = ${clinic.id} and id = ${spent.entry.id}`,
    );
    const problems = (await verifyStoredValueLedgers(database.db, clinic.id)).map((problem) => problem.problem);
    expect(problems).toEqual(expect.arrayContaining(['stored_value_balance_after_chain', 'stored_value_last_balance_after']));
    await expect(
      database.db.transaction((tx) => spendStoredValue(tx, { ...base(customerId, `${customerId}:again`), amountFen: 100, policy: 'proportional' })),
    ).rejects.toThrow(/out of balance/);
  });
});
