import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, errorResponses, type MemberPrincipal, memberOf, ZTimestamp } from '../../platform/http.js';
import { wechatAccountOf } from './provider-keys.js';
import { wechatDefaultEndpoint, wechatProvider } from './providers/wechat.js';
import { customerWechatBindings } from './tables.js';

/** How long the member has to authorise in WeChat after asking to bind. */
const stateTtlMs = 10 * 60_000;

/** Masks an openid for the audit: WeChat's pseudonymous id of her, kept out of logs whole. */
const maskedOpenid = (openid: string) => `****${openid.slice(-4)}`;

const stateMac = (member: MemberPrincipal, expiresAt: number) =>
  createHmac('sha256', member.csrfToken).update(`wechat-bind:${member.tenantId}:${member.customerId}:${member.sessionId}:${expiresAt}`).digest('base64url');

/**
 * The OAuth state (CSRF): its expiry and a MAC keyed by the member's session secret over her clinic,
 * herself, the session and the expiry — so a callback counts only in the session that asked, within
 * ten minutes, and a code obtained by someone else cannot be bound to her.
 */
export const wechatBindState = (member: MemberPrincipal, now: Date): string => {
  const expiresAt = now.getTime() + stateTtlMs;
  return `${expiresAt}.${stateMac(member, expiresAt)}`;
};

