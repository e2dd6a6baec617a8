import { randomInt } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { Actor } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { type Ctx, makeCtx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { MemberPrincipal } from '../../platform/http.js';
import { newId, uuidPattern } from '../../platform/ids.js';
import { hashSecret, randomSecret, secretsEqual } from '../../platform/passwords.js';
import type { RateLimiter } from '../../platform/rate-limit.js';
import type { CustomerInput, CustomerRow } from '../customers/index.js';
import { customers } from '../customers/index.js';
import type { ReferralChannel } from '../referrals/index.js';
import { findCustomerByReferralCode } from '../referrals/index.js';
import { findTenantByCode, type Tenant, tenants } from '../tenants/index.js';
import { customerSessions, smsCodes } from './tables.js';

export const codePolicy = { lifeMs: 5 * 60_000, resendAfterMs: 60_000, maxAttempts: 5, perPhonePerHour: 5, perPhonePerDay: 10, perAddressPerHour: 20 } as const;
export const memberSessionPolicy = { absoluteMs: 30 * 86_400_000, idleMs: 7 * 86_400_000 } as const;

const codeHash = (tenantId: string, phone: string, code: string) => hashSecret(`${tenantId}:${phone}:${code}`);

const unknownClinic = () => new DomainError('not_found', 'CLINIC_NOT_FOUND', '诊所不存在，请使用门店提供的链接');

/**
 * The limits on asking for a code, per address and per phone: checked before the request's
 * transaction (the limiter counts on its own connection) and counted even when the request fails.
 */
export const limitCodeRequests = async (db: Executor, limiter: RateLimiter, input: { tenantCode: string; phone: string; address: string }) => {
  const tenant = await findTenantByCode(db, input.tenantCode.trim().toLowerCase());
  if (!tenant) throw unknownClinic();
  // Per clinic and address, as staff logins are: members of two clinics behind one carrier NAT do not use up each other's codes.
  await limiter.hit(`sms:address:${tenant.id}:${input.address}`, codePolicy.perAddressPerHour, 3_600_000, '请求验证码过于频繁，请稍后再试');
  await limiter.hit(`sms:resend:${tenant.id}:${input.phone}`, 1, codePolicy.resendAfterMs, '验证码已发送，请 60 秒后再试');
  await limiter.hit(`sms:hour:${tenant.id}:${input.phone}`, codePolicy.perPhonePerHour, 3_600_000, '该手机号请求验证码过于频繁，请 1 小时后再试');
  await limiter.hit(`sms:day:${tenant.id}:${input.phone}`, codePolicy.perPhonePerDay, 86_400_000, '该手机号今日请求验证码次数已达上限');
};

/**
 * Sends a 6-digit code to a registered customer's phone. The answer is the same whether or not
 * the phone is registered, so the endpoint cannot be used to find out who is a customer.
 * Rate limits are `limitCodeRequests`' job, before the transaction.
 */
export const requestCode = async (
  tx: Executor,
  deps: { clock: Clock; hasSmsChannel: (tenantId: string) => Promise<boolean> },
  input: { tenantCode: string; phone: string; address: string; purpose?: 'login' | 'register' | undefined },
): Promise<{ resendAfterSeconds: number; expiresInSeconds: number; delivery: CodeDelivery | null }> => {
  const tenant = await findTenantByCode(tx, input.tenantCode.trim().toLowerCase());
  if (!tenant) throw unknownClinic();
  const now = deps.clock.now();
  const [customer] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.tenantId, tenant.id), eq(customers.phone, input.phone)));
  // Registration (新会员注册, e.g. from a friend's invite link) sends to any phone; login only to customers.
  if (!(await deps.hasSmsChannel(tenant.id))) {
    throw new DomainError('rule', 'SMS_CHANNEL_MISSING', '诊所尚未开通短信验证码，请联系门店');
  }
  let delivery: CodeDelivery | null = null;
  if (customer || input.purpose === 'register') {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const codeId = newId();
    await tx.insert(smsCodes).values({
      tenantId: tenant.id,
      id: codeId,
      phone: input.phone,
      codeHash: codeHash(tenant.id, input.phone, code),
      expiresAt: new Date(now.getTime() + codePolicy.lifeMs),
      createdAt: now,
    });
    delivery = { tenantId: tenant.id, customerId: customer?.id ?? null, phone: input.phone, code, sourceKey: `code:${codeId}` };
  }
  return { resendAfterSeconds: codePolicy.resendAfterMs / 1000, expiresInSeconds: codePolicy.lifeMs / 1000, delivery };
};

