import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { type App, authOf, ctxOf, errorResponses, ZIdParams, ZPageQuery } from '../../platform/http.js';
import { idempotentWrite } from '../../platform/idempotent-route.js';
import { ZAudiencePreview } from '../vouchers/index.js';
import {
  cancelCampaign,
  createCampaign,
  getCampaign,
  listCampaigns,
  previewCampaign,
  ZCampaign,
  ZCampaignInput,
  ZCampaignPreview,
  ZCampaignPreviewInput,
} from './campaigns.js';

const tags = ['Messaging'];

/** 群发: /api/v1/message-campaigns — preview the recipients, send (now, later, every week or month), follow the results. */
export const messageCampaignRoutes = (app: App, { db, clock, smsSender, jobs }: Deps) => {
  app.get(
    '/message-campaigns',
    {
      config: { permission: 'messages.read' },
      schema: {
        tags,
        summary: '群发: the clinic’s campaigns, newest first, each with its results so far (sent, delivered, read, stopped by a rule, orders that followed)',
        querystring: ZPageQuery,
        response: { 200: z.object({ items: z.array(ZCampaign), total: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => listCampaigns(db, ctxOf(req, clock), { limit: req.query.pageSize, offset: (req.query.page - 1) * req.query.pageSize }),
  );

  app.get(
    '/message-campaigns/:id',
    {
      config: { permission: 'messages.read' },
      schema: { tags, summary: 'One campaign with its results and its latest run', params: ZIdParams, response: { 200: ZCampaign, ...errorResponses } },
    },
    async (req) => getCampaign(db, ctxOf(req, clock), req.params.id),
  );

  app.post(
    '/message-campaigns/preview',
    {
      config: { permission: 'messages.manage' },
      schema: {
        tags,
        summary:
          '预览收件人: how many the audience names, how many the sending rules let through at the send time, and why the others are left out (nothing is sent)',
        body: ZCampaignPreviewInput,
        response: { 200: ZCampaignPreview, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => previewCampaign(tx, ctxOf(req, clock), { smsSender }, req.body)),
  );

  app.post(
    '/message-campaigns',
    {
      config: { permission: 'messages.manage' },
      schema: {
        tags,
        summary: '新建群发: to a list or a filter, by the portal inbox or SMS, now, at a time, or every week or month',
        description:
          'Requires an `Idempotency-Key` header; a retried request returns the same campaign. Sent now (inside the clinic’s marketing hours), its run starts at once as a background job (`campaign.job`, followed at GET /jobs/{id}); outside the hours it waits for their opening. Every recipient goes through consent, the opt-out list, the weekly cap and the hours.',
        body: ZCampaignInput,
        response: { 201: z.object({ campaign: ZCampaign, audience: ZAudiencePreview }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const created = await idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => ({
        status: 201,
        body: await createCampaign(tx, ctxOf(req, clock), { smsSender }, req.body),
      }));
      if (created.campaign.job) void jobs.kick({ tenantId: authOf(req).tenantId, id: created.campaign.job.id });
      return created;
    },
  );

  app.post(
    '/message-campaigns/:id/cancel',
    {
      config: { permission: 'messages.manage' },
      schema: {
        tags,
        summary: '取消: a scheduled or recurring campaign sends nothing more; messages still waiting for the hours are withdrawn',
        params: ZIdParams,
        body: z.strictObject({}).optional(),
        response: { 200: ZCampaign, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => cancelCampaign(tx, ctxOf(req, clock), req.params.id)),
  );
};
