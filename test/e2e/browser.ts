import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { e2eResultsDir } from './global-setup.js';

/** Debian's Chromium; never a downloaded browser. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

/** A fresh browser profile: no cookies, no stored language, so the console starts in zh-CN. */
export const newConsolePage = async (browser: Browser): Promise<Page> => {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  // Generous: CI machines are small and the first visit to each page loads its code.
  context.setDefaultTimeout(30_000);
  return context.newPage();
};

/** Saved under test-results/e2e/ (kept as a CI artifact). Full page unless a drawer or dialog is open. */
export const screenshot = (page: Page, name: string, options: { fullPage?: boolean } = {}) =>
  page.screenshot({ path: path.join(e2eResultsDir, `${name}.png`), fullPage: options.fullPage ?? true });

/** Waits until the locator is visible (Playwright's auto-wait) and returns it for further checks. */
export const visible = async (locator: Locator): Promise<Locator> => {
  await locator.waitFor({ state: 'visible' });
  return locator;
};

/** Logs in through the login page the console redirects to. */
export const logIn = async (page: Page, baseUrl: string, username: string) => {
  await page.goto(`${baseUrl}/`);
  await visible(page.getByRole('button', { name: '登录' }));
  const tenantCode = page.getByLabel('诊所代码');
  if ((await tenantCode.inputValue()) !== 'demo') await tenantCode.fill('demo');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo123456');
  await page.getByRole('button', { name: '登录' }).click();
  await visible(page.getByRole('menuitem', { name: '工作台' }));
};
