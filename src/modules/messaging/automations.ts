import { eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, queryRows } from '../../db/client.js';
import { addDays, type BusinessDate, businessDate, daysBetween, startOfBusinessDay } from '../../platform/clock.js';
import { ZTimestamp } from '../../platform/http.js';
import { enqueue, outbox } from '../../platform/outbox.js';
import { items } from '../catalog/index.js';
import { birthdayWithinCondition, customers } from '../customers/index.js';
import { courseItems, deductions } from '../orders/index.js';
import { defineSetting, getSetting } from '../settings/index.js';
import { stores, tenants } from '../tenants/index.js';
import { appointments } from '../visits/index.js';
import { ZClock } from './settings.js';

/** One message of a care series: this many days after the 划扣 (0: the same day), its advice. */
const ZCareStep = z.strictObject({ days: z.number().int().min(0).max(365), text: z.string().trim().min(1).max(200) });

/**
 * 术后护理: after a 划扣 of one of its items or of an item in one of its categories, care advice
 * on each step's day at `sendAt` in the clinic's time zone. The id is the series' own (kept while
 * it is edited), so each message is queued once per series, 划扣 and step.
 */
const ZCareSeries = z
  .strictObject({
    id: z.uuid(),
    name: z.string().trim().min(1).max(40),
    isOn: z.boolean(),
    itemIds: z.array(z.uuid()).max(50),
    categoryIds: z.array(z.uuid()).max(50),
    sendAt: ZClock,
    steps: z.array(ZCareStep).min(1).max(10),
  })
  .superRefine((value, context) => {
    if (value.itemIds.length === 0 && value.categoryIds.length === 0) {
      context.addIssue({ code: 'custom', path: ['itemIds'], message: '请选择至少一个品项或分类' });
    }
    const days = value.steps.map((step) => step.days);
    days.forEach((day, index) => {
      if (days.indexOf(day) !== index) context.addIssue({ code: 'custom', path: ['steps', index, 'days'], message: '同一天只能有一条消息' });
    });
  });

export type CareSeries = z.infer<typeof ZCareSeries>;

/**
 * 自动消息 (SPEC §14): messages Yuehui queues by itself — the appointment reminder the day before,
 * the birthday greeting, the wake-up call to sleeping members, the welcome to new ones and the
 * care series after treatments. Each is switched on or off per clinic with its timing; the hourly
 * sweep queues them in the outbox, and the dispatcher sends them through the same rules (consent,
 * hours, caps) as every other message.
 */
export const ZMessageAutomations = z
  .strictObject({
    appointmentReminder: z.strictObject({ isOn: z.boolean(), sendAt: ZClock }),
    birthday: z.strictObject({ isOn: z.boolean(), sendAt: ZClock }),
    /** A sleeping member hears from the clinic at most once in this many days. */
    wakeup: z.strictObject({ isOn: z.boolean(), everyDays: z.number().int().min(30).max(365) }),
    /** onSince: when it was switched on (kept by the server), so members from before are not welcomed late. */
    welcome: z.strictObject({ isOn: z.boolean(), onSince: ZTimestamp.nullable() }),
    careSeries: z.array(ZCareSeries).max(20),
  })
  .superRefine((value, context) => {
    const ids = value.careSeries.map((series) => series.id);
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) context.addIssue({ code: 'custom', path: ['careSeries', index, 'id'], message: '系列重复' });
    });
  })
  .meta({ id: 'MessageAutomations' });

export type MessageAutomations = z.infer<typeof ZMessageAutomations>;

export const automationsSetting = defineSetting<MessageAutomations>({
  key: 'message_automations',
  schema: ZMessageAutomations,
  defaults: {
    appointmentReminder: { isOn: true, sendAt: '10:00' },
    birthday: { isOn: false, sendAt: '10:00' },
    wakeup: { isOn: false, everyDays: 90 },
    welcome: { isOn: true, onSince: null },
    careSeries: [],
  },
  label: '自动消息',
});

/** The automations and the topic each one sends. */
export const automationTopics = {
  appointmentReminder: 'appointments.reminder',
  birthday: 'customers.birthday',
  wakeup: 'customers.wakeup',
  welcome: 'customers.welcome',
  careSeries: 'treatments.care',
} as const satisfies Record<keyof MessageAutomations, string>;

/**
 * Care advice goes as a notice (no marketing consent asked: it is about a treatment she had), so
 * its text must not sell: promotion words are refused, as well as the advertising law's words.
 */
