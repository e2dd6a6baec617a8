import type { SmsErrorClass, SmsSendResult } from './types.js';

/**
 * WeChat official-account (公众号) template messages through WeChat's HTTP API (there is no official
 * Node SDK for it): an access token from /cgi-bin/token, kept until shortly before it expires and
 * fetched again when WeChat says it is no longer valid, and /cgi-bin/message/template/send.
 */

export const wechatDefaultEndpoint = 'https://api.weixin.qq.com';

/** WeChat's API base: the environment's WECHAT_API_ENDPOINT (a test double) or WeChat's own. */
export const wechatEndpointFromEnv = (env: NodeJS.ProcessEnv): string => (env.WECHAT_API_ENDPOINT || wechatDefaultEndpoint).replace(/\/+$/, '');

export type WechatConfig = {
  appId: string;
  appSecret: string;
  /** e.g. https://api.weixin.qq.com (the default) or http://127.0.0.1:port for a test double. */
  endpoint?: string;
  /** Per request; WeChat usually answers in well under a second. */
  timeoutMs?: number;
};

/** One template message: the follower's openid, the template approved in the account, its fields by key. */
export type WechatTemplateRequest = {
  openid: string;
  templateId: string;
  /** Where tapping the message leads (the member portal), if anywhere. */
  url?: string | undefined;
  /** Field key (thing1, time2, …) → value; values are cut to the field's limit before sending. */
  data: Readonly<Record<string, string>>;
};

export type WechatProvider = {
  name: 'wechat';
  appId: string;
  send: (request: WechatTemplateRequest) => Promise<SmsSendResult>;
  /** snsapi_base web authorisation: the code WeChat gave the member's browser → her openid in this account. */
  openidForCode: (code: string) => Promise<{ ok: true; openid: string } | Extract<SmsSendResult, { ok: false }>>;
};

/**
 * The longest value each kind of template field takes, in characters; the kind is the key without its
 * number (thing3 → thing). Kinds not listed (amount, date, time, and the older first/keywordN/remark)
 * go as they are.
 */
export const wechatFieldLimits: Readonly<Record<string, number>> = {
  thing: 20,
  name: 10,
  phrase: 5,
  character_string: 32,
  number: 32,
  letter: 32,
  symbol: 5,
  phone_number: 17,
  car_number: 8,
};

/** Kinds whose text a reader reads: a cut one ends in … so it does not look complete. */
const proseKinds = new Set(['thing', 'name', 'phrase']);

export const wechatFieldKind = (key: string): string => key.replace(/\d+$/, '');

/** A field's value within WeChat's limit for its kind (counted in characters, not UTF-16 units); WeChat refuses longer ones. */
export const fitWechatField = (key: string, value: string): string => {
  const limit = wechatFieldLimits[wechatFieldKind(key)];
  const characters = Array.from(value.trim());
  if (limit === undefined || characters.length <= limit) return characters.join('');
  return proseKinds.has(wechatFieldKind(key)) ? `${characters.slice(0, limit - 1).join('')}…` : characters.slice(0, limit).join('');
};

/** Every field of a message fitted to its limit. */
export const fitWechatData = (data: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [key, fitWechatField(key, value)]));

// WeChat's global return codes (errcode) that the sender meets. An invalid recipient is the
// channel's invalid_number: the openid is WeChat's address as the phone is SMS's.
const wechatCodes: Record<number, { errorClass: SmsErrorClass; retryable: boolean }> = {
  [-1]: { errorClass: 'other', retryable: true }, // 系统繁忙
  45009: { errorClass: 'throttled', retryable: true }, // 接口调用超过限制
  45047: { errorClass: 'throttled', retryable: true }, // 客服/模板消息下行条数超过上限
  43004: { errorClass: 'invalid_number', retryable: false }, // 需要接收者关注 (unsubscribed)
  40003: { errorClass: 'invalid_number', retryable: false }, // 不合法的 OpenID
  40037: { errorClass: 'template_not_approved', retryable: false }, // 不合法的 template_id
  40001: { errorClass: 'auth', retryable: false }, // access_token 无效 (after one refresh)
  40013: { errorClass: 'auth', retryable: false }, // 不合法的 AppID
  40125: { errorClass: 'auth', retryable: false }, // 不合法的 secret
  40164: { errorClass: 'auth', retryable: false }, // 调用接口的 IP 不在白名单
};

/** Maps a WeChat errcode to our error class and whether trying again may succeed. */
export const classifyWechatCode = (errcode: number): { errorClass: SmsErrorClass; retryable: boolean } =>
  wechatCodes[errcode] ?? { errorClass: 'other', retryable: false };

/** Errcodes that mean the access token we sent is stale: fetch a new one and try once more. */
const staleTokenCodes = new Set([40001, 40014, 42001]);

