import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type ExtractTablesWithRelations, getTableColumns, type SQL, sql, type Table } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

/**
 * One database type over both drivers: code never knows whether it runs on PGlite or a server.
 * Queries name their tables (the query builder), so the client carries no schema: the database
 * layer knows nothing of the modules whose tables it stores.
 */
type NoSchema = Record<string, never>;
export type Db = PgDatabase<PgQueryResultHKT, NoSchema>;
export type Tx = PgTransaction<PgQueryResultHKT, NoSchema, ExtractTablesWithRelations<NoSchema>>;
/** Anything queries can run on: the database or a transaction. */
export type Executor = Db | Tx;

export type DatabaseKind = 'pglite' | 'postgres';

export type Database = {
  db: Db;
  kind: DatabaseKind;
  /** PGlite only: the embedded instance, for snapshots. */
  pglite?: PGlite;
  close: () => Promise<void>;
};

/**
 * Statement taps: each listener sees every statement Drizzle sends (text and parameters), in
 * order, on either driver. Tests count a request's statements; the checkout benchmark records
 * one checkout's statements to replay them in pgbench. With no listener the cost is one check.
 */
const statementListeners = new Set<(text: string, params: unknown[]) => void>();
export const tapStatements = (listener: (text: string, params: unknown[]) => void): (() => void) => {
  statementListeners.add(listener);
  return () => statementListeners.delete(listener);
};
const logger = {
  logQuery: (text: string, params: unknown[]) => {
    for (const listener of statementListeners) listener(text, params);
  },
};

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

// int8 and numeric arrive as strings from pg; money and points stay below 2^53, read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type DatabaseOptions = { kind: 'postgres'; url: string; poolSize?: number } | { kind: 'pglite'; dataDir?: string };

export const openDatabase = async (options: DatabaseOptions): Promise<Database> => {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server (a restart, a failover) must not bring the process down:
    // the pool discards it and the next query opens a new one.
    pool.on('error', (error) => process.stderr.write(`[db] idle connection closed: ${error.message}\n`));
    const db = drizzleNodePg(pool, { logger }) as unknown as Db;
    return { db, kind: 'postgres', close: () => pool.end() };
  }
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const pglite = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await pglite.waitReady;
  const db = drizzlePglite(pglite, { logger }) as unknown as Db;
  return { db, kind: 'pglite', pglite, close: () => pglite.close() };
};

/** Applies the SQL migrations in `migrations/` in order; safe to call on every start. */
export const migrateDatabase = async (database: Database): Promise<void> => {
  if (database.kind === 'postgres') {
    await migrateNodePg(database.db as never, { migrationsFolder });
  } else {
    await migratePglite(database.db as never, { migrationsFolder });
  }
};

/** Raw SQL rows, the same shape from both drivers (both return `{ rows }`). */
export const queryRows = async <T>(executor: Executor, query: SQL): Promise<T[]> => {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
};

/**
 * A table's row from its `to_jsonb` form (snake_case keys, timestamps as text): each column
 * mapped as the driver's value would be, so one statement can return a row with its children.
 */
export const rowFromJson = <T extends Table>(table: T, json: Record<string, unknown>): T['$inferSelect'] => {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
};

type Journal = { entries: { idx: number; when: number; tag: string }[] };

/** The newest applied migration by name (e.g. `0000_foundation`), for /api/health. */
export const migrationVersion = async (db: Db): Promise<{ applied: number; version: string | null; pending: number }> => {
  const [row] = await queryRows<{ applied: number; latest: string | null }>(
    db,
    sql`select count(*)::int as applied, max(created_at)::text as latest from drizzle.__drizzle_migrations`,
  );
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as Journal;
  const latest = row?.latest ? Number(row.latest) : null;
  const applied = Number(row?.applied ?? 0);
  return {
    applied,
    version: journal.entries.find((entry) => entry.when === latest)?.tag ?? null,
    pending: journal.entries.length - applied,
  };
};
