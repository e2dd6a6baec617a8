import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { type App, actorOf, authOf, ctxOf, errorResponses, ZIdParams } from '../../platform/http.js';
import { qrSvg } from '../../platform/qr.js';
import { getSetting } from '../settings/index.js';
import { getTenant } from '../tenants/index.js';
import { ensureReferralCode } from './codes.js';
import { inviteUrl, originOf } from './invite.js';
import { customerReferrals, referralReport, rewardsCsv } from './queries.js';
import { saveReferralSettings } from './save-settings.js';
import { ZCustomerReferrals, ZDateRangeQuery, ZReferralCode, ZReferralReport } from './schemas.js';
import { referralSettingsSetting, ZReferralSettings } from './settings.js';

const tags = ['Referrals'];

export const referralRoutes = (app: App, { db, clock }: Deps) => {
  app.get(
    '/settings/referrals',
    {
      config: { permission: 'referrals.read' },
      schema: {
        tags,
        summary: '转介绍 settings: rewards, window, clawback, caps, flag threshold, partner levels',
        response: { 200: ZReferralSettings, ...errorResponses },
      },
    },
    async (req) => getSetting(db, authOf(req).tenantId, referralSettingsSetting),
  );

  app.put(
    '/settings/referrals',
    {
      config: { permission: 'referrals.manage' },
      schema: {
        tags,
        summary: 'Change the 转介绍 settings',
        description:
          'Rewards are points, vouchers (a service is an item voucher) and nothing else — never cash (反不正当竞争法): there is no cash field, and unknown fields are refused. Voucher templates must be active templates of this clinic; partner level benefits pass the advertising wording check.',
        body: ZReferralSettings,
        response: { 200: ZReferralSettings, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => saveReferralSettings(tx, actorOf(req), req.body)),
  );

  app.get(
    '/referrals/report',
    {
      config: { permission: 'referrals.read' },
      schema: {
        tags,
        summary: '转介绍报表: funnel, conversion rate, share of deals by referral, rewards, per-referrer rows with flags and partner levels',
        description:
          'The period (`from`–`to`, business dates, the last 30 days by default) selects referrals recorded in it; arrived and dealt count how far they came up to now. `firstDeals` is the share of customers whose first deal fell in the period who came by referral; `dealOrders` the share of all deal orders of the period placed by referred customers.',
        querystring: ZDateRangeQuery,
        response: { 200: ZReferralReport, ...errorResponses },
      },
    },
    async (req) => referralReport(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/referrals/rewards.csv',
    {
      config: { permission: 'referrals.read' },
      schema: {
        tags,
        summary: '推荐奖励台账 as CSV: every reward recorded in the period (given, capped, skipped, clawed back)',
        querystring: ZDateRangeQuery,
        response: { 200: z.string(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const csv = await rewardsCsv(db, ctx, req.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="referral-rewards-${req.query.from ?? ''}-${req.query.to ?? ctx.today}.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/customers/:id/referrals',
    {
      config: { permission: 'referrals.read' },
      schema: {
        tags,
        summary: "A customer's referrals: her referrer, the people she referred with their stage, her rewards, her partner level and progress",
        params: ZIdParams,
        response: { 200: ZCustomerReferrals, ...errorResponses },
      },
    },
    async (req) => customerReferrals(db, ctxOf(req, clock), req.params.id),
  );

  app.get(
    '/customers/:id/referral-code',
    {
      config: { permission: 'referrals.read' },
      schema: {
        tags,
        summary: 'Her referral code (created on first use), the portal registration link with it, and its QR code',
        params: ZIdParams,
        response: { 200: ZReferralCode, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const code = await db.transaction((tx) => ensureReferralCode(tx, ctx.tenantId, req.params.id, ctx.now));
      const tenant = await getTenant(db, ctx.tenantId);
      const url = inviteUrl(originOf(req), tenant.code, code);
      return { code, url, qrSvg: await qrSvg(url) };
    },
  );
};
