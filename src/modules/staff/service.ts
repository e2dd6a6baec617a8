import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import type { Actor } from '../../platform/audit.js';
import { writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { DomainError, mapConstraintError } from '../../platform/errors.js';
import { newId, uuidPattern } from '../../platform/ids.js';
import { hashPassword, hashSecret, randomSecret, secretsEqual, verifyPassword } from '../../platform/passwords.js';
import { type Permission, type Role, rolePermissions, roles } from '../../platform/permissions.js';
import { pinyinKeys } from '../../platform/pinyin.js';
import { findTenantByCode, tenants } from '../tenants/index.js';
import { assertNotLocked, clearLoginFailures, recordLoginFailure } from './lockout.js';
import { apiKeys, staffSessions, staffUsers } from './tables.js';

export type StaffUser = typeof staffUsers.$inferSelect;

/** ASVS 3.3.2 (level 2): re-authenticate after 12 hours, or after 30 minutes idle. */
export const sessionPolicy = { absoluteMs: 12 * 3600_000, idleMs: 30 * 60_000, touchEveryMs: 60_000 } as const;

export const isRole = (value: string): value is Role => (roles as readonly string[]).includes(value);

export const createStaffUser = async (
  tx: Executor,
  actor: Actor,
  input: { username: string; displayName: string; role: Role; password: string; storeIds?: string[] | null; mustChangePassword?: boolean },
): Promise<StaffUser> => {
  const passwordHash = await hashPassword(input.password);
  const values = {
    tenantId: actor.tenantId,
    id: newId(),
    username: input.username.toLowerCase(),
    displayName: input.displayName,
    role: input.role,
    storeIds: input.storeIds ?? null,
    passwordHash,
    searchKeys: pinyinKeys(input.displayName),
    mustChangePassword: input.mustChangePassword ?? false,
  };
  const user = await tx
    .insert(staffUsers)
    .values(values)
    .returning()
    .then((rows) => rows[0])
    .catch((error: unknown) =>
      mapConstraintError(error, { staff_users_username_key: new DomainError('conflict', 'STAFF_USERNAME_TAKEN', `用户名 ${input.username} 已被使用`) }),
    );
  if (!user) throw new Error('staff insert returned nothing');
  const { passwordHash: _omitted, ...audited } = user;
  await writeAudit(tx, actor, { action: 'staff.create', entityType: 'staff_user', entityId: user.id, after: audited });
  return user;
};

export const listStaff = async (tx: Executor, tenantId: string) =>
  tx
    .select({ id: staffUsers.id, displayName: staffUsers.displayName, role: staffUsers.role, username: staffUsers.username })
    .from(staffUsers)
    .where(and(eq(staffUsers.tenantId, tenantId), isNull(staffUsers.disabledAt)))
    .orderBy(asc(staffUsers.createdAt), asc(staffUsers.id));

export const staffExists = async (tx: Executor, tenantId: string, staffId: string): Promise<boolean> => {
  const [row] = await tx
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, staffId)));
  return Boolean(row);
};

const invalidLogin = () => new DomainError('unauthorized', 'AUTH_INVALID', '诊所代码、用户名或密码不正确');

/** A wrong password for a known account: counted against the account and the address, outside the login's rolled-back transaction. */
class WrongPassword extends DomainError {
  readonly account: { tenantId: string; staffId: string };
  constructor(account: { tenantId: string; staffId: string }) {
    super('unauthorized', 'AUTH_INVALID', '诊所代码、用户名或密码不正确');
    this.account = account;
  }
}

// Spend the same time on unknown users as on wrong passwords, so timing does not reveal accounts.
let decoyHash: Promise<string> | undefined;

export type SessionToken = { cookieValue: string; sessionId: string; csrfToken: string; expiresAt: Date };

/** A new session for a user whose password was just checked (login, clinic setup). */
export const openSession = async (tx: Executor, clock: Clock, user: StaffUser): Promise<SessionToken> => {
  const secret = randomSecret();
  const now = clock.now();
  const session = {
    tenantId: user.tenantId,
    id: newId(),
    staffId: user.id,
    secretHash: hashSecret(secret),
    csrfToken: randomSecret(24),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + sessionPolicy.absoluteMs),
  };
  await tx.insert(staffSessions).values(session);
  await tx
    .update(staffUsers)
    .set({ lastLoginAt: now })
    .where(and(eq(staffUsers.tenantId, user.tenantId), eq(staffUsers.id, user.id)));
  await writeAudit(tx, { tenantId: user.tenantId, type: 'staff', id: user.id }, { action: 'auth.login', entityType: 'staff_session', entityId: session.id });
  return { cookieValue: `${user.tenantId}.${session.id}.${secret}`, sessionId: session.id, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
};

