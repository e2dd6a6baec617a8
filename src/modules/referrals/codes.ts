import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { assertCustomerExists } from '../customers/index.js';
import { referralCodes } from './tables.js';

/** No 0/O, 1/I/L: a code read aloud or copied from a poster cannot be mistaken. */
export const referralCodeAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const referralCodeLength = 6;
const codePattern = new RegExp(`^[${referralCodeAlphabet}]{${referralCodeLength}}$`);

export const newReferralCode = (): string =>
  Array.from({ length: referralCodeLength }, () => referralCodeAlphabet[randomInt(0, referralCodeAlphabet.length)]).join('');

/** As typed by a person: case and separators forgiven; undefined when it cannot be a code. */
export const normalizeReferralCode = (text: string): string | undefined => {
  const code = text.trim().toUpperCase().replace(/[\s-]/g, '');
  return codePattern.test(code) ? code : undefined;
};

export const findReferralCode = async (tx: Executor, tenantId: string, customerId: string): Promise<string | undefined> => {
  const [row] = await queryRows<{ code: string }>(tx, sql`select code from ${referralCodes} where tenant_id = ${tenantId} and customer_id = ${customerId}`);
  return row?.code;
};

/**
 * Her code, created on first use: 6 characters, unique in the tenant. `on conflict do nothing`
 * covers both a code drawn twice (draw again) and a code created meanwhile by another request
 * (use that one), without aborting the transaction.
 */
export const ensureReferralCode = async (tx: Executor, tenantId: string, customerId: string, now: Date): Promise<string> => {
  const existing = await findReferralCode(tx, tenantId, customerId);
  if (existing) return existing;
  await assertCustomerExists(tx, tenantId, customerId);
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = newReferralCode();
    const [inserted] = await queryRows<{ code: string }>(
      tx,
      sql`insert into ${referralCodes} (tenant_id, customer_id, code, created_at) values (${tenantId}, ${customerId}, ${code}, ${now.toISOString()}::timestamptz)
          on conflict do nothing returning code`,
    );
    if (inserted) return inserted.code;
    const raced = await findReferralCode(tx, tenantId, customerId);
    if (raced) return raced;
  }
  throw new Error('could not draw a free referral code');
};

/** Whose code it is; undefined for an unknown code. */
export const findCustomerByReferralCode = async (tx: Executor, tenantId: string, code: string): Promise<string | undefined> => {
  const normalized = normalizeReferralCode(code);
  if (!normalized) return undefined;
  const [row] = await queryRows<{ customer_id: string }>(
    tx,
    sql`select customer_id from ${referralCodes} where tenant_id = ${tenantId} and code = ${normalized}`,
  );
  return row?.customer_id;
};
