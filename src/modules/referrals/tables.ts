import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/index.js';
import { orders } from '../orders/index.js';

/** 推荐码: one per customer, in her invite link and poster. */
export const referralCodes = pgTable(
  'referral_codes',
  {
    tenantId: uuid('tenant_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    code: text('code').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'referral_codes_pkey', columns: [t.tenantId, t.customerId] }),
    unique('referral_codes_code_key').on(t.tenantId, t.code),
    foreignKey({ name: 'referral_codes_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);

/**
 * 转介绍: who brought whom, once per referred customer, and how far she came: registered →
 * arrived (first visit) → dealt (first 成交 under the deal rules in force).
 */
export const referrals = pgTable(
  'referrals',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    referrerId: uuid('referrer_id').notNull(),
    referredId: uuid('referred_id').notNull(),
    /** code (her link or poster) | staff (recorded at the desk) | import */
    channel: text('channel').notNull(),
    referredAt: timestamp('referred_at', { withTimezone: true }).notNull(),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
    firstVisitId: uuid('first_visit_id'),
    dealtAt: timestamp('dealt_at', { withTimezone: true }),
    firstDealOrderId: uuid('first_deal_order_id'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'referrals_pkey', columns: [t.tenantId, t.id] }),
    unique('referrals_referred_key').on(t.tenantId, t.referredId),
    foreignKey({ name: 'referrals_referrer_fkey', columns: [t.tenantId, t.referrerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ name: 'referrals_referred_fkey', columns: [t.tenantId, t.referredId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ name: 'referrals_order_fkey', columns: [t.tenantId, t.firstDealOrderId], foreignColumns: [orders.tenantId, orders.id] }),
    index('referrals_referrer_idx').on(t.tenantId, t.referrerId, t.referredAt),
  ],
);

/**
 * 推荐奖励: at most one per (referral, side, stage) — the unique key is what makes the reward
 * exactly once even when two qualifying orders commit at the same time. Points or a voucher,
 * never cash (反不正当竞争法); a capped reward is recorded as such, and a refund may claw back.
 */
export const referralRewards = pgTable(
  'referral_rewards',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    referralId: uuid('referral_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** referrer | referred */
    side: text('side').notNull(),
    /** registration | arrival | deal */
    stage: text('stage').notNull(),
    /** points | voucher | points_voucher (both, e.g. equal points and a new-customer voucher) */
    kind: text('kind').notNull(),
    points: integer('points'),
    pointsEntryId: uuid('points_entry_id'),
    voucherId: uuid('voucher_id'),
    orderId: uuid('order_id'),
    /** given | capped (over the monthly cap: recorded, nothing given) | skipped (nothing could be given) | clawed_back */
    status: text('status').notNull(),
    reason: jsonb('reason'),
    valueFen: bigint('value_fen', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'referral_rewards_pkey', columns: [t.tenantId, t.id] }),
    unique('referral_rewards_once_key').on(t.tenantId, t.referralId, t.side, t.stage),
    foreignKey({ name: 'referral_rewards_referral_fkey', columns: [t.tenantId, t.referralId], foreignColumns: [referrals.tenantId, referrals.id] }),
    foreignKey({ name: 'referral_rewards_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('referral_rewards_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
  ],
);
