/**
 * `npm run bench -- checkout`: the full checkout through the HTTP API (quote, then the order with
 * its payment: points earned, tier evaluated) with 1 and with 8 clients, and in the same run a
 * pgbench replay of the statements one API checkout issues (captured by the statement tap, with
 * fresh ids per transaction) on 8 connections. Measured and replay runs are interleaved
 * (A, B, A, B, A, B); medians and spreads are recorded. Also the place step's p50 for a customer
 * with 10 000 prior points and stored-value entries against one with 10 (growthRatio).
 * Needs PostgreSQL: PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
 * database is created and dropped.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { openDatabase, tapStatements } from '../src/db/client.js';
import { prepareDatabase } from '../src/prepare-database.js';
import { createTestTenant, loginAs } from '../src/testing/database.js';
import { type DriveResult, drive } from './drive.js';

const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const customerCount = 400;
const historySizes = [10, 10_000] as const;
const priceFen = 68_000;

/** Customer ids the API client and the pgbench script both derive from a number: 00000000-0000-4000-a000-<12 digits>. */
const customerBase = 100_000_000_000;
const customerIdOf = (n: number) => `00000000-0000-4000-a000-${String(customerBase + n)}`;
/**
 * The replay writes raw rows with the balances captured from one checkout, so it has customers of
 * its own (after the API's and the growth customers): its rows never break an API customer's
 * ledger chain, which the app would then rightly refuse to write on.
 */
const replayFirst = customerCount + historySizes.length;

type Load = { address: string; headers: Record<string, string>; storeId: string; itemId: string; customers: string[]; clients: number; seconds: number };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const spread = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values) });

/** One HTTP request with a keep-alive agent; resolves with the status and the parsed body. */
const request = (agent: http.Agent, target: URL, headers: Record<string, string>, pathName: string, payload: object) =>
  new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const body = JSON.stringify(payload);
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: `/api/v1${pathName}`,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': `bench-${randomUUID()}` },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });

/** One checkout as the desk does it: the quote, then the order with its payment at the quoted total. */
const checkoutOnce = async (agent: http.Agent, target: URL, load: Load, customerId: string) => {
  const lines = [{ itemId: load.itemId, quantity: 1 }];
  const quote = await request(agent, target, load.headers, '/orders/quote', { storeId: load.storeId, customerId, lines });
  if (quote.status !== 200) throw new Error(`quote ${quote.status}`);
  const total = Number(quote.body.orderTotalFen);
  const placed = await request(agent, target, load.headers, '/orders', {
    storeId: load.storeId,
    customerId,
    lines,
    expectedTotalFen: total,
    payments: [{ method: 'wechat', amountFen: total }],
  });
  if (placed.status !== 201) throw new Error(`order ${placed.status} ${JSON.stringify(placed.body)}`);
};

/** The child process: drives the API so the server's event loop only serves. */
const runClient = async () => {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const load = JSON.parse(input) as Load;
  const agent = new http.Agent({ keepAlive: true, maxSockets: load.clients });
  const target = new URL(load.address);
  let next = 0;
  const result = await drive(load.clients, load.seconds, () => checkoutOnce(agent, target, load, load.customers[next++ % load.customers.length] ?? ''));
  agent.destroy();
  process.stdout.write(JSON.stringify(result));
};

const apiLoad = (load: Load): Promise<DriveResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as DriveResult) : reject(new Error(`checkout client exited with ${code}`))));
    child.stdin.end(JSON.stringify(load));
  });

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

const literal = (value: unknown): string => {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
};

/**
 * A pgbench script from one checkout's statements: parameters inlined, the customer drawn at
 * random from the same customers as the API, every id the checkout created (and the order
 * number) fresh per transaction, so the replay does the same work without conflicts.
 */
