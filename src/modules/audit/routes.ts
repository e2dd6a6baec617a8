import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { type App, authOf, errorResponses, ZTimestamp } from '../../platform/http.js';
import { auditLog } from '../../platform/tables.js';
import { staffUsers } from '../staff/index.js';

const ZAuditQuery = z.strictObject({
  entityType: z.string().trim().max(40).optional(),
  entityId: z.uuid().optional(),
  /** Keyset pagination: entries older than this id. */
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const ZAuditEntry = z.object({
  id: z.uuid(),
  at: ZTimestamp,
  actorType: z.string(),
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.uuid().nullable(),
  /** Fields whose value changed, with before and after. */
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
});

/** Only what changed; bookkeeping columns are left out. */
const ignoredFields = new Set(['tenantId', 'updatedAt', 'searchKeys', 'passwordHash']);

export const diffChanges = (before: unknown, after: unknown) => {
  const left = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const right = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((field) => !ignoredFields.has(field)).sort();
  return fields
    .filter((field) => JSON.stringify(left[field] ?? null) !== JSON.stringify(right[field] ?? null))
    .map((field) => ({ field, before: left[field] ?? null, after: right[field] ?? null }));
};

export const auditRoutes = (app: App, { db }: Deps) => {
  app.get(
    '/audit-log',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['Audit'],
        summary: 'Who changed what and when, newest first',
        querystring: ZAuditQuery,
        response: { 200: z.object({ items: z.array(ZAuditEntry) }), ...errorResponses },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      const { entityType, entityId, before, limit } = req.query;
      const conditions: (SQL | undefined)[] = [
        eq(auditLog.tenantId, tenantId),
        entityType ? eq(auditLog.entityType, entityType) : undefined,
        entityId ? eq(auditLog.entityId, entityId) : undefined,
        before ? lt(auditLog.id, before) : undefined,
      ];
      const rows = await db
        .select({ entry: auditLog, actorName: staffUsers.displayName })
        .from(auditLog)
        .leftJoin(staffUsers, and(eq(staffUsers.tenantId, auditLog.tenantId), eq(staffUsers.id, auditLog.actorId)))
        .where(and(...conditions))
        .orderBy(desc(auditLog.id))
        .limit(limit);
      return {
        items: rows.map(({ entry, actorName }) => ({
          id: entry.id,
          at: entry.at.toISOString(),
          actorType: entry.actorType,
          actorId: entry.actorId,
          actorName,
          action: entry.action,
          entityType: entry.entityType,
          entityId: entry.entityId,
          changes: diffChanges(entry.before, entry.after),
        })),
      };
    },
  );
};
