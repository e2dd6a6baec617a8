import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { DomainError } from '../../../platform/errors.js';
import { normalizeMobile } from '../../../platform/phone.js';
import type { SmsErrorClass, SmsProvider, SmsReceipt, SmsReply, SmsSendResult } from './types.js';

export type AliyunSmsConfig = {
  accessKeyId: string;
  accessKeySecret: string;
  /** Host, or host:port; the SDK puts it in the URL and signs it as the Host header. */
  endpoint?: string;
  protocol?: 'https' | 'http';
};

// The SDK is CommonJS with `exports.default = Client`. Node's ESM loader makes the default import the
// module object (the class is at `.default`); bundler-style interop, as in the test runner, gives the class.
type AliyunClientClass = typeof Dysmsapi.default;
const AliyunClient: AliyunClientClass = typeof Dysmsapi === 'function' ? (Dysmsapi as unknown as AliyunClientClass) : Dysmsapi.default;

/** Provider messages may quote the number; results end up in logs, where whole numbers must not. */
const redactPhones = (message: string): string => message.replace(/(?:\+?86)?1\d{10}/g, (phone) => `${phone.slice(0, -8)}****${phone.slice(-4)}`);

// Aliyun's business errors (isv.*) come back as HTTP 200 with a Code; its gateway errors as 4xx/5xx.
// Only throttling and transport failures are worth a retry: the others fail the same way again.
const aliyunCodes: Record<string, { errorClass: SmsErrorClass; retryable: boolean }> = {
  'isv.BUSINESS_LIMIT_CONTROL': { errorClass: 'throttled', retryable: true },
  'isv.DAY_LIMIT_CONTROL': { errorClass: 'throttled', retryable: true },
  'isv.MOBILE_NUMBER_ILLEGAL': { errorClass: 'invalid_number', retryable: false },
  'isv.SMS_TEMPLATE_ILLEGAL': { errorClass: 'template_not_approved', retryable: false },
  'isv.TEMPLATE_MISSING_PARAMETERS': { errorClass: 'template_not_approved', retryable: false },
  'isv.SMS_SIGNATURE_ILLEGAL': { errorClass: 'template_not_approved', retryable: false },
  'isv.AMOUNT_NOT_ENOUGH': { errorClass: 'balance_exhausted', retryable: false },
  'isv.OUT_OF_SERVICE': { errorClass: 'balance_exhausted', retryable: false },
  'InvalidAccessKeyId.NotFound': { errorClass: 'auth', retryable: false },
  'InvalidAccessKeyId.Inactive': { errorClass: 'auth', retryable: false },
  SignatureDoesNotMatch: { errorClass: 'auth', retryable: false },
};

/** Maps an Aliyun error code to our error class; `Throttling`, `Throttling.User`, … are all flow control. */
export const classifyAliyunCode = (code: string): { errorClass: SmsErrorClass; retryable: boolean } => {
  if (code.startsWith('Throttling')) return { errorClass: 'throttled', retryable: true };
  return aliyunCodes[code] ?? { errorClass: 'other', retryable: false };
};

const failure = (providerCode: string, message: string): SmsSendResult => ({
  ok: false,
  ...classifyAliyunCode(providerCode),
  providerCode,
  message: redactPhones(message),
});

/** What the SDK threw: a provider answer (it carries the HTTP status) or a transport failure (it does not). */
const thrownFailure = (error: unknown): SmsSendResult => {
  const { statusCode, code, message } = (error ?? {}) as { statusCode?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof statusCode !== 'number') {
    return { ok: false, errorClass: 'network', retryable: true, providerCode: typeof code === 'string' ? code : 'NETWORK', message: redactPhones(text) };
  }
  // A 5xx is the provider's own outage: handled like a failed connection, so the message is tried again.
  if (statusCode >= 500) return { ok: false, errorClass: 'network', retryable: true, providerCode: String(code ?? statusCode), message: redactPhones(text) };
  return failure(typeof code === 'string' ? code : String(statusCode), text);
};

