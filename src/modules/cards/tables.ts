import { sql } from 'drizzle-orm';
import { bigint, boolean, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { items } from '../catalog/index.js';
import { customers } from '../customers/index.js';
import { tenants } from '../tenants/index.js';

/**
 * 储值账户: one row per customer, the lock every stored-value write takes and the fast read.
 * principal (本金) and bonus (赠送) are kept apart: principal = Σ entries' principal = Σ
 * remaining principal of the top-ups, and the same for bonus (checked in the write path).
 */
export const storedValueAccounts = pgTable(
  'stored_value_accounts',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    customerId: uuid('customer_id').notNull(),
    principalFen: bigint('principal_fen', { mode: 'number' }).notNull().default(0),
    bonusFen: bigint('bonus_fen', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'stored_value_accounts_pkey', columns: [t.tenantId, t.customerId] }),
    foreignKey({ name: 'stored_value_accounts_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);

/** Append-only: top_up, spend, refund, reverse, adjust. Amounts are signed; never updated, never deleted. */
export const storedValueEntries = pgTable(
  'stored_value_entries',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    type: text('type').notNull(),
    principalFen: bigint('principal_fen', { mode: 'number' }).notNull(),
    bonusFen: bigint('bonus_fen', { mode: 'number' }).notNull(),
    /** The account's principal and bonus right after this entry (checked in O(1) on every write). */
    principalAfterFen: bigint('principal_after_fen', { mode: 'number' }).notNull(),
    bonusAfterFen: bigint('bonus_after_fen', { mode: 'number' }).notNull(),
    /** Write order within the account: the order the after-balance chain follows. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    /** order | manual | system */
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id'),
    reason: jsonb('reason').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    reversesId: uuid('reverses_id'),
    actorId: uuid('actor_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'stored_value_entries_pkey', columns: [t.tenantId, t.id] }),
    unique('stored_value_entries_idempotency_key').on(t.tenantId, t.idempotencyKey),
    foreignKey({
      name: 'stored_value_entries_account_fkey',
      columns: [t.tenantId, t.customerId],
      foreignColumns: [storedValueAccounts.tenantId, storedValueAccounts.customerId],
    }),
    foreignKey({ name: 'stored_value_entries_reverses_fkey', columns: [t.tenantId, t.reversesId], foreignColumns: [t.tenantId, t.id] }),
    index('stored_value_entries_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    index('stored_value_entries_chain_idx').on(t.tenantId, t.customerId, t.seq),
    index('stored_value_entries_source_idx').on(t.tenantId, t.sourceType, t.sourceId),
  ],
);

/**
 * 充值: each top-up is a lot holding its own principal and bonus, with the contract the customer
 * agreed to. Spending takes from the oldest top-up first; refunding a top-up returns its unused
 * principal and voids its unused bonus. `restore` lots hold value given back after the top-up
 * it came from was already refunded.
 */
export const storedValueTopUps = pgTable(
  'stored_value_top_ups',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    /** top_up | restore */
    kind: text('kind').notNull(),
    principalFen: bigint('principal_fen', { mode: 'number' }).notNull(),
    bonusFen: bigint('bonus_fen', { mode: 'number' }).notNull(),
    principalRemainingFen: bigint('principal_remaining_fen', { mode: 'number' }).notNull(),
    bonusRemainingFen: bigint('bonus_remaining_fen', { mode: 'number' }).notNull(),
    cardProductId: uuid('card_product_id'),
    orderId: uuid('order_id'),
    orderLineId: uuid('order_line_id'),
    /** The tier this top-up qualifies for (owned by the membership module); a reference only. */
    grantsTierId: uuid('grants_tier_id'),
    /** 预付卡协议: terms, bonus, refund formula and the clinic's policy text, as agreed at top-up. */
    contract: jsonb('contract').notNull(),
    refundedAt: timestamp('refunded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'stored_value_top_ups_pkey', columns: [t.tenantId, t.id] }),
    unique('stored_value_top_ups_order_line_key').on(t.tenantId, t.orderLineId),
    foreignKey({
      name: 'stored_value_top_ups_entry_fkey',
      columns: [t.tenantId, t.entryId],
      foreignColumns: [storedValueEntries.tenantId, storedValueEntries.id],
    }),
    foreignKey({
      name: 'stored_value_top_ups_account_fkey',
      columns: [t.tenantId, t.customerId],
      foreignColumns: [storedValueAccounts.tenantId, storedValueAccounts.customerId],
    }),
    index('stored_value_top_ups_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
    // What a spend draws on: the customer's live top-ups, oldest first, however long her history.
    index('stored_value_top_ups_live_idx')
      .on(t.tenantId, t.customerId, t.createdAt, t.id)
      .where(sql`${t.refundedAt} is null and (${t.principalRemainingFen} > 0 or ${t.bonusRemainingFen} > 0)`),
  ],
);

/** Which entry took from or gave to which top-up, principal and bonus apart: what a reversal gives back exactly. */
export const storedValueMovements = pgTable(
  'stored_value_movements',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    entryId: uuid('entry_id').notNull(),
    topUpId: uuid('top_up_id').notNull(),
    principalFen: bigint('principal_fen', { mode: 'number' }).notNull(),
    bonusFen: bigint('bonus_fen', { mode: 'number' }).notNull(),
    /** When this movement gives back (part of) an earlier one: that movement. */
    restoresId: uuid('restores_id'),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ name: 'stored_value_movements_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'stored_value_movements_entry_fkey',
      columns: [t.tenantId, t.entryId],
      foreignColumns: [storedValueEntries.tenantId, storedValueEntries.id],
    }),
    foreignKey({
      name: 'stored_value_movements_top_up_fkey',
      columns: [t.tenantId, t.topUpId],
      foreignColumns: [storedValueTopUps.tenantId, storedValueTopUps.id],
    }),
    foreignKey({ name: 'stored_value_movements_restores_fkey', columns: [t.tenantId, t.restoresId], foreignColumns: [t.tenantId, t.id] }),
    index('stored_value_movements_top_up_idx').on(t.tenantId, t.topUpId),
    index('stored_value_movements_entry_idx').on(t.tenantId, t.entryId),
  ],
);

export type DiscountRule = { categoryId: string | null; discountBasisPoints: number };
export type BundledVoucher = { name: string; faceValueFen: number; quantity: number; thresholdFen?: number; categoryIds?: string[] };
export type MemberLimits = { usesPerMember: number | null; period: 'year' | 'card' };

/**
 * 卡项: what the clinic sells as a card. `membership` (付费会员卡) and `stored_value` (储值卡)
 * own a catalog item of kind `card` that carries the price; `course` links an existing package
 * or course card so it is managed on the same screen.
 */
export const cardProducts = pgTable(
  'card_products',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    kind: text('kind').notNull(),
    itemId: uuid('item_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    isActive: boolean('is_active').notNull().default(true),
    /** membership: annual | lifetime */
    validity: text('validity'),
    /** membership: people who may use the card, the owner included (seed 004: 一家最多八人共享). */
    familyLimit: integer('family_limit'),
    discountRules: jsonb('discount_rules').$type<DiscountRule[]>().notNull().default(sql`'[]'::jsonb`),
    /** Vouchers the card brings; recorded as pending until the voucher module issues them. */
    bundledVouchers: jsonb('bundled_vouchers').$type<BundledVoucher[]>().notNull().default(sql`'[]'::jsonb`),
    memberLimits: jsonb('member_limits').$type<MemberLimits>().notNull().default(sql`'{"usesPerMember":null,"period":"year"}'::jsonb`),
    /** stored_value: bonus (赠送) for a top-up of the item's price. */
    bonusFen: bigint('bonus_fen', { mode: 'number' }).notNull().default(0),
    grantsTierId: uuid('grants_tier_id'),
    /** Terms shown and snapshotted with each sale. */
    terms: text('terms'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'card_products_pkey', columns: [t.tenantId, t.id] }),
    unique('card_products_item_key').on(t.tenantId, t.itemId),
    foreignKey({ name: 'card_products_item_fkey', columns: [t.tenantId, t.itemId], foreignColumns: [items.tenantId, items.id] }),
  ],
);

/** A paid membership card a customer bought: the owner, its validity and the terms as sold. */
export const customerCards = pgTable(
  'customer_cards',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    cardProductId: uuid('card_product_id').notNull(),
    name: text('name').notNull(),
    orderId: uuid('order_id'),
    orderLineId: uuid('order_line_id'),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    /** Last valid day; null: lifetime. */
    validTo: date('valid_to', { mode: 'string' }),
    familyLimit: integer('family_limit').notNull(),
    discountRules: jsonb('discount_rules').$type<DiscountRule[]>().notNull(),
    memberLimits: jsonb('member_limits').$type<MemberLimits>().notNull(),
    /** Bundled vouchers awaiting the voucher module: [{ name, faceValueFen, quantity, status: 'pending' }]. */
    pendingVouchers: jsonb('pending_vouchers').notNull(),
    /** active | cancelled */
    status: text('status').notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'customer_cards_pkey', columns: [t.tenantId, t.id] }),
    unique('customer_cards_order_line_key').on(t.tenantId, t.orderLineId),
    foreignKey({ name: 'customer_cards_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ name: 'customer_cards_product_fkey', columns: [t.tenantId, t.cardProductId], foreignColumns: [cardProducts.tenantId, cardProducts.id] }),
    index('customer_cards_customer_idx').on(t.tenantId, t.customerId),
  ],
);