const pgbenchScript = (statements: { text: string; params: unknown[] }[], createdSince: number, customerId: string, orderNumber: string) => {
  // Ids are UUIDv7: the ones the checkout created carry a time at or after the capture began;
  // everything older (tenant, store, staff, item, tiers, settings) is read as it is.
  const isFresh = (id: string) => id[14] === '7' && Number.parseInt(id.replace('-', '').slice(0, 12), 16) >= createdSince;
  const fresh = new Map<string, number>();
  const lines: string[] = [
    `\\set c random(1, ${customerCount})`,
    `\\set cid ${customerBase + replayFirst} + :c`,
    `\\set r random(${customerBase}, ${customerBase * 9})`,
  ];
  for (const statement of statements) {
    // One line per command: comments go before the newlines do.
    let text = statement.text.replace(/--[^\n]*/g, '').replace(/\$(\d+)/g, (_, index: string) => literal(statement.params[Number(index) - 1]));
    text = text.replace(uuidPattern, (id) => {
      if (id === customerId) return '00000000-0000-4000-a000-:cid';
      if (!isFresh(id)) return id;
      if (!fresh.has(id)) fresh.set(id, fresh.size);
      return `00000000-0000-4000-8${String(fresh.get(id)).padStart(3, '0')}-:r`;
    });
    text = text.replace(/'bench-[^']*'/g, "'bench-:r-:client_id'");
    text = text.replaceAll(orderNumber, `${orderNumber.slice(0, 9)}:r`);
    // pgbench reads one command per line.
    lines.push(`${text.replace(/\s+/g, ' ').trim()};`);
  }
  return `${lines.join('\n')}\n`;
};

const pgbench = (url: string, script: string, clients: number, duration: number) => {
  const result = spawnSync('/usr/bin/pgbench', ['-n', '-M', 'simple', '-c', String(clients), '-j', '2', '-T', String(duration), '-f', script, url], {
    encoding: 'utf8',
  });
  const tps = /tps = ([\d.]+)/.exec(result.stdout)?.[1];
  const failed = /number of failed transactions: (\d+)/.exec(result.stdout)?.[1];
  if (!tps) throw new Error(`pgbench failed: ${result.stdout}\n${result.stderr}`);
  return { perSecond: Math.round(Number(tps)), failed: Number(failed ?? 0), errors: result.stderr.split('\n').filter(Boolean).slice(0, 3) };
};

/** Gives a customer `entries` prior points entries with their lots, straight in SQL (the history, not the path under test). */
const seedHistory = async (raw: pg.Client, tenantId: string, customerId: string, entries: number) => {
  await raw.query(
    `insert into points_accounts (tenant_id, customer_id, balance, debt, growth, updated_at) values ($1, $2, $3, 0, 0, now())
     on conflict (tenant_id, customer_id) do update set balance = points_accounts.balance + excluded.balance`,
    [tenantId, customerId, entries],
  );
  await raw.query(
    `insert into points_entries (tenant_id, id, customer_id, type, points, growth, balance_after, source_type, source_id, reason, idempotency_key, request_hash, created_at)
     select $1::uuid, gen_random_uuid(), $2::uuid, 'adjust', 1, 0, g, 'adjustment', null, '{}'::jsonb, 'hist-' || $2::text || '-' || g, 'h', now() - interval '1 day' from generate_series(1, $3::int) g order by g`,
    [tenantId, customerId, entries],
  );
  await raw.query(
    `insert into points_lots (tenant_id, id, customer_id, entry_id, points, remaining, available_at, expires_at, created_at)
     select tenant_id, gen_random_uuid(), customer_id, id, 1, 1, created_at, null, created_at from points_entries where tenant_id = $1 and customer_id = $2 and idempotency_key like 'hist-%'`,
    [tenantId, customerId],
  );
  await raw.query('analyze points_entries; analyze points_lots');
};

