/**
 * `npm run bench -- vouchers`: 批量发券 — a batch distribution into BENCH_CUSTOMERS (default
 * 100 000) wallets on PostgreSQL, run as the background job the console starts (create the
 * distribution, then the job to the end), and the same distribution run again (it must issue
 * nothing). The floor does the same writes the simplest way: one INSERT … SELECT of the vouchers
 * and one of their issue events, over the same customers, for another template. Measured and floor
 * runs alternate (A, B, A, B, …, BENCH_ROUNDS rounds, default 3) on a shared, noisy machine; the
 * figures are medians with their spread. Target: under 3 s for 100 000 customers. Checks the
 * voucher books afterwards.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { createDistribution, createVoucherTemplate, runDistributionJobStep, runDistributionNow, verifyVoucherLedgers } from '../src/modules/vouchers/index.js';
import { systemActor } from '../src/platform/audit.js';
import { systemClock } from '../src/platform/clock.js';
import { makeCtx } from '../src/platform/context.js';
import { createJobRunner, getJobRow } from '../src/platform/jobs.js';
import { prepareDatabase } from '../src/prepare-database.js';
import { createTestTenant } from '../src/testing/database.js';

const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const round = (value: number, digits = 2) => +value.toFixed(digits);
const secondsSince = (started: number) => (performance.now() - started) / 1000;

export const vouchers = async () => {
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const name = `yuehui_bench_vouchers_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = `${adminUrl.replace(/\/[^/]*$/, '')}/${name}`;
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
  const raw = new pg.Client({ connectionString: url });
  try {
    await prepareDatabase(database);
    const tenant = await createTestTenant(database, 'Voucher bench');
    await raw.connect();
    const generateStarted = performance.now();
    await raw.query(
      `insert into customers (tenant_id, id, name, gender, phone)
       select $1, gen_random_uuid(), '发券客户', 'female', '1' || lpad(g::text, 10, '0') from generate_series(1, $2) g`,
      [tenant.id, customers],
    );
    await raw.query('analyze');
    const generateSeconds = round(secondsSince(generateStarted), 1);
    const ctx = () => makeCtx(systemActor(tenant.id), systemClock.now(), 'Asia/Shanghai');
    const runner = createJobRunner({ db: database.db, clock: systemClock, handlers: { 'voucher_distribution.run': runDistributionJobStep } });
    const newTemplate = (label: string) =>
      database.db.transaction((tx) =>
        createVoucherTemplate(tx, ctx(), {
          name: `唤醒代金券 ${label}`,
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
    /** Runs a started job to the end, as the server's runner does after the start request. */
    const finish = async (job: { id: string }) => {
      await runner.runNext({ tenantId: tenant.id, id: job.id });
      const row = await getJobRow(database.db, tenant.id, job.id);
      if (row.status !== 'succeeded') throw new Error(`job ${job.id} ended ${row.status}: ${row.error}`);
      return row.result as { audience: number; issued: number; alreadyIssued: number };
    };

    // A: the batch as the console starts it — every customer of the clinic, one job.
    const measured = async (round_: number) => {
      const template = await newTemplate(`A${round_}`);
      const started = performance.now();
      const created = await database.db.transaction((tx) =>
        createDistribution(tx, ctx(), { kind: 'batch', name: `全员发券 ${round_}`, templateId: template.id, audience: { kind: 'filter', filter: {} } }),
      );
      if (!created.job) throw new Error('a batch distribution started no job');
      const result = await finish(created.job);
      return { seconds: secondsSince(started), issued: result.issued, distributionId: created.distribution.id };
    };
    // B: the floor — the same rows written by one INSERT … SELECT each, nothing checked.
    const floor = async (round_: number) => {
      const template = await newTemplate(`B${round_}`);
      const started = performance.now();
      await raw.query('begin');
      const inserted = await raw.query(
        `with v as (
           insert into customer_vouchers (tenant_id, id, template_id, customer_id, source, issue_key, use_no, code, snapshot, valid_from, valid_to, status, issued_at, updated_at)
           select $1, gen_random_uuid(), $2::uuid, c.id, 'batch', 'floor:' || $2::text || ':' || c.id, 1,
             $3::text || lpad((row_number() over ())::text, 11, '0'), '{}'::jsonb, current_date, current_date + 29, 'available', now(), now()
           from customers c where c.tenant_id = $1
           returning id)
         insert into voucher_events (tenant_id, id, voucher_id, type, reason, created_at)
         select $1, gen_random_uuid(), v.id, 'issue', '{"source":"batch"}'::jsonb, now() from v`,
        [tenant.id, template.id, String(round_)],
      );
      await raw.query('update voucher_templates set issued_count = issued_count + $3 where tenant_id = $1 and id = $2', [
        tenant.id,
        template.id,
        inserted.rowCount,
      ]);
      await raw.query('commit');
      return { seconds: secondsSince(started), issued: inserted.rowCount ?? 0 };
    };

    const batchRuns: number[] = [];
    const floorRuns: number[] = [];
    let first: Awaited<ReturnType<typeof measured>> | undefined;
    for (let index = 1; index <= rounds; index++) {
      const a = await measured(index);
      first ??= a;
      if (a.issued !== customers) throw new Error(`batch issued ${a.issued} of ${customers}`);
      batchRuns.push(a.seconds);
      const b = await floor(index);
      floorRuns.push(b.seconds);
      process.stderr.write(`round ${index}: batch ${a.seconds.toFixed(2)} s, floor ${b.seconds.toFixed(2)} s\n`);
    }
    if (!first) throw new Error('no rounds');
    // The first distribution again: every customer already has its voucher.
    const rerunStarted = performance.now();
    const distributionId = first.distributionId;
    const rerunJob = await database.db.transaction(async (tx) => (await runDistributionNow(tx, ctx(), distributionId, 'bench-rerun')).job);
    const rerun = await finish(rerunJob);
    const rerunSeconds = secondsSince(rerunStarted);
    const problems = await verifyVoucherLedgers(database.db, tenant.id);

    const batchSeconds = round(median(batchRuns));
    const floorSeconds = round(median(floorRuns));
    const result = {
      benchmark: 'voucher batch into wallets, as a background job',
      date: new Date().toISOString(),
      command: `BENCH_CUSTOMERS=${customers} BENCH_ROUNDS=${rounds} npm run bench -- vouchers`,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      database: (await admin.query('show server_version')).rows[0]?.server_version,
      customers,
      rounds,
      order: 'A (batch job), B (floor), alternating',
      generateSeconds,
      issued: first.issued,
      batchSeconds,
      batchSpread: { min: round(Math.min(...batchRuns)), max: round(Math.max(...batchRuns)) },
      batchRuns: batchRuns.map((value) => round(value)),
      floorSeconds,
      floorSpread: { min: round(Math.min(...floorRuns)), max: round(Math.max(...floorRuns)) },
      floorRuns: floorRuns.map((value) => round(value)),
      floorRatio: round(batchSeconds / Math.max(0.001, floorSeconds)),
      vouchersPerSecond: Math.round(customers / Math.max(0.001, batchSeconds)),
      rerunIssued: rerun.issued,
      rerunAlreadyIssued: rerun.alreadyIssued,
      rerunSeconds: round(rerunSeconds),
      ledgerProblemsAfter: problems.length,
      target: 'under 3 s for 100 000 customers; a re-run issues nothing',
      meetsTarget: batchSeconds < 3 && customers >= 100_000 && rerun.issued === 0 && problems.length === 0,
    };
    const folder = path.resolve(import.meta.dirname, 'results');
    await mkdir(folder, { recursive: true });
    const stem = `vouchers-${result.date.slice(0, 10)}`;
    await writeFile(path.join(folder, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
    const spread = (runs: readonly number[]) => runs.map((value) => round(value)).join(' / ');
    await writeFile(
      path.join(folder, `${stem}.md`),
      `# ${result.benchmark}\n\nCommand: \`${result.command}\` (PostgreSQL ${result.database})\n\nMachine: ${result.machine.cpus} cores (${result.machine.cpu}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}\n\nRuns alternate A (the batch job: create the distribution, run the job to the end) and B (the floor: one INSERT … SELECT of the vouchers and one of their events), ${rounds} rounds.\n\n| | median s | min s | max s | runs |\n|---|---|---|---|---|\n| batch job (A), \`batchSeconds\` | ${batchSeconds} | ${result.batchSpread.min} | ${result.batchSpread.max} | ${spread(batchRuns)} |\n| floor (B) | ${floorSeconds} | ${result.floorSpread.min} | ${result.floorSpread.max} | ${spread(floorRuns)} |\n\n| customers | issued | vouchers/s | batch ÷ floor | re-run issued | re-run s | ledger problems after |\n|---|---|---|---|---|---|---|\n| ${customers} | ${result.issued} | ${result.vouchersPerSecond} | ${result.floorRatio} | ${result.rerunIssued} | ${result.rerunSeconds} | ${problems.length} |\n\nTarget: ${result.target} — ${result.meetsTarget ? 'met' : 'not met'}. (Generating the customers took ${generateSeconds} s and is not counted.)\n`,
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await raw.end().catch(() => undefined);
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
};
