import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { orders } from '../orders/index.js';
import type { ZStoredValueOverview } from './schemas.js';
import { refundableOf } from './stored-value.js';
import { storedValueAccounts, storedValueEntries, storedValueTopUps } from './tables.js';

type Overview = import('zod').infer<typeof ZStoredValueOverview>;

/** Principal and bonus a customer holds (zero before her first top-up). */
export const storedValueBalanceOf = async (tx: Executor, tenantId: string, customerId: string) => {
  const [account] = await tx
    .select()
    .from(storedValueAccounts)
    .where(and(eq(storedValueAccounts.tenantId, tenantId), eq(storedValueAccounts.customerId, customerId)));
  const principalFen = account?.principalFen ?? 0;
  const bonusFen = account?.bonusFen ?? 0;
  return { principalFen, bonusFen, balanceFen: principalFen + bonusFen };
};

/** Balance, top-ups with what a refund would return, and the ledger newest first with the balance after each entry. */
export const storedValueOverview = async (tx: Executor, tenantId: string, customerId: string, options: { entryLimit?: number } = {}): Promise<Overview> => {
  const balance = await storedValueBalanceOf(tx, tenantId, customerId);
  const topUps = await tx
    .select()
    .from(storedValueTopUps)
    .where(and(eq(storedValueTopUps.tenantId, tenantId), eq(storedValueTopUps.customerId, customerId)))
    .orderBy(desc(storedValueTopUps.createdAt));
  const entries = await tx
    .select()
    .from(storedValueEntries)
    .where(and(eq(storedValueEntries.tenantId, tenantId), eq(storedValueEntries.customerId, customerId)))
    .orderBy(asc(storedValueEntries.createdAt), asc(storedValueEntries.id));
  const orderIds = [...new Set(entries.filter((entry) => entry.sourceType === 'order' && entry.sourceId).map((entry) => entry.sourceId as string))];
  const numbers = new Map(
    orderIds.length === 0
      ? []
      : (
          await tx
            .select({ id: orders.id, number: orders.number })
            .from(orders)
            .where(and(eq(orders.tenantId, tenantId), inArray(orders.id, orderIds)))
        ).map((row) => [row.id, row.number]),
  );
  let running = 0;
  const withBalance = entries.map((entry) => {
    running += entry.principalFen + entry.bonusFen;
    return {
      id: entry.id,
      type: entry.type as Overview['entries'][number]['type'],
      principalFen: entry.principalFen,
      bonusFen: entry.bonusFen,
      sourceType: entry.sourceType,
      sourceId: entry.sourceId,
      orderNumber: entry.sourceId ? (numbers.get(entry.sourceId) ?? null) : null,
      reason: entry.reason as Record<string, unknown>,
      reversesId: entry.reversesId,
      balanceAfterFen: running,
      createdAt: entry.createdAt.toISOString(),
    };
  });
  return {
    customerId,
    ...balance,
    topUps: topUps.map((lot) => ({
      id: lot.id,
      kind: lot.kind as 'top_up' | 'restore',
      principalFen: lot.principalFen,
      bonusFen: lot.bonusFen,
      principalRemainingFen: lot.principalRemainingFen,
      bonusRemainingFen: lot.bonusRemainingFen,
      refundableFen: refundableOf(lot),
      cardProductId: lot.cardProductId,
      orderId: lot.orderId,
      orderLineId: lot.orderLineId,
      grantsTierId: lot.grantsTierId,
      contract: lot.contract as Record<string, unknown>,
      refundedAt: lot.refundedAt?.toISOString() ?? null,
      createdAt: lot.createdAt.toISOString(),
    })),
    entries: withBalance.reverse().slice(0, options.entryLimit ?? 200),
  };
};

/** For a receipt: stored value this order spent (principal and bonus) and her balance after its last entry. */
export const orderStoredValueSummary = async (tx: Executor, tenantId: string, orderId: string) => {
  const [row] = await tx
    .select({
      spent: sql<number>`coalesce(-sum(${storedValueEntries.principalFen} + ${storedValueEntries.bonusFen}) filter (where ${storedValueEntries.type} = 'spend'), 0)::bigint`,
      balanceAfter: sql<
        number | null
      >`(array_agg(${storedValueEntries.principalAfterFen} + ${storedValueEntries.bonusAfterFen} order by ${storedValueEntries.seq} desc))[1]`,
    })
    .from(storedValueEntries)
    .where(and(eq(storedValueEntries.tenantId, tenantId), eq(storedValueEntries.sourceType, 'order'), eq(storedValueEntries.sourceId, orderId)));
  if (!row || row.balanceAfter === null) return null;
  return { spentFen: Number(row.spent), balanceAfterFen: Number(row.balanceAfter) };
};
