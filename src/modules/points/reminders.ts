import { eq, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { businessDate } from '../../platform/clock.js';
import { enqueue } from '../../platform/outbox.js';
import { getSetting } from '../settings/index.js';
import { tenants } from '../tenants/index.js';
import { pointsSettingsSetting } from './settings.js';
import { pointsLots } from './tables.js';

/**
 * Queues a reminder per customer and expiry day for points expiring within each of the tenant's
 * reminder horizons (SPEC §6: reminders N days before expiry, N per tenant). The dedupe key
 * (customer, expiry day, horizon) makes the sweep safe to run every hour. The messaging module
 * delivers them through the customer's channel; until then they wait, visible.
 */
export const queueExpiryReminders = async (tx: Executor, now: Date, tenantId?: string): Promise<number> => {
  const rows = await tx
    .select({ id: tenants.id })
    .from(tenants)
    .where(tenantId ? eq(tenants.id, tenantId) : undefined);
  // One query per distinct horizon, not per tenant: most tenants keep the default days.
  const tenantsByDays = new Map<number, string[]>();
  for (const tenant of rows) {
    const { reminders } = await getSetting(tx, tenant.id, pointsSettingsSetting);
    for (const days of new Set(reminders.daysBefore)) tenantsByDays.set(days, [...(tenantsByDays.get(days) ?? []), tenant.id]);
  }
  let queued = 0;
  for (const [daysBefore, tenantIds] of tenantsByDays) {
    const horizon = new Date(now.getTime() + daysBefore * 86_400_000);
    const due = await queryRows<{ tenant_id: string; customer_id: string; timezone: string; expires_on: string; points: number }>(
      tx,
      sql`select l.tenant_id, l.customer_id, t.timezone, ((l.expires_at at time zone t.timezone)::date)::text as expires_on, sum(l.remaining)::bigint as points
          from ${pointsLots} l join ${tenants} t on t.id = l.tenant_id
          where l.tenant_id = any(${`{${tenantIds.join(',')}}`}::uuid[])
            and l.remaining > 0 and l.expires_at > ${now.toISOString()}::timestamptz and l.expires_at <= ${horizon.toISOString()}::timestamptz
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
