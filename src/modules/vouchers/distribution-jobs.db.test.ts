import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { claimJob, createJobRunner, getJobRow, jobs, runJobStep, startJob } from '../../platform/jobs.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, movableClock, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { distributionRunJobKind, getDistributionRow, runDistributionJobStep, startDistributionRun } from './distributions.js';
import { issueToMany } from './issue.js';
import { customerVouchers, voucherEvents } from './tables.js';
import { verifyVoucherLedgers } from './verify.js';

/**
 * 后台任务 for voucher batches: one job per start key, resumable after a crash without issuing
 * anything twice, and readable only by the clinic that started it.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
let owner: ReturnType<typeof apiAs>;
const clock = movableClock('2026-03-08T02:00:00Z');
const leaseMs = 60_000;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, 'Job clinic');
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const ctx = () => makeCtx(systemActor(clinic.id), clock.now(), 'Asia/Shanghai');

const newCustomers = async (count: number) => {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const response = await owner.post('/customers', { name: `任务客户${index}`, gender: 'female', phone: randomMobile() });
    expect(response.statusCode, response.body).toBe(201);
    ids.push(response.json().id);
  }
  return ids;
};

const template = async (overrides: Record<string, unknown> = {}) => {
  const response = await owner.post('/voucher-templates', {
    name: '任务券',
    kind: 'cash_off',
    faceValueFen: 2_000,
    thresholdFen: 0,
    scope: { itemIds: [], categoryIds: [] },
    channels: ['store'],
    validity: { kind: 'relative', days: 30 },
    totalStock: null,
    perCustomerLimit: 1,
    isStackable: true,
    ...overrides,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
};

/** An operations distribution scheduled for tomorrow: created with no job, so the test starts and runs it by hand. */
const scheduledDistribution = async (templateId: string, customerIds: string[]) => {
  const response = await owner.post('/voucher-distributions', {
    kind: 'operations',
    name: '任务发券',
    templateId,
    audience: { kind: 'customers', customerIds },
    scheduledAt: new Date(clock.now().getTime() + 86_400_000).toISOString(),
  });
  expect(response.statusCode, response.body).toBe(201);
  expect(response.json().job).toBeNull();
  return response.json().distribution.id as string;
};

const walletCounts = async (templateId: string) =>
  database.db
    .select({ customerId: customerVouchers.customerId, count: sql<number>`count(*)::int` })
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, clinic.id), eq(customerVouchers.templateId, templateId)))
    .groupBy(customerVouchers.customerId);

