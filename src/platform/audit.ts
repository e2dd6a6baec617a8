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
  await tx.insert(auditLog).values({
    tenantId: actor.tenantId,
    id: newId(),
    actorType: actor.type,
    actorId: actor.id,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: actor.requestId ?? null,
  });
};

export const systemActor = (tenantId: string): Actor => ({ tenantId, type: 'system', id: null });
