import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, newConsolePage, newPortalPage, ownerSession, portalLogIn, screenshot, sessionApi, visible } from './browser.js';

const baseUrl = inject('baseUrl');

// jsqr's types declare an ES default export, but the package is CommonJS and exports the function itself.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

/** What a QR code in a PNG screenshot says, read by jsqr (not by the page that drew it). */
const scanPng = (png: Buffer) => {
  const { data, width, height } = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height)?.data;
};

type Json = Record<string, unknown>;
type Voucher = { id: string; code: string; status: string; usedOrderId: string | null; snapshot: { title: string } };
type Template = { id: string; title: string; issuedCount: number; stockLeft: number | null };
type TemplateFigures = { name: string; issued: number; used: number; orders: number; revenueFen: number; discountFen: number };

/** 券统计 of one template over the default period (the last 30 days). */
const statsOf = async (api: Awaited<ReturnType<typeof sessionApi>>, name: string) =>
  (await api.get<{ templates: TemplateFigures[] }>('/api/v1/voucher-stats')).templates.find((template) => template.name === name);

const phone = () => `137${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

/** Clicks an option of the open antd Select dropdown. */
const pickOption = async (page: Page, text: string | RegExp) =>
  (await visible(page.locator('.ant-select-item-option').filter({ hasText: text, visible: true }).first())).click();

/** Waits until no Select dropdown is showing (closing ones animate out while still matching). */
const dropdownsClosed = (page: Page) => expect.poll(() => page.locator('.ant-select-dropdown').filter({ visible: true }).count()).toBe(0);

const voucherTemplate = (name: string, overrides: Json = {}): Json => ({
  name,
  kind: 'cash_off',
  faceValueFen: 5_000,
  thresholdFen: 0,
  scope: { itemIds: [], categoryIds: [] },
  channels: ['store'],
  validity: { kind: 'relative', days: 30 },
  totalStock: null,
  perCustomerLimit: 5,
  isStackable: true,
  ...overrides,
});

describe('vouchers: a template from the console to a customer’s wallet, used at checkout and redeemed at the desk', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('marketing creates a ¥100 voucher (the title shows value, scope and validity) and gives it to a customer; the desk uses it at checkout and the figures move', async () => {
    const tag = String(randomInt(1000, 9999));
    const itemName = `水光针${tag}`;
    const shortCode = `SGZ${tag}`;
    const voucherName = `水光代金券${tag}`;
    const title = `¥100 ${voucherName}（满¥500可用） · 限${itemName} · 领取后 30 天内有效`;
    const marketing = await newConsolePage(browser);
    const desk = await newConsolePage(browser);
    let page = marketing;
    try {
      // Setup through the API (the catalogue has its own journey): an ¥800 item and the customer.
      await logIn(desk, baseUrl, 'frontdesk');
      const deskApi = await sessionApi(desk, baseUrl);
      const owner = await ownerSession(browser, baseUrl);
      await owner.api.post('/api/v1/items', { kind: 'service', name: itemName, priceFen: 80_000, shortCode });
      const customer = await deskApi.post<{ id: string; name: string; phone: string }>('/api/v1/customers', {
        name: `券客${tag}`,
        gender: 'female',
        phone: phone(),
      });

      // 券模板: marketing fills in the form; the preview is the title customers will see.
      await logIn(marketing, baseUrl, 'marketing');
      await marketing.getByRole('menuitem', { name: '代金券' }).click();
      await visible(marketing.getByRole('heading', { name: '代金券' }));
      await visible(marketing.getByRole('tab', { name: '券模板', selected: true }));
      await marketing.getByRole('button', { name: /新建券模板/ }).click();
      const drawer = await visible(marketing.getByRole('dialog', { name: '新建券模板' }));
      const preview = drawer.getByTestId('voucher-title-preview');
      await drawer.getByLabel('券名称').fill(voucherName);
      await drawer.getByLabel('面值（元）').fill('100');
      await drawer.getByLabel(/^使用门槛/).fill('500');
      await expect.poll(() => preview.textContent()).toBe(`¥100 ${voucherName}（满¥500可用） · 全场（卡项除外） · 领取后 30 天内有效`);

      // A card is not something a voucher can pay for: the server says so on the field.
      const items = drawer.getByLabel('适用项目');
      await items.click();
      await marketing.keyboard.type('洗牙年卡');
      await pickOption(marketing, '洗牙年卡');
      await drawer.getByLabel('券名称').click();
      await dropdownsClosed(marketing);
      await drawer.getByRole('button', { name: /保\s*存/ }).click();
      await visible(drawer.getByText('卡项不能用券').first());

      await items.click();
      await marketing.keyboard.press('Backspace');
      await marketing.keyboard.type(shortCode);
      await pickOption(marketing, itemName);
      await drawer.getByLabel('券名称').click();
      await dropdownsClosed(marketing);
      await drawer.getByLabel(/^发放总量/).fill('50');
      await expect.poll(() => preview.textContent()).toBe(title);
      await screenshot(marketing, 'vouchers-01-template-form', { fullPage: false });
      await drawer.getByRole('button', { name: /保\s*存/ }).click();
      await visible(marketing.getByText(`已创建券模板「${voucherName}」`));
      await drawer.waitFor({ state: 'hidden' });
      const templateRow = await visible(marketing.getByRole('row').filter({ hasText: voucherName }));
      expect(await templateRow.textContent()).toContain(title);
      await expect.poll(() => templateRow.getByTestId('voucher-template-stock').textContent()).toBe('剩 50 / 共 50');
      await screenshot(marketing, 'vouchers-02-templates');

      // 编辑 opens the saved template: its item by name, the same title previewed.
      await templateRow.getByRole('button', { name: /编\s*辑/ }).click();
      const editor = await visible(marketing.getByRole('dialog', { name: `编辑券模板「${voucherName}」` }));
      await expect.poll(() => editor.getByTestId('voucher-title-preview').textContent()).toBe(title);
      await visible(editor.getByText(`${itemName}（${shortCode}`));
      await editor.getByRole('button', { name: /取\s*消/ }).click();
      await editor.waitFor({ state: 'hidden' });

      // 赠券 from her 券包 tab.
      await marketing.goto(`${baseUrl}/customers/${customer.id}?tab=vouchers`);
      await visible(marketing.getByRole('tab', { name: '券包', selected: true }));
      // She may already hold the clinic's welcome voucher (新客注册礼): count on from what is there.
      await visible(marketing.getByText(/^全部 \d+$/));
      await marketing.getByRole('button', { name: /赠\s*券/ }).click();
      const issue = await visible(marketing.getByRole('dialog', { name: `赠券给 ${customer.name}` }));
      // Searched and picked from the keyboard: a click could land while the dialog still zooms in.
      const templateBox = issue.getByLabel('券', { exact: true });
      await templateBox.click();
      await marketing.keyboard.type(voucherName);
      await visible(marketing.locator('.ant-select-item-option-active').filter({ hasText: voucherName, visible: true }));
      await marketing.keyboard.press('Enter');
      await dropdownsClosed(marketing);
      await visible(issue.getByTitle(new RegExp(`^¥100 ${voucherName}`)));
      await issue.getByRole('button', { name: /赠\s*送/ }).click();
      await visible(marketing.getByText(`已赠送 1 张「${voucherName}」`));
      await issue.waitFor({ state: 'hidden' });
      const walletRow = await visible(marketing.getByRole('row').filter({ hasText: voucherName }));
      await expect.poll(() => walletRow.textContent()).toContain('可用');
      await expect.poll(() => walletRow.textContent()).toMatch(/\d{12}/);

      // A second voucher she cannot use on this order (满 ¥1,000), to see the desk refuse it with the reason.
      const bigTemplate = await owner.api.post<Template>(
        '/api/v1/voucher-templates',
        voucherTemplate(`满千代金券${tag}`, { faceValueFen: 20_000, thresholdFen: 100_000 }),
      );
      await owner.api.post(`/api/v1/customers/${customer.id}/vouchers`, { templateId: bigTemplate.id });
      await owner.close();
      expect(await statsOf(deskApi, voucherName)).toMatchObject({ issued: 1, used: 0, orders: 0, revenueFen: 0 });

      // 收银: her phone tail, the item by its short code, then her voucher.
      page = desk;
      await desk.getByRole('menuitem', { name: '收银' }).click();
      const memberBox = await visible(desk.getByRole('combobox', { name: '会员' }));
      await memberBox.click();
      await desk.keyboard.type(customer.phone.slice(-6));
      await pickOption(desk, customer.name);
      const itemBox = desk.getByRole('combobox', { name: '品项' });
      await expect.poll(() => itemBox.isEnabled()).toBe(true);
      await itemBox.click();
      await desk.keyboard.type(shortCode);
      await pickOption(desk, itemName);
      await visible(desk.getByRole('row').filter({ hasText: itemName }));
      const panel = desk.getByRole('region', { name: '价格说明' });
      const orderTotal = panel.getByTestId('quote-order-total');
      await expect.poll(async () => orderTotal.textContent().catch(() => ''), { timeout: 15_000 }).toContain('¥800.00');

      const wallet = desk.getByRole('region', { name: '券包' });
      await visible(wallet.getByText(/^可用 \d+ 张$/));
      const choose = wallet.getByRole('checkbox', {
        name: new RegExp(`^使用「¥100 ${voucherName}（满¥500可用） · 限${itemName} · 有效期至 \\d{4}-\\d{2}-\\d{2}」$`),
      });
      // A click anywhere on the voucher's row ticks it, not only on its small box.
      await wallet.getByText(`¥100 ${voucherName}（满¥500可用） · 限${itemName}`, { exact: false }).first().click();
      await expect.poll(() => choose.isChecked()).toBe(true);
      await expect.poll(async () => orderTotal.textContent().catch(() => ''), { timeout: 15_000 }).toContain('¥700.00');
      const steps = panel.getByRole('list', { name: '价格步骤' });
      await expect
        .poll(async () => (await steps.getByRole('listitem').allTextContents()).join(' | '))
        .toMatch(new RegExp(`代金券.*${voucherName}.*−¥100\\.00`));
      await visible(wallet.getByText('抵扣 ¥100.00'));

      // The ¥1,000-threshold voucher does not apply: its reason shows, and the desk will not charge with it chosen.
      await wallet.getByRole('checkbox', { name: new RegExp(`满千代金券${tag}`) }).check();
      await visible(wallet.getByRole('alert').filter({ hasText: `「满千代金券${tag}」需适用品项满 ¥1,000.00 才能使用` }));
      await desk.getByRole('button', { name: /^收\s*银$/ }).click();
      await visible(desk.getByRole('alert').filter({ hasText: `所选的券「满千代金券${tag}」不能用于本单` }));
      await wallet.getByRole('checkbox', { name: new RegExp(`满千代金券${tag}`) }).uncheck();
      // The explanation for just her ¥100 voucher: no refusal left, and the desk's total settled.
      await expect.poll(() => panel.getByText(`「满千代金券${tag}」需适用品项满`).count(), { timeout: 15_000 }).toBe(0);
      await expect.poll(async () => orderTotal.textContent().catch(() => ''), { timeout: 15_000 }).toContain('¥700.00');
      await expect.poll(() => desk.getByText('应收', { exact: true }).locator('xpath=..').textContent()).toContain('¥700.00');
      await screenshot(desk, 'vouchers-03-checkout');

      await desk.keyboard.press('F4');
      await desk.keyboard.press('=');
      await expect.poll(() => desk.getByRole('textbox', { name: '收款金额 1' }).inputValue()).toBe('700.00');
      await desk.keyboard.press('Enter');
      const result = await visible(desk.getByRole('dialog', { name: '收银成功' }));
      expect(await result.getByRole('row', { name: /应收/ }).textContent()).toContain('¥700.00');
      await result.getByRole('button', { name: '继续收银（下一位）' }).click();
      await result.waitFor({ state: 'hidden' });

      // The figures moved: her voucher is used on the order, and the template counts it issued.
      const vouchers = await deskApi.get<{ items: (Voucher & { templateId: string })[] }>(`/api/v1/customers/${customer.id}/vouchers`);
      const used = vouchers.items.find((voucher) => voucher.snapshot.title.includes(voucherName));
      expect(used).toMatchObject({ status: 'used', usedOrderId: expect.any(String) });
      const orders = await deskApi.get<{ items: { id: string; totalFen: number }[] }>(`/api/v1/orders?customerId=${customer.id}`);
      expect(orders.items.map((order) => [order.id, order.totalFen])).toEqual([[used?.usedOrderId, 70_000]]);
      // 券统计: the template's voucher is used once, on an order of ¥700 that it took ¥100 off.
      expect(await statsOf(deskApi, voucherName)).toMatchObject({ issued: 1, used: 1, orders: 1, revenueFen: 70_000, discountFen: 10_000 });

      await desk.goto(`${baseUrl}/customers/${customer.id}?tab=vouchers`);
      await visible(desk.getByRole('tab', { name: '券包', selected: true }));
      await desk.getByText(/^已使用 1$/).click();
      const usedRow = await visible(desk.getByRole('row').filter({ hasText: voucherName }));
      await expect.poll(() => usedRow.textContent()).toContain('已使用');
      await expect.poll(() => usedRow.textContent()).toContain('抵扣 ¥100.00');
      await usedRow.getByRole('link', { name: '查看订单' }).waitFor();
      await desk.getByText(/^全部 \d+$/).click();
      await screenshot(desk, 'vouchers-04-customer-wallet');
      await usedRow.getByRole('button', { name: /记\s*录/ }).click();
      const history = await visible(desk.getByRole('dialog', { name: '券的记录' }));
      await visible(history.getByText('发放'));
      await visible(history.getByText('使用', { exact: true }));
      await visible(history.getByText('来源：手动赠送'));
      await desk.keyboard.press('Escape');
      await history.waitFor({ state: 'hidden' });

      page = marketing;
      await marketing.goto(`${baseUrl}/vouchers`);
      const updated = await visible(marketing.getByRole('row').filter({ hasText: voucherName }));
      await expect.poll(() => updated.getByTestId('voucher-template-stock').textContent()).toBe('剩 49 / 共 50');
      // 数据: the template's row counts it used once, a 100% use rate and the ¥700 order it brought.
      await marketing.getByRole('tab', { name: '数据' }).click();
      const statsRow = await visible(marketing.getByRole('row').filter({ hasText: voucherName }));
      await expect.poll(() => statsRow.textContent()).toContain('100.0%');
      expect(await statsRow.textContent()).toContain('¥700.00');
      expect(await statsRow.textContent()).toContain('¥100.00');
    } catch (error) {
      await screenshot(page, 'vouchers-failure').catch(() => undefined);
      throw error;
    } finally {
      await marketing.context().close();
      await desk.context().close();
    }
  });

  it('核销台: an item voucher redeems once, the same code again says it was used; a cash voucher is sent to checkout; the member sees her wallet (375 px)', async () => {
    const tag = String(randomInt(1000, 9999));
    const desk = await newConsolePage(browser);
    const mobile = phone();
    // An item voucher she keeps for the portal, to show its code and QR.
    let spareCode = '';
    // What she can use before the desk redeems one (the clinic may give a welcome voucher on registration too).
    let usable = 0;
    try {
      await logIn(desk, baseUrl, 'frontdesk');
      const deskApi = await sessionApi(desk, baseUrl);
      const owner = await ownerSession(browser, baseUrl);
      const item = await owner.api.post<{ id: string }>('/api/v1/items', { kind: 'service', name: `小气泡${tag}`, priceFen: 29_800 });
      const experience = await owner.api.post<Template>(
        '/api/v1/voucher-templates',
        voucherTemplate(`小气泡体验券${tag}`, { kind: 'item', faceValueFen: null, scope: { itemIds: [item.id], categoryIds: [] } }),
      );
      const cash = await owner.api.post<Template>('/api/v1/voucher-templates', voucherTemplate(`到店代金券${tag}`));
      const customer = await deskApi.post<{ id: string; name: string }>('/api/v1/customers', { name: `核销客${tag}`, gender: 'female', phone: mobile });
      const give = async (templateId: string) =>
        (await owner.api.post<{ items: Voucher[] }>(`/api/v1/customers/${customer.id}/vouchers`, { templateId })).items[0] as Voucher;
      const itemVoucher = await give(experience.id);
      const spareItemVoucher = await give(experience.id);
      spareCode = spareItemVoucher.code;
      const cashVoucher = await give(cash.id);
      await owner.close();
      expect(spareItemVoucher.code).not.toBe(itemVoucher.code);
      usable = (await deskApi.get<{ items: Voucher[] }>(`/api/v1/customers/${customer.id}/vouchers?status=available`)).items.length;

      await desk.getByRole('menuitem', { name: '代金券' }).click();
      await desk.getByRole('tab', { name: '核销' }).click();
      const codeBox = await visible(desk.getByRole('textbox', { name: '核销码' }));
      await codeBox.fill(itemVoucher.code);
      await codeBox.press('Enter');
      const found = await visible(desk.getByRole('region', { name: '核销台' }));
      await visible(found.getByText(itemVoucher.snapshot.title));
      await visible(found.getByText(customer.name));
      await visible(found.getByText('可以核销，请确认顾客本人后点击「确认核销」'));
      await screenshot(desk, 'vouchers-05-desk', { fullPage: false });
      await found.getByRole('button', { name: '确认核销' }).click();
      await visible(desk.getByText(`核销成功：${itemVoucher.snapshot.title}`));

      // The same code again: refused with when it was used.
      await codeBox.fill(itemVoucher.code);
      await codeBox.press('Enter');
      await visible(desk.getByRole('alert').filter({ hasText: /该券已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 使用，不能重复使用/ }));
      await expect.poll(() => desk.getByRole('button', { name: '确认核销' }).count()).toBe(0);
      // And the API itself refuses a second redemption under a new key.
      const me = (await (await desk.request.get(`${baseUrl}/api/v1/auth/me`)).json()) as { csrfToken: string; stores: { id: string }[] };
      const again = await desk.request.post(`${baseUrl}/api/v1/voucher-redemptions`, {
        headers: { 'X-CSRF-Token': me.csrfToken, 'Idempotency-Key': `e2e-again-${tag}` },
        data: { code: itemVoucher.code, storeId: me.stores[0]?.id },
      });
      expect(again.status()).toBe(409);

      // A cash voucher at the desk is for checkout: one click opens it with her and the voucher chosen.
      await codeBox.fill(cashVoucher.code);
      await codeBox.press('Enter');
      await visible(desk.getByText(/这是代金券，请在收银开单时使用/));
      await desk.getByRole('button', { name: '去收银使用' }).click();
      // The wallet picker only shows once a customer is chosen: hers, with the voucher ticked.
      const picker = desk.getByRole('region', { name: '券包' });
      await expect.poll(() => picker.getByRole('checkbox', { name: new RegExp(`到店代金券${tag}`) }).isChecked()).toBe(true);
      expect(new URL(desk.url()).searchParams.get('customerId')).toBeNull();
    } finally {
      await desk.context().close();
    }

    // The member's 我的券包 on her phone: the used item voucher under 已使用, the spare one with its QR.
    const phonePage = await newPortalPage(browser);
    try {
      await portalLogIn(phonePage, baseUrl, mobile);
      const entry = await visible(phonePage.getByTestId('portal-wallet-entry'));
      // Her two item vouchers and the cash voucher, less the one redeemed (and any welcome voucher the clinic gives).
      await expect.poll(() => entry.innerText()).toContain(`${usable - 1} 张可用`);
      await entry.getByText('我的券包').click();
      const wallet = await visible(phonePage.getByTestId('portal-wallet'));
      await expect.poll(() => wallet.getByTestId('portal-voucher').count()).toBe(usable - 1);
      await visible(wallet.getByText(`小气泡体验券${tag}`).first());
      expect(await wallet.innerText()).toContain(`限小气泡${tag}`);
      expect(await phonePage.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await screenshot(phonePage, 'vouchers-06-portal-wallet');

      await wallet
        .getByTestId('portal-voucher')
        .filter({ hasText: `小气泡体验券${tag}` })
        .click();
      const sheet = await visible(phonePage.getByTestId('portal-voucher-sheet'));
      await expect.poll(() => sheet.getByTestId('portal-voucher-code').textContent()).toBe(spareCode.replace(/(\d{4})(?=\d)/g, '$1 '));
      const qr = await visible(sheet.getByRole('img', { name: '核销二维码' }));
      // The desk's scanner reads the 12 digits from it.
      await expect.poll(async () => scanPng(await qr.screenshot())).toBe(spareCode);
      await screenshot(phonePage, 'vouchers-07-portal-code', { fullPage: false });
      await sheet.getByRole('button', { name: '关闭' }).click();

      await phonePage.getByRole('tab', { name: /已使用/ }).click();
      await expect.poll(() => wallet.getByTestId('portal-voucher').count()).toBe(1);
      await expect.poll(() => wallet.innerText()).toContain('已使用');
    } finally {
      await phonePage.context().close();
    }
  });
});
