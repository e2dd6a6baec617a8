import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { type App, actorOf, authOf, ctxOf, errorResponses, ZIdParams } from '../../platform/http.js';
import { idempotentWrite } from '../../platform/idempotent-route.js';
import { qrSvg } from '../../platform/qr.js';
import { getSetting, putSetting } from '../settings/index.js';
import { prepareAudience } from './audience.js';
import {
  type DistributionKind,
  distributionKinds,
  distributionStatuses,
  ZAudienceInput,
  ZAudiencePreview,
  ZDistribution,
  ZDistributionCreated,
  ZDistributionInput,
  ZDistributionJob,
  ZStatsQuery,
  ZVoucherDistributionSettings,
  ZVoucherStats,
} from './distribution-schemas.js';
import { voucherDistributionSetting } from './distribution-settings.js';
import { cancelDistribution, createDistribution, getDistribution, listDistributions, runDistributionNow } from './distributions.js';
import { voucherStats, voucherStatsCsv } from './stats.js';

const tags = ['Vouchers'];

/** 发券方式 as the CSV names them. */
export const distributionKindLabels: Record<DistributionKind, string> = {
  registration: '新客注册',
  periodic: '定期发券',
  claim_link: '领券链接',
  share: '分享领券',
  operations: '运营发券',
  batch: '批量发券',
};

/** Where the console was opened from, so a claim link's QR points at the same server. */
const originOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

/** 发券 (SPEC §10 Distribute) and 券统计 (Statistics): /api/v1/voucher-distributions, /voucher-stats, the reminder settings. */
export const voucherDistributionRoutes = (app: App, { db, clock, jobs }: Deps) => {
  app.get(
    '/voucher-distributions',
    {
      config: { permission: 'vouchers.read' },
      schema: {
        tags,
        summary: '发券活动: every way the clinic hands out vouchers, with what each has issued and skipped',
        querystring: z.strictObject({
          kind: z.enum(distributionKinds).optional(),
          status: z.enum(distributionStatuses).optional(),
          templateId: z.uuid().optional(),
        }),
        response: { 200: z.object({ items: z.array(ZDistribution) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await listDistributions(db, ctxOf(req, clock), req.query) }),
  );

  app.get(
    '/voucher-distributions/:id',
    {
      config: { permission: 'vouchers.read' },
      schema: {
        tags,
        summary: 'One distribution; a claim link comes with its full URL and QR code (SVG) to print or share',
        params: ZIdParams,
        response: { 200: ZDistribution.extend({ claimUrl: z.string().nullable(), qrSvg: z.string().nullable() }), ...errorResponses },
      },
    },
    async (req) => {
      const distribution = await getDistribution(db, ctxOf(req, clock), req.params.id);
      const claimUrl = distribution.claimPath ? `${originOf(req)}${distribution.claimPath}` : null;
      return { ...distribution, claimUrl, qrSvg: claimUrl ? await qrSvg(claimUrl) : null };
    },
  );

  app.post(
    '/voucher-distributions',
    {
      config: { permission: 'vouchers.manage' },
      schema: {
        tags,
        summary: '新建发券: automatic on registration, periodic, a claim link, share-to-get, operations at a chosen time, or a batch now',
        description:
          'Moves value (a batch, or operations without a future time, start issuing at once as a background job: `job`, followed at GET /jobs/{id}): requires an `Idempotency-Key` header; a retried request returns the same job. Pasted phones that match no customer come back in `audience.unknownPhones`.',
        body: ZDistributionInput,
        response: { 201: ZDistributionCreated, ...errorResponses },
      },
    },
    async (req, reply) => {
      const created = await idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => ({
        status: 201,
        body: await createDistribution(tx, ctxOf(req, clock), req.body),
      }));
      if (created.job) void jobs.kick({ tenantId: authOf(req).tenantId, id: created.job.id });
      return created;
    },
  );

  app.post(
    '/voucher-distributions/audience-preview',
    {
      config: { permission: 'vouchers.manage' },
      schema: {
        tags,
        summary: 'How many customers an audience names now, and which pasted phones match no customer (nothing is issued)',
        body: z.strictObject({ audience: ZAudienceInput }),
        response: { 200: ZAudiencePreview, ...errorResponses },
      },
    },
    async (req) => (await db.transaction((tx) => prepareAudience(tx, ctxOf(req, clock), req.body.audience))).report,
  );

  app.post(
    '/voucher-distributions/:id/run',
    {
      config: { permission: 'vouchers.manage' },
      schema: {
        tags,
        summary:
          '立即发放: start a run of an operations, batch or periodic distribution as a background job (202, follow it at GET /jobs/{id}); customers who already received it get nothing twice',
        description:
          'Moves value: requires an `Idempotency-Key` header; a replay returns the first response (the same job). While a run of the distribution is still going, starting another returns that one.',
        params: ZIdParams,
        body: z.strictObject({}).optional(),
        response: { 202: z.object({ distribution: ZDistribution, job: ZDistributionJob }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const started = await idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => ({
        status: 202,
        body: await runDistributionNow(tx, ctxOf(req, clock), req.params.id, String(req.headers['idempotency-key'])),
      }));
      void jobs.kick({ tenantId: authOf(req).tenantId, id: started.job.id });
      return started;
    },
  );

  app.post(
    '/voucher-distributions/:id/cancel',
    {
      config: { permission: 'vouchers.manage' },
      schema: {
        tags,
        summary: '取消: stop a distribution (automatic, periodic, claim link, or one still scheduled); vouchers already issued stay',
        params: ZIdParams,
        body: z.strictObject({}).optional(),
        response: { 200: ZDistribution, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => cancelDistribution(tx, ctxOf(req, clock), req.params.id)),
  );

  app.get(
    '/voucher-stats',
    {
      config: { permission: 'vouchers.read' },
      schema: {
        tags,
        summary:
          '券统计: vouchers issued in the period (last 30 days by default) — claimed, used, expired; claim and use rates; revenue of the orders that used them; daily series; reminders',
        querystring: ZStatsQuery,
        response: { 200: ZVoucherStats, ...errorResponses },
      },
    },
    async (req) => voucherStats(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/voucher-stats.csv',
    {
      config: { permission: 'vouchers.read' },
      schema: {
        tags,
        summary: '券统计 as CSV (UTF-8 with BOM, opens in Excel with the Chinese intact)',
        querystring: ZStatsQuery,
        response: { 200: z.string(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const stats = await voucherStats(db, ctxOf(req, clock), req.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="voucher-stats-${stats.from}-${stats.to}.csv"`)
        .send(voucherStatsCsv(stats, distributionKindLabels));
    },
  );

  app.get(
    '/settings/voucher-distribution',
    {
      config: { permission: 'vouchers.read' },
      schema: {
        tags,
        summary: '发券与到期提醒: days before expiry to remind customers, and how long a tier upgrade gift lasts',
        response: { 200: ZVoucherDistributionSettings, ...errorResponses },
      },
    },
    async (req) => getSetting(db, authOf(req).tenantId, voucherDistributionSetting),
  );

  app.put(
    '/settings/voucher-distribution',
    {
      config: { permission: 'vouchers.manage' },
      schema: {
        tags,
        summary: 'Change: 发券与到期提醒',
        body: ZVoucherDistributionSettings,
        response: { 200: ZVoucherDistributionSettings, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => putSetting(tx, actorOf(req), voucherDistributionSetting, req.body)),
  );
};
