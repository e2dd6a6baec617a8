import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { itemCategories } from '../modules/catalog/index.js';
import {
  automationsSetting,
  createCampaign,
  deliverQueuedPortal,
  dispatchDueEvents,
  messages,
  queueCareMessages,
  runMessageCampaignJobStep,
  saveConsents,
} from '../modules/messaging/index.js';
import { getSetting, putSetting } from '../modules/settings/index.js';
import { type Actor, systemActor } from '../platform/audit.js';
import { addDays, businessDate, startOfBusinessDay } from '../platform/clock.js';
import { makeCtx } from '../platform/context.js';
import { newId } from '../platform/ids.js';
import { runJobInline } from '../platform/jobs.js';

/**
 * The demo clinic's marketing consent: three in five members accept messages in the member
 * portal, one in five also by SMS; the rest never said yes, so the message log shows marketing
 * stopped for want of consent. By position, so the rest of the demo's random data stays as it was.
 */
export const seedDemoConsents = async (tx: Tx, input: { tenantId: string; customers: readonly { id: string }[]; now: Date }) => {
  const actor = systemActor(input.tenantId);
  for (const [index, customer] of input.customers.entries()) {
    if (index % 5 >= 3) continue;
    await saveConsents(tx, actor, customer.id, { portal: true, sms: index % 5 === 0 }, 'staff', input.now);
  }
};

/**
 * The demo clinic's 群发: 「十二月护肤季」 sent to every member twelve days ago at 10:00 (to the
 * inbox of those who agreed; the others stopped by the rules, as the campaign's results show), some
 * of it read, and the orders that followed within a week counted; and a monthly 会员日 message
 * that goes by itself on the 8th.
 */
export const seedDemoCampaigns = async (tx: Tx, input: { tenantId: string; timezone: string; ownerId: string | null; now: Date }) => {
  const actor: Actor = input.ownerId ? { tenantId: input.tenantId, type: 'staff', id: input.ownerId } : systemActor(input.tenantId);
  const sentAt = startOfBusinessDay(addDays(businessDate(input.now, input.timezone), -12), input.timezone, '10:00');
  const noSms = { smsSender: () => undefined };
  const { campaign } = await createCampaign(tx, makeCtx(actor, sentAt, input.timezone), noSms, {
    name: '十二月护肤季',
    channel: 'portal',
    audience: { kind: 'filter', filter: {} },
    title: '十二月护肤季开始啦',
    body: '{姓名}您好，{诊所}十二月护肤季已开始，补水、清洁类项目欢迎预约到店，会员中心可查看您的积分和优惠券。',
    when: { kind: 'now' },
    attributionDays: 7,
  });
  if (campaign.job) await runJobInline(tx, { tenantId: input.tenantId, id: campaign.job.id }, runMessageCampaignJobStep, sentAt);
  await deliverQueuedPortal(tx, sentAt);
  const delivered = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.tenantId, input.tenantId), eq(messages.campaignId, campaign.id), eq(messages.status, 'delivered')))
    .orderBy(asc(messages.id));
  // About two in five opened it within a day or two.
  for (const [index, message] of delivered.entries()) {
    if (index % 5 >= 2) continue;
    await tx
      .update(messages)
      .set({ readAt: new Date(sentAt.getTime() + ((index % 7) + 1) * 3 * 3_600_000) })
      .where(and(eq(messages.tenantId, input.tenantId), eq(messages.id, message.id)));
  }
  await createCampaign(tx, makeCtx(actor, input.now, input.timezone), noSms, {
    name: '每月会员日',
    channel: 'portal',
    audience: { kind: 'filter', filter: { activity: ['active', 'new'] } },
    title: '本月会员日',
    body: '{姓名}您好，每月 8 日是{诊所}会员日，到店可享会员专属礼遇。',
    when: { kind: 'recurring', schedule: { every: 'month', day: 8, at: '10:00' } },
    attributionDays: 7,
  });
};

/**
 * 术后护理 in the demo: one series on — light treatments (光电, e.g. 光子嫩肤), advice on day 1, 3
 * and 7 at 10:00 — and its last week sent day by day as the hourly sweep and the dispatcher would
 * have, so the message log and members' inboxes show it; today's go out once the server runs.
 */
export const seedDemoCareSeries = async (db: Db, input: { tenantId: string; timezone: string; now: Date }) => {
  const [category] = await db
    .select({ id: itemCategories.id })
    .from(itemCategories)
    .where(and(eq(itemCategories.tenantId, input.tenantId), eq(itemCategories.name, '光电')));
  if (!category) return;
  await db.transaction(async (tx) => {
    const current = await getSetting(tx, input.tenantId, automationsSetting);
    await putSetting(tx, systemActor(input.tenantId), automationsSetting, {
      ...current,
      careSeries: [
        {
          id: newId(),
          name: '光电术后护理',
          isOn: true,
          itemIds: [],
          categoryIds: [category.id],
          sendAt: '10:00',
          steps: [
            { days: 1, text: '今天治疗部位可能有轻微泛红，请用温凉水洁面，避免热敷和桑拿。' },
            { days: 3, text: '请坚持保湿，外出注意防晒；如结痂请让其自然脱落。' },
            { days: 7, text: '一周内皮肤逐渐恢复，如有持续不适请联系门店。' },
          ],
        },
      ],
    });
  });
  const today = businessDate(input.now, input.timezone);
  for (let back = 7; back >= 1; back--) {
    const at = startOfBusinessDay(addDays(today, -back), input.timezone, '10:30');
    await db.transaction((tx) => queueCareMessages(tx, at, input.tenantId));
    await dispatchDueEvents(db, { smsSender: () => undefined }, at, 500, { topics: ['treatments.care'] });
  }
};
