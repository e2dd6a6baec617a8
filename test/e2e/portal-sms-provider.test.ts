import { randomBytes, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSmsServer, startFakeSmsServer } from '../../src/modules/messaging/providers/fake-provider.js';
import { buttonByText, launchBrowser, logIn, newConsolePage, newPortalPage, ownerSession, screenshot, visible } from './browser.js';
import { e2eResultsDir, startExtraServer } from './global-setup.js';

// The keys the clinic's owner types into the console: the only ones the fake Aliyun accepts.
const aliyun = { accessKeyId: 'LTAI5tE2eClinicKey7c21', accessKeySecret: 'e2e-aliyun-secret-0f9d3b' };

describe('a member logs in to the portal with a code the clinic’s SMS provider delivered', () => {
  let browser: Browser;
  let fake: FakeSmsServer;
  let server: Awaited<ReturnType<typeof startExtraServer>> | undefined;

  beforeAll(async () => {
    // The provider first (on a free loopback port), then a server of its own whose Aliyun SDK is pointed at it.
    fake = await startFakeSmsServer({ aliyun, tencent: { secretId: 'AKID-unused', secretKey: 'unused-secret' } });
    browser = await launchBrowser();
    server = await startExtraServer({
      port: Number(process.env.YUEHUI_E2E_SMS_PORT ?? 3919),
      name: 'sms',
      env: { ALIYUN_SMS_ENDPOINT: fake.endpoint, ALIYUN_SMS_PROTOCOL: 'http', YUEHUI_SECRET_KEY: randomBytes(32).toString('hex') },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.close();
  });

  it('the owner enters the Aliyun keys in 消息 → 设置; a member asks for a code, it reaches the provider signed with them, and she is in', async () => {
    if (!server) throw new Error('no server');
    const baseUrl = server.baseUrl;

    // The owner's keys, typed into the console: afterwards only the key id's last 4 characters show.
    const staffPage = await newConsolePage(browser);
    try {
      await logIn(staffPage, baseUrl, 'owner');
      await staffPage.goto(`${baseUrl}/messages?tab=settings`);
      const card = await visible(staffPage.getByTestId('provider-keys-aliyun'));
      await visible(card.getByText('未配置'));
      await buttonByText(card, '填写密钥').click();
      const dialog = await visible(staffPage.getByRole('dialog'));
      await dialog.getByLabel('AccessKey ID').fill(aliyun.accessKeyId);
      await dialog.getByLabel('AccessKey Secret').fill(aliyun.accessKeySecret);
      await buttonByText(dialog, '保存').click();
      await dialog.waitFor({ state: 'hidden' });
      await visible(card.getByText('使用诊所填写的密钥'));
      await visible(card.getByText(/已保存 \*\*\*\*7c21/));
      expect(await staffPage.content()).not.toContain(aliyun.accessKeySecret);
      await screenshot(staffPage, 'messages-provider-keys');
    } finally {
      await staffPage.context().close();
    }

    // The channel: Aliyun with the approved signature and the login code's approved template; a member of her own.
    const owner = await ownerSession(browser, baseUrl);
    const phone = `137${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
    let name = '';
    try {
      const settings = await owner.api.get<Record<string, unknown>>('/api/v1/settings/messaging');
      await owner.api.put('/api/v1/settings/messaging', { ...settings, sms: { provider: 'aliyun', signName: '悦会医美', sdkApp: '', region: 'ap-guangzhou' } });
      await owner.api.put('/api/v1/message-templates/portal.code/sms', {
        body: '您的登录验证码为 {验证码}，5 分钟内有效。如非本人操作请忽略。',
        providerTemplateCode: 'SMS_480001',
        isEnabled: true,
      });
      const status = await owner.api.get<{ hasSmsChannel: boolean; providers: { aliyun: boolean } }>('/api/v1/messaging/status');
      expect(status).toMatchObject({ hasSmsChannel: true, providers: { aliyun: true } });
      name = (await owner.api.post<{ name: string }>('/api/v1/customers', { name: `短信会员${phone.slice(-4)}`, gender: 'female', phone })).name;
    } finally {
      await owner.close();
    }

    const page = await newPortalPage(browser);
    try {
      await page.goto(`${baseUrl}/m/?clinic=demo`);
      await page.getByRole('textbox', { name: '手机号' }).fill(phone);
      await page.getByRole('button', { name: '获取验证码' }).click();
      // The code as the provider received it: SendSms for her number, signed with the owner's key.
      let code = '';
      await expect
        .poll(() => {
          const call = fake.calls.find((entry) => entry.provider === 'aliyun' && entry.params.PhoneNumbers === phone);
          code = call ? (JSON.parse(String(call.params.TemplateParam)) as { code: string }).code : '';
          return code;
        })
        .toMatch(/^\d{6}$/);
      const call = fake.calls.find((entry) => entry.params.PhoneNumbers === phone);
      expect(call).toMatchObject({ action: 'SendSms', params: { SignName: '悦会医美', TemplateCode: 'SMS_480001' } });
      const signed = fake.httpRequests.find((request) => request.path.includes(phone));
      expect(signed?.headers.authorization).toContain(`Credential=${aliyun.accessKeyId},`);
      expect(fake.rejections).toEqual([]);

      await page.getByRole('textbox', { name: '验证码' }).fill(code);
      await page.getByRole('button', { name: '登录' }).click();
      await visible(page.getByText(`您好，${name}`));
      await screenshot(page, 'portal-login-provider-sms', { fullPage: false });
    } finally {
      await page.context().close();
    }

    // Her code did not go to the development channel, and the secret is nowhere in the server's output.
    const log = await readFile(path.join(e2eResultsDir, 'server-sms.log'), 'utf8');
    const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
    expect(log.split('\n').filter((line) => line.includes('[短信·开发通道]') && line.includes(masked))).toEqual([]);
    expect(log).not.toContain(aliyun.accessKeySecret);
  });
});
