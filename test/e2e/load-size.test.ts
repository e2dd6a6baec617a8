import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, newConsolePage, visible } from './browser.js';

const baseUrl = inject('baseUrl');
/** The first load's budget: the login page, then the layout and the dashboard, as sent (compressed). */
const firstLoadBudget = 300 * 1024;

type Script = { url: string; path: string; bytes: number; encoding: string | null; cacheControl: string | null };

/** Every JavaScript file the page fetches, with the bytes that came over the wire (the encoded body). */
const watchScripts = (page: Page) => {
  const pending: Promise<Script>[] = [];
  page.on('requestfinished', (request: Request) => {
    if (request.resourceType() !== 'script') return;
    pending.push(
      (async () => {
        const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
        return {
          url: request.url(),
          path: new URL(request.url()).pathname,
          bytes: sizes.responseBodySize,
          encoding: (await response?.headerValue('content-encoding')) ?? null,
          cacheControl: (await response?.headerValue('cache-control')) ?? null,
        };
      })(),
    );
  });
  return () => Promise.all(pending);
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const total = (scripts: Script[]) => scripts.reduce((sum, script) => sum + script.bytes, 0);

describe('the console loads fast', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('sends the login page, the layout and the dashboard in at most 300 KB of compressed JavaScript, and each area’s code when it opens', async () => {
    const page = await newConsolePage(browser);
    try {
      const scripts = watchScripts(page);
      await page.goto(`${baseUrl}/login`);
      await visible(page.getByRole('button', { name: '登录' }));
      const login = await scripts();

      const tenantCode = page.getByLabel('诊所代码');
      if ((await tenantCode.inputValue()) !== 'demo') await tenantCode.fill('demo');
      await page.getByLabel('用户名').fill('owner');
      await page.getByLabel('密码').fill('demo123456');
      await page.getByRole('button', { name: '登录' }).click();
      await visible(page.getByRole('heading', { name: /^您好/ }));
      await visible(page.getByTestId('today-panel'));
      const firstLoad = await scripts();

      console.log(
        `console first load: login ${kb(total(login))} in ${login.length} files; with the dashboard ${kb(total(firstLoad))} in ${firstLoad.length} files`,
      );
      expect(firstLoad.length).toBeGreaterThan(1);
      for (const script of firstLoad) {
        expect(script.path, script.url).toMatch(/^\/assets\/[\w.-]+-[\w-]{8}\.js$/);
        // Compressed on the wire; the very smallest files are sent as they are.
        if (script.bytes >= 1024) expect(script.encoding, script.path).toMatch(/^(br|gzip)$/);
        expect(script.cacheControl, script.path).toBe('public, max-age=31536000, immutable');
      }
      expect(total(firstLoad)).toBeLessThanOrEqual(firstLoadBudget);
      // Browsers send brotli only to secure or local origins: a clinic's LAN over plain HTTP gets the gzip copies.
      const gzipBytes = await Promise.all(
        firstLoad.map(async (script) => {
          const response = await fetch(script.url, { headers: { 'accept-encoding': 'gzip' } });
          await response.arrayBuffer();
          return Number(response.headers.get('content-length'));
        }),
      );
      const gzipTotal = gzipBytes.reduce((sum, bytes) => sum + bytes, 0);
      console.log(`console first load sent gzip: ${kb(gzipTotal)}`);
      expect(gzipTotal).toBeGreaterThan(total(firstLoad) * 0.9);
      expect(gzipTotal).toBeLessThanOrEqual(firstLoadBudget);

      // No area but the dashboard has been fetched; opening one fetches its code then.
      const loadedPaths = () => scripts().then((all) => all.map((script) => script.path));
      for (const area of ['customers-page', 'voucher-stats-page', 'settings-page', 'checkout-page']) {
        expect((await loadedPaths()).filter((path) => path.includes(`/${area}-`))).toEqual([]);
      }
      await page.getByRole('menuitem', { name: '客户' }).click();
      await visible(page.getByRole('heading', { name: '客户' }));
      expect((await loadedPaths()).filter((path) => path.includes('/customers-page-'))).toHaveLength(1);
      // The voucher statistics (charts) come only with their page.
      expect((await loadedPaths()).filter((path) => path.includes('/voucher-stats-page-'))).toEqual([]);
      await page.goto(`${baseUrl}/vouchers/stats`);
      await visible(page.getByRole('main').getByRole('heading').first());
      expect((await loadedPaths()).filter((path) => path.includes('/voucher-stats-page-'))).toHaveLength(1);
    } finally {
      await page.context().close();
    }
  });

  it('offers a reload, not a blank screen, when a page’s code cannot be fetched (the network, or an update since the page loaded)', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'owner');
      const chunk = /\/assets\/catalog-page-[\w-]+\.js$/;
      await page.route(chunk, (route) => route.abort('connectionfailed'));
      await page.getByRole('menuitem', { name: '品项' }).click();
      const failed = await visible(page.getByRole('main').getByRole('alert').filter({ hasText: '这个页面没能打开' }));
      // The layout stays: another area still opens.
      await visible(page.getByRole('menuitem', { name: '客户' }));
      await page.unroute(chunk);
      await failed.getByRole('button', { name: '刷新' }).click();
      await visible(page.getByRole('main').getByRole('heading', { name: '品项' }));
    } finally {
      await page.context().close();
    }
  });

  it('sends a hashed asset compressed as the client accepts it, cached for a year; index.html revalidated', async () => {
    const html = await (await fetch(`${baseUrl}/`)).text();
    const entry = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry, html).toBeDefined();
    const texts = new Set<string>();
    for (const [accept, encoding] of [
      ['br, gzip', 'br'],
      ['gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      const response = await fetch(`${baseUrl}${entry}`, { headers: { 'accept-encoding': accept } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-encoding'), accept).toBe(encoding);
      expect(response.headers.get('vary'), accept).toMatch(/accept-encoding/i);
      expect(response.headers.get('cache-control'), accept).toBe('public, max-age=31536000, immutable');
      // fetch decodes what it is sent: every encoding is the same file.
      texts.add(await response.text());
    }
    expect(texts.size).toBe(1);
    const page = await fetch(`${baseUrl}/customers`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(page.headers.get('cache-control')).toBe('no-cache');
  });
});