const main = async () => {
  const name = `yh_checkout_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = `${adminUrl.replace(/\/[^/]*$/, '')}/${name}`;
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 16 });
  try {
    await prepareDatabase(database);
    const tenant = await createTestTenant(database, 'Checkout bench');
    const raw = new pg.Client({ connectionString: url });
    // Dropping the database at the end closes it from the server's side.
    raw.on('error', () => undefined);
    await raw.connect();
    await raw.query(
      `insert into customers (tenant_id, id, name, gender, phone)
       select $1, ('00000000-0000-4000-a000-' || ($3::bigint + g))::uuid, '收银压测', 'female', '1' || lpad(g::text, 10, '0') from generate_series(1, $2) g`,
      [tenant.id, replayFirst + customerCount, customerBase],
    );
    // The replay's customers hold points accounts as the API's get theirs on their first earn.
    await raw.query(
      `insert into points_accounts (tenant_id, customer_id, balance, debt, growth, updated_at)
       select $1, ('00000000-0000-4000-a000-' || ($2::bigint + g))::uuid, 0, 0, 0, now() from generate_series(1, $3) g`,
      [tenant.id, customerBase + replayFirst, customerCount],
    );
    await raw.query('analyze');
    const app = await buildApp({ database });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const owner = await loginAs(app, tenant, 'owner');
    const agent = new http.Agent({ keepAlive: true });
    const target = new URL(address);
    const post = (pathName: string, payload: object) => request(agent, target, owner.writeHeaders, pathName, payload);
    // Tiers, so every checkout weighs one (an unreached upper tier keeps the customers in the base one).
    const tier = (tierName: string, growth: number | null) => ({
      name: tierName,
      description: '消费满额可升级。',
      criteria: { match: 'any', growth, consumptionFen: null, visits: null, topUpFen: null },
      retention: 'down_one',
      benefits: { categoryDiscounts: [], pointsBasisPoints: 10_000, birthday: null, isPriorityBooking: false, hasDedicatedConsultant: false, upgradeGifts: [] },
    });
    for (const [tierName, growth] of [
      ['普通会员', null],
      ['金卡', 100_000_000],
    ] as const) {
      const created = await post('/membership/tiers', tier(tierName, growth));
      if (created.status !== 201) throw new Error(`tier ${created.status} ${JSON.stringify(created.body)}`);
    }
    const item = await post('/items', { kind: 'service', name: '压测水光', priceFen });
    const itemId = String(item.body.id);
    const storeId = tenant.storeIds[0] ?? '';
    const customers = Array.from({ length: customerCount }, (_, index) => customerIdOf(index + 1));
    const load = (clients: number): Load => ({ address, headers: owner.writeHeaders, storeId, itemId, customers, clients, seconds });

    // Warm-up: every customer checks out once (points account, tier row), then one checkout is captured.
    let warm = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (warm < customers.length) await checkoutOnce(agent, target, load(8), customers[warm++] ?? '');
      }),
    );
    const captured: { text: string; params: unknown[] }[] = [];
    const captureStarted = Date.now();
    const stop = tapStatements((text, params) => captured.push({ text, params }));
    const capturedCustomer = customers[0] ?? '';
    await checkoutOnce(agent, target, load(1), capturedCustomer);
    stop();
    const orderNumber = /'(\d{8}-\d{4})'/.exec(captured.map((statement) => statement.params.map(literal).join(' ')).join(' '))?.[1] ?? '';
    const inOrderTransaction = (() => {
      const first = captured.findIndex((statement) => statement.text.includes('idempotency_keys'));
      const last = captured.findLastIndex((statement) => statement.text.includes('idempotency_keys'));
      return captured.slice(first, last + 1).filter((statement) => !/^(begin|commit)/i.test(statement.text.trim()));
    })();
    const folder = await mkdtemp(path.join(os.tmpdir(), 'yh-checkout-bench-'));
    const scriptPath = path.join(folder, 'checkout.sql');
    const script = pgbenchScript(captured, captureStarted, capturedCustomer, orderNumber);
    await writeFile(scriptPath, script);

    // A, B, A, B, A, B: the API at 1 and 8 clients, then the replay at 8 connections.
    const api1: DriveResult[] = [];
    const api8: DriveResult[] = [];
    const replay: ReturnType<typeof pgbench>[] = [];
    for (let round = 0; round < rounds; round++) {
      api1.push(await apiLoad(load(1)));
      api8.push(await apiLoad(load(8)));
      replay.push(pgbench(url, scriptPath, 8, seconds));
    }

    // growthRatio: the place step (POST /orders) p50 for a customer with 10 000 prior entries against 10.
    const placeP50: Record<number, number> = {};
    for (const [index, entries] of historySizes.entries()) {
      const customerId = customerIdOf(customerCount + index + 1);
      await seedHistory(raw, tenant.id, customerId, entries);
      const times: number[] = [];
      for (let attempt = 0; attempt < 30; attempt++) {
        const t0 = performance.now();
        const placed = await post('/orders', { storeId, customerId, lines: [{ itemId, quantity: 1 }], payments: [{ method: 'wechat', amountFen: priceFen }] });
        if (placed.status !== 201) throw new Error(`growth order ${placed.status}`);
        times.push(performance.now() - t0);
      }
      placeP50[entries] = +median(times).toFixed(2);
    }
    agent.destroy();
    await app.close();
    await raw.end();

    const api1Median = median(api1.map((run) => run.perSecond));
    const api8Median = median(api8.map((run) => run.perSecond));
    const replayMedian = median(replay.map((run) => run.perSecond));
    const result = {
      benchmark: 'checkout: quote → order with payment (points earned, tier evaluated) through the API vs a pgbench replay of its statements',
      date: new Date().toISOString(),
      command: `BENCH_SECONDS=${seconds} BENCH_ROUNDS=${rounds} npm run bench -- checkout`,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      database: (await admin.query('show server_version')).rows[0]?.server_version,
      order: 'interleaved per round: API 1 client, API 8 clients, pgbench replay 8 connections',
      api1: {
        perSecond: api1.map((run) => run.perSecond),
        median: api1Median,
        spread: spread(api1.map((run) => run.perSecond)),
        p50Ms: api1.map((run) => run.p50Ms),
        p99Ms: api1.map((run) => run.p99Ms),
        failures: api1.map((run) => run.failures),
        firstFailures: api1.map((run) => run.firstFailure ?? null),
      },
      api8: {
        perSecond: api8.map((run) => run.perSecond),
        median: api8Median,
        spread: spread(api8.map((run) => run.perSecond)),
        p50Ms: api8.map((run) => run.p50Ms),
        p99Ms: api8.map((run) => run.p99Ms),
        failures: api8.map((run) => run.failures),
        firstFailures: api8.map((run) => run.firstFailure ?? null),
      },
      replay: {
        perSecond: replay.map((run) => run.perSecond),
        median: replayMedian,
        spread: spread(replay.map((run) => run.perSecond)),
        failed: replay.map((run) => run.failed),
        statements: captured.length,
      },
      ratio: +(api8Median / Math.max(1, replayMedian)).toFixed(3),
      scaling: +(api8Median / Math.max(1, api1Median)).toFixed(3),
      statementsPerCheckout: inOrderTransaction.length,
      statementsPerRequestPair: captured.length,
      placeP50Ms: placeP50,
      growthRatio: +((placeP50[10_000] ?? 0) / Math.max(0.001, placeP50[10] ?? 0)).toFixed(3),
      targets: { ratio: '≥ 0.5', scaling: '≥ 1.6', statementsPerCheckout: '≤ 25', growthRatio: '≤ 1.3' },
    };
    const resultsFolder = path.resolve(import.meta.dirname, 'results');
    await mkdir(resultsFolder, { recursive: true });
    const stem = `checkout-${result.date.slice(0, 10)}`;
    await writeFile(path.join(resultsFolder, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(path.join(resultsFolder, `${stem}.sql`), script);
    const row = (label: string, runs: number[], med: number) => `| ${label} | ${runs.join(', ')} | ${med} | ${Math.min(...runs)}–${Math.max(...runs)} |`;
    await writeFile(
      path.join(resultsFolder, `${stem}.md`),
      [
        `# ${result.benchmark}`,
        '',
        `Command: \`${result.command}\` (PostgreSQL ${result.database}); ${seconds} s per run, ${rounds} rounds, interleaved: ${result.order}.`,
        '',
        `Machine: ${result.machine.cpus} cores (${result.machine.cpu}), ${result.machine.memoryGiB} GiB, Node ${result.machine.node}`,
        '',
        '| run | checkouts/s per round | median | spread |',
        '|---|---|---|---|',
        row('API, 1 client', result.api1.perSecond, api1Median),
        row('API, 8 clients', result.api8.perSecond, api8Median),
        row(`pgbench replay of one checkout's ${captured.length} statements, 8 connections`, result.replay.perSecond, replayMedian),
        '',
        '| field | value | target |',
        '|---|---|---|',
        `| ratio (API 8 ÷ replay) | ${result.ratio} | ≥ 0.5 |`,
        `| scaling (API 8 ÷ API 1) | ${result.scaling} | ≥ 1.6 |`,
        `| statementsPerCheckout (POST /orders, BEGIN to COMMIT) | ${result.statementsPerCheckout} | ≤ 25 |`,
        `| growthRatio (place p50 ${placeP50[10_000]} ms at 10 000 entries ÷ ${placeP50[10]} ms at 10) | ${result.growthRatio} | ≤ 1.3 |`,
        '',
        `API p50 / p99 (ms), 1 client: ${result.api1.p50Ms.join(', ')} / ${result.api1.p99Ms.join(', ')}; 8 clients: ${result.api8.p50Ms.join(', ')} / ${result.api8.p99Ms.join(', ')}.`,
        `The replayed script is \`${stem}.sql\`.`,
        '',
      ].join('\n'),
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`checkout benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await database.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
};

export const checkout = main;

if (process.argv[1] === fileURLToPath(import.meta.url)) await runClient();
