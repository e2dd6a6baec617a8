import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { businessDate } from '../../platform/clock.js';
import { enqueue } from '../../platform/outbox.js';
import { tenants } from '../tenants/tables.js';
import { pointsLots } from './tables.js';

/** Days before expiry at which a customer is reminded (SPEC §6: reminders N days before expiry). */
export const reminderDaysBefore = [30, 7] as const;

/**
 * Queues a reminder per customer and expiry day for points expiring within each horizon; the
 * dedupe key (customer, expiry day, horizon) makes the sweep safe to run every hour. The
 * messaging module delivers them through the customer's channel; until then they wait, visible.
 */
export const queueExpiryReminders = async (tx: Executor, now: Date): Promise<number> => {
  let queued = 0;
  for (const daysBefore of reminderDaysBefore) {
    const horizon = new Date(now.getTime() + daysBefore * 86_400_000);
    const due = await queryRows<{ tenant_id: string; customer_id: string; timezone: string; expires_on: string; points: number }>(
      tx,
      sql`select l.tenant_id, l.customer_id, t.timezone, ((l.expires_at at time zone t.timezone)::date)::text as expires_on, sum(l.remaining)::bigint as points
          from ${pointsLots} l join ${tenants} t on t.id = l.tenant_id
          where l.expired_at is null and l.remaining > 0 and l.expires_at > ${now.toISOString()}::timestamptz and l.expires_at <= ${horizon.toISOString()}::timestamptz
          group by l.tenant_id, l.customer_id, t.timezone, expires_on`,
    );
    for (const row of due) {
      const isNew = await enqueue(
        tx,
        row.tenant_id,
        {
          channel: 'portal',
          topic: 'points.expiring',
          customerId: row.customer_id,
          payload: { points: Number(row.points), expiresOn: row.expires_on, daysBefore, queuedOn: businessDate(now, row.timezone) },
          dedupeKey: `points-expiring:${row.customer_id}:${row.expires_on}:${daysBefore}`,
          sendAfter: now,
        },
        now,
      );
      if (isNew) queued++;
    }
  }
  return queued;
};
