import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test helper: one local HTTP server that answers as both Aliyun SMS (Dysmsapi SendSms) and Tencent
 * Cloud SMS (SendSms), so the real SDKs can be driven end to end. It recomputes each request's signature
 * from the known secrets, the way the providers do, and answers a bad one with the provider's auth error.
 */

export type FakeSmsOutcome = 'ok' | 'throttled' | 'invalid_number' | 'template_not_approved' | 'balance_exhausted';

/** A request whose signature checked out, as the provider would read it. */
export type FakeSmsCall = { provider: 'aliyun' | 'tencent'; action: string; params: Record<string, unknown> };

/** A request exactly as it arrived, signed or not, so a test can replay it (or a tampered copy). */
export type RecordedHttpRequest = { method: string; path: string; headers: Record<string, string>; body: string };

export type FakeSmsServer = {
  /** '127.0.0.1:<port>', to pass as the adapters' endpoint with protocol 'http'. */
  endpoint: string;
  calls: FakeSmsCall[];
  httpRequests: RecordedHttpRequest[];
  /** Signature failures, by provider and the error code answered. */
  rejections: { provider: 'aliyun' | 'tencent'; code: string }[];
  /** What to answer for an 11-digit phone; unscripted phones succeed. */
  script: (phone: string, outcome: FakeSmsOutcome) => void;
  replay: (request: RecordedHttpRequest) => Promise<{ status: number; body: unknown }>;
  close: () => Promise<void>;
};

export type FakeSmsServerOptions = {
  aliyun: { accessKeyId: string; accessKeySecret: string };
  tencent: { secretId: string; secretKey: string };
};

// The codes each provider documents for these failures.
const aliyunErrors: Record<Exclude<FakeSmsOutcome, 'ok'>, { code: string; message: string }> = {
  throttled: { code: 'isv.BUSINESS_LIMIT_CONTROL', message: '触发分钟级流控Permits:1' },
  invalid_number: { code: 'isv.MOBILE_NUMBER_ILLEGAL', message: '非法手机号' },
  template_not_approved: { code: 'isv.SMS_TEMPLATE_ILLEGAL', message: '该账号下找不到对应模板' },
  balance_exhausted: { code: 'isv.AMOUNT_NOT_ENOUGH', message: '账户余额不足' },
};
const tencentErrors: Record<Exclude<FakeSmsOutcome, 'ok'>, { code: string; message: string }> = {
  throttled: {
    code: 'LimitExceeded.PhoneNumberDailyLimit',
    message: 'the number of sms messages sent from a single mobile number every day exceeds the upper limit',
  },
  invalid_number: { code: 'InvalidParameterValue.IncorrectPhoneNumber', message: 'incorrect phone number' },
  template_not_approved: {
    code: 'FailedOperation.TemplateUnapprovedOrNotExist',
    message: 'template is not approved or request content does not match the approved template content',
  },
  balance_exhausted: { code: 'FailedOperation.InsufficientBalanceInSmsPackage', message: 'insufficient balance in SMS package' },
};

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

const sameHex = (expected: string, actual: string): boolean => {
  const left = Buffer.from(expected, 'utf8');
  const right = Buffer.from(actual, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
};

/** RFC 3986 percent-encoding, as ACS3 canonicalisation wants it. */
const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);

const headerValue = (request: RecordedHttpRequest, name: string): string => request.headers[name] ?? '';

type Verdict = { ok: true } | { ok: false; code: string; message: string };

/**
 * ACS3-HMAC-SHA256 (Aliyun's V3 signature, the SDK's default): HMAC over a canonical request made of the
 * method, path, sorted query, the signed headers and the body's SHA-256, which is also sent in x-acs-content-sha256.
 */
