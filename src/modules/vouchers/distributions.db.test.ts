import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { runVoucherDistributionSweep } from '../../jobs/sweeps.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, movableClock, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { customers } from '../customers/tables.js';
import { issueShareRewards, runIfDue } from './distributions.js';
import { customerVouchers, voucherDistributions } from './tables.js';
import { verifyVoucherLedgers } from './verify.js';

/**
 * 发券: every way vouchers reach wallets — registration, periodic, claim links, share-to-get,
 * operations at a chosen time, batches — each idempotent by its keys, so nothing is issued twice.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
let owner: ReturnType<typeof apiAs>;
let otherOwner: ReturnType<typeof apiAs>;
// 2026-03-08 10:00 in Shanghai.
const clock = movableClock('2026-03-08T02:00:00Z');

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, 'Distribution clinic');
  other = await createTestTenant(database, 'Other clinic');
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
  otherOwner = apiAs(app, await loginAs(app, other, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const newCustomer = async (fields: Record<string, unknown> = {}) => {
  const response = await owner.post('/customers', { name: '发券客户', gender: 'female', phone: randomMobile(), ...fields });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; phone: string };
};

const template = async (overrides: Record<string, unknown> = {}) => {
  const response = await owner.post('/voucher-templates', {
    name: '代金券',
    kind: 'cash_off',
    faceValueFen: 5_000,
    thresholdFen: 0,
    scope: { itemIds: [], categoryIds: [] },
    channels: ['store'],
    validity: { kind: 'relative', days: 30 },
    totalStock: null,
    perCustomerLimit: 5,
    isStackable: true,
    ...overrides,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
};

const distribute = async (body: Record<string, unknown>, idempotencyKey?: string) => {
  const response = await owner.post('/voucher-distributions', body, idempotencyKey);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
};

/** Waits for a distribution's run job (started by the request) to finish, and returns it as GET /jobs/:id shows it. */
const finished = async (job: { id: string } | null | undefined) => {
  expect(job).toBeTruthy();
  await app.jobs.idle();
  const response = await owner.get(`/jobs/${job?.id}`);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json()).toMatchObject({ status: 'succeeded', error: null });
  return response.json();
};

const vouchersOf = (customerId: string, templateId: string) =>
  database.db
    .select()
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, clinic.id), eq(customerVouchers.customerId, customerId), eq(customerVouchers.templateId, templateId)));

const systemCtx = () => makeCtx(systemActor(clinic.id), clock.now(), 'Asia/Shanghai');

/** Moves the clock and logs in again (a staff session ends after 30 idle minutes). */
const at = async (instant: string | Date) => {
  clock.set(instant);
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
};

beforeEach(() => at('2026-03-08T02:00:00Z'));

