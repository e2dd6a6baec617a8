import type { Executor } from '../db/client.js';
import type { CustomerInput, CustomerPatch } from '../modules/customers/index.js';
import { type CustomerRow, createCustomer, getCustomerRow, updateCustomer } from '../modules/customers/index.js';
import { applyReferrerChange, checkReferrerChange, type ReferralChannel, recordReferral, rewardRegistration } from '../modules/referrals/index.js';
import { issueRegistrationVouchers, issueShareRewards } from '../modules/vouchers/index.js';
import type { Ctx } from '../platform/context.js';

export type RegisterOptions = {
  /** How her referrer is known: named at the desk (staff) or by her friend's invite link or code. */
  referralChannel?: ReferralChannel;
  /** She registered herself in the portal through her friend's invite: the inviter's registration rewards apply. */
  isInvited?: boolean;
};

/**
 * 新客建档: a new customer, at the desk or in the portal. In one transaction:
 * 1. her record;
 * 2. who brought her (转介绍), recorded with her;
 * 3. the clinic's 新客注册礼 vouchers (one out of stock never fails the registration);
 * 4. registered through a friend's invite link: the inviter's registration reward and any 分享领券 voucher.
 */
export const registerCustomer = async (tx: Executor, ctx: Ctx, input: CustomerInput, options: RegisterOptions = {}): Promise<CustomerRow> => {
  const customer = await createCustomer(tx, ctx, input);
  const referral = customer.referrerId
    ? await recordReferral(tx, ctx.actor, {
        referrerId: customer.referrerId,
        referredId: customer.id,
        channel: options.referralChannel ?? 'staff',
        referredAt: ctx.now,
      })
    : undefined;
  await issueRegistrationVouchers(tx, ctx.actor, customer.id, ctx.now);
  if (referral && options.isInvited) {
    const customerCtx = { ...ctx, actor: { ...ctx.actor, id: customer.id } };
    await rewardRegistration(tx, customerCtx, referral);
    await issueShareRewards(tx, customerCtx, { inviterId: referral.referrerId, friendId: customer.id });
  }
  return customer;
};

/**
 * Changing a customer's record. Her referrer may be set or changed only before her first visit,
 * never to herself or in a circle: referrals checks that before the change, and keeps its
 * referral row in step after it.
 */
export const changeCustomer = async (tx: Executor, ctx: Ctx, customerId: string, patch: CustomerPatch): Promise<CustomerRow> => {
  const before = await getCustomerRow(tx, ctx.tenantId, customerId, { forUpdate: true });
  const isReferrerChange = patch.referrerId !== undefined && patch.referrerId !== before.referrerId;
  if (isReferrerChange) await checkReferrerChange(tx, ctx.tenantId, customerId, patch.referrerId ?? null);
  const after = await updateCustomer(tx, ctx, before, patch);
  if (isReferrerChange) await applyReferrerChange(tx, ctx.actor, { customerId, referrerId: after.referrerId, now: ctx.now });
  return after;
};
