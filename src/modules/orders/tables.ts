import { bigint, boolean, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { items } from '../catalog/index.js';
import { customers } from '../customers/index.js';
import { staffUsers } from '../staff/index.js';
import { stores, tenants } from '../tenants/index.js';

/** Human order numbers per tenant and business day: 20261123-0001. */
export const orderNumberSequences = pgTable(
  'order_number_sequences',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    lastNumber: integer('last_number').notNull(),
  },
  (t) => [primaryKey({ name: 'order_number_sequences_pkey', columns: [t.tenantId, t.businessDate] })],
);

/**
 * An order: `open` while it waits in the front desk's unpaid queue, `placed` once checked out
 * (possibly with arrears), `voided` if an open order is abandoned. Nothing is deleted.
 */
export const orders = pgTable(
  'orders',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    number: text('number').notNull(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    orderType: text('order_type').notNull(),
    status: text('status').notNull(),
    totalFen: bigint('total_fen', { mode: 'number' }).notNull(),
    /** Value of lines refunded; the customer owes total − refunded. */
    refundedFen: bigint('refunded_fen', { mode: 'number' }).notNull().default(0),
    /** Net money received: payments − refund payouts − reversed payments. */
    paidFen: bigint('paid_fen', { mode: 'number' }).notNull().default(0),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    visitId: uuid('visit_id'),
    /** 到访类型 of the order: the day's visit type, or not_visited (未到访). */
    visitType: text('visit_type').notNull().default('not_visited'),
    /** Decided once at checkout under the rules then in force; later rule changes never change it. */
    isDeal: boolean('is_deal'),
    dealReasons: jsonb('deal_reasons').$type<string[]>(),
    openedBy: uuid('opened_by'),
    placedBy: uuid('placed_by'),
    placedAt: timestamp('placed_at', { withTimezone: true }),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    voidReason: text('void_reason'),
    /** How the order was priced (开单定价): totals by kind, the customer's explanation, card and voucher benefits used. */
    pricing: jsonb('pricing').$type<Record<string, unknown>>(),
    notes: text('notes'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'orders_pkey', columns: [t.tenantId, t.id] }),
    unique('orders_number_key').on(t.tenantId, t.number),
    foreignKey({ name: 'orders_store_fkey', columns: [t.tenantId, t.storeId], foreignColumns: [stores.tenantId, stores.id] }),
    foreignKey({ name: 'orders_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('orders_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('orders_store_day_idx').on(t.tenantId, t.storeId, t.businessDate),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    orderId: uuid('order_id').notNull(),
    lineNo: integer('line_no').notNull(),
    itemId: uuid('item_id').notNull(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    unitPriceFen: bigint('unit_price_fen', { mode: 'number' }).notNull(),
    quantity: integer('quantity').notNull(),
    discountFen: bigint('discount_fen', { mode: 'number' }).notNull().default(0),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    refundedQuantity: integer('refunded_quantity').notNull().default(0),
    refundedFen: bigint('refunded_fen', { mode: 'number' }).notNull().default(0),
    /** Attribution shares chosen at order time: [{ staffId, role, ratioPercent }]. */
    attribution: jsonb('attribution').$type<{ staffId: string; role: string; ratioPercent: number }[]>().notNull(),
  },
  (t) => [
    primaryKey({ name: 'order_lines_pkey', columns: [t.tenantId, t.id] }),
    unique('order_lines_order_line_no_key').on(t.tenantId, t.orderId, t.lineNo),
    foreignKey({ name: 'order_lines_order_fkey', columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
    foreignKey({ name: 'order_lines_item_fkey', columns: [t.tenantId, t.itemId], foreignColumns: [items.tenantId, items.id] }),
  ],
);

/**
 * Money movements of an order, append-only: payments (+), refund payouts (−) and reversals of
 * a wrong payment (−, naming the payment they reverse, at most once).
 */
export const payments = pgTable(
  'payments',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    orderId: uuid('order_id').notNull(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: text('kind').notNull(),
    method: text('method').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    reversesId: uuid('reverses_id'),
    refundId: uuid('refund_id'),
    reasonCode: text('reason_code'),
    note: text('note'),
    cashierId: uuid('cashier_id'),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'payments_pkey', columns: [t.tenantId, t.id] }),
    unique('payments_reverses_key').on(t.tenantId, t.reversesId),
    foreignKey({ name: 'payments_order_fkey', columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
    foreignKey({ name: 'payments_reverses_fkey', columns: [t.tenantId, t.reversesId], foreignColumns: [t.tenantId, t.id] }),
    index('payments_store_day_idx').on(t.tenantId, t.storeId, t.businessDate),
  ],
);

export const refunds = pgTable(
  'refunds',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    orderId: uuid('order_id').notNull(),
    /** Value of the lines refunded. */
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    /** Money paid back (≤ amount). */
    payoutFen: bigint('payout_fen', { mode: 'number' }).notNull(),
    lines: jsonb('lines').$type<{ lineId: string; quantity: number; amountFen: number; sessions?: number }[]>().notNull(),
    reasonCode: text('reason_code').notNull(),
    note: text('note'),
    createdBy: uuid('created_by'),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'refunds_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'refunds_order_fkey', columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
  ],
);

/** 疗程: sessions a customer bought with a package or course card. */
export const courses = pgTable(
  'courses',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    orderId: uuid('order_id').notNull(),
    orderLineId: uuid('order_line_id').notNull(),
    packageItemId: uuid('package_item_id').notNull(),
    name: text('name').notNull(),
    expiresOn: date('expires_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'courses_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'courses_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ name: 'courses_order_fkey', columns: [t.tenantId, t.orderId], foreignColumns: [orders.tenantId, orders.id] }),
    index('courses_customer_idx').on(t.tenantId, t.customerId),
  ],
);

export const courseItems = pgTable(
  'course_items',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    courseId: uuid('course_id').notNull(),
    itemId: uuid('item_id').notNull(),
    name: text('name').notNull(),
    totalSessions: integer('total_sessions').notNull(),
    usedSessions: integer('used_sessions').notNull().default(0),
    refundedSessions: integer('refunded_sessions').notNull().default(0),
    /** The share of the order line's amount these sessions carry (largest remainder by list value). */
    valueFen: bigint('value_fen', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'course_items_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'course_items_course_fkey', columns: [t.tenantId, t.courseId], foreignColumns: [courses.tenantId, courses.id] }),
  ],
);

/** 划扣: executing sessions of a course (+), or the reversal of a wrong one (−, at most once). */
export const deductions = pgTable(
  'deductions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    courseId: uuid('course_id').notNull(),
    courseItemId: uuid('course_item_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    storeId: uuid('store_id').notNull(),
    sessions: integer('sessions').notNull(),
    valueFen: bigint('value_fen', { mode: 'number' }).notNull(),
    executorId: uuid('executor_id'),
    visitId: uuid('visit_id'),
    reversesId: uuid('reverses_id'),
    reasonCode: text('reason_code'),
    note: text('note'),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'deductions_pkey', columns: [t.tenantId, t.id] }),
    unique('deductions_reverses_key').on(t.tenantId, t.reversesId),
    foreignKey({ name: 'deductions_course_item_fkey', columns: [t.tenantId, t.courseItemId], foreignColumns: [courseItems.tenantId, courseItems.id] }),
    foreignKey({ name: 'deductions_reverses_fkey', columns: [t.tenantId, t.reversesId], foreignColumns: [t.tenantId, t.id] }),
    foreignKey({ name: 'deductions_executor_fkey', columns: [t.tenantId, t.executorId], foreignColumns: [staffUsers.tenantId, staffUsers.id] }),
    index('deductions_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
  ],
);

/** 业绩: credits to staff for order lines (sales) and deductions (execution); refunds and reversals credit back (−). */
export const performanceCredits = pgTable(
  'performance_credits',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    sourceType: text('source_type').notNull(),
    sourceId: uuid('source_id').notNull(),
    orderId: uuid('order_id'),
    storeId: uuid('store_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    role: text('role').notNull(),
    ratioBasisPoints: integer('ratio_basis_points').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'performance_credits_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'performance_credits_staff_fkey', columns: [t.tenantId, t.staffId], foreignColumns: [staffUsers.tenantId, staffUsers.id] }),
    index('performance_credits_staff_day_idx').on(t.tenantId, t.staffId, t.businessDate),
    index('performance_credits_source_idx').on(t.tenantId, t.sourceType, t.sourceId),
  ],
);

/** 交班 / 日结: a recorded close of a store's (or one cashier's) business day. */
export const shiftCloses = pgTable(
  'shift_closes',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    storeId: uuid('store_id').notNull(),
    /** 'all' for the store's daily close, else the cashier's staff id. */
    scope: text('scope').notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    totals: jsonb('totals').notNull(),
    /** The cash the desk counted at the close (null: not counted). */
    countedCashFen: bigint('counted_cash_fen', { mode: 'number' }),
    closedBy: uuid('closed_by'),
    closedAt: timestamp('closed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'shift_closes_pkey', columns: [t.tenantId, t.id] }),
    unique('shift_closes_scope_key').on(t.tenantId, t.storeId, t.businessDate, t.scope),
    foreignKey({ name: 'shift_closes_store_fkey', columns: [t.tenantId, t.storeId], foreignColumns: [stores.tenantId, stores.id] }),
  ],
);
