import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, errorResponses, memberCtx, memberOf } from '../../platform/http.js';
import { getCustomerRow } from '../customers/index.js';
import { findTenantByCode, getTenant } from '../tenants/index.js';
import { ensureReferralCode, findCustomerByReferralCode } from './codes.js';
import { inviteUrl, originOf, programmeLines } from './invite.js';
import { posterCache } from './poster.js';
import { customerReferrals } from './queries.js';
import { maskName, noCashStatement, referrerRewardedStatement, stageLabels } from './rules.js';
import { referralStagesOfCustomer } from './schemas.js';

const tags = ['Member portal'];

const ZStatements = z.object({ noCash: z.string(), referrerRewarded: z.string() });

const ZMyReferral = z.object({
  code: z.string(),
  url: z.string(),
  posterUrl: z.string(),
  lines: z.array(z.string()),
  statements: ZStatements,
  partner: z.object({ level: z.string(), benefits: z.string(), next: z.string().nullable(), percent: z.number().int() }),
  pointsEarned: z.number().int(),
  referred: z.array(
    z.object({
      name: z.string(),
      stage: z.enum(referralStagesOfCustomer),
      referredAt: z.string(),
      rewards: z.array(z.object({ title: z.string(), points: z.number().int().nullable(), hasVoucher: z.boolean(), status: z.string() })),
    }),
  ),
});

const rewardStatusText: Record<string, string> = { given: '已到账', capped: '本月奖励已达上限', skipped: '未发放', clawed_back: '已扣回' };

/** Registered in the portal's scope (/api/portal/v1), after its auth hook: a member only reads her own referrals. */
export const referralPortalRoutes = (app: App, { db, clock, limiter }: Deps) => {
  const posters = posterCache();
  app.get(
    '/referral',
    {
      schema: {
        tags,
        summary: '邀请好友: my code and link, what the programme gives, my partner level, and the friends I invited (names masked)',
        response: { 200: ZMyReferral, ...errorResponses },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const ctx = memberCtx(member, clock.now());
      const code = await db.transaction((tx) => ensureReferralCode(tx, member.tenantId, member.customerId, ctx.now));
      const tenant = await getTenant(db, member.tenantId);
      const view = await customerReferrals(db, ctx, member.customerId);
      return {
        code,
        url: inviteUrl(originOf(req), tenant.code, code),
        posterUrl: '/api/portal/v1/referral/poster.png',
        lines: await programmeLines(db, member.tenantId),
        statements: { noCash: noCashStatement, referrerRewarded: referrerRewardedStatement },
        partner: {
          level: view.partner.level.name,
          benefits: view.partner.level.benefits,
          next: view.partner.next?.sentence ?? null,
          percent: view.partner.next?.percent ?? 100,
        },
        pointsEarned: view.totals.pointsGiven,
        referred: view.referred.map((friend) => ({
          name: maskName(friend.name),
          stage: friend.stage,
          referredAt: friend.referredAt,
          rewards: friend.rewards
            .filter((reward) => reward.customerId === member.customerId)
            .map((reward) => ({
              title: `${stageLabels[reward.stage]}奖励`,
              points: reward.points,
              hasVoucher: reward.voucherId !== null,
              status: rewardStatusText[reward.status] ?? reward.status,
            })),
        })),
      };
    },
  );

  app.get(
    '/referral/poster.png',
    { schema: { tags, summary: 'My invitation poster (PNG, to save by long-press): clinic, my masked name, the rewards, a QR code of my link' } },
    async (req, reply) => {
      const member = memberOf(req);
      await limiter.hit(`referral-poster:${member.tenantId}:${member.customerId}`, 30, 600_000, '海报生成过于频繁，请稍后再试');
      const code = await db.transaction((tx) => ensureReferralCode(tx, member.tenantId, member.customerId, clock.now()));
      const tenant = await getTenant(db, member.tenantId);
      const customer = await getCustomerRow(db, member.tenantId, member.customerId);
      const lines = await programmeLines(db, member.tenantId);
      const { png, etag } = await posters({
        clinicName: tenant.name,
        referrerName: maskName(customer.name),
        headline: '邀您一起变美',
        lines: (lines.length > 0 ? lines : ['欢迎到店咨询，专属顾问为您服务']).slice(0, 4),
        url: inviteUrl(originOf(req), tenant.code, code),
        code,
      });
      reply.header('cache-control', 'private, no-cache').header('etag', etag);
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type('image/png').send(png);
    },
  );

  app.get(
    '/referral/invite',
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Who invited me: the clinic, the inviter (masked) and what the programme gives, for the registration page of an invite link',
        querystring: z.strictObject({ clinic: z.string().trim().min(1).max(40), code: z.string().trim().min(1).max(20) }),
        response: {
          200: z.object({ clinicName: z.string(), referrerName: z.string(), code: z.string(), lines: z.array(z.string()), statements: ZStatements }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      // Anti-harvesting (COMPLIANCE §2): a handful of lookups per address, no enumeration of codes.
      await limiter.hit(`referral-invite:${req.ip}`, 30, 600_000, '查询过于频繁，请稍后再试');
      const tenant = await findTenantByCode(db, req.query.clinic.toLowerCase());
      const referrerId = tenant ? await findCustomerByReferralCode(db, tenant.id, req.query.code) : undefined;
      if (!tenant || !referrerId) throw new DomainError('not_found', 'REFERRAL_CODE_NOT_FOUND', '邀请码无效，请向邀请人确认链接');
      const referrer = await getCustomerRow(db, tenant.id, referrerId);
      return {
        clinicName: tenant.name,
        referrerName: maskName(referrer.name),
        code: req.query.code.toUpperCase(),
        lines: await programmeLines(db, tenant.id),
        statements: { noCash: noCashStatement, referrerRewarded: referrerRewardedStatement },
      };
    },
  );
};
