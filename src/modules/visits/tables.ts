import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/index.js';
import { staffUsers } from '../staff/index.js';
import { stores, tenants } from '../tenants/index.js';

export const appointments = pgTable(
  'appointments',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    staffId: uuid('staff_id'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull().default(60),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    itemIds: uuid('item_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** booked | arrived | no_show | cancelled */
    status: text('status').notNull().default('booked'),
    notes: text('notes'),
    visitId: uuid('visit_id'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'appointments_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'appointments_store_fkey', columns: [t.tenantId, t.storeId], foreignColumns: [stores.tenantId, stores.id] }),
    foreignKey({ name: 'appointments_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ name: 'appointments_staff_fkey', columns: [t.tenantId, t.staffId], foreignColumns: [staffUsers.tenantId, staffUsers.id] }),
    index('appointments_day_idx').on(t.tenantId, t.storeId, t.businessDate),
    index('appointments_customer_idx').on(t.tenantId, t.customerId),
  ],
);

/** 到访: a customer's arrival at a store, with its type (proposed, possibly overridden). */
export const visits = pgTable(
  'visits',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }).notNull(),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    visitType: text('visit_type').notNull(),
    proposedType: text('proposed_type').notNull(),
    proposalReason: text('proposal_reason').notNull(),
    isOverridden: boolean('is_overridden').notNull().default(false),
    appointmentId: uuid('appointment_id'),
    consultantId: uuid('consultant_id'),
    notes: text('notes'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'visits_pkey', columns: [t.tenantId, t.id] }),
    foreignKey({ name: 'visits_store_fkey', columns: [t.tenantId, t.storeId], foreignColumns: [stores.tenantId, stores.id] }),
    foreignKey({ name: 'visits_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ name: 'visits_consultant_fkey', columns: [t.tenantId, t.consultantId], foreignColumns: [staffUsers.tenantId, staffUsers.id] }),
    index('visits_customer_day_idx').on(t.tenantId, t.customerId, t.businessDate),
    index('visits_store_day_idx').on(t.tenantId, t.storeId, t.businessDate),
  ],
);
