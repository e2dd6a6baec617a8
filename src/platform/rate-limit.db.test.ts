import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { buildTestApp, createTestTenant, openTestDatabase, type TestTenant } from '../testing/database.js';
import { RateLimitedError, RateLimiter } from './rate-limit.js';

let database: Database;
let clinic: TestTenant;

beforeAll(async () => {
  database = await openTestDatabase();
  clinic = await createTestTenant(database, 'Rate limit clinic');
});

afterAll(async () => {
  await database.close();
});

describe('rate limits kept in the database', () => {
  it('count within a window, refuse beyond the limit with the seconds left, and start again when it ends', async () => {
    let now = Date.parse('2026-12-07T02:00:00Z');
    const limiter = new RateLimiter(database.db, () => now);
    const key = `test:${crypto.randomUUID()}`;
    for (let attempt = 0; attempt < 3; attempt++) await limiter.hit(key, 3, 60_000);
    now += 20_000;
    const refused = await limiter.hit(key, 3, 60_000).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(40);
    now += 40_000;
    await expect(limiter.hit(key, 3, 60_000)).resolves.toBeUndefined();
    await limiter.reset(key);
    for (let attempt = 0; attempt < 3; attempt++) await limiter.hit(key, 3, 60_000);
    await expect(limiter.hit(key, 3, 60_000)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('are shared by two limiters on one database, as by two app instances', async () => {
    const first = new RateLimiter(database.db);
    const second = new RateLimiter(database.db);
    const key = `test:${crypto.randomUUID()}`;
    await first.hit(key, 2, 60_000);
    await second.hit(key, 2, 60_000);
    await expect(first.hit(key, 2, 60_000)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('survive an app restart: failed logins before and after add up to 429', async () => {
    const attempt = (app: Awaited<ReturnType<typeof buildTestApp>>) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { tenantCode: clinic.code, username: 'marketing', password: 'wrong-password' } });
    const before = await buildTestApp(database);
    // Five wrong passwords from one address lock the account for that address (staff lockout).
    for (let count = 0; count < 3; count++) expect((await attempt(before)).statusCode).toBe(401);
    await before.close();
    const after = await buildTestApp(database);
    try {
      for (let count = 0; count < 2; count++) expect((await attempt(after)).statusCode).toBe(401);
      const refused = await attempt(after);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await after.close();
    }
  });

  it('store only a hash of each key (keys name phones and addresses)', async () => {
    const limiter = new RateLimiter(database.db);
    await limiter.hit('sms:hour:tenant:13912345678', 5, 60_000);
    const rows = await database.db.execute(`select key_hash from rate_limit_windows` as never);
    expect(JSON.stringify(rows)).not.toContain('13912345678');
  });
});
