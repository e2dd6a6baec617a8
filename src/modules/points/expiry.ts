import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';

export type ExpiryBatch = { accounts: number; lots: number; points: number };

/**
 * Expires what is due for up to `limit` accounts in one set-based statement. An account is due
 * when its `next_expiry_at` has passed. For each one, locked in a fixed order as every
 * single-account write locks it (so the sweep never deadlocks with earns and redemptions):
 * one `expire` entry (recording the balance after it, as every entry does) writes off the remaining points of every lot that expired since the
 * account's watermark (`expired_through`), keyed by account and instant so it is written once,
 * whoever runs; the watermark moves to `now`, and `next_expiry_at` to the first lot still to
 * expire. Lots are not touched: a lot at or before the watermark is written off and frozen.
 * With `tenantId`, only that clinic's accounts (an admin's run for one clinic; tests sharing a
 * database).
 */
export const expireDueLotsBatch = async (tx: Executor, now: Date, limit: number, tenantId?: string): Promise<ExpiryBatch> => {
  const at = now.toISOString();
  const scope = tenantId === undefined ? sql`` : sql` and a.tenant_id = ${tenantId}`;
  const [row] = await queryRows<ExpiryBatch>(
    tx,
    sql`with due_accounts as (
          select a.tenant_id, a.customer_id, a.expired_through, a.balance
          from points_accounts a
          where a.next_expiry_at <= ${at}::timestamptz${scope}
          order by a.tenant_id, a.customer_id
          limit ${limit}
          for update of a
        ),
        due as (
          select d.tenant_id, d.customer_id, d.expired_through, d.balance,
                 coalesce(sum(l.remaining), 0)::bigint as points,
                 count(l.id) filter (where l.remaining > 0)::int as lots,
                 min(l.expires_at) as first_at, max(l.expires_at) as last_at
          from due_accounts d
          left join points_lots l on l.tenant_id = d.tenant_id and l.customer_id = d.customer_id
            and l.expires_at <= ${at}::timestamptz and (d.expired_through is null or l.expires_at > d.expired_through)
          group by d.tenant_id, d.customer_id, d.expired_through, d.balance
        ),
        entries as (
          insert into points_entries (tenant_id, id, customer_id, type, points, balance_after, growth, source_type, source_id, reason, idempotency_key, request_hash, created_at)
          select d.tenant_id, gen_random_uuid(), d.customer_id, 'expire', -d.points, d.balance - d.points, 0, 'system', null,
                 jsonb_build_object('rule', 'expiry', 'lots', d.lots, 'after', d.expired_through, 'through', ${at}::timestamptz,
                                    'firstExpiresAt', d.first_at, 'lastExpiresAt', d.last_at),
                 'account:' || d.customer_id || ':expire:' || ${at}, 'sweep', ${at}::timestamptz
          from due d
          where d.points <> 0
          on conflict (tenant_id, idempotency_key) do nothing
          returning tenant_id, customer_id, points
        ),
        accounts as (
          update points_accounts a
          set balance = a.balance + coalesce(e.points, 0),
              expired_through = ${at}::timestamptz,
              next_expiry_at = (select min(l.expires_at) from points_lots l
                                where l.tenant_id = a.tenant_id and l.customer_id = a.customer_id and l.expires_at > ${at}::timestamptz),
              updated_at = ${at}::timestamptz
          from due d
          left join entries e on e.tenant_id = d.tenant_id and e.customer_id = d.customer_id
          where a.tenant_id = d.tenant_id and a.customer_id = d.customer_id
          returning a.customer_id
        )
        select (select count(*) from accounts)::int as accounts,
               (select coalesce(sum(d.lots), 0) from due d join entries e on e.tenant_id = d.tenant_id and e.customer_id = d.customer_id)::int as lots,
               (select coalesce(-sum(points), 0) from entries)::bigint as points`,
  );
  return { accounts: Number(row?.accounts ?? 0), lots: Number(row?.lots ?? 0), points: Number(row?.points ?? 0) };
};
