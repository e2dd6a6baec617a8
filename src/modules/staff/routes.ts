import { and, eq, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, actorOf, authOf, errorResponses, isSecureCookie, ZIdParams } from '../../platform/http.js';
import { rolePermissions } from '../../platform/permissions.js';
import { getTenant, hasAnyTenant, hasClinicLogo, listStores } from '../tenants/index.js';
import {
  changeOwnPassword,
  createStaffAccount,
  disableStaffAccount,
  enableStaffAccount,
  listStaffAccounts,
  resetStaffPassword,
  updateStaffAccount,
} from './accounts.js';
import { sessionCookieName } from './auth-hook.js';
import { unlockStaff } from './lockout.js';
import {
  ZApiKey,
  ZApiKeyRequest,
  ZChangePasswordRequest,
  ZCreatedApiKey,
  ZCreateStaffRequest,
  ZLoginRequest,
  ZMe,
  ZResetPasswordRequest,
  ZSetupRequest,
  ZSetupStatus,
  ZStaffAccount,
  ZStaffList,
  ZUpdateStaffRequest,
} from './schemas.js';
import { createApiKey, isRole, listApiKeys, listStaff, login, logout, openSession, revokeApiKey, type StaffUser } from './service.js';
import { staffUsers } from './tables.js';

/** The clinic-creation flow, handed in by the app (a module never imports a flow). */
export type CreateClinicFlow = (
  tx: Executor,
  input: {
    code: string;
    name: string;
    timezone: string;
    stores: { name: string; address?: string | null }[];
    owner: { username: string; displayName: string; password: string };
    now: Date;
  },
) => Promise<{ owner: StaffUser | undefined }>;

const accountView = (row: StaffUser & { isLocked: boolean }) => {
  if (!isRole(row.role)) return [];
  return [
    {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      storeIds: row.storeIds,
      isDisabled: row.disabledAt !== null,
      isLocked: row.isLocked,
      mustChangePassword: row.mustChangePassword,
      lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    },
  ];
};

const tags = ['Auth & staff'];

/** Login attempts one address may make for one clinic code in ten minutes. */
export const loginAttemptsPerAddress = 100;

