import { type AnyColumn, and, desc, eq, gt, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { notFound } from '../../platform/errors.js';
import { isActive } from './lots.js';
import { pointsAccounts, pointsEntries, pointsLots, pointsMovements } from './tables.js';

const day = 86_400_000;

/** A customer's points by state, her live lots with expiry, and her history with reasons. */
export const pointsOverview = async (tx: Executor, tenantId: string, customerId: string, now: Date, options: { expiringWithinDays: number }) => {
  const [account] = await tx
    .select()
    .from(pointsAccounts)
    .where(and(eq(pointsAccounts.tenantId, tenantId), eq(pointsAccounts.customerId, customerId)));
  const lots = await tx
    .select()
    .from(pointsLots)
    .where(
      and(
        eq(pointsLots.tenantId, tenantId),
        eq(pointsLots.customerId, customerId),
        gt(pointsLots.remaining, 0),
        or(isNull(pointsLots.expiresAt), gt(pointsLots.expiresAt, now)),
      ),
    )
    .orderBy(pointsLots.expiresAt, pointsLots.createdAt);
  const entries = await tx
    .select()
    .from(pointsEntries)
    .where(and(eq(pointsEntries.tenantId, tenantId), eq(pointsEntries.customerId, customerId)))
    .orderBy(desc(pointsEntries.createdAt), desc(pointsEntries.id))
    .limit(100);
  const horizon = new Date(now.getTime() + options.expiringWithinDays * day);
  const active = lots.filter((lot) => isActive(lot, now)).reduce((sum, lot) => sum + lot.remaining, 0);
  const pending = lots.filter((lot) => lot.availableAt > now).reduce((sum, lot) => sum + lot.remaining, 0);
  const expiring = lots.filter((lot) => lot.expiresAt && lot.expiresAt <= horizon);
  return {
    balance: account?.balance ?? 0,
    active,
    pending,
    debt: account?.debt ?? 0,
    growth: account?.growth ?? 0,
    expiringSoon: {
      points: expiring.reduce((sum, lot) => sum + lot.remaining, 0),
      withinDays: options.expiringWithinDays,
      firstAt: expiring[0]?.expiresAt?.toISOString() ?? null,
    },
    lots: lots.map((lot) => ({
      id: lot.id,
      entryId: lot.entryId,
      points: lot.points,
      remaining: lot.remaining,
      state: lot.availableAt > now ? ('pending' as const) : ('active' as const),
      availableAt: lot.availableAt.toISOString(),
      expiresAt: lot.expiresAt?.toISOString() ?? null,
      createdAt: lot.createdAt.toISOString(),
    })),
    entries: entries.map(entryView),
  };
};

export const entryView = (entry: typeof pointsEntries.$inferSelect) => ({
  id: entry.id,
  type: entry.type as 'earn' | 'redeem' | 'expire' | 'adjust' | 'reverse',
  points: entry.points,
  growth: entry.growth,
  sourceType: entry.sourceType,
  sourceId: entry.sourceId,
  reason: entry.reason as Record<string, unknown>,
  reversesId: entry.reversesId,
  actorId: entry.actorId,
  createdAt: entry.createdAt.toISOString(),
});

/** One entry with the lots it created or touched: the answer to "where did these points come from?". */
export const explainEntry = async (tx: Executor, tenantId: string, entryId: string) => {
  const [entry] = await tx
    .select()
    .from(pointsEntries)
    .where(and(eq(pointsEntries.tenantId, tenantId), eq(pointsEntries.id, entryId)));
  if (!entry) throw notFound('积分记录', 'POINTS_ENTRY_NOT_FOUND');
  const movements = await tx
    .select({ movement: pointsMovements, lot: pointsLots })
    .from(pointsMovements)
    .innerJoin(pointsLots, and(eq(pointsLots.tenantId, pointsMovements.tenantId), eq(pointsLots.id, pointsMovements.lotId)))
    .where(and(eq(pointsMovements.tenantId, tenantId), eq(pointsMovements.entryId, entryId)))
    .orderBy(pointsMovements.position);
  return {
    entry: entryView(entry),
    movements: movements.map(({ movement, lot }) => ({
      lotId: lot.id,
      points: movement.points,
      lotEntryId: lot.entryId,
      lotExpiresAt: lot.expiresAt?.toISOString() ?? null,
    })),
  };
};

/** For customer filters: she holds points that expire after `now` and within `days` days (the today screen's 积分将过期). */
export const pointsExpiringCondition =
  (tenantId: string, now: Date, days: number) =>
  (customerIdColumn: AnyColumn): SQL =>
    sql`exists (select 1 from ${pointsLots} l where l.tenant_id = ${tenantId} and l.customer_id = ${customerIdColumn} and l.remaining > 0
          and l.expires_at > ${now.toISOString()}::timestamptz and l.expires_at <= ${new Date(now.getTime() + days * day).toISOString()}::timestamptz)`;

/** For a receipt: points this order earned and spent (net of reversals), and her balance after its last entry. */
export const orderPointsSummary = async (tx: Executor, tenantId: string, orderId: string) => {
  const [row] = await tx
    .select({
      earned: sql<number>`coalesce(sum(${pointsEntries.points}) filter (where ${pointsEntries.points} > 0 and ${pointsEntries.type} <> 'reverse'), 0)::bigint`,
      spent: sql<number>`coalesce(-sum(${pointsEntries.points}) filter (where ${pointsEntries.type} = 'redeem'), 0)::bigint`,
      balanceAfter: sql<number | null>`(array_agg(${pointsEntries.balanceAfter} order by ${pointsEntries.seq} desc))[1]`,
    })
    .from(pointsEntries)
    .where(and(eq(pointsEntries.tenantId, tenantId), eq(pointsEntries.sourceType, 'order'), eq(pointsEntries.sourceId, orderId)));
  if (!row || row.balanceAfter === null) return null;
  return { earned: Number(row.earned), spent: Number(row.spent), balanceAfter: Number(row.balanceAfter) };
};
