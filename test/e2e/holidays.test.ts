import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn, newConsolePage, screenshot, visible } from './browser.js';

const baseUrl = inject('baseUrl');

type CalendarDay = { day: string; name: string; kind: string; overrideId: string | null };

/** The API with the page's own session (its cookie and the CSRF token /auth/me hands out). */
const sessionApi = async (page: Page) => {
  const me = (await (await page.request.get(`${baseUrl}/api/v1/auth/me`)).json()) as { csrfToken: string };
  return {
    calendar: async (year: number) =>
      ((await (await page.request.get(`${baseUrl}/api/v1/settings/points/holidays?year=${year}`)).json()) as { items: CalendarDay[] }).items,
    remove: (id: string) => page.request.delete(`${baseUrl}/api/v1/settings/points/holidays/${id}`, { headers: { 'X-CSRF-Token': me.csrfToken } }),
  };
};

describe('holiday calendar: a clinic’s own holidays in the points settings', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the owner adds 三八妇女节 for next year, sees it in the calendar, and the preview for that day applies the holiday multiplier with its reason', async () => {
    const page = await newConsolePage(browser);
    await logIn(page, baseUrl, 'owner');
    const api = await sessionApi(page);
    const nextYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date())) + 1;
    const day = `${nextYear}-03-08`;
    try {
      await page.goto(`${baseUrl}/settings?tab=points`);
      await visible(page.getByRole('tab', { name: '积分', selected: true }));
      const calendar = await visible(page.getByTestId('holiday-calendar'));
      await calendar.scrollIntoViewIfNeeded();
      // This year's national calendar is there, with its make-up workdays.
      await visible(calendar.getByText('法定节假日').first());

      // 添加本店节日: next year's 03-08; the table moves to that year and shows it.
      const dateInput = calendar.getByLabel('日期');
      await dateInput.click();
      await dateInput.fill(day);
      await dateInput.press('Enter');
      await calendar.getByLabel('名称').fill('三八妇女节');
      await calendar.getByRole('button', { name: '添加本店节日' }).click();
      await visible(page.getByText(`已添加 ${day} 三八妇女节`));
      const row = calendar.getByRole('row').filter({ hasText: day });
      await visible(row);
      await expect.poll(() => row.innerText()).toContain('三八妇女节');
      expect(await row.innerText()).toContain('本店节日');
      expect(await row.innerText()).toContain('本店设置');
      await expect.poll(() => calendar.getByLabel('年份').inputValue()).toBe(String(nextYear));
      await screenshot(page, 'holidays-calendar');

      const stored = (await api.calendar(nextYear)).find((entry) => entry.day === day);
      expect(stored).toMatchObject({ name: '三八妇女节', kind: 'clinic_holiday' });

      // The preview on that day, with holidays ×2 (not saved: the preview uses the form as it stands).
      const holidaySwitch = page.getByRole('switch', { name: '启用节假日倍数' });
      if ((await holidaySwitch.getAttribute('aria-checked')) !== 'true') await holidaySwitch.click();
      await page.getByLabel('节假日倍数', { exact: true }).fill('2');
      const preview = await visible(page.getByTestId('points-preview'));
      await preview.getByLabel('消费金额（元）').fill('1000');
      const previewDate = preview.getByLabel('日期');
      await previewDate.click();
      await previewDate.fill(day);
      await previewDate.press('Enter');
      const result = preview.getByTestId('points-preview-result');
      await expect.poll(() => result.innerText(), { timeout: 10_000 }).toContain('× 节日（三八妇女节） 2');
      await visible(result.getByText('节假日', { exact: true }));
      await screenshot(page, 'holidays-preview');

      // Removing the clinic's setting: the day leaves the calendar and the preview drops the multiplier.
      await row.getByRole('button', { name: `删除 ${day} 的本店设置` }).click();
      await page.getByRole('button', { name: /确\s*定|OK/ }).click();
      await visible(page.getByText(`已删除 ${day} 的本店设置`));
      await row.waitFor({ state: 'detached' });
      await expect.poll(() => result.innerText(), { timeout: 10_000 }).not.toContain('三八妇女节');
    } finally {
      const leftover = (await api.calendar(nextYear)).find((entry) => entry.day === day && entry.overrideId);
      if (leftover?.overrideId) await api.remove(leftover.overrideId);
      await page.context().close();
    }
  });
});
