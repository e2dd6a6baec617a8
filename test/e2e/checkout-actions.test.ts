import { randomInt } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatYuan } from '../../web/shared/money.js';
import { launchBrowser, logIn, newConsolePage, ownerSession, screenshot, sessionApi, visible } from './browser.js';

const baseUrl = inject('baseUrl');

/** The most user actions the everyday checkout may take, from the customer list to a printed receipt. */
const actionBudget = 10;

const isFocused = (locator: Locator) => locator.evaluate((element) => element.ownerDocument.activeElement === element);

/**
 * Every user action goes through `act`: a click, a key press (a chord such as Ctrl+Enter is one)
 * or a typed field each count 1. Waiting for what the screen shows is not an action.
 */
const actionCounter = (page: Page) => {
  const log: string[] = [];
  const act = async (what: string, action: () => Promise<unknown>) => {
    log.push(what);
    await action();
  };
  return {
    log,
    click: (what: string, locator: Locator) => act(`click ${what}`, () => locator.click()),
    type: (what: string, text: string) => act(`type ${what}`, () => page.keyboard.type(text)),
    fill: (what: string, locator: Locator, text: string) => act(`type ${what}`, () => locator.fill(text)),
    press: (key: string) => act(`press ${key}`, () => page.keyboard.press(key)),
  };
};

