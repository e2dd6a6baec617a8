import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { areaPaths, standalonePaths } from '../../web/console/route-paths.js';
import { launchBrowser, logIn, newConsolePage, screenshot, sessionApi, visible } from './browser.js';

const baseUrl = inject('baseUrl');
/** The console's index.html (the portal's is 悦会会员中心). */
const consoleTitle = '<title>悦会 · 员工工作台</title>';

/**
 * Every console route, by a full page load (a reload, a bookmark, a link pasted into a chat): the
 * server must answer with the console, not the member portal (once the case for /membership) nor a
 * 404, and the console must render that page. The paths come from web/console/route-paths.ts,
 * which the router reads too, so a new route is covered here without touching this file.
 */
describe('every console route survives a reload', () => {
  let browser: Browser;
  let page: Page;
  /** A real id of the demo clinic for each `:id`, by the segment before it (`/customers/:id`). */
  const demoIds = new Map<string, string>();

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newConsolePage(browser);
    await logIn(page, baseUrl, 'owner');
    const api = await sessionApi(page, baseUrl);
    const customers = await api.get<{ items: { id: string }[] }>('/api/v1/customers?pageSize=1');
    const orders = await api.get<{ items: { id: string }[] }>('/api/v1/orders?status=placed&pageSize=1');
    const customer = customers.items[0];
    const order = orders.items[0];
    if (!customer || !order) throw new Error('the demo clinic has no customer or no placed order');
    demoIds.set('customers', customer.id);
    demoIds.set('orders', order.id);
  });

  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
  });

  const urlOf = (routePath: string) =>
    routePath
      .split('/')
      .map((segment, index, segments) => {
        if (!segment.startsWith(':')) return segment;
        const id = demoIds.get(segments[index - 1] ?? '');
        if (!id) throw new Error(`no demo id for ${segment} in ${routePath}: add one to this test`);
        return id;
      })
      .join('/');

  /** A full load of the path: the server's answer must be the console's page. */
  const reload = async (routePath: string) => {
    const response = await page.goto(`${baseUrl}${urlOf(routePath)}`);
    expect(response?.status(), routePath).toBe(200);
    expect(await response?.headerValue('content-type'), routePath).toMatch(/^text\/html/);
    expect(await response?.text(), `${routePath} is not the console's page`).toContain(consoleTitle);
  };

  /** Strings load with the page's code: an i18n key (`vouchers.title`) shown instead of its text is a miss. */
  const expectNoRawKeys = async (scope: Locator, routePath: string) => {
    const rawKeys = (await scope.innerText()).match(/(?<![\w./@-])[a-z][a-zA-Z0-9]*(?:\.[a-z][a-zA-Z0-9]*)+(?![\w./@-])/g) ?? [];
    expect(rawKeys, `${routePath} shows i18n keys`).toEqual([]);
  };

  /** The layout around a page that rendered: its heading, no 403/404 result. */
  const expectAreaPage = async (routePath: string) => {
    await visible(page.getByRole('menuitem', { name: '工作台' }));
    const main = page.getByRole('main');
    await visible(main.getByRole('heading').or(main.locator('.ant-result')).first());
    const results = await main.locator('.ant-result').allTextContents();
    if (results.length > 0) await screenshot(page, `failure-reload-${routePath.replaceAll('/', '_')}`);
    expect(results, `${routePath} shows an error page`).toEqual([]);
    await expectNoRawKeys(main, routePath);
  };

  const areaRoutes = Object.values(areaPaths).flat();

  it('lists every page of every area (so a route missing from route-paths.ts is noticed)', () => {
    expect(areaRoutes).toContain('/membership');
    expect(areaRoutes).toContain('/customers/:id');
    expect(new Set(areaRoutes).size).toBe(areaRoutes.length);
  });

  it.each(areaRoutes)('%s', async (routePath) => {
    await reload(routePath);
    await expectAreaPage(routePath);
  });

  /** Outside the layout: what each shows a signed-in owner. A new one needs its check here (a type error otherwise). */
  const standaloneChecks: Record<keyof typeof standalonePaths, () => Promise<void>> = {
    // Signed in already: on to the dashboard.
    login: async () => {
      await page.waitForURL(`${baseUrl}/`);
      await visible(page.getByRole('heading', { name: /^您好/ }));
    },
    // A clinic exists: the form for adding another one.
    setup: async () => {
      await visible(page.getByRole('heading').first());
      expect(await page.locator('.ant-result').count()).toBe(0);
      await expectNoRawKeys(page.locator('body'), standalonePaths.setup);
    },
    // The print page, without the layout.
    receipt: async () => {
      await expectNoRawKeys(await visible(page.getByRole('article', { name: /^小票 / })), standalonePaths.receipt);
      expect(await page.getByRole('menuitem', { name: '工作台' }).count()).toBe(0);
    },
  };

  it.each(Object.entries(standalonePaths) as [keyof typeof standalonePaths, string][])('%s (%s)', async (key, routePath) => {
    await reload(routePath);
    await standaloneChecks[key]();
  });

  /** Fragments of the server's Chinese sentences: voucher titles and scopes, points and tier explanations, partner levels, prices. */
  const serverChinese = [
    /全场（卡项除外）/,
    /有效期至 /,
    /领取后 \d+ 天内有效/,
    /：基础 \d+/,
    /即可成为/,
    /推荐人只能/,
    /近 \d+ 个月成长值 [\d,]+ [≥<]/,
    / 原价 ¥/,
    /[，：]应付 ¥/,
  ];

  it.each(['zh-CN', 'en'])('shows every area within 1280 px in %s (screenshots of each kept)', async (language) => {
    const wide = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } });
    wide.setDefaultTimeout(30_000);
    await wide.addInitScript(`window.localStorage.setItem('yuehui.console.language', '${language}')`);
    const view = await wide.newPage();
    try {
      // The page's own request context shares the browser's cookies: signed in as the owner.
      const login = await view.request.post(`${baseUrl}/api/v1/auth/login`, { data: { tenantCode: 'demo', username: 'owner', password: 'demo123456' } });
      expect(login.ok()).toBe(true);
      const overflowing: string[] = [];
      for (const routePath of areaRoutes) {
        await view.goto(`${baseUrl}${urlOf(routePath)}`);
        const main = view.getByRole('main');
        await visible(main.getByRole('heading').first());
        // English prose has dotted abbreviations (e.g.); raw keys are looked for in Chinese only.
        if (language === 'zh-CN') await expectNoRawKeys(main, routePath);
        // Sentences and titles the server composes in Chinese read in English (clinic data such as names stays as typed).
        if (language === 'en') {
          await view.waitForLoadState('networkidle');
          const mainText = await main.innerText();
          expect(
            serverChinese.filter((pattern) => pattern.test(mainText)),
            routePath,
          ).toEqual([]);
        }
        const width = Number(await view.evaluate('document.documentElement.scrollWidth'));
        if (width > 1280) overflowing.push(`${routePath}: ${width}px`);
        await screenshot(view, `areas-${language}${routePath.replaceAll('/', '_').replaceAll(':', '')}`, { fullPage: false });
      }
      expect(overflowing, 'pages wider than 1280 px').toEqual([]);
    } finally {
      await wide.close();
    }
  });

  it('answers an unknown path inside the console with the console’s own 404 page', async () => {
    await reload('/no-such-page');
    await visible(page.getByRole('main').locator('.ant-result-404'));
  });
});
