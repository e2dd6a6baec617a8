import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { assertStoreAccess, type Ctx } from '../../platform/context.js';
import { DomainError, isUniqueViolation } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { staffNames } from '../staff/index.js';
import { lockStoreForWrite, markStoreDayClosed, setStoreLastClosedDay } from '../tenants/index.js';
import type { PaymentMethod } from './schemas.js';
import { deductions, orders, payments, performanceCredits, refunds, shiftCloses } from './tables.js';

export type ShiftScope = { storeId: string; businessDate: string; cashierId?: string };

const scopeKey = (scope: ShiftScope) => scope.cashierId ?? 'all';

/** Methods that move money the clinic holds; the rest settle with value already held (积分抵现, 储值). */
export const moneyMethods: ReadonlySet<string> = new Set(['cash', 'bank_card', 'wechat', 'alipay']);

/** 12月7日 */
const monthDay = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/**
 * Every value-moving write dated today (checkout, payment, refund, reversal, 划扣) passes here
 * first, before any of its own locks: the store's row is locked in share mode until the write
 * commits, so a 日结 (which updates that row) waits for writes in flight, and a write waiting on a
 * close in progress then reads the day it closed. 409 DAY_CLOSED once today is closed.
 * STORE_CLOSED unless `allowClosedStore` (refunds and reversals of a store that closed down).
 */
