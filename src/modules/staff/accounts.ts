import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type Actor, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { hashPassword, verifyPassword } from '../../platform/passwords.js';
import type { Role } from '../../platform/permissions.js';
import { pinyinKeys } from '../../platform/pinyin.js';
import { getTenant, listStores } from '../tenants/index.js';
import { lockedStaffIds } from './lockout.js';
import { passwordProblem } from './password-policy.js';
import { createStaffUser, type StaffUser } from './service.js';
import { staffLoginFailures, staffSessions, staffUsers } from './tables.js';

/** Who manages staff: the acting account with its role and store scope. */
export type StaffManager = Actor & { id: string; role: Role; storeIds: readonly string[] | null };

const staffNotFound = () => notFound('员工', 'STAFF_NOT_FOUND');

/** A new password is checked against the policy; the refusal names the field it came from. */
export const assertPasswordAcceptable = (password: string, field: string, context: { username?: string; tenantCode?: string }) => {
  const problem = passwordProblem(password, context);
  if (problem) throw new DomainError('invalid', 'PASSWORD_WEAK', problem, [{ path: field, message: problem }]);
};

const audited = (user: StaffUser) => {
  const { passwordHash: _omitted, searchKeys: _keys, ...rest } = user;
  return rest;
};

/** Store ids must be this clinic's: another clinic's store is "not found", before anything is written. */
const assertOwnStores = async (tx: Executor, tenantId: string, storeIds: readonly string[] | null | undefined) => {
  if (!storeIds || storeIds.length === 0) return;
  const own = new Set((await listStores(tx, tenantId)).map((store) => store.id));
  if (storeIds.some((id) => !own.has(id))) throw notFound('门店', 'STORE_NOT_FOUND');
};

const lockStaff = async (tx: Executor, tenantId: string, staffId: string): Promise<StaffUser> => {
  const [user] = await tx
    .select()
    .from(staffUsers)
    .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, staffId)))
    .for('update');
  if (!user) throw staffNotFound();
  return user;
};

const otherActiveOwners = async (tx: Executor, tenantId: string, staffId: string) =>
  tx
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.role, 'owner'), isNull(staffUsers.disabledAt), ne(staffUsers.id, staffId)));

const endSessions = async (tx: Executor, tenantId: string, staffId: string, now: Date, exceptSessionId?: string) => {
  await tx
    .update(staffSessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(staffSessions.tenantId, tenantId),
        eq(staffSessions.staffId, staffId),
        isNull(staffSessions.revokedAt),
        exceptSessionId ? ne(staffSessions.id, exceptSessionId) : undefined,
      ),
    );
};

export const listStaffAccounts = async (tx: Executor, tenantId: string, now: Date) => {
  const rows = await tx.select().from(staffUsers).where(eq(staffUsers.tenantId, tenantId)).orderBy(asc(staffUsers.createdAt), asc(staffUsers.id));
  const locked = await lockedStaffIds(tx, tenantId, now);
  return rows.map((row) => ({ ...row, isLocked: locked.has(row.id) }));
};

/** 新建员工: the password given is temporary, changed by its holder at first login. */
export const createStaffAccount = async (
  tx: Executor,
  actor: Actor,
  input: { username: string; displayName: string; role: Role; password: string; storeIds?: string[] | null },
): Promise<StaffUser> => {
  const tenant = await getTenant(tx, actor.tenantId);
  assertPasswordAcceptable(input.password, 'body.password', { username: input.username, tenantCode: tenant.code });
  await assertOwnStores(tx, actor.tenantId, input.storeIds);
  return createStaffUser(tx, actor, { ...input, storeIds: input.storeIds && input.storeIds.length > 0 ? input.storeIds : null, mustChangePassword: true });
};

export const updateStaffAccount = async (
  tx: Executor,
  actor: Actor,
  staffId: string,
  input: { displayName?: string; role?: Role; storeIds?: string[] | null },
): Promise<StaffUser> => {
  const before = await lockStaff(tx, actor.tenantId, staffId);
  await assertOwnStores(tx, actor.tenantId, input.storeIds);
  if (before.role === 'owner' && input.role && input.role !== 'owner' && (await otherActiveOwners(tx, actor.tenantId, staffId)).length === 0) {
    throw new DomainError('rule', 'STAFF_LAST_OWNER', '诊所至少需要一位在职的老板账号');
  }
  const changes = {
    ...(input.displayName !== undefined ? { displayName: input.displayName, searchKeys: pinyinKeys(input.displayName) } : {}),
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input.storeIds !== undefined ? { storeIds: input.storeIds && input.storeIds.length > 0 ? input.storeIds : null } : {}),
  };
  if (Object.keys(changes).length === 0) return before;
  const [after] = await tx
    .update(staffUsers)
    .set(changes)
    .where(and(eq(staffUsers.tenantId, actor.tenantId), eq(staffUsers.id, staffId)))
    .returning();
  if (!after) throw staffNotFound();
  await writeAudit(tx, actor, { action: 'staff.update', entityType: 'staff_user', entityId: staffId, before: audited(before), after: audited(after) });
  return after;
};

