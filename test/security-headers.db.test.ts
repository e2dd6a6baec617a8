import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import type { App } from '../src/platform/http.js';
import { buildTestApp, createTestTenant, openTestDatabase, type TestTenant, testPassword } from '../src/testing/database.js';

/** Security headers on every kind of response, and cookies that are Secure whenever the request came over HTTPS. */
let database: Database;
let app: App;
let webDir: string;
let tenant: TestTenant;

const page = (title: string, script: string) =>
  `<!doctype html><html><head><title>${title}</title><script type="module" src="${script}"></script></head><body><div id="root"></div></body></html>`;

beforeAll(async () => {
  webDir = await mkdtemp(path.join(tmpdir(), 'yuehui-web-'));
  await mkdir(path.join(webDir, 'console'), { recursive: true });
  await mkdir(path.join(webDir, 'portal'), { recursive: true });
  await writeFile(path.join(webDir, 'console', 'index.html'), page('console', '/assets/index.js'));
  await writeFile(path.join(webDir, 'portal', 'index.html'), page('portal', '/m/assets/index.js'));
  database = await openTestDatabase();
  app = await buildTestApp(database, { webDistDir: webDir });
  tenant = await createTestTenant(database, 'Headers clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
  await rm(webDir, { recursive: true, force: true });
});

const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name = '', ...sources]) => [name, sources] as const),
  );

describe('security headers', () => {
  it.each([
    ['the console', '/'],
    ['a console page', '/customers/123'],
    ['the portal', '/m/'],
    ['a portal page', '/m/wallet'],
    ['an API operation', '/api/v1/customers'],
    ['an unknown API path', '/api/v1/no-such-thing'],
    ['the portal API', '/api/portal/v1/me'],
    ['the health check', '/api/health'],
    ['the OpenAPI document', '/api/openapi.json'],
  ])('%s (%s) carries the policy, nosniff, a referrer policy and no framing', async (_name, url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBeLessThan(500);
    const policy = directives(String(response.headers['content-security-policy']));
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(String(response.headers['content-security-policy'])).not.toContain('unsafe-eval');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('the console and the portal pages are the built pages, served under the policy', async () => {
    expect((await app.inject({ method: 'GET', url: '/' })).body).toContain('<title>console</title>');
    expect((await app.inject({ method: 'GET', url: '/m/' })).body).toContain('<title>portal</title>');
  });

  it('the API reference allows its own inline start-up script by hash, and nothing else inline', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    const inline = [...response.body.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
    expect(inline.length).toBeGreaterThan(0);
    const scriptSources = directives(String(response.headers['content-security-policy'])).get('script-src') ?? [];
    expect(scriptSources).not.toContain("'unsafe-inline'");
    for (const body of inline) expect(scriptSources).toContain(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
    expect(directives(String(response.headers['content-security-policy'])).get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('Secure cookies', () => {
  const login = (target: App, headers: Record<string, string> = {}) =>
    target.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: { tenantCode: tenant.code, username: 'owner', password: testPassword } });
  const sessionCookie = (response: Awaited<ReturnType<typeof login>>) => response.cookies.find((cookie) => cookie.name === 'yh_sid');

  it('are not Secure over plain HTTP, and a forged X-Forwarded-Proto from an untrusted client changes nothing', async () => {
    expect(sessionCookie(await login(app))?.secure).toBeUndefined();
    expect(sessionCookie(await login(app, { 'x-forwarded-proto': 'https' }))?.secure).toBeUndefined();
  });

  it('are Secure when a trusted proxy says the request came over HTTPS', async () => {
    const proxied = await buildTestApp(database, { trustProxy: '127.0.0.1' });
    try {
      expect(sessionCookie(await login(proxied, { 'x-forwarded-proto': 'https' }))?.secure).toBe(true);
      expect(sessionCookie(await login(proxied, { 'x-forwarded-proto': 'http' }))?.secure).toBeUndefined();
    } finally {
      await proxied.close();
    }
  });

  it('are always Secure when configured so', async () => {
    const secure = await buildTestApp(database, { secureCookies: true });
    try {
      expect(sessionCookie(await login(secure))?.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });
});
