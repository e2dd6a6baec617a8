import { ApiError, api, expectNoContent, setCsrfToken, setUnauthorizedHandler, toApiError, unwrap } from '../shared/api';
import type { PortalCodeSent, PortalConsents, PortalInbox, PortalLogin, PortalMe, PortalPoints, PortalWechatBinding } from '../shared/api-models';
import { texts } from './texts';

/** The member session (cookie `yh_mid`) and the portal's calls; the CSRF token from login or /me rides on later POSTs. */
export { setUnauthorizedHandler };

const clinicKey = 'yuehui.portal.clinic';

/** The clinic code: `?clinic=` in the link the clinic hands out, remembered on this phone; `demo` when there is none. */
export const resolveClinicCode = (): string => {
  const fromUrl = new URLSearchParams(window.location.search).get('clinic')?.trim();
  try {
    if (fromUrl) {
      window.localStorage.setItem(clinicKey, fromUrl);
      return fromUrl;
    }
    return window.localStorage.getItem(clinicKey) ?? 'demo';
  } catch {
    return fromUrl || 'demo';
  }
};

/** The server's Chinese message, or ours when the network failed. */
export const portalErrorMessage = (error: unknown): string => {
  if (error instanceof ApiError) return error.message || texts.errors.generic;
  return texts.errors.network;
};

export type SendCodeResult = { ok: true; sent: PortalCodeSent } | { ok: false; error: ApiError; retryAfterSeconds: number | undefined };

/**
 * Asks for an SMS code; a 429 says how long to wait (Retry-After), so the button can count down.
 * `register` also sends to a phone that is not a member yet (新会员注册, an invite link).
 */
export const sendCode = async (tenantCode: string, phone: string, purpose: 'login' | 'register' = 'login'): Promise<SendCodeResult> => {
  const { data, error, response } = await api.POST('/api/portal/v1/auth/code', { body: { tenantCode, phone, ...(purpose === 'register' ? { purpose } : {}) } });
  if (response.ok && data) return { ok: true, sent: data };
  const retryAfter = Number(response.headers.get('Retry-After'));
  return { ok: false, error: toApiError(response, error), retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined };
};

export const logIn = async (tenantCode: string, phone: string, code: string): Promise<PortalLogin> => {
  const session = await unwrap(api.POST('/api/portal/v1/auth/login', { body: { tenantCode, phone, code } }));
  setCsrfToken(session.csrfToken);
  return session;
};

/** The signed-in member, or null without a session. */
export const fetchMe = async (): Promise<PortalMe | null> => {
  const { data, error, response } = await api.GET('/api/portal/v1/me');
  if (response.status === 401) return null;
  if (!response.ok || !data) throw toApiError(response, error);
  setCsrfToken(data.csrfToken);
  return data;
};

export const logOut = async (): Promise<void> => {
  try {
    await api.POST('/api/portal/v1/auth/logout');
  } finally {
    setCsrfToken(undefined);
  }
};

export const fetchPoints = (): Promise<PortalPoints> => unwrap(api.GET('/api/portal/v1/points'));

export const inboxPageSize = 20;

/** 消息: her inbox, newest first, with how many are unread (the tab's badge). */
export const fetchInbox = (page: number, pageSize = inboxPageSize): Promise<PortalInbox> =>
  unwrap(api.GET('/api/portal/v1/messages', { params: { query: { page, pageSize } } }));

/** Just the unread count: the smallest page the inbox answers. */
export const fetchUnread = async (): Promise<number> => (await fetchInbox(1, 1)).unread;

export const markMessageRead = (id: string): Promise<void> => expectNoContent(api.POST('/api/portal/v1/messages/{id}/read', { params: { path: { id } } }));

/** Her marketing consent per channel (营销短信, 会员中心优惠消息); notices need none. */
export const fetchConsents = (): Promise<PortalConsents> => unwrap(api.GET('/api/portal/v1/consents'));

export const saveConsents = (consents: PortalConsents): Promise<PortalConsents> => unwrap(api.PUT('/api/portal/v1/consents', { body: consents }));

export const fetchWechatBinding = (): Promise<PortalWechatBinding> => unwrap(api.GET('/api/portal/v1/wechat'));

/** WeChat's authorisation page for binding; the browser goes there and WeChat sends it back to the portal. */
export const startWechatBinding = async (): Promise<string> => (await unwrap(api.POST('/api/portal/v1/wechat/authorize', { body: {} }))).url;

export const unbindWechat = (): Promise<PortalWechatBinding> => unwrap(api.DELETE('/api/portal/v1/wechat'));
