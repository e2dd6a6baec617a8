import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeWechatOutcome, type FakeWechatServer, startFakeWechatServer } from './fake-wechat.js';
import type { SmsErrorClass } from './types.js';
import { classifyWechatCode, fitWechatData, fitWechatField, wechatDefaultEndpoint, wechatEndpointFromEnv, wechatProvider } from './wechat.js';

const app = { appId: 'wx1234567890abcdef', appSecret: 'wechat-test-secret' };

describe('WeChat template fields within WeChat’s limits', () => {
  it('cuts a thing to 20 characters, a name to 10 and a phrase to 5, ending in …', () => {
    const long = '您有一笔积分将在本月底到期请尽快到店使用抵扣消费';
    expect(Array.from(long).length).toBeGreaterThan(20);
    const thing = fitWechatField('thing1', long);
    expect(Array.from(thing)).toHaveLength(20);
    expect(thing).toBe(`${Array.from(long).slice(0, 19).join('')}…`);
    expect(fitWechatField('name2', '欧阳娜娜娜娜娜娜娜娜娜娜')).toBe('欧阳娜娜娜娜娜娜娜…');
    expect(fitWechatField('phrase3', '即将到期了哦')).toBe('即将到期…');
  });

  it('cuts codes and numbers to 32 and a phone number to 17, without …', () => {
    expect(fitWechatField('character_string4', 'A'.repeat(40))).toBe('A'.repeat(32));
    expect(fitWechatField('number5', '1'.repeat(33))).toBe('1'.repeat(32));
    expect(fitWechatField('letter6', 'x'.repeat(32))).toBe('x'.repeat(32));
    expect(fitWechatField('phone_number7', '+86 138 0013 8000 ext 12')).toBe('+86 138 0013 8000');
  });

  it('leaves values within the limit, amounts, dates, times and old-style keys as they are (trimmed)', () => {
    expect(fitWechatField('thing1', ' 积分到期提醒 ')).toBe('积分到期提醒');
    expect(fitWechatField('thing1', '二十个字'.repeat(5))).toBe('二十个字'.repeat(5));
    expect(fitWechatField('amount8', '¥1,234,567,890.00')).toBe('¥1,234,567,890.00');
    expect(fitWechatField('date9', '2026年12月31日')).toBe('2026年12月31日');
    expect(fitWechatField('time10', '2026-12-31 23:59')).toBe('2026-12-31 23:59');
    expect(fitWechatField('remark', '很长的备注'.repeat(10))).toBe('很长的备注'.repeat(10));
  });

  it('counts characters, not UTF-16 units (an emoji is one)', () => {
    expect(fitWechatField('phrase1', '🎉生日快乐')).toBe('🎉生日快乐');
    expect(fitWechatField('phrase1', '🎉🎉生日快乐')).toBe('🎉🎉生日…');
  });

  it('fits every field of a message', () => {
    expect(fitWechatData({ thing1: '一'.repeat(25), number2: '300' })).toEqual({ thing1: `${'一'.repeat(19)}…`, number2: '300' });
  });
});