export const assertDayOpen = async (tx: Executor, ctx: Ctx, storeId: string, options: { path?: string; allowClosedStore?: boolean } = {}) => {
  const { lastClosedDay } = await lockStoreForWrite(tx, ctx.tenantId, storeId, { path: options.path, allowClosed: options.allowClosedStore });
  if (lastClosedDay && lastClosedDay >= ctx.today)
    throw new DomainError('conflict', 'DAY_CLOSED', `该门店 ${monthDay(ctx.today)} 已日结，如需补录请店长先重新开账`);
};

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
  const actorId = scope.cashierId ? sql`and v.actor_id = ${scope.cashierId}` : sql``;
  const [executed] = await queryRows<{ deductions: number; reversals: number; value: number; vouchers: number }>(
    tx,
    sql`select count(*) filter (where d.reverses_id is null)::int as deductions, count(*) filter (where d.reverses_id is not null)::int as reversals,
          coalesce(sum(d.value_fen), 0)::bigint as value,
          (select coalesce(sum(case when v.type = 'use' then v.amount_fen else -v.amount_fen end), 0)::bigint from voucher_events v
            where v.tenant_id = ${tenantId} and v.store_id = ${scope.storeId} and v.type in ('use', 'restore') and v.amount_fen is not null ${actorId}
              and (select ((v.created_at at time zone t.timezone) - t.business_day_start::interval)::date from tenants t where t.id = ${tenantId}) = ${scope.businessDate}::date) as vouchers
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
    return {
      method: row.method as PaymentMethod,
      isMoney: moneyMethods.has(row.method),
      paymentsFen,
      refundsFen,
      reversalsFen,
      netFen: paymentsFen + refundsFen + reversalsFen,
      count: row.count,
    };
  });
  const money = methods.filter((row) => row.isMoney);
  const total = (pick: (row: (typeof methods)[number]) => number) => money.reduce((sum, row) => sum + pick(row), 0);
  const netOf = (method: string) => methods.find((row) => row.method === method)?.netFen ?? 0;
  const expectedCashFen = netOf('cash');
  const countedCashFen = closed?.countedCashFen ?? null;
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
    nonCash: {
      pointsFen: netOf('points'),
      storedValueFen: netOf('stored_value'),
      vouchersFen: Number(executed?.vouchers ?? 0),
      deductionValueFen: Number(executed?.value ?? 0),
    },
    cash: { expectedFen: expectedCashFen, countedFen: countedCashFen, differenceFen: countedCashFen === null ? null : countedCashFen - expectedCashFen },
    reversalsByReason: reasons.map((row) => ({ reasonCode: row.reason_code ?? 'other', count: row.count, amountFen: Number(row.amount) })),
    closedAt: closed?.closedAt.toISOString() ?? null,
    closedByName: closer ?? null,
  };
};

/** Records the close with its totals as they stand; a day (or a cashier's shift) closes once. */
export const closeShift = async (tx: Executor, ctx: Ctx, scope: ShiftScope, input: { countedCashFen?: number | null } = {}) => {
  assertStoreAccess(ctx, scope.storeId);
  if (scope.businessDate > ctx.today)
    throw new DomainError('rule', 'SHIFT_DAY_NOT_STARTED', '不能为尚未开始的营业日交班或日结', [{ path: 'body.businessDate', message: '晚于今天' }]);
  // 日结 first takes the store's row: writes in flight finish (and count), later ones see the day closed.
  if (!scope.cashierId) await markStoreDayClosed(tx, ctx.tenantId, scope.storeId, scope.businessDate);
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
      countedCashFen: input.countedCashFen ?? null,
      closedBy: ctx.actor.id,
      closedAt: ctx.now,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', 'SHIFT_ALREADY_CLOSED', '已交班或日结');
    throw error;
  }
  await writeAudit(tx, ctx.actor, {
    action: 'shift.close',
    entityType: 'shift_close',
    entityId: id,
    after: { ...totals, countedCashFen: input.countedCashFen ?? null },
  });
  return shiftTotals(tx, ctx.tenantId, scope);
};

/**
 * 重新开账: a store's 日结 is withdrawn (its row deleted; the audit keeps its figures and the
 * reason), so the day takes writes again; closing it again records new figures.
 */
export const reopenDay = async (tx: Executor, ctx: Ctx, scope: { storeId: string; businessDate: string }, reason: string) => {
  assertStoreAccess(ctx, scope.storeId);
  const [closed] = await tx
    .select()
    .from(shiftCloses)
    .where(
      and(
        eq(shiftCloses.tenantId, ctx.tenantId),
        eq(shiftCloses.storeId, scope.storeId),
        eq(shiftCloses.businessDate, scope.businessDate),
        eq(shiftCloses.scope, 'all'),
      ),
    )
    .for('update');
  if (!closed) throw new DomainError('conflict', 'DAY_NOT_CLOSED', `该门店 ${monthDay(scope.businessDate)} 尚未日结`);
  await tx.delete(shiftCloses).where(and(eq(shiftCloses.tenantId, ctx.tenantId), eq(shiftCloses.id, closed.id)));
  const [latest] = await tx
    .select({ businessDate: shiftCloses.businessDate })
    .from(shiftCloses)
    .where(and(eq(shiftCloses.tenantId, ctx.tenantId), eq(shiftCloses.storeId, scope.storeId), eq(shiftCloses.scope, 'all')))
    .orderBy(desc(shiftCloses.businessDate))
    .limit(1);
  await setStoreLastClosedDay(tx, ctx.tenantId, scope.storeId, latest?.businessDate ?? null);
  await writeAudit(tx, ctx.actor, {
    action: 'shift.reopen',
    entityType: 'shift_close',
    entityId: closed.id,
    before: {
      businessDate: closed.businessDate,
      totals: closed.totals,
      countedCashFen: closed.countedCashFen,
      closedAt: closed.closedAt,
      closedBy: closed.closedBy,
    },
    after: { reason },
  });
  return shiftTotals(tx, ctx.tenantId, { storeId: scope.storeId, businessDate: scope.businessDate });
};

/** What is still open on a store's day before its 日结: unpaid orders, appointments not arrived, cashiers' shifts not closed. */
export const dayOpenItems = async (tx: Executor, tenantId: string, scope: { storeId: string; businessDate: string }) => {
  const [counts] = await queryRows<{ orders: number; orders_fen: number; appointments: number }>(
    tx,
    sql`select (select count(*)::int from ${orders} o where o.tenant_id = ${tenantId} and o.store_id = ${scope.storeId}
                 and o.business_date = ${scope.businessDate}::date and o.status = 'open') as orders,
               (select coalesce(sum(o.total_fen), 0)::bigint from ${orders} o where o.tenant_id = ${tenantId} and o.store_id = ${scope.storeId}
                 and o.business_date = ${scope.businessDate}::date and o.status = 'open') as orders_fen,
               (select count(*)::int from appointments a where a.tenant_id = ${tenantId} and a.store_id = ${scope.storeId}
                 and a.business_date = ${scope.businessDate}::date and a.status = 'booked') as appointments`,
  );
  const cashiers = await queryRows<{ cashier_id: string }>(
    tx,
    sql`select distinct p.cashier_id from ${payments} p
        where p.tenant_id = ${tenantId} and p.store_id = ${scope.storeId} and p.business_date = ${scope.businessDate}::date and p.cashier_id is not null
          and not exists (select 1 from ${shiftCloses} c where c.tenant_id = p.tenant_id and c.store_id = p.store_id
            and c.business_date = p.business_date and c.scope = p.cashier_id::text)`,
  );
  const names = await staffNames(
    tx,
    tenantId,
    cashiers.map((row) => row.cashier_id),
  );
  return {
    unpaidOrders: counts?.orders ?? 0,
    unpaidOrdersFen: Number(counts?.orders_fen ?? 0),
    appointmentsNotArrived: counts?.appointments ?? 0,
    shiftsNotClosed: cashiers.map((row) => ({ cashierId: row.cashier_id, name: names.get(row.cashier_id) ?? '' })),
  };
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
