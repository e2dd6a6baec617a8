import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import type { Deps } from '../../platform/deps.js';
import { type App, authOf, ctxOf, errorResponses, ZIdParams, ZPageQuery, ZTimestamp } from '../../platform/http.js';
import { idempotentWrite } from '../../platform/idempotent-route.js';
import { ZJob } from '../../platform/job-routes.js';
import { getJobRow, toJobView } from '../../platform/jobs.js';
import { staffUsers } from '../staff/index.js';
import { type StoredAudience, ZAudienceInput, ZAudienceView } from '../vouchers/index.js';
import {
  type CampaignProgress,
  type CampaignRow,
  campaignProgress,
  cancelCampaign,
  createCampaign,
  getCampaignRow,
  listCampaignRows,
  previewCampaign,
  progressOrEmpty,
} from './campaigns.js';
import { contactChannels } from './service.js';
import { followupCampaigns } from './tables.js';

const tags = ['Follow-ups'];
const campaignStatuses = ['running', 'done', 'cancelled'] as const;

const ZProgress = z.object({
  /** Customers given a task. */
  total: z.number().int(),
  /** Customers whose latest task of the campaign has its outcome. */
  done: z.number().int(),
  open: z.number().int(),
  /** Reached or booked: what the goal counts. */
  reached: z.number().int(),
  booked: z.number().int(),
  declined: z.number().int(),
  noAnswer: z.number().int(),
  wrongNumber: z.number().int(),
  /** Closed when the campaign was cancelled. */
  cancelled: z.number().int(),
});

const ZCampaign = z
  .object({
    id: z.uuid(),
    name: z.string(),
    audience: ZAudienceView,
    maxCount: z.number().int().nullable(),
    goal: z.number().int(),
    dueOn: z.iso.date(),
    staffIds: z.array(z.uuid()),
    channel: z.enum(contactChannels),
    script: z.string(),
    status: z.enum(campaignStatuses),
    /** Its tasks are still being made (the background job runs). */
    isAssigning: z.boolean(),
    progress: ZProgress,
    /** reached ÷ goal, in percent (one decimal; may pass 100). */
    goalPercent: z.number(),
    createdAt: ZTimestamp,
    finishedAt: ZTimestamp.nullable(),
  })
  .meta({ id: 'FollowupCampaign' });

const ZCampaignDetail = ZCampaign.extend({
  /** Each caller's share and progress (by whom each customer's latest task is assigned to now). */
  staff: z.array(ZProgress.extend({ staffId: z.uuid(), name: z.string() })),
  job: ZJob.nullable(),
}).meta({ id: 'FollowupCampaignDetail' });

const ZCampaignInput = z.strictObject({
  name: z.string().trim().min(1, '请输入活动名称').max(40, '名称最多 40 个字'),
  audience: ZAudienceInput,
  /** Only the best N customers by value get a task (e.g. 2 000 of 10 000); null or absent: all. */
  maxCount: z.number().int().min(1).max(100_000).nullable().optional(),
  /** Customers to reach. */
  goal: z.number().int().min(1).max(100_000),
  dueOn: z.iso.date(),
  staffIds: z.array(z.uuid()).min(1, '请选择回访人员').max(50),
  channel: z.enum(contactChannels).default('call'),
  script: z.string().trim().max(500).default(''),
});

const ZPreviewInput = z.strictObject({
  audience: ZAudienceInput,
  maxCount: z.number().int().min(1).max(100_000).nullable().optional(),
  staffIds: z.array(z.uuid()).min(1, '请选择回访人员').max(50),
});

const ZPreview = z.object({
  /** Customers the audience names now. */
  matched: z.number().int(),
  /** Of them, those who will get a task (the best by value, up to the maximum). */
  assigned: z.number().int(),
  unknownPhones: z.array(z.string()),
  invalidPhones: z.array(z.string()),
  /** Each caller's share, dealt round-robin in value order. */
  staff: z.array(z.object({ staffId: z.uuid(), name: z.string(), count: z.number().int() })),
});

const audienceView = (audience: StoredAudience) => ({
  kind: audience.kind,
  customerCount: audience.kind === 'customers' ? audience.customerIds.length : null,
  fromPhones: audience.kind === 'customers' ? (audience.fromPhones ?? null) : null,
  filter: audience.kind === 'filter' ? audience.filter : null,
});

const toCampaign = (row: CampaignRow, progress: CampaignProgress) => ({
  id: row.id,
  name: row.name,
  audience: audienceView(row.audience as StoredAudience),
  maxCount: row.maxCount,
  goal: row.goal,
  dueOn: row.dueOn,
  staffIds: row.staffIds,
  channel: row.channel as (typeof contactChannels)[number],
  script: row.script,
  status: row.status as (typeof campaignStatuses)[number],
  isAssigning: row.status === 'running' && row.assignedAt === null,
  progress,
  goalPercent: row.goal > 0 ? Math.round((progress.reached / row.goal) * 1000) / 10 : 0,
  createdAt: row.createdAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
});

