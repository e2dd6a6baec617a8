import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import type { App } from '../src/platform/http.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../src/testing/database.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let owner: Session;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database, 'English clinic');
  owner = await loginAs(app, clinic, 'owner');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const english = { 'accept-language': 'en-US,en;q=0.9' };

describe('server messages in the language of the request', () => {
  it('answers a missing customer, a refused rule and bad fields in English when asked, with the same codes and paths', async () => {
    const missing = await app.inject({ method: 'GET', url: `/api/v1/customers/${crypto.randomUUID()}`, headers: { ...owner.headers, ...english } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toEqual({ code: 'CUSTOMER_NOT_FOUND', message: 'Customer not found.' });

    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...owner.writeHeaders, ...english },
      payload: { name: '', gender: 'female', phone: '123', extra: 1 },
    });
    expect(invalid.statusCode).toBe(400);
    const body = invalid.json().error;
    expect(body.code).toBe('INVALID_INPUT');
    expect(body.message).toBe('Some of the input is not valid: check the marked fields.');
    expect(body.details.map((detail: { path: string }) => detail.path)).toContain('body.extra');
    for (const detail of body.details) expect(detail.message).not.toMatch(/[\u4e00-\u9fff]/);

    const customer = { name: '英文客户', gender: 'female', phone: randomMobile() };
    const create = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...owner.writeHeaders, ...headers }, payload: customer });
    expect((await create({})).statusCode).toBe(201);
    const taken = await create(english);
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toBe('This phone number already belongs to another customer.');
    const unauthorized = await app.inject({ method: 'GET', url: '/api/v1/customers', headers: english });
    expect(unauthorized.json().error).toEqual({ code: 'AUTH_REQUIRED', message: 'Please sign in.' });
  });

  it('keeps Chinese by default and for a Chinese browser', async () => {
    for (const headers of [{}, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }]) {
      const missing = await app.inject({ method: 'GET', url: `/api/v1/customers/${crypto.randomUUID()}`, headers: { ...owner.headers, ...headers } });
      expect(missing.json().error).toEqual({ code: 'CUSTOMER_NOT_FOUND', message: '客户不存在' });
    }
  });
});