describe('batch and operations', () => {
  it('a batch goes straight into the wallets; running it again issues nothing twice', async () => {
    const { id: templateId } = await template({ name: '批量券' });
    const [first, second, third] = [await newCustomer(), await newCustomer(), await newCustomer()];
    const created = await distribute({
      kind: 'batch',
      name: '老客回馈',
      templateId,
      audience: { kind: 'customers', customerIds: [first?.id, second?.id, third?.id] },
    });
    expect(created.job).toMatchObject({ kind: 'voucher_distribution.run', status: 'queued', progress: { done: 0, total: 3 } });
    const job = await finished(created.job);
    expect(job.result).toEqual({ audience: 3, issued: 3, alreadyIssued: 0, skipped: { out_of_stock: 0, over_limit: 0, inactive: 0, ended: 0, not_found: 0 } });
    expect(job.progress).toEqual({ done: 3, total: 3 });
    expect((await owner.get(`/voucher-distributions/${created.distribution.id}`)).json()).toMatchObject({
      kind: 'batch',
      status: 'done',
      issuedCount: 3,
      audience: { kind: 'customers', customerCount: 3 },
    });
    const again = await owner.post(`/voucher-distributions/${created.distribution.id}/run`, {});
    expect(again.statusCode, again.body).toBe(202);
    expect((await finished(again.json().job)).result).toMatchObject({ audience: 3, issued: 0, alreadyIssued: 3 });
    expect((await owner.get(`/voucher-distributions/${created.distribution.id}`)).json().issuedCount).toBe(3);
    expect(await vouchersOf(first?.id ?? '', templateId)).toEqual([
      expect.objectContaining({ source: 'batch', distributionId: created.distribution.id, issueKey: `dist:${created.distribution.id}:${first?.id}` }),
    ]);
    const template_ = (await owner.get(`/voucher-templates/${templateId}`)).json();
    expect(template_.issuedCount).toBe(3);
    // A replay of the same request answers the first response.
    const replay = await owner.post(`/voucher-distributions/${created.distribution.id}/run`, {}, 'same-run-key-1');
    const replayAgain = await owner.post(`/voucher-distributions/${created.distribution.id}/run`, {}, 'same-run-key-1');
    expect(replayAgain.headers['idempotent-replayed']).toBe('true');
    expect(replayAgain.json()).toEqual(replay.json());
    await finished(replay.json().job);
    // Another clinic cannot read the job: not found, not forbidden.
    const foreign = await otherOwner.get(`/jobs/${replay.json().job.id}`);
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'JOB_NOT_FOUND']);
  });

  it('names pasted phones that match no customer, and invalid lines, instead of dropping them', async () => {
    const { id: templateId } = await template({ name: '名单券' });
    const known = await newCustomer();
    const unknown = randomMobile();
    const preview = await owner.post('/voucher-distributions/audience-preview', {
      audience: { kind: 'phones', phones: [known.phone, ` +86 ${unknown}`, '12345', ''] },
    });
    expect(preview.json()).toEqual({ customerCount: 1, unknownPhones: [unknown], invalidPhones: ['12345'] });
    const created = await distribute({
      kind: 'operations',
      name: '名单发券',
      templateId,
      audience: { kind: 'phones', phones: [known.phone, unknown, '12345'] },
    });
    expect(created.audience).toEqual({ customerCount: 1, unknownPhones: [unknown], invalidPhones: ['12345'] });
    expect(created.distribution.audience).toEqual({ kind: 'customers', customerCount: 1, fromPhones: { matched: 1, unknown: 2 }, filter: null });
    expect(JSON.stringify(created.distribution)).not.toContain(known.phone);
    expect((await finished(created.job)).result.issued).toBe(1);
  });

  it('refuses a list that matches nobody, but keeps a filter that may match later', async () => {
    const { id: templateId } = await template({ name: '空名单券' });
    const nobody = await owner.post('/voucher-distributions', {
      kind: 'operations',
      name: '空名单',
      templateId,
      audience: { kind: 'phones', phones: [randomMobile()] },
    });
    expect([nobody.statusCode, nobody.json().error.code]).toEqual([422, 'AUDIENCE_EMPTY']);
    const later = await distribute({
      kind: 'operations',
      name: '以后再看',
      templateId,
      audience: { kind: 'filter', filter: { tags: [`无人${Date.now()}`] } },
      scheduledAt: new Date(clock.now().getTime() + 86_400_000).toISOString(),
    });
    expect(later.distribution.status).toBe('scheduled');
  });

  it('refuses another clinic’s customers and templates as not found', async () => {
    const { id: templateId } = await template({ name: '本店券' });
    const foreign = (await otherOwner.post('/customers', { name: '他店客户', gender: 'female', phone: randomMobile() })).json();
    const response = await owner.post('/voucher-distributions', {
      kind: 'batch',
      name: '越权',
      templateId,
      audience: { kind: 'customers', customerIds: [foreign.id] },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.details).toEqual([{ path: 'body.audience.customerIds.0', message: '客户不存在' }]);
    const foreignTemplate = await otherOwner.post('/voucher-distributions', { kind: 'claim_link', name: '越权', templateId });
    expect(foreignTemplate.statusCode).toBe(404);
    expect(foreignTemplate.json().error.details[0].path).toBe('body.templateId');
    expect((await otherOwner.get('/voucher-distributions')).json().items).toEqual([]);
  });

  it('picks sleeping customers by “no order for N days”: a recent order or a new registration keeps a customer out', async () => {
    const { id: templateId } = await template({ name: '唤醒券' });
    const tag = `唤醒${Date.now()}`;
    const sleeping = await newCustomer({ tags: [tag] });
    const buyer = await newCustomer({ tags: [tag] });
    const newcomer = await newCustomer({ tags: [tag] });
    const longAgo = new Date('2026-01-10T02:00:00Z');
    for (const id of [sleeping.id, buyer.id]) {
      await database.db
        .update(customers)
        .set({ createdAt: longAgo })
        .where(and(eq(customers.tenantId, clinic.id), eq(customers.id, id)));
    }
    const item = (await owner.post('/items', { kind: 'service', name: '洗牙', priceFen: 29_800 })).json();
    const order = await owner.post('/orders', {
      storeId: clinic.storeIds[0],
      customerId: buyer.id,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'cash', amountFen: 29_800 }],
    });
    expect(order.statusCode, order.body).toBe(201);
    const audience = { kind: 'filter', filter: { noOrderDays: 15, tags: [tag] } };
    expect((await owner.post('/voucher-distributions/audience-preview', { audience })).json().customerCount).toBe(1);
    const created = await distribute({ kind: 'operations', name: '超过半个月没有下单', templateId, audience });
    expect((await finished(created.job)).result).toMatchObject({ audience: 1, issued: 1 });
    expect(await vouchersOf(sleeping.id, templateId)).toHaveLength(1);
    expect(await vouchersOf(buyer.id, templateId)).toHaveLength(0);
    expect(await vouchersOf(newcomer.id, templateId)).toHaveLength(0);
  });

  it('a scheduled operation runs once when its time comes, even when two sweeps overlap', async () => {
    const { id: templateId } = await template({ name: '定时券' });
    const targets = [await newCustomer(), await newCustomer()];
    const created = await distribute({
      kind: 'operations',
      name: '周末发券',
      templateId,
      audience: { kind: 'customers', customerIds: targets.map((target) => target.id) },
      scheduledAt: new Date(clock.now().getTime() + 3_600_000).toISOString(),
    });
    expect(created.job).toBeNull();
    expect(created.distribution.status).toBe('scheduled');
    await runVoucherDistributionSweep(database.db, clock);
    expect((await owner.get(`/voucher-distributions/${created.distribution.id}`)).json()).toMatchObject({ status: 'scheduled', issuedCount: 0 });
    await at(new Date(clock.now().getTime() + 2 * 3_600_000));
    await Promise.all([runVoucherDistributionSweep(database.db, clock), runVoucherDistributionSweep(database.db, clock)]);
    // Past the job lock too: two runs of the same distribution at once, each in its own transaction.
    const second = await distribute({
      kind: 'operations',
      name: '周末发券二',
      templateId,
      audience: { kind: 'customers', customerIds: targets.map((target) => target.id) },
      scheduledAt: new Date(clock.now().getTime() + 60_000).toISOString(),
    });
    await at(new Date(clock.now().getTime() + 3_600_000));
    const runs = await Promise.all([
      database.db.transaction((tx) => runIfDue(tx, systemCtx(), second.distribution.id)),
      database.db.transaction((tx) => runIfDue(tx, systemCtx(), second.distribution.id)),
    ]);
    expect(runs.filter((run) => run !== undefined)).toHaveLength(1);
    for (const target of targets) expect(await vouchersOf(target.id, templateId)).toHaveLength(2);
    const first = (await owner.get(`/voucher-distributions/${created.distribution.id}`)).json();
    expect(first).toMatchObject({ status: 'done', issuedCount: 2 });
    expect((await owner.get(`/voucher-distributions/${second.distribution.id}`)).json()).toMatchObject({ status: 'done', issuedCount: 2 });
  });
});