type Failure = Extract<SmsSendResult, { ok: false }>;

const codeFailure = (errcode: number, errmsg: string): Failure => ({
  ok: false,
  ...classifyWechatCode(errcode),
  providerCode: String(errcode),
  message: errmsg,
});

const networkFailure = (code: string, message: string): Failure => ({ ok: false, errorClass: 'network', retryable: true, providerCode: code, message });

type WechatAnswer = { errcode?: number; errmsg?: string } & Record<string, unknown>;

/** WeChat's token lives 7200 s; it is fetched again a little before that. */
const tokenMarginMs = 5 * 60_000;

/** A WeChat official account as a sender of template messages, with its access token cached. */
export const wechatProvider = (config: WechatConfig): WechatProvider => {
  const endpoint = (config.endpoint ?? wechatDefaultEndpoint).replace(/\/+$/, '');
  const timeoutMs = config.timeoutMs ?? 10_000;
  let token: { value: string; expiresAt: number } | undefined;
  let pending: Promise<{ ok: true; token: string } | Failure> | undefined;

  /** A request to WeChat: its JSON answer, or a network failure (no answer, 5xx, or not JSON). */
  const call = async (path: string, init?: { method: 'POST'; body: unknown }): Promise<{ ok: true; answer: WechatAnswer } | Failure> => {
    let response: Response;
    try {
      response = await fetch(`${endpoint}${path}`, {
        method: init?.method ?? 'GET',
        ...(init ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      return networkFailure(typeof cause?.code === 'string' ? cause.code : 'NETWORK', error instanceof Error ? error.message : String(error));
    }
    if (response.status >= 500) return networkFailure(String(response.status), `WeChat answered HTTP ${response.status}`);
    try {
      return { ok: true, answer: (await response.json()) as WechatAnswer };
    } catch {
      return networkFailure(String(response.status), `WeChat answered HTTP ${response.status} without JSON`);
    }
  };

  const fetchToken = async (): Promise<{ ok: true; token: string } | Failure> => {
    const query = new URLSearchParams({ grant_type: 'client_credential', appid: config.appId, secret: config.appSecret });
    const result = await call(`/cgi-bin/token?${query}`);
    if (!result.ok) return result;
    const { access_token: value, expires_in: expiresIn, errcode, errmsg } = result.answer;
    if (typeof value !== 'string' || value === '') return codeFailure(errcode ?? -1, errmsg ?? 'WeChat gave no access token');
    const seconds = typeof expiresIn === 'number' ? expiresIn : 7200;
    token = { value, expiresAt: Date.now() + Math.max(0, seconds * 1000 - tokenMarginMs) };
    return { ok: true, token: value };
  };

  /** The cached token while it lasts; one request for a new one however many sends wait for it. */
  const accessToken = async (): Promise<{ ok: true; token: string } | Failure> => {
    if (token && token.expiresAt > Date.now()) return { ok: true, token: token.value };
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const sendOnce = async (request: WechatTemplateRequest): Promise<SmsSendResult | 'stale'> => {
    const current = await accessToken();
    if (!current.ok) return current;
    const result = await call(`/cgi-bin/message/template/send?access_token=${encodeURIComponent(current.token)}`, {
      method: 'POST',
      body: {
        touser: request.openid,
        template_id: request.templateId,
        ...(request.url ? { url: request.url } : {}),
        data: Object.fromEntries(Object.entries(fitWechatData(request.data)).map(([key, value]) => [key, { value }])),
      },
    });
    if (!result.ok) return result;
    const { errcode = -1, errmsg = '', msgid } = result.answer;
    if (errcode === 0 && (typeof msgid === 'number' || typeof msgid === 'string')) return { ok: true, providerMessageId: String(msgid) };
    if (staleTokenCodes.has(errcode)) {
      if (token?.value === current.token) token = undefined;
      return 'stale';
    }
    // WeChat's errmsg may quote the openid; the log keeps the code and the words only.
    return codeFailure(errcode, errmsg.split(request.openid).join('***'));
  };

  return {
    name: 'wechat',
    appId: config.appId,
    send: async (request) => {
      const first = await sendOnce(request);
      if (first !== 'stale') return first;
      const second = await sendOnce(request);
      return second === 'stale' ? codeFailure(40001, 'access_token invalid after a refresh') : second;
    },
    openidForCode: async (code) => {
      const query = new URLSearchParams({ appid: config.appId, secret: config.appSecret, code, grant_type: 'authorization_code' });
      const result = await call(`/sns/oauth2/access_token?${query}`);
      if (!result.ok) return result;
      const { openid, errcode, errmsg } = result.answer;
      if (typeof openid === 'string' && openid !== '') return { ok: true, openid };
      return codeFailure(errcode ?? -1, errmsg ?? 'WeChat gave no openid');
    },
  };
};
