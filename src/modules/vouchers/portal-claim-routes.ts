import { z } from 'zod';
import { businessDate, defaultTimeZone } from '../../platform/clock.js';
import { makeCtx } from '../../platform/context.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, errorResponses, idempotencyOf, memberOf } from '../../platform/http.js';
import { runIdempotent } from '../../platform/idempotency.js';
import { findTenantByCode } from '../tenants/index.js';
import { claimByCode, claimOffer, listClaimableOffers } from './claim.js';
import { ZClaimOffer } from './distribution-schemas.js';
import { voucherKinds } from './schemas.js';
import { toVoucherView } from './wallet.js';

const tags = ['Member portal'];

/** Anti-harvesting (COMPLIANCE §2): per customer and per address, 429 with Retry-After past them. */
export const claimLimits = { perCustomerPerMinute: 10, perCustomerPerDay: 100, perAddressPerMinute: 60, lookupsPerAddressPerMinute: 120 } as const;

const ZCodeParams = z.strictObject({ code: z.string().regex(/^[a-z0-9]{6,20}$/, '领券码格式不正确') });

const ZClaimed = z.object({
  message: z.string(),
  vouchers: z.array(z.object({ id: z.uuid(), title: z.string(), kind: z.enum(voucherKinds), validFrom: z.iso.date(), validTo: z.iso.date() })),
  offer: ZClaimOffer,
});

/** 领券 on the member portal (/api/portal/v1/claims): the claim page behind a link, claiming it, and the 领券中心 list. */
export const voucherClaimPortalRoutes = (app: App, { db, clock, limiter }: Deps) => {
  app.get(
    '/claims',
    {
      schema: {
        tags,
        summary: '领券中心: the clinic’s open claim links with stock left, and whether I can still claim each',
        response: { 200: z.object({ items: z.array(ZClaimOffer) }), ...errorResponses },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const today = businessDate(clock.now(), member.timezone, member.dayStart);
      return { items: await listClaimableOffers(db, { tenantId: member.tenantId, today, customerId: member.customerId }) };
    },
  );

  app.get(
    '/claims/:code',
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: '领券页: the voucher behind a claim link — title, value, scope, validity, stock left — before or after logging in',
        description: 'Public: the clinic comes from `?clinic=` (the link carries it) or from the member session.',
        params: ZCodeParams,
        querystring: z.strictObject({ clinic: z.string().trim().min(1).max(40).optional() }),
        response: { 200: ZClaimOffer, ...errorResponses },
      },
    },
    async (req) => {
      await limiter.hit(`claim-lookup:${req.ip}`, claimLimits.lookupsPerAddressPerMinute, 60_000, '访问过于频繁，请稍后再试');
      const clinic = req.query.clinic ? await findTenantByCode(db, req.query.clinic.toLowerCase()) : undefined;
      if (req.query.clinic && !clinic) throw new DomainError('not_found', 'CLAIM_NOT_FOUND', '领券链接不存在或已失效');
      const tenantId = clinic?.id ?? req.member?.tenantId;
      if (!tenantId) throw new DomainError('not_found', 'CLAIM_NOT_FOUND', '领券链接不存在或已失效');
      const timezone = clinic?.timezone ?? req.member?.timezone ?? defaultTimeZone;
      // Signed in to this clinic: say whether she can still claim it.
      const customerId = req.member && req.member.tenantId === tenantId ? req.member.customerId : null;
      return claimOffer(db, { tenantId, today: businessDate(clock.now(), timezone), code: req.params.code, customerId });
    },
  );

  app.post(
    '/claims/:code',
    {
      schema: {
        tags,
        summary: '立即领取: claim the voucher into my wallet, within the stock and the per-customer limit',
        description:
          'Requires an `Idempotency-Key` header (a retried tap gets the first answer). 409 VOUCHER_OUT_OF_STOCK when none is left, 422 VOUCHER_OVER_LIMIT past the limit, 429 when claiming too fast.',
        params: ZCodeParams,
        body: z.strictObject({}).optional(),
        response: { 201: ZClaimed, ...errorResponses },
      },
    },
    async (req, reply) => {
      const member = memberOf(req);
      await limiter.hit(`claim:address:${req.ip}`, claimLimits.perAddressPerMinute, 60_000, '领券过于频繁，请稍后再试');
      await limiter.hit(`claim:customer:${member.tenantId}:${member.customerId}`, claimLimits.perCustomerPerMinute, 60_000, '领券过于频繁，请稍后再试');
      await limiter.hit(`claim:day:${member.tenantId}:${member.customerId}`, claimLimits.perCustomerPerDay, 86_400_000, '今日领券次数已达上限');
      const idempotency = idempotencyOf(req, { isRequired: true });
      if (!idempotency) throw new DomainError('invalid', 'IDEMPOTENCY_KEY_REQUIRED', '该操作需要 Idempotency-Key 请求头');
      const now = clock.now();
      const ctx = makeCtx({ tenantId: member.tenantId, type: 'customer', id: member.customerId }, now, member.timezone, null, member.dayStart);
      const result = await runIdempotent(
        db,
        // A member's keys live apart from staff keys and from other members'.
        { tenantId: member.tenantId, key: `member:${member.customerId}:${idempotency.key}`, requestHash: idempotency.requestHash },
        async (tx) => {
          const vouchers = await claimByCode(tx, ctx, { code: req.params.code, customerId: member.customerId });
          const offer = await claimOffer(tx, { tenantId: member.tenantId, today: ctx.today, code: req.params.code, customerId: member.customerId });
          return {
            status: 201,
            body: {
              message: vouchers.length > 1 ? `已领取 ${vouchers.length} 张，已放入券包` : '领取成功，已放入券包',
              vouchers: vouchers.map((row) => {
                const view = toVoucherView(row, ctx.today);
                return { id: view.id, title: view.snapshot.title, kind: view.snapshot.kind, validFrom: view.validFrom, validTo: view.validTo };
              }),
              offer,
            },
          };
        },
      );
      if (result.isReplay) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result.body);
    },
  );
};
