import { bigint, boolean, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/index.js';
import { tenants } from '../tenants/index.js';
import type { TierBenefits, TierCriteria } from './rules.js';

/**
 * 会员等级: the tenant's ordered tiers. `rank` orders them (1 = the lowest); criteria decide who
 * reaches a tier, the retention rule what happens at the end of a customer's period, benefits
 * what the tier gives. Archived tiers are kept for history and never evaluated.
 */
export const membershipTiers = pgTable(
  'membership_tiers',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    rank: integer('rank').notNull(),
    /** Customer-facing text; checked against advertising-law wording before it is saved. */
    description: text('description').notNull().default(''),
    criteria: jsonb('criteria').$type<TierCriteria>().notNull(),
    /** re_evaluate | down_one | never_down */
    retention: text('retention').notNull(),
    benefits: jsonb('benefits').$type<TierBenefits>().notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'membership_tiers_pkey', columns: [t.tenantId, t.id] }), index('membership_tiers_rank_idx').on(t.tenantId, t.rank)],
);

/**
 * The customer's current tier: one row per customer who has been evaluated, locked by every
 * evaluation. `floorTierId` is what the customer keeps until `periodEndsOn` whatever refunds
 * happen (the tier held when the period began, or set by hand); the retention sweep renews
 * the period on that date.
 */
export const customerTiers = pgTable(
  'customer_tiers',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    tierId: uuid('tier_id'),
    floorTierId: uuid('floor_tier_id'),
    since: timestamp('since', { withTimezone: true }).notNull(),
    periodEndsOn: date('period_ends_on', { mode: 'string' }).notNull(),
    evaluatedAt: timestamp('evaluated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'customer_tiers_pkey', columns: [t.tenantId, t.customerId] }),
    foreignKey({ name: 'customer_tiers_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ name: 'customer_tiers_tier_fkey', columns: [t.tenantId, t.tierId], foreignColumns: [membershipTiers.tenantId, membershipTiers.id] }),
    foreignKey({ name: 'customer_tiers_floor_fkey', columns: [t.tenantId, t.floorTierId], foreignColumns: [membershipTiers.tenantId, membershipTiers.id] }),
    // What the retention sweep scans: periods ending, per tenant.
    index('customer_tiers_period_idx').on(t.tenantId, t.periodEndsOn),
    index('customer_tiers_tier_idx').on(t.tenantId, t.tierId),
  ],
);

/** 等级变动: append-only history of every tier change, with the criterion and the figures behind it. */
export const customerTierChanges = pgTable(
  'customer_tier_changes',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    fromTierId: uuid('from_tier_id'),
    toTierId: uuid('to_tier_id'),
    /** Names as they were, so history reads right after a tier is renamed or archived. */
    fromName: text('from_name'),
    toName: text('to_name'),
    /** up | down | manual */
    direction: text('direction').notNull(),
    /** order_payment | payment_reversal | refund | top_up | top_up_refund | retention | manual */
    cause: text('cause').notNull(),
    sourceId: text('source_id'),
    /** The criterion that decided it (growth, consumption, visits, top_up, retention rule …). */
    criterion: text('criterion'),
    figures: jsonb('figures').notNull(),
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    note: text('note'),
    actorId: uuid('actor_id'),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'customer_tier_changes_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'customer_tier_changes_customer_fkey',
      columns: [t.tenantId, t.customerId],
      foreignColumns: [customers.tenantId, customers.id],
    }),
    index('customer_tier_changes_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
  ],
);

/**
 * Gifts (vouchers) a tier gives on upgrade, recorded as pending until the vouchers module issues
 * them. Once per customer, tier and gift: a refund that undoes the upgrade voids the pending
 * ones, and a later upgrade to the same tier makes them pending again rather than doubling them.
 */
export const membershipPendingGifts = pgTable(
  'membership_pending_gifts',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    tierId: uuid('tier_id').notNull(),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    faceValueFen: bigint('face_value_fen', { mode: 'number' }).notNull(),
    quantity: integer('quantity').notNull(),
    /** pending | issued | voided */
    status: text('status').notNull(),
    changeId: uuid('change_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'membership_pending_gifts_pkey', columns: [t.tenantId, t.id] }),
    unique('membership_pending_gifts_once_key').on(t.tenantId, t.customerId, t.tierId, t.position),
    foreignKey({
      name: 'membership_pending_gifts_customer_fkey',
      columns: [t.tenantId, t.customerId],
      foreignColumns: [customers.tenantId, customers.id],
    }),
    foreignKey({
      name: 'membership_pending_gifts_tier_fkey',
      columns: [t.tenantId, t.tierId],
      foreignColumns: [membershipTiers.tenantId, membershipTiers.id],
    }),
  ],
);

/**
 * Top-ups as reported by the stored-value module through `evaluateTier` (cause `top_up`), so the
 * top-up criterion can be measured over the window again at period end. One row per top-up;
 * a refunded top-up is marked and no longer counts.
 */
export const membershipTopUps = pgTable(
  'membership_top_ups',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    sourceId: text('source_id').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    isRefunded: boolean('is_refunded').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'membership_top_ups_pkey', columns: [t.tenantId, t.sourceId] }),
    foreignKey({ name: 'membership_top_ups_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('membership_top_ups_customer_idx').on(t.tenantId, t.customerId, t.businessDate),
  ],
);
