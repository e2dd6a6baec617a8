import { randomInt } from 'node:crypto';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatYuan } from '../../web/shared/money.js';
import { dropdownsClosed, launchBrowser, logIn, newConsolePage, pickOption, screenshot, sessionApi, visible } from './browser.js';

const baseUrl = inject('baseUrl');

/** A mobile number no other run has used: 137 and eight random digits. */
const uniquePhone = () => `137${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

const isFocused = (locator: Locator) => locator.evaluate((element) => element.ownerDocument.activeElement === element);

/**
 * The API with the page's own session (its cookie, and the CSRF token /auth/me hands out), for
 * what this journey needs but other screens own: the customer, her appointment and arrival.
 */

describe('checkout, arrears, deduction and shift close', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('front desk sells a course by short code, takes part of it, settles the arrears, deducts a session and sees it all in the shift close', async () => {
    const page = await newConsolePage(browser);
    const phone = uniquePhone();
    const phoneTail = phone.slice(-6);
    try {
      await logIn(page, baseUrl, 'frontdesk');
      const api = await sessionApi(page, baseUrl);
      const store = api.me.stores[0];
      if (!store) throw new Error('the front desk has no store');

      // Setup through the API: a customer with an allergy and a consultant, booked for now.
      const staff = await api.get<{ items: { id: string; displayName: string; role: string }[] }>('/api/v1/staff');
      const consultant = staff.items.find((member) => member.displayName === '王雅');
      if (!consultant) throw new Error('demo consultant 王雅 missing');
      const customer = await api.post<{ id: string }>('/api/v1/customers', {
        name: '顾清漪',
        gender: 'female',
        phone,
        allergies: ['利多卡因'],
        consultantId: consultant.id,
      });
      const appointment = await api.post<{ id: string }>('/api/v1/appointments', {
        storeId: store.id,
        customerId: customer.id,
        startsAt: new Date().toISOString(),
        durationMinutes: 60,
      });
      expect(appointment.id).toBeTruthy();

      // Arrival through the appointment book: the visit type is proposed with its reason.
      await page.getByRole('menuitem', { name: '预约到访' }).click();
      const unassigned = await visible(page.getByRole('region', { name: '未指定' }));
      const card = await visible(unassigned.getByRole('group', { name: /顾清漪/ }));
      await card.getByRole('button', { name: '到店' }).click();
      const arrive = await visible(page.getByRole('dialog', { name: '到店登记：顾清漪' }));
      await visible(arrive.getByText('系统建议：初诊'));
      await arrive.getByRole('button', { name: '确认到店' }).click();
      await arrive.waitFor({ state: 'hidden' });
      await visible(card.getByText('已到店'));
      const course = (await api.get<{ items: { name: string; shortCode: string; priceFen: number }[] }>('/api/v1/items?q=水光三次疗程')).items[0];
      if (!course) throw new Error('demo package 水光三次疗程 missing');
      expect(course.priceFen).toBe(180_000);
      // The cashier's own figures before this journey (the demo clinic has its own activity today).
      const before = await api.get<{ paymentsFen: number }>(`/api/v1/shift-close?storeId=${store.id}&cashierId=${api.me.user.id}`);

      // 收银: the member box has the focus; a phone tail and Enter pick her, focus moves on to the item box.
      await page.getByRole('menuitem', { name: '收银' }).click();
      const memberBox = await visible(page.getByRole('combobox', { name: '会员' }));
      await expect.poll(() => isFocused(memberBox)).toBe(true);
      await page.keyboard.type(phoneTail);
      await page.keyboard.press('Enter');
      await visible(page.getByRole('alert').filter({ hasText: '利多卡因' }));
      await expect.poll(() => isFocused(page.getByRole('combobox', { name: '品项' }))).toBe(true);

      // The course by its short code; the line is credited to her consultant.
      await page.keyboard.type(course.shortCode);
      await page.keyboard.press('Enter');
      const line = await visible(page.getByRole('row').filter({ hasText: '水光三次疗程' }));
      expect(await line.textContent()).toContain('王雅 · 咨询师 100%');
      await visible(page.getByText('¥1,800.00').first());

      // The amount due is already in the first payment row; F4 jumps to it and what is typed replaces it.
      await expect.poll(() => page.getByRole('textbox', { name: '收款金额 1' }).inputValue()).toBe('1800.00');
      await page.keyboard.press('F4');
      await page.keyboard.type('1000');
      await visible(page.getByText('未收的 ¥800.00 将记为欠费'));
      await screenshot(page, '10-checkout-desk');
      // Enter with ¥800 unpaid asks first; the answer under the keyboard is no.
      await page.keyboard.press('Enter');
      const askArrears = await visible(page.getByRole('dialog').filter({ hasText: '记为欠费？' }));
      await visible(askArrears.getByText('未收的 ¥800.00 将记为该客户的欠费'));
      await expect.poll(() => isFocused(askArrears.getByRole('button', { name: '返回修改收款' }))).toBe(true);
      await askArrears.getByRole('button', { name: '记为欠费并收银' }).click();

      const result = await visible(page.getByRole('dialog', { name: '收银成功' }));
      expect(await result.getByRole('row', { name: /欠费/ }).textContent()).toContain('¥800.00');
      expect(await result.getByRole('row', { name: /实收/ }).textContent()).toContain('¥1,000.00');
      await screenshot(page, '11-checkout-done', { fullPage: false });

      // The receipt opens in a window of its own, authenticated by the session cookie.
      const receiptOpened = page.context().waitForEvent('page');
      await result.getByRole('button', { name: /打印小票/ }).click();
      const receipt = await receiptOpened;
      // A print page of the console: the receipt paper once its content has loaded.
      const paper = await visible(receipt.getByRole('article', { name: /^小票 / }));
      expect(await paper.textContent()).toContain('水光三次疗程');
      expect(await paper.textContent()).toContain('收银员');
      await receipt.screenshot({ path: 'test-results/e2e/12-receipt.png', fullPage: true });
      await receipt.close();

      // The order: ¥800 arrears, settled by cash ("=" fills what is still owed).
      await result.getByRole('button', { name: '查看订单' }).click();
      await visible(page.getByRole('heading', { name: /^订单 / }));
      await visible(page.getByText('¥800.00').first());
      await page.getByRole('button', { name: '补缴欠费' }).click();
      const payArrears = await visible(page.getByRole('dialog', { name: /补缴欠费/ }));
      // The dialog focuses the amount once it has opened (its animation done).
      await expect.poll(() => isFocused(payArrears.getByRole('textbox', { name: '收款金额 1' }))).toBe(true);
      await payArrears.getByRole('combobox', { name: '收款方式 1' }).click();
      await page.getByTitle('现金').click();
      await payArrears.getByRole('textbox', { name: '收款金额 1' }).press('=');
      expect(await payArrears.getByRole('textbox', { name: '收款金额 1' }).inputValue()).toBe('800.00');
      await screenshot(page, '13-pay-arrears', { fullPage: false });
      await payArrears.getByRole('textbox', { name: '收款金额 1' }).press('Enter');
      await payArrears.waitFor({ state: 'hidden' });
      await expect.poll(async () => page.getByRole('button', { name: '补缴欠费' }).count()).toBe(0);
      const payments = page.getByRole('row').filter({ hasText: '现金' });
      expect(await payments.textContent()).toContain('¥800.00');
      await screenshot(page, '14-order-settled');
      // The desk may not refund: the button is there, disabled, saying who can.
      const refund = page.getByRole('button', { name: /^退\s*款$/ });
      expect(await refund.isDisabled()).toBe(true);
      expect(await refund.getAttribute('aria-description')).toBe('需店长权限');

      // 划扣: find her in one box, deduct one session of the course, performed by the doctor.
      await page.getByRole('menuitem', { name: '划扣' }).click();
      await page.getByRole('combobox', { name: '客户' }).fill(phoneTail);
      await page.keyboard.press('Enter');
      const courseCard = await visible(page.getByText('剩余 3 次'));
      expect(await courseCard.textContent()).toContain('剩余 3 次');
      await page.getByRole('button', { name: '划扣 水光针' }).click();
      const deduct = await visible(page.getByRole('dialog', { name: /划扣/ }));
      await visible(deduct.getByRole('alert').filter({ hasText: '利多卡因' }));
      await deduct.getByLabel('执行人').click();
      await page.getByTitle('李明（医生/护士）').click();
      await screenshot(page, '15-deduct-dialog', { fullPage: false });
      await deduct.getByRole('button', { name: '划扣' }).click();
      await deduct.waitFor({ state: 'hidden' });
      await visible(page.getByText('剩余 2 次'));
      await visible(page.getByRole('row').filter({ hasText: '李明' }).filter({ hasText: '水光针' }));
      await screenshot(page, '16-courses');

      // 交班: the cashier's totals now hold both payments; close the shift.
      await page.getByRole('menuitem', { name: '交班日结' }).click();
      await page.getByRole('combobox', { name: '收银员' }).click();
      await page.getByTitle('陈晓（前台）').click();
      const totalRow = await visible(page.getByRole('row').filter({ hasText: '合计' }));
      await expect.poll(async () => totalRow.textContent()).toContain(formatYuan(before.paymentsFen + 180_000));
      await visible(page.getByRole('row').filter({ hasText: '现金' }));
      await visible(page.getByRole('row').filter({ hasText: '微信支付' }));
      await page.getByRole('button', { name: '交班' }).click();
      // The shift closes with the cash counted in the drawer.
      const confirmShift = await visible(page.getByRole('dialog', { name: /交班/ }));
      await confirmShift.getByLabel('实点现金').fill('1800');
      await confirmShift.getByRole('button', { name: '交班' }).click();
      await confirmShift.waitFor({ state: 'hidden' });
      await visible(page.getByText(/已于 .* 由 陈晓 完成/));
      await screenshot(page, '17-shift-close');
    } catch (error) {
      await screenshot(page, '1x-checkout-failure').catch(() => undefined);
      throw error;
    } finally {
      await page.context().close();
    }
  });
  it('the owner closes a store day with what is still open listed, finds it locked, prints, exports and reopens it', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'owner');
      let api = await sessionApi(page, baseUrl);
      // A store of its own, so no other journey's checkout meets the closed day.
      const store = await api.post<{ id: string; name: string }>('/api/v1/stores', { name: `日结店 ${randomInt(0, 1_000_000)}` });
      await page.reload();
      await visible(page.getByRole('menuitem', { name: '工作台' }));
      api = await sessionApi(page, baseUrl);
      const customer = await api.post<{ id: string }>('/api/v1/customers', { name: '沈晚晴', gender: 'female', phone: uniquePhone() });
      const course = (await api.get<{ items: { id: string }[] }>('/api/v1/items?q=水光三次疗程')).items[0];
      if (!course) throw new Error('demo package 水光三次疗程 missing');
      const line = [{ itemId: course.id, quantity: 1 }];
      await api.post('/api/v1/orders', { storeId: store.id, customerId: customer.id, lines: line, payments: [{ method: 'cash', amountFen: 180_000 }] });
      await api.post('/api/v1/orders', { storeId: store.id, customerId: customer.id, lines: line });
      await api.post('/api/v1/appointments', { storeId: store.id, customerId: customer.id, startsAt: new Date().toISOString() });

      await page.getByRole('menuitem', { name: '交班日结' }).click();
      await page.getByRole('combobox', { name: '门店' }).click();
      await pickOption(page, store.name);
      await dropdownsClosed(page);
      await visible(page.getByText(new RegExp(`^${store.name} \\d{4}-\\d{2}-\\d{2}$`)));
      // What is still open is said before the close, and again in the dialog, whose answer is no by default.
      const warning = /还有 1 张未付订单（.*）、1 个预约未到店、1 位收银员未交班（.*），仍要日结吗？/;
      await visible(page.getByRole('alert').filter({ hasText: warning }));
      await page.getByRole('button', { name: '日结' }).click();
      const confirm = await visible(page.getByRole('dialog', { name: /全店日结/ }));
      await visible(confirm.getByText(warning));
      const cancel = confirm.getByRole('button', { name: '取消' });
      await expect.poll(() => isFocused(cancel)).toBe(true);
      const anyway = confirm.getByRole('button', { name: '仍要日结' });
      expect(await anyway.isDisabled()).toBe(true);
      // ¥1 795 counted against ¥1 800 expected: ¥5 short.
      await confirm.getByLabel('实点现金').fill('1795');
      await anyway.click();
      await confirm.waitFor({ state: 'hidden' });
      await visible(page.getByText(/已于 .* 由 .* 完成/));
      await visible(page.getByText(/该营业日已日结/));
      await visible(page.getByText('短款'));
      await screenshot(page, '18-day-closed');

      // Locked: a checkout for this store today is refused.
      const refused = await page.request.fetch(`${baseUrl}/api/v1/orders`, {
        method: 'POST',
        headers: { 'X-CSRF-Token': api.me.csrfToken, 'Idempotency-Key': `e2e-${randomInt(0, 2 ** 47)}` },
        data: { storeId: store.id, customerId: customer.id, lines: line, payments: [{ method: 'cash', amountFen: 180_000 }] },
      });
      expect(refused.status()).toBe(409);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/已日结，如需补录请店长先重新开账/);

      // Printed, the page is the report alone; exported, a CSV Excel opens as UTF-8.
      await page.emulateMedia({ media: 'print' });
      await page.getByRole('menuitem', { name: '交班日结' }).waitFor({ state: 'hidden' });
      await page.emulateMedia({ media: 'screen' });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
      const stream = await download.createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const csv = Buffer.concat(chunks);
      expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(csv.toString('utf8')).toContain('实点现金,1795.00');
      expect(csv.toString('utf8')).toContain('差额,-5.00');

      // 重新开账 needs a reason; then the day takes checkouts again.
      await page.getByRole('button', { name: '重新开账' }).click();
      const reopen = await visible(page.getByRole('dialog', { name: /重新开账/ }));
      const reopenButton = reopen.getByRole('button', { name: '重新开账' });
      expect(await reopenButton.isDisabled()).toBe(true);
      await reopen.getByLabel('重新开账原因').fill('漏录一笔现金');
      await reopenButton.click();
      await reopen.waitFor({ state: 'hidden' });
      await visible(page.getByRole('button', { name: '日结' }));
      await api.post('/api/v1/orders', { storeId: store.id, customerId: customer.id, lines: line, payments: [{ method: 'cash', amountFen: 180_000 }] });
    } catch (error) {
      await screenshot(page, '1x-day-close-failure').catch(() => undefined);
      throw error;
    } finally {
      await page.context().close();
    }
  });
});
