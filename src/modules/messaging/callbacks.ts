import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, errorResponses } from '../../platform/http.js';
import { customers } from '../customers/index.js';
import { findTenantByCode } from '../tenants/index.js';
import { parseAliyunReceipts, parseAliyunReplies, parseTencentReceipts, parseTencentReplies, type SmsReceipt, type SmsReply } from './providers/index.js';
import { isOptOutReply } from './rules.js';
import { consentsOf, saveConsents } from './service.js';
import { messageSuppressions, messages } from './tables.js';

const providers = ['aliyun', 'tencent'] as const;
type Provider = (typeof providers)[number];
const kinds = ['receipts', 'replies'] as const;

/**
 * The secret part of a clinic's callback address: the providers do not sign their pushes, so the
 * address itself is the credential — an HMAC of the clinic and provider under the installation's
 * YUEHUI_CALLBACK_SECRET. Without that secret the callbacks are off.
 */
export const callbackToken = (secret: string, tenantId: string, provider: Provider): string =>
  createHmac('sha256', secret).update(`sms-callback:${tenantId}:${provider}`).digest('base64url');

const tokenMatches = (expected: string, given: string) => {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Delivery receipts: a sent SMS becomes delivered or failed with the carrier's code. */
const applyReceipts = async (db: Db, tenantId: string, receipts: readonly SmsReceipt[]) => {
  let updated = 0;
  for (const receipt of receipts) {
    const byProvider = receipt.providerMessageId ? eq(messages.providerMessageId, receipt.providerMessageId) : undefined;
    const byOurs = receipt.idempotencyId && /^[0-9a-f-]{36}$/i.test(receipt.idempotencyId) ? eq(messages.id, receipt.idempotencyId) : undefined;
    const match = byProvider ?? byOurs;
    if (!match) continue;
    const rows = await db
      .update(messages)
      .set(
        receipt.status === 'delivered'
          ? { status: 'delivered', deliveredAt: receipt.at, updatedAt: receipt.at }
          : { status: 'failed', reason: `carrier:${receipt.errorCode ?? 'unknown'}`, updatedAt: receipt.at },
      )
      .where(and(eq(messages.tenantId, tenantId), eq(messages.channel, 'sms'), inArray(messages.status, ['sent', 'unknown']), match))
      .returning({ id: messages.id });
    updated += rows.length;
  }
  return updated;
};

/** Replies: R / T / TD / 退订 puts the phone on the opt-out list and withdraws her SMS consent at once. */
const applyReplies = async (db: Db, tenantId: string, replies: readonly SmsReply[]) => {
  let optedOut = 0;
  for (const reply of replies) {
    if (!isOptOutReply(reply.text)) continue;
    await db.transaction(async (tx) => {
      const added = await tx
        .insert(messageSuppressions)
        .values({ tenantId, phone: reply.phone, source: 'reply', note: reply.text.slice(0, 20), createdAt: reply.at })
        .onConflictDoNothing()
        .returning({ phone: messageSuppressions.phone });
      optedOut += added.length;
      const owners = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(and(eq(customers.tenantId, tenantId), eq(customers.phone, reply.phone)));
      for (const owner of owners) {
        const current = await consentsOf(tx, tenantId, owner.id);
        if (current.sms) await saveConsents(tx, systemActor(tenantId), owner.id, { ...current, sms: false }, 'reply', reply.at);
      }
    });
  }
  return optedOut;
};

const parsers: Record<Provider, { receipts: (body: unknown) => SmsReceipt[]; replies: (body: unknown) => SmsReply[] }> = {
  aliyun: { receipts: parseAliyunReceipts, replies: parseAliyunReplies },
  tencent: { receipts: parseTencentReceipts, replies: parseTencentReplies },
};

/**
 * The providers' pushes (/api/callbacks/sms/…): delivery receipts and replies, per clinic and
 * provider at an address only the clinic's settings show. A wrong address changes nothing.
 */
export const smsCallbackRoutes = (app: App, { db, callbackSecret: secret }: Deps) => {
  app.post(
    '/sms/:provider/:kind/:tenantCode/:token',
    {
      schema: {
        tags: ['Messaging'],
        summary: "An SMS provider's push: delivery receipts or replies (退订 honoured at once)",
        params: z.strictObject({ provider: z.enum(providers), kind: z.enum(kinds), tenantCode: z.string().max(40), token: z.string().max(100) }),
        body: z.unknown(),
        response: { 200: z.object({ code: z.number().int(), msg: z.string() }), ...errorResponses },
      },
    },
    async (req) => {
      const { provider, kind, tenantCode, token } = req.params;
      const tenant = secret ? await findTenantByCode(db, tenantCode) : undefined;
      if (!secret || !tenant || !tokenMatches(callbackToken(secret, tenant.id, provider), token)) {
        throw new DomainError('not_found', 'CALLBACK_NOT_FOUND', '回调地址无效');
      }
      if (kind === 'receipts') await applyReceipts(db, tenant.id, parsers[provider].receipts(req.body));
      else await applyReplies(db, tenant.id, parsers[provider].replies(req.body));
      // Both providers read a 0 code as "received".
      return { code: 0, msg: '成功' };
    },
  );
};