/** A code to send once its row is committed (the messaging module sends it through the clinic's SMS channel). */
export type CodeDelivery = { tenantId: string; customerId: string | null; phone: string; code: string; sourceKey: string };

export const invalidCode = () => new DomainError('unauthorized', 'CODE_INVALID', '验证码错误或已过期，请重新获取');

export const notRegistered = () => new DomainError('not_found', 'MEMBER_NOT_REGISTERED', '该手机号还不是会员，请填写姓名完成注册');

/**
 * The newest live code of the phone (single use, 5 attempts): the row when the code is right
 * (still unconsumed), undefined when wrong (the spent attempt is written, so the caller must
 * commit rather than throw).
 */
const checkCode = async (tx: Executor, tenant: Tenant, input: { phone: string; code: string }, now: Date) => {
  const [row] = await tx
    .select()
    .from(smsCodes)
    .where(and(eq(smsCodes.tenantId, tenant.id), eq(smsCodes.phone, input.phone), isNull(smsCodes.consumedAt)))
    .orderBy(desc(smsCodes.createdAt))
    .limit(1)
    .for('update');
  if (!row || row.expiresAt <= now || row.attempts >= codePolicy.maxAttempts) throw invalidCode();
  if (!secretsEqual(row.codeHash, codeHash(tenant.id, input.phone, input.code))) {
    await tx
      .update(smsCodes)
      .set({ attempts: row.attempts + 1 })
      .where(and(eq(smsCodes.tenantId, tenant.id), eq(smsCodes.id, row.id)));
    return undefined;
  }
  return row;
};

const consumeCode = (tx: Executor, tenantId: string, codeId: string, now: Date) =>
  tx
    .update(smsCodes)
    .set({ consumedAt: now })
    .where(and(eq(smsCodes.tenantId, tenantId), eq(smsCodes.id, codeId)));

const customerByPhone = async (tx: Executor, tenantId: string, phone: string) => {
  const [customer] = await tx
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.phone, phone)));
  return customer;
};

/**
 * Checks the code and opens a member session. A wrong code returns undefined rather than
 * throwing, so the spent attempt is committed with the transaction. A right code for a phone
 * that is not a customer's is left unused and answered MEMBER_NOT_REGISTERED: the portal then
 * asks for her name and registers her with the same code.
 */
export const loginWithCode = async (tx: Executor, deps: { clock: Clock }, input: { tenantCode: string; phone: string; code: string }) => {
  const tenant = await findTenantByCode(tx, input.tenantCode.trim().toLowerCase());
  if (!tenant) throw unknownClinic();
  const now = deps.clock.now();
  const row = await checkCode(tx, tenant, input, now);
  if (!row) return undefined;
  const customer = await customerByPhone(tx, tenant.id, input.phone);
  if (!customer) throw notRegistered();
  await consumeCode(tx, tenant.id, row.id, now);
  return openMemberSession(tx, tenant, customer.id, now);
};

export type MemberRegistration = {
  tenantCode: string;
  phone: string;
  code: string;
  name: string;
  gender: 'female' | 'male' | 'unknown';
  /** 邀请码 from the friend's link (?ref=): her referrer, recorded with her, channel code. */
  referralCode?: string | undefined;
};

/**
 * 新会员注册 in the portal, by SMS code: creates the customer and, with a friend's referral
 * code, her referral (channel code) and the inviter's registration reward, in one transaction;
 * then opens her session. A phone that is already a customer's simply logs in (an invite does
 * not re-assign an existing customer). Undefined for a wrong code, as for login.
 */
/** Registering the customer record itself is the app's register-customer flow, given here: a module never imports a flow. */
export type RegisterCustomer = (
  tx: Executor,
  ctx: Ctx,
  input: CustomerInput,
  options: { referralChannel?: ReferralChannel; isInvited?: boolean },
) => Promise<CustomerRow>;

