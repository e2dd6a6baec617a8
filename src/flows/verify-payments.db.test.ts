import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { topUpStoredValue } from '../modules/cards/stored-value.js';
import { earnPoints } from '../modules/points/ledger.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type TestTenant } from '../testing/database.js';
import { verifyLedgerPayments } from './verify-payments.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let owner: ReturnType<typeof apiAs>;

type App = Awaited<ReturnType<typeof buildTestApp>>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database);
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('verify-ledgers: payments against their ledger entries', () => {
  it('finds every points and stored-value payment matched, then reports the one corrupted', async () => {
    const customerId = (await owner.post('/customers', { name: '对账客户', gender: 'female', phone: randomMobile() })).json().id as string;
    const now = new Date();
    await database.db.transaction(async (tx) => {
      await earnPoints(tx, {
        tenantId: clinic.id,
        customerId,
        idempotencyKey: `verify-payments:${customerId}:earn`,
        now,
        sourceType: 'manual',
        reason: { rule: 'test' },
        points: 5_000,
        availableAt: new Date(now.getTime() - 86_400_000),
        expiresAt: null,
      });
      await topUpStoredValue(tx, {
        tenantId: clinic.id,
        customerId,
        idempotencyKey: `verify-payments:${customerId}:top-up`,
        now,
        sourceType: 'manual',
        reason: { rule: 'test' },
        principalFen: 100_000,
        bonusFen: 10_000,
        contract: {},
      });
    });
    const item = (await owner.post('/items', { kind: 'service', name: '对账项目', priceFen: 30_000 })).json();
    const order = await owner.post('/orders', {
      storeId: clinic.storeIds[0],
      customerId,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [
        { method: 'points', amountFen: 5_000 },
        { method: 'stored_value', amountFen: 20_000 },
        { method: 'cash', amountFen: 5_000 },
      ],
    });
    expect(order.statusCode, order.body).toBe(201);
    const orderId = order.json().id as string;
    expect(await verifyLedgerPayments(database.db, clinic.id)).toEqual([]);

    // The stored-value payment says more than its spend took.
    await database.db.execute(
      sql`update payments set amount_fen = amount_fen + 100 where tenant_id = ${clinic.id} and order_id = ${orderId} and method = 'stored_value'`,
    );
    // The points redemption names another order.
    await database.db.execute(
      sql`update points_entries set source_id = 'another-order' where tenant_id = ${clinic.id} and customer_id = ${customerId} and type = 'redeem'`,
    );
    const problems = await verifyLedgerPayments(database.db, clinic.id);
    expect(problems.map((problem) => [problem.customerId, problem.problem]).sort()).toEqual([
      [customerId, 'points_payment_vs_entry'],
      [customerId, 'stored_value_payment_vs_entry'],
    ]);
    expect(problems.find((problem) => problem.problem === 'stored_value_payment_vs_entry')?.detail).toContain('20100 fen');

    // A spend whose payment is gone is reported from the ledger's side.
    await database.db.execute(sql`delete from payments where tenant_id = ${clinic.id} and order_id = ${orderId} and method = 'stored_value'`);
    expect((await verifyLedgerPayments(database.db, clinic.id)).map((problem) => problem.problem)).toContain('stored_value_entry_without_payment');
  });
});
