import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSmsOutcome, type FakeSmsServer, startFakeSmsServer } from './fake-provider.js';
import { aliyunSmsProvider, parseAliyunReceipts, parseAliyunReplies, parseTencentReceipts, parseTencentReplies, tencentSmsProvider } from './index.js';
import type { SmsErrorClass, SmsProvider, SmsSendRequest } from './types.js';

// The real SDKs make real HTTP requests; only the provider on the other end is ours.
const aliyunKeys = { accessKeyId: 'LTAI-test-key', accessKeySecret: 'aliyun-test-secret' };
const tencentKeys = { secretId: 'AKID-test-id', secretKey: 'tencent-test-secret' };

let fake: FakeSmsServer;

beforeAll(async () => {
  fake = await startFakeSmsServer({ aliyun: aliyunKeys, tencent: tencentKeys });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.calls.length = 0;
  fake.httpRequests.length = 0;
  fake.rejections.length = 0;
});

const aliyun = (overrides: Partial<typeof aliyunKeys> = {}, endpoint?: string): SmsProvider =>
  aliyunSmsProvider({ ...aliyunKeys, ...overrides, endpoint: endpoint ?? fake.endpoint, protocol: 'http' });
const tencent = (overrides: Partial<typeof tencentKeys> = {}, endpoint?: string): SmsProvider =>
  tencentSmsProvider({ ...tencentKeys, ...overrides, sdkAppId: '1400000001', endpoint: endpoint ?? fake.endpoint, protocol: 'http' });

const message = (phone: string, provider: 'aliyun' | 'tencent'): SmsSendRequest => ({
  phone,
  signName: '悦会医美',
  templateCode: provider === 'aliyun' ? 'SMS_123456789' : '1234567',
  params: [
    { name: 'name', value: '王女士' },
    { name: 'date', value: '3月8日 14:30' },
    { name: 'store', value: '静安店 (2F)' },
  ],
  idempotencyId: 'msg_01HZX3Q4',
});

