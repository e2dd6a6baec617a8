import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../db/client.js';
import type { LedgerProblem } from '../platform/ledger.js';

/**
 * verify-ledgers across the orders and the ledgers: every order payment by points or by stored
 * value has exactly the ledger entry it caused (same customer, same order, the amount at the
 * rate recorded on the entry), and every ledger entry that says an order payment caused it has
 * that payment. Set-based over every tenant, or one.
 *
 * The links are the idempotency keys the payment writes its entry under:
 * `payment:<payment id>:redeem` for points, `order:<order id>:payment:<payment id>:spend` for
 * stored value.
 */
export const verifyLedgerPayments = async (tx: Executor, tenantId?: string): Promise<LedgerProblem[]> => {
  const scope = (alias: string) => (tenantId ? sql`and ${sql.raw(alias)}.tenant_id = ${tenantId}` : sql``);
  const checks = [
    // A points payment and its redemption: -points = amount × pointsPerYuan / 100.
    sql`select p.tenant_id as "tenantId", p.customer_id as "customerId", 'points_payment_vs_entry' as problem,
          format('payment %s of order %s: %s fen; entry %s', p.id, p.order_id, p.amount_fen,
                 coalesce(format('%s (%s points, %s per yuan, customer %s, order %s)', e.id, e.points, e.reason->>'pointsPerYuan', e.customer_id, e.source_id), 'missing')) as detail
        from payments p
        left join points_entries e on e.tenant_id = p.tenant_id and e.idempotency_key = 'payment:' || p.id || ':redeem'
        where p.kind = 'payment' and p.method = 'points' ${scope('p')}
          and (e.id is null or e.type <> 'redeem' or e.customer_id <> p.customer_id or e.source_id is distinct from p.order_id::text
               or -e.points * 100 <> p.amount_fen * (e.reason->>'pointsPerYuan')::bigint)`,
    sql`select e.tenant_id as "tenantId", e.customer_id as "customerId", 'points_entry_without_payment' as problem,
          format('entry %s (%s points) names payment %s, which is not a points payment', e.id, e.points, e.reason->>'paymentId') as detail
        from points_entries e
        left join payments p on p.tenant_id = e.tenant_id and e.idempotency_key = 'payment:' || p.id || ':redeem' and p.kind = 'payment' and p.method = 'points'
        where e.type = 'redeem' and e.source_type = 'order' and e.idempotency_key like 'payment:%:redeem' and p.id is null ${scope('e')}`,
    // A stored-value payment and its spend: principal + bonus taken = amount.
    sql`select p.tenant_id as "tenantId", p.customer_id as "customerId", 'stored_value_payment_vs_entry' as problem,
          format('payment %s of order %s: %s fen; entry %s', p.id, p.order_id, p.amount_fen,
                 coalesce(format('%s (%s principal, %s bonus, customer %s, order %s)', e.id, e.principal_fen, e.bonus_fen, e.customer_id, e.source_id), 'missing')) as detail
        from payments p
        left join stored_value_entries e on e.tenant_id = p.tenant_id and e.idempotency_key = 'order:' || p.order_id || ':payment:' || p.id || ':spend'
        where p.kind = 'payment' and p.method = 'stored_value' ${scope('p')}
          and (e.id is null or e.type <> 'spend' or e.customer_id <> p.customer_id or e.source_id is distinct from p.order_id::text
               or -(e.principal_fen + e.bonus_fen) <> p.amount_fen)`,
    sql`select e.tenant_id as "tenantId", e.customer_id as "customerId", 'stored_value_entry_without_payment' as problem,
          format('spend %s (%s fen) of order %s has no stored-value payment', e.id, -(e.principal_fen + e.bonus_fen), e.source_id) as detail
        from stored_value_entries e
        left join payments p on p.tenant_id = e.tenant_id and e.idempotency_key = 'order:' || p.order_id || ':payment:' || p.id || ':spend'
          and p.kind = 'payment' and p.method = 'stored_value'
        where e.type = 'spend' and e.source_type = 'order' and p.id is null ${scope('e')}`,
  ];
  // One after another: given a transaction, every check runs on its one connection.
  const problems: LedgerProblem[] = [];
  for (const check of checks) problems.push(...(await queryRows<LedgerProblem>(tx, check)));
  return problems;
};
