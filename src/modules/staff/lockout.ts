import { and, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type Actor, writeAudit } from '../../platform/audit.js';
import { RateLimitedError } from '../../platform/rate-limit.js';
import { staffLoginFailures } from './tables.js';

/**
 * After 5 wrong passwords within 15 minutes from one address, that address may not try the
 * account for 15 minutes. Counted per account *and* address: a stranger who knows a username
 * locks out only their own address, never the clinic's computers; the owner can unlock.
 */
export const lockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

type Attempt = { tenantId: string; staffId: string; address: string; now: Date };

const where = (attempt: Attempt) =>
  and(eq(staffLoginFailures.tenantId, attempt.tenantId), eq(staffLoginFailures.staffId, attempt.staffId), eq(staffLoginFailures.address, attempt.address));

export const assertNotLocked = async (tx: Executor, attempt: Attempt): Promise<void> => {
  const [row] = await tx.select({ lockedUntil: staffLoginFailures.lockedUntil }).from(staffLoginFailures).where(where(attempt));
  if (row?.lockedUntil && row.lockedUntil > attempt.now) {
    const seconds = Math.max(1, Math.ceil((row.lockedUntil.getTime() - attempt.now.getTime()) / 1000));
    throw new RateLimitedError(`密码错误次数过多，此电脑 ${Math.ceil(seconds / 60)} 分钟内不能登录该账号；可请老板在「员工」中解锁`, seconds);
  }
};

/** One wrong password: a new window when the last one ended, a lock once the window holds too many. */
export const recordLoginFailure = async (tx: Executor, attempt: Attempt): Promise<void> => {
  const windowStart = new Date(attempt.now.getTime() - lockoutPolicy.windowMs);
  const lockUntil = new Date(attempt.now.getTime() + lockoutPolicy.lockMs);
  await tx
    .insert(staffLoginFailures)
    .values({ tenantId: attempt.tenantId, staffId: attempt.staffId, address: attempt.address, failures: 1, windowStartedAt: attempt.now })
    .onConflictDoUpdate({
      target: [staffLoginFailures.tenantId, staffLoginFailures.staffId, staffLoginFailures.address],
      set: {
        failures: sql`case when ${staffLoginFailures.windowStartedAt} <= ${windowStart} then 1 else ${staffLoginFailures.failures} + 1 end`,
        windowStartedAt: sql`case when ${staffLoginFailures.windowStartedAt} <= ${windowStart} then ${attempt.now} else ${staffLoginFailures.windowStartedAt} end`,
      },
    });
  await tx
    .update(staffLoginFailures)
    .set({ lockedUntil: lockUntil })
    .where(and(where(attempt), sql`${staffLoginFailures.failures} >= ${lockoutPolicy.maxFailures}`));
};

export const clearLoginFailures = async (tx: Executor, attempt: Attempt): Promise<void> => {
  await tx.delete(staffLoginFailures).where(where(attempt));
};

/** Staff with an address locked out right now, for the staff list. */
export const lockedStaffIds = async (tx: Executor, tenantId: string, now: Date): Promise<Set<string>> => {
  const rows = await tx
    .selectDistinct({ staffId: staffLoginFailures.staffId })
    .from(staffLoginFailures)
    .where(and(eq(staffLoginFailures.tenantId, tenantId), gt(staffLoginFailures.lockedUntil, now)));
  return new Set(rows.map((row) => row.staffId));
};

/** 解锁: every address may try again at once. */
export const unlockStaff = async (tx: Executor, actor: Actor, staffId: string): Promise<void> => {
  await tx.delete(staffLoginFailures).where(and(eq(staffLoginFailures.tenantId, actor.tenantId), eq(staffLoginFailures.staffId, staffId)));
  await writeAudit(tx, actor, { action: 'staff.unlock', entityType: 'staff_user', entityId: staffId });
};
