import { z } from 'zod';
import { lastSnapshot } from '../db/snapshots.js';
import type { Deps } from './deps.js';
import { type App, errorResponses } from './http.js';

export const ZSystemStatus = z
  .object({
    database: z.object({ kind: z.enum(['pglite', 'postgres']) }),
    /**
     * Embedded mode's daily snapshots. `isEnabled` is false on PostgreSQL, whose backups are
     * the server's (pg_dump, archiving; docs/OPERATIONS.md).
     */
    snapshots: z.object({
      isEnabled: z.boolean(),
      kept: z.number().int().nullable(),
      last: z.object({ name: z.string(), takenAt: z.string() }).nullable(),
    }),
  })
  .meta({ id: 'SystemStatus' });
export type SystemStatus = z.infer<typeof ZSystemStatus>;

export type SnapshotSettings = { folder: string; kept: number };

/** 系统状态: GET /api/v1/system/status — for the owner: the database kind and the last backup snapshot. */
export const systemRoutes = (app: App, { databaseKind }: Deps, snapshots: SnapshotSettings | undefined) => {
  app.get(
    '/system/status',
    {
      config: { permission: 'system.read' },
      schema: {
        tags: ['System'],
        summary: "The installation's state for the owner: database kind, and in embedded mode the last daily snapshot and how many are kept",
        response: { 200: ZSystemStatus, ...errorResponses },
      },
    },
    async (): Promise<SystemStatus> => {
      const last = snapshots ? await lastSnapshot(snapshots.folder) : undefined;
      return {
        database: { kind: databaseKind },
        snapshots: {
          isEnabled: snapshots !== undefined,
          kept: snapshots?.kept ?? null,
          last: last ? { name: last.name, takenAt: last.takenAt.toISOString() } : null,
        },
      };
    },
  );
};
