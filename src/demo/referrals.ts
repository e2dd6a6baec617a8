import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../db/client.js';
import { customers } from '../modules/customers/index.js';
import { ensureReferralCode, referralSettingsSetting, referrals } from '../modules/referrals/index.js';
import { putSetting } from '../modules/settings/index.js';
import { systemActor } from '../platform/audit.js';

/**
 * Before the two years of clinic life are replayed: the demo customers were created today and
 * then dated back, so their referrals (recorded with them) are dated back too, and the clinic
 * also rewards a friend's first visit. The replay then rewards arrivals and first deals through
 * the checkout and visit functions themselves, caps and windows included.
 */
export const prepareDemoReferrals = async (tx: Tx, input: { tenantId: string }) => {
  await tx.execute(
    sql`update ${referrals} r set referred_at = c.created_at, created_at = c.created_at, updated_at = c.created_at
        from ${customers} c where r.tenant_id = ${input.tenantId} and c.tenant_id = r.tenant_id and c.id = r.referred_id`,
  );
  await putSetting(tx, systemActor(input.tenantId), referralSettingsSetting, { ...referralSettingsSetting.defaults, arrival: { referrerPoints: 100 } });
};

/** After the replay: every referrer has her referral code (her poster and link), as if she had shared it. */
export const finishDemoReferrals = async (tx: Tx, input: { tenantId: string; now: number }) => {
  const referrers = await queryRows<{ referrer_id: string }>(
    tx,
    sql`select distinct referrer_id from ${referrals} where tenant_id = ${input.tenantId} order by referrer_id`,
  );
  for (const { referrer_id: referrerId } of referrers) await ensureReferralCode(tx, input.tenantId, referrerId, new Date(input.now));
};
