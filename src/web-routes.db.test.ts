import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import type { Database } from './db/client.js';
import type { App } from './platform/http.js';
import { openTestDatabase } from './testing/database.js';

let database: Database;
let app: App;
let dist: string;

beforeAll(async () => {
  database = await openTestDatabase();
  dist = await mkdtemp(path.join(os.tmpdir(), 'web-routes-'));
  for (const [folder, marker] of [
    ['console', 'staff console'],
    ['portal', 'member portal'],
  ]) {
    await mkdir(path.join(dist, folder as string), { recursive: true });
    await writeFile(path.join(dist, folder as string, 'index.html'), `<!doctype html><title>${marker}</title>`);
  }
  app = await buildApp({ database, webDistDir: dist });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await database.close();
  await rm(dist, { recursive: true, force: true });
});

const pageAt = async (url: string) => (await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } })).body;

describe('web pages on reload', () => {
  it('serves the console for its own routes, even those starting with m, and the portal under /m/ only', async () => {
    for (const route of ['/', '/membership', '/membership/tiers', '/marketing', '/customers/123']) {
      expect(await pageAt(route), route).toContain('staff console');
    }
    for (const route of ['/m', '/m/', '/m/wallet', '/m/invite?code=x']) {
      expect(await pageAt(route), route).toContain('member portal');
    }
  });
});
