/**
 * `npm run bench -- points`: points earning through the HTTP API with 8 concurrent clients, and
 * in the same run
 * - the anchor: a plain 3-statement earn (update the balance, insert the entry, insert the lot)
 *   replayed by pgbench on as many connections, runs interleaved with the API's (A, B, A, B, A, B),
 *   median and spread of each → `anchorRatio`;
 * - the floor kept from before: the statements one API earn issues, replayed by a minimal pg loop;
 * - `statementsPerEarn`: the statements inside one earn's transaction, counted by a logger;
 * - `growthRatio`: the p50 of a points earn (API) and of a stored-value spend for a customer with
 *   10 000 prior entries over one with 10 (the write path is O(1), so about 1).
 * Needs PostgreSQL: PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
 * database is created and dropped.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { type Db, openDatabase } from '../src/db/client.js';
import { spendStoredValue, topUpStoredValue, verifyStoredValueLedgers } from '../src/modules/cards/index.js';
import { createCustomer } from '../src/modules/customers/index.js';
import { verifyPointsLedgers } from '../src/modules/points/index.js';
import { systemActor } from '../src/platform/audit.js';
import { makeCtx } from '../src/platform/context.js';
import { prepareDatabase } from '../src/prepare-database.js';
import { createTestTenant, loginAs, randomMobile } from '../src/testing/database.js';
import { type DriveResult, drive, httpLoad } from './drive.js';

const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const clients = Number(process.env.BENCH_CLIENTS ?? 8);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = 3;
const customerCount = 400;
const historyLong = 10_000;
const historyShort = 10;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
/** Spread: (max − min) ÷ median, as a fraction. */
const spread = (values: number[]) => +((Math.max(...values) - Math.min(...values)) / Math.max(1, median(values))).toFixed(3);
const p50 = (latencies: number[]) => +median(latencies).toFixed(2);

/** The anchor: what an earn must do at least, as pgbench replays it. */
const anchorScript = `\\set n random(1, ${customerCount})
BEGIN;
UPDATE points_accounts a SET balance = a.balance + 10, updated_at = now() FROM bench_customers b
  WHERE b.n = :n AND a.tenant_id = b.tenant_id AND a.customer_id = b.customer_id RETURNING a.balance AS bal, b.tenant_id AS tid, b.customer_id AS cid \\gset
INSERT INTO points_entries (tenant_id, id, customer_id, type, points, balance_after, growth, source_type, reason, idempotency_key, request_hash, created_at)
  VALUES (':tid', gen_random_uuid(), ':cid', 'adjust', 10, :bal, 0, 'manual', '{}', 'pgbench:' || gen_random_uuid(), 'h', now()) RETURNING id AS eid \\gset
INSERT INTO points_lots (tenant_id, id, customer_id, entry_id, points, remaining, available_at, created_at)
  VALUES (':tid', gen_random_uuid(), ':cid', ':eid', 10, 10, now(), now());
COMMIT;
`;

const pgbench = async (url: string): Promise<{ perSecond: number; latencyMs: number }> => {
  const script = path.join(os.tmpdir(), `yuehui-points-anchor-${process.pid}.sql`);
  await writeFile(script, anchorScript);
  const target = new URL(url);
  const { stdout } = await promisify(execFile)(
    process.env.PGBENCH ?? '/usr/bin/pgbench',
    [
      '-n',
      '-h',
      target.hostname,
      '-p',
      target.port || '5432',
      '-U',
      decodeURIComponent(target.username || 'postgres'),
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(seconds),
      '-f',
      script,
      target.pathname.slice(1),
    ],
    { maxBuffer: 1 << 20 },
  );
  const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? 0);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1] ?? 0);
  return { perSecond: Math.round(tps), latencyMs: latency };
};