const promotionWords = /优惠|折扣|打折|特价|促销|活动价|限时|抢购|秒杀|代金券|优惠券|返现|满减|赠送|免费送|充值|储值|办卡|套餐价|团购|拼团|下单|购买/g;

export const promotionWordsIn = (text: string): string[] => [...new Set(text.match(promotionWords) ?? [])];

/** The welcome's start as saved: set when switched on, cleared when off, kept while it stays on. */
export const withWelcomeStart = (value: MessageAutomations, now: Date): MessageAutomations => {
  const onSince = value.welcome.isOn ? (value.welcome.onSince ?? now.toISOString()) : null;
  return { ...value, welcome: { ...value.welcome, onSince } };
};

/** A welcome more than a week late is no welcome: customers from before are left alone after an outage. */
const welcomeLookbackMs = 7 * 86_400_000;
/** Never switched on explicitly (the default): customers of the last day only. */
const welcomeDefaultLookbackMs = 86_400_000;

type TenantRow = { id: string; timezone: string };
type Queued = Record<keyof MessageAutomations, number>;

const careKey = (seriesId: string, deductionId: string, days: number) => `care:${seriesId}:${deductionId}:${days}`;

/** The instant a local clock time (HH:MM) falls on a date in the clinic's time zone. */
const atLocalTime = (date: BusinessDate, time: string, timezone: string): Date => startOfBusinessDay(date, timezone, time);

/** Later of the two: a time already past is now. */
const notBefore = (instant: Date, now: Date) => (instant < now ? now : instant);

/**
 * A reminder still waiting for an appointment that was cancelled or moved (or all of them, once the
 * automation is off) is withdrawn and its key freed, so a moved appointment is reminded of its new time.
 */
const withdrawStaleReminders = async (tx: Executor, tenant: TenantRow, isOn: boolean) =>
  queryRows(
    tx,
    sql`update ${outbox} o set status = 'cancelled', dedupe_key = o.dedupe_key || ':withdrawn:' || o.id::text
        where o.tenant_id = ${tenant.id} and o.topic = ${automationTopics.appointmentReminder} and o.status = 'queued'
          and (${!isOn} or not exists (
            select 1 from ${appointments} a where a.tenant_id = o.tenant_id and a.id = (o.payload ->> 'appointmentId')::uuid
              and a.status = 'booked' and a.starts_at = (o.payload ->> 'startsAt')::timestamptz))
        returning o.id`,
  );

/**
 * Reminders for tomorrow's booked appointments (the clinic's calendar day, whatever its business
 * day start), sent at the configured time today, once per appointment.
 */
const queueAppointmentReminders = async (tx: Executor, tenant: TenantRow, sendAt: string, today: BusinessDate, now: Date) => {
  const tomorrow = addDays(today, 1);
  const from = startOfBusinessDay(tomorrow, tenant.timezone);
  const to = startOfBusinessDay(addDays(tomorrow, 1), tenant.timezone);
  const due = await queryRows<{ id: string; customer_id: string; starts_at: string; starts_at_local: string; store_name: string }>(
    tx,
    sql`select a.id, a.customer_id, to_char(a.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as starts_at,
               to_char(a.starts_at at time zone ${tenant.timezone}, 'YYYY-MM-DD"T"HH24:MI') as starts_at_local, s.name as store_name
        from ${appointments} a join ${stores} s on s.tenant_id = a.tenant_id and s.id = a.store_id
        where a.tenant_id = ${tenant.id} and a.status = 'booked'
          and a.starts_at >= ${from.toISOString()}::timestamptz and a.starts_at < ${to.toISOString()}::timestamptz
          and not exists (select 1 from ${outbox} o where o.tenant_id = a.tenant_id and o.dedupe_key = 'appointment-reminder:' || a.id::text)`,
  );
  const sendAfter = notBefore(atLocalTime(today, sendAt, tenant.timezone), now);
  let queued = 0;
  for (const row of due) {
    const payload = { appointmentId: row.id, startsAt: row.starts_at, startsAtLocal: row.starts_at_local, storeName: row.store_name };
    const message = { channel: 'portal', topic: automationTopics.appointmentReminder, customerId: row.customer_id, payload, sendAfter };
    if (await enqueue(tx, tenant.id, { ...message, dedupeKey: `appointment-reminder:${row.id}` }, now)) queued++;
  }
  return queued;
};

/**
 * Greetings on the birthday itself: solar birthdays by month and day (29 February on the 28th in
 * other years), lunar ones on the solar day this year's lunar birthday falls on. Once a year.
 */
