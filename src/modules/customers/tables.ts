import { sql } from 'drizzle-orm';
import { bigint, boolean, date, foreignKey, index, integer, pgTable, primaryKey, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { staffUsers } from '../staff/index.js';
import { stores, tenants } from '../tenants/index.js';

/** 家庭: customers who share family cards. A customer belongs to at most one family. */
export const families = pgTable(
  'families',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'families_pkey', columns: [t.tenantId, t.id] })],
);

export const customers = pgTable(
  'customers',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    gender: text('gender').notNull(),
    /** 11-digit mainland mobile, normalised; unique within the tenant. */
    phone: text('phone').notNull(),
    /** The solar date of birth; for lunar celebrants the lunar fields say which lunar day they keep. */
    birthDate: date('birth_date', { mode: 'string' }),
    birthdayCalendar: text('birthday_calendar'),
    lunarBirthMonth: smallint('lunar_birth_month'),
    lunarBirthDay: smallint('lunar_birth_day'),
    lunarBirthLeap: boolean('lunar_birth_leap'),
    sourceChannel: text('source_channel'),
    consultantId: uuid('consultant_id'),
    referrerId: uuid('referrer_id'),
    firstStoreId: uuid('first_store_id'),
    familyId: uuid('family_id'),
    familyRelation: text('family_relation'),
    notes: text('notes'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    allergies: text('allergies').array().notNull().default(sql`'{}'::text[]`),
    // Dynamic tags (SPEC §5), recomputed in the transaction of every change that affects them
    // and by the daily sweep for the ones that move with time alone.
    /** 成交: none | first | repeat; dealCount counts placed deal orders not wholly refunded. */
    dealStatus: text('deal_status').notNull().default('none'),
    dealCount: integer('deal_count').notNull().default(0),
    /** Business date the customer became a member (first deal until membership cards exist). */
    memberSince: date('member_since', { mode: 'string' }),
    lastConsumptionDate: date('last_consumption_date', { mode: 'string' }),
    /** 会员活跃度: non_member | new | active | sleeping | deep_sleep */
    activity: text('activity').notNull().default('non_member'),
    arrearsFen: bigint('arrears_fen', { mode: 'number' }).notNull().default(0),
    lastVisitType: text('last_visit_type'),
    lastVisitDate: date('last_visit_date', { mode: 'string' }),
    /** Pinyin initials and full readings of the name, all polyphones; kept in sync on write. */
    searchKeys: text('search_keys').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'customers_pkey', columns: [t.tenantId, t.id] }),
    unique('customers_phone_key').on(t.tenantId, t.phone),
    foreignKey({ name: 'customers_consultant_fkey', columns: [t.tenantId, t.consultantId], foreignColumns: [staffUsers.tenantId, staffUsers.id] }),
    foreignKey({ name: 'customers_referrer_fkey', columns: [t.tenantId, t.referrerId], foreignColumns: [t.tenantId, t.id] }),
    foreignKey({ name: 'customers_first_store_fkey', columns: [t.tenantId, t.firstStoreId], foreignColumns: [stores.tenantId, stores.id] }),
    foreignKey({ name: 'customers_family_fkey', columns: [t.tenantId, t.familyId], foreignColumns: [families.tenantId, families.id] }),
    index('customers_created_idx').on(t.tenantId, t.createdAt),
    index('customers_search_keys_idx').using('gin', t.searchKeys),
    index('customers_tags_idx').using('gin', t.tags),
    index('customers_dynamic_idx').on(t.tenantId, t.dealStatus, t.activity),
  ],
);
