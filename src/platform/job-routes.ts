import { z } from 'zod';
import type { Deps } from './deps.js';
import { DomainError } from './errors.js';
import { type App, authOf, can, errorResponses, ZIdParams } from './http.js';
import { getJobRow, type JobView, toJobView } from './jobs.js';
import type { Permission } from './permissions.js';

/** A background job as the API shows it; `result` is the kind's own (a distribution run: its counts). */
export const ZJob = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    /** Customers (or other units) done so far, of `total` (null until known). */
    progress: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
    result: z.unknown(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Job' });

/** 后台任务: GET /api/v1/jobs/:id — status, progress and result of work started by another request. */
export const jobRoutes = (app: App, { db }: Deps) => {
  app.get(
    '/jobs/:id',
    {
      // Each job names the permission that reads what it works on, checked below.
      config: { permission: 'authenticated' },
      schema: {
        tags: ['Jobs'],
        summary: 'A background job (a voucher batch, …): status, progress (done of total) and, once finished, its result',
        params: ZIdParams,
        response: { 200: ZJob, ...errorResponses },
      },
    },
    async (req): Promise<JobView> => {
      const row = await getJobRow(db, authOf(req).tenantId, req.params.id);
      if (!can(req, row.permission as Permission)) throw new DomainError('forbidden', 'FORBIDDEN', '您没有查看该任务的权限');
      return toJobView(row);
    },
  );
};