/** The statements inside one earn's transaction, counted by a logger on a second connection pool. */
const countStatements = async (url: string, tenant: Awaited<ReturnType<typeof createTestTenant>>, customerId: string) => {
  const log: string[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const db = drizzle(pool, { logger: { logQuery: (query) => log.push(query.trim().toLowerCase()) } }) as unknown as Db;
  const app = await buildApp({ database: { db, kind: 'postgres', close: () => pool.end() } });
  try {
    const session = await loginAs(app, tenant, 'owner');
    const earn = () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/customers/${customerId}/points/adjustments`,
        headers: { ...session.writeHeaders, 'idempotency-key': `count-${randomUUID()}` },
        payload: { points: 10, reason: '计数' },
      });
    await earn();
    log.length = 0;
    const response = await earn();
    if (response.statusCode !== 201) throw new Error(`earn answered ${response.statusCode}: ${response.body}`);
    const begin = log.indexOf('begin');
    const commit = log.indexOf('commit');
    return { statements: commit - begin - 1, log: log.slice(begin + 1, commit).map((statement) => statement.slice(0, 60)) };
  } finally {
    await app.close();
    await pool.end();
  }
};

/** Gives a customer `count` earns of 1 point in SQL: entries with their balance after, lots and movements, and the account. */
const pointsHistory = async (raw: pg.Client, tenantId: string, customerId: string, count: number) => {
  await raw.query('insert into points_accounts (tenant_id, customer_id) values ($1, $2) on conflict do nothing', [tenantId, customerId]);
  await raw.query(
    `with g as (select s, gen_random_uuid() as entry_id, gen_random_uuid() as lot_id from generate_series(1, $3) s),
          e as (insert into points_entries (tenant_id, id, customer_id, type, points, balance_after, growth, source_type, reason, idempotency_key, request_hash, created_at)
                select $1, entry_id, $2, 'earn', 1, s, 0, 'manual', '{}', 'history:' || entry_id, 'h', now() - interval '1 day' from g order by s returning id),
          l as (insert into points_lots (tenant_id, id, customer_id, entry_id, points, remaining, available_at, created_at)
                select $1, lot_id, $2, entry_id, 1, 1, now() - interval '1 day', now() - interval '1 day' from g where exists (select 1 from e) returning id)
     insert into points_movements (tenant_id, id, entry_id, lot_id, points, position)
     select $1, gen_random_uuid(), entry_id, lot_id, 1, 0 from g where exists (select 1 from l)`,
    [tenantId, customerId, count],
  );
  await raw.query('update points_accounts set balance = balance + $3 where tenant_id = $1 and customer_id = $2', [tenantId, customerId, count]);
};

/** Gives a customer `count` stored-value entries in SQL: top-ups of ¥1 each spent in full, with their movements. */
const storedValueHistory = async (raw: pg.Client, tenantId: string, customerId: string, count: number) => {
  await raw.query('insert into stored_value_accounts (tenant_id, customer_id) values ($1, $2) on conflict do nothing', [tenantId, customerId]);
  const pairs = Math.floor(count / 2);
  await raw.query(
    `with g as (select s, gen_random_uuid() as top_entry, gen_random_uuid() as spend_entry, gen_random_uuid() as top_up from generate_series(1, $3) s),
          e as (insert into stored_value_entries (tenant_id, id, customer_id, type, principal_fen, bonus_fen, principal_after_fen, bonus_after_fen,
                                                  source_type, reason, idempotency_key, request_hash, created_at)
                select $1, x.id, $2, x.type, x.amount, 0, x.after, 0, 'manual', '{}', 'history:' || x.id, 'h', now() - interval '1 day'
                from (select s, 0 as k, top_entry as id, 'top_up' as type, 100 as amount, 100 as after from g
                      union all select s, 1, spend_entry, 'spend', -100, 0 from g) x
                order by x.s, x.k returning id),
          t as (insert into stored_value_top_ups (tenant_id, id, customer_id, entry_id, kind, principal_fen, bonus_fen, principal_remaining_fen, bonus_remaining_fen, contract, created_at)
                select $1, top_up, $2, top_entry, 'top_up', 100, 0, 0, 0, '{}', now() - interval '1 day' from g where exists (select 1 from e) returning id)
     insert into stored_value_movements (tenant_id, id, entry_id, top_up_id, principal_fen, bonus_fen, position)
     select $1, gen_random_uuid(), x.entry_id, x.top_up, x.amount, 0, 0
     from (select top_entry as entry_id, top_up, 100 as amount from g union all select spend_entry, top_up, -100 from g) x where exists (select 1 from t)`,
    [tenantId, customerId, pairs],
  );
};

export const points = async () => {
  const name = `yuehui_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = `${adminUrl.replace(/\/[^/]*$/, '')}/${name}`;
  const database = await openDatabase({ kind: 'postgres', url, poolSize: clients * 2 });
  const raw = new pg.Client({ connectionString: url });
  try {
    await prepareDatabase(database);
    await raw.connect();
    const tenant = await createTestTenant(database, 'Bench clinic');
    const customers: string[] = [];
    for (let index = 0; index < customerCount + 4; index++) {
      customers.push(
        (
          await createCustomer(database.db, makeCtx(systemActor(tenant.id), new Date(), 'Asia/Shanghai'), {
            name: '压测客户',
            gender: 'female',
            phone: randomMobile(),
          })
        ).id,
      );
    }
    const [shortPoints, longPoints, shortStored, longStored] = customers.splice(customerCount, 4) as [string, string, string, string];
    await raw.query('create table bench_customers (n int primary key, tenant_id uuid not null, customer_id uuid not null)');
    await raw.query('insert into bench_customers select n, $1, c from unnest($2::uuid[]) with ordinality as u(c, n)', [tenant.id, customers]);
    await raw.query('insert into points_accounts (tenant_id, customer_id) select tenant_id, customer_id from bench_customers on conflict do nothing');
    await pointsHistory(raw, tenant.id, shortPoints, historyShort);
    await pointsHistory(raw, tenant.id, longPoints, historyLong);
    await storedValueHistory(raw, tenant.id, shortStored, historyShort);
    await storedValueHistory(raw, tenant.id, longStored, historyLong);
    for (const customerId of [shortStored, longStored]) {
      await database.db.transaction((tx) =>
        topUpStoredValue(tx, {
          tenantId: tenant.id,
          customerId,
          idempotencyKey: `bench:${customerId}:top-up`,
          now: new Date(),
          sourceType: 'manual',
          reason: { rule: 'bench' },
          principalFen: 100_000_000,
          bonusFen: 10_000_000,
          contract: {},
        }),
      );
    }
    await raw.query('analyze');

    const counted = await countStatements(url, tenant, customers[0] ?? '');
    const app = await buildApp({ database });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const session = await loginAs(app, tenant, 'owner');

    // A, B, A, B, A, B: the API (its load from a separate process) and the pgbench anchor.
    const api: (DriveResult & { serverCpuMsPerOp: number })[] = [];
    const anchor: { perSecond: number; latencyMs: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      api.push(await httpLoad({ address, headers: session.writeHeaders, customers, clients, seconds }));
      anchor.push(await pgbench(url));
    }

    // Growth: one client, a customer with 10 entries then one with 10 000, interleaved.
    const earnOnce = async (customerId: string) => {
      const started = performance.now();
      const response = await fetch(`${address}/api/v1/customers/${customerId}/points/adjustments`, {
        method: 'POST',
        headers: { ...session.writeHeaders, 'content-type': 'application/json', 'idempotency-key': `growth-${randomUUID()}` },
        body: JSON.stringify({ points: 10, reason: '增长' }),
      });
      if (response.status !== 201) throw new Error(`earn answered ${response.status}`);
      return performance.now() - started;
    };
    const spendOnce = async (customerId: string) => {
      const started = performance.now();
      await database.db.transaction((tx) =>
        spendStoredValue(tx, {
          tenantId: tenant.id,
          customerId,
          idempotencyKey: `growth-${randomUUID()}`,
          now: new Date(),
          sourceType: 'manual',
          reason: { rule: 'bench' },
          amountFen: 100,
          policy: 'proportional',
        }),
      );
      return performance.now() - started;
    };
    const latencies = { earnShort: [] as number[], earnLong: [] as number[], spendShort: [] as number[], spendLong: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      for (let index = 0; index < 100; index++) latencies.earnShort.push(await earnOnce(shortPoints));
      for (let index = 0; index < 100; index++) latencies.earnLong.push(await earnOnce(longPoints));
      for (let index = 0; index < 100; index++) latencies.spendShort.push(await spendOnce(shortStored));
      for (let index = 0; index < 100; index++) latencies.spendLong.push(await spendOnce(longStored));
    }
    await app.close();

    // The floor kept from before: the statements one API earn issues now, on raw connections.
    const sessionId = decodeURIComponent(String(session.headers.cookie).replace('yh_sid=', '')).split('.')[1] ?? '';
    const pool = new pg.Pool({ connectionString: url, max: clients });
    pool.on('error', () => undefined);
    let next = 0;
    const floor = await drive(clients, seconds, async () => {
      const client = await pool.connect();
      const customerId = customers[next++ % customers.length] ?? '';
      const key = `floor-${randomUUID()}`;
      try {
        await client.query(
          `select s.*, u.role, u.store_ids, t.timezone from staff_sessions s join staff_users u on u.tenant_id = s.tenant_id and u.id = s.staff_id
           join tenants t on t.id = s.tenant_id where s.tenant_id = $1 and s.id = $2`,
          [tenant.id, sessionId],
        );
        await client.query('begin');
        await client.query('insert into idempotency_keys (tenant_id, key, request_hash) values ($1, $2, $3) on conflict do nothing returning key', [
          tenant.id,
          key,
          'h',
        ]);
        await client.query('select value from tenant_settings where tenant_id = $1 and key = $2', [tenant.id, 'points']);
        const locked = await client.query<{ balance: number }>(
          'select balance, debt, growth, expired_through from points_accounts where tenant_id = $1 and customer_id = $2 for update',
          [tenant.id, customerId],
        );
        await client.query(
          `with entry as (
             insert into points_entries (tenant_id, id, customer_id, type, points, balance_after, growth, source_type, reason, idempotency_key, request_hash, created_at)
             values ($1, $2, $3, 'adjust', 10, $7, 0, 'manual', '{}', $4, 'h', now()) on conflict (tenant_id, idempotency_key) do nothing returning tenant_id, id, seq),
           lot as (
             insert into points_lots (tenant_id, id, customer_id, entry_id, points, remaining, available_at, created_at)
             select tenant_id, $5, $3, id, 10, 10, now(), now() from entry returning tenant_id, id, entry_id),
           movement as (insert into points_movements (tenant_id, id, entry_id, lot_id, points, position) select tenant_id, $6, entry_id, id, 10, 0 from lot returning id),
           account as (update points_accounts set balance = balance + 10, debt = debt + 0, growth = growth + 0, updated_at = now()
             where tenant_id = $1 and customer_id = $3 and exists (select 1 from entry) returning balance)
           select (select count(*) from entry) as entries, (select seq from entry) as seq, (select balance from account) as balance`,
          [tenant.id, randomUUID(), customerId, `manual:${key}`, randomUUID(), randomUUID(), Number(locked.rows[0]?.balance ?? 0) + 10],
        );
        await client.query(
          `insert into audit_log (tenant_id, id, actor_type, action, entity_type, entity_id, after) values ($1, $2, 'staff', 'points.adjust', 'customer', $3, '{}')`,
          [tenant.id, randomUUID(), customerId],
        );
        await client.query('update idempotency_keys set response_status = 201, response_body = $3 where tenant_id = $1 and key = $2', [tenant.id, key, '{}']);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    });
    await pool.end();
    // The replays write raw rows (the anchor's lots have no movements): check the customers only the API and the ledger functions wrote.
    const watched = new Set([shortPoints, longPoints, shortStored, longStored]);
    const problems = [...(await verifyPointsLedgers(database.db, tenant.id)), ...(await verifyStoredValueLedgers(database.db, tenant.id))].filter((problem) =>
      watched.has(problem.customerId ?? ''),
    );

    const apiOps = api.map((run) => run.perSecond);
    const anchorOps = anchor.map((run) => run.perSecond);
    const anchorRatio = +(median(apiOps) / Math.max(1, median(anchorOps))).toFixed(3);
    const growth = {
      earnP50Ms: { history10: p50(latencies.earnShort), history10000: p50(latencies.earnLong) },
      spendP50Ms: { history10: p50(latencies.spendShort), history10000: p50(latencies.spendLong) },
    };
    const growthRatio = {
      pointsEarn: +(growth.earnP50Ms.history10000 / Math.max(0.001, growth.earnP50Ms.history10)).toFixed(2),
      storedValueSpend: +(growth.spendP50Ms.history10000 / Math.max(0.001, growth.spendP50Ms.history10)).toFixed(2),
    };
    const result = {
      benchmark: 'points earn: HTTP API vs a 3-statement earn in pgbench, and vs its own statements replayed',
      date: new Date().toISOString(),
      command: 'npm run bench -- points',
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      database: (await admin.query('show server_version')).rows[0]?.server_version,
      clients,
      secondsPerRun: seconds,
      order: 'API, anchor, API, anchor, API, anchor',
      api: { perSecond: apiOps, median: median(apiOps), spread: spread(apiOps), p50Ms: api.map((run) => run.p50Ms), runs: api },
      anchor: { perSecond: anchorOps, median: median(anchorOps), spread: spread(anchorOps), latencyMs: anchor.map((run) => run.latencyMs) },
      anchorRatio,
      anchorTarget: 'anchorRatio ≥ 0.3',
      statementsPerEarn: counted.statements,
      statementsInEarn: counted.log,
      floor,
      ratio: +(median(apiOps) / Math.max(1, floor.perSecond)).toFixed(2),
      growth,
      growthRatio,
      ledgerProblemsAfter: problems.length,
      meetsTarget: anchorRatio >= 0.3 && counted.statements <= 6 && problems.length === 0,
    };
    const folder = path.resolve(import.meta.dirname, 'results');
    await mkdir(folder, { recursive: true });
    const stem = `points-${result.date.slice(0, 10)}`;
    await writeFile(path.join(folder, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(
      path.join(folder, `${stem}.md`),
      `# ${result.benchmark}

Command: \`${result.command}\` (PostgreSQL ${result.database}, ${clients} clients, ${seconds} s per run, runs interleaved: ${result.order})

Machine: ${result.machine.cpus} cores (${result.machine.cpu}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}; shared with other work, hence the interleaving.

| | runs (ops/s) | median ops/s | spread | p50 ms |
|---|---|---|---|---|
| HTTP API earn | ${apiOps.join(', ')} | ${result.api.median} | ${result.api.spread} | ${result.api.p50Ms.join(', ')} |
| pgbench 3-statement earn (anchor) | ${anchorOps.join(', ')} | ${result.anchor.median} | ${result.anchor.spread} | ${result.anchor.latencyMs.join(', ')} (average) |
| the API's own statements replayed (floor, one run) | ${floor.perSecond} | ${floor.perSecond} | — | ${floor.p50Ms} |

- **anchorRatio** (API ÷ anchor, medians): **${anchorRatio}** (target ≥ 0.3)
- **statementsPerEarn** (inside the transaction): **${counted.statements}** (target ≤ 6): ${counted.log.map((statement) => `\`${statement.replace(/\s+/g, ' ').slice(0, 40)}…\``).join(', ')}
- API ÷ its own statements replayed: ${result.ratio}
- **growthRatio** (p50 with 10 000 prior entries ÷ with 10, one client, 3 × 100 each, interleaved): points earn over the API **${growthRatio.pointsEarn}** (${growth.earnP50Ms.history10} → ${growth.earnP50Ms.history10000} ms), stored-value spend **${growthRatio.storedValueSpend}** (${growth.spendP50Ms.history10} → ${growth.spendP50Ms.history10000} ms)
- ledger problems after, for the four growth customers (written only through the API and the ledger functions; the replays' raw rows are left out): ${problems.length}

Spread is (max − min) ÷ median over the runs.
`,
    );
    process.stdout.write(
      `${JSON.stringify({ anchorRatio, statementsPerEarn: counted.statements, api: result.api.median, anchor: result.anchor.median, growthRatio }, null, 2)}\n`,
    );
  } finally {
    await raw.end().catch(() => undefined);
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
};
