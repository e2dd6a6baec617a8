import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import type { LedgerProblem } from '../../platform/ledger.js';
import { customerVouchers, voucherEvents, voucherTemplates } from './tables.js';

/**
 * verify-ledgers for vouchers (COMPLIANCE I2, I8): stock and per-customer limits never passed,
 * the stock counter equal to the vouchers issued, every voucher's state equal to what its
 * append-only history says. An empty list means the books balance.
 */
export const verifyVoucherLedgers = async (tx: Executor, tenantId?: string): Promise<LedgerProblem[]> => {
  const scope = (alias: string) => (tenantId ? sql.raw(`and ${alias}.tenant_id = '${tenantId.replace(/[^0-9a-f-]/gi, '')}'`) : sql``);
  const checks: (() => Promise<LedgerProblem[]>)[] = [
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select t.tenant_id as "tenantId", null as "customerId", 'voucher_stock' as problem,
            format('template %s: counter %s, issued %s, stock %s', t.id, t.issued_count, coalesce(v.issued, 0), coalesce(t.total_stock::text, 'unlimited')) as detail
          from ${voucherTemplates} t
          left join (select tenant_id, template_id, count(*) as issued from ${customerVouchers} where template_id is not null group by 1, 2) v
            on v.tenant_id = t.tenant_id and v.template_id = t.id
          where (t.issued_count <> coalesce(v.issued, 0) or (t.total_stock is not null and t.issued_count > t.total_stock)) ${scope('t')}`,
      ),
    () =>
      queryRows<LedgerProblem>(
        tx,
        sql`select v.tenant_id as "tenantId", v.customer_id as "customerId", 'voucher_customer_limit' as problem,
            format('template %s: holds %s, limit %s', t.id, count(*), t.per_customer_limit) as detail
          from ${customerVouchers} v join ${voucherTemplates} t on t.tenant_id = v.tenant_id and t.id = v.template_id
          where v.use_no is not null ${scope('v')}
          group by v.tenant_id, v.customer_id, t.id, t.per_customer_limit
          having count(*) > t.per_customer_limit or max(v.use_no) > t.per_customer_limit`,
      ),
    () =>
      // The latest of issue / use / restore / void decides the state (restore_refused changes nothing).
      queryRows<LedgerProblem>(
        tx,
        sql`select v.tenant_id as "tenantId", v.customer_id as "customerId", 'voucher_vs_history' as problem,
            format('voucher %s: %s, history says %s', v.id, v.status, coalesce(h.type, 'nothing')) as detail
          from ${customerVouchers} v
          left join lateral (
            select e.type from ${voucherEvents} e
            where e.tenant_id = v.tenant_id and e.voucher_id = v.id and e.type in ('issue', 'use', 'restore', 'void')
            order by e.created_at desc, e.id desc limit 1
          ) h on true
          where case coalesce(h.type, '') when 'issue' then 'available' when 'restore' then 'available' when 'use' then 'used' when 'void' then 'voided' else '?' end
            <> v.status ${scope('v')}`,
      ),
  ];
  const problems: LedgerProblem[] = [];
  for (const check of checks) problems.push(...(await check()));
  return problems;
};
