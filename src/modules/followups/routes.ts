import { and, asc, desc, eq, gte, isNull, lt, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { addDays, businessDate, startOfBusinessDay } from '../../platform/clock.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, actorOf, authOf, can, ctxOf, errorResponses, ZIdParams, ZPageQuery, ZTimestamp } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { maskMobile } from '../../platform/phone.js';
import { assertCustomerExists, customers, paidSinceExpression } from '../customers/index.js';
import { staffUsers } from '../staff/index.js';
import { assignees, contactChannels, createDueTasks, createManualTask, outcomes, recordOutcome, triggers, updateTask } from './service.js';
import { followupRules, followupTasks } from './tables.js';

const tags = ['Follow-ups'];
const ZDate = z.iso.date();

const ZTask = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    customerName: z.string(),
    customerPhone: z.string(),
    ruleId: z.uuid().nullable(),
    /** The call campaign (呼叫活动) it belongs to. */
    campaignId: z.uuid().nullable(),
    kind: z.string(),
    title: z.string(),
    script: z.string().nullable(),
    channel: z.string(),
    dueDate: ZDate,
    assigneeId: z.uuid().nullable(),
    assigneeName: z.string().nullable(),
    status: z.enum(['open', 'done', 'cancelled']),
    outcome: z.enum(outcomes).nullable(),
    note: z.string().nullable(),
    doneAt: ZTimestamp.nullable(),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'FollowupTask' });

const ZRuleInput = z.strictObject({
  name: z.string().trim().min(1).max(40),
  trigger: z.enum(triggers),
  itemIds: z.array(z.uuid()).max(50).default([]),
  categoryIds: z.array(z.uuid()).max(50).default([]),
  offsetsDays: z.array(z.number().int().min(0).max(365)).min(1).max(8),
  assignee: z.enum(assignees),
  channel: z.enum(contactChannels),
  script: z.string().trim().max(500),
  isActive: z.boolean().default(true),
});
const ZRule = ZRuleInput.extend({ id: z.uuid(), startsOn: ZDate, createdAt: ZTimestamp }).meta({ id: 'FollowupRule' });

type TaskRow = typeof followupTasks.$inferSelect;
type RuleRow = typeof followupRules.$inferSelect;

const toRule = (row: RuleRow) => ({
  id: row.id,
  name: row.name,
  trigger: row.trigger as (typeof triggers)[number],
  itemIds: row.itemIds,
  categoryIds: row.categoryIds,
  offsetsDays: row.offsetsDays,
  assignee: row.assignee as (typeof assignees)[number],
  channel: row.channel as (typeof contactChannels)[number],
  script: row.script,
  isActive: row.isActive,
  startsOn: row.startsOn,
  createdAt: row.createdAt.toISOString(),
});

