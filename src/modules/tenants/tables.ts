import { boolean, customType, date, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../../platform/tables.js';

export { tenants };

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const stores = pgTable(
  'stores',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    address: text('address'),
    phone: text('phone'),
    isActive: boolean('is_active').notNull().default(true),
    /** A store with history is closed, never deleted: its orders and visits keep naming it. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The latest business day whose whole-store close (日结) stands: that day takes no more value-moving writes. */
    lastClosedDay: date('last_closed_day', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'stores_pkey', columns: [t.tenantId, t.id] }), unique('stores_name_key').on(t.tenantId, t.name)],
);

/** The clinic's logo (receipts, portal, login page), kept in the database and served by the app. */
export const tenantLogos = pgTable(
  'tenant_logos',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    contentType: text('content_type').notNull(),
    bytes: bytea('bytes').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'tenant_logos_pkey', columns: [t.tenantId] })],
);