describe('the everyday checkout in at most ten actions', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a returning member, two items, a wallet voucher and her points, paid by WeChat Pay: from the customer list to the printed receipt', async () => {
    const page = await newConsolePage(browser);
    const tag = String(randomInt(1000, 9999));
    const phone = `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
    try {
      await logIn(page, baseUrl, 'frontdesk');
      const desk = await sessionApi(page, baseUrl);
      const store = desk.me.stores[0];
      if (!store) throw new Error('the front desk has no store');

      // Setup through the API: two items, a ¥50 voucher for the whole order, a member who came before, 2 556 points.
      const owner = await ownerSession(browser, baseUrl);
      const facial = await owner.api.post<{ id: string; shortCode: string }>('/api/v1/items', {
        kind: 'service',
        name: `焕颜护理${tag}`,
        priceFen: 68_000,
        shortCode: `HYHL${tag}`,
      });
      const mask = await owner.api.post<{ id: string; shortCode: string }>('/api/v1/items', {
        kind: 'service',
        name: `补水面膜${tag}`,
        priceFen: 29_800,
        shortCode: `BSMM${tag}`,
      });
      const voucherName = `回头客代金券${tag}`;
      const template = await owner.api.post<{ id: string }>('/api/v1/voucher-templates', {
        name: voucherName,
        kind: 'cash_off',
        faceValueFen: 5_000,
        thresholdFen: 0,
        scope: { itemIds: [], categoryIds: [] },
        channels: ['store'],
        validity: { kind: 'relative', days: 30 },
        totalStock: null,
        perCustomerLimit: 5,
        isStackable: true,
      });
      const customer = await desk.post<{ id: string; name: string }>('/api/v1/customers', { name: `回头客${tag}`, gender: 'female', phone });
      // She has been here before: an earlier visit paid in cash.
      await desk.post('/api/v1/orders', {
        storeId: store.id,
        customerId: customer.id,
        lines: [{ itemId: mask.id, quantity: 1 }],
        payments: [{ method: 'cash', amountFen: 29_800 }],
      });
      await owner.api.post(`/api/v1/customers/${customer.id}/vouchers`, { templateId: template.id });
      const { active } = await desk.get<{ active: number }>(`/api/v1/customers/${customer.id}/points`);
      if (active !== 2_556) await owner.api.post(`/api/v1/customers/${customer.id}/points/adjustments`, { points: 2_556 - active, reason: '收银动作测试' });
      await owner.close();
      const lines = [
        { itemId: facial.id, quantity: 1 },
        { itemId: mask.id, quantity: 1 },
      ];
      const wallet = await desk.get<{ items: { id: string; templateId: string; snapshot: { title: string } }[] }>(`/api/v1/customers/${customer.id}/vouchers`);
      const voucher = wallet.items.find((item) => item.templateId === template.id);
      if (!voucher) throw new Error('the voucher did not reach her wallet');
      const priced = await desk.post<{ orderTotalFen: number; usablePoints: { points: number; valueFen: number } | null }>('/api/v1/orders/quote', {
        storeId: store.id,
        customerId: customer.id,
        lines,
        voucherIds: [voucher.id],
      });
      expect(priced.usablePoints).toMatchObject({ points: 2_556, valueFen: 2_556 });
      const wechatFen = priced.orderTotalFen - 2_556;

      // The journey starts on the customer list.
      await page.getByRole('menuitem', { name: '客户' }).click();
      const search = await visible(page.getByLabel('搜索客户'));
      const user = actionCounter(page);

      // 1. Her phone tail, as she says it.
      await user.fill('her phone tail', search, phone.slice(-6));
      // 2. 收银 on her row: the desk opens with her chosen and the item box focused.
      await user.click('收银 on her row', page.getByRole('button', { name: `收银：${customer.name}` }));
      await visible(page.getByText(`${customer.name}`).first());
      const itemBox = page.getByRole('combobox', { name: '品项' });
      await expect.poll(() => isFocused(itemBox)).toBe(true);
      // 3–6. Two items by short code, each a type and an Enter; the box keeps the focus.
      await user.type('first short code', facial.shortCode);
      await user.press('Enter');
      await visible(page.getByRole('row').filter({ hasText: `焕颜护理${tag}` }));
      await expect.poll(() => isFocused(itemBox)).toBe(true);
      await user.type('second short code', mask.shortCode);
      await user.press('Enter');
      await visible(page.getByRole('row').filter({ hasText: `补水面膜${tag}` }));
      // 7. Her voucher: a click on its row ticks it.
      await user.click('her voucher', page.getByText(voucher.snapshot.title, { exact: true }));
      await visible(page.getByText('抵扣 ¥50.00', { exact: true }));
      // 8. Her points: one switch uses the most the clinic's rules allow.
      const pointsSwitch = page.getByRole('switch', { name: '使用积分抵现' });
      await visible(page.getByTestId('checkout-points-switch').getByText(/用\s2\s556 积分抵 ¥25\.56/));
      await user.click('使用积分抵现', pointsSwitch);
      await expect.poll(() => pointsSwitch.getAttribute('aria-checked')).toBe('true');
      // WeChat Pay is the first payment row's method already, its amount what is left to pay.
      await expect.poll(() => page.getByRole('textbox', { name: '收款金额 1' }).inputValue()).toBe((wechatFen / 100).toFixed(2));
      // The rows add up to what the points leave: nothing is said to be still due.
      await visible(page.getByText(`合计 ${formatYuan(wechatFen)}`, { exact: true }));
      await visible(
        page
          .locator('.ant-select')
          .filter({ has: page.getByRole('combobox', { name: '收款方式 1' }) })
          .getByText('微信支付'),
      );
      await screenshot(page, '20-checkout-actions-desk', { fullPage: true });
      // 9. Ctrl+Enter pays.
      await user.press('Control+Enter');
      const result = await visible(page.getByRole('dialog', { name: '收银成功' }));
      expect(await result.getByRole('row', { name: /实收/ }).textContent()).toContain(formatYuan(priced.orderTotalFen));
      // 10. The receipt, on 80 mm paper in one click.
      const receiptOpened = page.context().waitForEvent('page');
      await user.click('打印小票', result.getByRole('button', { name: /打印小票/ }));
      const receipt = await receiptOpened;
      const paper = await visible(receipt.getByRole('article', { name: /^小票 / }));
      const printed = (await paper.textContent()) ?? '';
      expect(printed).toContain(`焕颜护理${tag}`);
      expect(printed).toContain(`补水面膜${tag}`);
      expect(printed).toContain('微信支付');
      expect(printed).toContain(formatYuan(wechatFen));
      expect(printed).toMatch(/2,?556/);
      await receipt.screenshot({ path: 'test-results/e2e/21-checkout-actions-receipt.png', fullPage: true });
      await receipt.close();

      // The order as written: her voucher used, 2 556 points and the rest by WeChat Pay; her points spent.
      const orders = await desk.get<{ items: { id: string; totalFen: number }[] }>(`/api/v1/orders?customerId=${customer.id}`);
      expect(orders.items.map((order) => order.totalFen)).toContain(priced.orderTotalFen);
      expect((await desk.get<{ active: number }>(`/api/v1/customers/${customer.id}/points`)).active).toBe(0);

      expect(user.log.length, `actions: ${user.log.join(' · ')}`).toBeLessThanOrEqual(actionBudget);
    } catch (error) {
      await screenshot(page, '2x-checkout-actions-failure').catch(() => undefined);
      throw error;
    } finally {
      await page.context().close();
    }
  });

  it('uses a session she holds instead of charging (refused above what is left), and the desk fits 1280 × 800 in Chinese and English', async () => {
    const page = await newConsolePage(browser);
    await page.setViewportSize({ width: 1280, height: 800 });
    const tag = String(randomInt(1000, 9999));
    const phone = `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
    try {
      await logIn(page, baseUrl, 'frontdesk');
      const desk = await sessionApi(page, baseUrl);
      const store = desk.me.stores[0];
      if (!store) throw new Error('the front desk has no store');
      const staff = await desk.get<{ items: { displayName: string; role: string }[] }>('/api/v1/staff');
      const doctor = staff.items.find((member) => member.role === 'doctor_nurse');
      if (!doctor) throw new Error('the demo clinic has no doctor or nurse');

      // Setup through the API: a course of three 小气泡 bought earlier, and a cleanser to buy today.
      const owner = await ownerSession(browser, baseUrl);
      const bubble = await owner.api.post<{ id: string; shortCode: string }>('/api/v1/items', {
        kind: 'service',
        name: `小气泡${tag}`,
        priceFen: 29_800,
        shortCode: `XQP${tag}`,
      });
      const course = await owner.api.post<{ id: string }>('/api/v1/items', {
        kind: 'package',
        name: `小气泡三次${tag}`,
        priceFen: 79_800,
        contents: [{ itemId: bubble.id, sessions: 3 }],
      });
      const cleanser = await owner.api.post<{ id: string; shortCode: string }>('/api/v1/items', {
        kind: 'goods',
        name: `氨基酸洁面${tag}`,
        priceFen: 16_800,
        shortCode: `AJSJM${tag}`,
      });
      await owner.close();
      const customer = await desk.post<{ id: string; name: string }>('/api/v1/customers', { name: `疗程客${tag}`, gender: 'female', phone });
      await desk.post('/api/v1/orders', {
        storeId: store.id,
        customerId: customer.id,
        lines: [{ itemId: course.id, quantity: 1 }],
        payments: [{ method: 'cash', amountFen: 79_800 }],
      });
      const remaining = async () =>
        (await desk.get<{ items: { items: { itemId: string; remainingSessions: number }[] }[] }>(`/api/v1/customers/${customer.id}/courses`)).items
          .flatMap((held) => held.items)
          .find((item) => item.itemId === bubble.id)?.remainingSessions;
      expect(await remaining()).toBe(3);

      await page.goto(`${baseUrl}/checkout?customerId=${customer.id}`);
      const itemBox = page.getByRole('combobox', { name: '品项' });
      await expect.poll(() => isFocused(itemBox)).toBe(true);
      await page.keyboard.type(bubble.shortCode);
      await page.keyboard.press('Enter');
      await visible(page.getByRole('row').filter({ hasText: `小气泡${tag}` }));
      await page.keyboard.type(cleanser.shortCode);
      await page.keyboard.press('Enter');
      await visible(page.getByRole('row').filter({ hasText: `氨基酸洁面${tag}` }));
      await visible(page.getByText('¥466.00').first());
      await screenshot(page, '22-checkout-1280-zh', { fullPage: false });

      // 划扣 instead of charging: the confirm names her, the item and the sessions.
      await page.getByRole('button', { name: `划扣 小气泡${tag}：剩 3 次` }).click();
      const confirm = await visible(page.getByRole('dialog', { name: `划扣：小气泡${tag}` }));
      await visible(confirm.getByText(customer.name).first());
      await visible(confirm.getByText('剩余 3 次'));
      const sessions = confirm.getByRole('spinbutton', { name: '划扣次数' });
      expect(await sessions.inputValue()).toBe('1');
      await confirm.getByLabel('执行人').click();
      await page.getByTitle(new RegExp(`^${doctor.displayName}`)).click();
      // More than she has left: the server refuses and says how many are left; nothing is deducted.
      await sessions.fill('4');
      await confirm.getByRole('button', { name: /划\s*扣/ }).click();
      await visible(confirm.getByRole('alert').filter({ hasText: '仅剩 3 次，不能划扣 4 次' }));
      expect(await remaining()).toBe(3);
      await sessions.fill('1');
      await screenshot(page, '23-checkout-deduct-confirm', { fullPage: false });
      await confirm.getByRole('button', { name: /划\s*扣/ }).click();
      await confirm.waitFor({ state: 'hidden' });
      // The line is no longer charged: only the cleanser is left to pay.
      await expect
        .poll(() =>
          page
            .getByRole('row')
            .filter({ hasText: `小气泡${tag}` })
            .count(),
        )
        .toBe(0);
      await expect.poll(() => page.getByRole('textbox', { name: '收款金额 1' }).inputValue()).toBe('168.00');
      expect(await remaining()).toBe(2);

      // Both languages at 1280 × 800: the payment method and the buttons are whole, on one line each.
      const fits = async (methodLabel: string, clearLabel: RegExp, explanationLabel: string) => {
        const method = page
          .locator('.ant-select')
          .filter({ has: page.getByRole('combobox', { name: methodLabel }) })
          .locator('.ant-select-content, .ant-select-selection-item')
          .first();
        await expect.poll(() => method.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
        const clear = page.locator('button.ant-btn').filter({ hasText: clearLabel });
        const box = await clear.boundingBox();
        expect(box?.height).toBeLessThanOrEqual(42);
        // The payment column stands beside the cart, not under it.
        const explanation = await page.getByRole('region', { name: explanationLabel }).boundingBox();
        expect(box?.y ?? Number.POSITIVE_INFINITY).toBeLessThan(explanation?.y ?? 0);
      };
      await fits('收款方式 1', /^清\s*空$/, '价格说明');
      await page.getByRole('button', { name: '语言' }).click();
      await page.getByRole('menuitem', { name: 'English' }).click();
      await visible(page.getByRole('menuitem', { name: 'Customers' }));
      await expect.poll(() => page.locator('.ant-select-dropdown').filter({ visible: true }).count()).toBe(0);
      await visible(page.getByText('WeChat Pay').first());
      await fits('Payment method 1', /^Clear$/, 'Price explanation');
      await screenshot(page, '24-checkout-1280-en', { fullPage: false });
    } catch (error) {
      await screenshot(page, '2x-checkout-course-failure').catch(() => undefined);
      throw error;
    } finally {
      await page.context().close();
    }
  });
});