const queueBirthdays = async (tx: Executor, tenant: TenantRow, sendAt: string, today: BusinessDate, now: Date) => {
  const year = today.slice(0, 4);
  const due = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(
      sql`${customers.tenantId} = ${tenant.id} and ${birthdayWithinCondition(today, 1)}
          and not exists (select 1 from ${outbox} o where o.tenant_id = ${customers.tenantId} and o.dedupe_key = 'birthday:' || ${customers.id}::text || ':' || ${year})`,
    );
  const sendAfter = notBefore(atLocalTime(today, sendAt, tenant.timezone), now);
  let queued = 0;
  for (const row of due) {
    const message = { channel: 'portal', topic: automationTopics.birthday, customerId: row.id, payload: { birthday: today }, sendAfter };
    if (await enqueue(tx, tenant.id, { ...message, dedupeKey: `birthday:${row.id}:${year}` }, now)) queued++;
  }
  return queued;
};

/**
 * 沉睡唤醒: members the activity sweep marks sleeping, at most once in `everyDays` days. The key
 * names the period (fixed windows of `everyDays` from 1970-01-01) and the look-back keeps two calls
 * across a window's edge apart; marketing hours and the weekly cap hold them at sending.
 */
const queueWakeups = async (tx: Executor, tenant: TenantRow, everyDays: number, today: BusinessDate, now: Date) => {
  const period = addDays('1970-01-01', Math.floor(daysBetween('1970-01-01', today) / everyDays) * everyDays);
  const since = new Date(now.getTime() - everyDays * 86_400_000);
  const due = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(
      sql`${customers.tenantId} = ${tenant.id} and ${customers.activity} = 'sleeping'
          and not exists (select 1 from ${outbox} o where o.tenant_id = ${customers.tenantId} and o.customer_id = ${customers.id}
                            and o.topic = ${automationTopics.wakeup} and o.created_at > ${since.toISOString()}::timestamptz)`,
    );
  let queued = 0;
  for (const row of due) {
    const message = { channel: 'portal', topic: automationTopics.wakeup, customerId: row.id, payload: { period }, sendAfter: now };
    if (await enqueue(tx, tenant.id, { ...message, dedupeKey: `wakeup:${row.id}:${period}` }, now)) queued++;
  }
  return queued;
};

/** A welcome to each customer created since the automation was switched on, once. */
const queueWelcomes = async (tx: Executor, tenant: TenantRow, onSince: string | null, now: Date) => {
  const start = onSince ? new Date(onSince) : new Date(now.getTime() - welcomeDefaultLookbackMs);
  const since = new Date(Math.max(start.getTime(), now.getTime() - welcomeLookbackMs));
  const due = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(
      sql`${customers.tenantId} = ${tenant.id} and ${customers.createdAt} >= ${since.toISOString()}::timestamptz
          and ${customers.createdAt} <= ${now.toISOString()}::timestamptz
          and not exists (select 1 from ${outbox} o where o.tenant_id = ${customers.tenantId} and o.dedupe_key = 'welcome:' || ${customers.id}::text)`,
    );
  let queued = 0;
  for (const row of due) {
    const message = { channel: 'portal', topic: automationTopics.welcome, customerId: row.id, payload: {}, sendAfter: now };
    if (await enqueue(tx, tenant.id, { ...message, dedupeKey: `welcome:${row.id}` }, now)) queued++;
  }
  return queued;
};

/**
 * A care message still waiting whose 划扣 was reversed since, or whose series was switched off or
 * removed, is withdrawn and its key freed (switched on again, it is queued again if still due).
 */
const withdrawStaleCare = async (tx: Executor, tenant: TenantRow, series: readonly CareSeries[]) => {
  const on = series.filter((entry) => entry.isOn).map((entry) => sql`${entry.id}`);
  const isOn = on.length > 0 ? sql`(o.payload ->> 'seriesId') in (${sql.join(on, sql`, `)})` : sql`false`;
  return queryRows(
    tx,
    sql`update ${outbox} o set status = 'cancelled', dedupe_key = o.dedupe_key || ':withdrawn:' || o.id::text
        where o.tenant_id = ${tenant.id} and o.topic = ${automationTopics.careSeries} and o.status = 'queued'
          and (not (${isOn}) or exists (
            select 1 from ${deductions} r where r.tenant_id = o.tenant_id and r.reverses_id = (o.payload ->> 'deductionId')::uuid))
        returning o.id`,
  );
};

/**
 * 术后护理: for each switched-on series and step, the 划扣 of its items or categories made `days`
 * before today (the clinic's calendar day), not reversed, get the step's advice at the series'
 * time today — once per series, 划扣 and step. A day missed (the server was off) is not sent late.
 */
