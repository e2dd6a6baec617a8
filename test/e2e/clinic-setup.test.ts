import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buttonByText, launchBrowser, newConsolePage, pickOption, screenshot, visible } from './browser.js';
import { startExtraServer } from './global-setup.js';

const demoUrl = inject('baseUrl');

/** Fills a field of the visible form by its exact label (密码 and 确认密码 are different fields). */
const fill = async (scope: Page | ReturnType<Page['getByRole']>, label: string, value: string) => scope.getByLabel(label, { exact: true }).fill(value);

describe('setting up a clinic', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startExtraServer>> | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
    // The first start for real use: no demo, an empty database.
    server = await startExtraServer({ port: Number(process.env.YUEHUI_E2E_SETUP_PORT ?? 3918), env: { YUEHUI_DEMO: '0' }, name: 'setup' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an empty database opens the setup page; the owner creates the clinic and a staff member, who must change the temporary password', async () => {
    if (!server) throw new Error('no setup server');
    const baseUrl = server.baseUrl;
    const page = await newConsolePage(browser);
    try {
      await page.goto(`${baseUrl}/`);
      await page.waitForURL(/\/setup$/);
      await visible(page.getByRole('heading', { name: '创建诊所' }));
      await visible(page.getByText('这是一个全新的悦会'));
      await fill(page, '诊所名称', '青禾口腔');
      await fill(page, '诊所代码', 'qinghe');
      await fill(page, '门店名称', '滨江店');
      await fill(page, '门店地址', '杭州市滨江区江南大道 1 号');
      await fill(page, '姓名', '许青禾');
      await fill(page, '用户名', 'boss');
      // A common password is refused on its field, and nothing is created.
      await fill(page, '密码', 'password123');
      await fill(page, '确认密码', 'password123');
      await buttonByText(page, '创建诊所').click();
      await visible(page.getByText('这个密码太常见，容易被猜到，请换一个').first());
      await fill(page, '密码', 'Green-Rice-Field-26');
      await fill(page, '确认密码', 'Green-Rice-Field-26');
      await screenshot(page, 'setup-01-first-start');
      await buttonByText(page, '创建诊所').click();

      // Signed in as the owner of the new clinic.
      await visible(page.getByRole('menuitem', { name: '工作台' }));
      await visible(page.getByText('青禾口腔').first());
      await visible(page.getByRole('button', { name: /许青禾（老板）/ }));

      await page.getByRole('menuitem', { name: '设置' }).click();
      await visible(page.getByRole('tab', { name: '诊所' }));
      await page.getByRole('tab', { name: '门店' }).click();
      await visible(page.getByRole('cell', { name: '滨江店' }));
      await visible(page.getByRole('cell', { name: '杭州市滨江区江南大道 1 号' }));

      await page.getByRole('tab', { name: '员工' }).click();
      await buttonByText(page, '新建员工').click();
      const dialog = await visible(page.getByRole('dialog', { name: '新建员工' }));
      await fill(dialog, '姓名', '周小满');
      await fill(dialog, '用户名', 'xiaoman');
      await dialog.getByLabel('岗位').click();
      await pickOption(page, '前台');
      await fill(dialog, '初始密码', 'Morning-Tide-Desk-4');
      await screenshot(page, 'setup-02-new-staff', { fullPage: false });
      await buttonByText(dialog, '保存').click();
      await dialog.waitFor({ state: 'hidden' });
      const row = await visible(page.getByRole('row').filter({ hasText: 'xiaoman' }));
      expect(await row.textContent()).toContain('待改密');
      expect(await row.textContent()).toContain('从未登录');
      await screenshot(page, 'setup-03-staff-list');

      await page.getByRole('button', { name: '退出登录' }).click();
      await visible(page.getByRole('button', { name: '登录' }));
      const tenantCode = page.getByLabel('诊所代码');
      await tenantCode.fill('qinghe');
      await page.getByLabel('用户名').fill('xiaoman');
      await page.getByLabel('密码').fill('Morning-Tide-Desk-4');
      await page.getByRole('button', { name: '登录' }).click();

      // The temporary password opens only the change-password screen.
      await visible(page.getByText('请先修改临时密码'));
      expect(await page.getByRole('menuitem', { name: '工作台' }).count()).toBe(0);
      await fill(page, '当前密码', 'Morning-Tide-Desk-4');
      await fill(page, '新密码', 'Seven-Lanterns-Glow');
      await fill(page, '确认新密码', 'Seven-Lanterns-Glow');
      await screenshot(page, 'setup-04-forced-change');
      await buttonByText(page, '修改密码').click();
      await visible(page.getByRole('menuitem', { name: '工作台' }));
      await visible(page.getByRole('button', { name: /周小满（前台）/ }));
      // A front desk account has no 设置.
      expect(await page.getByRole('menuitem', { name: '设置' }).count()).toBe(0);
    } catch (error) {
      await screenshot(page, 'setup-failure');
      throw error;
    } finally {
      await page.context().close();
    }
  });

  it('beside the demo, the login page offers "create your own clinic"', async () => {
    const page = await newConsolePage(browser);
    try {
      await page.goto(`${demoUrl}/login`);
      await page.getByRole('link', { name: '创建自己的诊所' }).click();
      await page.waitForURL(/\/setup$/);
      await visible(page.getByText('填写诊所和老板账号'));
      await visible(page.getByRole('link', { name: '返回登录' }));
    } finally {
      await page.context().close();
    }
  });
});
