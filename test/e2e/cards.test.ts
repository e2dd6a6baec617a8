import { randomInt } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, newConsolePage, screenshot, visible } from './browser.js';

const baseUrl = inject('baseUrl');

/** The API with the page's own session, for setting up customers the journey then serves. */
const sessionApi = async (page: Page) => {
  const me = (await (await page.request.get(`${baseUrl}/api/v1/auth/me`)).json()) as { csrfToken: string };
  return {
    get: async <T>(urlPath: string) => (await (await page.request.get(`${baseUrl}${urlPath}`)).json()) as T,
    post: async <T>(urlPath: string, body: Record<string, unknown>) => {
      const response = await page.request.post(`${baseUrl}${urlPath}`, { headers: { 'X-CSRF-Token': me.csrfToken }, data: body });
      if (!response.ok()) throw new Error(`POST ${urlPath} → ${response.status()}: ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
};

const phone = () => `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

/** Clicks an option of the open antd Select dropdown. */
const pickOption = async (page: Page, text: string | RegExp) =>
  (await visible(page.locator('.ant-select-item-option').filter({ hasText: text, visible: true }).first())).click();

describe('cards: a family card with two members and a stored-value top-up', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the front desk sells the ¥199 family card, adds two family members, tops up ¥2,980 and sees principal and bonus', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'frontdesk');
      const api = await sessionApi(page);
      const tag = String(randomInt(1000, 9999));
      const create = (name: string) => api.post<{ id: string; name: string }>('/api/v1/customers', { name, gender: 'female', phone: phone() });
      const holder = await create(`卡主${tag}`);
      const daughter = await create(`女儿${tag}`);
      const husband = await create(`丈夫${tag}`);

      await page.goto(`${baseUrl}/customers/${holder.id}?tab=cards`);
      await visible(page.getByRole('tab', { name: '储值/卡', selected: true }));
      await visible(page.getByText('还没有会员卡'));

      // 售卡: the demo's ¥199 family dental card, paid by WeChat.
      await page.getByRole('button', { name: '售卡' }).click();
      const sell = await visible(page.getByRole('dialog', { name: '售出会员卡' }));
      await sell.getByLabel('会员卡').click();
      await pickOption(page, /家庭口腔会员卡/);
      await screenshot(page, 'cards-sell-dialog', { fullPage: false });
      await sell.getByRole('button', { name: '售卡' }).click();
      await visible(page.getByText('已售出「家庭口腔会员卡」'));
      await sell.waitFor({ state: 'hidden' });
      await visible(page.getByText('家庭成员 1/8'));

      // Two family members, found by the one-box search.
      for (const [member, relation] of [
        [daughter, '女儿'],
        [husband, '配偶'],
      ] as const) {
        const search = page.getByLabel('卡项成员', { exact: true });
        await search.click();
        await search.fill(member.name);
        await pickOption(page, member.name);
        await page.getByLabel('成员关系', { exact: true }).fill(relation);
        await page.getByRole('button', { name: /^添\s*加$/ }).click();
        await visible(page.getByText(`${member.name}（${relation}）`));
      }
      await visible(page.getByText('家庭成员 3/8'));
      await screenshot(page, 'cards-family-members');

      // The daughter sees the family card as hers to use.
      const benefits = await api.get<{ items: { isOwner: boolean; isValid: boolean; ownerId: string }[] }>(`/api/v1/customers/${daughter.id}/card-benefits`);
      expect(benefits.items).toEqual([expect.objectContaining({ isOwner: false, isValid: true, ownerId: holder.id })]);

      // 充值 ¥2,980 with ¥300 bonus.
      await page.getByRole('button', { name: '充值' }).first().click();
      const topUp = await visible(page.getByRole('dialog', { name: '储值充值' }));
      await topUp.getByLabel('充值方案').click();
      await pickOption(page, /2,980/);
      await topUp.getByRole('button', { name: '充值' }).click();
      await visible(page.getByText('充值成功，余额 ¥3,280.00'));
      await topUp.waitFor({ state: 'hidden' });
      await visible(page.getByText('¥2,980.00').first());
      await visible(page.getByText('¥300.00').first());
      await visible(page.getByRole('table', { name: '储值流水' }).getByText('充值'));
      await screenshot(page, 'cards-stored-value');
      const overview = await api.get<{ principalFen: number; bonusFen: number }>(`/api/v1/customers/${holder.id}/stored-value`);
      expect([overview.principalFen, overview.bonusFen]).toEqual([298_000, 30_000]);
    } finally {
      await page.context().close();
    }
  });

  it('the manager sees the card products and the stored-value settings', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'manager');
      await page.getByRole('menuitem', { name: '卡项' }).click();
      await visible(page.getByRole('heading', { name: '卡项' }));
      await visible(page.getByRole('cell', { name: '家庭口腔会员卡' }));
      await visible(page.getByText('储值设置'));
      await screenshot(page, 'cards-products');
    } finally {
      await page.context().close();
    }
  });
});
