import * as tencentcloud from 'tencentcloud-sdk-nodejs-sms';
import { DomainError } from '../../../platform/errors.js';
import { normalizeMobile } from '../../../platform/phone.js';
import type { SmsErrorClass, SmsProvider, SmsReceipt, SmsReply, SmsSendResult } from './types.js';

export type TencentSmsConfig = {
  secretId: string;
  secretKey: string;
  /** SmsSdkAppId: the SMS application the signs and templates belong to. */
  sdkAppId: string;
  region?: string;
  /** Host, or host:port. */
  endpoint?: string;
  protocol?: 'https' | 'http';
};

const SmsClient = tencentcloud.sms.v20210111.Client;

/** Provider messages may quote the number; results end up in logs, where whole numbers must not. */
const redactPhones = (message: string): string => message.replace(/(?:\+?86)?1\d{10}/g, (phone) => `${phone.slice(0, -8)}****${phone.slice(-4)}`);

// Tencent answers per number in SendStatusSet[].Code, and per request in Response.Error.Code, from one family of codes.
// Only flow control and the provider's own failures are worth a retry: the others fail the same way again.
const tencentCodes: Record<string, { errorClass: SmsErrorClass; retryable: boolean }> = {
  'InvalidParameterValue.IncorrectPhoneNumber': { errorClass: 'invalid_number', retryable: false },
  'FailedOperation.TemplateUnapprovedOrNotExist': { errorClass: 'template_not_approved', retryable: false },
  'FailedOperation.SignatureIncorrectOrUnapproved': { errorClass: 'template_not_approved', retryable: false },
  'FailedOperation.TemplateParamSetNotMatchApprovedTemplate': { errorClass: 'template_not_approved', retryable: false },
  'FailedOperation.MissingTemplateToModify': { errorClass: 'template_not_approved', retryable: false },
  'FailedOperation.InsufficientBalanceInSmsPackage': { errorClass: 'balance_exhausted', retryable: false },
  'UnauthorizedOperation.SmsSdkAppIdVerifyFail': { errorClass: 'auth', retryable: false },
};

/** Maps a Tencent Cloud error code to our error class; whole families (`LimitExceeded.*`, `AuthFailure.*`) map together. */
export const classifyTencentCode = (code: string): { errorClass: SmsErrorClass; retryable: boolean } => {
  const known = tencentCodes[code];
  if (known) return known;
  if (code.startsWith('LimitExceeded.') || code === 'RequestLimitExceeded') return { errorClass: 'throttled', retryable: true };
  if (code.startsWith('AuthFailure.')) return { errorClass: 'auth', retryable: false };
  // The provider's own failure: handled like a failed connection, so the message is tried again.
  if (code.startsWith('InternalError.') || code === 'InternalError') return { errorClass: 'network', retryable: true };
  return { errorClass: 'other', retryable: false };
};

const failure = (providerCode: string, message: string): SmsSendResult => ({
  ok: false,
  ...classifyTencentCode(providerCode),
  providerCode,
  message: redactPhones(message),
});

/**
 * What the SDK threw. It wraps everything in TencentCloudSDKHttpException: an API error carries
 * `code`, a non-200 answer `httpCode`, and a transport failure (refused, reset, timeout) neither.
 */
const thrownFailure = (error: unknown): SmsSendResult => {
  const { code, httpCode, message } = (error ?? {}) as { code?: unknown; httpCode?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof code === 'string' && code !== '') return failure(code, text);
  const providerCode = typeof httpCode === 'number' ? `HTTP_${httpCode}` : 'NETWORK';
  return { ok: false, errorClass: 'network', retryable: true, providerCode, message: redactPhones(text) };
};