describe('registration and share', () => {
  it('gives every new customer the registration voucher once, and never fails a registration when it runs out', async () => {
    const { id: templateId } = await template({ name: '新客礼', totalStock: 1, perCustomerLimit: 1 });
    const created = await distribute({ kind: 'registration', name: '新客注册礼', templateId });
    expect(created.distribution).toMatchObject({ kind: 'registration', status: 'active', audience: null });
    const lucky = await newCustomer();
    const late = await newCustomer();
    expect(await vouchersOf(lucky.id, templateId)).toEqual([
      expect.objectContaining({ source: 'registration', issueKey: `dist:${created.distribution.id}:${lucky.id}`, validFrom: '2026-03-08' }),
    ]);
    expect(await vouchersOf(late.id, templateId)).toEqual([]);
    const after = (await owner.get(`/voucher-distributions/${created.distribution.id}`)).json();
    expect(after).toMatchObject({ issuedCount: 1, skipped: { out_of_stock: 1 } });
    // Cancelled: later customers get nothing, and nobody is refused.
    expect((await owner.post(`/voucher-distributions/${created.distribution.id}/cancel`, {})).json().status).toBe('cancelled');
    const afterCancel = await newCustomer();
    expect(await vouchersOf(afterCancel.id, templateId)).toEqual([]);
    expect((await owner.get(`/voucher-distributions/${created.distribution.id}`)).json().skipped.out_of_stock).toBe(1);
    expect((await owner.post(`/voucher-distributions/${created.distribution.id}/run`, {})).statusCode).toBe(422);
  });

  it('rewards the inviter once per friend who registers', async () => {
    const { id: templateId } = await template({ name: '分享券', perCustomerLimit: 10 });
    const created = await distribute({ kind: 'share', name: '邀请好友得券', templateId });
    const inviter = await newCustomer();
    const friend = await newCustomer();
    const reward = () => database.db.transaction((tx) => issueShareRewards(tx, systemCtx(), { inviterId: inviter.id, friendId: friend.id }));
    expect((await reward()).map((outcome) => outcome.status)).toEqual(['issued']);
    expect((await reward()).map((outcome) => outcome.status)).toEqual(['replayed']);
    expect(await vouchersOf(inviter.id, templateId)).toEqual([
      expect.objectContaining({ source: 'share', sourceRef: friend.id, issueKey: `dist:${created.distribution.id}:${friend.id}` }),
    ]);
    expect((await owner.get(`/voucher-distributions/${created.distribution.id}`)).json().issuedCount).toBe(1);
  });
});

