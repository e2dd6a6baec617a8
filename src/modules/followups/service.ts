import { and, eq, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { businessDate } from '../../platform/clock.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { newId, sqlNewId } from '../../platform/ids.js';
import { items } from '../catalog/index.js';
import { customers } from '../customers/index.js';
import { courseItems, deductions, orderLines, orders } from '../orders/index.js';
import { tenants } from '../tenants/index.js';
import { visits } from '../visits/index.js';
import { lockCampaignOfTask } from './campaigns.js';
import { followupRules, followupTasks } from './tables.js';

export const triggers = ['treatment', 'return_no_deal', 'sleeping'] as const;
export const assignees = ['consultant', 'executor', 'pool'] as const;
export const contactChannels = ['call', 'wechat', 'sms'] as const;
export const outcomes = ['reached', 'no_answer', 'booked', 'declined', 'wrong_number'] as const;
export type Outcome = (typeof outcomes)[number];

/** How far back a sweep looks for treatments and visits: longer than any offset a clinic sets. */
const lookBackDays = 400;

/**
 * Creates the tasks the active rules call for, set-based and idempotent (one task per rule, cause
 * and offset: run it as often as you like). Treatments are services checked out and sessions
 * executed (划扣), never a reversed one; 复诊 without a deal that day; sleeping members every N days.
 * Only causes on or after the rule's first day count, so a new rule does not bury the desk in
 * years of history. Returns the tasks created.
 */
export const createDueTasks = async (tx: Executor, now: Date, tenantId?: string): Promise<number> => {
  const onlyTenant = tenantId ? sql`and r.tenant_id = ${tenantId}` : sql``;
  const since = new Date(now.getTime() - lookBackDays * 86_400_000).toISOString().slice(0, 10);
  const treatment = await queryRows<{ id: string }>(
    tx,
    sql`with treatments as (
          select o.tenant_id, o.customer_id, o.store_id, o.business_date, l.id as source_id, l.item_id, i.category_id, l.name as item_name, null::uuid as executor_id
          from ${orders} o
          join ${orderLines} l on l.tenant_id = o.tenant_id and l.order_id = o.id
          join ${items} i on i.tenant_id = l.tenant_id and i.id = l.item_id
          where o.status = 'placed' and l.kind = 'service' and o.business_date >= ${since}::date
          union all
          select d.tenant_id, d.customer_id, d.store_id, d.business_date, d.id, ci.item_id, i.category_id, ci.name, d.executor_id
          from ${deductions} d
          join ${courseItems} ci on ci.tenant_id = d.tenant_id and ci.id = d.course_item_id
          join ${items} i on i.tenant_id = ci.tenant_id and i.id = ci.item_id
          where d.reverses_id is null and d.business_date >= ${since}::date
            and not exists (select 1 from ${deductions} r where r.tenant_id = d.tenant_id and r.reverses_id = d.id)
        )
        insert into ${followupTasks} (tenant_id, id, customer_id, rule_id, source_key, kind, title, script, channel, due_date, store_id, assignee_id, status, created_at, updated_at)
        select r.tenant_id, ${sqlNewId}, t.customer_id, r.id, 'rule:' || r.id || ':' || t.source_id || ':' || o.days, 'care',
               '「' || t.item_name || '」治疗后第 ' || o.days || ' 天回访', r.script, r.channel, t.business_date + o.days, t.store_id,
               case r.assignee when 'consultant' then c.consultant_id when 'executor' then coalesce(t.executor_id, c.consultant_id) else null end,
               'open', ${now}, ${now}
        from ${followupRules} r
        join treatments t on t.tenant_id = r.tenant_id
        cross join lateral unnest(r.offsets_days) as o(days)
        join ${customers} c on c.tenant_id = t.tenant_id and c.id = t.customer_id
        where r.is_active and r.trigger = 'treatment' and t.business_date >= r.starts_on ${onlyTenant}
          and ((cardinality(r.item_ids) = 0 and cardinality(r.category_ids) = 0) or t.item_id = any(r.item_ids) or t.category_id = any(r.category_ids))
        on conflict do nothing
        returning id`,
  );
  const returns = await queryRows<{ id: string }>(
    tx,
    sql`insert into ${followupTasks} (tenant_id, id, customer_id, rule_id, source_key, kind, title, script, channel, due_date, store_id, assignee_id, status, created_at, updated_at)
        select r.tenant_id, ${sqlNewId}, v.customer_id, r.id, 'rule:' || r.id || ':' || v.id || ':' || o.days, 'care',
               v.business_date || ' 复诊未成交，第 ' || o.days || ' 天回访', r.script, r.channel, v.business_date + o.days, v.store_id,
               case r.assignee when 'pool' then null else coalesce(v.consultant_id, c.consultant_id) end,
               'open', ${now}, ${now}
        from ${followupRules} r
        join ${visits} v on v.tenant_id = r.tenant_id and v.visit_type = 'return' and v.business_date >= greatest(r.starts_on, ${since}::date)
        cross join lateral unnest(r.offsets_days) as o(days)
        join ${customers} c on c.tenant_id = v.tenant_id and c.id = v.customer_id
        where r.is_active and r.trigger = 'return_no_deal' ${onlyTenant}
          and not exists (select 1 from ${orders} d where d.tenant_id = v.tenant_id and d.customer_id = v.customer_id
                          and d.business_date = v.business_date and d.status = 'placed' and d.is_deal)
        on conflict do nothing
        returning id`,
  );
  // Sleeping members: one task per rule and period of N days (the first offset), due the day it is made.
  const sleeping = await queryRows<{ id: string }>(
    tx,
    sql`insert into ${followupTasks} (tenant_id, id, customer_id, rule_id, source_key, kind, title, script, channel, due_date, store_id, assignee_id, status, created_at, updated_at)
        select r.tenant_id, ${sqlNewId}, c.id, r.id,
               'rule:' || r.id || ':' || c.id || ':' || floor(((${now}::timestamptz at time zone t.timezone)::date - r.starts_on) / greatest(r.offsets_days[1], 1)),
               'wakeup', '沉睡会员唤醒回访', r.script, r.channel, (${now}::timestamptz at time zone t.timezone)::date, c.first_store_id,
               case r.assignee when 'pool' then null else c.consultant_id end,
               'open', ${now}, ${now}
        from ${followupRules} r
        join ${tenants} t on t.id = r.tenant_id
        join ${customers} c on c.tenant_id = r.tenant_id and c.activity = 'sleeping'
        where r.is_active and r.trigger = 'sleeping' ${onlyTenant}
        on conflict do nothing
        returning id`,
  );
  return treatment.length + returns.length + sleeping.length;
};

/** A task added by hand (a call she asked for, a promise to ring back). */
export const createManualTask = async (
  tx: Executor,
  ctx: Ctx,
  input: { customerId: string; dueDate: string; title: string; channel: (typeof contactChannels)[number]; assigneeId: string | null; note: string | null },
) => {
  const id = newId();
  const [row] = await tx
    .insert(followupTasks)
    .values({
      tenantId: ctx.tenantId,
      id,
      customerId: input.customerId,
      ruleId: null,
      sourceKey: `manual:${id}`,
      kind: 'manual',
      title: input.title,
      script: null,
      channel: input.channel,
      dueDate: input.dueDate,
      storeId: null,
      assigneeId: input.assigneeId,
      status: 'open',
      note: input.note,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await writeAudit(tx, ctx.actor, {
    action: 'followups.create',
    entityType: 'followup_task',
    entityId: id,
    after: { customerId: input.customerId, dueDate: input.dueDate },
  });
  return row as typeof followupTasks.$inferSelect;
};

const lockTask = async (tx: Executor, tenantId: string, id: string) => {
  const [row] = await tx
    .select()
    .from(followupTasks)
    .where(and(eq(followupTasks.tenantId, tenantId), eq(followupTasks.id, id)))
    .for('update');
  if (!row) throw new DomainError('not_found', 'FOLLOWUP_TASK_NOT_FOUND', '回访任务不存在');
  return row;
};

const assertOpen = (task: typeof followupTasks.$inferSelect) => {
  if (task.status === 'cancelled') throw new DomainError('conflict', 'FOLLOWUP_TASK_CANCELLED', '这条回访所属的呼叫活动已取消');
  if (task.status !== 'open') throw new DomainError('conflict', 'FOLLOWUP_TASK_DONE', '这条回访已经记录过结果');
};

/**
 * Records what came of a contact. A task is done once; no answer may also set the next try, which
 * becomes a new open task on that day (the attempt stays on her record).
 */
export const recordOutcome = async (tx: Executor, ctx: Ctx, id: string, input: { outcome: Outcome; note: string | null; retryOn: string | null }) => {
  const campaign = await lockCampaignOfTask(tx, ctx.tenantId, id);
  const task = await lockTask(tx, ctx.tenantId, id);
  assertOpen(task);
  if (input.retryOn && input.retryOn < ctx.today)
    throw new DomainError('invalid', 'FOLLOWUP_RETRY_PAST', '下次回访日期不能早于今天', [{ path: 'body.retryOn', message: '不能早于今天' }]);
  const actorId = ctx.actor.type === 'staff' ? ctx.actor.id : null;
  const [done] = await tx
    .update(followupTasks)
    .set({ status: 'done', outcome: input.outcome, note: input.note, doneAt: ctx.now, doneBy: actorId, updatedAt: ctx.now })
    .where(and(eq(followupTasks.tenantId, ctx.tenantId), eq(followupTasks.id, id)))
    .returning();
  let retry: typeof followupTasks.$inferSelect | undefined;
  if (input.retryOn) {
    const retryId = newId();
    [retry] = await tx
      .insert(followupTasks)
      .values({
        ...task,
        id: retryId,
        sourceKey: `retry:${id}`,
        dueDate: input.retryOn,
        status: 'open',
        outcome: null,
        note: null,
        doneAt: null,
        doneBy: null,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning();
  }
  await campaign?.finish(ctx.now);
  await writeAudit(tx, ctx.actor, {
    action: 'followups.outcome',
    entityType: 'followup_task',
    entityId: id,
    after: { outcome: input.outcome, retryOn: input.retryOn },
  });
  return { task: done as typeof followupTasks.$inferSelect, retry: retry ?? null };
};

/** Moves a task to another day or another person (or the pool). */
export const updateTask = async (tx: Executor, ctx: Ctx, id: string, input: { dueDate?: string | undefined; assigneeId?: string | null | undefined }) => {
  const task = await lockTask(tx, ctx.tenantId, id);
  assertOpen(task);
  const [row] = await tx
    .update(followupTasks)
    .set({
      ...(input.dueDate ? { dueDate: input.dueDate } : {}),
      ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
      updatedAt: ctx.now,
    })
    .where(and(eq(followupTasks.tenantId, ctx.tenantId), eq(followupTasks.id, id)))
    .returning();
  await writeAudit(tx, ctx.actor, {
    action: 'followups.update',
    entityType: 'followup_task',
    entityId: id,
    before: { dueDate: task.dueDate, assigneeId: task.assigneeId },
    after: input,
  });
  return row as typeof followupTasks.$inferSelect;
};

/** The first day a new rule counts causes from: today in the clinic's calendar. */
export const ruleStartsOn = (now: Date, timezone: string): string => businessDate(now, timezone);
