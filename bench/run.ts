/**
 * `npm run bench -- points`: points earning through the HTTP API with 8 concurrent clients for
 * 20 s, and in the same run the raw SQL floor (the statements one earn issues, driven by a
 * minimal pg loop on as many connections). Writes both figures and their ratio to
 * bench/results/. Needs PostgreSQL: PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres);
 * a fresh database is created and dropped.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { migrateDatabase, openDatabase } from '../src/db/client.js';
import { createTestTenant, loginAs, randomMobile } from '../src/db/testing.js';
import { runPointsExpirySweep } from '../src/jobs/sweeps.js';
import { createCustomer } from '../src/modules/customers/service.js';
import { verifyPointsLedgers } from '../src/modules/points/verify.js';
import { issueToMany } from '../src/modules/vouchers/issue.js';
import { createVoucherTemplate } from '../src/modules/vouchers/templates.js';
import { verifyVoucherLedgers } from '../src/modules/vouchers/verify.js';
import { systemActor } from '../src/platform/audit.js';
import { makeCtx } from '../src/platform/context.js';
import { drive, httpLoad } from './drive.js';
import { factsBench } from './facts.js';

const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const clients = Number(process.env.BENCH_CLIENTS ?? 8);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const customerCount = 400;

const main = async () => {
  const name = `yuehui_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = `${adminUrl.replace(/\/[^/]*$/, '')}/${name}`;
  const database = await openDatabase({ kind: 'postgres', url, poolSize: clients * 2 });
  try {
    await migrateDatabase(database);
    const tenant = await createTestTenant(database, 'Bench clinic');
    const customers: string[] = [];
    for (let index = 0; index < customerCount; index++) {
      customers.push((await createCustomer(database.db, systemActor(tenant.id), { name: '压测客户', gender: 'female', phone: randomMobile() })).id);
    }
    const app = await buildApp({ database });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const session = await loginAs(app, tenant, 'owner');
    let next = 0;
    const pick = () => customers[next++ % customers.length] ?? '';

    // The API: a manual earn (adjustment +10) per request, each with its own Idempotency-Key,
    // sent by a separate client process so the server's event loop only serves.
    const api = await httpLoad({ address, headers: session.writeHeaders, customers, clients, seconds });
    await app.close();

    // The floor: the same 11 statements one API earn issues (session lookup, begin, idempotency
    // claim, customer check, settings read, account lock, entry + lot + movement, balance with
    // the balance assertion, audit row, idempotency response, commit), on raw connections with
    // no HTTP, validation or query building.
    const sessionId = decodeURIComponent(String(session.headers.cookie).replace('yh_sid=', '')).split('.')[1] ?? '';
    const pool = new pg.Pool({ connectionString: url, max: clients });
    pool.on('error', () => undefined);
    const floor = await drive(clients, seconds, async () => {
      const client = await pool.connect();
      const customerId = pick();
      const key = `floor-${randomUUID()}`;
      const entryId = randomUUID();
      const lotId = randomUUID();
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
        await client.query('select * from customers where tenant_id = $1 and id = $2', [tenant.id, customerId]);
        await client.query('select value from tenant_settings where tenant_id = $1 and key = $2', [tenant.id, 'points']);
        await client.query('select * from points_accounts where tenant_id = $1 and customer_id = $2 for update', [tenant.id, customerId]);
        await client.query(
          `with entry as (
             insert into points_entries (tenant_id, id, customer_id, type, points, growth, source_type, reason, idempotency_key, request_hash, created_at)
             values ($1, $2, $3, 'adjust', 10, 0, 'manual', '{}', $4, 'h', now()) on conflict (tenant_id, idempotency_key) do nothing returning tenant_id, id),
           lot as (
             insert into points_lots (tenant_id, id, customer_id, entry_id, points, remaining, available_at, created_at)
             select tenant_id, $5, $3, id, 10, 10, now(), now() from entry returning tenant_id, id, entry_id),
           movement as (insert into points_movements (tenant_id, id, entry_id, lot_id, points, position) select tenant_id, $6, entry_id, id, 10, 0 from lot returning id)
           select (select count(*) from entry) as entries, (select count(*) from movement) as movements`,
          [tenant.id, entryId, customerId, `manual:${key}`, lotId, randomUUID()],
        );
        await client.query(
          `with account as (
             update points_accounts set balance = balance + 10, debt = debt + 0, growth = growth + 0, updated_at = now()
             where tenant_id = $1 and customer_id = $2 returning tenant_id, customer_id, balance, debt)
           select a.balance, a.debt,
             (select coalesce(sum(points), 0) from points_entries e where e.tenant_id = a.tenant_id and e.customer_id = a.customer_id) as entries,
             (select coalesce(sum(remaining), 0) from points_lots l where l.tenant_id = a.tenant_id and l.customer_id = a.customer_id) as lots,
             (select count(*) from points_lots l where l.tenant_id = a.tenant_id and l.customer_id = a.customer_id and (l.remaining < 0 or l.remaining > l.points)) as bad_lots
           from account a`,
          [tenant.id, customerId],
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

    const ratio = +(api.perSecond / Math.max(1, floor.perSecond)).toFixed(2);
    const result = {
      benchmark: 'points earn: HTTP API vs raw SQL floor',
      date: new Date().toISOString(),
      command: 'npm run bench -- points',
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      database: (await admin.query('show server_version')).rows[0]?.server_version,
      clients,
      seconds,
      api,
      floor,
      ratio,
      target: 'API at least half of the floor (ratio ≥ 0.5)',
      meetsTarget: ratio >= 0.5,
    };
    const folder = path.resolve(import.meta.dirname, 'results');
    await mkdir(folder, { recursive: true });
    const stem = `points-${result.date.slice(0, 10)}`;
    await writeFile(path.join(folder, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(
      path.join(folder, `${stem}.md`),
      `# ${result.benchmark}\n\nCommand: \`${result.command}\` (PostgreSQL ${result.database}, ${clients} clients, ${seconds} s each)\n\nMachine: ${result.machine.cpus} cores (${result.machine.cpu}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}\n\n| | ops/s | p50 ms | p99 ms | failures | CPU ms/op: client | server | PostgreSQL |\n|---|---|---|---|---|---|---|---|\n| HTTP API | ${api.perSecond} | ${api.p50Ms} | ${api.p99Ms} | ${api.failures} | ${api.cpuMsPerOp.driver} | ${api.serverCpuMsPerOp} | ${api.cpuMsPerOp.database ?? '—'} |\n| SQL floor | ${floor.perSecond} | ${floor.p50Ms} | ${floor.p99Ms} | ${floor.failures} | ${floor.cpuMsPerOp.driver} | — | ${floor.cpuMsPerOp.database ?? '—'} |\n\nThe HTTP load runs in its own process; the floor's driver loop is the benchmark process. Both issue the same 11 statements per earn.\n\nRatio API / floor: **${ratio}** (target ≥ 0.5: ${result.meetsTarget ? 'met' : 'not met'}).\n`,
    );
    process.stdout.write(`${JSON.stringify({ api, floor, ratio }, null, 2)}\n`);
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
};

/**
 * `npm run bench -- expiry`: the expiry sweep over BENCH_LOTS (default 1 000 000) due lots on
 * PostgreSQL, generated in SQL (one earn entry, lot and movement each, over 50 000 accounts).
 * Target: under 30 s. Checks the books balance afterwards.
 */
