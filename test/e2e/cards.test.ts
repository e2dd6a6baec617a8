import { randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buttonByText, dropdownsClosed, launchBrowser, logIn, newConsolePage, pickOption, screenshot, sessionApi, visible } from './browser.js';

const baseUrl = inject('baseUrl');

/** The API with the page's own session, for setting up customers the journey then serves. */

const phone = () => `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

describe('cards: a family card with two members and a stored-value top-up', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the front desk sells the ¥199 family card, adds two family members, tops up ¥2,980 and sees principal and bonus; the manager refunds the top-up', async () => {
    const page = await newConsolePage(browser);
    const managerPage = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'frontdesk');
      const api = await sessionApi(page, baseUrl);
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
        // The member search's dropdown must be gone before the button next to it is clicked.
        await dropdownsClosed(page);
        await buttonByText(page, '添加').click();
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
      // Refunds need orders.refund, which the front desk does not hold.
      expect(await page.getByRole('button', { name: /^退款：/ }).count()).toBe(0);

      // 储值退款 by the manager: the principal goes back the way it came, the bonus is void.
      await logIn(managerPage, baseUrl, 'manager');
      await managerPage.goto(`${baseUrl}/customers/${holder.id}?tab=cards`);
      await (await visible(managerPage.getByRole('button', { name: /^退款：.* 充值 ¥2,980\.00$/ }))).click();
      const refund = await visible(managerPage.getByRole('dialog', { name: '储值退款' }));
      await visible(refund.getByText('赠送金额不退').first());
      await expect.poll(() => refund.getByRole('row').filter({ hasText: '退还本金' }).textContent()).toContain('¥2,980.00');
      await expect.poll(() => refund.getByRole('row').filter({ hasText: '作废赠送' }).textContent()).toContain('¥300.00');
      await visible(refund.getByText('微信支付（原路退回）'));
      await refund.getByLabel('退款原因').click();
      await pickOption(managerPage, '客户要求');
      await screenshot(managerPage, 'cards-stored-value-refund', { fullPage: false });
      await refund.getByRole('button', { name: '确认退款' }).click();
      await visible(managerPage.getByText('已退款 ¥2,980.00，余额 ¥0.00'));
      await refund.waitFor({ state: 'hidden' });
      await visible(managerPage.getByText(/已退款$/).first());
      await expect.poll(() => managerPage.locator('.ant-statistic').filter({ hasText: '余额' }).textContent()).toContain('¥0.00');
      await visible(managerPage.getByRole('table', { name: '储值流水' }).getByRole('cell', { name: '退款', exact: true }));
      expect(await managerPage.getByRole('button', { name: /^退款：/ }).count()).toBe(0);
      const after = await api.get<{ principalFen: number; bonusFen: number; balanceFen: number }>(`/api/v1/customers/${holder.id}/stored-value`);
      expect([after.principalFen, after.bonusFen, after.balanceFen]).toEqual([0, 0, 0]);
    } finally {
      await page.context().close();
      await managerPage.context().close();
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

      // 编辑: the create form, filled in from the product; the kind cannot change.
      const tag = String(randomInt(1000, 9999));
      const api = await sessionApi(page, baseUrl);
      const product = await api.post<{ name: string }>('/api/v1/card-products', {
        kind: 'stored_value',
        name: `储值卡${tag}`,
        priceFen: 100_000,
        bonusFen: 5_000,
      });
      await page.reload();
      await page
        .getByRole('row')
        .filter({ hasText: product.name })
        .getByRole('button', { name: /^编\s*辑$/ })
        .click();
      const form = await visible(page.getByRole('dialog', { name: `编辑卡项「${product.name}」` }));
      expect(await form.getByLabel('名称', { exact: true }).inputValue()).toBe(product.name);
      expect(await form.getByLabel('充值金额（元）').inputValue()).toBe('1000.00');
      expect(await form.getByLabel('赠送金额（元）').inputValue()).toBe('50.00');
      await visible(form.getByText('类型与关联的疗程创建后不能修改。'));
      await form.getByLabel('名称', { exact: true }).fill(`储值卡${tag}（新）`);
      await form.getByRole('button', { name: /^保\s*存$/ }).click();
      await visible(page.getByText('已保存卡项'));
      await form.waitFor({ state: 'hidden' });
      const row = await visible(page.getByRole('row').filter({ hasText: `储值卡${tag}（新）` }));
      await expect.poll(() => row.textContent()).toContain('¥1,000.00');
      await expect.poll(() => row.textContent()).toContain('赠送 ¥50.00');
    } finally {
      await page.context().close();
    }
  });
});
