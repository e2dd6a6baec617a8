import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import type { PaymentMethod } from './schemas.js';
import { orders, payments } from './tables.js';

/** Methods that settle with something the customer held (points, stored value): not money taken in today. */
const nonCashMethods: readonly PaymentMethod[] = ['points', 'stored_value'];

/**
 * A store's day at the desk: money taken by method (net of refunds and reversals), what was
 * settled without money, and the orders still waiting to be paid — in one statement.
 */
export const deskDay = async (tx: Executor, tenantId: string, storeId: string, businessDate: string) => {
  const [row] = await queryRows<{ by_method: { method: PaymentMethod; net: number }[] | null; open_orders: number; open_fen: number }>(
    tx,
    sql`select
          (select json_agg(json_build_object('method', m.method, 'net', m.net) order by m.method)
             from (select p.method, sum(p.amount_fen)::bigint as net from ${payments} p
                    where p.tenant_id = ${tenantId} and p.store_id = ${storeId} and p.business_date = ${businessDate}::date
                    group by p.method) m) as by_method,
          (select count(*)::int from ${orders} o where o.tenant_id = ${tenantId} and o.store_id = ${storeId}
             and o.business_date = ${businessDate}::date and o.status = 'open') as open_orders,
          (select coalesce(sum(o.total_fen), 0)::bigint from ${orders} o where o.tenant_id = ${tenantId} and o.store_id = ${storeId}
             and o.business_date = ${businessDate}::date and o.status = 'open') as open_fen`,
  );
  const byMethod = (row?.by_method ?? []).map((entry) => ({ method: entry.method, netFen: Number(entry.net) }));
  const sum = (rows: typeof byMethod) => rows.reduce((total, entry) => total + entry.netFen, 0);
  return {
    byMethod,
    moneyFen: sum(byMethod.filter((entry) => !nonCashMethods.includes(entry.method))),
    nonCashFen: sum(byMethod.filter((entry) => nonCashMethods.includes(entry.method))),
    openOrders: row?.open_orders ?? 0,
    openOrdersFen: Number(row?.open_fen ?? 0),
  };
};
