import { randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, newConsolePage, screenshot, visible } from './browser.js';

const baseUrl = inject('baseUrl');

/** A mobile number no other run has used: 139 and eight random digits. */
const uniquePhone = () => `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

describe('staff console', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('front desk creates a customer with an allergy, finds her by pinyin initials and sees the warning on her 360 page', async () => {
    const page = await newConsolePage(browser);
    const phone = uniquePhone();
    try {
      await logIn(page, baseUrl, 'frontdesk');
      await screenshot(page, '01-dashboard');

      await page.getByRole('menuitem', { name: '客户' }).click();
      await page.getByRole('button', { name: '新建客户' }).click();
      const drawer = await visible(page.getByRole('dialog', { name: '新建客户' }));
      await drawer.getByLabel('姓名').fill('张晓燕');
      await drawer.getByRole('radio', { name: '女' }).check();
      await drawer.getByLabel('手机号').fill(phone);
      // Typed key by key, as the desk types it; Enter makes the tag, which must show before saving.
      await drawer.getByLabel('过敏史').pressSequentially('青霉素');
      await drawer.getByLabel('过敏史').press('Enter');
      await visible(drawer.getByTitle('青霉素'));
      await screenshot(page, '02-new-customer', { fullPage: false });
      await drawer.getByRole('button', { name: '保存' }).click();
      await drawer.waitFor({ state: 'hidden' });

      await page.getByRole('searchbox', { name: '搜索客户' }).fill('zxy');
      await page.getByRole('searchbox', { name: '搜索客户' }).press('Enter');
      // The search is in the address once it has run (typing also searches, debounced).
      await page.waitForURL(/[?&]q=zxy/);
      const row = await visible(page.getByRole('row').filter({ hasText: phone }));
      expect(await row.textContent()).toContain('张晓燕');
      await screenshot(page, '03-search-zxy');

      await row.getByRole('link', { name: '张晓燕' }).click();
      await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
      await visible(page.getByRole('heading', { name: '张晓燕' }));
      const allergyWarning = await visible(page.getByRole('alert').filter({ hasText: '青霉素' })).catch(async (error: unknown) => {
        await screenshot(page, 'failure-customer-360');
        throw error;
      });
      expect(await allergyWarning.textContent()).toContain('过敏');
      await visible(page.getByRole('heading', { name: '张晓燕' }));
      await screenshot(page, '04-customer-360');

      await page.getByRole('button', { name: '语言' }).click();
      await page.getByRole('menuitem', { name: 'English' }).click();
      await visible(page.getByRole('menuitem', { name: 'Customers' }));
      await visible(page.getByRole('alert').filter({ hasText: 'Allergies' }));
      await screenshot(page, '05-customer-360-english');

      // From her page straight to the desk, with her already chosen: no second search.
      await page.getByRole('button', { name: 'Check out' }).click();
      await page.waitForURL(/\/checkout$/);
      // Her allergy shows at the desk only once she is the chosen member.
      await visible(page.getByRole('alert').filter({ hasText: '青霉素' }));
    } finally {
      await page.context().close();
    }
  });

  it("shows the server's answers on the fields they concern: a phone already registered, an impossible lunar date", async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'frontdesk');
      await page.getByRole('menuitem', { name: '客户' }).click();
      // Front desk sees whole numbers; take one that is certainly registered.
      const phoneCell = await visible(page.getByRole('cell', { name: /^1\d{10}$/ }).first());
      const phone = (await phoneCell.textContent()) ?? '';
      expect(phone).toMatch(/^1\d{10}$/);

      await page.getByRole('button', { name: '新建客户' }).click();
      const drawer = await visible(page.getByRole('dialog', { name: '新建客户' }));
      await drawer.getByLabel('姓名').fill('重复号码');
      await drawer.getByLabel('手机号').fill(phone);
      await drawer.getByRole('button', { name: '保存' }).click();
      // 409 CUSTOMER_PHONE_TAKEN, shown under the phone field; the message names the number (masked).
      await visible(drawer.getByText(new RegExp(`${phone.slice(-4)}.*已`)));

      await drawer.getByLabel('手机号').fill(uniquePhone());
      await drawer
        .locator('label')
        .filter({ hasText: /^农历$/ })
        .click();
      await drawer.getByLabel('农历年').fill('2023');
      await drawer.getByLabel('农历月').click();
      await page.getByTitle('3 月', { exact: true }).click();
      await drawer.getByLabel('农历日').click();
      await page.getByTitle('5 日', { exact: true }).click();
      await drawer.getByText('闰月', { exact: true }).click();
      await drawer.getByRole('button', { name: '保存' }).click();
      // 400 with details [{ path: 'body.birthday' }]: 2023 has no leap 3rd month.
      await visible(drawer.getByText(/闰\s*3\s*月/));
      await screenshot(page, '06-server-field-errors', { fullPage: false });
    } finally {
      await page.context().close();
    }
  });

  it('the owner sees when the last backup snapshot was taken on the dashboard', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'owner');
      // The server snapshots the embedded database when it starts.
      // The line shows an ellipsis until the status answers: wait for its words.
      const line = await visible(page.getByTestId('backup-status').filter({ hasText: '数据备份' }));
      expect(await line.textContent()).toMatch(/数据备份：最近一次快照 \d{4}-\d{2}-\d{2} \d{2}:\d{2}，保留最近 \d+ 份/);
    } finally {
      await page.context().close();
    }
  });

  it("the front desk's home is today: each figure opens the list it counts", async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'frontdesk');
      const panel = await visible(page.getByTestId('today-panel'));
      await visible(panel.getByText(/^今日 \d{4}-\d{2}-\d{2}$/));
      const birthdays = await visible(page.getByTestId('today-birthdays'));
      await visible(birthdays.locator('.ant-statistic-content-value'));
      const count = Number((await birthdays.locator('.ant-statistic-content-value').textContent())?.trim());
      expect(Number.isInteger(count)).toBe(true);
      await screenshot(page, 'today-home');
      await birthdays.click();
      await page.waitForURL(/\/customers\?upcoming=birthday/);
      // The list opened with its filter shown, and its total is the figure.
      await visible(page.getByRole('combobox', { name: '近期关怀' }));
      await visible(page.getByText('7 天内生日'));
      if (count > 0) await visible(page.getByText(`共 ${count} 位客户`));
      else await visible(page.locator('.ant-table-placeholder'));
    } finally {
      await page.context().close();
    }
  });

  it('marketing sees phone numbers masked', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'marketing');
      // The backup line is the owner's: the dashboard shows it to no one else.
      await visible(page.getByRole('heading', { name: /您好/ }));
      expect(await page.getByTestId('backup-status').count()).toBe(0);
      await page.getByRole('menuitem', { name: '客户' }).click();
      const maskedPhone = await visible(page.getByRole('cell', { name: /^1\d{2}\*{4}\d{4}$/ }).first());
      expect(await maskedPhone.textContent()).toMatch(/1\d{2}\*{4}\d{4}/);
      // Marketing may read customers but not create them.
      expect(await page.getByRole('button', { name: '新建客户' }).count()).toBe(0);
      await screenshot(page, '07-marketing-masked-phones');
    } finally {
      await page.context().close();
    }
  });
});

describe('member portal', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("serves the member portal's login page on a phone-sized screen", async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/m/`);
      await visible(page.getByText('悦会会员中心'));
      await visible(page.getByText('手机号 + 短信验证码登录'));
      await screenshot(page, '08-portal');
    } finally {
      await context.close();
    }
  });
});