const queueCareSeries = async (tx: Executor, tenant: TenantRow, series: readonly CareSeries[], today: BusinessDate, now: Date) => {
  let queued = 0;
  for (const entry of series.filter((candidate) => candidate.isOn)) {
    const matches: SQL[] = [
      ...(entry.itemIds.length > 0
        ? [
            sql`ci.item_id in (${sql.join(
              entry.itemIds.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`,
          ]
        : []),
      ...(entry.categoryIds.length > 0
        ? [
            sql`i.category_id in (${sql.join(
              entry.categoryIds.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`,
          ]
        : []),
    ];
    if (matches.length === 0) continue;
    const sendAfter = notBefore(atLocalTime(today, entry.sendAt, tenant.timezone), now);
    for (const step of entry.steps) {
      const treatedOn = addDays(today, -step.days);
      const due = await queryRows<{ id: string; customer_id: string; item_name: string }>(
        tx,
        sql`select d.id, d.customer_id, ci.name as item_name
            from ${deductions} d
            join ${courseItems} ci on ci.tenant_id = d.tenant_id and ci.id = d.course_item_id
            join ${items} i on i.tenant_id = ci.tenant_id and i.id = ci.item_id
            where d.tenant_id = ${tenant.id} and d.business_date = ${treatedOn}::date and d.reverses_id is null
              and (${sql.join(matches, sql` or `)})
              and not exists (select 1 from ${deductions} r where r.tenant_id = d.tenant_id and r.reverses_id = d.id)
              and not exists (select 1 from ${outbox} o where o.tenant_id = d.tenant_id
                                and o.dedupe_key = 'care:' || ${entry.id} || ':' || d.id::text || ':' || ${String(step.days)})`,
      );
      for (const row of due) {
        const payload = { seriesId: entry.id, deductionId: row.id, days: step.days, treatedOn, itemName: row.item_name, text: step.text };
        const message = { channel: 'portal', topic: automationTopics.careSeries, customerId: row.customer_id, payload, sendAfter };
        if (await enqueue(tx, tenant.id, { ...message, dedupeKey: careKey(entry.id, row.id, step.days) }, now)) queued++;
      }
    }
  }
  return queued;
};

/** The care series alone for one clinic at `now` (the demo's history uses it day by day). */
export const queueCareMessages = async (tx: Executor, now: Date, tenantId: string): Promise<number> => {
  const [tenant] = await tx.select({ id: tenants.id, timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) return 0;
  const settings = await getSetting(tx, tenant.id, automationsSetting);
  await withdrawStaleCare(tx, tenant, settings.careSeries);
  return queueCareSeries(tx, tenant, settings.careSeries, businessDate(now, tenant.timezone), now);
};

/**
 * Queues what each clinic's switched-on automations owe at `now`, per tenant on its own calendar
 * day. Every message has a dedupe key and every query skips the keys already queued, so the
 * hourly sweep (or two of them) queues each message once. Returns how many were queued, by automation.
 */
export const queueAutomations = async (tx: Executor, now: Date, tenantId?: string): Promise<Queued> => {
  const rows = await tx
    .select({ id: tenants.id, timezone: tenants.timezone })
    .from(tenants)
    .where(tenantId ? eq(tenants.id, tenantId) : undefined);
  const queued: Queued = { appointmentReminder: 0, birthday: 0, wakeup: 0, welcome: 0, careSeries: 0 };
  for (const tenant of rows) {
    const settings = await getSetting(tx, tenant.id, automationsSetting);
    // The calendar day, not the business day: 「明天」 on a reminder is the date on the wall.
    const today = businessDate(now, tenant.timezone);
    await withdrawStaleReminders(tx, tenant, settings.appointmentReminder.isOn);
    if (settings.appointmentReminder.isOn) {
      queued.appointmentReminder += await queueAppointmentReminders(tx, tenant, settings.appointmentReminder.sendAt, today, now);
    }
    if (settings.birthday.isOn) queued.birthday += await queueBirthdays(tx, tenant, settings.birthday.sendAt, today, now);
    if (settings.wakeup.isOn) queued.wakeup += await queueWakeups(tx, tenant, settings.wakeup.everyDays, today, now);
    if (settings.welcome.isOn) queued.welcome += await queueWelcomes(tx, tenant, settings.welcome.onSince, now);
    await withdrawStaleCare(tx, tenant, settings.careSeries);
    queued.careSeries += await queueCareSeries(tx, tenant, settings.careSeries, today, now);
  }
  return queued;
};
