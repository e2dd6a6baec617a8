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

/** Migration 0015 on a database that already holds closes: days closed before it stay closed. */
const pglite = new PGlite();
const db = drizzle(pglite) as unknown as Db;

afterAll(() => pglite.close());

/** The migrations folder as it was before 0015. */
const before0015 = async () => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'yh-before-0015-'));
  await mkdir(path.join(folder, 'meta'));
  for (const file of await readdir(migrationsFolder)) {
    if (/^00(0\d|1[0-4])_.*\.sql$/.test(file)) await copyFile(path.join(migrationsFolder, file), path.join(folder, file));
  }
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number }[] };
  await writeFile(path.join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.filter((entry) => entry.idx <= 14) }));
  return folder;
};

describe('migration 0015: the day close locks the day', () => {
  it("keeps each store's latest whole-store close as its closed day; cashier closes and stores never closed stay open", async () => {
    await migrate(db as never, { migrationsFolder: await before0015() });
    const t = newId();
    const [closed, cashierOnly, never] = [newId(), newId(), newId()];
    await db.execute(sql`insert into tenants (id, code, name, timezone) values (${t}, ${`t-${t.slice(-10)}`}, '迁移诊所', 'Asia/Shanghai')`);
    await db.execute(
      sql`insert into stores (tenant_id, id, name) values (${t}, ${closed}, '一号店'), (${t}, ${cashierOnly}, '二号店'), (${t}, ${never}, '三号店')`,
    );
    await db.execute(sql`insert into shift_closes (tenant_id, id, store_id, scope, business_date, totals) values
      (${t}, ${newId()}, ${closed}, 'all', '2026-12-05', '{}'),
      (${t}, ${newId()}, ${closed}, 'all', '2026-12-06', '{}'),
      (${t}, ${newId()}, ${closed}, ${newId()}, '2026-12-07', '{}'),
      (${t}, ${newId()}, ${cashierOnly}, ${newId()}, '2026-12-07', '{}')`);

    await migrate(db as never, { migrationsFolder });

    const rows = await queryRows<{ id: string; last_closed_day: string | null; counted_cash_fen: number | null }>(
      db,
      sql`select s.id, s.last_closed_day::text as last_closed_day,
            (select max(c.counted_cash_fen) from shift_closes c where c.tenant_id = s.tenant_id and c.store_id = s.id) as counted_cash_fen
          from stores s where s.tenant_id = ${t}`,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(closed)).toMatchObject({ last_closed_day: '2026-12-06', counted_cash_fen: null });
    expect(byId.get(cashierOnly)?.last_closed_day).toBeNull();
    expect(byId.get(never)?.last_closed_day).toBeNull();
  });
});