/** Sends through Tencent Cloud SMS (2021-01-11, SendSms), signed by the SDK with TC3-HMAC-SHA256. */
export const tencentSmsProvider = (config: TencentSmsConfig): SmsProvider => {
  const client = new SmsClient({
    credential: { secretId: config.secretId, secretKey: config.secretKey },
    region: config.region ?? 'ap-guangzhou',
    profile: {
      signMethod: 'TC3-HMAC-SHA256',
      // The SDK wants the scheme with its separator ('https://'), and takes a host[:port] endpoint.
      httpProfile: { endpoint: config.endpoint ?? 'sms.tencentcloudapi.com', protocol: `${config.protocol ?? 'https'}://`, reqMethod: 'POST', reqTimeout: 10 },
    },
  });
  return {
    name: 'tencent',
    send: async (request) => {
      let response: Awaited<ReturnType<typeof client.SendSms>>;
      try {
        response = await client.SendSms({
          PhoneNumberSet: [`+86${request.phone}`],
          SmsSdkAppId: config.sdkAppId,
          SignName: request.signName,
          TemplateId: request.templateCode,
          // Tencent templates number their variables {1}, {2}, …: the values go in template order, names are ours only.
          TemplateParamSet: request.params.map(({ value }) => value),
          SessionContext: request.idempotencyId,
        });
      } catch (error) {
        return thrownFailure(error);
      }
      // HTTP 200 with a status per number: the request can succeed while the one message it carries did not.
      const status = response.SendStatusSet?.[0];
      if (!status) return failure('EMPTY_SEND_STATUS', 'Tencent answered without a send status');
      if (status.Code === 'Ok' && status.SerialNo) return { ok: true, providerMessageId: status.SerialNo };
      return failure(status.Code ?? 'UNKNOWN', status.Message ?? '');
    },
  };
};

const malformed = (what: string): DomainError => new DomainError('invalid', 'SMS_CALLBACK_MALFORMED', `Tencent ${what}`);

const text = (record: Record<string, unknown>, field: string, callback: string): string => {
  const value = record[field];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw malformed(`${callback}: missing ${field}`);
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Tencent sends the national number and the country code apart; we keep mainland numbers as 11 digits. */
const phoneOf = (record: Record<string, unknown>, callback: string): string => {
  const mobile = text(record, 'mobile', callback);
  const nationCode = typeof record.nationcode === 'string' || typeof record.nationcode === 'number' ? String(record.nationcode) : '86';
  if (nationCode === '86') return normalizeMobile(mobile) ?? mobile;
  return `+${nationCode}${mobile}`;
};

/** '2015-10-17 08:03:04' in Beijing time (Tencent sends no zone) → an instant. */
const beijingTime = (value: string, callback: string): Date => {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  const at = match ? new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}+08:00`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw malformed(`${callback}: unreadable time`);
  return at;
};

/**
 * Parses Tencent's status callback (短信下发状态通知), a JSON array. It carries `sid` (the SerialNo that
 * SendSms returned) but not SessionContext, so receipts are matched by provider message id alone.
 */
export const parseTencentReceipts = (body: unknown): SmsReceipt[] => {
  if (!Array.isArray(body)) throw malformed('status callback: expected a JSON array');
  return body.map((record: unknown) => {
    if (!isRecord(record)) throw malformed('status callback: expected records');
    const delivered = record.report_status === 'SUCCESS';
    if (!delivered && record.report_status !== 'FAIL') throw malformed('status callback: report_status is neither SUCCESS nor FAIL');
    return {
      providerMessageId: text(record, 'sid', 'status callback'),
      idempotencyId: null,
      phone: phoneOf(record, 'status callback'),
      status: delivered ? 'delivered' : 'failed',
      errorCode: delivered ? null : typeof record.errmsg === 'string' && record.errmsg !== '' ? record.errmsg : 'UNKNOWN',
      at: beijingTime(text(record, 'user_receive_time', 'status callback'), 'status callback'),
    };
  });
};

/**
 * Parses Tencent's reply callback (短信回复), one JSON object per reply with `time` in Unix seconds; an array
 * of them is accepted too. The text is passed through as sent: deciding that 'TD' means 退订 is the caller's.
 */
export const parseTencentReplies = (body: unknown): SmsReply[] => {
  const list: unknown[] = Array.isArray(body) ? body : [body];
  return list.map((record) => {
    if (!isRecord(record)) throw malformed('reply callback: expected a JSON object');
    if (typeof record.text !== 'string') throw malformed('reply callback: missing text');
    const seconds = Number(record.time);
    if (!Number.isFinite(seconds) || seconds <= 0) throw malformed('reply callback: unreadable time');
    return { phone: phoneOf(record, 'reply callback'), text: record.text, at: new Date(seconds * 1000) };
  });
};
