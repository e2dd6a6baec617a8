import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
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

/** A phone-sized profile for the member portal (375 × 812, touch), zh-CN in Shanghai. */
export const newPortalPage = async (browser: Browser): Promise<Page> => {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
  });
  context.setDefaultTimeout(15_000);
  return context.newPage();
};

/** Logs a member in to the demo clinic's portal with the SMS code the server printed. */
export const portalLogIn = async (page: Page, baseUrl: string, phone: string) => {
  await page.goto(`${baseUrl}/m/?clinic=demo`);
  await page.getByRole('textbox', { name: '手机号' }).fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  let code: string | undefined;
  await expect.poll(async () => (code = await smsCodeFor(phone)), { timeout: 10_000 }).toMatch(/^\d{6}$/);
  await page.getByRole('textbox', { name: '验证码' }).fill(code ?? '');
  await page.getByRole('button', { name: '登录' }).click();
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

type Json = Record<string, unknown>;

/** The API with the page's own session (its cookie and CSRF token), for setting up what a journey then serves. */
export const sessionApi = async (page: Page, baseUrl: string) => {
  const me = (await (await page.request.get(`${baseUrl}/api/v1/auth/me`)).json()) as {
    csrfToken: string;
    user: { id: string };
    stores: { id: string; name: string }[];
  };
  const call = async <T>(method: 'GET' | 'POST' | 'PUT', urlPath: string, body?: Json): Promise<T> => {
    const response = await page.request.fetch(`${baseUrl}${urlPath}`, {
      method,
      headers: { 'X-CSRF-Token': me.csrfToken, 'Idempotency-Key': `e2e-${randomInt(0, 2 ** 47)}` },
      ...(body ? { data: body } : {}),
    });
    const text = await response.text();
    if (!response.ok()) throw new Error(`${method} ${urlPath} → ${response.status()}: ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    me,
    get: <T>(urlPath: string) => call<T>('GET', urlPath),
    post: <T>(urlPath: string, body: Json) => call<T>('POST', urlPath, body),
    put: <T>(urlPath: string, body: Json) => call<T>('PUT', urlPath, body),
  };
};

/** Clicks an option of the open antd Select dropdown (not a chosen value elsewhere that shows the same text). */
/** The owner's API session for a journey's setup, logged in through the API in a context of its own. */
export const ownerSession = async (browser: Browser, baseUrl: string) => {
  const context = await browser.newContext();
  const login = await context.request.post(`${baseUrl}/api/v1/auth/login`, { data: { tenantCode: 'demo', username: 'owner', password: 'demo123456' } });
  if (!login.ok()) throw new Error(`owner login → ${login.status()}`);
  const page = await context.newPage();
  return { api: await sessionApi(page, baseUrl), close: () => context.close() };
};

export const pickOption = async (page: Page, text: string | RegExp) =>
  (await visible(page.locator('.ant-select-item-option').filter({ hasText: text, visible: true }).first())).click();

/** Waits until no antd Select dropdown is open (one still closing can cover the controls next to it). */
export const dropdownsClosed = async (page: Page) => {
  const open = page.locator('.ant-select-dropdown').filter({ visible: true });
  for (let tries = 0; tries < 100 && (await open.count()) > 0; tries++) await page.waitForTimeout(100);
  if ((await open.count()) > 0) throw new Error('an antd Select dropdown stayed open');
};

/** A button by its text within `scope` (antd puts a space between two CJK characters: 添 加). */
export const buttonByText = (scope: Page | Locator, text: string) =>
  scope.locator('button').filter({ hasText: new RegExp(`^\\s*${[...text].join('\\s*')}\\s*$`) });

/** The latest SMS code the server's development channel logged for a phone (the log masks it 138****5678). */
export const smsCodeFor = async (phone: string): Promise<string | undefined> => {
  const log = await readFile(path.join(e2eResultsDir, 'server.log'), 'utf8').catch(() => '');
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return log
    .split('\n')
    .filter((line) => line.includes('[短信·开发通道]') && line.includes(masked))
    .map((line) => /验证码为\s*(\d{6})/.exec(line)?.[1])
    .filter((code): code is string => code !== undefined)
    .at(-1);
};

/**
 * Records every Content-Security-Policy violation a page reports, across its navigations: the
 * `securitypolicyviolation` events and the console errors Chromium prints for blocked resources.
 */
export const watchCspViolations = async (page: Page): Promise<() => string[]> => {
  const violations: string[] = [];
  await page.exposeFunction('__yuehuiCspViolation', (text: string) => {
    violations.push(text);
  });
  // A string, not a function: this file is type-checked without the DOM library.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      window.__yuehuiCspViolation(event.effectiveDirective + ' blocked ' + (event.blockedURI || '(inline)') + ' at ' + event.sourceFile + ':' + event.lineNumber + ' on ' + location.pathname);
    });`,
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return () => [...violations];
};
