import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from './audit.js';
import type { Clock } from './clock.js';
import { type Ctx, makeCtx } from './context.js';
import { DomainError, type ErrorDetail, type ErrorKind, errorKinds } from './errors.js';
import { isValidIdempotencyKey, requestHash } from './idempotency.js';
import { englishFieldMessage, englishMessage, prefersEnglish } from './messages-en.js';
import type { Permission, Role } from './permissions.js';
import { RateLimitedError } from './rate-limit.js';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** Who is asking, resolved once per request by the auth hook. */
export type AuthContext = {
  tenantId: string;
  timezone: string;
  /** When the tenant's business day begins (HH:MM). */
  dayStart: string;
  actorType: 'staff' | 'api_key';
  actorId: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  /** Stores the actor may act in; null means all of the tenant's stores. */
  storeIds: readonly string[] | null;
  sessionId?: string;
};

/** A member signed in to the portal, resolved by the portal's hook: she only ever reads and acts on her own customer. */
export type MemberPrincipal = { tenantId: string; timezone: string; dayStart: string; customerId: string; sessionId: string; csrfToken: string };

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
    member: MemberPrincipal | null;
  }
  interface FastifyContextConfig {
    /** The permission a route needs ('authenticated': any signed-in actor). Routes without one and without `isPublic` are refused. */
    permission?: Permission | 'authenticated';
    isPublic?: boolean;
    /** Reachable with a temporary password (me, logout, change password); everything else waits for the change. */
    isAllowedBeforePasswordChange?: boolean;
  }
}

export const ZError = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const errorResponses = {
  400: ZError,
  401: ZError,
  403: ZError,
  404: ZError,
  409: ZError,
  422: ZError,
  429: ZError,
} as const;

export const authOf = (req: FastifyRequest): AuthContext => {
  if (!req.auth) throw new DomainError('unauthorized', 'AUTH_REQUIRED', '请先登录');
  return req.auth;
};

export const actorOf = (req: FastifyRequest): Actor => {
  const auth = authOf(req);
  return { tenantId: auth.tenantId, type: auth.actorType, id: auth.actorId, requestId: req.id };
};

/** The operation context of a request: its actor, the instant and the tenant's business date. */
export const ctxOf = (req: FastifyRequest, clock: Clock): Ctx => {
  const auth = authOf(req);
  return makeCtx(actorOf(req), clock.now(), auth.timezone, auth.storeIds, auth.dayStart);
};

/**
 * Whether cookies set in reply to `req` carry Secure: always when configured so, otherwise when the
 * request came over HTTPS — directly, or through a trusted proxy's X-Forwarded-Proto (TRUST_PROXY).
 */
export const isSecureCookie = (req: FastifyRequest, isAlwaysSecure: boolean): boolean => isAlwaysSecure || req.protocol === 'https';

export const can = (req: FastifyRequest, permission: Permission): boolean => req.auth?.permissions.has(permission) ?? false;

/** The Idempotency-Key header with the hash of this request, or undefined when it was not sent. */
export const idempotencyOf = (req: FastifyRequest, options: { isRequired: boolean }) => {
  const header = req.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || key === '') {
    if (options.isRequired) {
      throw new DomainError('invalid', 'IDEMPOTENCY_KEY_REQUIRED', '该操作需要 Idempotency-Key 请求头', [{ path: 'headers.idempotency-key', message: '必填' }]);
    }
    return undefined;
  }
  if (!isValidIdempotencyKey(key)) {
    throw new DomainError('invalid', 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key 须为 8–200 个可见 ASCII 字符', [
      { path: 'headers.idempotency-key', message: '格式不正确' },
    ]);
  }
  return {
    key,
    requestHash: requestHash({ operation: `${req.method} ${req.routeOptions.url}`, params: req.params, body: req.body }),
  };
};

const contextNames: Record<string, string> = { querystring: 'query', body: 'body', params: 'params', headers: 'headers' };

type ValidationIssue = { keyword: string; instancePath: string; message?: string; params?: Record<string, unknown> };

const validationDetails = (error: FastifyError & { validation: ValidationIssue[] }, isEnglish: boolean): ErrorDetail[] => {
  const context = contextNames[error.validationContext ?? 'body'] ?? 'body';
  return error.validation.flatMap((issue) => {
    const path = [context, ...issue.instancePath.split('/').filter(Boolean)];
    // Unknown fields are named one by one, so the client sees exactly which key to drop.
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params?.keys)) {
      const message = isEnglish ? englishFieldMessage(issue.keyword) : '不允许的字段';
      return issue.params.keys.map((key) => ({ path: [...path, String(key)].join('.'), message }));
    }
    return [{ path: path.join('.'), message: isEnglish ? englishFieldMessage(issue.keyword) : (issue.message ?? '无效') }];
  });
};

