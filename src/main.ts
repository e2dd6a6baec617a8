import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cron } from 'croner';
import pino from 'pino';
import { buildApp } from './app.js';
import { clinicCommandsUsage, createClinicCommand, listClinicsCommand, readPasswordFromStdin } from './clinic-commands.js';
import { isLoopbackHost, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { lockDataDir } from './db/data-dir-lock.js';
import { takeDailySnapshot } from './db/snapshots.js';
import { demoPassword, demoStaff, demoTenantCode, seedDemo } from './demo/seed.js';
import {
  runActivitySweep,
  runExpiryReminderSweep,
  runFollowupSweep,
  runLedgerVerification,
  runMessageAutomationSweep,
  runMessageDelivery,
  runPointsExpirySweep,
  runTierGiftSweep,
  runTierRetentionSweep,
  runVoucherDistributionSweep,
  runVoucherReminderSweep,
} from './jobs/sweeps.js';
import { logSmsChannel, smsProvidersFromEnv, smsSenderFactory, wechatEndpointFromEnv } from './modules/messaging/index.js';
import { systemClock } from './platform/clock.js';
import { loggerOptions } from './platform/logging.js';
import { RateLimiter } from './platform/rate-limit.js';
import { loadSecretBox } from './platform/secret-box.js';
import { prepareDatabase } from './prepare-database.js';
import { restoreCommand } from './restore.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const usage = `Usage: yuehui <command>
  serve        run the API, console (/), member portal (/m/) and scheduler (default)
  migrate      apply database migrations and exit
  seed-demo    create the demo clinic if it does not exist
  sweep        run the scheduled sweeps once (activity tags, points expiry, tier retention, vouchers, automatic messages)
  verify-ledgers  check every ledger invariant of every account and every payment by points or stored value; exit 1 on drift
  restore <snapshot>  embedded database: replace the data with a daily snapshot (server stopped), then verify the ledgers
  openapi      print the OpenAPI document
${clinicCommandsUsage}`;

const buildWeb = async (log: (message: string) => void) => {
  const script = path.join(root, 'scripts/build-web.ts');
  if (!existsSync(script)) return undefined;
  const { ensureWebBuilt, webDistDir } = (await import(script)) as {
    ensureWebBuilt: (options: { log: (message: string) => void }) => Promise<{ built: boolean }>;
    webDistDir: string;
  };
  await ensureWebBuilt({ log });
  return webDistDir;
};

const serve = async () => {
  const config = loadConfig();
  const logOptions = loggerOptions(config.logLevel);
  const logger = pino(logOptions, logOptions.stream);
  const say = (message: string) => process.stdout.write(`${message}\n`);
  if (config.database.kind === 'pglite') {
    say(
      '[悦会] 内置数据库模式（PGlite）：适合试用、开发和单机小规模使用。它不执行 fsync，断电或系统崩溃可能丢失最近的数据；' +
        '正式的诊所数据请使用 PostgreSQL（设置 DATABASE_URL）。\n' +
        '[Yuehui] Embedded database (PGlite): for trial, development and small single-PC use. It does not fsync; production data belongs on PostgreSQL (set DATABASE_URL).',
    );
  }
  // One process on the embedded data folder: a second server or a restore would corrupt it.
  const dataDirLock = config.database.kind === 'pglite' ? await lockDataDir(config.dataDir, 'server') : undefined;
  const webDistDir = config.skipWebBuild ? path.join(root, 'dist/web') : await buildWeb((message) => say(`[web] ${message}`));
  const database = await openDatabase(config.database.kind === 'postgres' ? config.database : { kind: 'pglite', dataDir: config.database.dataDir });
  await prepareDatabase(database);
  if (config.seedDemo) {
    const demo = await seedDemo(database.db);
    if (demo.created) say('[悦会] 已创建演示诊所（2 家门店、各岗位员工、约 300 位客户）。');
  }
  const snapshot = async () => {
    if (!database.pglite) return;
    try {
      const file = await takeDailySnapshot(database.pglite, config.snapshots.folder, new Date(), { kept: config.snapshots.kept });
      if (file) logger.info({ file: path.relative(config.dataDir, file) }, 'embedded database snapshot written');
    } catch (error) {
      logger.error({ err: error }, 'embedded database snapshot failed');
    }
  };
  const jobs: Cron[] = [];
  const secretBox = await loadSecretBox({ secretKey: config.secretKey, databaseKind: config.database.kind, dataDir: config.dataDir });
  const messaging = { smsSender: smsSenderOf(config), secretBox, wechatEndpoint: wechatEndpointFromEnv(process.env) };
  const deliver = async () => {
    try {
      const result = await runMessageDelivery(database.db, messaging, systemClock);
      if (Object.values(result).some((count) => count > 0)) logger.info(result, 'message delivery');
    } catch (error) {
      logger.error({ err: error }, 'message delivery failed');
    }
  };
  const sweep = async () => {
    try {
      const result = await runActivitySweep(database.db, systemClock);
      if (result?.changed) logger.info(result, 'activity sweep');
      const expiry = await runPointsExpirySweep(database.db, systemClock);
      if (expiry?.expired) logger.info(expiry, 'points expiry sweep');
      const reminders = await runExpiryReminderSweep(database.db, systemClock);
      if (reminders) logger.info({ queued: reminders }, 'points expiry reminders queued');
      const retention = await runTierRetentionSweep(database.db, systemClock);
      if (retention?.renewed) logger.info(retention, 'tier retention sweep');
      const gifts = await runTierGiftSweep(database.db, systemClock);
      if (gifts) logger.info({ issued: gifts }, 'tier upgrade gifts issued');
      const distributions = await runVoucherDistributionSweep(database.db, systemClock);
      if (distributions?.runs || distributions?.failed) logger.info(distributions, 'voucher distribution sweep');
      const voucherReminders = await runVoucherReminderSweep(database.db, systemClock);
      if (voucherReminders) logger.info({ queued: voucherReminders }, 'voucher expiry reminders queued');
      const automations = await runMessageAutomationSweep(database.db, systemClock);
      if (automations && Object.values(automations).some((count) => count > 0)) logger.info({ queued: automations }, 'automatic messages queued');
      await new RateLimiter(database.db).sweep();
    } catch (error) {
      logger.error({ err: error }, 'sweep failed');
    }
  };
  const verify = async () => {
    const problems = await runLedgerVerification(database.db).catch((error: unknown) => {
      logger.error({ err: error }, 'ledger verification failed to run');
      return [];
    });
    if (problems.length > 0) logger.error({ problems: problems.slice(0, 50), count: problems.length }, 'LEDGER DRIFT: verify-ledgers found problems');
  };
  jobs.push(new Cron('30 4 * * *', { timezone: 'Asia/Shanghai', protect: true }, verify));
  await sweep();
  // Hourly: each tenant's day turns at its own midnight; the sweep is idempotent.
  jobs.push(new Cron('5 * * * *', { protect: true }, sweep));
  // Follow-up tasks every 5 minutes: a treatment this morning has its tasks before the day is out.
  const followups = async () => {
    try {
      const created = await runFollowupSweep(database.db, systemClock);
      if (created) logger.info({ created }, 'follow-up tasks created');
    } catch (error) {
      logger.error({ err: error }, 'follow-up sweep failed');
    }
  };
  await followups();
  jobs.push(new Cron('*/5 * * * *', { protect: true }, followups));
  // Messages every 10 seconds: reminders due, SMS retries, marketing held for the morning.
  await deliver();
  jobs.push(new Cron('*/10 * * * * *', { protect: true }, deliver));
  if (database.pglite) {
    await snapshot();
    jobs.push(new Cron('15 3 * * *', { timezone: 'Asia/Shanghai', protect: true }, snapshot));
  }

  const app = await buildApp({
    database,
    loggerInstance: logger,
    secureCookies: config.secureCookies,
    webDistDir,
    trustProxy: config.trustProxy,
    isJobPollingOn: true,
    snapshots: database.pglite ? config.snapshots : undefined,
    setupPolicy: config.isSetupOpen ? 'open' : 'first_clinic_only',
    smsSender: messaging.smsSender,
    secretBox,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const isLoopback = isLoopbackHost(config.host);
  const url = isLoopback ? `http://localhost:${new URL(address).port}` : address;
  say(`\n悦会 Yuehui is running: ${url}\n  console        ${url}/\n  member portal  ${url}/m/\n  API reference  ${url}/api/docs`);
  if (config.seedDemo && isLoopback) {
    say(`  demo logins    clinic code "${demoTenantCode}", password "${demoPassword}", users: ${demoStaff.map((member) => member.username).join(', ')}`);
  } else if (config.seedDemo) {
    // Reachable from the network: the well-known demo password is not printed for anyone reading the console or its log.
    say(
      `  [悦会] 演示诊所已开启且服务对网络开放（HOST=${config.host}）：请修改演示账号密码，或设置 YUEHUI_DEMO=0。\n` +
        `  [Yuehui] The demo clinic is on and the server listens on ${config.host}: change the demo passwords or set YUEHUI_DEMO=0.`,
    );
  }

  const shutdown = async (signal: string) => {
    say(`[悦会] ${signal}: shutting down`);
    for (const job of jobs) job.stop();
    await app.close();
    await database.close();
    await dataDirLock?.release();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
};

/** Each clinic's SMS channel: its provider with the environment's keys, or the development channel outside production (and in the demo). */
const smsSenderOf = (config: ReturnType<typeof loadConfig>) =>
  smsSenderFactory({ devChannel: logSmsChannel(), isDevChannelAllowed: !config.isProduction || config.seedDemo, providers: smsProvidersFromEnv(process.env) });

const withDatabase = async (work: (database: Awaited<ReturnType<typeof openDatabase>>) => Promise<void>) => {
  const config = loadConfig();
  // Embedded: refuse while the server (or a restore) holds the data folder, rather than corrupt it.
  const dataDirLock = config.database.kind === 'pglite' ? await lockDataDir(config.dataDir, process.argv[2] ?? 'command') : undefined;
  const database = await openDatabase(config.database.kind === 'postgres' ? config.database : { kind: 'pglite', dataDir: config.database.dataDir });
  try {
    await work(database);
  } finally {
    await database.close();
    await dataDirLock?.release();
  }
};

const commands: Record<string, () => Promise<void>> = {
  serve,
  sweep: () =>
    withDatabase(async (database) => {
      const result = await runActivitySweep(database.db, systemClock);
      process.stdout.write(`activity sweep: ${JSON.stringify(result ?? 'skipped: another instance holds the lock')}\n`);
      const expiry = await runPointsExpirySweep(database.db, systemClock);
      process.stdout.write(`points expiry sweep: ${JSON.stringify(expiry ?? 'skipped: another instance holds the lock')}\n`);
      const retention = await runTierRetentionSweep(database.db, systemClock);
      process.stdout.write(`tier retention sweep: ${JSON.stringify(retention ?? 'skipped: another instance holds the lock')}\n`);
      const gifts = await runTierGiftSweep(database.db, systemClock);
      process.stdout.write(`tier upgrade gifts: ${JSON.stringify(gifts ?? 'skipped: another instance holds the lock')}\n`);
      const distributions = await runVoucherDistributionSweep(database.db, systemClock);
      process.stdout.write(`voucher distributions: ${JSON.stringify(distributions ?? 'skipped: another instance holds the lock')}\n`);
      const voucherReminders = await runVoucherReminderSweep(database.db, systemClock);
      process.stdout.write(`voucher expiry reminders: ${JSON.stringify(voucherReminders ?? 'skipped: another instance holds the lock')}\n`);
      const automations = await runMessageAutomationSweep(database.db, systemClock);
      process.stdout.write(`automatic messages: ${JSON.stringify(automations ?? 'skipped: another instance holds the lock')}\n`);
      const followupTasks = await runFollowupSweep(database.db, systemClock);
      process.stdout.write(`follow-up tasks: ${JSON.stringify(followupTasks ?? 'skipped: another instance holds the lock')}\n`);
      const config = loadConfig();
      const secretBox = await loadSecretBox({ secretKey: config.secretKey, databaseKind: config.database.kind, dataDir: config.dataDir });
      const delivery = await runMessageDelivery(
        database.db,
        { smsSender: smsSenderOf(config), secretBox, wechatEndpoint: wechatEndpointFromEnv(process.env) },
        systemClock,
      );
      process.stdout.write(`message delivery: ${JSON.stringify(delivery)}\n`);
    }),
  'verify-ledgers': () =>
    withDatabase(async (database) => {
      const problems = await runLedgerVerification(database.db);
      for (const problem of problems) process.stdout.write(`${problem.tenantId} ${problem.customerId} ${problem.problem}: ${problem.detail}\n`);
      process.stdout.write(
        problems.length === 0
          ? "verify-ledgers: every points, stored-value and voucher account balances, every payment by points or stored value matches its entry, and every customer's facts equal their recomputation\n"
          : `verify-ledgers: ${problems.length} problem(s)\n`,
      );
      if (problems.length > 0) process.exitCode = 1;
    }),
  migrate: () => withDatabase(prepareDatabase),
  'seed-demo': () =>
    withDatabase(async (database) => {
      await prepareDatabase(database);
      const result = await seedDemo(database.db);
      process.stdout.write(result.created ? 'demo clinic created\n' : 'demo clinic already exists\n');
    }),
  restore: () => restoreCommand(process.argv[3]),
  'create-clinic': () =>
    withDatabase(async (database) => {
      await prepareDatabase(database);
      const result = await createClinicCommand(database.db, process.argv.slice(3), readPasswordFromStdin);
      (result.exitCode === 0 ? process.stdout : process.stderr).write(`${result.output}\n`);
      process.exitCode = result.exitCode;
    }),
  'list-clinics': () =>
    withDatabase(async (database) => {
      await prepareDatabase(database);
      const result = await listClinicsCommand(database.db);
      process.stdout.write(`${result.output}\n`);
    }),
  openapi: async () => {
    const database = await openDatabase({ kind: 'pglite' });
    const app = await buildApp({ database });
    await app.ready();
    process.stdout.write(`${JSON.stringify(app.swagger(), null, 2)}\n`);
    await app.close();
    await database.close();
  },
};

const command = process.argv[2] ?? 'serve';
const run = commands[command];
if (!run) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
await run();
