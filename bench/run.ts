/** `npm run bench -- <name>`: points (bench/points.ts), checkout (bench/checkout.ts), expiry, vouchers. Each needs PostgreSQL: PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres). */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { runPointsExpirySweep } from '../src/jobs/sweeps.js';
import { verifyPointsLedgers } from '../src/modules/points/index.js';
import { prepareDatabase } from '../src/prepare-database.js';
import { createTestTenant } from '../src/testing/database.js';

const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

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
    await prepareDatabase(database);
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

const suites: Record<string, () => Promise<void>> = {
  points: () => import('./points.js').then((bench) => bench.points()),
  expiry,
  vouchers: () => import('./vouchers.js').then((bench) => bench.vouchers()),
  checkout: () => import('./checkout.js').then((bench) => bench.checkout()),
  facts: () => import('./facts.js').then((bench) => bench.factsBench()),
};
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
for (const suite of wanted.length > 0 ? wanted : Object.keys(suites)) {
  const run = suites[suite];
  if (!run) {
    process.stderr.write(`unknown benchmark ${suite}; known: ${Object.keys(suites).join(', ')}\n`);
    process.exit(2);
  }
  await run();
}
