import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { makeCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { newId, sqlNewId } from '../../platform/ids.js';
import { type JobHandler, type JobRow, startJob } from '../../platform/jobs.js';
import { customers, customerValueOrder } from '../customers/index.js';
import { staffUsers } from '../staff/index.js';
import { getTenant } from '../tenants/index.js';
import { type AudienceInput, audienceCondition, prepareAudience, type StoredAudience } from '../vouchers/index.js';
import type { contactChannels } from './service.js';
import { followupCampaigns, followupTasks } from './tables.js';

export const campaignJobKind = 'followup_campaign.assign';
/** Customers a step of the job gives tasks to (each step one short transaction). */
const assignChunkSize = 500;

export type CampaignRow = typeof followupCampaigns.$inferSelect;
export type CampaignInput = {
  name: string;
  audience: AudienceInput;
  /** Only the best N customers by value get a task (null: all). */
  maxCount: number | null;
  goal: number;
  dueOn: string;
  staffIds: string[];
  channel: (typeof contactChannels)[number];
  script: string;
};

type CampaignCtx = Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>;

/** The callers: each must be a staff member of this clinic (another clinic's id is not found) and not disabled. */
export const callersOf = async (tx: Executor, tenantId: string, staffIds: readonly string[]) => {
  const unique = [...new Set(staffIds)];
  const rows =
    unique.length === 0
      ? []
      : await tx
          .select({ id: staffUsers.id, name: staffUsers.displayName, disabledAt: staffUsers.disabledAt })
          .from(staffUsers)
          .where(and(eq(staffUsers.tenantId, tenantId), inArray(staffUsers.id, unique)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const missing = staffIds.flatMap((id, index) => (byId.has(id) ? [] : [{ path: `body.staffIds.${index}`, message: '员工不存在' }]));
  if (missing.length > 0) throw new DomainError('not_found', 'FOLLOWUP_CAMPAIGN_STAFF_NOT_FOUND', '选择的员工不存在', missing);
  const disabled = staffIds.flatMap((id, index) => (byId.get(id)?.disabledAt ? [{ path: `body.staffIds.${index}`, message: '该员工已停用' }] : []));
  if (disabled.length > 0) throw new DomainError('rule', 'FOLLOWUP_CAMPAIGN_STAFF_DISABLED', '停用的员工不能参加呼叫活动', disabled);
  return unique.map((id) => ({ id, name: byId.get(id)?.name ?? '' }));
};

/** How many of `count` tasks each of `callers` gets when they are dealt round-robin in value order. */
export const splitAmong = (count: number, callers: number): number[] =>
  Array.from({ length: callers }, (_, index) => Math.floor(count / callers) + (index < count % callers ? 1 : 0));

/**
 * What a campaign would do, before it is confirmed: how many customers the audience names, how
 * many get a task after the cap, and each caller's share.
 */
export const previewCampaign = async (tx: Executor, ctx: CampaignCtx, input: Pick<CampaignInput, 'audience' | 'maxCount' | 'staffIds'>) => {
  const callers = await callersOf(tx, ctx.tenantId, input.staffIds);
  const { report } = await prepareAudience(tx, ctx, input.audience);
  const assigned = input.maxCount === null ? report.customerCount : Math.min(report.customerCount, input.maxCount);
  const shares = splitAmong(assigned, callers.length);
  return {
    matched: report.customerCount,
    assigned,
    unknownPhones: report.unknownPhones,
    invalidPhones: report.invalidPhones,
    staff: callers.map((caller, index) => ({ staffId: caller.id, name: caller.name, count: shares[index] ?? 0 })),
  };
};

/**
 * 新建呼叫活动: stores the campaign and, in the same transaction, the background job that gives its
 * customers their tasks (follow it at GET /jobs/{id}). The tasks appear in each caller's list as
 * the job runs.
 */
export const createCampaign = async (
  tx: Executor,
  ctx: Ctx,
  input: CampaignInput,
  options: { chunkSize?: number } = {},
): Promise<{ campaign: CampaignRow; job: JobRow }> => {
  const callers = await callersOf(tx, ctx.tenantId, input.staffIds);
  if (input.dueOn < ctx.today) {
    throw new DomainError('invalid', 'FOLLOWUP_CAMPAIGN_DUE_PAST', '截止日期不能早于今天', [{ path: 'body.dueOn', message: '不能早于今天' }]);
  }
  const { stored, report } = await prepareAudience(tx, ctx, input.audience);
  const id = newId();
  const total = input.maxCount === null ? report.customerCount : Math.min(report.customerCount, input.maxCount);
  const { job } = await startJob(tx, ctx.actor, ctx.now, {
    kind: campaignJobKind,
    idempotencyKey: `campaign:${id}`,
    permission: 'followups.read',
    payload: { campaignId: id, chunkSize: options.chunkSize ?? assignChunkSize },
    total,
  });
  const [campaign] = await tx
    .insert(followupCampaigns)
    .values({
      tenantId: ctx.tenantId,
      id,
      name: input.name,
      audience: stored,
      maxCount: input.maxCount,
      goal: input.goal,
      dueOn: input.dueOn,
      staffIds: callers.map((caller) => caller.id),
      channel: input.channel,
      script: input.script,
      status: 'running',
      jobId: job.id,
      createdBy: ctx.actor.type === 'staff' ? ctx.actor.id : null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await writeAudit(tx, ctx.actor, {
    action: 'followups.campaign_create',
    entityType: 'followup_campaign',
    entityId: id,
    after: { name: input.name, matched: report.customerCount, assigned: total, goal: input.goal, dueOn: input.dueOn, staffIds: callers.map((c) => c.id) },
  });
  return { campaign: campaign as CampaignRow, job };
};

export const getCampaignRow = async (tx: Executor, tenantId: string, id: string, options: { forUpdate?: boolean } = {}) => {
  const query = tx
    .select()
    .from(followupCampaigns)
    .where(and(eq(followupCampaigns.tenantId, tenantId), eq(followupCampaigns.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw new DomainError('not_found', 'FOLLOWUP_CAMPAIGN_NOT_FOUND', '呼叫活动不存在');
  return row;
};

/** A running campaign whose tasks are all made and all have their outcome is done. Call with the campaign row locked. */
const finishIfComplete = async (tx: Executor, campaign: CampaignRow, now: Date) => {
  if (campaign.status !== 'running' || !campaign.assignedAt) return;
  const [open] = await tx
    .select({ id: followupTasks.id })
    .from(followupTasks)
    .where(and(eq(followupTasks.tenantId, campaign.tenantId), eq(followupTasks.campaignId, campaign.id), eq(followupTasks.status, 'open')))
    .limit(1);
  if (open) return;
  await tx
    .update(followupCampaigns)
    .set({ status: 'done', finishedAt: now, updatedAt: now })
    .where(and(eq(followupCampaigns.tenantId, campaign.tenantId), eq(followupCampaigns.id, campaign.id)));
};

/**
 * Locks a task's campaign before the task itself (the order the job and cancel lock in), and
 * after the task's outcome is written, marks the campaign done when nothing is left open.
 */
export const lockCampaignOfTask = async (tx: Executor, tenantId: string, taskId: string) => {
  const [task] = await tx
    .select({ campaignId: followupTasks.campaignId })
    .from(followupTasks)
    .where(and(eq(followupTasks.tenantId, tenantId), eq(followupTasks.id, taskId)));
  if (!task?.campaignId) return null;
  const campaign = await getCampaignRow(tx, tenantId, task.campaignId, { forUpdate: true });
  return { finish: (now: Date) => finishIfComplete(tx, campaign, now) };
};

type AssignResult = { customers: number; created: number; alreadyHad: number };

/**
 * One step of the job: the audience ranked by value (paid, then consumed, then id), positions
 * (cursor, cursor + chunk] up to the cap, each customer's task dealt to the callers round-robin
 * by position — so each caller gets an even share of the best customers. A customer who already
 * has this campaign's task (an earlier attempt of the step, a replay) gets nothing new.
 */
export const runCampaignJobStep: JobHandler = async (tx, job, now) => {
  const { campaignId, chunkSize } = job.payload as { campaignId: string; chunkSize?: number };
  const tenant = await getTenant(tx, job.tenantId);
  const ctx = makeCtx(job.actor, now, tenant.timezone, null, tenant.businessDayStart);
  const campaign = await getCampaignRow(tx, ctx.tenantId, campaignId, { forUpdate: true });
  const result: AssignResult = (job.result as AssignResult | null) ?? { customers: 0, created: 0, alreadyHad: 0 };
  const from = (job.state as { position: number } | null)?.position ?? 0;
  const cap = campaign.maxCount ?? Number.MAX_SAFE_INTEGER;
  const to = Math.min(from + (chunkSize ?? assignChunkSize), cap);
  let inWindow = 0;
  if (campaign.status === 'running' && to > from) {
    const staffIds = `{${campaign.staffIds.join(',')}}`;
    const [row] = await queryRows<{ in_window: number; created: number }>(
      tx,
      sql`with ranked as (
            select ${customers.id} as customer_id, ${customers.firstStoreId} as store_id,
                   row_number() over (order by ${customerValueOrder(ctx.tenantId, sql`${customers.id}`)}, ${customers.id}) as position
            from ${customers}
            where ${audienceCondition(ctx, campaign.audience as StoredAudience)}
          ),
          chosen as (select * from ranked where position > ${from}::int and position <= ${to}::bigint),
          made as (
            insert into ${followupTasks} (tenant_id, id, customer_id, rule_id, campaign_id, source_key, kind, title, script, channel, due_date, store_id, assignee_id, status, created_at, updated_at)
            select ${ctx.tenantId}::uuid, ${sqlNewId}, c.customer_id, null, ${campaign.id}::uuid, 'campaign:' || ${campaign.id}::text || ':' || c.customer_id, 'campaign',
                   ${campaign.name}::text, ${campaign.script || null}::text, ${campaign.channel}::text, ${campaign.dueOn}::date, c.store_id,
                   (${staffIds}::uuid[])[((c.position - 1) % ${campaign.staffIds.length}::int) + 1], 'open', ${now}::timestamptz, ${now}::timestamptz
            from chosen c
            where not exists (select 1 from ${followupTasks} t where t.tenant_id = ${ctx.tenantId}::uuid and t.campaign_id = ${campaign.id}::uuid
                                and t.customer_id = c.customer_id and t.status = 'open')
            on conflict do nothing
            returning 1
          )
          select (select count(*) from chosen)::int as in_window, (select count(*) from made)::int as created`,
    );
    inWindow = Number(row?.in_window ?? 0);
    result.customers += inWindow;
    result.created += Number(row?.created ?? 0);
    result.alreadyHad += inWindow - Number(row?.created ?? 0);
  }
  const done = job.progressDone + inWindow;
  const isLast = campaign.status !== 'running' || inWindow < to - from || to >= cap;
  if (!isLast) return { state: { position: to }, result, done, total: job.progressTotal, isFinished: false };
  await tx
    .update(followupCampaigns)
    .set({ assignedAt: now, updatedAt: now })
    .where(and(eq(followupCampaigns.tenantId, ctx.tenantId), eq(followupCampaigns.id, campaign.id)));
  await finishIfComplete(tx, { ...campaign, assignedAt: now }, now);
  await writeAudit(tx, ctx.actor, {
    action: 'followups.campaign_assign',
    entityType: 'followup_campaign',
    entityId: campaign.id,
    after: { jobId: job.id, ...result },
  });
  return { state: { position: to }, result, done, total: done, isFinished: true };
};

/** 取消活动: the campaign's open tasks are closed as cancelled; tasks with an outcome stay as they are. */
export const cancelCampaign = async (tx: Executor, ctx: Ctx, id: string) => {
  const campaign = await getCampaignRow(tx, ctx.tenantId, id, { forUpdate: true });
  if (campaign.status !== 'running') throw new DomainError('conflict', 'FOLLOWUP_CAMPAIGN_NOT_RUNNING', '该呼叫活动已结束或已取消');
  const closed = await tx
    .update(followupTasks)
    .set({ status: 'cancelled', updatedAt: ctx.now })
    .where(and(eq(followupTasks.tenantId, ctx.tenantId), eq(followupTasks.campaignId, id), eq(followupTasks.status, 'open')))
    .returning({ id: followupTasks.id });
  const [row] = await tx
    .update(followupCampaigns)
    .set({ status: 'cancelled', finishedAt: ctx.now, updatedAt: ctx.now })
    .where(and(eq(followupCampaigns.tenantId, ctx.tenantId), eq(followupCampaigns.id, id)))
    .returning();
  await writeAudit(tx, ctx.actor, {
    action: 'followups.campaign_cancel',
    entityType: 'followup_campaign',
    entityId: id,
    after: { cancelledTasks: closed.length },
  });
  return row as CampaignRow;
};

export type CampaignProgress = {
  /** Customers given a task. */
  total: number;
  /** Customers whose (latest) task has its outcome. */
  done: number;
  open: number;
  /** reached or booked. */
  reached: number;
  booked: number;
  declined: number;
  noAnswer: number;
  wrongNumber: number;
  cancelled: number;
};

const emptyProgress = (): CampaignProgress => ({ total: 0, done: 0, open: 0, reached: 0, booked: 0, declined: 0, noAnswer: 0, wrongNumber: 0, cancelled: 0 });

/**
 * Progress per campaign and caller, counted per customer by her latest task of the campaign (a
 * "no answer" with another try counts as open until the retry has its outcome).
 */
export const campaignProgress = async (tx: Executor, tenantId: string, campaignIds: readonly string[]) => {
  const byCampaign = new Map<string, { total: CampaignProgress; staff: Map<string, CampaignProgress> }>();
  if (campaignIds.length === 0) return byCampaign;
  const rows = await queryRows<{
    campaign_id: string;
    assignee_id: string | null;
    total: number;
    done: number;
    open: number;
    reached: number;
    booked: number;
    declined: number;
    no_answer: number;
    wrong_number: number;
    cancelled: number;
  }>(
    tx,
    sql`with latest as (
          select distinct on (campaign_id, customer_id) campaign_id, customer_id, assignee_id, status, outcome
          from ${followupTasks}
          where tenant_id = ${tenantId} and campaign_id = any(${`{${campaignIds.join(',')}}`}::uuid[])
          order by campaign_id, customer_id, created_at desc, id desc
        )
        select campaign_id, assignee_id, count(*)::int as total,
               (count(*) filter (where status = 'done'))::int as done,
               (count(*) filter (where status = 'open'))::int as open,
               (count(*) filter (where outcome in ('reached', 'booked')))::int as reached,
               (count(*) filter (where outcome = 'booked'))::int as booked,
               (count(*) filter (where outcome = 'declined'))::int as declined,
               (count(*) filter (where outcome = 'no_answer'))::int as no_answer,
               (count(*) filter (where outcome = 'wrong_number'))::int as wrong_number,
               (count(*) filter (where status = 'cancelled'))::int as cancelled
        from latest group by campaign_id, assignee_id`,
  );
  for (const row of rows) {
    const entry = byCampaign.get(row.campaign_id) ?? { total: emptyProgress(), staff: new Map<string, CampaignProgress>() };
    const figures: CampaignProgress = {
      total: Number(row.total),
      done: Number(row.done),
      open: Number(row.open),
      reached: Number(row.reached),
      booked: Number(row.booked),
      declined: Number(row.declined),
      noAnswer: Number(row.no_answer),
      wrongNumber: Number(row.wrong_number),
      cancelled: Number(row.cancelled),
    };
    for (const key of Object.keys(figures) as (keyof CampaignProgress)[]) entry.total[key] += figures[key];
    // A task moved to the pool has no caller: it counts in the campaign's figures only.
    if (row.assignee_id) entry.staff.set(row.assignee_id, figures);
    byCampaign.set(row.campaign_id, entry);
  }
  return byCampaign;
};

export const progressOrEmpty = (progress: CampaignProgress | undefined) => progress ?? emptyProgress();

/** The clinic's campaigns, newest first. */
export const listCampaignRows = async (tx: Executor, tenantId: string, where: SQL | undefined, page: number, pageSize: number) => {
  const condition = and(eq(followupCampaigns.tenantId, tenantId), where);
  const rows = await tx
    .select()
    .from(followupCampaigns)
    .where(condition)
    .orderBy(desc(followupCampaigns.createdAt), desc(followupCampaigns.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [count] = await tx
    .select({ total: sql<number>`count(*)::int`.mapWith(Number) })
    .from(followupCampaigns)
    .where(condition);
  return { rows, total: count?.total ?? 0 };
};
