import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../testing/database.js';
import { type Database, queryRows } from './client.js';

/**
 * DESIGN §2 (Citus-ready multi-tenancy): every tenant-owned table has tenant_id as the first
 * column of its primary key, of every unique constraint and of every foreign key between
 * tenant-owned tables. Reads the live catalog, so a migration that breaks the rule fails here.
 */
let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database.close();
});

/** Tables that are not owned by one tenant: the tenants themselves and reference data. */
// rate_limit_windows: counters by hashed key (an address, a phone), some across clinics.
const sharedTables = new Set(['tenants', 'holiday_calendar', 'rate_limit_windows']);

type Constraint = { table_name: string; constraint_name: string; constraint_type: string; columns: string[]; referenced_table: string | null };

const constraints = async () =>
  queryRows<Constraint>(
    database.db,
    sql`select rel.relname as table_name, con.conname as constraint_name, con.contype::text as constraint_type,
          array(select att.attname::text from unnest(con.conkey) with ordinality as k(attnum, ord)
                join pg_attribute att on att.attrelid = con.conrelid and att.attnum = k.attnum order by k.ord) as columns,
          ref.relname::text as referenced_table
        from pg_constraint con
        join pg_class rel on rel.oid = con.conrelid
        join pg_namespace nsp on nsp.oid = rel.relnamespace
        left join pg_class ref on ref.oid = con.confrelid
        where nsp.nspname = 'public' and con.contype in ('p', 'u', 'f')`,
  );

describe('multi-tenant schema rules', () => {
  it('every table but the shared ones has a tenant_id column', async () => {
    const tables = await queryRows<{ table_name: string; has_tenant: boolean }>(
      database.db,
      sql`select t.table_name, exists (select 1 from information_schema.columns c where c.table_schema = 'public' and c.table_name = t.table_name and c.column_name = 'tenant_id') as has_tenant
          from information_schema.tables t where t.table_schema = 'public' and t.table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(5);
    const offenders = tables.filter((table) => !sharedTables.has(table.table_name) && !table.has_tenant).map((table) => table.table_name);
    expect(offenders).toEqual([]);
  });

  it('tenant_id leads every primary key, unique constraint and tenant-to-tenant foreign key', async () => {
    const offenders = (await constraints())
      .filter((constraint) => !sharedTables.has(constraint.table_name))
      .filter((constraint) => !(constraint.constraint_type === 'f' && constraint.referenced_table && sharedTables.has(constraint.referenced_table)))
      .filter((constraint) => constraint.columns[0] !== 'tenant_id')
      .map((constraint) => `${constraint.table_name}.${constraint.constraint_name} (${constraint.columns.join(', ')})`);
    expect(offenders).toEqual([]);
  });

  it('docs/SCALING.md places every table in the distribution plan', async () => {
    const plan = await readFile(path.resolve(import.meta.dirname, '../../docs/SCALING.md'), 'utf8');
    const tables = await queryRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const missing = tables.map((table) => table.table_name).filter((name) => !plan.includes(`'${name}'`));
    expect(missing).toEqual([]);
  });

  it('every tenant-owned table has a primary key', async () => {
    const all = await constraints();
    const withPk = new Set(all.filter((constraint) => constraint.constraint_type === 'p').map((constraint) => constraint.table_name));
    const tables = new Set(all.map((constraint) => constraint.table_name));
    expect([...tables].filter((table) => !withPk.has(table))).toEqual([]);
  });
});
