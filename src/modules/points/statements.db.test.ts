import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { prepareDatabase } from '../../prepare-database.js';
import { buildTestApp, createTestTenant, loginAs, randomMobile, type Session } from '../../testing/database.js';

/** Every statement the app sends, with `begin` and `commit` where its transactions start and end. */
const log: string[] = [];
const logger: Logger = { logQuery: (query) => log.push(query.trim().toLowerCase()) };

/** The test database as `openTestDatabase` opens it, with a logger on the driver. */
const openLoggedDatabase = async (): Promise<Database> => {
  const url = process.env.DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    // drizzle sends begin and commit through the logger on node-postgres.
    return { db: drizzleNodePg(pool, { logger }) as unknown as Db, kind: 'postgres', close: () => pool.end() };
  }
  const pglite = new PGlite();
  await pglite.waitReady;
  // PGlite opens and closes transactions itself: mark them in the log.
  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = async (work) => {
    log.push('begin');
    const result = await transaction(work);
    log.push('commit');
    return result;
  };
  const database: Database = { db: drizzlePglite(pglite, { logger }) as unknown as Db, kind: 'pglite', pglite, close: () => pglite.close() };
  await prepareDatabase(database);
  return database;
};

/** The statements of the last transaction in the log, between its begin and its commit. */
const lastTransaction = () => {
  const begin = log.lastIndexOf('begin');
  const commit = log.lastIndexOf('commit');
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(commit).toBeGreaterThan(begin);
  return log.slice(begin + 1, commit);
};

let database: Database;
let app: App;
let desk: Session;

beforeAll(async () => {
  database = await openLoggedDatabase();
  app = await buildTestApp(database);
  const clinic = await createTestTenant(database);
  desk = await loginAs(app, clinic, 'owner');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const earn = (customerId: string, points: number) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/customers/${customerId}/points/adjustments`,
    headers: { ...desk.writeHeaders, 'idempotency-key': `statements-${crypto.randomUUID()}` },
    payload: { points, reason: '语句计数' },
  });

describe('statements per points earn', () => {
  it('an earn through the API issues at most 6 statements inside its transaction, however long the history', async () => {
    const customer = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: { ...desk.writeHeaders, 'idempotency-key': `statements-${crypto.randomUUID()}` },
        payload: { name: '计数', gender: 'female', phone: randomMobile() },
      })
    ).json();
    // The first earn opens her account; the ones after it are the everyday case.
    expect((await earn(customer.id, 10)).statusCode).toBe(201);
    const counts: number[] = [];
    for (let index = 0; index < 3; index++) {
      expect((await earn(customer.id, 10)).statusCode).toBe(201);
      const statements = lastTransaction();
      counts.push(statements.length);
      expect(statements.length, statements.join('\n---\n')).toBeLessThanOrEqual(6);
      // None re-sums her history on the write path.
      expect(statements.some((statement) => /sum\(/.test(statement))).toBe(false);
    }
    expect(new Set(counts).size).toBe(1);
  });

  it('an earn for a customer who does not exist is a 404, not a 500', async () => {
    const response = await earn(crypto.randomUUID(), 10);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('CUSTOMER_NOT_FOUND');
  });
});
