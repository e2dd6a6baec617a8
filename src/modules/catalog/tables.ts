import { sql } from 'drizzle-orm';
import { bigint, boolean, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/index.js';

export const itemCategories = pgTable(
  'item_categories',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'item_categories_pkey', columns: [t.tenantId, t.id] }), unique('item_categories_name_key').on(t.tenantId, t.name)],
);

/** 品项: service items, goods, drugs, packages and cards, with a price in fen. */
export const items = pgTable(
  'items',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    kind: text('kind').notNull(),
    categoryId: uuid('category_id'),
    name: text('name').notNull(),
    /** Pinyin short code for the desk (e.g. SGZS); search also matches every pinyin reading of the name. */
    shortCode: text('short_code').notNull(),
    searchKeys: text('search_keys').array().notNull().default(sql`'{}'::text[]`),
    priceFen: bigint('price_fen', { mode: 'number' }).notNull(),
    unit: text('unit').notNull().default('次'),
    /** Packages and cards: the course they create expires this many days after purchase (null: never). */
    validityDays: integer('validity_days'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'items_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'items_category_fkey', columns: [t.tenantId, t.categoryId], foreignColumns: [itemCategories.tenantId, itemCategories.id] }),
    index('items_search_keys_idx').using('gin', t.searchKeys),
  ],
);

/** What a package or course card holds: service items and their number of sessions. */
export const packageContents = pgTable(
  'package_contents',
  {
    tenantId: uuid('tenant_id').notNull(),
    packageId: uuid('package_id').notNull(),
    itemId: uuid('item_id').notNull(),
    sessions: integer('sessions').notNull(),
  },
  (t) => [
    primaryKey({ name: 'package_contents_pkey', columns: [t.tenantId, t.packageId, t.itemId] }),
    foreignKey({ name: 'package_contents_package_fkey', columns: [t.tenantId, t.packageId], foreignColumns: [items.tenantId, items.id] }),
    foreignKey({ name: 'package_contents_item_fkey', columns: [t.tenantId, t.itemId], foreignColumns: [items.tenantId, items.id] }),
  ],
);
