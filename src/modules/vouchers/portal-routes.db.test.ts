import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { apiAs, createTestTenant, loginAs, movableClock, openTestDatabase, portalLogin, randomMobile, type TestTenant } from '../../testing/database.js';
import { logSmsChannel } from '../messaging/dev-channel.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let otherClinic: TestTenant;
const sent: string[] = [];
const clock = movableClock('2026-11-20T02:00:00Z');

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({ database, clock, smsChannel: logSmsChannel({ write: (text: string) => sent.push(text) > 0 }) });
  await app.ready();
  clinic = await createTestTenant(database, 'Voucher portal clinic');
  otherClinic = await createTestTenant(database, 'Other voucher clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

/** A member's portal cookie, through the SMS login. */
const portalCookie = async (tenant: TestTenant, phone: string) => (await portalLogin(app, tenant, phone, sent)).cookie;

const template = (name: string, overrides: object = {}) => ({
  name,
  kind: 'cash_off',
  faceValueFen: 10_000,
  thresholdFen: 50_000,
  scope: { itemIds: [], categoryIds: [] },
  channels: ['store'],
  validity: { kind: 'relative', days: 30 },
  totalStock: null,
  perCustomerLimit: 5,
  isStackable: true,
  ...overrides,
});

describe('我的券包 in the member portal', () => {
  it('a member reads her own wallet and a voucher’s 核销码 with its QR; another customer’s voucher is not found', async () => {
    const desk = apiAs(app, await loginAs(app, clinic, 'owner'));
    const phone = randomMobile();
    const member = (await desk.post('/customers', { name: '券包会员', gender: 'female', phone })).json();
    const neighbour = (await desk.post('/customers', { name: '另一位客户', gender: 'female', phone: randomMobile() })).json();
    const item = (await desk.post('/items', { kind: 'service', name: '小气泡清洁', priceFen: 29_800 })).json();
    const cash = (await desk.post('/voucher-templates', template('代金券'))).json();
    const experience = (
      await desk.post('/voucher-templates', template('小气泡体验券', { kind: 'item', faceValueFen: null, scope: { itemIds: [item.id], categoryIds: [] } }))
    ).json();
    expect(cash.id).toBeDefined();
    const [mine] = (await desk.post(`/customers/${member.id}/vouchers`, { templateId: cash.id })).json().items;
    const [itemVoucher] = (await desk.post(`/customers/${member.id}/vouchers`, { templateId: experience.id })).json().items;
    const [theirs] = (await desk.post(`/customers/${neighbour.id}/vouchers`, { templateId: cash.id })).json().items;

    const cookie = await portalCookie(clinic, phone);
    const wallet = await app.inject({ method: 'GET', url: '/api/portal/v1/vouchers', headers: { cookie } });
    expect(wallet.statusCode).toBe(200);
    const items = wallet.json().items as { id: string; title: string; status: string }[];
    expect(items.map((voucher) => voucher.id).sort()).toEqual([mine.id, itemVoucher.id].sort());
    expect(items.find((voucher) => voucher.id === mine.id)).toMatchObject({
      title: '¥100 代金券（满¥500可用） · 全场（卡项除外） · 有效期至 2026-12-19',
      status: 'available',
      isStoreOnly: true,
      isUsableToday: true,
      isExpiringSoon: false,
    });
    // The list never carries the code: it is shown one voucher at a time.
    expect(JSON.stringify(wallet.json())).not.toContain(mine.code);

    const detail = await app.inject({ method: 'GET', url: `/api/portal/v1/vouchers/${itemVoucher.id}`, headers: { cookie } });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ code: itemVoucher.code, kind: 'item', scopeLabel: '小气泡清洁', status: 'available' });
    expect(detail.json().code).toMatch(/^\d{12}$/);
    expect(detail.json().qrSvg).toMatch(/^<svg[\s\S]*<path[\s\S]*<\/svg>\s*$/);

    // Someone else's voucher, in this clinic or in another, is not found — not forbidden.
    const foreign = await app.inject({ method: 'GET', url: `/api/portal/v1/vouchers/${theirs.id}`, headers: { cookie } });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('VOUCHER_NOT_FOUND');
    const otherDesk = apiAs(app, await loginAs(app, otherClinic, 'owner'));
    const stranger = (await otherDesk.post('/customers', { name: '别家客户', gender: 'female', phone: randomMobile() })).json();
    const otherTemplate = (await otherDesk.post('/voucher-templates', template('别家代金券'))).json();
    const [elsewhere] = (await otherDesk.post(`/customers/${stranger.id}/vouchers`, { templateId: otherTemplate.id })).json().items;
    expect((await app.inject({ method: 'GET', url: `/api/portal/v1/vouchers/${elsewhere.id}`, headers: { cookie } })).statusCode).toBe(404);

    // Without a session there is nothing to read.
    expect((await app.inject({ method: 'GET', url: '/api/portal/v1/vouchers' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/api/portal/v1/vouchers/${mine.id}` })).statusCode).toBe(401);
  });

  it('a redeemed voucher moves to 已使用 and no longer offers a QR; one past its last day reads 已过期', async () => {
    const desk = apiAs(app, await loginAs(app, clinic, 'owner'));
    const phone = randomMobile();
    const member = (await desk.post('/customers', { name: '用券会员', gender: 'female', phone })).json();
    const gift = (await desk.post('/items', { kind: 'goods', name: '医用面膜', priceFen: 9_800 })).json();
    const giftTemplate = (
      await desk.post('/voucher-templates', template('面膜赠品券', { kind: 'gift', faceValueFen: null, scope: { itemIds: [gift.id], categoryIds: [] } }))
    ).json();
    const shortTemplate = (await desk.post('/voucher-templates', template('三日代金券', { validity: { kind: 'relative', days: 3 } }))).json();
    const [giftVoucher] = (await desk.post(`/customers/${member.id}/vouchers`, { templateId: giftTemplate.id })).json().items;
    const [shortVoucher] = (await desk.post(`/customers/${member.id}/vouchers`, { templateId: shortTemplate.id })).json().items;
    const redeemed = await desk.post('/voucher-redemptions', { code: giftVoucher.code, storeId: clinic.storeIds[0] });
    expect(redeemed.statusCode).toBe(201);

    const cookie = await portalCookie(clinic, phone);
    const read = async () =>
      (await app.inject({ method: 'GET', url: '/api/portal/v1/vouchers', headers: { cookie } })).json().items as Record<string, unknown>[];
    expect((await read()).find((voucher) => voucher.id === shortVoucher.id)).toMatchObject({ status: 'available', isExpiringSoon: true });
    expect((await read()).find((voucher) => voucher.id === giftVoucher.id)).toMatchObject({ status: 'used', usedAt: expect.any(String) });
    const used = (await app.inject({ method: 'GET', url: `/api/portal/v1/vouchers/${giftVoucher.id}`, headers: { cookie } })).json();
    expect(used).toMatchObject({ status: 'used', code: giftVoucher.code, qrSvg: null });

    clock.advanceDays(5);
    try {
      expect((await read()).find((voucher) => voucher.id === shortVoucher.id)).toMatchObject({
        status: 'expired',
        isUsableToday: false,
        isExpiringSoon: false,
      });
    } finally {
      clock.advanceDays(-5);
    }
  });
});
