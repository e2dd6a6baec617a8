import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Executor, queryRows } from '../../db/client.js';
import { addDays, type BusinessDate, businessDate, daysBetween, startOfBusinessDay } from '../../platform/clock.js';
import { ZTimestamp } from '../../platform/http.js';
import { enqueue, outbox } from '../../platform/outbox.js';
import { birthdayWithinCondition, customers } from '../customers/index.js';
import { defineSetting, getSetting } from '../settings/index.js';
import { stores, tenants } from '../tenants/index.js';
import { appointments } from '../visits/index.js';
import { ZClock } from './settings.js';

/**
 * 自动消息 (SPEC §14): messages Yuehui queues by itself — the appointment reminder the day before,
 * the birthday greeting, the wake-up call to sleeping members and the welcome to new ones. Each is
 * switched on or off per clinic with its timing; the hourly sweep queues them in the outbox, and
 * the dispatcher sends them through the same rules (consent, hours, caps) as every other message.
 */
export const ZMessageAutomations = z
  .strictObject({
    appointmentReminder: z.strictObject({ isOn: z.boolean(), sendAt: ZClock }),
    birthday: z.strictObject({ isOn: z.boolean(), sendAt: ZClock }),
    /** A sleeping member hears from the clinic at most once in this many days. */
    wakeup: z.strictObject({ isOn: z.boolean(), everyDays: z.number().int().min(30).max(365) }),
    /** onSince: when it was switched on (kept by the server), so members from before are not welcomed late. */
    welcome: z.strictObject({ isOn: z.boolean(), onSince: ZTimestamp.nullable() }),
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
  },
  label: '自动消息',
});

/** The automations and the topic each one sends. */
export const automationTopics = {
  appointmentReminder: 'appointments.reminder',
  birthday: 'customers.birthday',
  wakeup: 'customers.wakeup',
  welcome: 'customers.welcome',
} as const satisfies Record<keyof MessageAutomations, string>;

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
 * Queues what each clinic's switched-on automations owe at `now`, per tenant on its own calendar
 * day. Every message has a dedupe key and every query skips the keys already queued, so the
 * hourly sweep (or two of them) queues each message once. Returns how many were queued, by automation.
 */
export const queueAutomations = async (tx: Executor, now: Date, tenantId?: string): Promise<Queued> => {
  const rows = await tx
    .select({ id: tenants.id, timezone: tenants.timezone })
    .from(tenants)
    .where(tenantId ? eq(tenants.id, tenantId) : undefined);
  const queued: Queued = { appointmentReminder: 0, birthday: 0, wakeup: 0, welcome: 0 };
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
  }
  return queued;
};
