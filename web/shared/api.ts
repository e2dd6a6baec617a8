import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api-types';

/**
 * The one HTTP client of the web apps, typed by the paths of the backend's OpenAPI document.
 * The session lives in an HttpOnly cookie; writes also carry the CSRF token the server handed
 * out with the login or /auth/me response, kept in memory only (never in storage).
 */
export type ApiErrorDetail = { path: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];

  constructor(status: number, code: string, message: string, details: ApiErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | undefined;

export const setCsrfToken = (token: string | undefined) => {
  csrfToken = token;
};

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Requests whose 401 the caller handles itself (the login form, the "who am I" probe). */
const handlesOwnUnauthorized = (url: string) => /\/api\/v1\/auth\/(login|me)$/.test(new URL(url).pathname);

const defaultUnauthorizedHandler = () => {
  const here = `${window.location.pathname}${window.location.search}`;
  if (window.location.pathname === '/login') return;
  window.location.assign(`/login?next=${encodeURIComponent(here)}`);
};

let onUnauthorized: () => void = defaultUnauthorizedHandler;

/** The portal (member sessions) will send people to its own login page. */
export const setUnauthorizedHandler = (handler: () => void) => {
  onUnauthorized = handler;
};

let requestLanguage = 'zh-CN';

/** The language server messages come back in (the console's choice; the portal is Chinese). */
export const setRequestLanguage = (language: string) => {
  requestLanguage = language;
};

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', requestLanguage);
    if (csrfToken && writeMethods.has(request.method.toUpperCase())) {
      request.headers.set('X-CSRF-Token', csrfToken);
    }
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !handlesOwnUnauthorized(request.url)) {
      setCsrfToken(undefined);
      onUnauthorized();
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(sessionMiddleware);

type ErrorBody = { error: { code: string; message: string; details?: ApiErrorDetail[] } };

const isErrorBody = (body: unknown): body is ErrorBody => {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error: unknown = body.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
};

export const toApiError = (response: Response, body: unknown): ApiError => {
  if (isErrorBody(body)) {
    return new ApiError(response.status, body.error.code, body.error.message, body.error.details ?? []);
  }
  return new ApiError(response.status, `HTTP_${response.status}`, '');
};

type ApiResult<Data> = { data?: Data; error?: unknown; response: Response };

/** Resolves to the success body, or throws an ApiError carrying the server's code, message and details. */
export const unwrap = async <Data>(request: Promise<ApiResult<Data>>): Promise<Data> => {
  const { data, error, response } = await request;
  if (!response.ok) throw toApiError(response, error);
  return data as Data;
};

/** For endpoints that answer 204 No Content. */
export const expectNoContent = async (request: Promise<{ error?: unknown; response: Response }>): Promise<void> => {
  const { error, response } = await request;
  if (!response.ok) throw toApiError(response, error);
};
