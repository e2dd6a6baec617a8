import { randomInt } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buttonByText, dropdownsClosed, launchBrowser, logIn, newConsolePage, ownerSession, pickOption, screenshot, visible } from './browser.js';

const baseUrl = inject('baseUrl');

describe('呼叫活动: a campaign to a filter is previewed, confirmed, split among callers, and a call moves its progress', () => {
  let browser: Browser;
  let page: Page;
  let caller: Page;
  let owner: Awaited<ReturnType<typeof ownerSession>>;
  const tag = String(randomInt(1000, 9999));
  const grade = `B类${tag}`;
  const name = `老客回访${tag}`;
  let best: { id: string; name: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    owner = await ownerSession(browser, baseUrl);
    const { api } = owner;
    const store = api.me.stores[0]?.id ?? '';
    const item = await api.post<{ id: string }>('/api/v1/items', { kind: 'goods', name: `修护面膜${tag}`, priceFen: 50_000 });
    // Six customers of the grade; the one who paid most comes first, so she is the first caller's.
    const customers: { id: string; name: string }[] = [];
    for (let index = 0; index < 6; index++) {
      const phone = `136${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
      customers.push(
        await api.post<{ id: string; name: string }>('/api/v1/customers', { name: `活动客户${tag}${index}`, gender: 'female', phone, tags: [grade] }),
      );
    }
    best = customers[3] as { id: string; name: string };
    await api.post('/api/v1/orders', {
      storeId: store,
      customerId: best.id,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'wechat', amountFen: 50_000 }],
    });
    page = await newConsolePage(browser);
    await logIn(page, baseUrl, 'owner');
  });

  afterAll(async () => {
    await owner?.close();
    await browser?.close();
  });

  it('creates the campaign from the console after its preview, and shows each caller’s share and progress', async () => {
    await page.getByRole('menuitem', { name: '回访' }).click();
    await page.getByRole('tab', { name: '呼叫活动' }).click();
    await buttonByText(page, '新建呼叫活动').click();
    const drawer = await visible(page.getByRole('dialog', { name: '新建呼叫活动' }));
    await drawer.getByLabel('活动名称').fill(name);
    await drawer.getByLabel('客户标签（任一）').fill(grade);
    await drawer.getByLabel('客户标签（任一）').press('Enter');
    await drawer.getByLabel('最多回访').fill('5');
    await drawer.getByLabel('目标（联系上的人数）').fill('3');
    await drawer.getByLabel('回访人员').click();
    await pickOption(page, '王雅（咨询师）');
    await pickOption(page, '曾蕾（咨询师）');
    await drawer.getByLabel('活动名称').click();
    await dropdownsClosed(page);
    await drawer.getByLabel('话术').fill('您好，老客回馈活动想邀请您回来做个护理。');

    await buttonByText(drawer, '预览').click();
    await visible(drawer.getByText('符合条件 6 人，将为其中 5 人创建回访任务'));
    await visible(drawer.getByText('王雅：3 人'));
    await visible(drawer.getByText('曾蕾：2 人'));
    await screenshot(page, 'call-campaign-preview', { fullPage: false });
    await buttonByText(drawer, '确认创建').click();

    // The detail opens: five tasks made, none reached yet, three for 王雅 and two for 曾蕾.
    const detail = await visible(page.getByRole('dialog', { name }));
    await visible(detail.getByText('已联系 0 / 目标 3（0%）'));
    const staffRows = detail.getByRole('row');
    await visible(staffRows.filter({ hasText: '王雅' }).filter({ hasText: /^王雅\s*3/ }));
    await visible(staffRows.filter({ hasText: '曾蕾' }).filter({ hasText: /^曾蕾\s*2/ }));
    // The picture once the drawers have finished moving.
    await page.getByRole('dialog', { name: '新建呼叫活动' }).waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.evaluate("getComputedStyle(document.querySelector('.ant-drawer-open .ant-drawer-content-wrapper')).transform"))
      .toMatch(/^(none|matrix\(1, 0, 0, 1, 0, 0\))$/);
    await screenshot(page, 'call-campaign-detail', { fullPage: false });
  });

  it('puts the best customer in the first caller’s list; her outcome moves the campaign’s progress', async () => {
    caller = await newConsolePage(browser);
    await logIn(caller, baseUrl, 'consultant');
    await caller.getByRole('menuitem', { name: '回访' }).click();
    await caller.getByText('以后', { exact: true }).click();
    const row = await visible(caller.getByRole('row').filter({ hasText: best.name }).filter({ hasText: name }));
    await row.getByRole('button', { name: `记录结果：${best.name}` }).click();
    const dialog = await visible(caller.getByRole('dialog'));
    await visible(dialog.getByText('您好，老客回馈活动想邀请您回来做个护理。'));
    await dialog.getByText('已联系', { exact: true }).click();
    await buttonByText(dialog, '确定').or(buttonByText(dialog, 'OK')).first().click();
    await expect.poll(() => caller.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => caller.getByRole('row').filter({ hasText: best.name }).filter({ hasText: name }).count()).toBe(0);

    // The owner's list shows the goal moving.
    await page.reload();
    await page.getByRole('tab', { name: '呼叫活动' }).click();
    const listed = await visible(page.locator('tr').filter({ hasText: name }));
    await visible(listed.getByText('已联系 1 / 目标 3（33.3%）'));
    await visible(listed.getByText('1 / 5'));
    await buttonByText(listed, name).click();
    const detail = await visible(page.getByRole('dialog', { name }));
    await visible(
      detail
        .getByRole('row')
        .filter({ hasText: /^王雅\s*3/ })
        .filter({ hasText: '33%' }),
    );
  });
});