const expiry = async () => {
  const lots = Number(process.env.BENCH_LOTS ?? 1_000_000);
  const name = `yuehui_bench_expiry_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = `${adminUrl.replace(/\/[^/]*$/, '')}/${name}`;
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
  try {
    await migrateDatabase(database);
    const tenant = await createTestTenant(database, 'Expiry bench');
    const accounts = Math.min(50_000, lots);
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const generateStarted = performance.now();
    await raw.query(
      `insert into customers (tenant_id, id, name, gender, phone)
       select $1, gen_random_uuid(), '到期客户', 'female', '1' || lpad(g::text, 10, '0') from generate_series(1, $2) g`,
      [tenant.id, accounts],
    );
    await raw.query('insert into points_accounts (tenant_id, customer_id, balance) select tenant_id, id, 0 from customers where tenant_id = $1', [tenant.id]);
    await raw.query(
      `with c as (select id, row_number() over () as n from customers where tenant_id = $1),
            g as (select gen_random_uuid() as entry_id, gen_random_uuid() as lot_id, (s % $3) + 1 as n from generate_series(1, $2) s),
            e as (insert into points_entries (tenant_id, id, customer_id, type, points, growth, source_type, reason, idempotency_key, request_hash, created_at)
                  select $1, g.entry_id, c.id, 'earn', 100, 0, 'manual', '{}', 'bench:' || g.entry_id, 'h', now() - interval '400 days' from g join c on c.n = g.n returning id),
            l as (insert into points_lots (tenant_id, id, customer_id, entry_id, points, remaining, available_at, expires_at, created_at)
                  select $1, g.lot_id, c.id, g.entry_id, 100, 100, now() - interval '400 days', now() - interval '1 day', now() - interval '400 days' from g join c on c.n = g.n returning id)
       insert into points_movements (tenant_id, id, entry_id, lot_id, points, position)
       select $1, gen_random_uuid(), g.entry_id, g.lot_id, 100, 0 from g`,
      [tenant.id, lots, accounts],
    );
    await raw.query(
      `update points_accounts a set balance = t.total, next_expiry_at = t.first_expiry
       from (select customer_id, sum(remaining) as total, min(expires_at) as first_expiry from points_lots where tenant_id = $1 group by 1) t
       where a.tenant_id = $1 and a.customer_id = t.customer_id`,
      [tenant.id],
    );
    await raw.query('analyze');
    const generateSeconds = +((performance.now() - generateStarted) / 1000).toFixed(1);
    const started = performance.now();
    const swept = await runPointsExpirySweep(database.db, { now: () => new Date() });
    const sweepSeconds = +((performance.now() - started) / 1000).toFixed(1);
    const problems = await verifyPointsLedgers(database.db, tenant.id);
    await raw.end();
    const result = {
      benchmark: 'points expiry sweep',
      date: new Date().toISOString(),
      command: `BENCH_LOTS=${lots} npm run bench -- expiry`,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      database: (await admin.query('show server_version')).rows[0]?.server_version,
      lots,
      accounts,
      generateSeconds,
      expired: swept?.expired ?? 0,
      sweepSeconds,
      lotsPerSecond: Math.round((swept?.expired ?? 0) / Math.max(0.001, sweepSeconds)),
      ledgerProblemsAfter: problems.length,
      target: 'under 30 s for 1 000 000 lots',
      meetsTarget: sweepSeconds < 30 && lots >= 1_000_000 && problems.length === 0,
    };
    const folder = path.resolve(import.meta.dirname, 'results');
    await mkdir(folder, { recursive: true });
    const stem = `expiry-${result.date.slice(0, 10)}`;
    await writeFile(path.join(folder, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(
      path.join(folder, `${stem}.md`),
      `# ${result.benchmark}\n\nCommand: \`${result.command}\` (PostgreSQL ${result.database})\n\nMachine: ${result.machine.cpus} cores (${result.machine.cpu}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}\n\n| lots | accounts | expired | sweep s | lots/s | ledger problems after |\n|---|---|---|---|---|---|\n| ${lots} | ${accounts} | ${result.expired} | ${sweepSeconds} | ${result.lotsPerSecond} | ${problems.length} |\n\nTarget: ${result.target} — ${result.meetsTarget ? 'met' : 'not met'}. (Generating the lots took ${generateSeconds} s and is not counted.)\n`,
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
};