describe('background jobs', () => {
  it('starting twice under the same key makes one job; a retried start request answers the same job', async () => {
    const first = await database.db.transaction((tx) =>
      startJob(tx, systemActor(clinic.id), clock.now(), { kind: 'test.noop', idempotencyKey: 'same-key', permission: 'vouchers.read', payload: {} }),
    );
    const second = await database.db.transaction((tx) =>
      startJob(tx, systemActor(clinic.id), clock.now(), { kind: 'test.noop', idempotencyKey: 'same-key', permission: 'vouchers.read', payload: {} }),
    );
    expect([first.isNew, second.isNew]).toEqual([true, false]);
    expect(second.job.id).toBe(first.job.id);

    const { id: templateId } = await template({ name: '重试券' });
    const customerIds = await newCustomers(3);
    const body = { kind: 'batch', name: '重试批量', templateId, audience: { kind: 'customers', customerIds } };
    const [a, b] = await Promise.all([
      owner.post('/voucher-distributions', body, 'batch-retry-key-1'),
      owner.post('/voucher-distributions', body, 'batch-retry-key-1'),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json().job.id).toBe(a.json().job.id);
    await app.jobs.idle();
    const [row] = await database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(jobs)
      .where(and(eq(jobs.tenantId, clinic.id), sql`starts_with(${jobs.idempotencyKey}, ${`dist:${a.json().distribution.id}:`})`));
    expect(Number(row?.count)).toBe(1);
    // Run now twice while a run is still queued: the second start returns the first job.
    const distributionId = a.json().distribution.id;
    const runs = await database.db.transaction(async (tx) => {
      const locked = await getDistributionRow(tx, clinic.id, distributionId, { forUpdate: true });
      return [await startDistributionRun(tx, ctx(), locked, 'run:one'), await startDistributionRun(tx, ctx(), locked, 'run:two')];
    });
    expect(runs[1]?.id).toBe(runs[0]?.id);
    await app.jobs.kick({ tenantId: clinic.id, id: runs[0]?.id ?? '' });
    const job = (await owner.get(`/jobs/${runs[0]?.id}`)).json();
    expect(job).toMatchObject({ status: 'succeeded', result: { audience: 3, issued: 0, alreadyIssued: 3 } });
    expect((await walletCounts(templateId)).every((wallet) => Number(wallet.count) === 1)).toBe(true);
  });

  it('a run that crashed after its first chunk resumes once the lease expires: everyone once, the totals right', async () => {
    const { id: templateId } = await template({ name: '断点券' });
    const customerIds = await newCustomers(5);
    const distributionId = await scheduledDistribution(templateId, customerIds);
    const started = await database.db.transaction(async (tx) =>
      startDistributionRun(tx, ctx(), await getDistributionRow(tx, clinic.id, distributionId, { forUpdate: true }), 'crash', { chunkSize: 2 }),
    );
    // A process claims the job, runs one chunk, and dies (never steps again, never releases its claim).
    const claimed = await claimJob(database.db, clock.now(), [distributionRunJobKind], leaseMs, started);
    expect(claimed?.status).toBe('running');
    expect(await runJobStep(database.db, claimed as NonNullable<typeof claimed>, runDistributionJobStep, clock.now(), leaseMs)).toBe('more');
    const midway = await getJobRow(database.db, clinic.id, started.id);
    expect([midway.status, midway.progressDone, midway.progressTotal]).toEqual(['running', 2, 5]);
    // The chunk after it issued its vouchers but died before its transaction committed the progress:
    // as far as the job knows that chunk never ran, yet the wallets have it.
    await database.db.transaction((tx) =>
      issueToMany(tx, ctx(), { templateId, customerIds: customerIds.slice(2, 3), keyPrefix: `dist:${distributionId}`, source: 'operations', distributionId }),
    );

    const runner = createJobRunner({ db: database.db, clock, handlers: { [distributionRunJobKind]: runDistributionJobStep }, leaseMs });
    // Still within the dead process's lease: nobody takes the job over yet.
    expect(await runner.runNext(started)).toBe(false);
    clock.set(new Date(clock.now().getTime() + leaseMs + 1_000));
    expect(await runner.runNext(started)).toBe(true);
    // The dead process's claim is gone: its late step changes nothing.
    expect(await runJobStep(database.db, claimed as NonNullable<typeof claimed>, runDistributionJobStep, clock.now(), leaseMs)).toBe('lost');

    const job = await getJobRow(database.db, clinic.id, started.id);
    expect([job.status, job.progressDone, job.progressTotal, job.attempts]).toEqual(['succeeded', 5, 5, 2]);
    expect(job.result).toEqual({ audience: 5, issued: 4, alreadyIssued: 1, skipped: { out_of_stock: 0, over_limit: 0, inactive: 0, ended: 0, not_found: 0 } });
    const wallets = await walletCounts(templateId);
    expect(wallets).toHaveLength(5);
    expect(wallets.every((wallet) => Number(wallet.count) === 1)).toBe(true);
    const [events] = await database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(voucherEvents)
      .innerJoin(customerVouchers, and(eq(customerVouchers.tenantId, voucherEvents.tenantId), eq(customerVouchers.id, voucherEvents.voucherId)))
      .where(and(eq(voucherEvents.tenantId, clinic.id), eq(customerVouchers.templateId, templateId), eq(voucherEvents.type, 'issue')));
    expect(Number(events?.count)).toBe(5);
    expect((await owner.get(`/voucher-templates/${templateId}`)).json().issuedCount).toBe(5);
    expect(await verifyVoucherLedgers(database.db, clinic.id)).toEqual([]);
  });

  it('a batch past its stock issues in the audience’s order and reports the rest, across chunks', async () => {
    const { id: templateId } = await template({ name: '限量券', totalStock: 3 });
    const customerIds = await newCustomers(5);
    const distributionId = await scheduledDistribution(templateId, customerIds);
    const started = await database.db.transaction(async (tx) =>
      startDistributionRun(tx, ctx(), await getDistributionRow(tx, clinic.id, distributionId, { forUpdate: true }), 'stock', { chunkSize: 2 }),
    );
    await app.jobs.kick(started);
    const job = (await owner.get(`/jobs/${started.id}`)).json();
    expect(job).toMatchObject({ status: 'succeeded', progress: { done: 5, total: 5 }, result: { audience: 5, issued: 3, skipped: { out_of_stock: 2 } } });
    expect((await walletCounts(templateId)).map((wallet) => wallet.customerId).sort()).toEqual(customerIds.slice(0, 3).sort());
    expect(await verifyVoucherLedgers(database.db, clinic.id)).toEqual([]);
  });

  it('shows a job only to its own clinic', async () => {
    const other = await createTestTenant(database, 'Other job clinic');
    const otherOwner = apiAs(app, await loginAs(app, other, 'owner'));
    const { job } = await database.db.transaction((tx) =>
      startJob(tx, systemActor(clinic.id), clock.now(), { kind: 'test.noop', idempotencyKey: 'mine', permission: 'vouchers.read', payload: {} }),
    );
    expect((await owner.get(`/jobs/${job.id}`)).statusCode).toBe(200);
    const foreign = await otherOwner.get(`/jobs/${job.id}`);
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'JOB_NOT_FOUND']);
    expect((await owner.get('/jobs/not-a-uuid')).statusCode).toBe(400);
  });
});
