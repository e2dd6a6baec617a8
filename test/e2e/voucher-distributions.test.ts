import { randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buttonByText, dropdownsClosed, launchBrowser, logIn, newConsolePage, pickOption, screenshot, sessionApi, smsCodeFor, visible } from './browser.js';

const baseUrl = inject('baseUrl');

const phone = () => `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

describe('voucher distribution: a batch from a pasted phone list, a claim link claimed on the phone, and the statistics', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the owner sends a batch to pasted phones (an unknown one named), creates a claim link a customer claims on the portal, and reads the statistics', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'owner');
      const api = await sessionApi(page, baseUrl);
      const tag = String(randomInt(1000, 9999));
      const customers = [
        await api.post<{ id: string; phone: string; name: string }>('/api/v1/customers', { name: `名单客户${tag}`, gender: 'female', phone: phone() }),
        await api.post<{ id: string; phone: string; name: string }>('/api/v1/customers', { name: `名单客户${tag}乙`, gender: 'female', phone: phone() }),
      ];
      const template = await api.post<{ id: string }>('/api/v1/voucher-templates', {
        name: `回馈券${tag}`,
        kind: 'cash_off',
        faceValueFen: 8_000,
        thresholdFen: 30_000,
        scope: { itemIds: [], categoryIds: [] },
        channels: ['store'],
        validity: { kind: 'relative', days: 30 },
        totalStock: 50,
        perCustomerLimit: 1,
        isStackable: true,
      });

      await page.goto(`${baseUrl}/vouchers/distributions`);
      await visible(page.getByRole('tab', { name: '发券', selected: true }));
      // The demo clinic's distributions.
      await visible(page.getByText('新客注册礼'));
      await visible(page.getByText('超过半个月没有下单 · 回店礼'));
      await screenshot(page, 'voucher-distributions');

      // 批量发券 to a pasted list: two customers and a number nobody has.
      const unknown = phone();
      await page.getByRole('button', { name: '新建发券' }).click();
      const drawer = await visible(page.getByRole('dialog', { name: '新建发券' }));
      await drawer.getByText('批量发券', { exact: true }).click();
      await drawer.getByLabel('活动名称').fill(`名单发券${tag}`);
      await drawer.getByLabel('券', { exact: true }).click();
      // Searched first: with many templates the option may sit beyond the dropdown's rendered rows.
      await page.keyboard.type(`回馈券${tag}`);
      await pickOption(page, `回馈券${tag}`);
      await dropdownsClosed(page);
      await drawer.getByText('粘贴手机号', { exact: true }).click();
      await drawer.getByLabel('手机号名单').fill(`${customers[0]?.phone}\n${customers[1]?.phone}, ${unknown}`);
      await buttonByText(drawer, '预览人数').click();
      await visible(drawer.getByText('将发给 2 位客户'));
      await visible(drawer.getByText(new RegExp(`1 个号码不是本店客户：${unknown}`)));
      await screenshot(page, 'voucher-distribution-drawer', { fullPage: false });
      await buttonByText(drawer, '创建').click();
      // To many customers: how many, what, and a confirmation whose default is no.
      const confirmFirst = await visible(page.getByRole('dialog').filter({ hasText: '向 2 位客户发券？' }));
      await visible(confirmFirst.getByText(`各发放 1 张「回馈券${tag}」`, { exact: false }));
      await buttonByText(confirmFirst, '确认发券').click();
      await drawer.waitFor({ state: 'hidden' });
      // The batch issues in the background: its card follows the job until it reports done.
      const progress = await visible(page.getByTestId('distribution-job'));
      await expect.poll(() => progress.innerText(), { timeout: 15_000 }).toContain('发放完成');
      expect(await progress.innerText()).toContain('已发放 2 位客户（0 位此前已收到，跳过 0 位）');
      expect(await progress.innerText()).toContain('已处理 2 / 2 位客户');
      const row = await visible(page.locator('tr').filter({ hasText: `名单发券${tag}` }));
      await expect.poll(() => row.innerText()).toContain('名单匹配 2 位（1 个号码未匹配）');
      await expect.poll(() => row.innerText()).toContain('已完成');
      const wallet = await api.get<{ items: { templateId: string; source: string }[] }>(`/api/v1/customers/${customers[0]?.id}/vouchers`);
      expect(wallet.items.filter((voucher) => voucher.templateId === template.id)).toEqual([expect.objectContaining({ source: 'batch' })]);

      // 领券链接: created in the drawer, shown with its QR code and link.
      await page.getByRole('button', { name: '新建发券' }).click();
      const linkDrawer = await visible(page.getByRole('dialog', { name: '新建发券' }));
      await linkDrawer.getByText('领券链接', { exact: true }).click();
      await linkDrawer.getByLabel('活动名称').fill(`扫码领券${tag}`);
      await linkDrawer.getByLabel('券', { exact: true }).click();
      // Searched first: with many templates the option may sit beyond the dropdown's rendered rows.
      await page.keyboard.type(`回馈券${tag}`);
      await pickOption(page, `回馈券${tag}`);
      await dropdownsClosed(page);
      await buttonByText(linkDrawer, '创建').click();
      const modal = await visible(page.getByRole('dialog', { name: '领券链接' }));
      await visible(modal.locator('.claim-link-qr svg'));
      const claimUrl = (await modal.locator('.ant-typography').filter({ hasText: '/m/claim/' }).first().innerText()).trim();
      expect(claimUrl).toMatch(/\/m\/claim\/[a-z0-9]{10}\?clinic=demo$/);
      // Once the modal has finished opening.
      await expect.poll(() => page.evaluate("getComputedStyle(document.querySelector('.ant-modal')).opacity")).toBe('1');
      await screenshot(page, 'voucher-claim-link', { fullPage: false });
      await modal.getByRole('button', { name: 'Close' }).or(modal.locator('.ant-modal-close')).first().click();

      // The customer opens the link on her phone: she sees the offer, logs in by SMS and claims it.
      const claimer = await api.post<{ id: string; phone: string }>('/api/v1/customers', { name: `领券客户${tag}`, gender: 'female', phone: phone() });
      const context = await browser.newContext({
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        viewport: { width: 375, height: 812 },
        isMobile: true,
        hasTouch: true,
      });
      context.setDefaultTimeout(15_000);
      const phonePage = await context.newPage();
      try {
        await phonePage.goto(new URL(claimUrl, baseUrl).toString());
        const offer = await visible(phonePage.getByTestId('claim-offer'));
        await expect.poll(() => offer.innerText()).toContain(`回馈券${tag}`);
        await expect.poll(() => offer.innerText()).toContain('满¥300可用');
        await expect.poll(() => offer.innerText()).toContain('48 张');
        await screenshot(phonePage, 'portal-claim-page');
        await phonePage.getByRole('button', { name: '登录后领取' }).click();
        await phonePage.getByRole('textbox', { name: '手机号' }).fill(claimer.phone);
        await phonePage.getByRole('button', { name: '获取验证码' }).click();
        let code: string | undefined;
        await expect.poll(async () => (code = await smsCodeFor(claimer.phone)), { timeout: 10_000 }).toMatch(/^\d{6}$/);
        await phonePage.getByRole('textbox', { name: '验证码' }).fill(code ?? '');
        await phonePage.getByRole('button', { name: '登录' }).click();
        await visible(phonePage.getByRole('button', { name: '立即领取' }));
        await phonePage.getByRole('button', { name: '立即领取' }).click();
        await visible(phonePage.getByText('领取成功，已放入券包').first());
        await visible(phonePage.getByRole('button', { name: '已领取' }));
        await expect.poll(() => offer.innerText()).toContain('47 张');
        expect(await phonePage.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
        await screenshot(phonePage, 'portal-claim-done');
        // Her wallet has it; 领券中心 lists what else she can claim.
        await phonePage.getByRole('button', { name: '查看我的券包' }).click();
        await visible(phonePage.getByText(`回馈券${tag}`).first());
        await phonePage.getByRole('link', { name: '领券中心' }).click();
        const centre = await visible(phonePage.getByTestId('claim-centre'));
        await expect.poll(() => centre.innerText()).toContain('小气泡清洁体验券');
      } finally {
        await context.close();
      }

      // 数据: the statistics with both charts and the claim counted.
      await page.goto(`${baseUrl}/vouchers/stats`);
      await visible(page.getByRole('tab', { name: '数据', selected: true }));
      await visible(page.getByTestId('voucher-funnel').locator('.recharts-bar-rectangle').first());
      await visible(page.getByTestId('voucher-daily').locator('.recharts-line').first());
      const statsRow = await visible(page.locator('tr').filter({ hasText: `回馈券${tag}` }));
      // Issued 3 (two by the batch, one claimed), claimed 1, used 0, claim rate 1 ÷ 50.
      await expect.poll(async () => (await statsRow.locator('td').allInnerTexts()).slice(0, 3)).toEqual([`回馈券${tag}`, '3', '1']);
      await expect.poll(() => statsRow.innerText()).toContain('2.0%');
      await visible(page.getByText('领取率 = 客户自领张数 ÷ 券的发放总量', { exact: false }));
      await screenshot(page, 'voucher-stats');
      const csv = await page.request.get(`${baseUrl}/api/v1/voucher-stats.csv`);
      expect(csv.headers()['content-type']).toContain('text/csv');
      expect((await csv.body()).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

      // 客户 → 筛选 → 勾选 → 批量发券 (seed 003): the ticked customers arrive in the drawer.
      await page.goto(`${baseUrl}/customers?q=${encodeURIComponent(`名单客户${tag}`)}`);
      await expect.poll(() => page.locator('.ant-table-row').count()).toBe(2);
      for (const checkbox of await page.locator('.ant-table-row .ant-checkbox-input').all()) await checkbox.check();
      await page.getByRole('button', { name: /批量发券（2）/ }).click();
      const batchDrawer = await visible(page.getByRole('dialog', { name: '新建发券' }));
      await expect
        .poll(() => batchDrawer.locator('.ant-select-selection-item').allInnerTexts())
        .toEqual(expect.arrayContaining([expect.stringContaining(`名单客户${tag}`), expect.stringContaining(`名单客户${tag}乙`)]));
      await batchDrawer.getByLabel('活动名称').fill(`勾选发券${tag}`);
      await batchDrawer.getByLabel('券', { exact: true }).click();
      // Searched first: with many templates the option may sit beyond the dropdown's rendered rows.
      await page.keyboard.type('老客回店券');
      await pickOption(page, '老客回店券');
      await dropdownsClosed(page);
      await buttonByText(batchDrawer, '创建').click();
      await buttonByText(await visible(page.getByRole('dialog').filter({ hasText: '向 2 位客户发券？' })), '确认发券').click();
      await batchDrawer.waitFor({ state: 'hidden' });
      const batchProgress = await visible(page.getByTestId('distribution-job'));
      await expect.poll(() => batchProgress.innerText(), { timeout: 15_000 }).toContain('发放完成');
      expect(await batchProgress.innerText()).toContain('已发放 2 位客户');
    } finally {
      await page.context().close();
    }
  });
});
