import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase, queryRows } from '../src/db/client.js';
import { lockFileName } from '../src/db/data-dir-lock.js';
import { listSnapshots, pruneSnapshots, restoreSnapshot, takeDailySnapshot } from '../src/db/snapshots.js';
import { runLedgerVerification } from '../src/jobs/sweeps.js';
import { prepareDatabase } from '../src/prepare-database.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, randomMobile } from '../src/testing/database.js';

/**
 * Embedded mode's backups: daily snapshots, their retention, and `restore`. Snapshots exist only
 * for PGlite, so the PostgreSQL run of the database suites skips this file (its backups are
 * pg_dump's, checked by CI's restore step).
 */
const folders: string[] = [];
const tempFolder = async (name: string) => {
  const folder = await mkdtemp(path.join(tmpdir(), `yuehui-${name}-`));
  folders.push(folder);
  return folder;
};
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** Every ledger row that money and points rest on, in a stable order, to compare two databases. */
const ledgers = async (database: Database) => ({
  pointsAccounts: await queryRows(database.db, sql`select * from points_accounts order by tenant_id, customer_id`),
  pointsEntries: await queryRows(database.db, sql`select * from points_entries order by tenant_id, id`),
  pointsLots: await queryRows(database.db, sql`select * from points_lots order by tenant_id, id`),
  orders: await queryRows(database.db, sql`select * from orders order by tenant_id, id`),
  payments: await queryRows(database.db, sql`select * from payments order by tenant_id, id`),
  facts: await queryRows(database.db, sql`select * from customer_facts order by tenant_id, customer_id`),
});

/** A clinic with two customers, a paid order (points earned, facts moved) and manual adjustments. */
const fillClinic = async (database: Database) => {
  const app = await buildTestApp(database);
  try {
    const clinic = await createTestTenant(database);
    const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
    const item = (await owner.post('/items', { kind: 'service', name: '水光针', priceFen: 128_000 })).json();
    for (const name of ['备份甲', '备份乙']) {
      const customer = (await owner.post('/customers', { name, gender: 'female', phone: randomMobile() })).json();
      const order = await owner.post('/orders', {
        storeId: clinic.storeIds[0],
        customerId: customer.id,
        lines: [{ itemId: item.id, quantity: 1 }],
        payments: [{ method: 'wechat', amountFen: 128_000 }],
      });
      expect(order.statusCode).toBe(201);
      expect((await owner.post(`/customers/${customer.id}/points/adjustments`, { points: 500, reason: '开业礼' })).statusCode).toBe(201);
    }
    return { app, clinic, owner };
  } catch (error) {
    await app.close();
    throw error;
  }
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const root = path.resolve(import.meta.dirname, '..');

/** `node --import tsx src/main.ts <args>` on a data folder, embedded mode. */
const cli = (dataDir: string, args: string[], env: Record<string, string> = {}) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, YUEHUI_DATA_DIR: dataDir, DATABASE_URL: '', YUEHUI_DEMO: '0', YUEHUI_SKIP_WEB_BUILD: '1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
};

