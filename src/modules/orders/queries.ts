import { and, asc, count, desc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { notFound } from '../../platform/errors.js';
import type { VisitType } from '../customers/index.js';
import { customers } from '../customers/index.js';
import { staffNames } from '../staff/index.js';
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

export const getOrderView = async (tx: Executor, tenantId: string, orderId: string): Promise<OrderView> => {
  const [row] = await tx
    .select({ order: orders, customerName: customers.name, allergies: customers.allergies, storeName: stores.name })
    .from(orders)
    .innerJoin(customers, and(eq(customers.tenantId, orders.tenantId), eq(customers.id, orders.customerId)))
    .innerJoin(stores, and(eq(stores.tenantId, orders.tenantId), eq(stores.id, orders.storeId)))
    .where(and(eq(orders.tenantId, tenantId), eq(orders.id, orderId)));
  if (!row) throw notFound('订单', 'ORDER_NOT_FOUND');
  const lines = await tx
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.tenantId, tenantId), eq(orderLines.orderId, orderId)))
    .orderBy(asc(orderLines.lineNo));
  const paymentRows = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.tenantId, tenantId), eq(payments.orderId, orderId)))
    .orderBy(asc(payments.createdAt), asc(payments.id));
  const reversed = new Set(paymentRows.flatMap((payment) => (payment.reversesId ? [payment.reversesId] : [])));
  const staffIds = [
    ...lines.flatMap((line) => (line.attribution as AttributionShare[]).map((share) => share.staffId)),
    ...paymentRows.flatMap((payment) => (payment.cashierId ? [payment.cashierId] : [])),
    ...(row.order.openedBy ? [row.order.openedBy] : []),
  ];
  const names = await staffNames(tx, tenantId, staffIds);
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