/** A port nothing listens on: bound, read and released. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

const failures: { outcome: Exclude<FakeSmsOutcome, 'ok'>; errorClass: SmsErrorClass; retryable: boolean; aliyunCode: string; tencentCode: string }[] = [
  {
    outcome: 'throttled',
    errorClass: 'throttled',
    retryable: true,
    aliyunCode: 'isv.BUSINESS_LIMIT_CONTROL',
    tencentCode: 'LimitExceeded.PhoneNumberDailyLimit',
  },
  {
    outcome: 'invalid_number',
    errorClass: 'invalid_number',
    retryable: false,
    aliyunCode: 'isv.MOBILE_NUMBER_ILLEGAL',
    tencentCode: 'InvalidParameterValue.IncorrectPhoneNumber',
  },
  {
    outcome: 'template_not_approved',
    errorClass: 'template_not_approved',
    retryable: false,
    aliyunCode: 'isv.SMS_TEMPLATE_ILLEGAL',
    tencentCode: 'FailedOperation.TemplateUnapprovedOrNotExist',
  },
  {
    outcome: 'balance_exhausted',
    errorClass: 'balance_exhausted',
    retryable: false,
    aliyunCode: 'isv.AMOUNT_NOT_ENOUGH',
    tencentCode: 'FailedOperation.InsufficientBalanceInSmsPackage',
  },
];

describe('Aliyun adapter, through the official SDK', () => {
  it('returns the BizId on success, and sends sign, template, phone, OutId and the params as a JSON object by name', async () => {
    const result = await aliyun().send(message('13800138000', 'aliyun'));

    expect(result).toEqual({ ok: true, providerMessageId: expect.stringMatching(/^\d+\^0$/) });
    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    expect(call?.provider).toBe('aliyun');
    expect(call?.action).toBe('SendSms');
    expect(call?.params).toMatchObject({ PhoneNumbers: '13800138000', SignName: '悦会医美', TemplateCode: 'SMS_123456789', OutId: 'msg_01HZX3Q4' });
    expect(JSON.parse(String(call?.params.TemplateParam))).toEqual({ name: '王女士', date: '3月8日 14:30', store: '静安店 (2F)' });
    // The signature the fake accepted is the SDK's ACS3 one, not the v1 query signature.
    expect(fake.httpRequests[0]?.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI-test-key,/);
  });

  for (const { outcome, errorClass, retryable, aliyunCode } of failures) {
    it(`maps ${aliyunCode} to ${errorClass} (retryable: ${retryable})`, async () => {
      fake.script('13900000001', outcome);
      const result = await aliyun().send(message('13900000001', 'aliyun'));
      expect(result).toMatchObject({ ok: false, errorClass, retryable, providerCode: aliyunCode });
    });
  }

  it('a wrong secret is refused with SignatureDoesNotMatch and reads as auth, not retryable', async () => {
    const result = await aliyun({ accessKeySecret: 'not-the-secret' }).send(message('13800138000', 'aliyun'));
    expect(result).toMatchObject({ ok: false, errorClass: 'auth', retryable: false, providerCode: 'SignatureDoesNotMatch' });
    expect(fake.calls).toHaveLength(0);
  });

  it('an unknown access key reads as auth', async () => {
    const result = await aliyun({ accessKeyId: 'LTAI-unknown' }).send(message('13800138000', 'aliyun'));
    expect(result).toMatchObject({ ok: false, errorClass: 'auth', retryable: false, providerCode: 'InvalidAccessKeyId.NotFound' });
  });

  it('a closed port reads as network, retryable', async () => {
    const result = await aliyun({}, `127.0.0.1:${await closedPort()}`).send(message('13800138000', 'aliyun'));
    expect(result).toMatchObject({ ok: false, errorClass: 'network', retryable: true });
  });
});

describe('Tencent adapter, through the official SDK', () => {
  it('returns the SerialNo on success, and sends +86, the app id, sign, template, SessionContext and the params in template order', async () => {
    const result = await tencent().send(message('13800138000', 'tencent'));

    expect(result).toEqual({ ok: true, providerMessageId: expect.stringMatching(/^2645:\d+$/) });
    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    expect(call?.provider).toBe('tencent');
    expect(call?.action).toBe('SendSms');
    expect(call?.params).toEqual({
      PhoneNumberSet: ['+8613800138000'],
      SmsSdkAppId: '1400000001',
      SignName: '悦会医美',
      TemplateId: '1234567',
      TemplateParamSet: ['王女士', '3月8日 14:30', '静安店 (2F)'],
      SessionContext: 'msg_01HZX3Q4',
    });
    expect(fake.httpRequests[0]?.headers.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKID-test-id\//);
  });

  for (const { outcome, errorClass, retryable, tencentCode } of failures) {
    it(`maps the per-number ${tencentCode} to ${errorClass} (retryable: ${retryable})`, async () => {
      fake.script('13900000002', outcome);
      const result = await tencent().send(message('13900000002', 'tencent'));
      expect(result).toMatchObject({ ok: false, errorClass, retryable, providerCode: tencentCode });
    });
  }

  it('a wrong secret is refused with AuthFailure.SignatureFailure and reads as auth, not retryable', async () => {
    const result = await tencent({ secretKey: 'not-the-secret' }).send(message('13800138000', 'tencent'));
    expect(result).toMatchObject({ ok: false, errorClass: 'auth', retryable: false, providerCode: 'AuthFailure.SignatureFailure' });
    expect(fake.calls).toHaveLength(0);
  });

  it('a closed port reads as network, retryable', async () => {
    const result = await tencent({}, `127.0.0.1:${await closedPort()}`).send(message('13800138000', 'tencent'));
    expect(result).toMatchObject({ ok: false, errorClass: 'network', retryable: true, providerCode: 'NETWORK' });
  });
});

describe('failure messages', () => {
  // Results are logged; the fake quotes the refused number in its message, as a provider may.
  it('keep the whole phone number out, for both providers', async () => {
    fake.script('13900000003', 'invalid_number');
    const results = [await aliyun().send(message('13900000003', 'aliyun')), await tencent().send(message('13900000003', 'tencent'))];
    expect(results.map((result) => (result.ok ? '' : result.message))).toEqual([
      expect.stringContaining('139****0003'),
      expect.stringContaining('139****0003'),
    ]);
    expect(JSON.stringify(results)).not.toContain('13900000003');
  });
});

describe('the fake checks signatures the way the providers do', () => {
  // If either check were removed, the tampered copies would be answered with a send status instead.
  it('accepts an Aliyun request replayed as signed, and refuses it with the phone number changed', async () => {
    await aliyun().send(message('13800138000', 'aliyun'));
    const [signed] = fake.httpRequests;
    if (!signed) throw new Error('the SDK sent nothing');

    const untouched = await fake.replay(signed);
    expect(untouched).toMatchObject({ status: 200, body: { Code: 'OK' } });

    const tampered = await fake.replay({ ...signed, path: signed.path.replace('13800138000', '13800138001') });
    expect(tampered).toMatchObject({ status: 400, body: { Code: 'SignatureDoesNotMatch' } });
    expect(fake.rejections).toEqual([{ provider: 'aliyun', code: 'SignatureDoesNotMatch' }]);
  });

  it('accepts a Tencent request replayed as signed, and refuses it with the template parameters changed', async () => {
    await tencent().send(message('13800138000', 'tencent'));
    const [signed] = fake.httpRequests;
    if (!signed) throw new Error('the SDK sent nothing');

    const untouched = await fake.replay(signed);
    expect(untouched).toMatchObject({ status: 200, body: { Response: { SendStatusSet: [{ Code: 'Ok' }] } } });

    const tampered = await fake.replay({ ...signed, body: signed.body.replace('王女士', '李先生') });
    expect(tampered).toMatchObject({ status: 200, body: { Response: { Error: { Code: 'AuthFailure.SignatureFailure' } } } });
    expect(fake.rejections).toEqual([{ provider: 'tencent', code: 'AuthFailure.SignatureFailure' }]);
  });
});

describe('callback parsers', () => {
  it('Aliyun SmsReport: delivered and failed receipts, matched back by OutId and BizId, in Beijing time', () => {
    const receipts = parseAliyunReceipts([
      {
        phone_number: '13800138000',
        send_time: '2026-03-08 14:30:00',
        report_time: '2026-03-08 14:30:05',
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: '900000000001^0',
        out_id: 'msg_01HZX3Q4',
      },
      {
        phone_number: '13900000001',
        send_time: '2026-03-08 14:30:00',
        report_time: '2026-03-08 14:31:00',
        success: false,
        err_code: 'MK:0001',
        err_msg: '用户接收失败',
        sms_size: '1',
        biz_id: '900000000002^0',
        out_id: '',
      },
    ]);
    expect(receipts).toEqual([
      {
        providerMessageId: '900000000001^0',
        idempotencyId: 'msg_01HZX3Q4',
        phone: '13800138000',
        status: 'delivered',
        errorCode: null,
        at: new Date('2026-03-08T06:30:05Z'),
      },
      {
        providerMessageId: '900000000002^0',
        idempotencyId: null,
        phone: '13900000001',
        status: 'failed',
        errorCode: 'MK:0001',
        at: new Date('2026-03-08T06:31:00Z'),
      },
    ]);
  });

  it('Aliyun SmsUp: replies pass through as text, TD and 退订 included', () => {
    const replies = parseAliyunReplies([
      { phone_number: '13800138000', content: 'TD', send_time: '2026-03-08 15:00:00', dest_code: '1234', sequence_id: 1234567890 },
      { phone_number: '13900000001', content: '退订', send_time: '2026-03-08 15:01:00', dest_code: '1234', sequence_id: '1234567891' },
    ]);
    expect(replies).toEqual([
      { phone: '13800138000', text: 'TD', at: new Date('2026-03-08T07:00:00Z') },
      { phone: '13900000001', text: '退订', at: new Date('2026-03-08T07:01:00Z') },
    ]);
  });

  it('Tencent status callback: receipts matched by sid, mainland numbers as 11 digits, in Beijing time', () => {
    const receipts = parseTencentReceipts([
      {
        user_receive_time: '2026-03-08 14:30:05',
        nationcode: '86',
        mobile: '13800138000',
        report_status: 'SUCCESS',
        errmsg: 'DELIVRD',
        description: '用户短信送达成功',
        sid: '2645:100000000001',
      },
      {
        user_receive_time: '2026-03-08 14:31:00',
        nationcode: '86',
        mobile: '13900000001',
        report_status: 'FAIL',
        errmsg: 'MI:0013',
        description: '用户短信送达失败',
        sid: '2645:100000000002',
      },
    ]);
    expect(receipts).toEqual([
      {
        providerMessageId: '2645:100000000001',
        idempotencyId: null,
        phone: '13800138000',
        status: 'delivered',
        errorCode: null,
        at: new Date('2026-03-08T06:30:05Z'),
      },
      {
        providerMessageId: '2645:100000000002',
        idempotencyId: null,
        phone: '13900000001',
        status: 'failed',
        errorCode: 'MI:0013',
        at: new Date('2026-03-08T06:31:00Z'),
      },
    ]);
  });

  it('Tencent reply callback: one object per reply, Unix seconds, TD and 退订 passed through', () => {
    expect(parseTencentReplies({ extend: '', mobile: '13800138000', nationcode: '86', sign: '悦会医美', text: 'TD', time: 1772953200 })).toEqual([
      { phone: '13800138000', text: 'TD', at: new Date(1772953200 * 1000) },
    ]);
    expect(parseTencentReplies([{ extend: '', mobile: '13900000001', nationcode: '86', sign: '悦会医美', text: '退订', time: 1772953260 }])).toEqual([
      { phone: '13900000001', text: '退订', at: new Date(1772953260 * 1000) },
    ]);
  });

  it('a malformed callback is refused rather than half read', () => {
    expect(() => parseAliyunReceipts({ phone_number: '13800138000' })).toThrow(/SmsReport/);
    expect(() => parseAliyunReplies([{ phone_number: '13800138000', send_time: '2026-03-08 15:00:00' }])).toThrow(/content/);
    expect(() => parseTencentReceipts([{ mobile: '13800138000', report_status: 'MAYBE', sid: 'x', user_receive_time: '2026-03-08 14:30:05' }])).toThrow(
      /report_status/,
    );
    expect(() => parseTencentReplies({ mobile: '13800138000', text: 'TD' })).toThrow(/time/);
  });
});
