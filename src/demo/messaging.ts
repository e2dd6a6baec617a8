import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { itemCategories } from '../modules/catalog/index.js';
import { automationsSetting, dispatchDueEvents, queueCareMessages, saveConsents } from '../modules/messaging/index.js';
import { getSetting, putSetting } from '../modules/settings/index.js';
import { systemActor } from '../platform/audit.js';
import { addDays, businessDate, startOfBusinessDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';

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
