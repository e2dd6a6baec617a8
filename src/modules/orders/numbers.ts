import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { orderNumberSequences } from './tables.js';

/** 20261123-0001: the tenant's n-th order of the business day; atomic under concurrency. */
export const nextOrderNumber = async (tx: Executor, tenantId: string, businessDate: string): Promise<string> => {
  const [row] = await tx
    .insert(orderNumberSequences)
    .values({ tenantId, businessDate, lastNumber: 1 })
    .onConflictDoUpdate({
      target: [orderNumberSequences.tenantId, orderNumberSequences.businessDate],
      set: { lastNumber: sql`${orderNumberSequences.lastNumber} + 1` },
    })
    .returning({ lastNumber: orderNumberSequences.lastNumber });
  return `${businessDate.replaceAll('-', '')}-${String(row?.lastNumber ?? 1).padStart(4, '0')}`;
};
