import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { type LedgerProblem, verifyBook } from '../../platform/ledger.js';
import { storedValueBook } from './stored-value.js';
import { storedValueEntries, storedValueMovements, storedValueTopUps } from './tables.js';

/**
 * verify-ledgers for stored value: COMPLIANCE §1 (I2, I4, I5, I9) for every account, set-based.
 * Principal and bonus are checked apart. An empty list means the books balance.
 */
export const verifyStoredValueLedgers = async (tx: Executor, tenantId?: string): Promise<LedgerProblem[]> => {
  const scope = (alias: string) => (tenantId ? sql.raw(`and ${alias}.tenant_id = '${tenantId.replace(/[^0-9a-f-]/gi, '')}'`) : sql``);
  const checks: (() => Promise<LedgerProblem[]>)[] = [
    // Principal and bonus each = Σ entries = Σ top-ups' remaining, none below zero or out of range, the after-balance chain.
    () => verifyBook(tx, storedValueBook, tenantId),
    // A refunded top-up holds nothing.
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select l.tenant_id as "tenantId", l.customer_id as "customerId", 'top_up_out_of_range' as problem,
            format('top-up %s: refunded but holds %s/%s', l.id, l.principal_remaining_fen, l.bonus_remaining_fen) as detail
          from ${storedValueTopUps} l
          where l.refunded_at is not null and (l.principal_remaining_fen <> 0 or l.bonus_remaining_fen <> 0) ${scope('l')}`,
      ),
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select l.tenant_id as "tenantId", l.customer_id as "customerId", 'top_up_vs_movements' as problem,
            format('top-up %s: remaining %s/%s, movements %s/%s', l.id, l.principal_remaining_fen, l.bonus_remaining_fen, coalesce(m.principal, 0), coalesce(m.bonus, 0)) as detail
          from ${storedValueTopUps} l
          left join (select tenant_id, top_up_id, sum(principal_fen) as principal, sum(bonus_fen) as bonus from ${storedValueMovements} group by 1, 2) m
            on m.tenant_id = l.tenant_id and m.top_up_id = l.id
          where (l.principal_remaining_fen <> coalesce(m.principal, 0) or l.bonus_remaining_fen <> coalesce(m.bonus, 0)) ${scope('l')}`,
      ),
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select e.tenant_id as "tenantId", e.customer_id as "customerId", 'entry_vs_movements' as problem,
            format('entry %s (%s): %s/%s, movements %s/%s', e.id, e.type, e.principal_fen, e.bonus_fen, coalesce(m.principal, 0), coalesce(m.bonus, 0)) as detail
          from ${storedValueEntries} e
          left join (select tenant_id, entry_id, sum(principal_fen) as principal, sum(bonus_fen) as bonus from ${storedValueMovements} group by 1, 2) m
            on m.tenant_id = e.tenant_id and m.entry_id = e.id
          where (e.principal_fen <> coalesce(m.principal, 0) or e.bonus_fen <> coalesce(m.bonus, 0)) ${scope('e')}`,
      ),
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select o.tenant_id as "tenantId", l.customer_id as "customerId", 'spend_over_restored' as problem,
            format('movement %s took %s/%s, given back %s/%s', o.id, -o.principal_fen, -o.bonus_fen, sum(r.principal_fen), sum(r.bonus_fen)) as detail
          from ${storedValueMovements} r
          join ${storedValueMovements} o on o.tenant_id = r.tenant_id and o.id = r.restores_id
          join ${storedValueTopUps} l on l.tenant_id = o.tenant_id and l.id = o.top_up_id
          where o.principal_fen <= 0 ${scope('r')}
          group by o.tenant_id, l.customer_id, o.id, o.principal_fen, o.bonus_fen
          having sum(r.principal_fen) > -o.principal_fen or sum(r.bonus_fen) > -o.bonus_fen`,
      ),
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select e.tenant_id as "tenantId", e.customer_id as "customerId", 'orphan_reversal' as problem, format('stored-value entry %s', e.id) as detail
          from ${storedValueEntries} e where e.type = 'reverse' and e.reverses_id is null ${scope('e')}`,
      ),
  ];
  // One after another: given a transaction, every check runs on its one connection.
  const problems: LedgerProblem[] = [];
  for (const check of checks) problems.push(...(await check()));
  return problems;
};
