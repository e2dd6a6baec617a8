import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatYuan } from '../../web/shared/money.js';
import { launchBrowser, logIn, newConsolePage, pickOption, screenshot, sessionApi, smsCodeFor, visible } from './browser.js';

const baseUrl = inject('baseUrl');

type Json = Record<string, unknown>;

type CustomerRow = { id: string; name: string; phone: string };
type PointsOverview = { balance: number; active: number; pending: number; entries: { id: string; type: string; points: number }[] };

/** The API with the page's own session (its cookie and the CSRF token /auth/me hands out). */

/** A demo customer with usable points and some history, found through the staff API. */
const customerWithPoints = async (api: Awaited<ReturnType<typeof sessionApi>>, skip: readonly string[] = []) => {
  const customers = await api.get<{ items: CustomerRow[] }>('/api/v1/customers?pageSize=50');
  for (const customer of customers.items) {
    if (skip.includes(customer.id)) continue;
    const points = await api.get<PointsOverview>(`/api/v1/customers/${customer.id}/points`);
    if (points.active > 0 && points.entries.length > 0) return { customer, points };
  }
  throw new Error('no demo customer with points among the first 50');
};

const group = (points: number) => points.toLocaleString('en-US');

describe('points: customer 360, settings, checkout and the member portal', () => {
  let browser: Browser;
  let adjustedCustomerId: string | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the owner sees a customer’s points, adjusts them, reads an entry’s details, previews the earning rules and sees the points at the desk', async () => {
    const page = await newConsolePage(browser);
    try {
      await logIn(page, baseUrl, 'owner');
      const api = await sessionApi(page, baseUrl);
      const { customer, points } = await customerWithPoints(api);
      adjustedCustomerId = customer.id;

      // 积分 tab: balance by state, lots and history.
      await page.goto(`${baseUrl}/customers/${customer.id}?tab=points`);
      await visible(page.getByRole('tab', { name: '积分', selected: true }));
      const balance = await visible(page.getByTestId('points-balance'));
      await expect.poll(() => balance.innerText()).toContain(group(points.active));
      await visible(page.getByText('积分批次'));
      await visible(page.getByText('积分明细').first());
      await screenshot(page, 'points-360-before');

      // 调整积分 +100 with a reason; the balance moves.
      await page.getByRole('button', { name: '调整积分' }).click();
      const dialog = await visible(page.getByRole('dialog', { name: '调整积分' }));
      await dialog.getByLabel('积分（正数增加，负数扣减）').fill('100');
      await dialog.getByLabel('原因').fill('e2e 活动补发');
      await screenshot(page, 'points-adjust-dialog', { fullPage: false });
      await dialog.getByRole('button', { name: '确认调整' }).click();
      await visible(page.getByText('已调整 +100 积分'));
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => balance.innerText()).toContain(group(points.active + 100));
      const after = await api.get<PointsOverview>(`/api/v1/customers/${customer.id}/points`);
      expect(after.active).toBe(points.active + 100);
      const historyRow = page.getByRole('row').filter({ hasText: 'e2e 活动补发' });
      await visible(historyRow);
      expect(await historyRow.innerText()).toContain('+100');

      // 明细 of that entry: the rule and the lot it created.
      await historyRow.getByRole('button', { name: '明细' }).click();
      const explain = await visible(page.getByTestId('points-explain'));
      await expect.poll(() => explain.innerText()).toContain('手工调整');
      await screenshot(page, 'points-360-after');
      await page.keyboard.press('Escape');

      // A negative adjustment beyond the balance is refused with the server's message.
      await page.getByRole('button', { name: '调整积分' }).click();
      const refused = await visible(page.getByRole('dialog', { name: '调整积分' }));
      await refused.getByLabel('积分（正数增加，负数扣减）').fill(String(-(after.balance + 5000)));
      await refused.getByLabel('原因').fill('e2e 超额扣减');
      await refused.getByRole('button', { name: '确认调整' }).click();
      await visible(refused.getByText(/超过现有积分/));
      await screenshot(page, 'points-adjust-refused', { fullPage: false });
      await refused.getByRole('button', { name: /取\s*消/ }).click();

      // 积分 settings: member day on the 15th ×2, a 铂金 tier ×1.5 in the preview, then ×3.
      await page.goto(`${baseUrl}/settings?tab=points`);
      await visible(page.getByRole('tab', { name: '积分', selected: true }));
      const memberDaySwitch = page.getByRole('switch', { name: '启用会员日' });
      if ((await memberDaySwitch.getAttribute('aria-checked')) !== 'true') await memberDaySwitch.click();
      await page.getByLabel('每月几号').fill('15');
      await page.getByLabel('倍数', { exact: true }).fill('2');
      const preview = await visible(page.getByTestId('points-preview'));
      await preview.getByLabel('消费金额（元）').fill('3000');
      const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());
      const dateInput = preview.getByLabel('日期');
      await dateInput.click();
      await dateInput.fill(`${month}-15`);
      await dateInput.press('Enter');
      await preview.getByLabel('会员等级').fill('铂金');
      await preview.getByLabel('等级倍数').fill('1.5');
      const result = preview.getByTestId('points-preview-result');
      await expect.poll(() => result.innerText(), { timeout: 10_000 }).toContain('基础 3000 × 等级（铂金） 1.5 × 会员日 2 = 9000 积分');
      await screenshot(page, 'points-settings-preview');
      await page.getByLabel('倍数', { exact: true }).fill('3');
      await expect.poll(() => result.innerText(), { timeout: 10_000 }).toContain('会员日 3 = 13500 积分');
      await expect.poll(() => result.innerText()).toContain('可得 13,500 积分');
      await screenshot(page, 'points-settings-preview-updated');

      // 保存: the impact on the last 90 days is checked first; a big change asks for confirmation. Restored afterwards.
      const original = await api.get<Json>('/api/v1/settings/points');
      try {
        await page.getByRole('button', { name: /保\s*存/ }).click();
        const saved = page.getByText('积分设置已保存');
        const impactDialog = page.getByRole('dialog').filter({ hasText: '新规则会明显改变积分发放' });
        await impactDialog.or(saved).first().waitFor({ state: 'visible' });
        if (await impactDialog.isVisible()) {
          expect(await impactDialog.innerText()).toMatch(/积分负债约 ¥/);
          await screenshot(page, 'points-settings-impact', { fullPage: false });
          await impactDialog.getByRole('button', { name: '确认保存' }).click();
        }
        await visible(saved);
        const stored = await api.get<{ earning: { memberDay: { dayOfMonth: number; basisPoints: number } | null } }>('/api/v1/settings/points');
        expect(stored.earning.memberDay).toEqual({ dayOfMonth: 15, basisPoints: 30_000 });
      } finally {
        await api.put('/api/v1/settings/points', original);
      }

      // At the desk: her usable points and what they are worth (100 points = ¥1 in the demo settings).
      const settings = await api.get<{ redemption: { pointsPerYuan: number } }>('/api/v1/settings/points');
      await page.goto(`${baseUrl}/checkout`);
      const memberBox = await visible(page.getByRole('combobox', { name: '会员' }));
      await expect.poll(() => memberBox.evaluate((element) => element.ownerDocument.activeElement === element)).toBe(true);
      await page.keyboard.type(customer.phone.slice(-6));
      await page.keyboard.press('Enter');
      const hint = await visible(page.getByTestId('checkout-points'));
      const worthFen = Math.floor((after.active * 100) / settings.redemption.pointsPerYuan);
      await expect.poll(() => hint.innerText()).toContain(`积分 ${group(after.active)} 可用，可抵 ${formatYuan(worthFen)}`);
      await screenshot(page, 'points-checkout-hint');
    } finally {
      await page.context().close();
    }
  });

  it('the owner sets weekday, campaign and item multipliers, excluded categories and reminder days; they survive a reload and the preview explains them', async () => {
    const page = await newConsolePage(browser);
    await logIn(page, baseUrl, 'owner');
    const api = await sessionApi(page, baseUrl);
    const original = await api.get<Json>('/api/v1/settings/points');
    try {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const shift = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
      const weekdayIndex = new Date(`${today}T00:00:00Z`).getUTCDay() || 7;
      const weekday = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'][weekdayIndex - 1] ?? '';
      const campaignFrom = shift(-1);
      const campaignTo = shift(1);
      const reason = `热玛吉：基础 12800 × ${weekday} 1.5 × e2e 焕颜 2 × 热玛吉加倍 3 = 115200 积分`;

      await page.goto(`${baseUrl}/settings?tab=points`);
      await visible(page.getByRole('tab', { name: '积分', selected: true }));

      // Today's weekday ×1.5.
      await page.getByLabel(weekday, { exact: true }).fill('1.5');

      // A campaign from yesterday to tomorrow, ×2 (the default of a new row).
      await page.getByRole('button', { name: '添加活动' }).click();
      const campaign = await visible(page.locator('[data-testid^="points-campaign-"]').last());
      await campaign.getByPlaceholder('例如：春季焕颜').fill('e2e 焕颜');
      const start = campaign.getByPlaceholder('开始日期');
      await start.click();
      await start.fill(campaignFrom);
      await start.press('Enter');
      const end = campaign.getByPlaceholder('结束日期');
      await end.fill(campaignTo);
      await end.press('Enter');

      // 热玛吉 (¥12 800) at or above ¥10 000 earns ×3.
      await page.getByRole('button', { name: '添加品项倍数' }).click();
      const itemRule = await visible(page.locator('[data-testid^="points-item-multiplier-"]').last());
      await itemRule.getByPlaceholder('例如：高客单项目').fill('热玛吉加倍');
      await itemRule.getByRole('combobox').last().click();
      await page.keyboard.type('热玛吉');
      await pickOption(page, /^热玛吉（/);
      await itemRule.getByRole('spinbutton').first().fill('10000');
      await itemRule.getByRole('spinbutton').last().fill('3');

      // No points against 药品; reminders 30, 7 and — after a duplicate is refused — 3 days before.
      await page.getByLabel('不可抵扣的品项分类').click();
      await pickOption(page, /^药品$/);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: '添加提醒' }).click();
      const reminder = page.getByLabel('提醒 3：到期前天数');
      await reminder.fill('7');

      // The preview explains all three multipliers for 热玛吉 today.
      const preview = await visible(page.getByTestId('points-preview'));
      await preview.getByLabel('消费金额（元）').fill('12800');
      await preview.getByLabel('品项（可选）').click();
      await page.keyboard.type('热玛吉');
      await pickOption(page, /^热玛吉（/);
      const result = preview.getByTestId('points-preview-result');
      await expect.poll(() => result.innerText(), { timeout: 10_000 }).toContain(reason);
      await screenshot(page, 'points-settings-multipliers');

      const save = async () => {
        await page.getByRole('button', { name: /保\s*存/ }).click();
        const saved = page.getByText('积分设置已保存');
        const impactDialog = page.getByRole('dialog').filter({ hasText: '新规则会明显改变积分发放' });
        await impactDialog.or(saved).first().waitFor({ state: 'visible' });
        if (await impactDialog.isVisible()) await impactDialog.getByRole('button', { name: '确认保存' }).click();
        await visible(saved);
      };
      await page.getByRole('button', { name: /保\s*存/ }).click();
      await visible(page.getByText('提醒天数不能重复'));
      await reminder.fill('3');
      await save();

      const stored = await api.get<{
        earning: { weekdayBasisPoints: Record<string, number>; campaigns: Json[]; itemMultipliers: Json[] };
        redemption: { excludedCategoryIds: string[] };
        reminders: { daysBefore: number[] };
      }>('/api/v1/settings/points');
      expect(stored.earning.weekdayBasisPoints).toEqual({ [String(weekdayIndex)]: 15_000 });
      expect(stored.earning.campaigns).toEqual([{ name: 'e2e 焕颜', from: campaignFrom, to: campaignTo, basisPoints: 20_000 }]);
      expect(stored.earning.itemMultipliers).toEqual([{ itemId: expect.any(String), minUnitPriceFen: 1_000_000, basisPoints: 30_000, name: '热玛吉加倍' }]);
      expect(stored.redemption.excludedCategoryIds).toHaveLength(1);
      expect(stored.reminders.daysBefore).toEqual([30, 7, 3]);

      // After a reload the form shows what was saved, the saved item by its name.
      await page.reload();
      await visible(page.getByRole('tab', { name: '积分', selected: true }));
      await expect.poll(() => page.getByLabel(weekday, { exact: true }).inputValue()).toBe('1.50');
      const savedCampaign = page.locator('[data-testid^="points-campaign-"]').last();
      expect(await savedCampaign.getByPlaceholder('例如：春季焕颜').inputValue()).toBe('e2e 焕颜');
      expect(await savedCampaign.getByPlaceholder('开始日期').inputValue()).toBe(campaignFrom);
      expect(await savedCampaign.getByPlaceholder('结束日期').inputValue()).toBe(campaignTo);
      expect(await savedCampaign.getByRole('spinbutton').inputValue()).toBe('2.00');
      const savedRule = page.locator('[data-testid^="points-item-multiplier-"]').last();
      expect(await savedRule.getByPlaceholder('例如：高客单项目').inputValue()).toBe('热玛吉加倍');
      // By its name, whether or not the item is among the search's first results.
      await expect.poll(() => savedRule.innerText()).toMatch(/热玛吉(（|\n|$)/);
      expect(await savedRule.getByRole('spinbutton').first().inputValue()).toBe('10000.00');
      expect(await savedRule.getByRole('spinbutton').last().inputValue()).toBe('3.00');
      await expect.poll(() => page.getByTestId('points-settings-excluded-categories').innerText()).toContain('药品');
      for (const [index, days] of ['30', '7', '3'].entries()) {
        expect(await page.getByLabel(`提醒 ${index + 1}：到期前天数`).inputValue()).toBe(days);
      }
      await screenshot(page, 'points-settings-multipliers-reloaded');

      // The preview of the reloaded form still explains them.
      const reloadedPreview = await visible(page.getByTestId('points-preview'));
      await reloadedPreview.getByLabel('消费金额（元）').fill('12800');
      await reloadedPreview.getByLabel('品项（可选）').click();
      await page.keyboard.type('热玛吉');
      await pickOption(page, /^热玛吉（/);
      await expect.poll(() => reloadedPreview.getByTestId('points-preview-result').innerText(), { timeout: 10_000 }).toContain(reason);
    } finally {
      await api.put('/api/v1/settings/points', original);
      await page.context().close();
    }
  });

  it('a member logs in to the portal with an SMS code and sees her points and their history', async () => {
    // An owner session sees full phone numbers; the member is a demo customer with points.
    const staffPage = await newConsolePage(browser);
    let member: { customer: CustomerRow; points: PointsOverview };
    try {
      await logIn(staffPage, baseUrl, 'owner');
      member = await customerWithPoints(await sessionApi(staffPage, baseUrl), adjustedCustomerId ? [adjustedCustomerId] : []);
    } finally {
      await staffPage.context().close();
    }
    const { customer, points } = member;

    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/m/?clinic=demo`);
      await visible(page.getByText('会员登录'));
      expect(await page.evaluate("localStorage.getItem('yuehui.portal.clinic')")).toBe('demo');

      // A bad phone number is refused before asking the server.
      await page.getByRole('textbox', { name: '手机号' }).fill('12345');
      await page.getByRole('button', { name: '获取验证码' }).click();
      await visible(page.getByText('请输入正确的 11 位手机号'));

      await page.getByRole('textbox', { name: '手机号' }).fill(customer.phone);
      await page.getByRole('button', { name: '获取验证码' }).click();
      await visible(page.getByText(/\d+ 秒后重发/));
      await screenshot(page, 'portal-login-code-sent');
      let code: string | undefined;
      await expect.poll(async () => (code = await smsCodeFor(customer.phone)), { timeout: 10_000 }).toMatch(/^\d{6}$/);

      // A wrong code: the server's message as a toast.
      const wrong = code === '000000' ? '111111' : '000000';
      await page.getByRole('textbox', { name: '验证码' }).fill(wrong);
      await page.getByRole('button', { name: '登录' }).click();
      const wrongToast = await visible(page.getByText('验证码错误或已过期，请重新获取'));
      // The 60 s countdown runs meanwhile.
      await visible(page.getByText(/^5\d 秒后重发$/));
      await screenshot(page, 'portal-login-wrong-code');
      await wrongToast.waitFor({ state: 'hidden' });

      await page.getByRole('textbox', { name: '验证码' }).fill(code ?? '');
      await page.getByRole('button', { name: '登录' }).click();
      await visible(page.getByText(`您好，${customer.name}`));
      const card = await visible(page.getByTestId('portal-points'));
      await expect.poll(() => card.innerText()).toContain(group(points.active));
      await expect.poll(() => card.innerText()).toContain('可用积分');
      await expect.poll(() => card.innerText()).toContain('冻结中');
      await screenshot(page, 'portal-home');

      await page.getByText('积分明细').click();
      const history = await visible(page.getByTestId('portal-history'));
      const earned = points.entries.find((entry) => entry.points > 0);
      if (earned) await expect.poll(() => history.innerText()).toContain(`+${group(earned.points)}`);
      expect(await history.locator('.adm-list-item').count()).toBe(points.entries.length);
      await screenshot(page, 'portal-history');

      // Back home, a reload keeps the session; 退出登录 under 我的 returns to the login page.
      await page.goBack();
      await page.reload();
      await visible(page.getByText(`您好，${customer.name}`));
      await page.locator('.adm-tab-bar-item').filter({ hasText: '我的' }).click();
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByRole('button', { name: '确定' }).click();
      await visible(page.getByText('会员登录'));
    } finally {
      await context.close();
    }
  });
});
