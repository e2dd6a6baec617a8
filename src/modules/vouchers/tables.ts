import { bigint, boolean, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/index.js';
import { tenants } from '../tenants/index.js';

/**
 * 券模板: what a voucher is (kind, value, scope, validity, stock, per-customer limit). Issued
 * vouchers keep a snapshot of it, so editing a template never changes a voucher already in a
 * wallet. `issued_count` is the stock counter: a conditional update that never passes
 * `total_stock` (COMPLIANCE I8).
 */
export const voucherTemplates = pgTable(
  'voucher_templates',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    /** What it gives, e.g. 「小气泡清洁体验券」; the customer-facing title adds value, scope and validity. */
    name: text('name').notNull(),
    /** cash_off | discount | item | gift */
    kind: text('kind').notNull(),
    /** cash_off: the amount off; item: the most it covers (null: the whole item). */
    faceValueFen: bigint('face_value_fen', { mode: 'number' }),
    /** cash_off: spend at least this on the items in scope (0: no threshold). */
    thresholdFen: bigint('threshold_fen', { mode: 'number' }).notNull().default(0),
    /** discount: the share off in basis points (2 000 = 20 % off = 8 折). */
    discountBasisPoints: integer('discount_basis_points'),
    /** discount: the most it takes off. */
    maxOffFen: bigint('max_off_fen', { mode: 'number' }),
    /** { itemIds, categoryIds }: both empty means any item except cards. */
    scope: jsonb('scope').notNull(),
    /** store | mall */
    channels: jsonb('channels').notNull(),
    /** fixed (valid_from … valid_to) | relative (valid_days from receipt) */
    validityKind: text('validity_kind').notNull(),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    validDays: integer('valid_days'),
    /** null: no stock limit. */
    totalStock: integer('total_stock'),
    issuedCount: integer('issued_count').notNull().default(0),
    perCustomerLimit: integer('per_customer_limit').notNull().default(1),
    /** 可叠加: combines with other vouchers and with tier or card discounts. */
    isStackable: boolean('is_stackable').notNull().default(true),
    description: text('description'),
    isActive: boolean('is_active').notNull().default(true),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'voucher_templates_pkey', columns: [t.tenantId, t.id] })],
);

/**
 * 发券: one way vouchers of a template reach customers, recorded as each voucher's source —
 * automatic on registration, periodic to existing customers, a self-claim link, share-to-get,
 * operations to an audience at a chosen time, a batch straight into wallets, a manual gift.
 */
export const voucherDistributions = pgTable(
  'voucher_distributions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    templateId: uuid('template_id').notNull(),
    /** registration | periodic | claim_link | share | operations | batch | manual */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** claim_link: the code in the portal's claim URL. */
    claimCode: text('claim_code'),
    /** operations / batch / periodic: { customerIds } | { phones } | { filter: { noOrderDays, … } }. */
    audience: jsonb('audience'),
    /** Vouchers each customer gets per run. */
    quantity: integer('quantity').notNull().default(1),
    /** periodic: { every: 'month', day } | { every: 'week', weekday }. */
    schedule: jsonb('schedule'),
    /** operations: when to issue; null: at once. */
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    /** active | scheduled | done | cancelled */
    status: text('status').notNull(),
    issuedCount: integer('issued_count').notNull().default(0),
    /** Why customers were passed over in the last run: { out_of_stock, over_limit, … }. */
    skipped: jsonb('skipped'),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'voucher_distributions_pkey', columns: [t.tenantId, t.id] }),
    unique('voucher_distributions_claim_code_key').on(t.tenantId, t.claimCode),
    foreignKey({
      name: 'voucher_distributions_template_fkey',
      columns: [t.tenantId, t.templateId],
      foreignColumns: [voucherTemplates.tenantId, voucherTemplates.id],
    }),
  ],
);

/**
 * 券包: a voucher in a customer's wallet. `issue_key` makes every issuance idempotent (a batch
 * re-run, a replayed claim); (template, customer, use_no) with use_no ≤ the template's
 * per-customer limit makes the limit hold under concurrency. `snapshot` is the voucher as issued.
 * Status: available → used (by an order or at the 核销 desk) → available again when a refund or
 * void restores it within its validity; voided by staff. Expired is available past `valid_to`.
 */
export const customerVouchers = pgTable(
  'customer_vouchers',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    /** null for vouchers with no template (a tier's upgrade gift). */
    templateId: uuid('template_id'),
    customerId: uuid('customer_id').notNull(),
    distributionId: uuid('distribution_id'),
    /** registration | periodic | claim | share | operations | batch | manual | tier_gift | referral */
    source: text('source').notNull(),
    sourceRef: text('source_ref'),
    issueKey: text('issue_key').notNull(),
    useNo: integer('use_no'),
    /** 核销码: 12 digits, unique per tenant, single use. */
    code: text('code').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
    /** available | used | voided */
    status: text('status').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedOrderId: uuid('used_order_id'),
    usedStoreId: uuid('used_store_id'),
    usedAmountFen: bigint('used_amount_fen', { mode: 'number' }),
    issuedBy: uuid('issued_by'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'customer_vouchers_pkey', columns: [t.tenantId, t.id] }),
    unique('customer_vouchers_issue_key').on(t.tenantId, t.issueKey),
    // Also the index by template (its prefix): a separate (tenant, template) index let a batch's per-customer
    // count of held vouchers scan the whole template while statistics still called it small.
    unique('customer_vouchers_use_no_key').on(t.tenantId, t.templateId, t.customerId, t.useNo),
    unique('customer_vouchers_code_key').on(t.tenantId, t.code),
    foreignKey({ name: 'customer_vouchers_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({
      name: 'customer_vouchers_template_fkey',
      columns: [t.tenantId, t.templateId],
      foreignColumns: [voucherTemplates.tenantId, voucherTemplates.id],
    }),
    foreignKey({
      name: 'customer_vouchers_distribution_fkey',
      columns: [t.tenantId, t.distributionId],
      foreignColumns: [voucherDistributions.tenantId, voucherDistributions.id],
    }),
    index('customer_vouchers_customer_idx').on(t.tenantId, t.customerId, t.status, t.validTo),
    index('customer_vouchers_order_idx').on(t.tenantId, t.usedOrderId),
  ],
);

/** Append-only history of each voucher: issue, use, restore, void — who, when, which order. */
export const voucherEvents = pgTable(
  'voucher_events',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    voucherId: uuid('voucher_id').notNull(),
    /** issue | use | restore | void | restore_refused */
    type: text('type').notNull(),
    orderId: uuid('order_id'),
    storeId: uuid('store_id'),
    amountFen: bigint('amount_fen', { mode: 'number' }),
    reason: jsonb('reason'),
    actorId: uuid('actor_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'voucher_events_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'voucher_events_voucher_fkey', columns: [t.tenantId, t.voucherId], foreignColumns: [customerVouchers.tenantId, customerVouchers.id] }),
    index('voucher_events_voucher_idx').on(t.tenantId, t.voucherId, t.createdAt),
  ],
);
