import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { type LedgerProblem, verifyBook } from '../../platform/ledger.js';
import { pointsBook } from './ledger.js';
import { pointsAccounts, pointsEntries, pointsLots, pointsMovements } from './tables.js';

export type { LedgerProblem };

/**
 * verify-ledgers: every invariant of COMPLIANCE §1 for every points account, set-based so it
 * scales to every tenant at once. An empty list means the books balance.
 */
export const verifyPointsLedgers = async (tx: Executor, tenantId?: string): Promise<LedgerProblem[]> => {
  const scope = (alias: string) => (tenantId ? sql.raw(`and ${alias}.tenant_id = '${tenantId.replace(/[^0-9a-f-]/gi, '')}'`) : sql``);
  const checks: (() => Promise<LedgerProblem[]>)[] = [
    // Balance = Σ entries = Σ unexpired lots − debt, no lot out of range, the balance-after chain.
    () => verifyBook(tx, pointsBook, tenantId),
    // The sweep looks at an account at next_expiry_at: a lot due before it would be missed.
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select a.tenant_id as "tenantId", a.customer_id as "customerId", 'expiry_missed' as problem,
            format('next look %s, first unexpired lot expires %s', a.next_expiry_at, min(l.expires_at)) as detail
          from ${pointsAccounts} a
          join ${pointsLots} l on l.tenant_id = a.tenant_id and l.customer_id = a.customer_id
          where l.expires_at is not null and (a.expired_through is null or l.expires_at > a.expired_through) ${scope('a')}
          group by a.tenant_id, a.customer_id, a.next_expiry_at
          having a.next_expiry_at is null or a.next_expiry_at > min(l.expires_at)`,
      ),
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select l.tenant_id as "tenantId", l.customer_id as "customerId", 'lot_vs_movements' as problem,
            format('lot %s: remaining %s, movements %s', l.id, l.remaining, coalesce(m.total, 0)) as detail
          from ${pointsLots} l
          left join (select tenant_id, lot_id, sum(points) as total from ${pointsMovements} group by 1, 2) m on m.tenant_id = l.tenant_id and m.lot_id = l.id
          where l.remaining <> coalesce(m.total, 0) ${scope('l')}`,
      ),
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select r.tenant_id as "tenantId", r.customer_id as "customerId", 'over_reversed' as problem,
            format('entry %s (%s points) reversed for %s', o.id, o.points, sum((r.reason->>'intended')::bigint)) as detail
          from ${pointsEntries} r join ${pointsEntries} o on o.tenant_id = r.tenant_id and o.id = r.reverses_id
          where r.type = 'reverse' ${scope('r')}
          group by r.tenant_id, r.customer_id, o.id, o.points
          having sum((r.reason->>'intended')::bigint) > abs(o.points)`,
      ),
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select e.tenant_id as "tenantId", e.customer_id as "customerId", 'orphan_reversal' as problem, format('entry %s', e.id) as detail
          from ${pointsEntries} e where e.type = 'reverse' and e.reverses_id is null ${scope('e')}`,
      ),
  ];
  // One after another: given a transaction, every check runs on its one connection.
  const problems: LedgerProblem[] = [];
  for (const check of checks) problems.push(...(await check()));
  return problems;
};
