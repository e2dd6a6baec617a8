import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import { customers } from '../customers/index.js';
import { getSetting } from '../settings/index.js';
import { periodsEnded, renewTierPeriod } from './evaluate.js';
import { membershipSettingsSetting } from './settings.js';

/**
 * 保级, one batch of one tenant: customers whose tier period ended by today (tenant's time zone)
 * get their tier's retention rule applied and a new period. Takes each customer's row lock first
 * (the order checkout takes), then her tier row. Idempotent: a renewed period ends in the future,
 * so the next batch, or a second run, no longer finds it.
 */
export const renewEndedTierPeriodsBatch = async (
  tx: Executor,
  options: { tenantId: string; timezone: string; dayStart?: string; now: Date; batchSize: number },
): Promise<{ renewed: number; changed: number; giftsDue: string[] }> => {
  const settings = await getSetting(tx, options.tenantId, membershipSettingsSetting);
  if (!settings.isEnabled) return { renewed: 0, changed: 0, giftsDue: [] };
  const ctx = makeCtx(systemActor(options.tenantId), options.now, options.timezone, null, options.dayStart);
  const batch = await periodsEnded(tx, options.tenantId, ctx.today, options.batchSize, null);
  let renewed = 0;
  let changed = 0;
  const giftsDue: string[] = [];
  for (const { customerId } of batch) {
    await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.tenantId, options.tenantId), eq(customers.id, customerId)))
      .for('update');
    const result = await renewTierPeriod(tx, ctx, customerId);
    if (result) renewed += 1;
    if (result?.changed) changed += 1;
    if (result?.gifts.issuePending) giftsDue.push(customerId);
  }
  // Customers whose renewal raised them: the sweep issues their upgrade gifts in this transaction.
  return { renewed, changed, giftsDue };
};
