import { and, asc, count, desc, eq, gt, inArray, ne, notInArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows, rowFromJson } from '../../db/client.js';
import { notFound } from '../../platform/errors.js';
import type { VisitType } from '../customers/index.js';
import { customers } from '../customers/index.js';
import { staffNames, staffUsers } from '../staff/index.js';
import { stores } from '../tenants/index.js';
import { type AttributionShare, splitAttribution } from './attribution.js';
import type { LineKind } from './deal-rules.js';
import { arrearsOf, dueOf } from './place-order.js';
import type { OrderView, PaymentMethod } from './schemas.js';
import { orderLines, orders, payments } from './tables.js';

type OrderRow = typeof orders.$inferSelect;

const baseView = (order: OrderRow, customer: { name: string; allergies: string[] }, storeName: string, openedByName: string | null) => ({
  id: order.id,
  number: order.number,
  storeId: order.storeId,
  storeName,
  customerId: order.customerId,
  customerName: customer.name,
  hasAllergy: customer.allergies.length > 0,
  allergies: customer.allergies,
  orderType: order.orderType,
  status: order.status as OrderView['status'],
  totalFen: order.totalFen,
  refundedFen: order.refundedFen,
  dueFen: dueOf(order),
  paidFen: order.paidFen,
  arrearsFen: arrearsOf(order),
  businessDate: order.businessDate,
  visitType: order.visitType as VisitType | 'not_visited',
  isDeal: order.isDeal,
  openedBy: order.openedBy,
  openedByName,
  placedAt: order.placedAt?.toISOString() ?? null,
  voidReason: order.voidReason,
  notes: order.notes,
  createdAt: order.createdAt.toISOString(),
});

/**
 * An order with its lines, payments and the names of the staff they mention: one statement,
 * since checkout answers with it inside its transaction.
 */
export const getOrderView = async (tx: Executor, tenantId: string, orderId: string): Promise<OrderView> => {
  const [found] = await queryRows<{
    order: Record<string, unknown>;
    customer_name: string;
    allergies: string[];
    store_name: string;
    lines: Record<string, unknown>[];
    payments: Record<string, unknown>[];
    names: Record<string, string>;
  }>(
    tx,
    sql`select to_jsonb(o) as order, c.name as customer_name, c.allergies, s.name as store_name,
               (select coalesce(jsonb_agg(to_jsonb(l) order by l.line_no), '[]') from ${orderLines} l
                 where l.tenant_id = o.tenant_id and l.order_id = o.id) as lines,
               (select coalesce(jsonb_agg(to_jsonb(p) order by p.created_at, p.id), '[]') from ${payments} p
                 where p.tenant_id = o.tenant_id and p.order_id = o.id) as payments,
               (select coalesce(jsonb_object_agg(u.id, u.display_name), '{}') from ${staffUsers} u
                 where u.tenant_id = o.tenant_id and u.id in (
                   select o.opened_by
                   union select p.cashier_id from ${payments} p where p.tenant_id = o.tenant_id and p.order_id = o.id
                   union select (a->>'staffId')::uuid from ${orderLines} l, jsonb_array_elements(l.attribution) a
                          where l.tenant_id = o.tenant_id and l.order_id = o.id)) as names
          from ${orders} o
          join ${customers} c on c.tenant_id = o.tenant_id and c.id = o.customer_id
          join ${stores} s on s.tenant_id = o.tenant_id and s.id = o.store_id
         where o.tenant_id = ${tenantId} and o.id = ${orderId}`,
  );
  if (!found) throw notFound('订单', 'ORDER_NOT_FOUND');
  const row = { order: rowFromJson(orders, found.order), customerName: found.customer_name, allergies: found.allergies, storeName: found.store_name };
  const lines = found.lines.map((line) => rowFromJson(orderLines, line));
  const paymentRows = found.payments.map((payment) => rowFromJson(payments, payment));
  const names = new Map(Object.entries(found.names));
  const reversed = new Set(paymentRows.flatMap((payment) => (payment.reversesId ? [payment.reversesId] : [])));
  return {
    ...baseView(
      row.order,
      { name: row.customerName, allergies: row.allergies },
      row.storeName,
      row.order.openedBy ? (names.get(row.order.openedBy) ?? null) : null,
    ),
    dealReasons: row.order.dealReasons ?? [],
    lines: lines.map((line) => ({
      id: line.id,
      lineNo: line.lineNo,
      itemId: line.itemId,
      kind: line.kind as LineKind,
      name: line.name,
      unitPriceFen: line.unitPriceFen,
      quantity: line.quantity,
      discountFen: line.discountFen,
      amountFen: line.amountFen,
      refundedQuantity: line.refundedQuantity,
      refundedFen: line.refundedFen,
      attribution: splitAttribution(line.amountFen, line.attribution as AttributionShare[]).map((share) => ({
        ...share,
        staffName: names.get(share.staffId) ?? null,
      })),
    })),
    payments: paymentRows.map((payment) => ({
      id: payment.id,
      kind: payment.kind as 'payment' | 'refund' | 'reversal',
      method: payment.method as PaymentMethod,
      amountFen: payment.amountFen,
      reversesId: payment.reversesId,
      isReversed: reversed.has(payment.id),
      reasonCode: payment.reasonCode,
      note: payment.note,
      cashierId: payment.cashierId,
      cashierName: payment.cashierId ? (names.get(payment.cashierId) ?? null) : null,
      businessDate: payment.businessDate,
      createdAt: payment.createdAt.toISOString(),
    })),
  };
};

