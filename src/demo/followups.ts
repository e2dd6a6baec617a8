import { and, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { itemCategories } from '../modules/catalog/index.js';
import { createCampaign, createDueTasks, followupRules, followupTasks, runCampaignJobStep } from '../modules/followups/index.js';
import { addDays, businessDate } from '../platform/clock.js';
import { makeCtx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import { runJobInline } from '../platform/jobs.js';

/**
 * The demo clinic's 回访: care calls after injections and light treatments (day 1, 7 and 30, to her
 * consultant), a call two days after a 复诊 without a deal, and sleeping members every 90 days for
 * whoever takes them. Rules count from 60 days back; what fell due before yesterday was made,
 * so the desk sees today's list, a few overdue, and the history on each customer's page.
 */
export const seedDemoFollowups = async (tx: Tx, input: { tenantId: string; timezone: string; now: Date }) => {
  const today = businessDate(input.now, input.timezone);
  const startsOn = addDays(today, -60);
  const care = await tx
    .select({ id: itemCategories.id })
    .from(itemCategories)
    .where(and(eq(itemCategories.tenantId, input.tenantId), sql`${itemCategories.name} in ('注射', '光电')`));
  const rule = (
    values: Pick<typeof followupRules.$inferInsert, 'name' | 'trigger' | 'offsetsDays' | 'assignee' | 'channel' | 'script'> & { categoryIds?: string[] },
  ) => ({
    tenantId: input.tenantId,
    id: newId(),
    itemIds: [],
    categoryIds: [],
    isActive: true,
    startsOn,
    createdAt: input.now,
    updatedAt: input.now,
    ...values,
  });
  await tx.insert(followupRules).values([
    rule({
      name: '注射、光电术后回访',
      trigger: 'treatment',
      categoryIds: care.map((row) => row.id),
      offsetsDays: [1, 7, 30],
      assignee: 'consultant',
      channel: 'call',
      script: '您好，我是您的美学顾问。术后感觉怎么样？有没有红肿或不适？记得做好保湿和防晒。',
    }),
    rule({
      name: '复诊未成交回访',
      trigger: 'return_no_deal',
      offsetsDays: [2],
      assignee: 'consultant',
      channel: 'wechat',
      script: '上次到店聊到的方案，您还有什么顾虑吗？',
    }),
    rule({
      name: '沉睡会员唤醒',
      trigger: 'sleeping',
      offsetsDays: [90],
      assignee: 'pool',
      channel: 'call',
      script: '好久不见，最近店里有新项目体验，欢迎回来坐坐。',
    }),
  ]);
  await createDueTasks(tx, input.now, input.tenantId);
  // The past two months' calls were made: most reached, some not answered.
  await tx
    .update(followupTasks)
    .set({
      status: 'done',
      outcome: sql`case when random() < 0.8 then 'reached' else 'no_answer' end`,
      doneAt: sql`(${followupTasks.dueDate} + time '15:00') at time zone ${input.timezone}`,
      updatedAt: input.now,
    })
    .where(and(eq(followupTasks.tenantId, input.tenantId), lt(followupTasks.dueDate, addDays(today, -1))));
};

/**
 * 呼叫活动 (seed 004): "老客回访 · 12月", started two days ago for the customers who bought more than
 * once, the best 60 by what they paid, shared among the two consultants and the front desk; a good
 * part of the calls are made, the rest wait in each caller's list until the due day.
 */
export const seedDemoCallCampaign = async (tx: Tx, input: { tenantId: string; timezone: string; now: Date; staff: { id: string; role: string }[] }) => {
  const startedAt = new Date(input.now.getTime() - 2 * 86_400_000);
  const callers = [...input.staff.filter((member) => member.role === 'consultant'), ...input.staff.filter((member) => member.role === 'front_desk')];
  const owner = input.staff.find((member) => member.role === 'owner');
  if (callers.length === 0 || !owner) return;
  const ctx = makeCtx({ tenantId: input.tenantId, type: 'staff', id: owner.id }, startedAt, input.timezone);
  const { campaign, job } = await createCampaign(tx, ctx, {
    name: '老客回访 · 12月',
    audience: { kind: 'filter', filter: { dealStatus: 'repeat' } },
    maxCount: 60,
    goal: 40,
    dueOn: addDays(businessDate(input.now, input.timezone), 3),
    staffIds: callers.map((member) => member.id),
    channel: 'call',
    script: '您好，我是悦会医美的顾问。感谢您一直以来的支持，这个月老客回馈有专属护理体验，想邀请您抽空回来坐坐，看看哪天方便？',
  });
  await runJobInline(tx, { tenantId: input.tenantId, id: job.id }, runCampaignJobStep, startedAt);
  // About half of them called over the two days: mostly reached, some booked, a few not.
  await tx
    .update(followupTasks)
    .set({
      status: 'done',
      outcome: sql`(array['reached', 'reached', 'reached', 'booked', 'booked', 'no_answer', 'no_answer', 'declined', 'wrong_number'])[1 + (abs(hashtext(${followupTasks.id}::text)) % 9)]`,
      doneAt: sql`${startedAt}::timestamptz + (abs(hashtext(${followupTasks.customerId}::text)) % 40) * interval '1 hour'`,
      doneBy: sql`${followupTasks.assigneeId}`,
      updatedAt: input.now,
    })
    .where(
      and(
        eq(followupTasks.tenantId, input.tenantId),
        eq(followupTasks.campaignId, campaign.id),
        sql`abs(hashtext(${followupTasks.customerId}::text)) % 100 < 55`,
      ),
    );
};
