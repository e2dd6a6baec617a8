import { bigint, boolean, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/index.js';
import { tenants } from '../tenants/index.js';

/**
 * 积分账户: one row per customer, the lock every points write takes and the fast read.
 * balance = Σ entries = Σ remaining of unexpired lots − debt, always (checked in the write path).
 */
export const pointsAccounts = pgTable(
  'points_accounts',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    customerId: uuid('customer_id').notNull(),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    /** Points owed after a refund clawed back points already spent; repaid first by later earnings. */
    debt: bigint('debt', { mode: 'number' }).notNull().default(0),
    /** 成长值: moves with consumption and refunds only, never with spending or expiry. */
    growth: bigint('growth', { mode: 'number' }).notNull().default(0),
    /**
     * The expiry watermark: every lot that expires at or before this instant has expired and
     * been written off by an `expire` entry. Such lots are frozen (never spent, never given to).
     */
    expiredThrough: timestamp('expired_through', { withTimezone: true }),
    /** When the sweep must next look at this account: never later than the first unexpired lot's expiry. */
    nextExpiryAt: timestamp('next_expiry_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'points_accounts_pkey', columns: [t.tenantId, t.customerId] }),
    // What the expiry sweep scans, across tenants.
    index('points_accounts_next_expiry_idx').on(t.nextExpiryAt),
    foreignKey({ name: 'points_accounts_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);

/** Append-only: earn, redeem, expire, adjust, reverse. Never updated, never deleted. */
export const pointsEntries = pgTable(
  'points_entries',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    type: text('type').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    /** The account's balance right after this entry: the previous entry's plus `points` (checked in O(1) on every write). */
    balanceAfter: bigint('balance_after', { mode: 'number' }).notNull(),
    /** Write order within the account (the account lock serializes its writes): the order the balance_after chain follows. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    growth: bigint('growth', { mode: 'number' }).notNull().default(0),
    /** order | event | campaign | manual | system */
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id'),
    /** Why: the rule and its inputs, or the adjuster's reason. */
    reason: jsonb('reason').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    reversesId: uuid('reverses_id'),
    actorId: uuid('actor_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'points_entries_pkey', columns: [t.tenantId, t.id] }),
    unique('points_entries_idempotency_key').on(t.tenantId, t.idempotencyKey),
    foreignKey({
      name: 'points_entries_account_fkey',
      columns: [t.tenantId, t.customerId],
      foreignColumns: [pointsAccounts.tenantId, pointsAccounts.customerId],
    }),
    index('points_entries_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('points_entries_chain_idx').on(t.tenantId, t.customerId, t.seq),
    index('points_entries_source_idx').on(t.tenantId, t.sourceType, t.sourceId),
  ],
);

/** Earned points form lots with their own availability and expiry; spending takes the soonest-expiring first. */
export const pointsLots = pgTable(
  'points_lots',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    remaining: bigint('remaining', { mode: 'number' }).notNull(),
    /** Pending (locked for the refund window) until this instant. */
    availableAt: timestamp('available_at', { withTimezone: true }).notNull(),
    /** A lot expires at this instant; it has been written off once it is at or before its account's `expiredThrough`. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'points_lots_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'points_lots_entry_fkey', columns: [t.tenantId, t.entryId], foreignColumns: [pointsEntries.tenantId, pointsEntries.id] }),
    index('points_lots_live_idx').on(t.tenantId, t.customerId, t.expiresAt),
  ],
);

/** Which entry took from or gave to which lot: the explanation of every balance, and what a reversal restores. */
export const pointsMovements = pgTable(
  'points_movements',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    entryId: uuid('entry_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    points: bigint('points', { mode: 'number' }).notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ name: 'points_movements_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'points_movements_entry_fkey', columns: [t.tenantId, t.entryId], foreignColumns: [pointsEntries.tenantId, pointsEntries.id] }),
    foreignKey({ name: 'points_movements_lot_fkey', columns: [t.tenantId, t.lotId], foreignColumns: [pointsLots.tenantId, pointsLots.id] }),
    index('points_movements_lot_idx').on(t.tenantId, t.lotId),
    index('points_movements_entry_idx').on(t.tenantId, t.entryId),
  ],
);

/**
 * A clinic's own days over the national calendar (`holiday_calendar`, shared by every clinic):
 * its 活动节日 (三八妇女节, 520, 七夕) as holidays, or a national holiday it does not treat as one.
 * At most one per day; the national table is never edited from a clinic.
 */
export const clinicHolidays = pgTable(
  'clinic_holidays',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    /** true: a holiday for this clinic; false: a national holiday this clinic works as a normal day. */
    isHoliday: boolean('is_holiday').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'clinic_holidays_pkey', columns: [t.tenantId, t.id] }), unique('clinic_holidays_day_key').on(t.tenantId, t.day)],
);
