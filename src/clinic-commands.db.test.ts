import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinicCommand, listClinicsCommand } from './clinic-commands.js';
import { type Database, queryRows } from './db/client.js';
import { stores, tenants } from './modules/tenants/index.js';
import { buildTestApp, openTestDatabase } from './testing/database.js';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database.close();
});

const uniqueCode = () => `cli-${randomBytes(4).toString('hex')}`;
const password = (value: string) => async () => `${value}\n`;
const tenantCount = async () => Number((await queryRows<{ count: number }>(database.db, sql`select count(*)::int as count from tenants`))[0]?.count);

describe('create-clinic', () => {
  it('creates the clinic, its first store and owner, prints them, and the owner logs in', async () => {
    const code = uniqueCode();
    const result = await createClinicCommand(
      database.db,
      ['--code', code, '--name', '城西口腔', '--owner', 'Chief', '--owner-name', '陈主任', '--store', '城西店', '--timezone', 'Asia/Chongqing'],
      password('Tooth-Fairy-Gate-7'),
    );
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain(`created clinic ${code} "城西口腔" (Asia/Chongqing)`);
    expect(result.output).toContain('store  城西店');
    expect(result.output).toContain('owner  chief (陈主任)');
    const app = await buildTestApp(database);
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { tenantCode: code, username: 'chief', password: 'Tooth-Fairy-Gate-7' },
      });
      expect(login.statusCode).toBe(200);
      expect(login.json()).toMatchObject({
        user: { role: 'owner', mustChangePassword: false },
        tenant: { timezone: 'Asia/Chongqing' },
        stores: [{ name: '城西店' }],
      });
    } finally {
      await app.close();
    }
    expect((await listClinicsCommand(database.db)).output).toMatch(new RegExp(`${code}\\s+Asia/Chongqing\\s+1 store`));
  });

  it('refuses a taken code, an invalid time zone and a weak password, leaving nothing half-created', async () => {
    const code = uniqueCode();
    expect((await createClinicCommand(database.db, ['--code', code, '--name', '甲', '--owner', 'boss'], password('First-Clinic-Pass-1'))).exitCode).toBe(0);
    const before = await tenantCount();
    const taken = await createClinicCommand(database.db, ['--code', code, '--name', '乙', '--owner', 'boss'], password('Second-Clinic-Pass-2'));
    expect(taken).toEqual({ exitCode: 1, output: expect.stringContaining(`诊所代码 ${code} 已被使用 (TENANT_CODE_TAKEN)`) });
    const zone = await createClinicCommand(
      database.db,
      ['--code', uniqueCode(), '--name', '丙', '--owner', 'boss', '--timezone', 'Asia/Atlantis'],
      password('Third-Clinic-Pass-3'),
    );
    expect(zone).toEqual({ exitCode: 1, output: expect.stringContaining('TIMEZONE_INVALID') });
    const weakCode = uniqueCode();
    const weak = await createClinicCommand(database.db, ['--code', weakCode, '--name', '丁', '--owner', 'boss'], password('1234567890'));
    expect(weak).toEqual({ exitCode: 1, output: expect.stringContaining('PASSWORD_WEAK') });
    expect(weak.output).toContain('owner.password');
    const badCode = await createClinicCommand(database.db, ['--code', '9lives', '--name', '戊', '--owner', 'boss'], password('Fifth-Clinic-Pass-5'));
    expect(badCode.exitCode).toBe(1);
    expect(await tenantCount()).toBe(before);
    expect(await database.db.select().from(tenants).where(eq(tenants.code, weakCode))).toEqual([]);
    const [original] = await database.db.select().from(tenants).where(eq(tenants.code, code));
    expect(
      await database.db
        .select()
        .from(stores)
        .where(eq(stores.tenantId, original?.id ?? '')),
    ).toHaveLength(1);
  });

  it('says what is missing', async () => {
    const result = await createClinicCommand(database.db, ['--name', '无代码'], password('whatever-long-pass'));
    expect(result.exitCode).toBe(2);
    expect(result.output).toContain('missing --code, --owner');
  });
});

describe('the command line itself', () => {
  it('node src/main.ts create-clinic reads the password from standard input, and list-clinics shows the clinic', { timeout: 120_000 }, async () => {
    if (process.env.DATABASE_URL) return; // The process opens its own embedded database; the in-process tests above cover PostgreSQL.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yuehui-cli-'));
    const run = (args: string[], input?: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
          cwd: path.resolve(import.meta.dirname, '..'),
          env: { ...process.env, YUEHUI_DATA_DIR: dataDir, DATABASE_URL: '' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk) => {
          stdout += String(chunk);
        });
        child.stderr.on('data', (chunk) => {
          stderr += String(chunk);
        });
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(input ?? '');
      });
    try {
      const created = await run(['create-clinic', '--code', 'meili', '--name', '美丽诊所', '--owner', 'owner'], 'Rose-Garden-Gate-88\n');
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain('created clinic meili "美丽诊所"');
      const again = await run(['create-clinic', '--code', 'meili', '--name', '美丽诊所', '--owner', 'owner'], 'Rose-Garden-Gate-88\n');
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('TENANT_CODE_TAKEN');
      const listed = await run(['list-clinics']);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/meili\s+Asia\/Shanghai\s+1 store/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
