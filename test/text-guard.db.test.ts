import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { Database } from '../src/db/client.js';
import { logSmsChannel } from '../src/modules/messaging/index.js';
import type { App } from '../src/platform/http.js';
import { createTestTenant, loginAs, openTestDatabase, portalLogin, randomMobile, type Session, type TestTenant } from '../src/testing/database.js';
import { type Operation, openApiOperations, stringsLike } from '../src/testing/openapi.js';

/**
 * Text PostgreSQL cannot store — a NUL character, half a surrogate pair — in any path segment,
 * query parameter or body field of any operation of the OpenAPI document: a 400 naming the
 * field, never a 500. Generated from the document, so a new operation is covered the day it lands.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
let owner: Session;
let member: Record<string, string>;
const sent: string[] = [];

const badTexts = { nul: 'a\u0000b', surrogate: 'a\uD800b' } as const;
/** In a URL, where only NUL can be encoded: a lone surrogate has no UTF-8 form (its CESU bytes are sent instead). */
const badUrlTexts = { nul: 'a%00b', surrogate: 'a%ED%A0%80b' } as const;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({ database, smsChannel: logSmsChannel({ write: (text: string) => sent.push(text) > 0 }) });
  await app.ready();
  clinic = await createTestTenant(database, 'Text guard clinic');
  owner = await loginAs(app, clinic, 'owner');
  const phone = randomMobile();
  await app.inject({ method: 'POST', url: '/api/v1/customers', headers: owner.writeHeaders, payload: { name: '文本会员', gender: 'female', phone } });
  const session = await portalLogin(app, clinic, phone, sent);
  member = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const headersFor = (operation: Operation) => {
  const base = operation.path.startsWith('/api/portal/') ? member : operation.method === 'GET' ? owner.headers : owner.writeHeaders;
  return { ...base, 'idempotency-key': `text-${crypto.randomUUID()}` };
};

const fill = (operation: Operation, value: (name: string) => string) => operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => value(name));

type Case = { operation: Operation; kind: keyof typeof badTexts; where: 'params' | 'query' | 'body'; url: string; payload?: unknown; fields: string[] };

const casesFor = (operation: Operation, resolve: Parameters<typeof stringsLike>[1]): Case[] =>
  (Object.keys(badTexts) as (keyof typeof badTexts)[]).flatMap((kind) => {
    const cases: Case[] = [];
    const plainUrl = fill(operation, () => crypto.randomUUID());
    if (operation.pathParams.length > 0) {
      cases.push({
        operation,
        kind,
        where: 'params',
        url: fill(operation, () => badUrlTexts[kind]),
        fields: operation.pathParams.map((parameter) => `params.${parameter.name}`),
      });
    }
    const textQuery = operation.queryParams.filter((parameter) => stringsLike(parameter.schema, resolve, () => 'x').paths.length > 0);
    if (textQuery.length > 0) {
      const query = textQuery.map((parameter) => `${parameter.name}=${badUrlTexts[kind]}`).join('&');
      cases.push({ operation, kind, where: 'query', url: `${plainUrl}?${query}`, fields: textQuery.map((parameter) => `query.${parameter.name}`) });
    }
    if (operation.body) {
      const body = stringsLike(operation.body, resolve, () => badTexts[kind]);
      if (body.paths.length > 0) cases.push({ operation, kind, where: 'body', url: plainUrl, payload: body.value, fields: body.paths });
    }
    return cases;
  });

describe('text the database cannot store', () => {
  it('is refused with 400 naming each field, in every path, query and body of every operation, never with a 5xx', async () => {
    const { operations, resolve } = await openApiOperations(app);
    expect(operations.length).toBeGreaterThan(100);
    const cases = operations.flatMap((operation) => casesFor(operation, resolve));
    const failures: string[] = [];
    let named = 0;
    for (const testCase of cases) {
      const { operation, kind, where, url, payload, fields } = testCase;
      const response = await app.inject({
        method: operation.method,
        url,
        headers: headersFor(operation),
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      const label = `${operation.method} ${operation.path} ${where} ${kind}`;
      if (response.statusCode >= 500) {
        failures.push(`${label} → ${response.statusCode} ${response.body}`);
        continue;
      }
      // A lone surrogate cannot be written in a URL: there the server need only refuse it without a 5xx.
      if (kind === 'surrogate' && where !== 'body') continue;
      if (response.statusCode !== 400) {
        failures.push(`${label} → ${response.statusCode} ${response.body}`);
        continue;
      }
      const details = (response.json() as { error: { details?: { path: string }[] } }).error.details ?? [];
      const missing = fields.filter((field) => !details.some((detail) => detail.path === field));
      if (missing.length > 0) failures.push(`${label}: not named ${missing.join(', ')} in ${response.body}`);
      else named++;
    }
    expect(failures).toEqual([]);
    expect(named).toBeGreaterThan(150);
  }, 300_000);

  it('is refused on the unauthenticated portal code request (was a 500)', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/portal/v1/auth/code', payload: { tenantCode: 'demo\u0000', phone: randomMobile() } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'INVALID_INPUT', details: [{ path: 'body.tenantCode' }] });
  });

  it('is refused in a customer search (was a 500)', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/customers?q=%E5%BC%A0%00', headers: owner.headers });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([{ path: 'query.q', message: expect.stringContaining('空字符') }]);
  });

  it('leaves well-formed text alone, including characters outside the basic plane', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: owner.writeHeaders,
      payload: { name: '𠀋美丽', gender: 'female', phone: randomMobile(), notes: '喜欢🌸' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().name).toBe('𠀋美丽');
  });
});
