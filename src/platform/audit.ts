import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { newId } from './ids.js';
import { auditLog } from './tables.js';

export type Actor = {
  tenantId: string;
  type: 'staff' | 'api_key' | 'customer' | 'system';
  id: string | null;
  requestId?: string;
};

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

/** Written in the same transaction as the change it describes: both commit or neither does. */
export const writeAudit = async (tx: Executor, actor: Actor, entry: AuditEntry): Promise<void> => {
  // Written by every change: a plain statement, no query building on the hot path.
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  await tx.execute(
    sql`insert into ${auditLog} (tenant_id, id, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id)
        values (${actor.tenantId}, ${newId()}, ${actor.type}, ${actor.id}, ${entry.action}, ${entry.entityType}, ${entry.entityId ?? null},
                ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb, ${actor.requestId ?? null})`,
  );
};

/** Several entries of one change in one statement (a checkout's 开单 and 收银). */
export const writeAudits = async (tx: Executor, actor: Actor, entries: readonly AuditEntry[]): Promise<void> => {
  if (entries.length === 0) return;
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  const rows = entries.map(
    (entry) =>
      sql`(${actor.tenantId}, ${newId()}, ${actor.type}, ${actor.id}, ${entry.action}, ${entry.entityType}, ${entry.entityId ?? null},
           ${json(entry.before)}::jsonb, ${json(entry.after)}::jsonb, ${actor.requestId ?? null})`,
  );
  await tx.execute(
    sql`insert into ${auditLog} (tenant_id, id, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id)
        values ${sql.join(rows, sql`, `)}`,
  );
};

export const systemActor = (tenantId: string): Actor => ({ tenantId, type: 'system', id: null });