export const registerMember = async (tx: Executor, deps: { clock: Clock; registerCustomer: RegisterCustomer }, input: MemberRegistration) => {
  const tenant = await findTenantByCode(tx, input.tenantCode.trim().toLowerCase());
  if (!tenant) throw unknownClinic();
  const now = deps.clock.now();
  const row = await checkCode(tx, tenant, input, now);
  if (!row) return undefined;
  const existing = await customerByPhone(tx, tenant.id, input.phone);
  if (existing) {
    await consumeCode(tx, tenant.id, row.id, now);
    return { ...(await openMemberSession(tx, tenant, existing.id, now)), isNew: false };
  }
  const referrerId = input.referralCode ? await findCustomerByReferralCode(tx, tenant.id, input.referralCode) : undefined;
  if (input.referralCode && !referrerId) {
    throw new DomainError('rule', 'REFERRAL_CODE_NOT_FOUND', '邀请码无效，请向邀请人确认链接', [{ path: 'body.referralCode', message: '邀请码无效' }]);
  }
  await consumeCode(tx, tenant.id, row.id, now);
  const actor: Actor = { tenantId: tenant.id, type: 'customer', id: null };
  const customer = await deps.registerCustomer(
    tx,
    makeCtx(actor, now, tenant.timezone, null, tenant.businessDayStart),
    { name: input.name, gender: input.gender, phone: input.phone, referrerId: referrerId ?? null, sourceChannel: referrerId ? 'referral' : null },
    { referralChannel: 'code', isInvited: true },
  );
  return { ...(await openMemberSession(tx, tenant, customer.id, now)), isNew: true };
};

const openMemberSession = async (tx: Executor, tenant: Tenant, customerId: string, now: Date) => {
  const secret = randomSecret();
  const session = {
    tenantId: tenant.id,
    id: newId(),
    customerId,
    secretHash: hashSecret(secret),
    csrfToken: randomSecret(24),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + memberSessionPolicy.absoluteMs),
  };
  await tx.insert(customerSessions).values(session);
  return {
    cookieValue: `${tenant.id}.${session.id}.${secret}`,
    expiresAt: session.expiresAt,
    csrfToken: session.csrfToken,
    customerId,
    tenantId: tenant.id,
  };
};

export const resolveMemberSession = async (tx: Executor, clock: Clock, cookieValue: string): Promise<MemberPrincipal | undefined> => {
  const [tenantId = '', sessionId = '', secret = ''] = cookieValue.split('.');
  if (!uuidPattern.test(tenantId) || !uuidPattern.test(sessionId) || !secret) return undefined;
  const [row] = await tx
    .select({ session: customerSessions, timezone: tenants.timezone, dayStart: tenants.businessDayStart })
    .from(customerSessions)
    .innerJoin(tenants, eq(tenants.id, customerSessions.tenantId))
    .where(and(eq(customerSessions.tenantId, tenantId), eq(customerSessions.id, sessionId)));
  if (!row || row.session.revokedAt || !secretsEqual(row.session.secretHash, hashSecret(secret))) return undefined;
  const now = clock.now().getTime();
  if (row.session.expiresAt.getTime() <= now || row.session.lastSeenAt.getTime() + memberSessionPolicy.idleMs <= now) return undefined;
  if (now - row.session.lastSeenAt.getTime() > 60_000) {
    await tx
      .update(customerSessions)
      .set({ lastSeenAt: new Date(now) })
      .where(and(eq(customerSessions.tenantId, tenantId), eq(customerSessions.id, sessionId)));
  }
  return { tenantId, timezone: row.timezone, dayStart: row.dayStart, customerId: row.session.customerId, sessionId, csrfToken: row.session.csrfToken };
};

export const logoutMember = async (tx: Executor, clock: Clock, principal: MemberPrincipal) => {
  await tx
    .update(customerSessions)
    .set({ revokedAt: clock.now() })
    .where(and(eq(customerSessions.tenantId, principal.tenantId), eq(customerSessions.id, principal.sessionId)));
};
