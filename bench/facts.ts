/**
 * `npm run bench -- facts`: what tier evaluation pays to read a customer's figures, from her
 * facts (customer_fact_days) against the floor that does the same work the simplest way — the
 * raw re-sum over points entries, payments, orders and visits that evaluation used before —
 * for a customer with 10 and with 10 000 orders; and what applying one order's change to the
 * facts costs for each. Measured and floor runs are interleaved (A, B, A, B …) on PostgreSQL;
 * median and spread (p10–p90) recorded. PG_ADMIN_URL as for the other benchmarks.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Executor, openDatabase, queryRows } from '../src/db/client.js';
import { applyOrderFacts, createCustomer, recomputeFacts, verifyFacts } from '../src/modules/customers/index.js';
import { measureFigures } from '../src/modules/membership/index.js';
import { systemActor } from '../src/platform/audit.js';
import { startOfBusinessDay } from '../src/platform/clock.js';
import { makeCtx } from '../src/platform/context.js';
import { prepareDatabase } from '../src/prepare-database.js';
import { createTestTenant, randomMobile } from '../src/testing/database.js';

const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rounds = Number(process.env.BENCH_ROUNDS ?? 200);
const today = '2026-12-01';
const timezone = 'Asia/Shanghai';

/** The pre-facts measure: growth, money paid and visit days re-summed from raw history. */
const rawFigures = async (tx: Executor, tenantId: string, customerId: string) => {
  const from = '2025-12-02';
  const start = startOfBusinessDay(from, timezone);
  const end = startOfBusinessDay('2026-12-02', timezone);
  const [row] = await queryRows<{ growth: number; consumption: number; visit_days: number }>(
    tx,
    sql`select
          (select coalesce(sum(e.growth), 0) from points_entries e
             left join points_entries o on o.tenant_id = e.tenant_id and o.id = e.reverses_id
            where e.tenant_id = ${tenantId} and e.customer_id = ${customerId} and e.growth <> 0
              and coalesce(o.created_at, e.created_at) >= ${start.toISOString()}::timestamptz
              and coalesce(o.created_at, e.created_at) < ${end.toISOString()}::timestamptz)::bigint as growth,
          (select coalesce(sum(p.amount_fen), 0) from payments p
             join orders o on o.tenant_id = p.tenant_id and o.id = p.order_id
            where p.tenant_id = ${tenantId} and p.customer_id = ${customerId} and p.method not in ('points', 'voucher', 'stored_value')
              and o.status = 'placed' and o.business_date >= ${from}::date and o.business_date <= ${today}::date)::bigint as consumption,
          (select count(distinct v.business_date) from visits v
            where v.tenant_id = ${tenantId} and v.customer_id = ${customerId}
              and v.business_date >= ${from}::date and v.business_date <= ${today}::date)::int as visit_days,
          (select coalesce(max(t.amount_fen), 0) from membership_top_ups t
            where t.tenant_id = ${tenantId} and t.customer_id = ${customerId} and not t.is_refunded
              and t.business_date >= ${from}::date and t.business_date <= ${today}::date)::bigint as top_up`,
  );
  return row;
};

/** `count` placed orders over the last three years, each paid by WeChat, earning growth, with a visit. */
const seedHistory = async (tx: Executor, tenantId: string, storeId: string, customerId: string, count: number) => {
  await tx.execute(sql`insert into points_accounts (tenant_id, customer_id) values (${tenantId}, ${customerId}) on conflict do nothing`);
  await tx.execute(sql`
    with days as (
      select n, gen_random_uuid() as order_id, (${today}::date - (n % 1095))::date as day from generate_series(1, ${count}) n
    ), o as (
      insert into orders (tenant_id, id, number, store_id, customer_id, order_type, status, total_fen, paid_fen, business_date, is_deal, deal_reasons, placed_at, created_at, updated_at)
      select ${tenantId}, order_id, ${customerId}::text || '-' || n, ${storeId}, ${customerId}, 'normal', 'placed', 10000 + n, 10000 + n, day, true, '[]'::jsonb,
             day::timestamp at time zone ${timezone} + interval '10 hours', day::timestamp at time zone ${timezone} + interval '10 hours', now()
      from days returning id
    ), p as (
      insert into payments (tenant_id, id, order_id, store_id, customer_id, kind, method, amount_fen, business_date, created_at)
      select ${tenantId}, gen_random_uuid(), order_id, ${storeId}, ${customerId}, 'payment', 'wechat', 10000 + n, day, day::timestamp at time zone ${timezone} + interval '10 hours'
      from days returning id
    ), e as (
      insert into points_entries (tenant_id, id, customer_id, type, points, growth, source_type, source_id, reason, idempotency_key, request_hash, created_at)
      select ${tenantId}, gen_random_uuid(), ${customerId}, 'earn', 100, 100, 'order', order_id::text, '{}'::jsonb, 'bench:' || order_id, 'bench', day::timestamp at time zone ${timezone} + interval '10 hours'
      from days returning id
    )
    insert into visits (tenant_id, id, store_id, customer_id, arrived_at, business_date, visit_type, proposed_type, proposal_reason)
    select ${tenantId}, gen_random_uuid(), ${storeId}, ${customerId}, day::timestamp at time zone ${timezone} + interval '9 hours', day, 'return', 'return', 'bench'
    from days`);
};

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const summary = (values: number[]) => ({
  p50: Number(quantile(values, 0.5).toFixed(3)),
  p10: Number(quantile(values, 0.1).toFixed(3)),
  p90: Number(quantile(values, 0.9).toFixed(3)),
});
const timed = async (run: () => Promise<unknown>) => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};