describe('periodic', () => {
  it('issues once per period on its day, and again the next period', async () => {
    const { id: templateId } = await template({ name: '月度券', perCustomerLimit: 12 });
    const tag = `月度${Date.now()}`;
    const member = await newCustomer({ tags: [tag] });
    const created = await distribute({
      kind: 'periodic',
      name: '每月 8 日会员券',
      templateId,
      schedule: { every: 'month', day: 8 },
      audience: { kind: 'filter', filter: { tags: [tag] } },
    });
    expect(created.distribution).toMatchObject({ status: 'active', nextRunOn: '2026-03-08', schedule: { every: 'month', day: 8 } });
    await runVoucherDistributionSweep(database.db, clock);
    await runVoucherDistributionSweep(database.db, clock);
    expect((await vouchersOf(member.id, templateId)).map((voucher) => voucher.issueKey)).toEqual([`dist:${created.distribution.id}:2026-03:${member.id}`]);
    // Run by hand in the same month: the period's keys issue nothing twice.
    const byHand = await owner.post(`/voucher-distributions/${created.distribution.id}/run`, {});
    expect((await finished(byHand.json().job)).result).toMatchObject({ issued: 0, alreadyIssued: 1 });
    await at('2026-03-20T02:00:00Z');
    await runVoucherDistributionSweep(database.db, clock);
    expect(await vouchersOf(member.id, templateId)).toHaveLength(1);
    expect((await owner.get(`/voucher-distributions/${created.distribution.id}`)).json().nextRunOn).toBe('2026-04-08');
    await at('2026-04-08T01:00:00Z');
    await runVoucherDistributionSweep(database.db, clock);
    expect((await vouchersOf(member.id, templateId)).map((voucher) => voucher.issueKey).sort()).toEqual([
      `dist:${created.distribution.id}:2026-03:${member.id}`,
      `dist:${created.distribution.id}:2026-04:${member.id}`,
    ]);
  });
});

describe('books', () => {
  it('leaves the voucher books balanced, and nothing issued twice under any key', async () => {
    expect(await database.db.transaction((tx) => verifyVoucherLedgers(tx, clinic.id))).toEqual([]);
    const duplicates = await database.db
      .select({ key: customerVouchers.issueKey, count: sql<number>`count(*)::int` })
      .from(customerVouchers)
      .where(and(eq(customerVouchers.tenantId, clinic.id), like(customerVouchers.issueKey, 'dist:%')))
      .groupBy(customerVouchers.issueKey)
      .having(sql`count(*) > 1`);
    expect(duplicates).toEqual([]);
    const [row] = await database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(voucherDistributions)
      .where(eq(voucherDistributions.tenantId, clinic.id));
    expect(Number(row?.count)).toBeGreaterThan(5);
  });
});