export const isWechatBindStateValid = (member: MemberPrincipal, state: string, now: Date): boolean => {
  const [expires = '', mac = ''] = state.split('.');
  const expiresAt = Number(expires);
  if (!/^\d{13}$/.test(expires) || expiresAt <= now.getTime()) return false;
  const expected = Buffer.from(stateMac(member, expiresAt));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

/** WeChat's page that asks the member to authorise (snsapi_base: silent, gives only her openid). */
export const wechatAuthorizeUrl = (appId: string, redirectUri: string, state: string): string =>
  `https://open.weixin.qq.com/connect/oauth2/authorize?${new URLSearchParams({ appid: appId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state })}#wechat_redirect`;

/** The customer's openid in the clinic's official account, if she bound one. */
export const wechatBindingOf = async (tx: Executor, tenantId: string, customerId: string) => {
  const [row] = await tx
    .select()
    .from(customerWechatBindings)
    .where(and(eq(customerWechatBindings.tenantId, tenantId), eq(customerWechatBindings.customerId, customerId)));
  return row;
};

/** Binds an openid to the member (replacing hers); one that belongs to another customer of the clinic is refused. */
export const bindWechat = async (tx: Executor, member: MemberPrincipal, openid: string, now: Date) => {
  const [taken] = await tx
    .select({ customerId: customerWechatBindings.customerId })
    .from(customerWechatBindings)
    .where(and(eq(customerWechatBindings.tenantId, member.tenantId), eq(customerWechatBindings.openid, openid)));
  if (taken && taken.customerId !== member.customerId) {
    throw new DomainError('conflict', 'WECHAT_OPENID_TAKEN', '这个微信已绑定本诊所的另一位会员，请先在该会员的会员中心解除绑定');
  }
  const before = await wechatBindingOf(tx, member.tenantId, member.customerId);
  await tx
    .insert(customerWechatBindings)
    .values({ tenantId: member.tenantId, customerId: member.customerId, openid, boundAt: now })
    .onConflictDoUpdate({ target: [customerWechatBindings.tenantId, customerWechatBindings.customerId], set: { openid, boundAt: now } });
  await writeAudit(
    tx,
    { tenantId: member.tenantId, type: 'customer', id: member.customerId },
    {
      action: 'wechat.bind',
      entityType: 'customer',
      entityId: member.customerId,
      before: before ? { openid: maskedOpenid(before.openid) } : null,
      after: { openid: maskedOpenid(openid) },
    },
  );
};

/**
 * 我的 → 绑定微信: the member binds her WeChat by the clinic's official account's web authorisation.
 * The portal asks for WeChat's authorise address (with a signed state), WeChat sends her browser
 * back to the callback with a code, which the server exchanges for her openid and stores; then
 * the callback sends her back to the portal's 我的 page saying how it went.
 */
export const wechatPortalRoutes = (app: App, { db, clock, secretBox, wechatEndpoint }: Deps) => {
  const tags = ['Member portal'];
  const endpoint = wechatEndpoint ?? wechatDefaultEndpoint;
  const ZBinding = z
    .object({
      /** The clinic has an official account set up (its AppID and AppSecret saved). */
      isAvailable: z.boolean(),
      isBound: z.boolean(),
      boundAt: ZTimestamp.nullable(),
    })
    .meta({ id: 'WechatBinding' });

  const bindingAnswer = async (member: MemberPrincipal) => {
    const account = await wechatAccountOf(db, member.tenantId, secretBox);
    const row = await wechatBindingOf(db, member.tenantId, member.customerId);
    return { isAvailable: account !== undefined, isBound: row !== undefined, boundAt: row?.boundAt.toISOString() ?? null };
  };

  app.get(
    '/wechat',
    { schema: { tags, summary: 'Whether my WeChat is bound to the clinic’s official account', response: { 200: ZBinding, ...errorResponses } } },
    async (req) => bindingAnswer(memberOf(req)),
  );

  app.post(
    '/wechat/authorize',
    {
      schema: {
        tags,
        summary: 'Start binding my WeChat: the address of WeChat’s authorisation page to open (valid 10 minutes, in this session only)',
        body: z.strictObject({}),
        response: { 200: z.object({ url: z.string() }), ...errorResponses },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const account = await wechatAccountOf(db, member.tenantId, secretBox);
      if (!account) throw new DomainError('rule', 'WECHAT_NOT_CONFIGURED', '诊所还没有设置微信公众号，暂时不能绑定');
      const redirectUri = `${req.protocol}://${req.host}/api/portal/v1/wechat/callback`;
      return { url: wechatAuthorizeUrl(account.appId, redirectUri, wechatBindState(member, clock.now())) };
    },
  );

  app.get(
    '/wechat/callback',
    {
      schema: {
        tags,
        summary:
          'Where WeChat returns after authorisation: binds the openid for the code, then back to the portal’s 我的 (/m/?wechat=bound or the error code #/me)',
        querystring: z.object({ code: z.string().max(512).optional(), state: z.string().max(200) }),
        response: { 302: z.null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const member = memberOf(req);
      // The portal's 我的 page (a hash route), told how it went.
      const back = (outcome: string) => reply.redirect(`/m/?wechat=${encodeURIComponent(outcome)}#/me`, 302);
      if (!isWechatBindStateValid(member, req.query.state, clock.now())) return back('WECHAT_STATE_INVALID');
      // No code: she declined in WeChat.
      if (!req.query.code) return back('WECHAT_AUTH_DECLINED');
      const account = await wechatAccountOf(db, member.tenantId, secretBox);
      if (!account) return back('WECHAT_NOT_CONFIGURED');
      const exchanged = await wechatProvider({ ...account, endpoint }).openidForCode(req.query.code);
      if (!exchanged.ok) {
        req.log.warn({ providerCode: exchanged.providerCode, errorClass: exchanged.errorClass }, 'wechat code exchange failed');
        return back('WECHAT_AUTH_FAILED');
      }
      try {
        await db.transaction((tx) => bindWechat(tx, member, exchanged.openid, clock.now()));
      } catch (error) {
        if (error instanceof DomainError) return back(error.code);
        throw error;
      }
      return back('bound');
    },
  );

  app.delete(
    '/wechat',
    { schema: { tags, summary: 'Unbind my WeChat: no more WeChat messages from the clinic', response: { 200: ZBinding, ...errorResponses } } },
    async (req) => {
      const member = memberOf(req);
      await db.transaction(async (tx) => {
        const [removed] = await tx
          .delete(customerWechatBindings)
          .where(and(eq(customerWechatBindings.tenantId, member.tenantId), eq(customerWechatBindings.customerId, member.customerId)))
          .returning();
        if (!removed) throw new DomainError('not_found', 'WECHAT_NOT_BOUND', '没有绑定微信');
        await writeAudit(
          tx,
          { tenantId: member.tenantId, type: 'customer', id: member.customerId },
          { action: 'wechat.unbind', entityType: 'customer', entityId: member.customerId, before: { openid: maskedOpenid(removed.openid) }, after: null },
        );
      });
      return bindingAnswer(member);
    },
  );
};
