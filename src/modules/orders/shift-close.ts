import { and, eq, type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { assertStoreAccess, type Ctx } from '../../platform/context.js';
import { DomainError, isUniqueViolation } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { staffNames } from '../staff/index.js';
import type { PaymentMethod } from './schemas.js';
import { deductions, orders, payments, performanceCredits, refunds, shiftCloses } from './tables.js';

export type ShiftScope = { storeId: string; businessDate: string; cashierId?: string };

const scopeKey = (scope: ShiftScope) => scope.cashierId ?? 'all';

/** 交班 / 日结 totals: money by method (payments, refunds, reversals), orders, arrears, deductions. */
export const shiftTotals = async (tx: Executor, tenantId: string, scope: ShiftScope) => {
  const cashier = scope.cashierId ? sql`and p.cashier_id = ${scope.cashierId}` : sql``;
  const byMethod = await queryRows<{ method: string; payments: number; refunds: number; reversals: number; count: number }>(
    tx,
    sql`select p.method,
          coalesce(sum(p.amount_fen) filter (where p.kind = 'payment'), 0)::bigint as payments,
          coalesce(sum(p.amount_fen) filter (where p.kind = 'refund'), 0)::bigint as refunds,
          coalesce(sum(p.amount_fen) filter (where p.kind = 'reversal'), 0)::bigint as reversals,
          count(*)::int as count
        from ${payments} p
        where p.tenant_id = ${tenantId} and p.store_id = ${scope.storeId} and p.business_date = ${scope.businessDate}::date ${cashier}
        group by p.method order by p.method`,
  );
  const reasons = await queryRows<{ reason_code: string; count: number; amount: number }>(
    tx,
    sql`select p.reason_code, count(*)::int as count, coalesce(sum(p.amount_fen), 0)::bigint as amount
        from ${payments} p
        where p.tenant_id = ${tenantId} and p.store_id = ${scope.storeId} and p.business_date = ${scope.businessDate}::date
          and p.kind in ('reversal', 'refund') ${cashier}
        group by p.reason_code order by p.reason_code`,
  );
  const placedBy = scope.cashierId ? sql`and o.placed_by = ${scope.cashierId}` : sql``;
  const [sales] = await queryRows<{ orders: number; sales: number; arrears: number }>(
    tx,
    sql`select count(*)::int as orders, coalesce(sum(o.total_fen), 0)::bigint as sales,
          coalesce(sum(greatest(o.total_fen - coalesce((select sum(p.amount_fen) from ${payments} p
            where p.tenant_id = o.tenant_id and p.order_id = o.id and p.kind = 'payment' and p.created_at = o.placed_at), 0), 0)), 0)::bigint as arrears
        from ${orders} o
        where o.tenant_id = ${tenantId} and o.store_id = ${scope.storeId} and o.status = 'placed'
          and (select ((o.placed_at at time zone t.timezone) - t.business_day_start::interval)::date from tenants t where t.id = ${tenantId}) = ${scope.businessDate}::date ${placedBy}`,
  );
  const createdBy = scope.cashierId ? sql`and d.created_by = ${scope.cashierId}` : sql``;
  const [executed] = await queryRows<{ deductions: number; reversals: number }>(
    tx,
    sql`select count(*) filter (where d.reverses_id is null)::int as deductions, count(*) filter (where d.reverses_id is not null)::int as reversals
        from ${deductions} d
        where d.tenant_id = ${tenantId} and d.store_id = ${scope.storeId} and d.business_date = ${scope.businessDate}::date ${createdBy}`,
  );
  const [closed] = await tx
    .select()
    .from(shiftCloses)
    .where(
      and(
        eq(shiftCloses.tenantId, tenantId),
        eq(shiftCloses.storeId, scope.storeId),
        eq(shiftCloses.businessDate, scope.businessDate),
        eq(shiftCloses.scope, scopeKey(scope)),
      ),
    );
  const closer = closed?.closedBy ? (await staffNames(tx, tenantId, [closed.closedBy])).get(closed.closedBy) : undefined;
  const methods = byMethod.map((row) => {
    const [paymentsFen, refundsFen, reversalsFen] = [Number(row.payments), Number(row.refunds), Number(row.reversals)];
    return { method: row.method as PaymentMethod, paymentsFen, refundsFen, reversalsFen, netFen: paymentsFen + refundsFen + reversalsFen, count: row.count };
  });
  const total = (pick: (row: (typeof methods)[number]) => number) => methods.reduce((sum, row) => sum + pick(row), 0);
  return {
    storeId: scope.storeId,
    businessDate: scope.businessDate,
    scope: scopeKey(scope),
    byMethod: methods,
    paymentsFen: total((row) => row.paymentsFen),
    refundsFen: total((row) => row.refundsFen),
    reversalsFen: total((row) => row.reversalsFen),
    netFen: total((row) => row.netFen),
    ordersPlaced: sales?.orders ?? 0,
    salesFen: Number(sales?.sales ?? 0),
    arrearsCreatedFen: Number(sales?.arrears ?? 0),
    deductions: executed?.deductions ?? 0,
    deductionReversals: executed?.reversals ?? 0,
    reversalsByReason: reasons.map((row) => ({ reasonCode: row.reason_code ?? 'other', count: row.count, amountFen: Number(row.amount) })),
    closedAt: closed?.closedAt.toISOString() ?? null,
    closedByName: closer ?? null,
  };
};

/** Records the close with its totals as they stand; a day (or a cashier's shift) closes once. */
export const closeShift = async (tx: Executor, ctx: Ctx, scope: ShiftScope) => {
  assertStoreAccess(ctx, scope.storeId);
  const totals = await shiftTotals(tx, ctx.tenantId, scope);
  if (totals.closedAt) throw new DomainError('conflict', 'SHIFT_ALREADY_CLOSED', scope.cashierId ? '该收银员当日已交班' : '该门店当日已日结');
  const id = newId();
  try {
    await tx.insert(shiftCloses).values({
      tenantId: ctx.tenantId,
      id,
      storeId: scope.storeId,
      scope: scopeKey(scope),
      businessDate: scope.businessDate,
      totals,
      closedBy: ctx.actor.id,
      closedAt: ctx.now,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', 'SHIFT_ALREADY_CLOSED', '已交班或日结');
    throw error;
  }
  await writeAudit(tx, ctx.actor, { action: 'shift.close', entityType: 'shift_close', entityId: id, after: totals });
  return shiftTotals(tx, ctx.tenantId, scope);
};

/** Reversals and refunds by reason over a period: what went wrong, how often, how much. */
/** The stores a report covers: one store, a scoped actor's stores, or (neither) the whole clinic. */
export type ReportRange = { from: string; to: string; storeId?: string; storeIds?: readonly string[] };

const storeFilter = (column: SQL, range: ReportRange): SQL => {
  if (range.storeId) return sql`and ${column} = ${range.storeId}`;
  if (range.storeIds)
    return range.storeIds.length === 0
      ? sql`and false`
      : sql`and ${column} in ${sql`(${sql.join(
          range.storeIds.map((id) => sql`${id}`),
          sql`, `,
        )})`}`;
  return sql``;
};

export const reversalReport = async (tx: Executor, tenantId: string, range: ReportRange) => {
  const store = storeFilter(sql`store_id`, range);
  const rows = await queryRows<{ kind: string; reason_code: string | null; count: number; amount: number }>(
    tx,
    sql`select 'payment_reversal' as kind, reason_code, count(*)::int as count, coalesce(sum(-amount_fen), 0)::bigint as amount
          from ${payments} where tenant_id = ${tenantId} and kind = 'reversal' and business_date between ${range.from}::date and ${range.to}::date ${store}
          group by reason_code
        union all
        select 'refund', r.reason_code, count(*)::int, coalesce(sum(r.amount_fen), 0)::bigint
          from ${refunds} r join ${orders} o on o.tenant_id = r.tenant_id and o.id = r.order_id
          where r.tenant_id = ${tenantId} and r.business_date between ${range.from}::date and ${range.to}::date ${storeFilter(sql`o.store_id`, range)}
          group by r.reason_code
        union all
        select 'deduction_reversal', reason_code, count(*)::int, coalesce(sum(-value_fen), 0)::bigint
          from ${deductions} where tenant_id = ${tenantId} and reverses_id is not null and business_date between ${range.from}::date and ${range.to}::date ${store}
          group by reason_code
        order by 1, 2`,
  );
  return rows.map((row) => ({ kind: row.kind, reasonCode: row.reason_code ?? 'other', count: row.count, amountFen: Number(row.amount) }));
};

/** 业绩 per staff member over a period: sales credited on order lines, execution on deductions, net of refunds and reversals. */
export const performanceReport = async (tx: Executor, tenantId: string, range: ReportRange) => {
  const store = storeFilter(sql`c.store_id`, range);
  const rows = await queryRows<{
    staff_id: string;
    display_name: string;
    sales: number;
    execution: number;
    refunds: number;
    lines: number;
    deductions: number;
  }>(
    tx,
    sql`select c.staff_id, s.display_name,
          coalesce(sum(c.amount_fen) filter (where c.source_type = 'order_line'), 0)::bigint as sales,
          coalesce(sum(c.amount_fen) filter (where c.source_type in ('deduction', 'deduction_reversal')), 0)::bigint as execution,
          coalesce(sum(c.amount_fen) filter (where c.source_type = 'refund'), 0)::bigint as refunds,
          count(*) filter (where c.source_type = 'order_line')::int as lines,
          (count(*) filter (where c.source_type = 'deduction') - count(*) filter (where c.source_type = 'deduction_reversal'))::int as deductions
        from ${performanceCredits} c
        join staff_users s on s.tenant_id = c.tenant_id and s.id = c.staff_id
        where c.tenant_id = ${tenantId} and c.business_date between ${range.from}::date and ${range.to}::date ${store}
        group by c.staff_id, s.display_name
        order by sales desc, s.display_name`,
  );
  return rows.map((row) => ({
    staffId: row.staff_id,
    staffName: row.display_name,
    salesFen: Number(row.sales),
    refundsFen: Number(row.refunds),
    netSalesFen: Number(row.sales) + Number(row.refunds),
    executionFen: Number(row.execution),
    lines: row.lines,
    deductions: row.deductions,
  }));
};
