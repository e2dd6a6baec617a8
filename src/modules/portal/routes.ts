import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, errorResponses, isSecureCookie, memberCtx, memberOf } from '../../platform/http.js';
import { maskMobile } from '../../platform/phone.js';
import { getCustomerRow, ZMobile } from '../customers/index.js';
import { membershipOf, ZPortalMembership } from '../membership/index.js';
import { hasSmsChannel, sendCodeSms } from '../messaging/index.js';
import { pointsOverview } from '../points/index.js';
import { getTenant } from '../tenants/index.js';
import {
  invalidCode,
  limitCodeRequests,
  loginWithCode,
  logoutMember,
  type RegisterCustomer,
  registerMember,
  requestCode,
  resolveMemberSession,
} from './service.js';

export const memberCookieName = 'yh_mid';
const tags = ['Member portal'];
const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const ZMemberMe = z.object({
  customer: z.object({ id: z.uuid(), name: z.string(), phone: z.string() }),
  tenant: z.object({ code: z.string(), name: z.string() }),
  csrfToken: z.string(),
});

/**
 * The member portal's API (/api/portal/v1): phone + SMS code login and the customer's own data.
 * A member session can only ever read and act on its own customer, whatever ids a request names.
 */
export const portalRoutes = (app: App, deps: Deps, flows: { registerCustomer: RegisterCustomer }) => {
  const { db, clock } = deps;
  app.decorateRequest('member', null);
  app.addHook('onRequest', async (req) => {
    const cookie = req.cookies[memberCookieName];
    req.member = cookie ? ((await resolveMemberSession(db, clock, cookie)) ?? null) : null;
    if (req.routeOptions.config.isPublic || req.is404) return;
    if (!req.member) throw new DomainError('unauthorized', 'AUTH_REQUIRED', '请先登录');
    if (unsafe.has(req.method) && req.headers['x-csrf-token'] !== req.member.csrfToken)
      throw new DomainError('forbidden', 'CSRF_TOKEN_INVALID', '页面已过期，请刷新后重试');
  });

  const meOf = async (principal: { tenantId: string; customerId: string; csrfToken: string }) => {
    const customer = await getCustomerRow(db, principal.tenantId, principal.customerId);
    const tenant = await getTenant(db, principal.tenantId);
    return {
      customer: { id: customer.id, name: customer.name, phone: maskMobile(customer.phone) },
      tenant: { code: tenant.code, name: tenant.name },
      csrfToken: principal.csrfToken,
    };
  };

  app.post(
    '/auth/code',
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Send a 6-digit login code by SMS (5-minute life; 60 s before a resend)',
        description:
          'Login codes go to customers only; `purpose: register` (新会员注册, e.g. from an invite link) sends one to any phone. The answer is the same either way.',
        body: z.strictObject({ tenantCode: z.string().trim().min(1).max(40), phone: ZMobile, purpose: z.enum(['login', 'register']).optional() }),
        response: { 202: z.object({ resendAfterSeconds: z.number().int(), expiresInSeconds: z.number().int() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const input = { ...req.body, address: req.ip };
      await limitCodeRequests(db, deps.limiter, input);
      const messaging = { smsSender: deps.smsSender, secretBox: deps.secretBox };
      const { delivery, ...answer } = await db.transaction((tx) =>
        requestCode(tx, { clock, hasSmsChannel: (tenantId) => hasSmsChannel(tx, messaging, tenantId) }, input),
      );
      // Sent after the code is committed: a code that reached her phone is always one she can use.
      if (delivery) await sendCodeSms(db, messaging, delivery, clock.now());
      return reply.code(202).send(answer);
    },
  );

  app.post(
    '/auth/login',
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Log in with phone and code (sets the member session cookie)',
        body: z.strictObject({ tenantCode: z.string().trim().min(1).max(40), phone: ZMobile, code: z.string().regex(/^\d{6}$/, '验证码为 6 位数字') }),
        response: { 200: ZMemberMe, ...errorResponses },
      },
    },
    async (req, reply) => {
      await deps.limiter.hit(`member-login:${req.ip}`, 30, 600_000, '登录尝试过于频繁，请稍后再试');
      const session = await db.transaction((tx) => loginWithCode(tx, { clock }, req.body));
      if (!session) throw invalidCode();
      reply.setCookie(memberCookieName, session.cookieValue, {
        httpOnly: true,
        sameSite: 'lax',
        secure: isSecureCookie(req, deps.secureCookies),
        path: '/',
        expires: session.expiresAt,
      });
      return meOf(session);
    },
  );

  app.post(
    '/auth/register',
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: '新会员注册 with phone and code, optionally with a friend’s referral code (sets the member session cookie)',
        description:
          'With `referralCode` (the `?ref=` of an invite link) the friend is recorded as her referrer (channel code) and may be rewarded for the registration. A phone that is already a customer’s just logs in.',
        body: z.strictObject({
          tenantCode: z.string().trim().min(1).max(40),
          phone: ZMobile,
          code: z.string().regex(/^\d{6}$/, '验证码为 6 位数字'),
          name: z.string().trim().min(1, '请输入姓名').max(40, '姓名不能超过 40 个字'),
          gender: z.enum(['female', 'male', 'unknown']).default('unknown'),
          referralCode: z.string().trim().min(1).max(20).optional(),
          /** 会员服务与隐私说明: she must accept it to register (PIPL). */
          hasAcceptedTerms: z.literal(true, '请先阅读并同意会员服务与隐私说明'),
        }),
        response: { 200: ZMemberMe.extend({ isNew: z.boolean() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      await deps.limiter.hit(`member-login:${req.ip}`, 30, 600_000, '操作过于频繁，请稍后再试');
      const { hasAcceptedTerms: _, ...input } = req.body;
      const session = await db.transaction((tx) => registerMember(tx, { clock, registerCustomer: flows.registerCustomer }, input));
      if (!session) throw invalidCode();
      reply.setCookie(memberCookieName, session.cookieValue, {
        httpOnly: true,
        sameSite: 'lax',
        secure: isSecureCookie(req, deps.secureCookies),
        path: '/',
        expires: session.expiresAt,
      });
      return { ...(await meOf(session)), isNew: session.isNew };
    },
  );

  app.post('/auth/logout', { schema: { tags, summary: 'Log out', response: { 204: z.null(), ...errorResponses } } }, async (req, reply) => {
    await db.transaction((tx) => logoutMember(tx, clock, memberOf(req)));
    reply.clearCookie(memberCookieName, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/me', { schema: { tags, summary: 'The signed-in member', response: { 200: ZMemberMe, ...errorResponses } } }, async (req) => meOf(memberOf(req)));

  app.get(
    '/points',
    {
      schema: {
        tags,
        summary: 'My points: balance, expiring soon, pending, and history with reasons',
        response: {
          200: z.object({
            balance: z.number().int(),
            active: z.number().int(),
            pending: z.number().int(),
            expiringSoon: z.object({ points: z.number().int(), withinDays: z.number().int(), firstAt: z.string().nullable() }),
            history: z.array(z.object({ id: z.uuid(), type: z.string(), points: z.number().int(), title: z.string(), createdAt: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const overview = await pointsOverview(db, member.tenantId, member.customerId, clock.now(), { expiringWithinDays: 30 });
      return {
        balance: overview.balance,
        active: overview.active,
        pending: overview.pending,
        expiringSoon: overview.expiringSoon,
        history: overview.entries.map((entry) => ({
          id: entry.id,
          type: entry.type,
          points: entry.points,
          title: historyTitle(entry),
          createdAt: entry.createdAt,
        })),
      };
    },
  );

  app.get(
    '/membership',
    {
      schema: {
        tags,
        summary: 'My tier: benefits, progress to the next tier and what it unlocks, birthday-month benefit, gifts on the way',
        response: { 200: ZPortalMembership, ...errorResponses },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const { history: _, ...membership } = await membershipOf(db, memberCtx(member, clock.now()), member.customerId);
      return membership;
    },
  );
};

/** What a customer reads in her history: never an internal code. */
const historyTitle = (entry: { type: string; reason: Record<string, unknown> }): string => {
  const reason = entry.reason;
  if (typeof reason.label === 'string') return reason.label;
  switch (entry.type) {
    case 'earn':
      return '消费获得积分';
    case 'redeem':
      return reason.rule === 'redemption' ? '积分抵现' : '使用积分';
    case 'expire':
      return '积分到期';
    case 'adjust':
      return typeof reason.note === 'string' ? `门店调整：${reason.note}` : '门店调整';
    case 'reverse':
      return reason.rule === 'refund' ? '退款扣回积分' : reason.rule === 'refund_points_payout' ? '退款退回积分' : '积分冲正';
    default:
      return '积分变动';
  }
};
