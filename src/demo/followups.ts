import { and, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { itemCategories } from '../modules/catalog/index.js';
import { createDueTasks, followupRules, followupTasks } from '../modules/followups/index.js';
import { addDays, businessDate } from '../platform/clock.js';
import { newId } from '../platform/ids.js';

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
