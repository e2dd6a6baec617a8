import { randomInt } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, newConsolePage, newPortalPage, portalLogIn, screenshot, visible } from './browser.js';

const baseUrl = inject('baseUrl');

type Membership = { tier: { name: string } | null; next: { tier: { name: string } } | null; history: unknown[] };

/** The API with the page's own session (its cookie and the CSRF token /auth/me hands out). */
const getJson = async <T>(page: Page, urlPath: string): Promise<T> => {
  const response = await page.request.get(`${baseUrl}${urlPath}`);
  if (!response.ok()) throw new Error(`GET ${urlPath} → ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
};

/**
 * A demo customer who holds a tier below the top, with history: the replayed demo orders put her
 * there. From the oldest page of the 300 seeded customers, never one another journey just created
 * (her SMS code would be refused within a minute of theirs).
 */
const customerWithTier = async (page: Page) => {
  const customers = await getJson<{ items: { id: string; name: string; phone: string }[] }>(page, '/api/v1/customers?pageSize=100&page=3');
  for (const customer of customers.items) {
    const membership = await getJson<Membership>(page, `/api/v1/customers/${customer.id}/membership`);
    if (membership.tier && membership.next && membership.history.length > 0) return { customer, membership };
  }
  throw new Error('no demo customer with a tier among the seeded ones');
};

describe('membership tiers: the tiers page and the customer’s membership tab', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the owner creates a tier with criteria and benefits, then reads a customer’s tier, progress and history', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'owner');
      await page.getByRole('menuitem', { name: '会员等级' }).click();
      await visible(page.getByRole('heading', { name: '会员等级' }));
      // The demo tiers, lowest first.
      for (const name of ['普通会员', '银卡', '金卡', '钻石']) await visible(page.locator('tbody tr').filter({ hasText: name }).first());

      const name = `黑金${randomInt(100, 999)}`;
      await page.getByRole('button', { name: /新建等级/ }).click();
      const drawer = await visible(page.getByRole('dialog', { name: '新建会员等级' }));
      await drawer.getByLabel('等级名称').fill(name);
      await drawer.getByLabel('权益说明（客户可见）').fill('全城最有效的抗衰方案');
      await drawer.locator('#tier_growth').fill('60000');
      await drawer.getByText('不降级').click();
      await drawer.locator('#tier_pointsMultiplier').fill('2.5');
      await drawer.getByLabel('优先预约').check();
      await drawer.getByLabel('专属顾问').check();
      await drawer.getByRole('button', { name: /保\s*存/ }).click();
      // The advertising-law check names the word and keeps the drawer open.
      await visible(drawer.getByText(/禁用词：最有效/).first());
      await drawer.getByLabel('权益说明（客户可见）').fill('年度抗衰管理规划，专属顾问一对一服务。');
      await drawer.getByRole('button', { name: /保\s*存/ }).click();
      await drawer.waitFor({ state: 'hidden' });
      const row = await visible(page.getByRole('row').filter({ hasText: name }));
      expect(await row.textContent()).toContain('成长值 ≥ 60,000');
      expect(await row.textContent()).toContain('积分 ×2.5');
      expect(await row.textContent()).toContain('不降级');
      await screenshot(page, 'membership-tiers');

      const { customer, membership } = await customerWithTier(page);
      await page.goto(`${baseUrl}/customers/${customer.id}?tab=membership`);
      const tab = await visible(page.getByTestId('customer-membership'));
      await expect.poll(() => page.getByTestId('membership-tier-name').textContent()).toBe(membership.tier?.name);
      const progress = await visible(tab.getByTestId('membership-progress'));
      expect(await progress.textContent()).toContain(`距「${membership.next?.tier.name}」`);
      await visible(progress.locator('.ant-progress'));
      await visible(tab.getByRole('cell', { name: /升级|降级|手工调整/ }).first());
      await screenshot(page, 'membership-customer-tab');
    } finally {
      await page.close();
    }
  });

  it('the member sees her tier card on the portal home, with progress to the next tier and what it unlocks (375 px)', async () => {
    const staffPage = await newConsolePage(browser);
    let member: Awaited<ReturnType<typeof customerWithTier>>;
    try {
      await logIn(staffPage, baseUrl, 'owner');
      member = await customerWithTier(staffPage);
    } finally {
      await staffPage.context().close();
    }
    const page = await newPortalPage(browser);
    try {
      await portalLogIn(page, baseUrl, member.customer.phone);
      const card = await visible(page.getByTestId('portal-tier'));
      await expect.poll(() => card.innerText()).toContain(member.membership.tier?.name ?? '');
      await expect.poll(() => card.innerText()).toContain(`距「${member.membership.next?.tier.name}」`);
      await expect.poll(() => card.innerText()).toContain('升级后可享');
      await visible(card.locator('.adm-progress-bar'));
      // Nothing wider than the phone.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await screenshot(page, 'portal-tier-card');
    } finally {
      await page.context().close();
    }
  });
});
