import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { type Db, migrationsFolder, queryRows } from '../../db/client.js';
import { newId } from '../../platform/ids.js';
import { verifyStoredValueLedgers } from '../cards/verify.js';
import { earnPoints } from './ledger.js';
import { verifyPointsLedgers } from './verify.js';

/** Migration 0009 on a database that already holds entries: balances after are the running sums, in write order. */
const pglite = new PGlite();
const db = drizzle(pglite) as unknown as Db;

afterAll(() => pglite.close());

/** The migrations folder as it was before 0009. */
const before0009 = async () => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'yh-before-0009-'));
  await mkdir(path.join(folder, 'meta'));
  for (const file of await readdir(migrationsFolder)) {
    if (/^000[0-8]_.*\.sql$/.test(file)) await copyFile(path.join(migrationsFolder, file), path.join(folder, file));
  }
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number }[] };
  await writeFile(path.join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.filter((entry) => entry.idx <= 8) }));
  return folder;
};

describe('migration 0009: balance after every entry', () => {
  it('backfills existing entries as running sums and the books verify; new writes continue the chain', async () => {
    await migrate(db as never, { migrationsFolder: await before0009() });
    // The clinic and customer as the schema before 0009 holds them: rows of that schema only, so
    // later columns (a clinic's contact phone, a store's address) never reach this old database.
    const t = newId();
    const c = newId();
    await db.execute(sql`insert into tenants (id, code, name, timezone) values (${t}, ${`t-${t.slice(-10)}`}, '迁移诊所', 'Asia/Shanghai')`);
    await db.execute(sql`insert into customers (tenant_id, id, name, gender, phone) values (${t}, ${c}, '迁移', 'female', '13900000009')`);
    const [e1, e2, e3, e4, l1, l2] = [newId(), newId(), newId(), newId(), newId(), newId()];
    await db.execute(sql`insert into points_accounts (tenant_id, customer_id, balance) values (${t}, ${c}, 30)`);
    // Two entries share one instant (an order that redeems and earns in one transaction): ordered by id.
    await db.execute(sql`insert into points_entries (tenant_id, id, customer_id, type, points, growth, source_type, reason, idempotency_key, request_hash, created_at) values
      (${t}, ${e1}, ${c}, 'earn', 50, 0, 'manual', '{}', 'm:1', 'h', '2026-01-01T00:00:00Z'),
      (${t}, ${e2}, ${c}, 'redeem', -20, 0, 'manual', '{}', 'm:2', 'h', '2026-01-02T00:00:00Z'),
      (${t}, ${e3}, ${c}, 'earn', 10, 0, 'manual', '{}', 'm:3', 'h', '2026-01-03T00:00:00Z'),
      (${t}, ${e4}, ${c}, 'redeem', -10, 0, 'manual', '{}', 'm:4', 'h', '2026-01-03T00:00:00Z')`);
    await db.execute(sql`insert into points_lots (tenant_id, id, customer_id, entry_id, points, remaining, available_at, created_at) values
      (${t}, ${l1}, ${c}, ${e1}, 50, 30, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
      (${t}, ${l2}, ${c}, ${e3}, 10, 0, '2026-01-03T00:00:00Z', '2026-01-03T00:00:00Z')`);
    await db.execute(sql`insert into points_movements (tenant_id, id, entry_id, lot_id, points, position) values
      (${t}, ${newId()}, ${e1}, ${l1}, 50, 0), (${t}, ${newId()}, ${e2}, ${l1}, -20, 0), (${t}, ${newId()}, ${e3}, ${l2}, 10, 0), (${t}, ${newId()}, ${e4}, ${l2}, -10, 0)`);
    const [s1, s2, top] = [newId(), newId(), newId()];
    await db.execute(sql`insert into stored_value_accounts (tenant_id, customer_id, principal_fen, bonus_fen) values (${t}, ${c}, 700, 70)`);
    await db.execute(sql`insert into stored_value_entries (tenant_id, id, customer_id, type, principal_fen, bonus_fen, source_type, reason, idempotency_key, request_hash, created_at) values
      (${t}, ${s1}, ${c}, 'top_up', 1000, 100, 'manual', '{}', 's:1', 'h', '2026-01-01T00:00:00Z'),
      (${t}, ${s2}, ${c}, 'spend', -300, -30, 'manual', '{}', 's:2', 'h', '2026-01-02T00:00:00Z')`);
    await db.execute(sql`insert into stored_value_top_ups (tenant_id, id, customer_id, entry_id, kind, principal_fen, bonus_fen, principal_remaining_fen, bonus_remaining_fen, contract, created_at)
      values (${t}, ${top}, ${c}, ${s1}, 'top_up', 1000, 100, 700, 70, '{}', '2026-01-01T00:00:00Z')`);
    await db.execute(sql`insert into stored_value_movements (tenant_id, id, entry_id, top_up_id, principal_fen, bonus_fen, position) values
      (${t}, ${newId()}, ${s1}, ${top}, 1000, 100, 0), (${t}, ${newId()}, ${s2}, ${top}, -300, -30, 0)`);

    await migrate(db as never, { migrationsFolder });

    const points = await queryRows<{ id: string; balance_after: number }>(
      db,
      sql`select id, balance_after from points_entries where customer_id = ${c} order by seq`,
    );
    expect(points.map((row) => [row.id, Number(row.balance_after)])).toEqual([
      [e1, 50],
      [e2, 30],
      [e3, 40],
      [e4, 30],
    ]);
    const stored = await queryRows<{ principal: number; bonus: number }>(
      db,
      sql`select principal_after_fen as principal, bonus_after_fen as bonus from stored_value_entries where customer_id = ${c} order by seq`,
    );
    expect(stored.map((row) => [Number(row.principal), Number(row.bonus)])).toEqual([
      [1000, 100],
      [700, 70],
    ]);
    expect(await verifyPointsLedgers(db, t)).toEqual([]);
    expect(await verifyStoredValueLedgers(db, t)).toEqual([]);
    // The next write numbers after the backfilled ones and continues the chain.
    const earned = await db.transaction((tx) =>
      earnPoints(tx, {
        tenantId: t,
        customerId: c,
        idempotencyKey: 'after-0009',
        now: new Date('2026-02-01T00:00:00Z'),
        sourceType: 'manual',
        reason: {},
        points: 5,
        availableAt: new Date('2026-02-01T00:00:00Z'),
        expiresAt: null,
      }),
    );
    expect(earned.entry.balanceAfter).toBe(35);
    expect(earned.entry.seq).toBeGreaterThan(4);
    expect(await verifyPointsLedgers(db, t)).toEqual([]);
  });
});
