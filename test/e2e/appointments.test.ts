import { randomInt } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, newConsolePage, screenshot, visible } from './browser.js';

const baseUrl = inject('baseUrl');

/** A mobile number no other run has used: 137 and eight random digits. */
const uniquePhone = () => `137${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

/** Picks an option of an antd Select by its title (the text it shows), as the console test does. */
const pickOption = async (page: Page, title: RegExp) => (await visible(page.getByTitle(title).first())).click();

describe('catalogue, appointments, arrivals and deal rules', () => {
  let browser: Browser;
  const suffix = String(randomInt(100, 1000));
  const itemName = `皮秒体验${suffix}`;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('owner adds a service item to the catalogue; front desk can read the catalogue but not edit it', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'owner');
      await page.getByRole('menuitem', { name: '品项' }).click();
      await page.getByRole('button', { name: '新建品项' }).click();
      const drawer = await visible(page.getByRole('dialog', { name: '新建品项' }));
      await drawer.getByRole('radio', { name: '服务项目' }).check();
      await drawer.getByLabel('名称').fill(itemName);
      await drawer.getByLabel('价格（元）').fill('1280');
      await screenshot(page, 'appointments-01-new-item', { fullPage: false });
      await drawer.getByRole('button', { name: '保存' }).click();
      await drawer.waitFor({ state: 'hidden' });

      // Found by the pinyin initials of its name (皮秒体验 → PMTY), the short code made for it.
      await page.getByRole('searchbox', { name: '搜索品项' }).fill('pmty');
      const row = await visible(page.getByRole('row').filter({ hasText: itemName }));
      expect(await row.textContent()).toContain('¥1,280.00');
      expect(await row.textContent()).toContain('PMTY');
      await screenshot(page, 'appointments-02-catalogue');
    } finally {
      await page.context().close();
    }

    const desk = await newConsolePage(browser);
    try {
      await logIn(desk, baseUrl, 'frontdesk');
      await desk.getByRole('menuitem', { name: '品项' }).click();
      await visible(desk.getByRole('row').filter({ hasText: '水光针' }).first());
      expect(await desk.getByRole('button', { name: '新建品项' }).count()).toBe(0);
      expect(await desk.getByRole('menuitem', { name: '设置' }).count()).toBe(0);
    } finally {
      await desk.context().close();
    }
  });

  it('front desk books a customer with an allergy for today, marks her arrived from the book and sees 初诊 with its reason at the arrival desk', async () => {
    const page = await newConsolePage(browser);
    // Fresh for every run of the test, a retry included.
    const customerName = `预约测试${randomInt(1000, 10_000)}`;
    const phone = uniquePhone();
    try {
      await logIn(page, baseUrl, 'frontdesk');

      // A new customer, so the proposal is certain: her first visit ever is 初诊.
      await page.getByRole('menuitem', { name: '客户' }).click();
      await page.getByRole('button', { name: '新建客户' }).click();
      const customerDrawer = await visible(page.getByRole('dialog', { name: '新建客户' }));
      await customerDrawer.getByLabel('姓名').fill(customerName);
      await customerDrawer.getByLabel('手机号').fill(phone);
      await customerDrawer.getByLabel('过敏史').fill('利多卡因');
      await customerDrawer.getByLabel('过敏史').press('Enter');
      await customerDrawer.getByRole('button', { name: '保存' }).click();
      await customerDrawer.waitFor({ state: 'hidden' });

      await page.getByRole('menuitem', { name: '预约到访' }).click();
      await page.getByRole('button', { name: '新建预约' }).click();
      const drawer = await visible(page.getByRole('dialog', { name: '新建预约' }));
      await drawer.getByLabel('客户').fill(phone.slice(-4));
      await pickOption(page, new RegExp(customerName));
      // The red allergy warning appears as soon as she is chosen.
      await visible(drawer.getByRole('alert').filter({ hasText: '利多卡因' }));
      await drawer.getByLabel('开始时间').fill('21:30');
      // Tab, not Enter: Enter in a field submits the form, as a keyboard-driven desk expects.
      await drawer.getByLabel('开始时间').press('Tab');
      await drawer.getByLabel('意向项目').fill('pmty');
      await pickOption(page, new RegExp(itemName));
      await drawer.getByLabel('备注').fill('想了解祛斑');
      await screenshot(page, 'appointments-03-book', { fullPage: false });
      await drawer.getByRole('button', { name: '预约', exact: true }).click();
      await drawer.waitFor({ state: 'hidden' });

      // The day view: her card sits in the 未指定 column, booked, with the item and the allergy icon.
      const unassigned = await visible(page.getByRole('region', { name: '未指定' }));
      const card = await visible(unassigned.getByRole('group', { name: new RegExp(customerName) }));
      expect(await card.textContent()).toContain('已预约');
      expect(await card.textContent()).toContain(itemName);
      await visible(card.getByLabel(/过敏/));
      await screenshot(page, 'appointments-04-day-view');

      await card.getByRole('button', { name: '到店' }).click();
      const arrive = await visible(page.getByRole('dialog', { name: `到店登记：${customerName}` }));
      await visible(arrive.getByText('系统建议：初诊'));
      await visible(arrive.getByText('依据：首次到访'));
      await visible(arrive.getByRole('alert').filter({ hasText: '利多卡因' }));
      await screenshot(page, 'appointments-05-arrive', { fullPage: false });
      await arrive.getByRole('button', { name: '确认到店' }).click();
      await arrive.waitFor({ state: 'hidden' });
      await visible(card.getByText('已到店'));

      await page.getByRole('tab', { name: '到访台' }).click();
      const visitRow = await visible(page.getByRole('row').filter({ hasText: customerName }));
      const visitText = (await visitRow.textContent()) ?? '';
      expect(visitText).toContain('初诊');
      expect(visitText).toContain('首次到访');
      expect(visitText).toContain('预约');
      await screenshot(page, 'appointments-06-arrival-desk');

      // Her 360 page shows the visit and the appointment, with the dynamic tags in the header.
      await visitRow.getByRole('link', { name: customerName }).click();
      await visible(page.getByRole('heading', { name: customerName }));
      await visible(page.getByText('最近到访：初诊'));
      await visible(page.getByText('未成交', { exact: true }));
      // The visits table's row (the referrals card also mentions her first visit).
      await visible(page.locator('tr.ant-table-row').filter({ hasText: '首次到访' }));
      await screenshot(page, 'appointments-07-customer-360');
    } finally {
      await page.context().close();
    }
  });

  it('owner raises the deal minimum to ¥99 and finds it saved, then puts it back', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'owner');
      await page.getByRole('menuitem', { name: '设置' }).click();
      await page.getByRole('tab', { name: '成交配置' }).click();
      await visible(page.getByText('修改成交配置只影响之后收银的订单', { exact: false }));
      const minimum = await visible(page.getByLabel('最低成交限额（元）'));
      await minimum.fill('99');
      await page.getByRole('button', { name: '保存' }).click();
      await visible(page.getByText('已保存'));
      await screenshot(page, 'appointments-08-deal-rules');

      await page.reload();
      await visible(page.getByLabel('最低成交限额（元）'));
      expect(await page.getByLabel('最低成交限额（元）').inputValue()).toBe('99.00');

      // Other browser tests share this server: leave the demo clinic's rules as they were.
      await page.getByLabel('最低成交限额（元）').fill('0');
      await page.getByRole('button', { name: '保存' }).click();
      await visible(page.getByText('已保存'));
    } finally {
      await page.context().close();
    }
  });
});
