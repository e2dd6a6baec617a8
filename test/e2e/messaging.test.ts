import { randomInt } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buttonByText, launchBrowser, logIn, newConsolePage, ownerSession, pickOption, screenshot, visible } from './browser.js';

const baseUrl = inject('baseUrl');
const phone = () => `136${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

describe('消息: the log, a topic reworded and previewed, her consent, the opt-out list', () => {
  let browser: Browser;
  let page: Page;
  let owner: Awaited<ReturnType<typeof ownerSession>>;
  let customer: { id: string; name: string; phone: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    owner = await ownerSession(browser, baseUrl);
    const mobile = phone();
    customer = {
      ...(await owner.api.post<{ id: string; name: string }>('/api/v1/customers', { name: `消息客户${mobile.slice(-4)}`, gender: 'female', phone: mobile })),
      phone: mobile,
    };
    page = await newConsolePage(browser);
    await logIn(page, baseUrl, 'owner');
  });

  afterAll(async () => {
    // The default wording again, for whoever reads the demo next.
    await owner?.api.put('/api/v1/message-templates/points.expiring/portal', {
      body: '{姓名}您好，您有 {积分} 积分将于 {到期日} 到期，到店消费可抵现。',
      providerTemplateCode: null,
      isEnabled: true,
    });
    await owner?.close();
    await browser?.close();
  });

  it('shows the demo clinic’s delivered reminders in the log', async () => {
    await page.getByRole('menuitem', { name: '消息' }).click();
    await visible(page.getByRole('table'));
    // By its topic: newer messages (campaigns, care advice, other journeys') may fill the first page.
    await page.goto(`${baseUrl}/messages?topic=points.expiring`);
    const log = await visible(page.getByRole('table'));
    await visible(log.getByRole('row').filter({ hasText: '积分到期提醒' }).filter({ hasText: '已送达' }).first());
    await screenshot(page, 'messages-log');
  });

  it('refuses a forbidden word, previews the wording on a real customer, and saves it', async () => {
    await page.getByRole('tab', { name: '消息模板' }).click();
    const card = await visible(page.getByTestId('topic-points.expiring'));
    await card.getByRole('button', { name: '编辑 会员中心' }).click();
    const drawer = await visible(page.getByRole('dialog'));
    const text = drawer.getByRole('textbox').first();
    await text.fill('{姓名}，最好的积分 {积分} 分将于 {到期日} 到期');
    await buttonByText(drawer, '保存').click();
    await visible(drawer.getByRole('alert').filter({ hasText: '最好' }));
    await text.fill('亲爱的{姓名}：{积分} 积分将于 {到期日} 到期，欢迎到店使用。');
    // Her whole phone: one match, and the preview button comes alive once she is chosen.
    await drawer.getByRole('combobox', { name: '选一位客户' }).fill(customer.phone);
    await pickOption(page, customer.phone);
    await expect.poll(() => buttonByText(drawer, '预览').isEnabled()).toBe(true);
    await buttonByText(drawer, '预览').click();
    await visible(drawer.getByTestId('template-preview').getByText(`亲爱的${customer.name}：1,280 积分将于`, { exact: false }));
    await screenshot(page, 'messages-template-preview', { fullPage: false });
    await buttonByText(drawer, '保存').click();
    await visible(card.getByText('亲爱的{姓名}：{积分} 积分将于 {到期日} 到期，欢迎到店使用。'));
    await visible(card.getByText('已自定义'));
  });

  it('records her marketing consent on her 360 page, and keeps a phone on the opt-out list', async () => {
    await page.goto(`${baseUrl}/customers/${customer.id}`);
    await page.getByRole('tab', { name: '消息' }).click();
    const portalSwitch = await visible(page.getByRole('switch', { name: '接收会员中心优惠消息' }));
    expect(await portalSwitch.getAttribute('aria-checked')).toBe('false');
    await portalSwitch.click();
    await expect.poll(async () => (await owner.api.get<{ portal: boolean }>(`/api/v1/customers/${customer.id}/consents`)).portal).toBe(true);

    await page.goto(`${baseUrl}/messages?tab=opt-outs`);
    await buttonByText(page, '添加号码').click();
    const dialog = await visible(page.getByRole('dialog'));
    await dialog.getByLabel('手机号').fill(customer.phone);
    await dialog.getByLabel('备注').fill('电话中要求不再发送');
    await buttonByText(dialog, '确定').or(buttonByText(dialog, 'OK')).first().click();
    await visible(page.getByRole('row').filter({ hasText: customer.phone }).filter({ hasText: '手工添加' }));
  });
});