const loginInTransaction = async (
  tx: Executor,
  clock: Clock,
  input: { tenantCode: string; username: string; password: string },
  address: string,
): Promise<{ user: StaffUser; session: SessionToken }> => {
  const tenant = await findTenantByCode(tx, input.tenantCode.trim().toLowerCase());
  const [user] = tenant
    ? await tx
        .select()
        .from(staffUsers)
        .where(and(eq(staffUsers.tenantId, tenant.id), eq(staffUsers.username, input.username.trim().toLowerCase())))
    : [];
  if (!tenant || !user || user.disabledAt) {
    decoyHash ??= hashPassword('decoy-password');
    await verifyPassword(input.password, await decoyHash);
    throw invalidLogin();
  }
  const account = { tenantId: tenant.id, staffId: user.id, address, now: clock.now() };
  await assertNotLocked(tx, account);
  if (!(await verifyPassword(input.password, user.passwordHash))) throw new WrongPassword(account);
  await clearLoginFailures(tx, account);
  return { user, session: await openSession(tx, clock, user) };
};

/**
 * Checks the password and opens a new session (a new id at every login). Wrong passwords are
 * counted per account and client address (lockout.ts) in their own transaction.
 */
export const login = async (
  db: Db,
  clock: Clock,
  input: { tenantCode: string; username: string; password: string },
  address: string,
): Promise<{ user: StaffUser; session: SessionToken }> => {
  try {
    return await db.transaction((tx) => loginInTransaction(tx, clock, input, address));
  } catch (error) {
    if (error instanceof WrongPassword) {
      await db.transaction((tx) => recordLoginFailure(tx, { ...error.account, address, now: clock.now() }));
      throw invalidLogin();
    }
    throw error;
  }
};

export type ResolvedPrincipal = {
  tenantId: string;
  timezone: string;
  dayStart: string;
  actorType: 'staff' | 'api_key';
  actorId: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  storeIds: string[] | null;
  sessionId?: string;
  csrfToken?: string;
  /** A temporary password: only the change-password screen until it is changed. */
  mustChangePassword?: boolean;
};

const splitToken = (value: string, parts: number): string[] | undefined => {
  const pieces = value.split('.');
  if (pieces.length !== parts) return undefined;
  if (!uuidPattern.test(pieces[0] ?? '') || !uuidPattern.test(pieces[1] ?? '')) return undefined;
  return pieces;
};

const principalOf = (
  tenant: { id: string; timezone: string; dayStart: string },
  actor: { type: 'staff' | 'api_key'; id: string; role: string; storeIds: string[] | null },
): ResolvedPrincipal | undefined => {
  if (!isRole(actor.role)) return undefined;
  return {
    tenantId: tenant.id,
    timezone: tenant.timezone,
    dayStart: tenant.dayStart,
    actorType: actor.type,
    actorId: actor.id,
    role: actor.role,
    permissions: new Set(rolePermissions[actor.role]),
    storeIds: actor.storeIds,
  };
};

/** The session behind a cookie, if it is live; touches its idle clock. */
/** Every authenticated request looks its session up: built once per database, a named prepared statement on PostgreSQL. */
const sessionLookup = (db: Executor) =>
  db
    .select({ session: staffSessions, user: staffUsers, timezone: tenants.timezone, dayStart: tenants.businessDayStart })
    .from(staffSessions)
    .innerJoin(staffUsers, and(eq(staffUsers.tenantId, staffSessions.tenantId), eq(staffUsers.id, staffSessions.staffId)))
    .innerJoin(tenants, eq(tenants.id, staffSessions.tenantId))
    .where(and(eq(staffSessions.tenantId, sql.placeholder('tenantId')), eq(staffSessions.id, sql.placeholder('sessionId'))))
    .prepare('staff_session_lookup');
const sessionLookups = new WeakMap<Executor, ReturnType<typeof sessionLookup>>();

