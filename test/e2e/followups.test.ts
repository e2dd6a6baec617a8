import { randomInt } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buttonByText, launchBrowser, logIn, newConsolePage, ownerSession, screenshot, visible } from './browser.js';

const baseUrl = inject('baseUrl');

type Json = Record<string, unknown>;

describe('回访: a treatment makes day-1 and day-7 follow-ups, and the nurse who did it records an outcome', () => {
  let browser: Browser;
  let page: Page;
  let owner: Awaited<ReturnType<typeof ownerSession>>;
  const tag = String(randomInt(1000, 9999));
  let customer: { id: string; name: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    owner = await ownerSession(browser, baseUrl);
    const { api } = owner;
    const store = api.me.stores[0]?.id ?? '';
    // 李明, the demo's doctor, who logs in as `doctor`.
    const doctor = (await api.get<{ items: { id: string; displayName: string }[] }>('/api/v1/staff')).items.find((staff) => staff.displayName === '李明');
    const service = await api.post<{ id: string; name: string }>('/api/v1/items', { kind: 'service', name: `果酸焕肤${tag}`, priceFen: 38_000 });
    const course = await api.post<{ id: string }>('/api/v1/items', {
      kind: 'package',
      name: `果酸三次${tag}`,
      priceFen: 99_000,
      contents: [{ itemId: service.id, sessions: 3 }],
    });
    const phone = `135${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
    customer = await api.post<{ id: string; name: string }>('/api/v1/customers', { name: `回访客户${tag}`, gender: 'female', phone });
    await api.post('/api/v1/orders', {
      storeId: store,
      customerId: customer.id,
      lines: [{ itemId: course.id, quantity: 1 }],
      payments: [{ method: 'wechat', amountFen: 99_000 }],
    });
    const [held] = (await api.get<{ items: { items: { id: string }[] }[] }>(`/api/v1/customers/${customer.id}/courses`)).items;
    await api.post(`/api/v1/course-items/${held?.items[0]?.id}/deductions`, { storeId: store, executorId: doctor?.id ?? '' });
    // The rule counts treatments from today: this morning's 划扣 gets its follow-ups at once.
    await api.post<Json>('/api/v1/followup-rules', {
      name: `果酸术后${tag}`,
      trigger: 'treatment',
      itemIds: [service.id],
      offsetsDays: [1, 7],
      assignee: 'executor',
      channel: 'call',
      script: '术后注意防晒，有没有刺痛或脱皮？',
    });
    page = await newConsolePage(browser);
    await logIn(page, baseUrl, 'doctor');
  });

  afterAll(async () => {
    await owner?.close();
    await browser?.close();
  });

  it('lists both follow-ups for the nurse and records what came of the first call', async () => {
    await page.getByRole('menuitem', { name: '回访' }).click();
    await page.getByText('以后', { exact: true }).click();
    const rows = page.getByRole('row').filter({ hasText: customer.name });
    await visible(rows.filter({ hasText: '治疗后第 1 天回访' }));
    await visible(rows.filter({ hasText: '治疗后第 7 天回访' }));
    await screenshot(page, 'followups-mine', { fullPage: false });

    await rows
      .filter({ hasText: '治疗后第 1 天回访' })
      .getByRole('button', { name: `记录结果：${customer.name}` })
      .click();
    const dialog = await visible(page.getByRole('dialog'));
    await visible(dialog.getByText('术后注意防晒，有没有刺痛或脱皮？'));
    await dialog.getByText('已联系', { exact: true }).click();
    await dialog.getByLabel('备注').fill('恢复良好，无刺痛');
    await buttonByText(dialog, '确定').or(buttonByText(dialog, 'OK')).first().click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => rows.filter({ hasText: '治疗后第 1 天回访' }).count()).toBe(0);

    // On her 360 page: the call and its outcome, the next one still open.
    await page.goto(`${baseUrl}/customers/${customer.id}`);
    await page.getByRole('tab', { name: '回访' }).click();
    const history = page.getByRole('tabpanel').getByRole('row');
    await visible(history.filter({ hasText: '治疗后第 1 天回访' }).filter({ hasText: '已联系' }).filter({ hasText: '恢复良好，无刺痛' }));
    await visible(history.filter({ hasText: '治疗后第 7 天回访' }).getByRole('button', { name: /记录结果/ }));
  });
});
