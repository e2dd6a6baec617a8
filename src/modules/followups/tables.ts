import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/index.js';
import { tenants } from '../tenants/index.js';

/**
 * 回访规则: what creates follow-up tasks — a treatment of some items or categories (due 1, 7, 30 …
 * days after), a 复诊 without a deal, a sleeping member — with whom the task goes to, by which
 * channel, and the script (话术) the caller reads.
 */
export const followupRules = pgTable(
  'followup_rules',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    /** treatment | return_no_deal | sleeping */
    trigger: text('trigger').notNull(),
    /** treatment: the items and categories it covers; both empty: every service. */
    itemIds: uuid('item_ids').array().notNull().default(sql`'{}'::uuid[]`),
    categoryIds: uuid('category_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** Days after the treatment or visit a task is due (sleeping: how often, the first entry). */
    offsetsDays: integer('offsets_days').array().notNull(),
    /** consultant | executor | pool */
    assignee: text('assignee').notNull(),
    /** call | wechat | sms */
    channel: text('channel').notNull(),
    script: text('script').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    /** Treatments and visits from this business date on create tasks (never the years before the rule). */
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'followup_rules_pkey', columns: [t.tenantId, t.id] })],
);

/** 回访任务: one contact to make, due on a day, with its outcome once made. */
export const followupTasks = pgTable(
  'followup_tasks',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    ruleId: uuid('rule_id'),
    /** The call campaign (呼叫活动) it is part of, if any. */
    campaignId: uuid('campaign_id'),
    /** What created it (rule, treatment, offset): a rule run twice creates nothing new. */
    sourceKey: text('source_key').notNull(),
    /** care (after a treatment or visit) | wakeup | manual | campaign */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    script: text('script'),
    channel: text('channel').notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    storeId: uuid('store_id'),
    /** null: the clinic's pool, for whoever takes it. */
    assigneeId: uuid('assignee_id'),
    /** open | done | cancelled (its campaign was cancelled before the call) */
    status: text('status').notNull().default('open'),
    /** reached | no_answer | booked | declined | wrong_number */
    outcome: text('outcome'),
    note: text('note'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneBy: uuid('done_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'followup_tasks_pkey', columns: [t.tenantId, t.id] }),
    unique('followup_tasks_source_key').on(t.tenantId, t.sourceKey),
    foreignKey({ name: 'followup_tasks_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('followup_tasks_due_idx').on(t.tenantId, t.status, t.dueDate),
    index('followup_tasks_customer_idx').on(t.tenantId, t.customerId),
    index('followup_tasks_assignee_idx').on(t.tenantId, t.assigneeId, t.status),
    index('followup_tasks_campaign_idx').on(t.tenantId, t.campaignId, t.status),
  ],
);

/**
 * 呼叫活动: a filter's customers, best first by what they paid, split among callers as follow-up
 * tasks (one per customer, `source_key` campaign:<id>:<customer>), with a goal of customers reached.
 */
export const followupCampaigns = pgTable(
  'followup_campaigns',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    /** The vouchers module's stored audience (chosen customers or a filter, resolved when the tasks are made). */
    audience: jsonb('audience').notNull(),
    /** Only the first N customers by value get a task (null: all of them). */
    maxCount: integer('max_count'),
    /** Customers to reach (reached or booked). */
    goal: integer('goal').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    /** The callers, in the order tasks are dealt to them. */
    staffIds: uuid('staff_ids').array().notNull(),
    /** call | wechat | sms */
    channel: text('channel').notNull(),
    script: text('script').notNull(),
    /** running | done (every task has its outcome) | cancelled */
    status: text('status').notNull().default('running'),
    /** The background job that makes the tasks. */
    jobId: uuid('job_id'),
    /** When the job had made every task (null while it runs). */
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ name: 'followup_campaigns_pkey', columns: [t.tenantId, t.id] }), index('followup_campaigns_created_idx').on(t.tenantId, t.createdAt)],
);
