import { foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/index.js';
import { tenants } from '../tenants/index.js';

/** SMS login codes: only a hash is kept; 5-minute life, single use, a few attempts. */
export const smsCodes = pgTable(
  'sms_codes',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    phone: text('phone').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'sms_codes_pkey', columns: [t.tenantId, t.id] }), index('sms_codes_phone_idx').on(t.tenantId, t.phone, t.createdAt)],
);

/** Member-portal sessions, apart from staff sessions: a customer can only ever act as herself. */
export const customerSessions = pgTable(
  'customer_sessions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    customerId: uuid('customer_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'customer_sessions_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'customer_sessions_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  ],
);