export const staffRoutes = (app: App, deps: Deps, flows: { createClinic: CreateClinicFlow }) => {
  const { db, clock } = deps;

  const meOf = async (tenantId: string, staffId: string, csrfToken: string) => {
    const [user] = await db
      .select()
      .from(staffUsers)
      .where(and(eq(staffUsers.tenantId, tenantId), eq(staffUsers.id, staffId)));
    if (!user || !isRole(user.role)) throw new DomainError('unauthorized', 'AUTH_REQUIRED', '登录已失效，请重新登录');
    const tenant = await getTenant(db, tenantId);
    const stores = await listStores(db, tenantId);
    const visibleStores = user.storeIds ? stores.filter((store) => user.storeIds?.includes(store.id)) : stores;
    return {
      user: {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        storeIds: user.storeIds,
        permissions: [...rolePermissions[user.role]],
        mustChangePassword: user.mustChangePassword,
      },
      tenant: {
        id: tenant.id,
        code: tenant.code,
        name: tenant.name,
        timezone: tenant.timezone,
        businessDayStart: tenant.businessDayStart,
        hasLogo: await hasClinicLogo(db, tenantId),
      },
      stores: visibleStores.filter((store) => !store.closedAt).map((store) => ({ id: store.id, name: store.name })),
      csrfToken,
    };
  };

  const setSessionCookie = (req: FastifyRequest, reply: FastifyReply, value: string, expires: Date) =>
    reply.setCookie(sessionCookieName, value, { httpOnly: true, sameSite: 'lax', secure: isSecureCookie(req, deps.secureCookies), path: '/', expires });

  app.post(
    '/auth/login',
    {
      config: { isPublic: true },
      schema: { tags, summary: 'Staff login (sets the session cookie)', body: ZLoginRequest, response: { 200: ZMe, ...errorResponses } },
    },
    async (req, reply) => {
      // A clinic's staff often share one address, and clinics behind one carrier NAT share it
      // too: the per-address limit is loose and counted per clinic code, so one clinic's
      // attempts never lock another out. Wrong passwords lock an account only for the address
      // they came from (lockout.ts), so nobody can lock a known account out of the clinic's own
      // computers.
      await deps.limiter.hit(
        `login:ip:${req.body.tenantCode.trim().toLowerCase()}:${req.ip}`,
        loginAttemptsPerAddress,
        10 * 60_000,
        '登录尝试过于频繁，请 10 分钟后再试',
      );
      const { user, session } = await login(db, clock, req.body, req.ip);
      setSessionCookie(req, reply, session.cookieValue, session.expiresAt);
      return meOf(user.tenantId, user.id, session.csrfToken);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { permission: 'authenticated', isAllowedBeforePasswordChange: true },
      schema: { tags, summary: 'End the session', response: { 204: z.null(), ...errorResponses } },
    },
    async (req, reply) => {
      const auth = authOf(req);
      if (auth.sessionId) await db.transaction((tx) => logout(tx, clock, auth.tenantId, auth.sessionId ?? '', auth.actorId));
      reply.clearCookie(sessionCookieName, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { permission: 'authenticated', isAllowedBeforePasswordChange: true },
      schema: { tags, summary: 'The signed-in staff member', response: { 200: ZMe, ...errorResponses } },
    },
    async (req) => {
      const auth = authOf(req);
      if (auth.actorType !== 'staff') throw new DomainError('forbidden', 'STAFF_ONLY', '仅限员工登录使用');
      return meOf(auth.tenantId, auth.actorId, req.csrfToken ?? '');
    },
  );

  app.get(
    '/staff',
    { config: { permission: 'staff.read' }, schema: { tags, summary: 'Active staff of the clinic', response: { 200: ZStaffList, ...errorResponses } } },
    async (req) => {
      const rows = await listStaff(db, authOf(req).tenantId);
      return { items: rows.flatMap((row) => (isRole(row.role) ? [{ id: row.id, displayName: row.displayName, role: row.role }] : [])) };
    },
  );

  app.post(
    '/staff',
    {
      config: { permission: 'staff.manage' },
      schema: { tags, summary: 'Create a staff account', body: ZCreateStaffRequest, response: { 201: ZStaffList.shape.items.element, ...errorResponses } },
    },
    async (req, reply) => {
      const user = await db.transaction((tx) => createStaffAccount(tx, actorOf(req), req.body));
      return reply.code(201).send({ id: user.id, displayName: user.displayName, role: req.body.role });
    },
  );

  app.get(
    '/staff/accounts',
    {
      config: { permission: 'staff.reset_password' },
      schema: {
        tags,
        summary: 'Every staff account with its role, stores, state and last login',
        response: { 200: z.object({ items: z.array(ZStaffAccount) }), ...errorResponses },
      },
    },
    async (req) => ({ items: (await listStaffAccounts(db, authOf(req).tenantId, clock.now())).flatMap(accountView) }),
  );

  const accountOf = async (tenantId: string, staffId: string) => {
    const row = (await listStaffAccounts(db, tenantId, clock.now())).find((account) => account.id === staffId);
    const [view] = row ? accountView(row) : [];
    if (!view) throw new DomainError('not_found', 'STAFF_NOT_FOUND', '员工不存在');
    return view;
  };

  app.patch(
    '/staff/:id',
    {
      config: { permission: 'staff.manage' },
      schema: {
        tags,
        summary: "Change a staff member's name, role or stores",
        params: ZIdParams,
        body: ZUpdateStaffRequest,
        response: { 200: ZStaffAccount, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await db.transaction((tx) => updateStaffAccount(tx, actor, req.params.id, req.body));
      return accountOf(actor.tenantId, req.params.id);
    },
  );

  app.post(
    '/staff/:id/disable',
    {
      config: { permission: 'staff.manage' },
      schema: { tags, summary: 'Disable an account (its sessions end at once)', params: ZIdParams, response: { 200: ZStaffAccount, ...errorResponses } },
    },
    async (req) => {
      const actor = actorOf(req);
      await db.transaction((tx) => disableStaffAccount(tx, actor, clock, req.params.id));
      return accountOf(actor.tenantId, req.params.id);
    },
  );

  app.post(
    '/staff/:id/enable',
    {
      config: { permission: 'staff.manage' },
      schema: { tags, summary: 'Enable a disabled account', params: ZIdParams, response: { 200: ZStaffAccount, ...errorResponses } },
    },
    async (req) => {
      const actor = actorOf(req);
      await db.transaction((tx) => enableStaffAccount(tx, actor, req.params.id));
      return accountOf(actor.tenantId, req.params.id);
    },
  );

  app.post(
    '/staff/:id/unlock',
    {
      config: { permission: 'staff.manage' },
      schema: { tags, summary: 'Unlock an account locked by wrong passwords', params: ZIdParams, response: { 200: ZStaffAccount, ...errorResponses } },
    },
    async (req) => {
      const actor = actorOf(req);
      await accountOf(actor.tenantId, req.params.id);
      await db.transaction((tx) => unlockStaff(tx, actor, req.params.id));
      return accountOf(actor.tenantId, req.params.id);
    },
  );

  app.post(
    '/staff/:id/password-reset',
    {
      config: { permission: 'staff.reset_password' },
      schema: {
        tags,
        summary: 'Give an account a temporary password, to be changed at its next login',
        params: ZIdParams,
        body: ZResetPasswordRequest,
        response: { 200: ZStaffAccount, ...errorResponses },
      },
    },
    async (req) => {
      const auth = authOf(req);
      const manager = { ...actorOf(req), id: auth.actorId, role: auth.role, storeIds: auth.storeIds };
      await db.transaction((tx) => resetStaffPassword(tx, manager, clock, req.params.id, req.body.temporaryPassword));
      return accountOf(auth.tenantId, req.params.id);
    },
  );

  app.post(
    '/auth/password',
    {
      config: { permission: 'authenticated', isAllowedBeforePasswordChange: true },
      schema: {
        tags,
        summary: 'Change my password (every other session ends)',
        body: ZChangePasswordRequest,
        response: { 200: ZMe, ...errorResponses },
      },
    },
    async (req) => {
      const auth = authOf(req);
      if (auth.actorType !== 'staff') throw new DomainError('forbidden', 'STAFF_ONLY', '仅限员工登录使用');
      await db.transaction((tx) => changeOwnPassword(tx, clock, { tenantId: auth.tenantId, staffId: auth.actorId, sessionId: auth.sessionId, ...req.body }));
      return meOf(auth.tenantId, auth.actorId, req.csrfToken ?? '');
    },
  );

  /**
   * 开设诊所 (the setup page). Open when the database has no clinic; beside existing clinics
   * only when the server allows it (the demo, or YUEHUI_SETUP=open for operators who let
   * clinics sign themselves up). Creates the clinic, its first store and owner, and signs in.
   */
  const isSetupOpen = async (tx: Executor) => deps.setupPolicy === 'open' || !(await hasAnyTenant(tx));

  app.get(
    '/setup',
    { config: { isPublic: true }, schema: { tags, summary: 'Whether a new clinic may be created here', response: { 200: ZSetupStatus, ...errorResponses } } },
    async () => {
      const isFirstClinic = !(await hasAnyTenant(db));
      return { isOpen: isFirstClinic || deps.setupPolicy === 'open', isFirstClinic };
    },
  );

  app.post(
    '/setup',
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Create a clinic with its first store and owner, and sign the owner in',
        body: ZSetupRequest,
        response: { 201: ZMe, ...errorResponses },
      },
    },
    async (req, reply) => {
      await deps.limiter.hit(`setup:ip:${req.ip}`, 10, 60 * 60_000, '创建诊所过于频繁，请稍后再试');
      const { user, session } = await db.transaction(async (tx) => {
        // One setup at a time: the "no clinic yet" check holds until this one commits.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext('yuehui.setup'))`);
        if (!(await isSetupOpen(tx))) throw new DomainError('forbidden', 'SETUP_CLOSED', '此服务器不允许在此创建新诊所，请联系管理员');
        const { code, name, timezone, store, owner } = req.body;
        const created = await flows.createClinic(tx, { code, name, timezone, stores: [store], owner, now: clock.now() });
        if (!created.owner) throw new Error('setup created no owner');
        return { user: created.owner, session: await openSession(tx, clock, created.owner) };
      });
      setSessionCookie(req, reply, session.cookieValue, session.expiresAt);
      return reply.code(201).send(await meOf(user.tenantId, user.id, session.csrfToken));
    },
  );

  app.get(
    '/api-keys',
    {
      config: { permission: 'apikeys.manage' },
      schema: { tags, summary: 'API keys for other systems', response: { 200: z.object({ items: z.array(ZApiKey) }), ...errorResponses } },
    },
    async (req) => {
      const rows = await listApiKeys(db, authOf(req).tenantId);
      return {
        items: rows.flatMap((row) =>
          isRole(row.role)
            ? [
                {
                  ...row,
                  role: row.role,
                  createdAt: row.createdAt.toISOString(),
                  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
                  revokedAt: row.revokedAt?.toISOString() ?? null,
                },
              ]
            : [],
        ),
      };
    },
  );

  app.post(
    '/api-keys',
    {
      config: { permission: 'apikeys.manage' },
      schema: { tags, summary: 'Create an API key (the token is shown once)', body: ZApiKeyRequest, response: { 201: ZCreatedApiKey, ...errorResponses } },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const created = await db.transaction((tx) => createApiKey(tx, { ...actor, id: actor.id ?? '' }, req.body));
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { permission: 'apikeys.manage' },
      schema: { tags, summary: 'Revoke an API key', params: ZIdParams, response: { 204: z.null(), ...errorResponses } },
    },
    async (req, reply) => {
      await db.transaction((tx) => revokeApiKey(tx, actorOf(req), clock, req.params.id));
      return reply.code(204).send(null);
    },
  );
};
