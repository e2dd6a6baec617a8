import { eq, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { businessDate } from '../../platform/clock.js';
import { enqueue } from '../../platform/outbox.js';
import { getSetting } from '../settings/index.js';
import { tenants } from '../tenants/index.js';
import { voucherDistributionSetting } from './distribution-settings.js';
import { customerVouchers } from './tables.js';

export const voucherReminderTopic = 'vouchers.expiring';

/**
 * 到期提醒 (SPEC §10): one message per customer and last day for her unused vouchers ending
 * within each of the tenant's reminder horizons (3 days by default). The dedupe key (customer,
 * last day, horizon) makes the hourly sweep safe; the messaging module delivers them through the
 * customer's channel, and the statistics count them and the vouchers used after them.
 */
export const queueVoucherExpiryReminders = async (tx: Executor, now: Date, tenantId?: string): Promise<number> => {
  const rows = await tx
    .select({ id: tenants.id })
    .from(tenants)
    .where(tenantId ? eq(tenants.id, tenantId) : undefined);
  // One query per distinct horizon, not per tenant: most tenants keep the default days.
  const tenantsByDays = new Map<number, string[]>();
  for (const tenant of rows) {
    const { reminderDaysBefore } = await getSetting(tx, tenant.id, voucherDistributionSetting);
    for (const days of new Set(reminderDaysBefore)) tenantsByDays.set(days, [...(tenantsByDays.get(days) ?? []), tenant.id]);
  }
  let queued = 0;
  for (const [daysBefore, tenantIds] of tenantsByDays) {
    const due = await queryRows<{ tenant_id: string; customer_id: string; timezone: string; valid_to: string; ids: string[]; titles: string[] }>(
      tx,
      sql`select v.tenant_id, v.customer_id, t.timezone, v.valid_to::text as valid_to,
                 array_agg(v.id::text order by v.id) as ids, array_agg(v.snapshot ->> 'title' order by v.id) as titles
          from ${customerVouchers} v join ${tenants} t on t.id = v.tenant_id
          where v.tenant_id = any(${`{${tenantIds.join(',')}}`}::uuid[]) and v.status = 'available'
            and v.valid_to >= (${now.toISOString()}::timestamptz at time zone t.timezone)::date
            and v.valid_to <= (${now.toISOString()}::timestamptz at time zone t.timezone)::date + ${daysBefore}::int
          group by v.tenant_id, v.customer_id, t.timezone, v.valid_to`,
    );
    for (const row of due) {
      const isNew = await enqueue(
        tx,
        row.tenant_id,
        {
          channel: 'portal',
          topic: voucherReminderTopic,
          customerId: row.customer_id,
          payload: {
            voucherIds: row.ids,
            titles: row.titles,
            count: row.ids.length,
            expiresOn: row.valid_to,
            daysBefore,
            queuedOn: businessDate(now, row.timezone),
          },
          dedupeKey: `vouchers-expiring:${row.customer_id}:${row.valid_to}:${daysBefore}`,
          sendAfter: now,
        },
        now,
      );
      if (isNew) queued++;
    }
  }
  return queued;
};
