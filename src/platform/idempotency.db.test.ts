import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { customers } from '../modules/customers/tables.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../testing/database.js';
import { DomainError } from './errors.js';
import type { App } from './http.js';
import { requestHash, runIdempotent } from './idempotency.js';
import { idempotencyKeys } from './tables.js';

let database: Database;
let app: App;
let tenant: TestTenant;
let session: Session;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  tenant = await createTestTenant(database);
  session = await loginAs(app, tenant, 'front_desk');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const uniqueKey = () => `key-${crypto.randomUUID()}`;

describe('runIdempotent', () => {
  it('runs the effect once for the same key and request, and replays the stored response', async () => {
    let runs = 0;
    const options = { tenantId: tenant.id, key: uniqueKey(), requestHash: requestHash({ operation: 'test', body: { amount: 100 } }) };
    const effect = async () => ({ status: 201, body: { run: ++runs, at: new Date('2026-11-23T00:00:00Z') } });
    const first = await runIdempotent(database.db, options, effect);
    const second = await runIdempotent(database.db, options, effect);
    expect(runs).toBe(1);
    expect(first).toEqual({ status: 201, body: { run: 1, at: '2026-11-23T00:00:00.000Z' }, isReplay: false });
    expect(second).toEqual({ ...first, isReplay: true });
  });

  it('answers 409 when the key comes back with a different request', async () => {
    const key = uniqueKey();
    await runIdempotent(database.db, { tenantId: tenant.id, key, requestHash: 'a' }, async () => ({ status: 200, body: {} }));
    await expect(runIdempotent(database.db, { tenantId: tenant.id, key, requestHash: 'b' }, async () => ({ status: 200, body: {} }))).rejects.toMatchObject({
      kind: 'conflict',
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('stores nothing when the effect fails, so a corrected retry runs', async () => {
    const key = uniqueKey();
    await expect(
      runIdempotent(database.db, { tenantId: tenant.id, key, requestHash: 'a' }, async () => {
        throw new DomainError('rule', 'NOPE', 'no');
      }),
    ).rejects.toThrow('no');
    const [stored] = await database.db
      .select({ total: count() })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.tenantId, tenant.id), eq(idempotencyKeys.key, key)));
    expect(stored?.total).toBe(0);
    const retry = await runIdempotent(database.db, { tenantId: tenant.id, key, requestHash: 'b' }, async () => ({ status: 200, body: { ok: true } }));
    expect(retry.body).toEqual({ ok: true });
  });

  it('keeps keys per tenant: the same key in two tenants are two requests', async () => {
    const other = await createTestTenant(database);
    const key = uniqueKey();
    const a = await runIdempotent(database.db, { tenantId: tenant.id, key, requestHash: 'x' }, async () => ({ status: 200, body: { tenant: 'a' } }));
    const b = await runIdempotent(database.db, { tenantId: other.id, key, requestHash: 'y' }, async () => ({ status: 200, body: { tenant: 'b' } }));
    expect([a.body, b.body, b.isReplay]).toEqual([{ tenant: 'a' }, { tenant: 'b' }, false]);
  });
});

describe('Idempotency-Key over HTTP', () => {
  const post = (key: string, payload: object) =>
    app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...session.writeHeaders, 'idempotency-key': key }, payload });

  const countByPhone = async (phone: string) => {
    const [row] = await database.db
      .select({ total: count() })
      .from(customers)
      .where(and(eq(customers.tenantId, tenant.id), eq(customers.phone, phone)));
    return Number(row?.total ?? 0);
  };

  it('the same key and body twice create one customer and return the same response', async () => {
    const key = uniqueKey();
    const payload = { name: '重试', gender: 'female', phone: randomMobile() };
    const first = await post(key, payload);
    const second = await post(key, payload);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await countByPhone(payload.phone)).toBe(1);
  });

  it('the same key with a different body is a 409', async () => {
    const key = uniqueKey();
    expect((await post(key, { name: '一', gender: 'female', phone: randomMobile() })).statusCode).toBe(201);
    const reused = await post(key, { name: '二', gender: 'female', phone: randomMobile() });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a concurrent pair with one key creates exactly one customer, and both get its response', async () => {
    const key = uniqueKey();
    const payload = { name: '并发', gender: 'female', phone: randomMobile() };
    const responses = await Promise.all([post(key, payload), post(key, payload)]);
    expect(responses.map((response) => response.statusCode)).toEqual([201, 201]);
    expect(responses[0]?.json().id).toBe(responses[1]?.json().id);
    expect(await countByPhone(payload.phone)).toBe(1);
  });

  it('ten concurrent requests with ten keys for one phone: one created, nine 409 duplicates, nothing half-written', async () => {
    const phone = randomMobile();
    const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => post(uniqueKey(), { name: `并发${index}`, gender: 'female', phone })));
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    expect(await countByPhone(phone)).toBe(1);
  });

  it('refuses a malformed key with 400', async () => {
    const response = await post('short', { name: '短', gender: 'female', phone: randomMobile() });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('headers.idempotency-key');
  });
});
