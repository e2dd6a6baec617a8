import { and, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, actorOf, authOf, errorResponses, isSecureCookie, ZIdParams } from '../../platform/http.js';
import { rolePermissions } from '../../platform/permissions.js';
import { getTenant, listStores } from '../tenants/index.js';
import { sessionCookieName } from './auth-hook.js';
import { ZApiKey, ZApiKeyRequest, ZCreatedApiKey, ZCreateStaffRequest, ZLoginRequest, ZMe, ZStaffList } from './schemas.js';
import { createApiKey, createStaffUser, isRole, listApiKeys, listStaff, login, logout, revokeApiKey } from './service.js';
import { staffUsers } from './tables.js';

const tags = ['Auth & staff'];

export const staffRoutes = (app: App, deps: Deps) => {
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
      },
      tenant: { id: tenant.id, code: tenant.code, name: tenant.name, timezone: tenant.timezone },
      stores: visibleStores.map((store) => ({ id: store.id, name: store.name })),
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
      const { tenantCode, username } = req.body;
      // A clinic's staff often share one address: the per-address limit is loose, the per-account one tight.
      await deps.limiter.hit(`login:ip:${req.ip}`, 100, 10 * 60_000, '登录尝试过于频繁，请 10 分钟后再试');
      const accountKey = `login:account:${tenantCode.toLowerCase()}:${username.toLowerCase()}`;
      await deps.limiter.hit(accountKey, 10, 15 * 60_000, '该账号登录失败次数过多，请 15 分钟后再试');
      const { user, session } = await db.transaction((tx) => login(tx, clock, req.body));
      await deps.limiter.reset(accountKey);
      setSessionCookie(req, reply, session.cookieValue, session.expiresAt);
      return meOf(user.tenantId, user.id, session.csrfToken);
    },
  );

  app.post(
    '/auth/logout',
    { config: { permission: 'authenticated' }, schema: { tags, summary: 'End the session', response: { 204: z.null(), ...errorResponses } } },
    async (req, reply) => {
      const auth = authOf(req);
      if (auth.sessionId) await db.transaction((tx) => logout(tx, clock, auth.tenantId, auth.sessionId ?? '', auth.actorId));
      reply.clearCookie(sessionCookieName, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    { config: { permission: 'authenticated' }, schema: { tags, summary: 'The signed-in staff member', response: { 200: ZMe, ...errorResponses } } },
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
      const user = await db.transaction((tx) => createStaffUser(tx, actorOf(req), req.body));
      return reply.code(201).send({ id: user.id, displayName: user.displayName, role: req.body.role });
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