const campaignDetail = async (tx: Executor, tenantId: string, id: string) => {
  const row = await getCampaignRow(tx, tenantId, id);
  const progress = (await campaignProgress(tx, tenantId, [id])).get(id);
  const staffIds = [...new Set([...row.staffIds, ...(progress?.staff.keys() ?? [])])];
  const names = new Map(
    (
      await tx
        .select({ id: staffUsers.id, name: staffUsers.displayName })
        .from(staffUsers)
        .where(and(eq(staffUsers.tenantId, tenantId), inArray(staffUsers.id, staffIds)))
    ).map((staff) => [staff.id, staff.name]),
  );
  const job = row.jobId ? toJobView(await getJobRow(tx, tenantId, row.jobId)) : null;
  return {
    ...toCampaign(row, progressOrEmpty(progress?.total)),
    staff: staffIds.map((staffId) => ({ staffId, name: names.get(staffId) ?? '', ...progressOrEmpty(progress?.staff.get(staffId)) })),
    job,
  };
};

/** 呼叫活动: a filter's customers, best first, split among callers as follow-ups, with a goal and live progress. */
export const followupCampaignRoutes = (app: App, { db, clock, jobs }: Deps) => {
  app.get(
    '/followup-campaigns',
    {
      config: { permission: 'followups.read' },
      schema: {
        tags,
        summary: '呼叫活动, newest first, each with its progress towards the goal',
        querystring: ZPageQuery.extend({ status: z.enum(campaignStatuses).optional() }),
        response: { 200: z.object({ items: z.array(ZCampaign), total: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      const { page, pageSize, status } = req.query;
      const { rows, total } = await listCampaignRows(db, tenantId, status ? eq(followupCampaigns.status, status) : undefined, page, pageSize);
      const progress = await campaignProgress(
        db,
        tenantId,
        rows.map((row) => row.id),
      );
      return { items: rows.map((row) => toCampaign(row, progressOrEmpty(progress.get(row.id)?.total))), total };
    },
  );

  app.get(
    '/followup-campaigns/:id',
    {
      config: { permission: 'followups.read' },
      schema: {
        tags,
        summary: 'One call campaign with each caller’s progress, and the job making its tasks',
        params: ZIdParams,
        response: { 200: ZCampaignDetail, ...errorResponses },
      },
    },
    async (req) => campaignDetail(db, authOf(req).tenantId, req.params.id),
  );

  app.post(
    '/followup-campaigns/preview',
    {
      config: { permission: 'followups.manage' },
      schema: {
        tags,
        summary: 'Before confirming: how many customers match, how many get a task after the maximum, and each caller’s share (nothing is made)',
        body: ZPreviewInput,
        response: { 200: ZPreview, ...errorResponses },
      },
    },
    async (req) =>
      db.transaction((tx) =>
        previewCampaign(tx, ctxOf(req, clock), { audience: req.body.audience, maxCount: req.body.maxCount ?? null, staffIds: req.body.staffIds }),
      ),
  );

  app.post(
    '/followup-campaigns',
    {
      config: { permission: 'followups.manage' },
      schema: {
        tags,
        summary: '新建呼叫活动: its customers get their tasks in a background job (`job`, followed at GET /jobs/{id})',
        description:
          'Requires an `Idempotency-Key` header: a retried request returns the first response (the same campaign and job). Customers are ordered by what they paid in total (then consumed), the first `maxCount` get one task each, dealt to the callers round-robin in that order.',
        body: ZCampaignInput,
        response: { 201: z.object({ campaign: ZCampaignDetail, job: ZJob }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const created = await idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        const { campaign, job } = await createCampaign(tx, ctx, {
          ...req.body,
          maxCount: req.body.maxCount ?? null,
        });
        return { status: 201, body: { campaign: await campaignDetail(tx, ctx.tenantId, campaign.id), job: toJobView(job) } };
      });
      void jobs.kick({ tenantId: ctx.tenantId, id: created.job.id });
      return created;
    },
  );

  app.post(
    '/followup-campaigns/:id/cancel',
    {
      config: { permission: 'followups.manage' },
      schema: {
        tags,
        summary: '取消活动: its open tasks are closed as cancelled; outcomes already recorded stay',
        params: ZIdParams,
        body: z.strictObject({}).optional(),
        response: { 200: ZCampaignDetail, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      await db.transaction((tx) => cancelCampaign(tx, ctx, req.params.id));
      return campaignDetail(db, ctx.tenantId, req.params.id);
    },
  );
};
