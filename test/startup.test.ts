import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `npm start` on a fresh data folder: migrations, demo clinic, login, and data kept across a restart. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

type Body = { status?: string; database?: object; csrfToken?: string; tenant?: { name: string }; total?: number; items?: { name: string }[] };
const json = async (response: Response) => (await response.json()) as Body;

const started: ChildProcess[] = [];
let dataDir = '';

const start = async (port: number) => {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, PORT: String(port), YUEHUI_DATA_DIR: dataDir, YUEHUI_SKIP_WEB_BUILD: '1', DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
    if (health?.ok) return { child, output: () => output, health: await json(health) };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`server did not become healthy: ${output}`);
};

const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  await exited;
};

const login = async (port: number) => {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantCode: 'demo', username: 'frontdesk', password: 'demo123456' }),
  });
  expect(response.status).toBe(200);
  const me = await json(response);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: String(me.csrfToken), me };
};

afterAll(async () => {
  for (const child of started) await stop(child);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm start on embedded PostgreSQL', () => {
  it('starts on a fresh data folder with the demo clinic, and a restart keeps the data', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'yuehui-start-'));
    const port = await freePort();
    const first = await start(port);
    const journal = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../migrations/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    expect(first.health).toMatchObject({ status: 'ok', database: { kind: 'pglite', migration: journal.entries.at(-1)?.tag, pending: 0 } });
    expect(first.output()).toContain('PostgreSQL');
    expect(first.output()).toContain('demo123456');

    const session = await login(port);
    expect(session.me.tenant?.name).toBe('悦会医美（演示）');
    const list = await json(await fetch(`http://127.0.0.1:${port}/api/v1/customers?pageSize=1`, { headers: { cookie: session.cookie } }));
    expect(list.total).toBeGreaterThanOrEqual(290);
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
      body: JSON.stringify({ name: '重启测试', gender: 'female', phone: '13700001111' }),
    });
    expect(created.status).toBe(201);
    expect((await readdir(path.join(dataDir, 'snapshots'))).filter((name) => name.endsWith('.tar.gz'))).toHaveLength(1);
    await stop(first.child);

    const second = await start(port);
    expect(second.output()).not.toContain('已创建演示诊所');
    const again = await login(port);
    const found = await json(await fetch(`http://127.0.0.1:${port}/api/v1/customers?q=13700001111`, { headers: { cookie: again.cookie } }));
    expect(found.items?.map((item) => item.name)).toEqual(['重启测试']);
    const total = await json(await fetch(`http://127.0.0.1:${port}/api/v1/customers?pageSize=1`, { headers: { cookie: again.cookie } }));
    expect(total.total).toBe((list.total ?? 0) + 1);
    await stop(second.child);
  }, 300_000);
});