const verifyAliyun = (request: RecordedHttpRequest, secrets: Map<string, string>): Verdict => {
  const match = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(headerValue(request, 'authorization'));
  if (!match) return { ok: false, code: 'IncompleteSignature', message: 'The request signature does not conform to Aliyun standards.' };
  const [, accessKeyId = '', signedHeaders = '', signature = ''] = match;
  const secret = secrets.get(accessKeyId);
  if (secret === undefined) return { ok: false, code: 'InvalidAccessKeyId.NotFound', message: 'Specified access key is not found.' };
  const payloadHash = sha256Hex(request.body);
  if (headerValue(request, 'x-acs-content-sha256') !== payloadHash) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'Specified signature is not matched with our calculation.' };
  }
  const url = new URL(request.path, 'http://fake');
  const query = [...url.searchParams.entries()]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');
  const headerNames = signedHeaders.split(';');
  const headers = headerNames.map((name) => `${name}:${headerValue(request, name).trim()}\n`).join('');
  const canonical = [request.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
  const expected = hmac(secret, `ACS3-HMAC-SHA256\n${sha256Hex(canonical)}`).toString('hex');
  if (!sameHex(expected, signature)) return { ok: false, code: 'SignatureDoesNotMatch', message: 'Specified signature is not matched with our calculation.' };
  return { ok: true };
};

/**
 * TC3-HMAC-SHA256: a signing key derived from the secret, the date and the service, over a canonical request
 * of method, path, query, the signed headers (lower-cased) and the body's SHA-256.
 */