/** Sends through Aliyun SMS (Dysmsapi 2017-05-25, SendSms), signed by the SDK with ACS3-HMAC-SHA256. */
export const aliyunSmsProvider = (config: AliyunSmsConfig): SmsProvider => {
  const client = new AliyunClient(
    new $OpenApiUtil.Config({
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      endpoint: config.endpoint ?? 'dysmsapi.aliyuncs.com',
      protocol: config.protocol ?? 'https',
      // Aliyun advises at least 1 s for mainland SMS; a slower answer is retried by the caller, not by the SDK.
      connectTimeout: 5000,
      readTimeout: 10000,
    }),
  );
  return {
    name: 'aliyun',
    send: async (request) => {
      const params = Object.fromEntries(request.params.map(({ name, value }) => [name, value]));
      let body: { code?: string; message?: string; bizId?: string } | undefined;
      try {
        const response = await client.sendSms(
          new SendSmsRequest({
            phoneNumbers: request.phone,
            signName: request.signName,
            templateCode: request.templateCode,
            templateParam: request.params.length > 0 ? JSON.stringify(params) : undefined,
            outId: request.idempotencyId,
          }),
        );
        body = response.body;
      } catch (error) {
        return thrownFailure(error);
      }
      if (body?.code === 'OK' && body.bizId) return { ok: true, providerMessageId: body.bizId };
      return failure(body?.code ?? 'UNKNOWN', body?.message ?? 'Aliyun answered without a code');
    },
  };
};

/** Aliyun's push callbacks (SmsReport, SmsUp) are JSON arrays of snake_case records, times in Beijing time. */
const records = (body: unknown, callback: string): Record<string, unknown>[] => {
  if (!Array.isArray(body) || body.some((item) => typeof item !== 'object' || item === null)) {
    throw new DomainError('invalid', 'SMS_CALLBACK_MALFORMED', `Aliyun ${callback}: expected a JSON array of records`);
  }
  return body as Record<string, unknown>[];
};

const text = (record: Record<string, unknown>, field: string, callback: string): string => {
  const value = record[field];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  throw new DomainError('invalid', 'SMS_CALLBACK_MALFORMED', `Aliyun ${callback}: missing ${field}`);
};

const optionalText = (record: Record<string, unknown>, field: string): string | null => {
  const value = record[field];
  return typeof value === 'string' && value !== '' ? value : null;
};

/** '2017-01-01 00:00:00' in Beijing time (the providers send no zone) → an instant. */
const beijingTime = (value: string, callback: string): Date => {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  const at = match ? new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}+08:00`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new DomainError('invalid', 'SMS_CALLBACK_MALFORMED', `Aliyun ${callback}: unreadable time`);
  return at;
};

/** Parses Aliyun's SmsReport push: one receipt per record; OutId comes back as out_id, BizId as biz_id. */
export const parseAliyunReceipts = (body: unknown): SmsReceipt[] =>
  records(body, 'SmsReport').map((record) => {
    const delivered = record.success === true || record.success === 'true';
    const phone = text(record, 'phone_number', 'SmsReport');
    return {
      providerMessageId: optionalText(record, 'biz_id'),
      idempotencyId: optionalText(record, 'out_id'),
      phone: normalizeMobile(phone) ?? phone,
      status: delivered ? 'delivered' : 'failed',
      errorCode: delivered ? null : (optionalText(record, 'err_code') ?? 'UNKNOWN'),
      at: beijingTime(optionalText(record, 'report_time') ?? text(record, 'send_time', 'SmsReport'), 'SmsReport'),
    };
  });

/** Parses Aliyun's SmsUp push. The text is passed through as sent: deciding that 'TD' means 退订 is the caller's. */
export const parseAliyunReplies = (body: unknown): SmsReply[] =>
  records(body, 'SmsUp').map((record) => {
    const phone = text(record, 'phone_number', 'SmsUp');
    const content = record.content;
    if (typeof content !== 'string') throw new DomainError('invalid', 'SMS_CALLBACK_MALFORMED', 'Aliyun SmsUp: missing content');
    return { phone: normalizeMobile(phone) ?? phone, text: content, at: beijingTime(text(record, 'send_time', 'SmsUp'), 'SmsUp') };
  });