/** 家庭共享: dependants the owner added to a card; removal keeps the row (who was on it, and when). */
export const customerCardMembers = pgTable(
  'customer_card_members',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    cardId: uuid('card_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    relation: text('relation'),
    addedBy: uuid('added_by'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
    removedBy: uuid('removed_by'),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'customer_card_members_pkey', columns: [t.tenantId, t.id] }),
    uniqueIndex('customer_card_members_active_key').on(t.tenantId, t.cardId, t.customerId).where(sql`${t.removedAt} is null`),
    foreignKey({ name: 'customer_card_members_card_fkey', columns: [t.tenantId, t.cardId], foreignColumns: [customerCards.tenantId, customerCards.id] }),
    foreignKey({ name: 'customer_card_members_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    index('customer_card_members_customer_idx').on(t.tenantId, t.customerId),
  ],
);

/** Who used what: each use of a card's benefit, by the member and the order line; a reversal names the use (once). */
export const customerCardUses = pgTable(
  'customer_card_uses',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    cardId: uuid('card_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    orderId: uuid('order_id'),
    orderLineId: uuid('order_line_id'),
    /** discount | voucher | other */
    benefit: text('benefit').notNull(),
    /** Which of the card's vouchers, for `voucher` uses: `voucher:<index>`. */
    benefitRef: text('benefit_ref'),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    reversesId: uuid('reverses_id'),
    actorId: uuid('actor_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'customer_card_uses_pkey', columns: [t.tenantId, t.id] }),
    unique('customer_card_uses_reverses_key').on(t.tenantId, t.reversesId),
    foreignKey({ name: 'customer_card_uses_card_fkey', columns: [t.tenantId, t.cardId], foreignColumns: [customerCards.tenantId, customerCards.id] }),
    foreignKey({ name: 'customer_card_uses_reverses_fkey', columns: [t.tenantId, t.reversesId], foreignColumns: [t.tenantId, t.id] }),
    index('customer_card_uses_card_idx').on(t.tenantId, t.cardId, t.createdAt),
  ],
);
