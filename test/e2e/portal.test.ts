import { randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatYuan } from '../../web/shared/money.js';
import { launchBrowser, logIn, newConsolePage, newPortalPage, portalLogIn, screenshot, sessionApi, visible } from './browser.js';

const baseUrl = inject('baseUrl');

type Course = { name: string; isFinished: boolean; items: { name: string; remainingSessions: number; totalSessions: number }[] };
type Customer = { id: string; name: string; phone: string };

describe('the member portal’s tabs: 首页 / 券包 / 我的, her courses, her orders with their receipts and booking a visit', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a member with a course finds her sessions left and an order’s receipt from 我的, moves between the tabs and books a visit the desk sees (375 px)', async () => {
    // Her own member, set up as the owner: a course of the demo catalogue bought and paid, so no
    // other journey's SMS codes or bookings meet hers.
    const staffPage = await newConsolePage(browser);
    let member: { customer: Customer; course: Course; orderNumber: string; orderTotalFen: number };
    try {
      await logIn(staffPage, baseUrl, 'owner');
      const api = await sessionApi(staffPage, baseUrl);
      const store = api.me.stores[0];
      const packages = await api.get<{ items: { id: string; priceFen: number }[] }>('/api/v1/items?kind=package&pageSize=1');
      const item = packages.items[0];
      if (!store || !item) throw new Error('the demo clinic has no store or no package');
      const phone = `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
      const customer = await api.post<Customer>('/api/v1/customers', { name: `门户会员${randomInt(1000, 9999)}`, gender: 'female', phone });
      const order = await api.post<{ number: string; totalFen: number }>('/api/v1/orders', {
        storeId: store.id,
        customerId: customer.id,
        lines: [{ itemId: item.id, quantity: 1 }],
        payments: [{ method: 'wechat', amountFen: item.priceFen }],
      });
      const courses = await api.get<{ items: Course[] }>(`/api/v1/customers/${customer.id}/courses`);
      const course = courses.items[0];
      if (!course) throw new Error('the package bought made no course');
      member = { customer: { ...customer, phone }, course, orderNumber: order.number, orderTotalFen: order.totalFen };
    } finally {
      await staffPage.context().close();
    }
    const { customer, course } = member;

    const page = await newPortalPage(browser);
    try {
      await portalLogIn(page, baseUrl, customer.phone);
      await visible(page.getByText(`您好，${customer.name}`));
      const tab = (name: string) => page.locator('.portal-tab-bar .adm-tab-bar-item').filter({ hasText: name });
      await visible(tab('首页'));

      // 券包 is a tab of its own.
      await tab('券包').click();
      await visible(page.getByTestId('portal-wallet'));
      expect(page.url()).toContain('#/vouchers');

      // 我的 → 我的疗程: each item's sessions left out of its total.
      await tab('我的').click();
      const mine = await visible(page.getByTestId('portal-mine'));
      await mine.getByText('我的疗程').click();
      const courses = await visible(page.getByTestId('portal-courses'));
      const card = await visible(courses.getByTestId('portal-course').filter({ hasText: course.name }).first());
      for (const item of course.items) {
        await expect.poll(() => card.innerText()).toContain(`${item.name}`);
        await expect.poll(() => card.innerText()).toContain(`剩余 ${item.remainingSessions} 次 / 共 ${item.totalSessions} 次`);
      }
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await screenshot(page, 'portal-courses', { fullPage: false });

      // Back to 我的 → 我的订单 → her newest order's receipt.
      await page.locator('.adm-nav-bar-back').click();
      await visible(page.getByTestId('portal-mine'));
      await page.getByTestId('portal-mine').getByText('我的订单').click();
      const orders = await visible(page.getByTestId('portal-orders'));
      const first = await visible(orders.getByTestId('portal-order').first());
      await expect.poll(() => first.innerText()).toContain(formatYuan(member.orderTotalFen));
      await screenshot(page, 'portal-orders', { fullPage: false });
      await first.click();
      const receipt = await visible(page.getByTestId('portal-receipt'));
      await expect.poll(() => receipt.innerText()).toContain(member.orderNumber);
      await expect.poll(() => receipt.innerText()).toContain('合计');
      await screenshot(page, 'portal-receipt', { fullPage: false });
      await receipt.getByRole('button', { name: '关闭' }).click();
      await receipt.waitFor({ state: 'hidden' });

      // The tab bar takes her home, where she books a visit for tomorrow.
      await tab('首页').click();
      await visible(page.getByTestId('portal-points'));
      await page.getByTestId('portal-booking-entry').click();
      const booking = await visible(page.getByTestId('portal-booking'));
      const selectors = booking.locator('.adm-selector');
      await visible(selectors.nth(1).locator('.adm-selector-item').first());
      const itemName = (await selectors.nth(1).locator('.adm-selector-item').first().innerText()).trim();
      await selectors.nth(1).locator('.adm-selector-item').first().click();
      await selectors.nth(2).locator('.adm-selector-item').filter({ hasText: '明天' }).click();
      const time = await visible(selectors.nth(3).locator('.adm-selector-item:not(.adm-selector-item-disabled)').first());
      const timeText = (await time.innerText()).trim();
      await time.click();
      await screenshot(page, 'portal-booking', { fullPage: false });
      await booking.getByRole('button', { name: '确认预约' }).click();
      await visible(page.getByText('预约成功，门店已收到'));
      const appointment = await visible(page.getByTestId('portal-appointment').filter({ hasText: timeText }));
      expect(await appointment.innerText()).toContain(itemName);

      // The desk sees it in the appointment book.
      const deskPage = await newConsolePage(browser);
      try {
        await logIn(deskPage, baseUrl, 'owner');
        const api = await sessionApi(deskPage, baseUrl);
        const book = await api.get<{ items: { notes: string | null; status: string }[] }>(`/api/v1/appointments?customerId=${customer.id}&status=booked`);
        expect(book.items.some((entry) => entry.notes === '会员在线预约')).toBe(true);
      } finally {
        await deskPage.context().close();
      }

      // She cancels it.
      await appointment.getByRole('button', { name: '取消预约' }).click();
      await page.getByRole('button', { name: '确定' }).click();
      await visible(page.getByText('已取消预约'));
      await appointment.waitFor({ state: 'detached' });
    } finally {
      await page.context().close();
    }
  });
});