const kindOfStatus = new Map<number, ErrorKind>(Object.entries(errorKinds).map(([kind, status]) => [status, kind as ErrorKind]));

/**
 * The error body. A request in English gets the code's English message (field paths kept, their
 * messages the same English sentence unless given in English already); Chinese otherwise.
 */
const send = (reply: FastifyReply, status: number, code: string, message: string, details?: ErrorDetail[], isEnglishDetails = false) => {
  const isEnglish = prefersEnglish(reply.request.headers['accept-language']);
  const shown = isEnglish ? englishMessage(code, kindOfStatus.get(status)) : message;
  const shownDetails = isEnglish && !isEnglishDetails ? details?.map((detail) => ({ path: detail.path, message: shown })) : details;
  return reply.code(status).send({ error: { code, message: shown, ...(shownDetails && shownDetails.length > 0 ? { details: shownDetails } : {}) } });
};

/** The one place errors become HTTP responses. */
export const installErrorHandling = (app: App) => {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof DomainError) {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
      return send(reply, error.status, error.code, error.message, error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const isEnglish = prefersEnglish(req.headers['accept-language']);
      return send(reply, 400, 'INVALID_INPUT', '输入有误，请检查标出的字段', validationDetails(error, isEnglish), isEnglish);
    }
    if (isResponseSerializationError(error)) {
      req.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return send(reply, 500, 'INTERNAL', '服务器内部错误，请稍后重试');
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return send(reply, 400, 'MALFORMED_JSON', '请求体不是有效的 JSON', [{ path: 'body', message: 'JSON 格式错误' }]);
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return send(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', '请求体须为 application/json');
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return send(reply, 400, 'INVALID_INPUT', '请求体不能为空', [{ path: 'body', message: '必填' }]);
    }
    if (error.statusCode === 429) {
      return send(reply, 429, 'RATE_LIMITED', '操作过于频繁，请稍后再试');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, error.statusCode, error.code ?? 'BAD_REQUEST', error.message);
    }
    req.log.error({ err: error }, 'unhandled error');
    return send(reply, 500, 'INTERNAL', '服务器内部错误，请稍后重试');
  });
};

/** A NUL character, or half of a surrogate pair without its other half: PostgreSQL cannot store either. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isUnsafeText = (text: string) => text.includes('\u0000') || loneSurrogate.test(text);

const unsafeTextMessage = '不能包含空字符（\\u0000）或不成对的 Unicode 代理字符';

/** Every string (and key) under `value` that PostgreSQL would refuse, by its field path. */
export const findUnsafeText = (value: unknown, path: string): ErrorDetail[] => {
  if (typeof value === 'string') return isUnsafeText(value) ? [{ path, message: unsafeTextMessage }] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => findUnsafeText(item, `${path}.${index}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      isUnsafeText(key) ? [{ path, message: unsafeTextMessage }] : findUnsafeText(item, `${path}.${key}`),
    );
  }
  return [];
};

/**
 * Refuses, before any route validates or runs, a request whose path, query or body holds text
 * the database cannot store: 400 naming each field, never a 500 from the driver half-way through.
 */
export const installTextGuard = (app: App) => {
  app.addHook('preValidation', async (req) => {
    const details = [...findUnsafeText(req.params, 'params'), ...findUnsafeText(req.query, 'query'), ...findUnsafeText(req.body, 'body')];
    if (details.length > 0) throw new DomainError('invalid', 'INVALID_INPUT', '输入有误，请检查标出的字段', details);
  });
};

/** Pagination shared by list endpoints. */
export const ZPageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** Instants on the wire: ISO 8601 strings in UTC (views convert Dates, so stored replays match). */
export const ZTimestamp = z.iso.datetime();

export const ZIdParams = z.strictObject({ id: z.uuid() });

/** The signed-in member of a portal route (/api/portal/v1, after the portal's hook): 401 when there is none. */
export const memberOf = (req: FastifyRequest): MemberPrincipal => {
  if (!req.member) throw new DomainError('unauthorized', 'AUTH_REQUIRED', '请先登录');
  return req.member;
};

/** A portal request's context: the member acts as herself (audit entries name her as the customer), across all stores. */
export const memberCtx = (member: MemberPrincipal, now: Date): Ctx =>
  makeCtx({ tenantId: member.tenantId, type: 'customer', id: member.customerId }, now, member.timezone, null, member.dayStart);
