import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import type { Database } from '../db/client.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, type TestTenant } from '../testing/database.js';
import type { App } from './http.js';
import { roles } from './permissions.js';

let database: Database;
let folder: string;
let app: App;
let clinic: TestTenant;

beforeAll(async () => {
  database = await openTestDatabase();
  folder = await mkdtemp(path.join(tmpdir(), 'yuehui-status-'));
  app = await buildApp({ database, snapshots: { folder, kept: 5 } });
  await app.ready();
  clinic = await createTestTenant(database);
});

afterAll(async () => {
  await app.close();
  await database.close();
  await rm(folder, { recursive: true, force: true });
});

const status = async (role: (typeof roles)[number], on = app) =>
  on.inject({ method: 'GET', url: '/api/v1/system/status', headers: (await loginAs(on, clinic, role)).headers });

describe('GET /system/status', () => {
  it('shows the owner the last snapshot and how many are kept', async () => {
    expect((await status('owner')).json()).toEqual({ database: { kind: database.kind }, snapshots: { isEnabled: true, kept: 5, last: null } });
    for (const [name, time] of [
      ['yuehui-2026-12-05.tar.gz', '2026-12-04T19:15:00.000Z'],
      ['yuehui-2026-12-06.tar.gz', '2026-12-05T19:15:00.000Z'],
    ] as const) {
      await writeFile(path.join(folder, name), name);
      await utimes(path.join(folder, name), new Date(time), new Date(time));
    }
    const response = await status('owner');
    expect(response.statusCode).toBe(200);
    expect(response.json().snapshots).toEqual({ isEnabled: true, kept: 5, last: { name: 'yuehui-2026-12-06.tar.gz', takenAt: '2026-12-05T19:15:00.000Z' } });
  });

  it('is the owner’s alone: every other role gets 403, no session 401', async () => {
    for (const role of roles.filter((role) => role !== 'owner')) {
      const response = await status(role);
      expect(response.statusCode, role).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/system/status' })).statusCode).toBe(401);
  });

  it('says snapshots are off where there are none (PostgreSQL: its own backups)', async () => {
    const plain = await buildTestApp(database);
    try {
      expect((await status('owner', plain)).json().snapshots).toEqual({ isEnabled: false, kept: null, last: null });
    } finally {
      await plain.close();
    }
  });
});
