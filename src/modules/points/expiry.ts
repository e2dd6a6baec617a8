import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';

/**
 * Expires due lots in one set-based pass per batch. For each lot: an `expire` entry keyed `lot:<id>:expire` (so a lot expires once, whoever runs), a
 * movement, the lot emptied and stamped, the account balance lowered. With `tenantId`, only
 * that clinic's lots (an admin's run for one clinic; tests sharing a database). Accounts are locked
 * first (in a fixed order), then their lots, as every single-account write does, so it never
 * deadlocks with earns and redemptions running at the same time.
 */
export const expireDueLotsBatch = async (tx: Executor, now: Date, limit: number, tenantId?: string): Promise<number> => {
  const at = now.toISOString();
  const scope = tenantId === undefined ? sql`` : sql` and l.tenant_id = ${tenantId}`;
  const [row] = await queryRows<{ expired: number }>(
    tx,
    sql`with due_accounts as (
          select a.tenant_id, a.customer_id
          from points_accounts a
          where (a.tenant_id, a.customer_id) in (
            select l.tenant_id, l.customer_id from points_lots l
            where l.expired_at is null and l.expires_at <= ${at}::timestamptz${scope}
            limit ${limit})
          order by a.tenant_id, a.customer_id
          for update of a
        ),
        due as (
          select l.tenant_id, l.id, l.customer_id, l.remaining, l.expires_at, gen_random_uuid() as entry_id
          from points_lots l
          join due_accounts d on d.tenant_id = l.tenant_id and d.customer_id = l.customer_id
          where l.expired_at is null and l.expires_at <= ${at}::timestamptz${scope}
          order by l.tenant_id, l.id
          limit ${limit}
          for update of l
        ),
        entries as (
          insert into points_entries (tenant_id, id, customer_id, type, points, growth, source_type, source_id, reason, idempotency_key, request_hash, created_at)
          select d.tenant_id, d.entry_id, d.customer_id, 'expire', -d.remaining, 0, 'system', d.id::text,
                 jsonb_build_object('rule', 'expiry', 'expiresAt', d.expires_at), 'lot:' || d.id || ':expire', 'sweep', ${at}::timestamptz
          from due d
          on conflict (tenant_id, idempotency_key) do nothing
          returning tenant_id, id, source_id, points, customer_id
        ),
        movements as (
          insert into points_movements (tenant_id, id, entry_id, lot_id, points, position)
          select e.tenant_id, gen_random_uuid(), e.id, e.source_id::uuid, e.points, 0 from entries e where e.points <> 0
          returning lot_id
        ),
        lots as (
          update points_lots l set remaining = 0, expired_at = ${at}::timestamptz
          from entries e where l.tenant_id = e.tenant_id and l.id = e.source_id::uuid
          returning l.id
        ),
        balances as (
          update points_accounts a set balance = a.balance + t.points, updated_at = ${at}::timestamptz
          from (select tenant_id, customer_id, sum(points) as points from entries group by 1, 2) t
          where a.tenant_id = t.tenant_id and a.customer_id = t.customer_id
          returning a.customer_id
        )
        select (select count(*) from entries)::int as expired, (select count(*) from movements) as m, (select count(*) from lots) as l, (select count(*) from balances) as b`,
  );
  return row?.expired ?? 0;
};
