import { randomInt } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buttonByText, launchBrowser, logIn, newConsolePage, newPortalPage, ownerSession, portalLogIn, screenshot, visible } from './browser.js';

const baseUrl = inject('baseUrl');

type ClinicSettings = Record<string, unknown> & { timezone: string };

/**
 * A time zone where it is early afternoon now: campaigns are marketing and go only within
 * 08:00–22:00 of the clinic's day, so the journey sets the clinic there for its own length and
 * puts the clinic's own zone back after.
 */
const afternoonZone = () => {
  const offset = 13 - new Date().getUTCHours();
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
};

describe('群发: a campaign to a filter, previewed, confirmed, in the log and in the member’s inbox', () => {
  let browser: Browser;
  let page: Page;
  let owner: Awaited<ReturnType<typeof ownerSession>>;
  let clinic: ClinicSettings | undefined;
  const tag = `群发${randomInt(1000, 9999)}`;
  const mobile = `137${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
  let customer: { id: string; name: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    owner = await ownerSession(browser, baseUrl);
    const { code: _code, hasLogo: _hasLogo, ...editable } = await owner.api.get<ClinicSettings>('/api/v1/settings/clinic');
    clinic = editable as ClinicSettings;
    await owner.api.put('/api/v1/settings/clinic', { ...clinic, timezone: afternoonZone() });
    customer = await owner.api.post<{ id: string; name: string }>('/api/v1/customers', {
      name: `群发客户${mobile.slice(-4)}`,
      gender: 'female',
      phone: mobile,
      tags: [tag],
    });
    await owner.api.put(`/api/v1/customers/${customer.id}/consents`, { sms: false, portal: true });
    // One more with the tag who never agreed to marketing: the preview leaves her out, and says why.
    const other = `137${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
    await owner.api.post('/api/v1/customers', { name: `未同意${other.slice(-4)}`, gender: 'female', phone: other, tags: [tag] });
    page = await newConsolePage(browser);
    await logIn(page, baseUrl, 'owner');
  });

  afterAll(async () => {
    if (clinic) await owner?.api.put('/api/v1/settings/clinic', clinic);
    await owner?.close();
    await browser?.close();
  });

  it('previews 1 of 2 (one without consent), sends on confirmation, and shows the result and the log', async () => {
    await page.getByRole('menuitem', { name: '消息' }).click();
    await page.getByRole('tab', { name: '群发' }).click();
    await visible(page.getByRole('row').filter({ hasText: '十二月护肤季' }));
    await buttonByText(page, '新建群发').click();
    const drawer = await visible(page.getByRole('dialog'));
    await drawer.getByLabel('活动名称').fill(`老客回访 ${tag}`);
    const tags = drawer.getByRole('combobox', { name: '客户标签（任一）' });
    await tags.fill(tag);
    await tags.press('Enter');
    await visible(drawer.locator('.ant-select-selection-item').filter({ hasText: tag }));
    await drawer.getByLabel('标题').fill('老客专享护理');
    await drawer.getByLabel('内容').fill('{姓名}您好，{诊所}本周为老客准备了专享护理，欢迎预约。');
    await buttonByText(drawer, '预览收件人').click();
    const preview = await visible(drawer.getByRole('status').filter({ hasText: '2 位客户中 1 位将收到' }));
    await visible(preview.getByText('客户未同意接收营销消息 1', { exact: false }));
    await visible(preview.getByText(`${customer.name}您好，`, { exact: false }));
    await screenshot(page, 'campaign-01-preview');

    await buttonByText(drawer, '发送').click();
    const confirm = await visible(page.locator('.ant-modal-confirm').filter({ hasText: '确认发送给 1 位客户？' }));
    await buttonByText(confirm, '确认发送').click();

    // The campaign opens: its run goes, then she has it in her inbox.
    const detail = await visible(page.getByRole('dialog').filter({ hasText: `老客回访 ${tag}` }));
    const delivered = detail.locator('.ant-statistic').filter({ hasText: '已送达' }).locator('.ant-statistic-content-value');
    await expect.poll(() => delivered.innerText(), { timeout: 15_000 }).toBe('1');
    await visible(detail.locator('.ant-statistic').filter({ hasText: '未发送' }).getByText('1', { exact: true }));
    await visible(detail.getByText('已发送', { exact: true }));
    await screenshot(page, 'campaign-02-result');

    await buttonByText(detail, '查看消息记录').click();
    await visible(page.getByText(`群发：老客回访 ${tag}`));
    const log = await visible(page.getByRole('tabpanel').getByRole('table'));
    await visible(log.getByRole('row').filter({ hasText: customer.name }).filter({ hasText: '已送达' }));
    await visible(log.getByRole('row').filter({ hasText: '未发送' }).filter({ hasText: '客户未同意接收营销消息' }));
  });

  it('the member finds it in her portal inbox', async () => {
    const portal = await newPortalPage(browser);
    try {
      await portalLogIn(portal, baseUrl, mobile);
      await visible(portal.getByText(`您好，${customer.name}`));
      await portal.locator('.portal-tab-bar .adm-tab-bar-item').filter({ hasText: '消息' }).click();
      const inbox = await visible(portal.getByTestId('portal-messages'));
      const message = await visible(inbox.locator('[data-testid="portal-message"]').filter({ hasText: '老客专享护理' }));
      await visible(message.getByText(`${customer.name}您好，`, { exact: false }));
      await screenshot(portal, 'campaign-03-portal-inbox');
    } finally {
      await portal.close();
    }
  });
});
