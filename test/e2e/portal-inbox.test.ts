import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, newPortalPage, ownerSession, portalLogIn, screenshot, visible } from './browser.js';

const baseUrl = inject('baseUrl');

type OwnerApi = Awaited<ReturnType<typeof ownerSession>>['api'];
type Message = { id: string; customerId: string | null; title: string; readAt: string | null };
type Customer = { id: string; name: string; phone: string };
type Consents = { sms: boolean; portal: boolean };

const expiryTitle = '积分即将到期';

/**
 * A demo member with an unread points-expiry reminder in her inbox who accepts 会员中心优惠消息,
 * and not one of the customers other journeys log in with (the newest 50, the oldest page of
 * 100): an SMS code is refused within a minute of the last one to the same phone.
 */
const memberWithUnreadReminder = async (api: OwnerApi) => {
  const delivered: Message[] = [];
  for (let page = 1; ; page++) {
    const batch = await api.get<{ items: Message[]; total: number }>(`/api/v1/messages?channel=portal&status=delivered&pageSize=100&page=${page}`);
    delivered.push(...batch.items);
    if (batch.items.length === 0 || delivered.length >= batch.total) break;
  }
  const taken = new Set<string>();
  for (const query of ['pageSize=50', 'pageSize=100&page=3']) {
    for (const customer of (await api.get<{ items: { id: string }[] }>(`/api/v1/customers?${query}`)).items) taken.add(customer.id);
  }
  const withReminder = [
    ...new Set(delivered.filter((message) => message.title === expiryTitle && message.readAt === null).flatMap((message) => message.customerId ?? [])),
  ];
  // The demo has about ten such members, newest reminder first: take them from the other end.
  for (const customerId of withReminder.reverse()) {
    if (taken.has(customerId)) continue;
    const consents = await api.get<Consents>(`/api/v1/customers/${customerId}/consents`);
    if (!consents.portal) continue;
    const customer = await api.get<Customer>(`/api/v1/customers/${customerId}`);
    const inbox = await api.get<{ items: Message[] }>(`/api/v1/messages?customerId=${customerId}&channel=portal&status=delivered&pageSize=100`);
    return { customer, unread: inbox.items.filter((message) => message.readAt === null).length };
  }
  throw new Error(`no demo member with an unread reminder who accepts portal messages among ${withReminder.length} (${delivered.length} delivered)`);
};

describe('the member portal’s 消息: the unread badge, her inbox and her marketing consent', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a member sees the unread count on 消息, reads a points-expiry reminder and the badge drops; in 我的 she withdraws 会员中心优惠消息 in one tap, it holds after a reload, and she gives it again (375 px)', async () => {
    const owner = await ownerSession(browser, baseUrl);
    const page = await newPortalPage(browser);
    try {
      const { customer, unread } = await memberWithUnreadReminder(owner.api);
      expect(unread).toBeGreaterThan(0);

      await portalLogIn(page, baseUrl, customer.phone);
      await visible(page.getByText(`您好，${customer.name}`));
      const tab = (name: string) => page.locator('.portal-tab-bar .adm-tab-bar-item').filter({ hasText: name });
      const badge = tab('消息').locator('.adm-badge-content');
      await expect.poll(() => badge.innerText()).toBe(String(unread));

      // 消息 sits between 券包 and 我的.
      const titles = await page.locator('.portal-tab-bar .adm-tab-bar-item-title').allInnerTexts();
      expect(titles.map((title) => title.trim())).toEqual(['首页', '券包', '消息', '我的']);

      await tab('消息').click();
      const inbox = await visible(page.getByTestId('portal-messages'));
      expect(page.url()).toContain('#/messages');
      const reminder = await visible(inbox.locator('[data-testid="portal-message"][data-unread="true"]').filter({ hasText: expiryTitle }).first());
      expect(await reminder.innerText()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      // The login's toast gone, so the picture shows the inbox alone.
      await page.locator('.adm-toast-main').waitFor({ state: 'hidden' });
      await screenshot(page, 'portal-inbox', { fullPage: false });

      // A tap marks it read: the dot goes and the badge counts one fewer.
      const unreadBefore = await inbox.locator('[data-testid="portal-message"][data-unread="true"]').count();
      await reminder.click();
      await expect.poll(() => inbox.locator('[data-testid="portal-message"][data-unread="true"]').count()).toBe(unreadBefore - 1);
      if (unread > 1) await expect.poll(() => badge.innerText()).toBe(String(unread - 1));
      else await badge.waitFor({ state: 'detached' });

      // 我的 → 消息设置: withdrawing is one tap, saved at once.
      await tab('我的').click();
      const consents = await visible(page.getByTestId('portal-consents'));
      await visible(consents.getByText('通知类消息（验证码、积分到期等）不受影响'));
      const portalSwitch = consents.getByRole('switch', { name: '接收会员中心优惠消息' });
      await expect.poll(() => portalSwitch.getAttribute('aria-checked')).toBe('true');
      await expect.poll(() => portalSwitch.getAttribute('aria-disabled')).toBe('false');
      await portalSwitch.click();
      await visible(page.getByText('已保存'));
      await expect.poll(() => portalSwitch.getAttribute('aria-checked')).toBe('false');
      expect(await owner.api.get<Consents>(`/api/v1/customers/${customer.id}/consents`)).toMatchObject({ portal: false });

      await page.reload();
      await visible(page.getByTestId('portal-consents'));
      await expect.poll(() => portalSwitch.getAttribute('aria-disabled')).toBe('false');
      expect(await portalSwitch.getAttribute('aria-checked')).toBe('false');

      await portalSwitch.click();
      await expect.poll(() => portalSwitch.getAttribute('aria-checked')).toBe('true');
      await expect.poll(async () => (await owner.api.get<Consents>(`/api/v1/customers/${customer.id}/consents`)).portal).toBe(true);
    } finally {
      await page.context().close();
      await owner.close();
    }
  });
});
