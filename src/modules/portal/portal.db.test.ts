import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { createTestTenant, loginAs, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { logSmsChannel } from '../messaging/dev-channel.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
let now = Date.parse('2026-06-01T02:00:00Z');
const sent: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();

  app = await buildApp({ database, clock: { now: () => new Date(now) }, smsChannel: logSmsChannel({ write: (text: string) => sent.push(text) > 0 }) });
  await app.ready();
  clinic = await createTestTenant(database, 'Portal clinic');
  other = await createTestTenant(database, 'Other clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const lastCode = () => /验证码为 (\d{6})/.exec(sent.at(-1) ?? '')?.[1] ?? '';
const portal = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
  app.inject({ method, url: `/api/portal/v1${url}`, payload, headers });

const registered = async (tenant: TestTenant, phone: string) => {
  const staff = await loginAs(app, tenant, 'front_desk');
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: staff.writeHeaders,
    payload: { name: '会员小美', gender: 'female', phone },
  });
  return response.json();
};

describe('member portal login by SMS code', () => {
  it('logs in with the code sent to a registered phone, once; the code never reaches the log', async () => {
    const phone = randomMobile();
    await registered(clinic, phone);
    const requested = await portal('POST', '/auth/code', { tenantCode: clinic.code, phone });
    expect(requested.statusCode).toBe(202);
    expect(requested.json()).toEqual({ resendAfterSeconds: 60, expiresInSeconds: 300 });
    expect(sent.at(-1)).toContain(`${phone.slice(0, 3)}****`);
    const code = lastCode();
    expect(code).toMatch(/^\d{6}$/);
    const login = await portal('POST', '/auth/login', { tenantCode: clinic.code, phone, code });
    expect(login.statusCode).toBe(200);
    expect(login.json().customer).toMatchObject({ name: '会员小美', phone: `${phone.slice(0, 3)}****${phone.slice(-4)}` });
    const cookie = login.cookies.find((entry) => entry.name === 'yh_mid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const again = await portal('POST', '/auth/login', { tenantCode: clinic.code, phone, code });
    expect(again.statusCode).toBe(401);
    const points = await portal('GET', '/points', undefined, { cookie: `yh_mid=${cookie?.value}` });
    expect(points.json()).toMatchObject({ balance: 0, history: [] });
  });

  it('refuses a resend within 60 s with 429 and Retry-After, and answers unregistered phones the same way without sending', async () => {
    const phone = randomMobile();
    await registered(clinic, phone);
    expect((await portal('POST', '/auth/code', { tenantCode: clinic.code, phone })).statusCode).toBe(202);
    const tooSoon = await portal('POST', '/auth/code', { tenantCode: clinic.code, phone });
    expect(tooSoon.statusCode).toBe(429);
    expect(Number(tooSoon.headers['retry-after'])).toBeGreaterThan(0);
    const before = sent.length;
    const stranger = await portal('POST', '/auth/code', { tenantCode: clinic.code, phone: randomMobile() });
    expect(stranger.statusCode).toBe(202);
    expect(sent.length).toBe(before);
  });

  it('limits code requests per address within a clinic, and not across clinics', async () => {
    const address = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const ask = (tenant: TestTenant) =>
      app.inject({ method: 'POST', url: '/api/portal/v1/auth/code', payload: { tenantCode: tenant.code, phone: randomMobile() }, remoteAddress: address });
    for (let request = 0; request < 20; request++) expect((await ask(clinic)).statusCode).toBe(202);
    expect((await ask(clinic)).statusCode).toBe(429);
    // The same address asking another clinic is counted apart.
    expect((await ask(other)).statusCode).toBe(202);
  });

  it('expires codes after 5 minutes and locks a code after 5 wrong attempts', async () => {
    const phone = randomMobile();
    await registered(clinic, phone);
    await portal('POST', '/auth/code', { tenantCode: clinic.code, phone });
    const code = lastCode();
    now += 5 * 60_000 + 1;
    expect((await portal('POST', '/auth/login', { tenantCode: clinic.code, phone, code })).statusCode).toBe(401);
    now += 60_000;
    await portal('POST', '/auth/code', { tenantCode: clinic.code, phone });
    const fresh = lastCode();
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = String((Number(fresh) + 1 + attempt) % 1_000_000).padStart(6, '0');
      expect((await portal('POST', '/auth/login', { tenantCode: clinic.code, phone, code: wrong })).statusCode).toBe(401);
    }
    expect((await portal('POST', '/auth/login', { tenantCode: clinic.code, phone, code: fresh })).statusCode).toBe(401);
  });

  it('never shows one clinic’s member to another clinic: the same phone is two customers', async () => {
    now += 120_000;
    const phone = randomMobile();
    await registered(clinic, phone);
    const otherCustomer = await registered(other, phone);
    await portal('POST', '/auth/code', { tenantCode: other.code, phone });
    const login = await portal('POST', '/auth/login', { tenantCode: other.code, phone, code: lastCode() });
    expect(login.json().customer.id).toBe(otherCustomer.id);
    expect(login.json().tenant.code).toBe(other.code);
  });

  it('requires a session for member data', async () => {
    expect((await portal('GET', '/points')).statusCode).toBe(401);
    expect((await portal('GET', '/me', undefined, { cookie: 'yh_mid=forged.value.here' })).statusCode).toBe(401);
  });
});
