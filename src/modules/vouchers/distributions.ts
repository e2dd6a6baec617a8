import { randomInt } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type Actor, writeAudit } from '../../platform/audit.js';
import { businessDate } from '../../platform/clock.js';
import { type Ctx, dayOf, makeCtx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { findUnfinishedJob, type JobHandler, type JobRow, type JobView, startJob, toJobView } from '../../platform/jobs.js';
import { getTenant } from '../tenants/index.js';
import type { AudienceReport } from './audience.js';
import { type AudienceCursor, audienceChunk, audienceSize, prepareAudience, resolveAudience } from './audience.js';
import type { Distribution, DistributionInput, DistributionKind, RunResult, StoredAudience } from './distribution-schemas.js';
import { batchChunkSize, type IssueOutcome, type IssueSkip, issueBatchChunk, issueToMany, issueVoucher } from './issue.js';
import { isDue, nextRunOn, periodOf, type Schedule } from './schedule.js';
import type { VoucherSource } from './schemas.js';
import { voucherDistributions, voucherTemplates } from './tables.js';
import { getVoucherTemplateRow, toTemplateView, type VoucherTemplateRow } from './templates.js';

export type DistributionRow = typeof voucherDistributions.$inferSelect;
type SkipCounts = Record<IssueSkip | 'not_found', number>;

const noSkips = (): SkipCounts => ({ out_of_stock: 0, over_limit: 0, inactive: 0, ended: 0, not_found: 0 });

/** The source recorded on each voucher a distribution issues. */
export const sourceOfKind: Record<DistributionKind, VoucherSource> = {
  registration: 'registration',
  periodic: 'periodic',
  claim_link: 'claim',
  share: 'share',
  operations: 'operations',
  batch: 'batch',
};

// No 0/o, 1/l/i: a code read aloud or typed from a poster should not be misread.
const claimAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
/** 10 characters of a 31-letter alphabet (≈ 50 bits): guessing a live code is hopeless, and claims are rate-limited besides. */
export const newClaimCode = () => Array.from({ length: 10 }, () => claimAlphabet[randomInt(0, claimAlphabet.length)]).join('');

/** The portal page a claim link opens (the clinic's code rides along, so a first-time visitor lands in the right clinic). */
export const claimPathOf = (claimCode: string, tenantCode: string) => `/m/claim/${claimCode}?clinic=${encodeURIComponent(tenantCode)}`;

export const toDistributionView = (
  row: DistributionRow,
  template: VoucherTemplateRow,
  options: { today: string; timezone: string; tenantCode: string },
): Distribution => {
  const audience = row.audience as StoredAudience | null;
  const schedule = row.schedule as Schedule | null;
  const templateView = toTemplateView(template);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as DistributionKind,
    template: {
      id: template.id,
      name: template.name,
      title: templateView.title,
      isActive: template.isActive,
      totalStock: template.totalStock,
      stockLeft: templateView.stockLeft,
      perCustomerLimit: template.perCustomerLimit,
    },
    claimCode: row.claimCode,
    claimPath: row.claimCode ? claimPathOf(row.claimCode, options.tenantCode) : null,
    audience: audience
      ? {
          kind: audience.kind,
          customerCount: audience.kind === 'customers' ? audience.customerIds.length : null,
          fromPhones: audience.kind === 'customers' ? (audience.fromPhones ?? null) : null,
          filter: audience.kind === 'filter' ? audience.filter : null,
        }
      : null,
    quantity: row.quantity,
    schedule,
    scheduledAt: row.scheduledAt?.toISOString() ?? null,
    nextRunOn:
      schedule && row.status === 'active'
        ? nextRunOn(
            schedule,
            options.today,
            row.lastRunAt ? businessDate(row.lastRunAt, options.timezone) : null,
            businessDate(row.createdAt, options.timezone),
          )
        : null,
    status: row.status as Distribution['status'],
    issuedCount: row.issuedCount,
    skipped: { ...noSkips(), ...((row.skipped as Partial<SkipCounts> | null) ?? {}) },
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
};

export const getDistributionRow = async (tx: Executor, tenantId: string, id: string, options: { forUpdate?: boolean } = {}) => {
  const query = tx
    .select()
    .from(voucherDistributions)
    .where(and(eq(voucherDistributions.tenantId, tenantId), eq(voucherDistributions.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('发券活动', 'VOUCHER_DISTRIBUTION_NOT_FOUND');
  return row;
};

const viewOptions = async (tx: Executor, ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>) => ({
  today: ctx.today,
  timezone: ctx.timezone,
  tenantCode: (await getTenant(tx, ctx.tenantId)).code,
});

export const getDistribution = async (tx: Executor, ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>, id: string): Promise<Distribution> => {
  const row = await getDistributionRow(tx, ctx.tenantId, id);
  return toDistributionView(row, await getVoucherTemplateRow(tx, ctx.tenantId, row.templateId), await viewOptions(tx, ctx));
};

export const listDistributions = async (
  tx: Executor,
  ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>,
  query: { kind?: DistributionKind | undefined; status?: Distribution['status'] | undefined; templateId?: string | undefined } = {},
): Promise<Distribution[]> => {
  const rows = await tx
    .select({ distribution: voucherDistributions, template: voucherTemplates })
    .from(voucherDistributions)
    .innerJoin(voucherTemplates, and(eq(voucherTemplates.tenantId, voucherDistributions.tenantId), eq(voucherTemplates.id, voucherDistributions.templateId)))
    .where(
      and(
        eq(voucherDistributions.tenantId, ctx.tenantId),
        query.kind ? eq(voucherDistributions.kind, query.kind) : undefined,
        query.status ? eq(voucherDistributions.status, query.status) : undefined,
        query.templateId ? eq(voucherDistributions.templateId, query.templateId) : undefined,
      ),
    )
    .orderBy(desc(voucherDistributions.createdAt), desc(voucherDistributions.id))
    .limit(500);
  const options = await viewOptions(tx, ctx);
  return rows.map((row) => toDistributionView(row.distribution, row.template, options));
};

/** Adds an automatic issuance (registration, share, a claim) to the distribution's counters. */
const countOutcome = async (tx: Executor, ctx: Ctx, distributionId: string, outcome: IssueOutcome) => {
  if (outcome.status !== 'skipped') {
    if (outcome.status === 'replayed') return;
    await tx
      .update(voucherDistributions)
      .set({ issuedCount: sql`${voucherDistributions.issuedCount} + ${outcome.vouchers.length}`, lastRunAt: ctx.now, updatedAt: ctx.now })
      .where(and(eq(voucherDistributions.tenantId, ctx.tenantId), eq(voucherDistributions.id, distributionId)));
    return;
  }
  const reason = outcome.reason;
  const path = `{${reason}}`;
  await tx
    .update(voucherDistributions)
    .set({
      skipped: sql`jsonb_set(coalesce(${voucherDistributions.skipped}, '{}'::jsonb), ${path}::text[], to_jsonb(coalesce((${voucherDistributions.skipped} ->> ${reason})::int, 0) + 1))`,
      updatedAt: ctx.now,
    })
    .where(and(eq(voucherDistributions.tenantId, ctx.tenantId), eq(voucherDistributions.id, distributionId)));
};

/** Records a claim's vouchers on its distribution (the claim itself is in claim.ts). */
export const countClaim = (tx: Executor, ctx: Ctx, distributionId: string, outcome: IssueOutcome) => countOutcome(tx, ctx, distributionId, outcome);

const activeOfKind = (tx: Executor, tenantId: string, kind: DistributionKind) =>
  tx
    .select()
    .from(voucherDistributions)
    .where(and(eq(voucherDistributions.tenantId, tenantId), eq(voucherDistributions.kind, kind), eq(voucherDistributions.status, 'active')))
    .orderBy(voucherDistributions.createdAt, voucherDistributions.id);

/**
 * 新客注册发券: every active registration distribution gives the new customer its voucher, in the
 * transaction that creates her. A refusal (out of stock, stopped) never fails the registration: it
 * is counted on the distribution instead.
 */
export const issueRegistrationVouchers = async (tx: Executor, actor: Actor, customerId: string, now: Date): Promise<IssueOutcome[]> => {
  const outcomes: IssueOutcome[] = [];
  const distributions = await activeOfKind(tx, actor.tenantId, 'registration');
  if (distributions.length === 0) return outcomes;
  const tenant = await getTenant(tx, actor.tenantId);
  const ctx = makeCtx(actor, now, tenant.timezone, null, tenant.businessDayStart);
  for (const distribution of distributions) {
    const outcome = await issueVoucher(tx, ctx, {
      templateId: distribution.templateId,
      customerId,
      source: 'registration',
      distributionId: distribution.id,
      issueKey: `dist:${distribution.id}:${customerId}`,
      quantity: distribution.quantity,
    });
    await countOutcome(tx, ctx, distribution.id, outcome);
    outcomes.push(outcome);
  }
  return outcomes;
};

/**
 * 分享领券: the inviter receives every active share distribution's voucher when a friend she invited
 * registers — once per friend (key `dist:<id>:<friendId>`). Call it in the registration's
 * transaction; refusals are counted, never thrown.
 */
export const issueShareRewards = async (tx: Executor, ctx: Ctx, input: { inviterId: string; friendId: string }): Promise<IssueOutcome[]> => {
  const outcomes: IssueOutcome[] = [];
  for (const distribution of await activeOfKind(tx, ctx.tenantId, 'share')) {
    const outcome = await issueVoucher(tx, ctx, {
      templateId: distribution.templateId,
      customerId: input.inviterId,
      source: 'share',
      sourceRef: input.friendId,
      distributionId: distribution.id,
      issueKey: `dist:${distribution.id}:${input.friendId}`,
      quantity: distribution.quantity,
    });
    await countOutcome(tx, ctx, distribution.id, outcome);
    outcomes.push(outcome);
  }
  return outcomes;
};

/**
 * One run of an audience distribution (operations, batch, periodic), set-based through
 * `issueToMany`: keys `dist:<id>:<customerId>` (periodic: `dist:<id>:<period>:<customerId>`), so a
 * re-run issues nothing twice — it only reaches customers who joined the audience since.
 */
export const runDistribution = async (tx: Executor, ctx: Ctx, row: DistributionRow): Promise<RunResult> => {
  const audience = row.audience as StoredAudience | null;
  if (!audience) throw new DomainError('rule', 'VOUCHER_DISTRIBUTION_NOT_RUNNABLE', '该发券方式自动发放，无需手动执行');
  const customerIds = await resolveAudience(tx, ctx, audience);
  const keyPrefix = keyPrefixOf(row, ctx.today);
  const result = await issueToMany(tx, ctx, {
    templateId: row.templateId,
    customerIds,
    keyPrefix,
    source: sourceOfKind[row.kind as DistributionKind],
    distributionId: row.id,
    quantity: row.quantity,
  });
  const status = row.kind === 'periodic' ? row.status : 'done';
  await tx
    .update(voucherDistributions)
    .set({
      issuedCount: sql`${voucherDistributions.issuedCount} + ${result.issued * row.quantity}`,
      skipped: result.skipped,
      lastRunAt: ctx.now,
      status,
      updatedAt: ctx.now,
    })
    .where(and(eq(voucherDistributions.tenantId, ctx.tenantId), eq(voucherDistributions.id, row.id)));
  await writeAudit(tx, ctx.actor, {
    action: 'voucher_distribution.run',
    entityType: 'voucher_distribution',
    entityId: row.id,
    after: { keyPrefix, audience: customerIds.length, issued: result.issued, alreadyIssued: result.replayed, skipped: result.skipped },
  });
  return { audience: customerIds.length, issued: result.issued, alreadyIssued: result.replayed, skipped: result.skipped };
};

const runnableKinds: readonly string[] = ['operations', 'batch', 'periodic'];

/** The background job that runs a distribution over its audience, chunk by chunk. */
export const distributionRunJobKind = 'voucher_distribution.run';

type RunJobPayload = { distributionId: string; keyPrefix: string; chunkSize?: number };
type RunJobState = { cursor: AudienceCursor };

/** A distribution's run job as the API shows it: its result is the run's counts so far. */
export type DistributionJob = Omit<JobView, 'result'> & { result: RunResult | null };
const toDistributionJob = (row: JobRow): DistributionJob => ({ ...toJobView(row), result: (row.result as RunResult | null) ?? null });

const keyPrefixOf = (row: DistributionRow, today: string) => {
  const schedule = row.schedule as Schedule | null;
  return row.kind === 'periodic' && schedule ? `dist:${row.id}:${periodOf(schedule, today)}` : `dist:${row.id}`;
};

/**
 * Starts a run of an audience distribution as a background job (call it with the distribution
 * locked). One job per start key (`create`, or the run request's Idempotency-Key), and while a
 * run of the distribution is still queued or running, starting another returns that one.
 */
export const startDistributionRun = async (
  tx: Executor,
  ctx: Ctx,
  row: DistributionRow,
  startKey: string,
  options: { chunkSize?: number } = {},
): Promise<JobRow> => {
  const audience = row.audience as StoredAudience | null;
  if (!audience) throw new DomainError('rule', 'VOUCHER_DISTRIBUTION_NOT_RUNNABLE', '该发券方式自动发放，无需手动执行');
  const unfinished = await findUnfinishedJob(tx, ctx.tenantId, distributionRunJobKind, `dist:${row.id}:`);
  if (unfinished) return unfinished;
  const payload: RunJobPayload = { distributionId: row.id, keyPrefix: keyPrefixOf(row, ctx.today), chunkSize: options.chunkSize ?? batchChunkSize };
  const { job } = await startJob(tx, ctx.actor, ctx.now, {
    kind: distributionRunJobKind,
    idempotencyKey: `dist:${row.id}:${startKey}`,
    permission: 'vouchers.read',
    payload,
    total: await audienceSize(tx, ctx, audience),
  });
  return job;
};

/**
 * One step of a distribution's run job: the next chunk of the audience (`batchChunkSize`
 * customers by default) in one set-based statement, its counts added to the distribution and to the job in
 * the same transaction — a crash mid-run resumes at the chunk that did not commit, and the issue
 * keys make even a repeated chunk issue nothing twice. The last step closes the run as
 * `runDistribution` does (skips, last run, status, audit).
 */
export const runDistributionJobStep: JobHandler = async (tx, job, now) => {
  const payload = job.payload as RunJobPayload;
  const tenant = await getTenant(tx, job.tenantId);
  const ctx = makeCtx(job.actor, now, tenant.timezone, null, tenant.businessDayStart);
  const row = await getDistributionRow(tx, ctx.tenantId, payload.distributionId, { forUpdate: true });
  const audience = row.audience as StoredAudience;
  const result: RunResult = (job.result as RunResult | null) ?? { audience: 0, issued: 0, alreadyIssued: 0, skipped: noSkips() };
  const cursor = (job.state as RunJobState | null)?.cursor ?? null;
  // Cancelled while running: stop where it is; what was issued stays.
  const chunk =
    row.status === 'cancelled' ? { customerIds: [], next: null } : await audienceChunk(tx, ctx, audience, cursor, payload.chunkSize ?? batchChunkSize);
  if (chunk.customerIds.length > 0) {
    const template = await getVoucherTemplateRow(tx, ctx.tenantId, row.templateId, { forUpdate: true });
    const batch = await issueBatchChunk(tx, ctx, template, chunk.customerIds, {
      templateId: row.templateId,
      keyPrefix: payload.keyPrefix,
      source: sourceOfKind[row.kind as DistributionKind],
      distributionId: row.id,
      quantity: row.quantity,
    });
    // As `resolveAudience` does for a run at once: a listed customer no longer found is not in the audience.
    result.audience += chunk.customerIds.length - batch.skipped.not_found;
    result.issued += batch.issued;
    result.alreadyIssued += batch.replayed;
    for (const reason of ['out_of_stock', 'over_limit', 'inactive', 'ended'] as const) result.skipped[reason] += batch.skipped[reason];
    if (batch.issued > 0) {
      await tx
        .update(voucherDistributions)
        .set({ issuedCount: sql`${voucherDistributions.issuedCount} + ${batch.issued * row.quantity}`, updatedAt: ctx.now })
        .where(and(eq(voucherDistributions.tenantId, ctx.tenantId), eq(voucherDistributions.id, row.id)));
    }
  }
  const done = job.progressDone + chunk.customerIds.length;
  if (chunk.next !== null) return { state: { cursor: chunk.next } satisfies RunJobState, result, done, total: job.progressTotal, isFinished: false };
  await tx
    .update(voucherDistributions)
    .set({
      skipped: result.skipped,
      lastRunAt: ctx.now,
      status: row.kind === 'periodic' || row.status === 'cancelled' ? row.status : 'done',
      updatedAt: ctx.now,
    })
    .where(and(eq(voucherDistributions.tenantId, ctx.tenantId), eq(voucherDistributions.id, row.id)));
  await writeAudit(tx, ctx.actor, {
    action: 'voucher_distribution.run',
    entityType: 'voucher_distribution',
    entityId: row.id,
    after: { keyPrefix: payload.keyPrefix, jobId: job.id, ...result },
  });
  return { state: { cursor: null } satisfies RunJobState, result, done, total: done, isFinished: true };
};

/**
 * 立即发放: starts a run of an audience distribution (a scheduled one no longer waits) as a
 * background job and returns at once; nothing is issued twice.
 */
export const runDistributionNow = async (
  tx: Executor,
  ctx: Ctx,
  id: string,
  startKey: string,
): Promise<{ distribution: Distribution; job: DistributionJob }> => {
  const row = await getDistributionRow(tx, ctx.tenantId, id, { forUpdate: true });
  if (!runnableKinds.includes(row.kind)) throw new DomainError('rule', 'VOUCHER_DISTRIBUTION_NOT_RUNNABLE', '该发券方式自动发放，无需手动执行');
  if (row.status === 'cancelled') throw new DomainError('rule', 'VOUCHER_DISTRIBUTION_CANCELLED', '该发券活动已取消，不能再发放');
  const job = await startDistributionRun(tx, ctx, row, `run:${startKey}`);
  return { distribution: await getDistribution(tx, ctx, id), job: toDistributionJob(job) };
};

/** 取消: stops an automatic, periodic, claim-link or scheduled distribution; vouchers already issued stay in the wallets. */
export const cancelDistribution = async (tx: Executor, ctx: Ctx, id: string): Promise<Distribution> => {
  const row = await getDistributionRow(tx, ctx.tenantId, id, { forUpdate: true });
  if (row.status === 'cancelled') throw new DomainError('conflict', 'VOUCHER_DISTRIBUTION_CANCELLED', '该发券活动已取消');
  if (row.status === 'done') throw new DomainError('rule', 'VOUCHER_DISTRIBUTION_DONE', '该发券活动已发放完成，不能取消；如需收回请作废客户的券');
  await tx
    .update(voucherDistributions)
    .set({ status: 'cancelled', updatedAt: ctx.now })
    .where(and(eq(voucherDistributions.tenantId, ctx.tenantId), eq(voucherDistributions.id, id)));
  await writeAudit(tx, ctx.actor, {
    action: 'voucher_distribution.cancel',
    entityType: 'voucher_distribution',
    entityId: id,
    before: { status: row.status },
    after: { status: 'cancelled' },
  });
  return getDistribution(tx, ctx, id);
};

/**
 * 新建发券. Registration, share, claim-link and periodic distributions become active; an
 * operations distribution with a future time waits for the sweep; batch and immediate operations
 * start a background job in this transaction (the caller kicks it once committed).
 */
export const createDistribution = async (
  tx: Executor,
  ctx: Ctx,
  input: DistributionInput,
): Promise<{ distribution: Distribution; job: DistributionJob | null; audience: AudienceReport | null }> => {
  const [template] = await tx
    .select()
    .from(voucherTemplates)
    .where(and(eq(voucherTemplates.tenantId, ctx.tenantId), eq(voucherTemplates.id, input.templateId)));
  if (!template) throw new DomainError('invalid', 'VOUCHER_TEMPLATE_NOT_FOUND', '券模板不存在', [{ path: 'body.templateId', message: '券模板不存在' }]);
  if (!template.isActive) {
    throw new DomainError('rule', 'VOUCHER_TEMPLATE_INACTIVE', `「${template.name}」已停发，请先启用券模板`, [
      { path: 'body.templateId', message: '券模板已停发' },
    ]);
  }
  const prepared = 'audience' in input ? await prepareAudience(tx, ctx, input.audience) : null;
  // A filter may match customers later (a periodic run, a scheduled time); a list that matches nobody never will.
  if (prepared && prepared.report.customerCount === 0 && (prepared.stored.kind === 'customers' || input.kind === 'batch')) {
    throw new DomainError('rule', 'AUDIENCE_EMPTY', '没有符合条件的客户', [{ path: 'body.audience', message: '没有符合条件的客户' }]);
  }
  const scheduledAt = input.kind === 'operations' && input.scheduledAt ? new Date(input.scheduledAt) : null;
  const isScheduled = scheduledAt !== null && scheduledAt > ctx.now;
  const row: DistributionRow = {
    tenantId: ctx.tenantId,
    id: newId(),
    templateId: template.id,
    kind: input.kind,
    name: input.name,
    claimCode: input.kind === 'claim_link' ? newClaimCode() : null,
    audience: prepared?.stored ?? null,
    quantity: input.quantity ?? 1,
    schedule: input.kind === 'periodic' ? input.schedule : null,
    scheduledAt,
    status: input.kind === 'operations' || input.kind === 'batch' ? (isScheduled ? 'scheduled' : 'active') : 'active',
    issuedCount: 0,
    skipped: null,
    lastRunAt: null,
    createdBy: ctx.actor.id,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await tx.insert(voucherDistributions).values(row);
  await writeAudit(tx, ctx.actor, { action: 'voucher_distribution.create', entityType: 'voucher_distribution', entityId: row.id, after: row });
  const job = (input.kind === 'operations' && !isScheduled) || input.kind === 'batch' ? await startDistributionRun(tx, ctx, row, 'create') : null;
  return { distribution: await getDistribution(tx, ctx, row.id), job: job ? toDistributionJob(job) : null, audience: prepared?.report ?? null };
};

/**
 * The sweep's part for one tenant: scheduled operations whose time has come (each claimed by a
 * conditional status update, so two overlapping sweeps never both run it) and periodic
 * distributions due in their period (the period in the issue keys makes a second run issue nothing).
 */
export const dueDistributionIds = async (tx: Executor, ctx: Pick<Ctx, 'tenantId' | 'now' | 'today' | 'timezone' | 'dayStart'>) => {
  const rows = await tx
    .select({
      id: voucherDistributions.id,
      kind: voucherDistributions.kind,
      schedule: voucherDistributions.schedule,
      scheduledAt: voucherDistributions.scheduledAt,
      status: voucherDistributions.status,
      lastRunAt: voucherDistributions.lastRunAt,
      createdAt: voucherDistributions.createdAt,
    })
    .from(voucherDistributions)
    .where(and(eq(voucherDistributions.tenantId, ctx.tenantId), inArray(voucherDistributions.status, ['scheduled', 'active'])));
  return rows
    .filter((row) => {
      if (row.kind === 'operations' || row.kind === 'batch') return row.status === 'scheduled' && row.scheduledAt !== null && row.scheduledAt <= ctx.now;
      if (row.kind !== 'periodic' || row.status !== 'active' || !row.schedule) return false;
      const lastRunOn = row.lastRunAt ? dayOf(ctx, row.lastRunAt) : null;
      return isDue(row.schedule as Schedule, ctx.today, lastRunOn, dayOf(ctx, row.createdAt));
    })
    .map((row) => row.id);
};

/** Runs one due distribution if it is still due once locked; returns whether it ran. */
export const runIfDue = async (tx: Executor, ctx: Ctx, id: string): Promise<RunResult | undefined> => {
  // Claim a scheduled run first: of two overlapping sweeps, the second finds it no longer scheduled.
  const [claimed] = await tx
    .update(voucherDistributions)
    .set({ status: 'done', updatedAt: ctx.now })
    .where(
      and(
        eq(voucherDistributions.tenantId, ctx.tenantId),
        eq(voucherDistributions.id, id),
        eq(voucherDistributions.status, 'scheduled'),
        sql`${voucherDistributions.scheduledAt} <= ${ctx.now.toISOString()}::timestamptz`,
      ),
    )
    .returning();
  if (claimed) return runDistribution(tx, ctx, claimed);
  const row = await getDistributionRow(tx, ctx.tenantId, id, { forUpdate: true });
  if (row.kind !== 'periodic' || row.status !== 'active' || !row.schedule) return undefined;
  const lastRunOn = row.lastRunAt ? dayOf(ctx, row.lastRunAt) : null;
  if (!isDue(row.schedule as Schedule, ctx.today, lastRunOn, dayOf(ctx, row.createdAt))) return undefined;
  return runDistribution(tx, ctx, row);
};
