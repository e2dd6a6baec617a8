import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client.js';
import { newId } from './ids.js';
import { tenants } from './tables.js';

/**
 * The outbox: anything that leaves the system (SMS, WeChat, webhooks, reminders) is written
 * here in the transaction that causes it and delivered after commit, so a crash never sends
 * a message for something that did not happen nor loses one that did. A dedupe key makes
 * enqueueing idempotent.
 */
export const outbox = pgTable(
  'outbox',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id),
    id: uuid('id').notNull(),
    /** sms | wechat | portal | webhook | log */
    channel: text('channel').notNull(),
    topic: text('topic').notNull(),
    customerId: uuid('customer_id'),
    payload: jsonb('payload').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    /** queued | sent | failed | cancelled */
    status: text('status').notNull().default('queued'),
    sendAfter: timestamp('send_after', { withTimezone: true }).notNull(),
    attempts: text('attempts').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'outbox_pkey', columns: [t.tenantId, t.id] }),
    unique('outbox_dedupe_key').on(t.tenantId, t.dedupeKey),
    index('outbox_due_idx').on(t.status, t.sendAfter),
    index('outbox_customer_idx').on(t.tenantId, t.customerId),
  ],
);

export type OutboxMessage = {
  channel: string;
  topic: string;
  customerId?: string | null;
  payload: Record<string, unknown>;
  dedupeKey: string;
  sendAfter: Date;
};

/** Queues a message once per dedupe key; returns whether it was new. */
export const enqueue = async (tx: Executor, tenantId: string, message: OutboxMessage, now: Date): Promise<boolean> => {
  const rows = await tx
    .insert(outbox)
    .values({ tenantId, id: newId(), ...message, customerId: message.customerId ?? null, createdAt: now })
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  return rows.length > 0;
};