/** 回访: the rules, the tasks (mine today and overdue, everyone's, one customer's), their outcomes. */
export const followupRoutes = (app: App, { db, clock }: Deps) => {
  const taskView = (row: TaskRow, customer: { name: string; phone: string }, assigneeName: string | null, canSeePhone: boolean) => ({
    id: row.id,
    customerId: row.customerId,
    customerName: customer.name,
    customerPhone: canSeePhone ? customer.phone : maskMobile(customer.phone),
    ruleId: row.ruleId,
    campaignId: row.campaignId,
    kind: row.kind,
    title: row.title,
    script: row.script,
    channel: row.channel,
    dueDate: row.dueDate,
    assigneeId: row.assigneeId,
    assigneeName,
    status: row.status as 'open' | 'done' | 'cancelled',
    outcome: row.outcome as (typeof outcomes)[number] | null,
    note: row.note,
    doneAt: row.doneAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  });

  const oneTask = async (tenantId: string, id: string, canSeePhone: boolean) => {
    const [row] = await db
      .select({ task: followupTasks, name: customers.name, phone: customers.phone, assigneeName: staffUsers.displayName })
      .from(followupTasks)
      .innerJoin(customers, and(eq(customers.tenantId, followupTasks.tenantId), eq(customers.id, followupTasks.customerId)))
      .leftJoin(staffUsers, and(eq(staffUsers.tenantId, followupTasks.tenantId), eq(staffUsers.id, followupTasks.assigneeId)))
      .where(and(eq(followupTasks.tenantId, tenantId), eq(followupTasks.id, id)));
    if (!row) throw new DomainError('not_found', 'FOLLOWUP_TASK_NOT_FOUND', '回访任务不存在');
    return taskView(row.task, row, row.assigneeName, canSeePhone);
  };

  app.get(
    '/followup-tasks',
    {
      config: { permission: 'followups.read' },
      schema: {
        tags,
        summary: '回访任务: mine or everyone’s (or the pool’s), due today, overdue, coming or done; one customer’s with customerId',
        querystring: ZPageQuery.extend({
          scope: z.enum(['mine', 'pool', 'all']).default('mine'),
          due: z.enum(['today', 'overdue', 'upcoming', 'done', 'all']).default('today'),
          customerId: z.uuid().optional(),
        }),
        response: {
          200: z.object({ items: z.array(ZTask), total: z.number().int(), counts: z.object({ today: z.number().int(), overdue: z.number().int() }) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const actor = actorOf(req);
      const { page, pageSize, scope, due, customerId } = req.query;
      const today = ctx.today;
      const base: SQL[] = [eq(followupTasks.tenantId, ctx.tenantId)];
      if (customerId) base.push(eq(followupTasks.customerId, customerId));
      if (scope === 'mine' && !customerId) base.push(actor.id ? eq(followupTasks.assigneeId, actor.id) : sql`false`);
      if (scope === 'pool' && !customerId) base.push(isNull(followupTasks.assigneeId));
      const open = eq(followupTasks.status, 'open');
      const byDue: Record<typeof due, SQL[]> = {
        today: [open, eq(followupTasks.dueDate, today)],
        overdue: [open, lt(followupTasks.dueDate, today)],
        upcoming: [open, gte(followupTasks.dueDate, addDays(today, 1))],
        done: [eq(followupTasks.status, 'done')],
        all: [],
      };
      const where = and(...base, ...byDue[due]);
      const rows = await db
        .select({ task: followupTasks, name: customers.name, phone: customers.phone, assigneeName: staffUsers.displayName })
        .from(followupTasks)
        .innerJoin(customers, and(eq(customers.tenantId, followupTasks.tenantId), eq(customers.id, followupTasks.customerId)))
        .leftJoin(staffUsers, and(eq(staffUsers.tenantId, followupTasks.tenantId), eq(staffUsers.id, followupTasks.assigneeId)))
        .where(where)
        .orderBy(due === 'done' ? desc(followupTasks.doneAt) : asc(followupTasks.dueDate), asc(followupTasks.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      // The page's total and the today / overdue badges in one pass over the same scope.
      const countWhere = (conditions: SQL[]) => sql<number>`count(*) filter (where ${conditions.length > 0 ? and(...conditions) : sql`true`})`.mapWith(Number);
      const [figures] = await db
        .select({ total: countWhere(byDue[due]), today: countWhere(byDue.today), overdue: countWhere(byDue.overdue) })
        .from(followupTasks)
        .where(and(...base));
      const canSeePhone = can(req, 'customers.phone.full');
      return {
        items: rows.map((row) => taskView(row.task, row, row.assigneeName, canSeePhone)),
        total: figures?.total ?? 0,
        counts: { today: figures?.today ?? 0, overdue: figures?.overdue ?? 0 },
      };
    },
  );

  app.post(
    '/followup-tasks',
    {
      config: { permission: 'followups.write' },
      schema: {
        tags,
        summary: 'Add a follow-up by hand (for oneself unless another assignee is named)',
        body: z.strictObject({
          customerId: z.uuid(),
          dueDate: ZDate,
          title: z.string().trim().min(1).max(60),
          channel: z.enum(contactChannels).default('call'),
          assigneeId: z.uuid().nullable().optional(),
          note: z.string().trim().max(200).nullable().optional(),
        }),
        response: { 201: ZTask, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const actor = actorOf(req);
      const task = await db.transaction(async (tx) => {
        await assertCustomerExists(tx, ctx.tenantId, req.body.customerId);
        return createManualTask(tx, ctx, {
          customerId: req.body.customerId,
          dueDate: req.body.dueDate,
          title: req.body.title,
          channel: req.body.channel,
          assigneeId: req.body.assigneeId === undefined ? (actor.id ?? null) : req.body.assigneeId,
          note: req.body.note ?? null,
        });
      });
      return reply.code(201).send(await oneTask(ctx.tenantId, task.id, can(req, 'customers.phone.full')));
    },
  );

  app.post(
    '/followup-tasks/:id/outcome',
    {
      config: { permission: 'followups.write' },
      schema: {
        tags,
        summary: '记录回访结果: reached, no answer (optionally try again on a day), booked, declined, wrong number',
        params: ZIdParams,
        body: z.strictObject({ outcome: z.enum(outcomes), note: z.string().trim().max(500).nullable().optional(), retryOn: ZDate.nullable().optional() }),
        response: { 200: z.object({ task: ZTask, retry: ZTask.nullable() }), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const result = await db.transaction((tx) =>
        recordOutcome(tx, ctx, req.params.id, { outcome: req.body.outcome, note: req.body.note ?? null, retryOn: req.body.retryOn ?? null }),
      );
      const canSeePhone = can(req, 'customers.phone.full');
      return {
        task: await oneTask(ctx.tenantId, result.task.id, canSeePhone),
        retry: result.retry ? await oneTask(ctx.tenantId, result.retry.id, canSeePhone) : null,
      };
    },
  );

  app.patch(
    '/followup-tasks/:id',
    {
      config: { permission: 'followups.write' },
      schema: {
        tags,
        summary: 'Move a follow-up to another day, or give it to someone else (null: the pool)',
        params: ZIdParams,
        body: z.strictObject({ dueDate: ZDate.optional(), assigneeId: z.uuid().nullable().optional() }),
        response: { 200: ZTask, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      await db.transaction((tx) => updateTask(tx, ctx, req.params.id, req.body));
      return oneTask(ctx.tenantId, req.params.id, can(req, 'customers.phone.full'));
    },
  );

  app.get(
    '/followup-rules',
    {
      config: { permission: 'followups.read' },
      schema: { tags, summary: '回访规则', response: { 200: z.object({ items: z.array(ZRule) }), ...errorResponses } },
    },
    async (req) => {
      const rows = await db
        .select()
        .from(followupRules)
        .where(eq(followupRules.tenantId, authOf(req).tenantId))
        .orderBy(asc(followupRules.createdAt));
      return { items: rows.map(toRule) };
    },
  );

  const ZRuleBody = ZRuleInput.superRefine((rule, context) => {
    if (rule.trigger !== 'treatment' && (rule.itemIds.length > 0 || rule.categoryIds.length > 0)) {
      context.addIssue({ code: 'custom', path: ['itemIds'], message: '只有治疗后回访可以限定品项' });
    }
  });

  app.post(
    '/followup-rules',
    {
      config: { permission: 'followups.manage' },
      schema: {
        tags,
        summary: 'A rule that creates follow-ups from today on (tasks appear within minutes)',
        body: ZRuleBody,
        response: { 201: ZRule, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(followupRules)
          .values({ tenantId: ctx.tenantId, id: newId(), ...req.body, startsOn: businessDate(ctx.now, ctx.timezone), createdAt: ctx.now, updatedAt: ctx.now })
          .returning();
        await writeAudit(tx, ctx.actor, { action: 'followups.rule_create', entityType: 'followup_rule', entityId: created?.id, after: req.body });
        await createDueTasks(tx, ctx.now, ctx.tenantId);
        return created as RuleRow;
      });
      return reply.code(201).send(toRule(row));
    },
  );

  app.put(
    '/followup-rules/:id',
    {
      config: { permission: 'followups.manage' },
      schema: { tags, summary: 'Change a rule (tasks already made stay)', params: ZIdParams, body: ZRuleBody, response: { 200: ZRule, ...errorResponses } },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return db.transaction(async (tx) => {
        const [before] = await tx
          .select()
          .from(followupRules)
          .where(and(eq(followupRules.tenantId, ctx.tenantId), eq(followupRules.id, req.params.id)))
          .for('update');
        if (!before) throw new DomainError('not_found', 'FOLLOWUP_RULE_NOT_FOUND', '回访规则不存在');
        const [row] = await tx
          .update(followupRules)
          .set({ ...req.body, updatedAt: ctx.now })
          .where(and(eq(followupRules.tenantId, ctx.tenantId), eq(followupRules.id, req.params.id)))
          .returning();
        await writeAudit(tx, ctx.actor, {
          action: 'followups.rule_update',
          entityType: 'followup_rule',
          entityId: req.params.id,
          before: toRule(before),
          after: req.body,
        });
        return toRule(row as RuleRow);
      });
    },
  );

  app.get(
    '/followup-relationship',
    {
      config: { permission: 'reports.read' },
      schema: {
        tags,
        summary:
          '关系维护 (seed 001): per consultant, her high-value customers (paid at least minSpendFen in 12 months) and how many she contacted in the month (a follow-up she recorded as reached, booked or declined)',
        querystring: z.strictObject({
          month: z
            .string()
            .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 YYYY-MM')
            .optional(),
          minSpendFen: z.coerce.number().int().min(0).max(100_000_000).default(1_000_000),
        }),
        response: {
          200: z.object({
            month: z.string(),
            minSpendFen: z.number().int(),
            staff: z.array(
              z.object({ staffId: z.uuid(), name: z.string(), customers: z.number().int(), contacted: z.number().int(), compliancePercent: z.number() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const month = req.query.month ?? ctx.today.slice(0, 7);
      const first = `${month}-01`;
      const next = addDays(first, 32).slice(0, 7);
      const monthStart = startOfBusinessDay(first, ctx.timezone, ctx.dayStart);
      const monthEnd = startOfBusinessDay(`${next}-01`, ctx.timezone, ctx.dayStart);
      const yearAgo = addDays(`${next}-01`, -365);
      const rows = await queryRows<{ staff_id: string; name: string; customers: number; contacted: number }>(
        db,
        sql`with valued as (
              select c.id, c.consultant_id from ${customers} c
              where c.tenant_id = ${ctx.tenantId} and c.consultant_id is not null
                and ${paidSinceExpression(ctx.tenantId, sql`c.id`, yearAgo)} >= ${req.query.minSpendFen}
            )
            select s.id as staff_id, s.display_name as name, count(*)::int as customers,
                   (count(*) filter (where exists (
                      select 1 from ${followupTasks} f
                      where f.tenant_id = ${ctx.tenantId} and f.customer_id = v.id and f.status = 'done' and f.done_by = v.consultant_id
                        and f.outcome in ('reached', 'booked', 'declined') and f.done_at >= ${monthStart} and f.done_at < ${monthEnd})))::int as contacted
            from valued v join ${staffUsers} s on s.tenant_id = ${ctx.tenantId} and s.id = v.consultant_id
            group by s.id, s.display_name
            order by s.display_name`,
      );
      return {
        month,
        minSpendFen: req.query.minSpendFen,
        staff: rows.map((row) => ({
          staffId: row.staff_id,
          name: row.name,
          customers: row.customers,
          contacted: row.contacted,
          compliancePercent: row.customers === 0 ? 100 : Math.round((row.contacted / row.customers) * 1000) / 10,
        })),
      };
    },
  );
};