/**
 * `npm run bench -- vouchers`: 批量发券 — one batch (`issueToMany`, as a distribution's run)
 * putting a voucher into BENCH_CUSTOMERS (default 100 000) wallets on PostgreSQL, then the same
 * run again (it must issue nothing). Target: under 60 s for 100 000 customers. Checks the
 * voucher books afterwards.
 */
const vouchers = async () => {
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
  const name = `yuehui_bench_vouchers_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = `${adminUrl.replace(/\/[^/]*$/, '')}/${name}`;
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
  try {
    await migrateDatabase(database);
    const tenant = await createTestTenant(database, 'Voucher bench');
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    const generateStarted = performance.now();
    const ids = (
      await raw.query<{ id: string }>(
        `insert into customers (tenant_id, id, name, gender, phone)
         select $1, gen_random_uuid(), '发券客户', 'female', '1' || lpad(g::text, 10, '0') from generate_series(1, $2) g returning id`,
        [tenant.id, customers],
      )
    ).rows.map((row) => row.id);
    await raw.query('analyze');
    await raw.end();
    const generateSeconds = +((performance.now() - generateStarted) / 1000).toFixed(1);
    const ctx = makeCtx(systemActor(tenant.id), new Date(), 'Asia/Shanghai');
    const template = await database.db.transaction((tx) =>
      createVoucherTemplate(tx, ctx, {
        name: '唤醒代金券',
        kind: 'cash_off',
        faceValueFen: 5_000,
        thresholdFen: 30_000,
        scope: { itemIds: [], categoryIds: [] },
        channels: ['store'],
        validity: { kind: 'relative', days: 30 },
        totalStock: null,
        perCustomerLimit: 1,
        isStackable: true,
      }),
    );
    const run = async () => {
      const started = performance.now();
      const outcome = await database.db.transaction((tx) =>
        issueToMany(tx, ctx, { templateId: template.id, customerIds: ids, keyPrefix: 'dist:bench', source: 'batch' }),
      );
      return { outcome, seconds: +((performance.now() - started) / 1000).toFixed(1) };
    };
    const first = await run();
    const again = await run();
    const problems = await verifyVoucherLedgers(database.db, tenant.id);
    const result = {
      benchmark: 'voucher batch into wallets',
      date: new Date().toISOString(),
      command: `BENCH_CUSTOMERS=${customers} npm run bench -- vouchers`,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      database: (await admin.query('show server_version')).rows[0]?.server_version,
      customers,
      generateSeconds,
      issued: first.outcome.issued,
      batchSeconds: first.seconds,
      vouchersPerSecond: Math.round(first.outcome.issued / Math.max(0.001, first.seconds)),
      rerunIssued: again.outcome.issued,
      rerunSeconds: again.seconds,
      ledgerProblemsAfter: problems.length,
      target: 'under 60 s for 100 000 customers; a re-run issues nothing',
      meetsTarget: first.seconds < 60 && customers >= 100_000 && first.outcome.issued === customers && again.outcome.issued === 0 && problems.length === 0,
    };
    const folder = path.resolve(import.meta.dirname, 'results');
    await mkdir(folder, { recursive: true });
    const stem = `vouchers-${result.date.slice(0, 10)}`;
    await writeFile(path.join(folder, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(
      path.join(folder, `${stem}.md`),
      `# ${result.benchmark}\n\nCommand: \`${result.command}\` (PostgreSQL ${result.database})\n\nMachine: ${result.machine.cpus} cores (${result.machine.cpu}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}\n\n| customers | issued | batch s | vouchers/s | re-run issued | re-run s | ledger problems after |\n|---|---|---|---|---|---|---|\n| ${customers} | ${result.issued} | ${result.batchSeconds} | ${result.vouchersPerSecond} | ${result.rerunIssued} | ${result.rerunSeconds} | ${problems.length} |\n\nTarget: ${result.target} — ${result.meetsTarget ? 'met' : 'not met'}. (Generating the customers took ${generateSeconds} s and is not counted.)\n`,
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
};

const suites: Record<string, () => Promise<void>> = { points: main, expiry, vouchers, facts: factsBench };
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
for (const suite of wanted.length > 0 ? wanted : Object.keys(suites)) {
  const run = suites[suite];
  if (!run) {
    process.stderr.write(`unknown benchmark ${suite}; known: ${Object.keys(suites).join(', ')}\n`);
    process.exit(2);
  }
  await run();
}