describe('WeChat errcodes', () => {
  const cases: [number, SmsErrorClass, boolean][] = [
    [45009, 'throttled', true],
    [45047, 'throttled', true],
    [43004, 'invalid_number', false],
    [40003, 'invalid_number', false],
    [40037, 'template_not_approved', false],
    [40001, 'auth', false],
    [40013, 'auth', false],
    [40125, 'auth', false],
    [-1, 'other', true],
    [47003, 'other', false],
  ];
  for (const [errcode, errorClass, retryable] of cases) {
    it(`${errcode} → ${errorClass} (retryable: ${retryable})`, () => {
      expect(classifyWechatCode(errcode)).toEqual({ errorClass, retryable });
    });
  }

  it('the endpoint is WeChat’s unless the environment points elsewhere', () => {
    expect(wechatEndpointFromEnv({})).toBe(wechatDefaultEndpoint);
    expect(wechatEndpointFromEnv({ WECHAT_API_ENDPOINT: 'http://127.0.0.1:4130/' })).toBe('http://127.0.0.1:4130');
  });
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

describe('the WeChat sender against a local impersonation of WeChat’s API', () => {
  let fake: FakeWechatServer;
  beforeAll(async () => {
    fake = await startFakeWechatServer(app);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.messages.length = 0;
    fake.answers.length = 0;
  });

  const message = (openid: string) => ({
    openid,
    templateId: 'TPL-points-expiring',
    url: 'https://yuehui.example/portal',
    data: { thing1: '您有 1,200 积分将于 12月31日 到期，到店消费可抵现', number2: '1200', time3: '2026-12-31' },
  });

  it('fetches a token once, sends the template with its fields fitted, and returns WeChat’s msgid', async () => {
    const provider = wechatProvider({ ...app, endpoint: fake.endpoint });
    const before = fake.tokensIssued();
    const first = await provider.send(message('o-member-1'));
    const second = await provider.send(message('o-member-2'));

    expect(first).toEqual({ ok: true, providerMessageId: expect.stringMatching(/^\d+$/) });
    expect(second.ok).toBe(true);
    expect(fake.tokensIssued() - before).toBe(1);
    expect(fake.messages).toHaveLength(2);
    expect(fake.messages[0]).toMatchObject({
      touser: 'o-member-1',
      template_id: 'TPL-points-expiring',
      url: 'https://yuehui.example/portal',
      data: { thing1: { value: '您有 1,200 积分将于 12月31…' }, number2: { value: '1200' }, time3: { value: '2026-12-31' } },
    });
  });

  it('shares one token request among sends that start together', async () => {
    const provider = wechatProvider({ ...app, endpoint: fake.endpoint });
    const before = fake.tokensIssued();
    const results = await Promise.all([1, 2, 3].map((n) => provider.send(message(`o-together-${n}`))));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(fake.tokensIssued() - before).toBe(1);
  });

  it('on 40001 fetches a new token and sends again, once', async () => {
    const provider = wechatProvider({ ...app, endpoint: fake.endpoint });
    expect((await provider.send(message('o-before'))).ok).toBe(true);
    const before = fake.tokensIssued();
    fake.revokeTokens();
    fake.answers.length = 0;

    const result = await provider.send(message('o-after'));
    expect(result.ok).toBe(true);
    expect(fake.tokensIssued() - before).toBe(1);
    expect(fake.answers).toEqual([
      { path: '/cgi-bin/message/template/send', errcode: 40001 },
      { path: '/cgi-bin/token', errcode: 0 },
      { path: '/cgi-bin/message/template/send', errcode: 0 },
    ]);
  });

  const failures: [FakeWechatOutcome, SmsErrorClass, boolean, string][] = [
    ['throttled', 'throttled', true, '45009'],
    ['unsubscribed', 'invalid_number', false, '43004'],
    ['invalid_openid', 'invalid_number', false, '40003'],
    ['bad_template', 'template_not_approved', false, '40037'],
    ['busy', 'other', true, '-1'],
  ];
  for (const [outcome, errorClass, retryable, providerCode] of failures) {
    it(`WeChat’s ${providerCode} reads as ${errorClass} (retryable: ${retryable})`, async () => {
      const openid = `o-${outcome}`;
      fake.script(openid, outcome);
      const result = await wechatProvider({ ...app, endpoint: fake.endpoint }).send(message(openid));
      expect(result).toMatchObject({ ok: false, errorClass, retryable, providerCode });
      expect(fake.messages).toHaveLength(0);
    });
  }

  it('a wrong secret is auth, not retryable, and nothing is sent', async () => {
    const result = await wechatProvider({ ...app, appSecret: 'not-the-secret', endpoint: fake.endpoint }).send(message('o-member-1'));
    expect(result).toMatchObject({ ok: false, errorClass: 'auth', retryable: false, providerCode: '40125' });
    expect(fake.messages).toHaveLength(0);
  });

  it('a wrong app id is auth', async () => {
    const result = await wechatProvider({ ...app, appId: 'wx-unknown', endpoint: fake.endpoint }).send(message('o-member-1'));
    expect(result).toMatchObject({ ok: false, errorClass: 'auth', retryable: false, providerCode: '40013' });
  });

  it('a closed port is network, retryable', async () => {
    const result = await wechatProvider({ ...app, endpoint: `http://127.0.0.1:${await closedPort()}` }).send(message('o-member-1'));
    expect(result).toMatchObject({ ok: false, errorClass: 'network', retryable: true });
  });

  it('exchanges a web-authorisation code for the openid once; a used or unknown code is refused', async () => {
    const provider = wechatProvider({ ...app, endpoint: fake.endpoint });
    const code = fake.issueCode('o-bound-member');
    expect(await provider.openidForCode(code)).toEqual({ ok: true, openid: 'o-bound-member' });
    expect(await provider.openidForCode(code)).toMatchObject({ ok: false, providerCode: '40029', retryable: false });
    expect(await provider.openidForCode('made-up')).toMatchObject({ ok: false, providerCode: '40029' });
  });
});