const verifyTencent = (request: RecordedHttpRequest, secrets: Map<string, string>): Verdict => {
  const match = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
    headerValue(request, 'authorization'),
  );
  if (!match) return { ok: false, code: 'AuthFailure.InvalidAuthorization', message: 'Authorization header is malformed.' };
  const [, secretId = '', date = '', service = '', signedHeaders = '', signature = ''] = match;
  const secretKey = secrets.get(secretId);
  if (secretKey === undefined) return { ok: false, code: 'AuthFailure.SecretIdNotFound', message: 'The SecretId is not found.' };
  const timestamp = headerValue(request, 'x-tc-timestamp');
  if (new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) !== date) {
    return { ok: false, code: 'AuthFailure.SignatureFailure', message: 'The credential date does not match X-TC-Timestamp.' };
  }
  const url = new URL(request.path, 'http://fake');
  const headers = signedHeaders
    .split(';')
    // The SDK signs the host without the port (URL.hostname), which only shows on a non-default port like ours.
    .map((name) => `${name}:${(name === 'host' ? headerValue(request, name).replace(/:\d+$/, '') : headerValue(request, name)).trim().toLowerCase()}\n`)
    .join('');
  const canonical = [request.method, url.pathname, url.search.slice(1), headers, signedHeaders, sha256Hex(request.body)].join('\n');
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256Hex(canonical)}`;
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  const expected = hmac(signingKey, stringToSign).toString('hex');
  if (!sameHex(expected, signature)) return { ok: false, code: 'AuthFailure.SignatureFailure', message: 'The provided credentials could not be validated.' };
  return { ok: true };
};

const readBody = (incoming: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });

const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
  response.end(JSON.stringify(body));
};

/** A provider's message may quote the number it refuses; the fake does, so that the adapters' masking is tested. */
const quoted = (message: string, outcome: FakeSmsOutcome, phone: string): string => (outcome === 'invalid_number' ? `${message}: ${phone}` : message);

/** The 11 digits of a mainland number in either provider's spelling ('13800138000', '+8613800138000'). */
const nationalNumber = (phone: string): string => phone.replace(/^(?:\+86|0086|86(?=1\d{10}$))/, '');

/** Starts the fake on 127.0.0.1 and a free port; close it when the tests are done. */
export const startFakeSmsServer = async (options: FakeSmsServerOptions): Promise<FakeSmsServer> => {
  const aliyunSecrets = new Map([[options.aliyun.accessKeyId, options.aliyun.accessKeySecret]]);
  const tencentSecrets = new Map([[options.tencent.secretId, options.tencent.secretKey]]);
  const outcomes = new Map<string, FakeSmsOutcome>();
  const calls: FakeSmsCall[] = [];
  const httpRequests: RecordedHttpRequest[] = [];
  const rejections: FakeSmsServer['rejections'] = [];
  let serial = 0;

  const answerAliyun = (request: RecordedHttpRequest, response: ServerResponse): void => {
    const requestId = randomUUID().toUpperCase();
    const verdict = verifyAliyun(request, aliyunSecrets);
    if (!verdict.ok) {
      rejections.push({ provider: 'aliyun', code: verdict.code });
      const status = verdict.code === 'InvalidAccessKeyId.NotFound' ? 404 : 400;
      sendJson(response, status, { RequestId: requestId, HostId: 'dysmsapi.aliyuncs.com', Code: verdict.code, Message: verdict.message });
      return;
    }
    // SendSms is an RPC action: its parameters travel in the query (and, for other actions, a form body).
    const params: Record<string, unknown> = Object.fromEntries(new URL(request.path, 'http://fake').searchParams);
    if (request.body !== '') Object.assign(params, Object.fromEntries(new URLSearchParams(request.body)));
    calls.push({ provider: 'aliyun', action: headerValue(request, 'x-acs-action'), params });
    const outcome = outcomes.get(nationalNumber(String(params.PhoneNumbers ?? ''))) ?? 'ok';
    if (outcome === 'ok') {
      serial += 1;
      sendJson(response, 200, { RequestId: requestId, Code: 'OK', Message: 'OK', BizId: `${900000000000 + serial}^0` });
      return;
    }
    // Business errors (isv.*) are HTTP 200 with a Code, as Aliyun answers them.
    const error = aliyunErrors[outcome];
    sendJson(response, 200, { RequestId: requestId, Code: error.code, Message: quoted(error.message, outcome, String(params.PhoneNumbers ?? '')) });
  };

  const answerTencent = (request: RecordedHttpRequest, response: ServerResponse): void => {
    const requestId = randomUUID();
    const verdict = verifyTencent(request, tencentSecrets);
    if (!verdict.ok) {
      rejections.push({ provider: 'tencent', code: verdict.code });
      // Tencent answers API errors with HTTP 200 and Response.Error.
      sendJson(response, 200, { Response: { Error: { Code: verdict.code, Message: verdict.message }, RequestId: requestId } });
      return;
    }
    const params = JSON.parse(request.body || '{}') as Record<string, unknown>;
    calls.push({ provider: 'tencent', action: headerValue(request, 'x-tc-action'), params });
    const phones = Array.isArray(params.PhoneNumberSet) ? params.PhoneNumberSet.map(String) : [];
    const SendStatusSet = phones.map((phone) => {
      const outcome = outcomes.get(nationalNumber(phone)) ?? 'ok';
      const base = { PhoneNumber: phone, SessionContext: String(params.SessionContext ?? ''), IsoCode: 'CN' };
      if (outcome === 'ok') {
        serial += 1;
        return { ...base, SerialNo: `2645:${100000000000 + serial}`, Fee: 1, Code: 'Ok', Message: 'send success' };
      }
      const error = tencentErrors[outcome];
      return { ...base, SerialNo: '', Fee: 0, Code: error.code, Message: quoted(error.message, outcome, phone) };
    });
    sendJson(response, 200, { Response: { SendStatusSet, RequestId: requestId } });
  };

  const server = createServer((incoming, response) => {
    readBody(incoming).then(
      (body) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (typeof value === 'string') headers[name] = value;
          else if (Array.isArray(value)) headers[name] = value.join(',');
        }
        const request: RecordedHttpRequest = { method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers, body };
        httpRequests.push(request);
        if (headers['x-tc-action']) answerTencent(request, response);
        else if (headers['x-acs-action']) answerAliyun(request, response);
        else sendJson(response, 404, { message: 'neither an Aliyun nor a Tencent request' });
      },
      () => sendJson(response, 400, { message: 'unreadable body' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const replay = (recorded: RecordedHttpRequest): Promise<{ status: number; body: unknown }> =>
    new Promise((resolve, reject) => {
      // The body is sent whole, so the framing headers of the original are replaced, not copied.
      const { 'transfer-encoding': _chunked, connection: _connection, ...kept } = recorded.headers;
      const headers = { ...kept, 'content-length': String(Buffer.byteLength(recorded.body)) };
      const outgoing = httpRequest({ host: '127.0.0.1', port, method: recorded.method, path: recorded.path, headers }, (incoming) => {
        readBody(incoming).then((text) => resolve({ status: incoming.statusCode ?? 0, body: JSON.parse(text) as unknown }), reject);
      });
      outgoing.on('error', reject);
      outgoing.end(recorded.body);
    });

  return {
    endpoint: `127.0.0.1:${port}`,
    calls,
    httpRequests,
    rejections,
    script: (phone, outcome) => {
      outcomes.set(phone, outcome);
    },
    replay,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // The SDKs keep connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