export const factsBench = async () => {
  const name = `yuehui_bench_facts_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = `${adminUrl.replace(/\/[^/]*$/, '')}/${name}`;
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
  try {
    await prepareDatabase(database);
    const tenant = await createTestTenant(database, 'Bench clinic');
    const storeId = tenant.storeIds[0] ?? '';
    const sizes = [10, 10_000];
    const customers: Record<number, string> = {};
    for (const size of sizes) {
      const customer = await createCustomer(database.db, makeCtx(systemActor(tenant.id), new Date(), 'Asia/Shanghai'), {
        name: '事实压测',
        gender: 'female',
        phone: randomMobile(),
      });
      customers[size] = customer.id;
      await database.db.transaction((tx) => seedHistory(tx, tenant.id, storeId, customer.id, size));
    }
    await database.db.transaction((tx) => recomputeFacts(tx, tenant.id));
    await database.db.execute(sql`analyze`);
    const results: Record<string, unknown> = {};
    for (const size of sizes) {
      const customerId = customers[size] ?? '';
      const fromFacts = () => measureFigures(database.db, { tenantId: tenant.id, customerId, today, timezone, windowMonths: 12 });
      const [check] = [await fromFacts()];
      const raw = await rawFigures(database.db, tenant.id, customerId);
      if (Number(raw?.growth) !== check.growth || Number(raw?.consumption) !== check.consumptionFen || Number(raw?.visit_days) !== check.visits) {
        throw new Error(`facts and raw figures disagree for ${size}: ${JSON.stringify({ raw, check })}`);
      }
      const [order] = await queryRows<{ id: string }>(
        database.db,
        sql`select id from orders where tenant_id = ${tenant.id} and customer_id = ${customerId} limit 1`,
      );
      const facts: number[] = [];
      const floor: number[] = [];
      const apply: number[] = [];
      for (let round = 0; round < rounds; round++) {
        facts.push(await timed(fromFacts));
        floor.push(await timed(() => rawFigures(database.db, tenant.id, customerId)));
        // One order's change applied: the order's amount moves by one fen and back, so each apply diffs a real change.
        apply.push(
          await timed(() =>
            database.db.transaction(async (tx) => {
              await tx.execute(sql`update orders set total_fen = total_fen + ${round % 2 === 0 ? 1 : -1} where tenant_id = ${tenant.id} and id = ${order?.id}`);
              await applyOrderFacts(tx, { tenantId: tenant.id }, { orderId: order?.id ?? '' });
            }),
          ),
        );
      }
      results[size] = { orders: size, factsFiguresMs: summary(facts), rawFiguresMs: summary(floor), applyOrderMs: summary(apply) };
    }
    const problems = await verifyFacts(database.db, tenant.id);
    const small = results[10] as { factsFiguresMs: { p50: number }; rawFiguresMs: { p50: number }; applyOrderMs: { p50: number } };
    const big = results[10_000] as typeof small;
    const versionRows = await queryRows<{ version: string }>(database.db, sql`select version()`);
    const result = {
      benchmark: 'customer facts: tier figures and one order applied',
      command: 'npm run bench -- facts',
      date: new Date().toISOString(),
      database: versionRows[0]?.version.split(' ').slice(0, 2).join(' '),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      rounds,
      sizes: results,
      figuresGrowthRatio: Number((big.factsFiguresMs.p50 / small.factsFiguresMs.p50).toFixed(2)),
      rawGrowthRatio: Number((big.rawFiguresMs.p50 / small.rawFiguresMs.p50).toFixed(2)),
      speedupAt10000: Number((big.rawFiguresMs.p50 / big.factsFiguresMs.p50).toFixed(2)),
      applyGrowthRatio: Number((big.applyOrderMs.p50 / small.applyOrderMs.p50).toFixed(2)),
      factProblemsAfter: problems.length,
    };
    const folder = path.resolve(import.meta.dirname, 'results');
    await mkdir(folder, { recursive: true });
    const stem = `facts-${result.date.slice(0, 10)}`;
    await writeFile(path.join(folder, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
    const row = (size: number) => {
      const r = results[size] as {
        factsFiguresMs: ReturnType<typeof summary>;
        rawFiguresMs: ReturnType<typeof summary>;
        applyOrderMs: ReturnType<typeof summary>;
      };
      const cell = (s: ReturnType<typeof summary>) => `${s.p50} (${s.p10}–${s.p90})`;
      return `| ${size} | ${cell(r.factsFiguresMs)} | ${cell(r.rawFiguresMs)} | ${cell(r.applyOrderMs)} |`;
    };
    await writeFile(
      path.join(folder, `${stem}.md`),
      `# ${result.benchmark}\n\nCommand: \`${result.command}\` (${result.database})\n\nMachine: ${result.machine.cpus} cores (${result.machine.cpu}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}; ${rounds} interleaved rounds (facts, raw floor, apply), median (p10–p90) in ms\n\n| orders in history | tier figures from facts | raw re-sum (floor) | one order applied to facts |\n|---|---|---|---|\n${row(10)}\n${row(10_000)}\n\nfiguresGrowthRatio ${result.figuresGrowthRatio}, rawGrowthRatio ${result.rawGrowthRatio}, speedupAt10000 ${result.speedupAt10000}, applyGrowthRatio ${result.applyGrowthRatio}, fact problems after ${problems.length}.\n`,
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await database.close();
    if (!process.env.BENCH_KEEP) await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
};
