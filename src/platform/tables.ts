import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A clinic business: one store or a chain. The distribution key of every tenant-owned table. */
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique('tenants_code_key'),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  contactPhone: text('contact_phone'),
  address: text('address'),
  /** Printed above and below the items on every receipt. */
  receiptHeader: text('receipt_header'),
  receiptFooter: text('receipt_footer'),
  /** HH:MM in the clinic's time zone at which its business day turns (营业日起点). */
  businessDayStart: text('business_day_start').notNull().default('00:00'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One effect per idempotency key per tenant: the key is claimed in the same transaction
 * as the effect, with the request's hash and, once done, the response to replay.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'idempotency_keys_pkey', columns: [t.tenantId, t.key] })],
);

/** Who changed what, when, with the row before and after; written in the changing transaction. */
export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorType: text('actor_type').notNull(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: uuid('entity_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
  },
  (t) => [primaryKey({ name: 'audit_log_pkey', columns: [t.tenantId, t.id] }), index('audit_log_entity_idx').on(t.tenantId, t.entityType, t.entityId)],
);
