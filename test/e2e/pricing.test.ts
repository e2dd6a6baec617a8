import { randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buttonByText, dropdownsClosed, launchBrowser, logIn, newConsolePage, pickOption, screenshot, sessionApi, visible } from './browser.js';

const baseUrl = inject('baseUrl');

/** The API with the page's own session, for the setup other journeys already cover through the UI. */

const phone = () => `136${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

/** Waits until no Select dropdown is showing (closing ones animate out while still matching). */
describe('pricing: the family card’s ¥160 filling for a dependant, explained at the desk', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the owner sets up the ¥199 card with a ¥200 filling voucher and 8折; the desk sells it, adds two members and checks out a daughter’s filling at ¥160', async () => {
    const tag = String(randomInt(1000, 9999));
    const cardName = `家庭补牙卡${tag}`;
    const owner = await newConsolePage(browser);
    const desk = await newConsolePage(browser);
    let page = owner;
    try {
      // Setup through the API (the catalogue screen has its own journey): category 补牙 and a ¥400 filling in it.
      await logIn(owner, baseUrl, 'owner');
      const ownerApi = await sessionApi(owner, baseUrl);
      const category = await ownerApi.post<{ id: string }>('/api/v1/item-categories', { name: `补牙${tag}` });
      const shortCode = `SZBY${tag}`;
      await ownerApi.post('/api/v1/items', { kind: 'service', name: '树脂补牙', categoryId: category.id, priceFen: 40_000, shortCode });

      // 卡项: the ¥199 family card, 8折 on 补牙, and a ¥200 card voucher limited to 补牙.
      await owner.getByRole('menuitem', { name: '卡项' }).click();
      await owner.getByRole('button', { name: '新建卡项' }).click();
      const form = await visible(owner.getByRole('dialog', { name: '新建卡项' }));
      await form.getByLabel('名称', { exact: true }).fill(cardName);
      await form.getByLabel('价格（元）').fill('199');
      await form.getByLabel('折扣品类').click();
      await pickOption(owner, `补牙${tag}`);
      await dropdownsClosed(owner);
      await form.getByLabel(/^折扣（几折/).fill('8');
      await form.getByRole('button', { name: '添加卡内券' }).click();
      await form.getByLabel('卡内券 1 名称').fill('补牙代金券');
      await form.getByLabel('卡内券 1 面值').fill('200');
      await form.getByLabel('卡内券 1 适用品类').click();
      await pickOption(owner, `补牙${tag}`);
      // Close the category list so the screenshot shows the voucher row.
      await form.getByLabel('卡内券 1 名称').click();
      await dropdownsClosed(owner);
      await screenshot(owner, 'pricing-01-card-product', { fullPage: false });
      await form.getByRole('button', { name: /确\s*定|OK/ }).click();
      await visible(owner.getByText('已创建卡项'));
      await form.waitFor({ state: 'hidden' });
      const row = await visible(owner.getByRole('row').filter({ hasText: cardName }));
      await expect.poll(() => row.textContent()).toContain(`补牙代金券 ¥200.00 × 1 限补牙${tag}`);
      const products = await ownerApi.get<{ items: { name: string; bundledVouchers: unknown[]; discountRules: unknown[] }[] }>('/api/v1/card-products');
      expect(products.items.find((product) => product.name === cardName)).toMatchObject({
        discountRules: [{ categoryId: category.id, discountBasisPoints: 2_000 }],
        bundledVouchers: [{ name: '补牙代金券', faceValueFen: 20_000, quantity: 1, categoryIds: [category.id] }],
      });

      // 开单定价 settings: the default order of offers, explained on the ¥400 filling.
      await owner.goto(`${baseUrl}/settings?tab=pricing`);
      await visible(owner.getByText('先减券后打折：(400 − 200) × 0.8 = 160'));
      expect(await owner.getByRole('radio', { name: /先减券，后打折/ }).isChecked()).toBe(true);
      await screenshot(owner, 'pricing-02-settings');

      // The front desk: the owner buys the card, her daughter and husband join it.
      page = desk;
      await logIn(desk, baseUrl, 'frontdesk');
      const deskApi = await sessionApi(desk, baseUrl);
      const create = (name: string) =>
        deskApi.post<{ id: string; name: string; phone: string }>('/api/v1/customers', { name, gender: 'female', phone: phone() });
      const holder = await create(`卡主${tag}`);
      const daughter = await create(`女儿${tag}`);
      const husband = await create(`丈夫${tag}`);

      await desk.goto(`${baseUrl}/customers/${holder.id}?tab=cards`);
      await visible(desk.getByRole('tab', { name: '储值/卡', selected: true }));
      await desk.getByRole('button', { name: '售卡' }).click();
      const sell = await visible(desk.getByRole('dialog', { name: '售出会员卡' }));
      await sell.getByLabel('会员卡').click();
      await pickOption(desk, cardName);
      await sell.getByRole('button', { name: '售卡' }).click();
      await visible(desk.getByText(`已售出「${cardName}」`));
      await sell.waitFor({ state: 'hidden' });
      for (const [member, relation] of [
        [daughter, '女儿'],
        [husband, '配偶'],
      ] as const) {
        const search = desk.getByLabel('卡项成员', { exact: true });
        await search.click();
        await search.fill(member.name);
        await pickOption(desk, member.name);
        await desk.getByLabel('成员关系', { exact: true }).fill(relation);
        // The member search's dropdown must be gone before the button next to it is clicked.
        await dropdownsClosed(desk);
        await buttonByText(desk, '添加').click();
        await visible(desk.getByText(`${member.name}（${relation}）`));
      }
      await visible(desk.getByText('家庭成员 3/8'));

      // 收银 for the daughter: her phone tail, the filling by its short code.
      await desk.getByRole('menuitem', { name: '收银' }).click();
      const memberBox = await visible(desk.getByRole('combobox', { name: '会员' }));
      await memberBox.click();
      await desk.keyboard.type(daughter.phone.slice(-6));
      await pickOption(desk, daughter.name);
      const itemBox = desk.getByRole('combobox', { name: '品项' });
      await expect.poll(() => itemBox.isEnabled()).toBe(true);
      await itemBox.click();
      await desk.keyboard.type(shortCode);
      await pickOption(desk, '树脂补牙');
      await visible(desk.getByRole('row').filter({ hasText: '树脂补牙' }));

      // The explanation: ¥400.00 → −¥200.00 (the card voucher) → 8 折 → ¥160.00, and the order total the desk charges.
      const panel = desk.getByRole('region', { name: '价格说明' });
      const steps = panel.getByRole('list', { name: '价格步骤' });
      await expect.poll(async () => (await steps.getByRole('listitem').allTextContents()).join(' | '), { timeout: 15_000 }).toMatch(/原价.*¥400\.00/);
      const stepTexts = await steps.getByRole('listitem').allTextContents();
      expect(stepTexts).toHaveLength(4);
      expect(stepTexts[0]).toContain('¥400.00');
      expect(stepTexts[1]).toMatch(/代金券.*补牙代金券.*−¥200\.00/);
      expect(stepTexts[2]).toMatch(/卡折扣.*8 折.*−¥40\.00/);
      expect(stepTexts[3]).toMatch(/应付.*¥160\.00/);
      await visible(panel.getByText(`树脂补牙 原价 ¥400.00，减${cardName}·补牙代金券 ¥200.00，再享${cardName} 8 折，应付 ¥160.00`));
      expect(await panel.getByTestId('quote-order-total').textContent()).toContain('¥160.00');
      await visible(panel.getByText('家庭共享').first());
      await screenshot(desk, 'pricing-03-explanation');

      // Pay what the desk shows ("=" fills it) and check out.
      await desk.keyboard.press('F4');
      await desk.keyboard.press('=');
      await expect.poll(() => desk.getByRole('textbox', { name: '收款金额 1' }).inputValue()).toBe('160.00');
      await desk.keyboard.press('Enter');
      const result = await visible(desk.getByRole('dialog', { name: '收银成功' }));
      expect(await result.getByRole('row', { name: /应收/ }).textContent()).toContain('¥160.00');
      expect(await result.getByRole('row', { name: /欠费/ }).textContent()).toContain('¥0.00');
      await screenshot(desk, 'pricing-04-checked-out', { fullPage: false });

      // The order keeps the price; the daughter's voucher is now used, so a second filling costs 400 × 0.8 = ¥320.
      const orders = await deskApi.get<{ items: { totalFen: number; customerId: string }[] }>(`/api/v1/orders?customerId=${daughter.id}`);
      expect(orders.items.map((order) => order.totalFen)).toEqual([16_000]);
      await result.getByRole('button', { name: '继续收银（下一位）' }).click();
      await result.waitFor({ state: 'hidden' });
      await memberBox.click();
      await desk.keyboard.type(daughter.phone.slice(-6));
      await pickOption(desk, daughter.name);
      await expect.poll(() => itemBox.isEnabled()).toBe(true);
      await itemBox.click();
      await desk.keyboard.type(shortCode);
      await pickOption(desk, '树脂补牙');
      await expect
        .poll(
          async () =>
            panel
              .getByTestId('quote-order-total')
              .textContent()
              .catch(() => ''),
          { timeout: 15_000 },
        )
        .toContain('¥320.00');
      await visible(panel.getByText(`树脂补牙 原价 ¥400.00，享${cardName} 8 折，应付 ¥320.00`));
    } catch (error) {
      await screenshot(page, 'pricing-failure').catch(() => undefined);
      throw error;
    } finally {
      await owner.context().close();
      await desk.context().close();
    }
  });
});
