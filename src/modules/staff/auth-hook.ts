import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http.js';
import { type ResolvedPrincipal, resolveApiKey, resolveSession } from './service.js';

export const sessionCookieName = 'yh_sid';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const principalFor = async (deps: Deps, req: FastifyRequest): Promise<ResolvedPrincipal | undefined> => {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return resolveApiKey(deps.db, deps.clock, authorization.slice(7).trim());
  const cookie = req.cookies[sessionCookieName];
  return cookie ? resolveSession(deps.db, deps.clock, cookie) : undefined;
};

/**
 * Deny by default: every /api/v1 route must name a permission or say it is public. Cookie
 * sessions must echo their CSRF token on unsafe methods; API keys (no cookie) need not.
 */
export const installAuth = (app: App, deps: Deps) => {
  app.decorateRequest('auth', null);
  app.decorateRequest('csrfToken', undefined);
  app.addHook('onRequest', async (req) => {
    // Only API routes: an unknown /api/v1 path that a catch-all (the console's files) matched is a 404, not a 401 or 403.
    if (!req.url.startsWith('/api/v1/') || req.is404 || !req.routeOptions.url?.startsWith('/api/v1/')) return;
    const config = req.routeOptions.config;
    const principal = await principalFor(deps, req);
    if (principal) {
      const { csrfToken, ...auth } = principal;
      req.auth = auth;
      req.csrfToken = csrfToken;
    }
    if (config.isPublic) return;
    if (!principal) throw new DomainError('unauthorized', 'AUTH_REQUIRED', '登录已失效，请重新登录');
    if (principal.actorType === 'staff' && unsafeMethods.has(req.method) && req.headers['x-csrf-token'] !== principal.csrfToken) {
      throw new DomainError('forbidden', 'CSRF_TOKEN_INVALID', '页面已过期，请刷新后重试');
    }
    if (principal.mustChangePassword && !config.isAllowedBeforePasswordChange) {
      throw new DomainError('forbidden', 'PASSWORD_CHANGE_REQUIRED', '请先修改临时密码');
    }
    const permission = config.permission;
    if (!permission || (permission !== 'authenticated' && !principal.permissions.has(permission))) {
      throw new DomainError('forbidden', 'FORBIDDEN', '没有权限执行此操作');
    }
  });
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The session's CSRF token, for /auth/me to hand to the console. */
    csrfToken: string | undefined;
  }
}