export const resolveSession = async (tx: Executor, clock: Clock, cookieValue: string): Promise<ResolvedPrincipal | undefined> => {
  const pieces = splitToken(cookieValue, 3);
  if (!pieces) return undefined;
  const [tenantId = '', sessionId = '', secret = ''] = pieces;
  let lookup = sessionLookups.get(tx);
  if (!lookup) {
    lookup = sessionLookup(tx);
    sessionLookups.set(tx, lookup);
  }
  const [row] = await lookup.execute({ tenantId, sessionId });
  if (!row || !secretsEqual(row.session.secretHash, hashSecret(secret))) return undefined;
  const now = clock.now().getTime();
  const { session, user } = row;
  if (session.revokedAt || user.disabledAt) return undefined;
  if (session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + sessionPolicy.idleMs <= now) return undefined;
  if (now - session.lastSeenAt.getTime() >= sessionPolicy.touchEveryMs) {
    await tx
      .update(staffSessions)
      .set({ lastSeenAt: new Date(now) })
      .where(and(eq(staffSessions.tenantId, tenantId), eq(staffSessions.id, sessionId)));
  }
  const principal = principalOf(
    { id: tenantId, timezone: row.timezone, dayStart: row.dayStart },
    { type: 'staff', id: user.id, role: user.role, storeIds: user.storeIds },
  );
  return principal && { ...principal, sessionId, csrfToken: session.csrfToken, mustChangePassword: user.mustChangePassword };
};

export const logout = async (tx: Executor, clock: Clock, tenantId: string, sessionId: string, actorId: string): Promise<void> => {
  await tx
    .update(staffSessions)
    .set({ revokedAt: clock.now() })
    .where(and(eq(staffSessions.tenantId, tenantId), eq(staffSessions.id, sessionId)));
  await writeAudit(tx, { tenantId, type: 'staff', id: actorId }, { action: 'auth.logout', entityType: 'staff_session', entityId: sessionId });
};

/** A new API key; the whole token is shown once and only its hash is kept. */
export const createApiKey = async (tx: Executor, actor: Actor & { id: string }, input: { name: string; role: Role }) => {
  const secret = randomSecret();
  const id = newId();
  await tx.insert(apiKeys).values({ tenantId: actor.tenantId, id, name: input.name, role: input.role, secretHash: hashSecret(secret), createdBy: actor.id });
  await writeAudit(tx, actor, { action: 'api_key.create', entityType: 'api_key', entityId: id, after: { name: input.name, role: input.role } });
  return { id, name: input.name, role: input.role, token: `yh.${actor.tenantId}.${id}.${secret}` };
};

export const listApiKeys = async (tx: Executor, tenantId: string) =>
  tx
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      role: apiKeys.role,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.tenantId, tenantId))
    .orderBy(asc(apiKeys.createdAt));

export const revokeApiKey = async (tx: Executor, actor: Actor, clock: Clock, id: string): Promise<void> => {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: clock.now() })
    .where(and(eq(apiKeys.tenantId, actor.tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (rows.length === 0) throw new DomainError('not_found', 'API_KEY_NOT_FOUND', 'API 密钥不存在或已吊销');
  await writeAudit(tx, actor, { action: 'api_key.revoke', entityType: 'api_key', entityId: id });
};

export const resolveApiKey = async (tx: Executor, clock: Clock, token: string): Promise<ResolvedPrincipal | undefined> => {
  if (!token.startsWith('yh.')) return undefined;
  const pieces = splitToken(token.slice(3), 3);
  if (!pieces) return undefined;
  const [tenantId = '', keyId = '', secret = ''] = pieces;
  const [row] = await tx
    .select({ key: apiKeys, timezone: tenants.timezone, dayStart: tenants.businessDayStart })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)));
  if (!row || row.key.revokedAt || !secretsEqual(row.key.secretHash, hashSecret(secret))) return undefined;
  const now = clock.now();
  if (!row.key.lastUsedAt || now.getTime() - row.key.lastUsedAt.getTime() >= sessionPolicy.touchEveryMs) {
    await tx
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)));
  }
  return principalOf({ id: tenantId, timezone: row.timezone, dayStart: row.dayStart }, { type: 'api_key', id: keyId, role: row.key.role, storeIds: null });
};

/** Display names by staff id, for views that show who did what. */
export const staffNames = async (tx: Executor, tenantId: string, ids: string[]): Promise<Map<string, string>> => {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .select({ id: staffUsers.id, displayName: staffUsers.displayName })
    .from(staffUsers)
    .where(and(eq(staffUsers.tenantId, tenantId), inArray(staffUsers.id, unique)));
  return new Map(rows.map((row) => [row.id, row.displayName]));
};
