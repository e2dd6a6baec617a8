import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { type Database, openDatabase } from '../src/db/client.js';
import type { App } from '../src/platform/http.js';

let database: Database;
let app: App;

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite' });
  app = await buildApp({ database });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('the OpenAPI document', () => {
  it('matches the copy the web client is generated from (run `npm run gen:api` after changing routes)', async () => {
    const committed = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../web/shared/openapi.json'), 'utf8'));
    expect(app.swagger()).toEqual(committed);
  });

  it('documents every API route with a summary and error responses', () => {
    const document = app.swagger() as unknown as { paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>> };
    const operations = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ route, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(10);
    for (const { route, method, operation } of operations) {
      expect(operation.summary, `${method} ${route}`).toBeTruthy();
      if (route.startsWith('/api/v1/') && route !== '/api/v1/auth/login') expect(Object.keys(operation.responses), `${method} ${route}`).toContain('401');
    }
  });

  it('serves the interactive reference and its script from the app itself', async () => {
    const page = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    const scripts = [...page.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const source of scripts) expect(source).not.toMatch(/^(https?:)?\/\//);
    const script = await app.inject({ method: 'GET', url: `/api/docs/${scripts[0]}` });
    expect(script.statusCode).toBe(200);
    expect(page.body).not.toMatch(/fonts\.googleapis|cdn\.jsdelivr|unpkg\.com/);
  });
});
