import { sql } from 'drizzle-orm';
import { boolean, foreignKey, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/index.js';

export const staffUsers = pgTable(
  'staff_users',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role').notNull(),
    /** Stores this account may act in; null means every store of the tenant. */
    storeIds: uuid('store_ids').array(),
    passwordHash: text('password_hash').notNull(),
    /** Pinyin search keys of the display name, kept in sync on write. */
    searchKeys: text('search_keys').array().notNull().default(sql`'{}'::text[]`),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** Set by a password reset: the temporary password opens only the change-password screen. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'staff_users_pkey', columns: [t.tenantId, t.id] }), unique('staff_users_username_key').on(t.tenantId, t.username)],
);

/** Console sessions. The cookie carries tenant id, session id and a secret; only the secret's hash is stored. */
export const staffSessions = pgTable(
  'staff_sessions',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    staffId: uuid('staff_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'staff_sessions_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'staff_sessions_staff_fkey', columns: [t.tenantId, t.staffId], foreignColumns: [staffUsers.tenantId, staffUsers.id] }),
  ],
);

/** Keys for other systems (a clinic HIS pushing orders, say). Acts with the permissions of its role. */
export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'api_keys_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'api_keys_created_by_fkey', columns: [t.tenantId, t.createdBy], foreignColumns: [staffUsers.tenantId, staffUsers.id] }),
  ],
);

/**
 * Wrong passwords per account and client address. Counting per address means a stranger who
 * knows a username locks only their own address out, never the clinic's own computers.
 */
export const staffLoginFailures = pgTable(
  'staff_login_failures',
  {
    tenantId: uuid('tenant_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    address: text('address').notNull(),
    failures: integer('failures').notNull().default(0),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'staff_login_failures_pkey', columns: [t.tenantId, t.staffId, t.address] }),
    foreignKey({ name: 'staff_login_failures_staff_fkey', columns: [t.tenantId, t.staffId], foreignColumns: [staffUsers.tenantId, staffUsers.id] }),
  ],
);