export const listOrders = async (
  tx: Executor,
  tenantId: string,
  query: {
    storeId?: string;
    storeIds?: readonly string[];
    customerId?: string;
    status?: string;
    businessDate?: string;
    hasArrears?: boolean;
    /** Leave out orders voided before payment (the member's own list). */
    excludeVoided?: boolean;
    page: number;
    pageSize: number;
  },
) => {
  const conditions: (SQL | undefined)[] = [
    eq(orders.tenantId, tenantId),
    query.storeId ? eq(orders.storeId, query.storeId) : undefined,
    query.storeIds ? inArray(orders.storeId, [...query.storeIds]) : undefined,
    query.customerId ? eq(orders.customerId, query.customerId) : undefined,
    query.status ? eq(orders.status, query.status) : undefined,
    query.excludeVoided ? ne(orders.status, 'voided') : undefined,
    query.businessDate ? eq(orders.businessDate, query.businessDate) : undefined,
    query.hasArrears === undefined
      ? undefined
      : query.hasArrears
        ? and(eq(orders.status, 'placed'), gt(sql`${orders.totalFen} - ${orders.refundedFen} - ${orders.paidFen}`, 0))
        : sql`not (${orders.status} = 'placed' and ${orders.totalFen} - ${orders.refundedFen} - ${orders.paidFen} > 0)`,
  ];
  const where = and(...conditions);
  const rows = await tx
    .select({ order: orders, customerName: customers.name, allergies: customers.allergies, storeName: stores.name })
    .from(orders)
    .innerJoin(customers, and(eq(customers.tenantId, orders.tenantId), eq(customers.id, orders.customerId)))
    .innerJoin(stores, and(eq(stores.tenantId, orders.tenantId), eq(stores.id, orders.storeId)))
    .where(where)
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const [total] = await tx.select({ total: count() }).from(orders).where(where);
  const ids = rows.map((row) => row.order.id);
  const lineNames = ids.length
    ? await tx
        .select({ orderId: orderLines.orderId, name: orderLines.name })
        .from(orderLines)
        .where(and(eq(orderLines.tenantId, tenantId), inArray(orderLines.orderId, ids)))
        .orderBy(asc(orderLines.lineNo))
    : [];
  const names = await staffNames(
    tx,
    tenantId,
    rows.flatMap((row) => (row.order.openedBy ? [row.order.openedBy] : [])),
  );
  return {
    items: rows.map((row) => ({
      ...baseView(
        row.order,
        { name: row.customerName, allergies: row.allergies },
        row.storeName,
        row.order.openedBy ? (names.get(row.order.openedBy) ?? null) : null,
      ),
      itemNames: lineNames.filter((line) => line.orderId === row.order.id).map((line) => line.name),
    })),
    total: Number(total?.total ?? 0),
  };
};

/** A customer's orders per store, in the stores not listed (what a store-scoped account does not see). */
export const customerOrdersOutside = async (tx: Executor, tenantId: string, customerId: string, visibleStoreIds: readonly string[]) =>
  (
    await tx
      .select({ storeId: orders.storeId, orders: count() })
      .from(orders)
      .where(
        and(
          eq(orders.tenantId, tenantId),
          eq(orders.customerId, customerId),
          visibleStoreIds.length > 0 ? notInArray(orders.storeId, [...visibleStoreIds]) : undefined,
        ),
      )
      .groupBy(orders.storeId)
  ).map((row) => ({ storeId: row.storeId, orders: Number(row.orders) }));