describe.skipIf(Boolean(process.env.DATABASE_URL))('embedded snapshots', () => {
  /** One clinic's data: its snapshot, the ledgers at the snapshot, and after a later change. */
  let dataDir = '';
  let snapshot = '';
  let atSnapshot: Awaited<ReturnType<typeof ledgers>>;
  let afterSnapshot: Awaited<ReturnType<typeof ledgers>>;

  beforeAll(async () => {
    dataDir = await tempFolder('source');
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') });
    try {
      await prepareDatabase(database);
      const { app, clinic } = await fillClinic(database);
      try {
        if (!database.pglite) throw new Error('not PGlite');
        snapshot = (await takeDailySnapshot(database.pglite, path.join(dataDir, 'snapshots'), new Date('2026-12-06T20:00:00Z'))) ?? '';
        atSnapshot = await ledgers(database);
        // A later change a restore must undo.
        const owner = apiAs(app, await loginAs(app, clinic, 'owner'));
        const late = (await owner.post('/customers', { name: '快照之后', gender: 'female', phone: randomMobile() })).json();
        expect((await owner.post(`/customers/${late.id}/points/adjustments`, { points: 80, reason: '快照之后' })).statusCode).toBe(201);
        afterSnapshot = await ledgers(database);
      } finally {
        await app.close();
      }
    } finally {
      await database.close();
    }
  }, 120_000);

  it('a snapshot restored into a fresh data folder gives back the same ledgers, and verify-ledgers finds nothing', async () => {
    expect(path.basename(snapshot)).toBe('yuehui-2026-12-07.tar.gz');
    expect(atSnapshot.pointsEntries.length).toBeGreaterThanOrEqual(4);
    expect(atSnapshot.orders.length).toBeGreaterThanOrEqual(2);
    const freshDir = await tempFolder('restored');
    const restored = await restoreSnapshot({ dataDir: freshDir, pgdata: path.join(freshDir, 'pgdata'), snapshot, now: new Date() });
    expect(restored.previous).toBeUndefined();
    const copy = await openDatabase({ kind: 'pglite', dataDir: path.join(freshDir, 'pgdata') });
    try {
      expect(await ledgers(copy)).toEqual(atSnapshot);
      expect(await runLedgerVerification(copy.db)).toEqual([]);
    } finally {
      await copy.close();
    }
    // The restore let go of the folder.
    expect(await readdir(freshDir)).not.toContain(lockFileName);
  }, 60_000);

  it('restoring over live data puts the snapshot back and keeps the replaced data aside; a broken snapshot changes nothing', async () => {
    const pgdata = path.join(dataDir, 'pgdata');
    expect(afterSnapshot.pointsEntries.length).toBe(atSnapshot.pointsEntries.length + 1);
    const broken = path.join(dataDir, 'broken.tar.gz');
    await writeFile(broken, 'not a snapshot');
    await expect(restoreSnapshot({ dataDir, pgdata, snapshot: broken, now: new Date() })).rejects.toThrow();
    expect((await readdir(dataDir)).filter((name) => name.startsWith('pgdata'))).toEqual(['pgdata']);

    const { previous } = await restoreSnapshot({ dataDir, pgdata, snapshot, now: new Date('2026-12-07T05:00:00Z') });
    expect(previous).toBe(`${pgdata}.before-restore-2026-12-07T05-00-00-000Z`);
    const back = await openDatabase({ kind: 'pglite', dataDir: pgdata });
    try {
      expect(await ledgers(back)).toEqual(atSnapshot);
    } finally {
      await back.close();
    }
    const aside = await openDatabase({ kind: 'pglite', dataDir: previous ?? '' });
    try {
      expect(await ledgers(aside)).toEqual(afterSnapshot);
    } finally {
      await aside.close();
    }
  }, 60_000);

  it('keeps the newest YUEHUI_SNAPSHOTS_KEPT snapshots and deletes older ones, leaving other files alone', async () => {
    expect(loadConfig({ YUEHUI_SNAPSHOTS_KEPT: '3' }).snapshots.kept).toBe(3);
    expect(loadConfig({}).snapshots.kept).toBe(7);
    expect(() => loadConfig({ YUEHUI_SNAPSHOTS_KEPT: '0' })).toThrow(/YUEHUI_SNAPSHOTS_KEPT/);

    const folder = await tempFolder('retention');
    for (let day = 1; day <= 5; day++) await writeFile(path.join(folder, `yuehui-2026-11-0${day}.tar.gz`), `day ${day}`);
    await writeFile(path.join(folder, 'notes.txt'), 'kept by hand');
    expect(await pruneSnapshots(folder, 3)).toEqual(['yuehui-2026-11-02.tar.gz', 'yuehui-2026-11-01.tar.gz']);
    expect((await readdir(folder)).sort()).toEqual(['notes.txt', 'yuehui-2026-11-03.tar.gz', 'yuehui-2026-11-04.tar.gz', 'yuehui-2026-11-05.tar.gz']);

    // The daily snapshot prunes too, counting itself.
    const database = await openDatabase({ kind: 'pglite' });
    try {
      if (!database.pglite) throw new Error('not PGlite');
      const file = await takeDailySnapshot(database.pglite, folder, new Date('2026-11-06T02:00:00Z'), { kept: 2 });
      expect(path.basename(file ?? '')).toBe('yuehui-2026-11-06.tar.gz');
      expect((await listSnapshots(folder)).map((snapshot) => snapshot.name)).toEqual(['yuehui-2026-11-06.tar.gz', 'yuehui-2026-11-05.tar.gz']);
      // Same day again: nothing new is written, and a lowered setting still applies.
      expect(await takeDailySnapshot(database.pglite, folder, new Date('2026-11-06T09:00:00Z'), { kept: 1 })).toBeUndefined();
      expect((await listSnapshots(folder)).map((snapshot) => snapshot.name)).toEqual(['yuehui-2026-11-06.tar.gz']);
    } finally {
      await database.close();
    }
  }, 60_000);

  it('lists snapshots newest first with the time each was taken', async () => {
    const folder = await tempFolder('list');
    expect(await listSnapshots(path.join(folder, 'missing'))).toEqual([]);
    await mkdir(folder, { recursive: true });
    for (const [name, time] of [
      ['yuehui-2026-12-01.tar.gz', '2026-11-30T19:15:00Z'],
      ['yuehui-2026-12-02.tar.gz', '2026-12-01T19:15:00Z'],
    ] as const) {
      await writeFile(path.join(folder, name), name);
      await utimes(path.join(folder, name), new Date(time), new Date(time));
    }
    expect(await listSnapshots(folder)).toEqual([
      { file: path.join(folder, 'yuehui-2026-12-02.tar.gz'), name: 'yuehui-2026-12-02.tar.gz', takenAt: new Date('2026-12-01T19:15:00Z') },
      { file: path.join(folder, 'yuehui-2026-12-01.tar.gz'), name: 'yuehui-2026-12-01.tar.gz', takenAt: new Date('2026-11-30T19:15:00Z') },
    ]);
  });

  it('refuses while the server runs (as do a second server and other commands), restores once it has stopped', async () => {
    // A copy of the clinic (already migrated, so the server starts quickly) with its snapshot.
    const dataDir = await tempFolder('cli');
    await restoreSnapshot({ dataDir, pgdata: path.join(dataDir, 'pgdata'), snapshot, now: new Date() });
    await mkdir(path.join(dataDir, 'snapshots'));
    await copyFile(snapshot, path.join(dataDir, 'snapshots', path.basename(snapshot)));
    const port = await freePort();
    const server = cli(dataDir, ['serve'], { PORT: String(port), HOST: '127.0.0.1' });
    const deadline = Date.now() + 120_000;
    while (!(await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined))?.ok) {
      if (server.child.exitCode !== null) throw new Error(`server exited: ${server.output()}`);
      if (Date.now() > deadline) throw new Error(`server did not start: ${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const [newest] = await listSnapshots(path.join(dataDir, 'snapshots'));
    if (!newest) throw new Error('no snapshot');

    const refused = cli(dataDir, ['restore', newest.name]);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('restore refused');
    expect(refused.output()).toContain(`pid ${server.child.pid}`);
    expect((await readdir(dataDir)).filter((name) => name.startsWith('pgdata'))).toEqual(['pgdata']);

    // Nor may a second server or another command open the folder meanwhile.
    const second = cli(dataDir, ['serve'], { PORT: String(await freePort()) });
    const verify = cli(dataDir, ['verify-ledgers']);
    expect(await second.exited).not.toBe(0);
    expect(second.output()).toContain(`data folder is in use by another process (server, pid ${server.child.pid}`);
    expect(await verify.exited).not.toBe(0);
    expect(verify.output()).toContain(`data folder is in use by another process (server, pid ${server.child.pid}`);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(await readdir(dataDir)).not.toContain(lockFileName);

    const unknown = cli(dataDir, ['restore', '1999-01-01']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain(newest.name);

    const restored = cli(dataDir, ['restore', newest.name.slice('yuehui-'.length, -'.tar.gz'.length)]);
    expect(await restored.exited).toBe(0);
    expect(restored.output()).toContain(`restored ${newest.name}`);
    expect(restored.output()).toContain('verify-ledgers on the restored data: no problems');
    expect((await readdir(dataDir)).some((name) => name.startsWith('pgdata.before-restore-'))).toBe(true);
  }, 240_000);
});
