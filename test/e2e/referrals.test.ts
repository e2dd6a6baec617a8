import { randomInt } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, newConsolePage, screenshot, smsCodeFor, visible } from './browser.js';

const baseUrl = inject('baseUrl');

type ReportReferrer = { customerId: string; name: string; referred: number };
type Customer = { id: string; name: string; phone: string };
/** What the test reads of an <img> in the page (the test files are not compiled with the DOM types). */
type ImageLike = { complete: boolean; naturalWidth: number; naturalHeight: number };

const getJson = async <T>(page: Page, urlPath: string): Promise<T> => {
  const response = await page.request.get(`${baseUrl}${urlPath}`);
  if (!response.ok()) throw new Error(`GET ${urlPath} → ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
};

/** A phone the way the member portal is opened: 375 px wide, touch. */
const newPhone = async (browser: Browser): Promise<BrowserContext> => {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  context.setDefaultTimeout(20_000);
  return context;
};

/** Asks for a code, waits for it in the server log (newer than any code sent before) and types it. */
const enterSmsCode = async (page: Page, phone: string) => {
  const before = await smsCodeFor(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await visible(page.getByText(/\d+ 秒后重发/));
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        code = await smsCodeFor(phone);
        return code !== undefined && code !== before;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  await page.getByRole('textbox', { name: '验证码' }).fill(code ?? '');
};

describe('referrals: the invite poster, a friend registering with ?ref=, and the console report', () => {
  let browser: Browser;
  let referrer: Customer;

  beforeAll(async () => {
    browser = await launchBrowser();
    // The demo clinic's busiest referrer, found through the staff API (the owner sees whole phone numbers).
    const staff = await newConsolePage(browser);
    try {
      await logIn(staff, baseUrl, 'owner');
      const report = await getJson<{ referrers: ReportReferrer[] }>(staff, '/api/v1/referrals/report?from=2000-01-01');
      const top = report.referrers[0];
      if (!top) throw new Error('the demo clinic has no referrers');
      referrer = await getJson<Customer>(staff, `/api/v1/customers/${top.customerId}`);
    } finally {
      await staff.context().close();
    }
  });

  afterAll(async () => {
    await referrerContext?.close();
    await browser?.close();
  });

  let code = '';
  /** The referrer's phone stays logged in: a second SMS code within 60 s would be refused. */
  let referrerContext: BrowserContext | undefined;
  let referrerPage: Page;
  const friendName = `邀请测试${String.fromCharCode(0x4e00 + randomInt(0, 200))}`;

  it('a member opens 邀请好友: her poster loads (to save by long-press), with her code and the no-cash statement', async () => {
    referrerContext = await newPhone(browser);
    const page = await referrerContext.newPage();
    referrerPage = page;
    await page.goto(`${baseUrl}/m/?clinic=demo`);
    await visible(page.getByText('会员登录'));
    await page.getByRole('textbox', { name: '手机号' }).fill(referrer.phone);
    await enterSmsCode(page, referrer.phone);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await visible(page.getByText(`您好，${referrer.name}`));

    await page.getByTestId('portal-invite-entry').click();
    await visible(page.getByText('长按图片保存', { exact: false }));
    const poster = page.getByTestId('portal-poster');
    // The poster is drawn on the server (the first one of a process loads the font): give it time.
    const sizeOf = () =>
      poster.evaluate((element) => {
        const image = element as unknown as ImageLike;
        return { width: image.complete ? image.naturalWidth : 0, height: image.complete ? image.naturalHeight : 0 };
      });
    await expect.poll(async () => (await sizeOf()).width, { timeout: 30_000 }).toBeGreaterThan(0);
    const size = await sizeOf();
    expect(size.height).toBeGreaterThan(size.width);
    code = (await (await visible(page.getByTestId('portal-referral-code'))).innerText()).trim();
    expect(code).toMatch(/^[23456789A-HJKMNP-Z]{6}$/);
    const rules = await visible(page.getByTestId('portal-referral-rules'));
    await expect.poll(() => rules.innerText()).toContain('告知好友：推荐人将获得奖励');
    await expect.poll(() => rules.innerText()).toContain('不提供现金');
    await expect.poll(() => rules.innerText()).toContain('双方各得 500 积分');
    await visible(page.getByTestId('portal-my-referrals'));
    await screenshot(page, 'portal-invite');
  });

  it('a friend opens the invite link, sees who invited her, registers by SMS code, and the referrer’s 我的推荐 shows her', async () => {
    expect(code).not.toBe('');
    const context = await newPhone(browser);
    const page = await context.newPage();
    const phone = `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
    try {
      await page.goto(`${baseUrl}/m/?clinic=demo&ref=${code}`);
      const banner = await visible(page.getByTestId('portal-invite-banner'));
      await expect.poll(() => banner.innerText()).toContain(`${referrer.name.slice(0, 1)}*`);
      await expect.poll(() => banner.innerText()).toContain('邀请您加入');
      await expect.poll(() => banner.innerText()).toContain('推荐人将获得奖励');
      await visible(page.getByRole('heading', { name: '注册会员' }));
      await screenshot(page, 'portal-invite-register');

      await page.getByRole('textbox', { name: '手机号' }).fill(phone);
      await enterSmsCode(page, phone);
      await page.getByRole('button', { name: '登录 / 注册', exact: true }).click();
      // Not a member yet: the same code registers her once she gives her name.
      const name = await visible(page.getByRole('textbox', { name: '姓名' }));
      await name.fill(friendName);
      await page.getByText('我已阅读并同意', { exact: false }).click();
      await page.getByRole('button', { name: '注册并登录', exact: true }).click();
      await visible(page.getByText(`您好，${friendName}`));
      await screenshot(page, 'portal-registered-by-invite');
    } finally {
      await context.close();
    }

    // The referrer sees her new friend (masked) as registered.
    await referrerPage.reload();
    const mine = await visible(referrerPage.getByTestId('portal-my-referrals'));
    const masked = `${friendName.slice(0, 1)}${'*'.repeat([...friendName].length - 1)}`;
    const friend = mine.locator('.adm-list-item').filter({ hasText: masked }).first();
    await visible(friend);
    await expect.poll(() => friend.innerText()).toContain('已注册');
    await screenshot(referrerPage, 'portal-my-referrals');
  });

  it('the console’s 转介绍 report counts the referral and lists the referrer; the friend’s 360 names her referrer', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'owner');
      await page.getByRole('menuitem', { name: '转介绍' }).click();
      await visible(page.getByRole('heading', { name: '转介绍' }));
      const funnel = await visible(page.getByTestId('referral-funnel'));
      await expect.poll(() => funnel.innerText()).toContain('转介绍转化率');
      const table = await visible(page.getByTestId('referral-referrers'));
      const row = table.locator('tbody tr').filter({ hasText: referrer.name }).first();
      await visible(row);
      await visible(page.getByRole('link', { name: '导出奖励台账' }));
      await screenshot(page, 'console-referral-report');

      await page.getByRole('tab', { name: '奖励设置' }).click();
      await visible(page.getByTestId('referral-no-cash'));
      await expect.poll(() => page.getByTestId('referral-no-cash').innerText()).toContain('不提供任何现金');
      await screenshot(page, 'console-referral-settings');

      await page.getByRole('tab', { name: '转介绍报表' }).click();
      await row.getByRole('link', { name: referrer.name }).click();
      await page.getByRole('tab', { name: '奖励设置' }).waitFor({ state: 'detached' });
      const card = await visible(page.getByTestId('customer-referrals'));
      // Her code (the one on her poster) and its QR, shown because she already has one.
      await expect.poll(() => card.getByTestId('referral-code').innerText()).toContain(code);
      const qr = await visible(card.getByRole('img', { name: `${referrer.name} 的邀请二维码` }));
      await expect.poll(() => qr.evaluate((element) => (element as unknown as ImageLike).naturalWidth)).toBeGreaterThan(0);
      await screenshot(page, 'console-referrer-360');
      const referred = await visible(card.getByTestId('referred-list'));
      const friend = referred.locator('.ant-list-item').filter({ hasText: friendName }).first();
      await visible(friend);
      await expect.poll(() => friend.innerText()).toContain('邀请链接');
      await friend.getByRole('link', { name: friendName }).click();
      const friendCard = await visible(page.getByTestId('customer-referrals'));
      await expect.poll(() => friendCard.getByTestId('referrer-field').innerText()).toContain(referrer.name);
      await screenshot(page, 'console-customer-referrals');
    } finally {
      await page.context().close();
    }
  });
});