/** 停用: the account's sessions end at once (every request checks the account), and it cannot log in. */
export const disableStaffAccount = async (tx: Executor, actor: Actor, clock: Clock, staffId: string): Promise<StaffUser> => {
  const before = await lockStaff(tx, actor.tenantId, staffId);
  if (staffId === actor.id) throw new DomainError('rule', 'STAFF_DISABLE_SELF', '不能停用自己的账号');
  if (before.disabledAt) return before;
  if (before.role === 'owner' && (await otherActiveOwners(tx, actor.tenantId, staffId)).length === 0) {
    throw new DomainError('rule', 'STAFF_LAST_OWNER', '诊所至少需要一位在职的老板账号');
  }
  const now = clock.now();
  const [after] = await tx
    .update(staffUsers)
    .set({ disabledAt: now })
    .where(and(eq(staffUsers.tenantId, actor.tenantId), eq(staffUsers.id, staffId)))
    .returning();
  if (!after) throw staffNotFound();
  await endSessions(tx, actor.tenantId, staffId, now);
  await writeAudit(tx, actor, { action: 'staff.disable', entityType: 'staff_user', entityId: staffId, before: audited(before), after: audited(after) });
  return after;
};

export const enableStaffAccount = async (tx: Executor, actor: Actor, staffId: string): Promise<StaffUser> => {
  const before = await lockStaff(tx, actor.tenantId, staffId);
  if (!before.disabledAt) return before;
  const [after] = await tx
    .update(staffUsers)
    .set({ disabledAt: null })
    .where(and(eq(staffUsers.tenantId, actor.tenantId), eq(staffUsers.id, staffId)))
    .returning();
  if (!after) throw staffNotFound();
  await writeAudit(tx, actor, { action: 'staff.enable', entityType: 'staff_user', entityId: staffId, before: audited(before), after: audited(after) });
  return after;
};

/**
 * 重置密码: a temporary password that must be changed at the next login; every session of the
 * account ends and its lockouts clear. A store manager reaches only staff below them in their stores.
 */
export const resetStaffPassword = async (tx: Executor, manager: StaffManager, clock: Clock, staffId: string, temporaryPassword: string): Promise<void> => {
  const target = await lockStaff(tx, manager.tenantId, staffId);
  if (staffId === manager.id) throw new DomainError('rule', 'STAFF_RESET_SELF', '请用「修改密码」更改自己的密码');
  if (manager.role !== 'owner') {
    const isBelow = target.role !== 'owner' && target.role !== 'store_manager';
    const isInStores = manager.storeIds === null || (target.storeIds?.every((id) => manager.storeIds?.includes(id)) ?? false);
    if (!isBelow || !isInStores) throw new DomainError('forbidden', 'STAFF_OUT_OF_REACH', '只有老板可以重置该员工的密码');
  }
  const tenant = await getTenant(tx, manager.tenantId);
  assertPasswordAcceptable(temporaryPassword, 'body.temporaryPassword', { username: target.username, tenantCode: tenant.code });
  const now = clock.now();
  await tx
    .update(staffUsers)
    .set({ passwordHash: await hashPassword(temporaryPassword), mustChangePassword: true, passwordChangedAt: now })
    .where(and(eq(staffUsers.tenantId, manager.tenantId), eq(staffUsers.id, staffId)));
  await endSessions(tx, manager.tenantId, staffId, now);
  await tx.delete(staffLoginFailures).where(and(eq(staffLoginFailures.tenantId, manager.tenantId), eq(staffLoginFailures.staffId, staffId)));
  await writeAudit(tx, manager, { action: 'staff.password.reset', entityType: 'staff_user', entityId: staffId });
};

/** 修改密码: the current password first; every other session of the account ends. */
export const changeOwnPassword = async (
  tx: Executor,
  clock: Clock,
  input: { tenantId: string; staffId: string; sessionId: string | undefined; currentPassword: string; newPassword: string },
): Promise<void> => {
  const user = await lockStaff(tx, input.tenantId, input.staffId);
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new DomainError('invalid', 'PASSWORD_CURRENT_WRONG', '当前密码不正确', [{ path: 'body.currentPassword', message: '当前密码不正确' }]);
  }
  if (input.currentPassword === input.newPassword) {
    throw new DomainError('invalid', 'PASSWORD_UNCHANGED', '新密码不能与当前密码相同', [{ path: 'body.newPassword', message: '不能与当前密码相同' }]);
  }
  const tenant = await getTenant(tx, input.tenantId);
  assertPasswordAcceptable(input.newPassword, 'body.newPassword', { username: user.username, tenantCode: tenant.code });
  const now = clock.now();
  await tx
    .update(staffUsers)
    .set({ passwordHash: await hashPassword(input.newPassword), mustChangePassword: false, passwordChangedAt: now })
    .where(and(eq(staffUsers.tenantId, input.tenantId), eq(staffUsers.id, input.staffId)));
  await endSessions(tx, input.tenantId, input.staffId, now, input.sessionId);
  await writeAudit(
    tx,
    { tenantId: input.tenantId, type: 'staff', id: input.staffId },
    { action: 'staff.password.change', entityType: 'staff_user', entityId: input.staffId },
  );
};
