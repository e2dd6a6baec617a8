import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, newConsolePage, screenshot, sessionApi, visible, watchCspViolations } from './browser.js';

const baseUrl = inject('baseUrl');

/** The console, the portal and the API reference load and work under the Content-Security-Policy without a single violation. */
describe('Content-Security-Policy in the browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a policy violation is seen by the watcher (so a clean run means something)', async () => {
    const page = await newConsolePage(browser);
    try {
      const violations = await watchCspViolations(page);
      await page.goto(`${baseUrl}/api/health`);
      // An inline script is what the policy refuses: the watcher must report it.
      await page.evaluate("const script = document.createElement('script'); script.textContent = 'window.__inlineRan = true'; document.body.append(script);");
      await expect.poll(() => violations().length).toBeGreaterThan(0);
      expect(await page.evaluate('window.__inlineRan')).toBeUndefined();
    } finally {
      await page.context().close();
    }
  });

  it('the console logs in and opens its main pages without a violation', async () => {
    const page = await newConsolePage(browser);
    try {
      const violations = await watchCspViolations(page);
      await logIn(page, baseUrl, 'owner');
      const api = await sessionApi(page, baseUrl);
      const customers = await api.get<{ items: { id: string; name: string }[] }>('/api/v1/customers?pageSize=1');
      const customer = customers.items[0];
      if (!customer) throw new Error('the demo clinic has no customers');
      await page.getByRole('menuitem', { name: '客户' }).click();
      await visible(page.getByRole('table'));
      await page.goto(`${baseUrl}/customers/${customer.id}`);
      await visible(page.getByText(customer.name).first());
      for (const tab of ['积分', '会员等级']) {
        const tabButton = page.getByRole('tab', { name: tab });
        if ((await tabButton.count()) > 0) {
          await tabButton.click();
          await visible(page.getByRole('tab', { name: tab, selected: true }));
        }
      }
      // Charts (recharts), the keyboard checkout, posters and settings forms each bring their own styles.
      for (const pagePath of ['/checkout', '/vouchers/stats', '/referrals', '/membership', '/cards', '/settings']) {
        await page.goto(`${baseUrl}${pagePath}`);
        await page.waitForLoadState('networkidle');
        await screenshot(page, `csp${pagePath.replaceAll('/', '-')}`);
        expect(await page.locator('#root').innerText(), pagePath).not.toBe('');
      }
      expect(violations()).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('the member portal loads without a violation', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    try {
      const violations = await watchCspViolations(page);
      await page.goto(`${baseUrl}/m/?clinic=demo`);
      await visible(page.getByText('会员登录'));
      await page.waitForLoadState('networkidle');
      expect(violations()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the API reference renders, its eval probe refused', async () => {
    const page = await newConsolePage(browser);
    try {
      const violations = await watchCspViolations(page);
      await page.goto(`${baseUrl}/api/docs/`);
      await visible(page.getByText('Yuehui (悦会) API').first());
      await page.waitForLoadState('networkidle');
      // The reference's bundled validator probes once whether it may compile code (a try around
      // `Function('')`) and works without it: that one refusal is the policy doing its job.
      // Anything else — an inline script, a style, a font, a fetch elsewhere — fails the test.
      const probe = /^script-src blocked eval at .*\/api\/docs\/js\/scalar\.js:\d+ on \/api\/docs\/$/;
      expect(violations().filter((violation) => !probe.test(violation) && !/unsafe-eval/.test(violation))).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
