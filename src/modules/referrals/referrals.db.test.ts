import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import type { App } from '../../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, movableClock, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { recordReferral } from './record-referral.js';
import { referralStageOf } from './rules.js';
import { defaultPartnerLevels, referralSettingsSetting } from './settings.js';
import { referrals } from './tables.js';

/** SPEC §11 and COMPLIANCE §7 through the HTTP API, on a clock the tests move. */
let database: Database;
let app: App;
const start = '2026-03-02T02:00:00Z'; // 10:00 in Shanghai
const clock = movableClock(start);

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in these scenario tests
type Json = Record<string, any>;

type Clinic = { tenant: TestTenant; store: string; api: ReturnType<typeof apiAs>; service: Json; luckyBag: Json };

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
});

afterAll(async () => {
  await app.close();
  await database.close();
});

afterEach(() => clock.set(start));

const ok = async (promise: Promise<{ statusCode: number; body: string }>, statuses = [200, 201]): Promise<Json> => {
  const response = await promise;
  if (!statuses.includes(response.statusCode)) throw new Error(`unexpected ${response.statusCode}: ${response.body}`);
  return JSON.parse(response.body) as Json;
};

/** A fresh clinic (its own settings) with a ¥680 service and a ¥79 lucky bag; the owner's session. */
const newClinic = async (settings: Partial<typeof referralSettingsSetting.defaults> = {}): Promise<Clinic> => {
  const tenant = await createTestTenant(database, 'Referral clinic');
  const api = apiAs(app, await loginAs(app, tenant, 'owner'));
  const clinic: Clinic = { tenant, store: tenant.storeIds[0] ?? '', api, service: {}, luckyBag: {} };
  clinic.service = await ok(api.post('/items', { kind: 'service', name: '水光针', priceFen: 68_000 }));
  clinic.luckyBag = await ok(api.post('/items', { kind: 'goods', name: '新年福袋', priceFen: 7_900 }));
  if (Object.keys(settings).length > 0) await ok(api.put('/settings/referrals', { ...referralSettingsSetting.defaults, ...settings }));
  return clinic;
};

/** After the clock moved: sessions idle out after 30 minutes, so log in again. */
const relogin = async (clinic: Clinic) => {
  clinic.api = apiAs(app, await loginAs(app, clinic.tenant, 'owner'));
};

const newCustomer = (clinic: Clinic, name: string, referrerId?: string) =>
  ok(clinic.api.post('/customers', { name, gender: 'female', phone: randomMobile(), ...(referrerId ? { referrerId } : {}) }));

const buy = (clinic: Clinic, customerId: string, item: Json, extra: Json = {}) =>
  ok(
    clinic.api.post('/orders', {
      storeId: clinic.store,
      customerId,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'wechat', amountFen: item.priceFen }],
      ...extra,
    }),
  );

const referralsOf = (clinic: Clinic, customerId: string) => ok(clinic.api.get(`/customers/${customerId}/referrals`));
const pointsOf = (clinic: Clinic, customerId: string) => ok(clinic.api.get(`/customers/${customerId}/points`));
const referralEntries = async (clinic: Clinic, customerId: string) =>
  (await pointsOf(clinic, customerId)).entries.filter((entry: Json) => entry.reason.rule === 'referral');

describe('recording the referrer', () => {
  it('records the referral with the new customer, and the 360 lists her referrer and the people she brought', async () => {
    const clinic = await newClinic();
    const mother = await newCustomer(clinic, '王雅婷');
    const daughter = await newCustomer(clinic, '王小雅', mother.id);
    const [row] = await database.db
      .select()
      .from(referrals)
      .where(and(eq(referrals.tenantId, clinic.tenant.id), eq(referrals.referredId, daughter.id)));
    expect(row).toMatchObject({ referrerId: mother.id, channel: 'staff' });
    expect(row?.referredAt.toISOString()).toBe(clock.now().toISOString());
    const view = await referralsOf(clinic, mother.id);
    expect(view.referred).toMatchObject([{ customerId: daughter.id, name: '王小雅', stage: 'registered', channel: 'staff' }]);
    expect((await referralsOf(clinic, daughter.id)).referrer).toMatchObject({ customerId: mother.id, name: '王雅婷' });
  });

  it('refuses self-referral and cycles', async () => {
    const clinic = await newClinic();
    const a = await newCustomer(clinic, '甲');
    const b = await newCustomer(clinic, '乙', a.id);
    const c = await newCustomer(clinic, '丙', b.id);
    const self = await clinic.api.patch(`/customers/${a.id}`, { referrerId: a.id });
    expect(self.statusCode).toBe(422);
    expect(self.json().error.code).toBe('REFERRAL_SELF');
    const cycle = await clinic.api.patch(`/customers/${a.id}`, { referrerId: c.id });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().error).toMatchObject({ code: 'REFERRAL_CYCLE', details: [{ path: 'body.referrerId' }] });
    expect((await ok(clinic.api.get(`/customers/${a.id}`))).referrerId).toBeNull();
  });

  it('lets staff set or change the referrer before the first visit, and refuses it after with a clear message', async () => {
    const clinic = await newClinic();
    const first = await newCustomer(clinic, '推荐人一');
    const second = await newCustomer(clinic, '推荐人二');
    const friend = await newCustomer(clinic, '新朋友');
    await ok(clinic.api.patch(`/customers/${friend.id}`, { referrerId: first.id }));
    expect((await referralsOf(clinic, friend.id)).referrer.customerId).toBe(first.id);
    await ok(clinic.api.patch(`/customers/${friend.id}`, { referrerId: second.id }));
    const view = await referralsOf(clinic, friend.id);
    expect(view.referrer).toMatchObject({ customerId: second.id, channel: 'staff' });
    expect(view.canChangeReferrer).toBe(true);
    expect((await referralsOf(clinic, first.id)).referred).toEqual([]);

    await ok(clinic.api.post('/visits', { storeId: clinic.store, customerId: friend.id }));
    const refused = await clinic.api.patch(`/customers/${friend.id}`, { referrerId: first.id });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('REFERRER_LOCKED');
    expect(refused.json().error.message).toMatch(/首次到访，推荐人只能在首次到访前设置或更改/);
    const after = await ok(clinic.api.get(`/customers/${friend.id}`));
    expect(after.referrerId).toBe(second.id);
    expect((await referralsOf(clinic, friend.id)).canChangeReferrer).toBe(false);
    // Clearing is a change too.
    expect((await clinic.api.patch(`/customers/${friend.id}`, { referrerId: null })).statusCode).toBe(422);
    // Other fields still save.
    await ok(clinic.api.patch(`/customers/${friend.id}`, { notes: '已到访' }));
  });

  it('creates a short unambiguous referral code on first use, the same one afterwards, with the portal link and a QR code', async () => {
    const clinic = await newClinic();
    const customer = await newCustomer(clinic, '码主');
    expect((await referralsOf(clinic, customer.id)).code).toBeNull();
    const first = await ok(clinic.api.get(`/customers/${customer.id}/referral-code`));
    expect(first.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(first.url).toMatch(/^http:\/\/localhost(:\d+)?\/m\/\?clinic=/);
    expect(first.url.endsWith(`/m/?clinic=${clinic.tenant.code}&ref=${first.code}`)).toBe(true);
    expect(first.qrSvg).toMatch(/^<svg/);
    const again = await ok(clinic.api.get(`/customers/${customer.id}/referral-code`));
    expect(again.code).toBe(first.code);
    expect((await referralsOf(clinic, customer.id)).code).toBe(first.code);
  });
});

describe('the first-deal reward', () => {
  it('gives both sides equal points once, on the first deal; her points are usable at once, the referrer’s after the refund window', async () => {
    const clinic = await newClinic();
    const referrer = await newCustomer(clinic, '老客户');
    const friend = await newCustomer(clinic, '新客户', referrer.id);
    const order = await buy(clinic, friend.id, clinic.service);
    const friendEntries = await referralEntries(clinic, friend.id);
    const referrerEntries = await referralEntries(clinic, referrer.id);
    expect(friendEntries.map((entry: Json) => entry.points)).toEqual([500]);
    expect(referrerEntries.map((entry: Json) => entry.points)).toEqual([500]);
    const friendPoints = await pointsOf(clinic, friend.id);
    // 680 from the order are pending for the refund window; the 500 reward is active now.
    expect(friendPoints.active).toBe(500);
    const referrerPoints = await pointsOf(clinic, referrer.id);
    expect([referrerPoints.active, referrerPoints.pending]).toEqual([0, 500]);

    const view = await referralsOf(clinic, referrer.id);
    expect(view.referred[0]).toMatchObject({ stage: 'dealt', firstDealOrderId: order.id });
    expect(view.referred[0].rewards.map((reward: Json) => [reward.side, reward.stage, reward.points, reward.status]).sort()).toEqual([
      ['referred', 'deal', 500, 'given'],
      ['referrer', 'deal', 500, 'given'],
    ]);
    expect(view.totals).toMatchObject({ referred: 1, dealt: 1, pointsGiven: 500 });

    // A second deal is not a first deal: nothing more.
    await buy(clinic, friend.id, clinic.service);
    expect(await referralEntries(clinic, friend.id)).toHaveLength(1);
    expect(await referralEntries(clinic, referrer.id)).toHaveLength(1);
  });

  it('a ¥79 order under a ¥99 deal minimum gives nothing; the next qualifying order does', async () => {
    const clinic = await newClinic();
    await ok(
      clinic.api.put('/settings/deal-rules', {
        orderTypes: [],
        minimumFen: 9_900,
        countedKinds: { service: true, goods: true, drug: true, package: true, card: true },
      }),
    );
    const referrer = await newCustomer(clinic, '李姐');
    const friend = await newCustomer(clinic, '李小妹', referrer.id);
    const bag = await buy(clinic, friend.id, clinic.luckyBag);
    expect(bag.isDeal).toBe(false);
    expect(await referralEntries(clinic, friend.id)).toEqual([]);
    expect((await referralsOf(clinic, referrer.id)).referred[0].stage).toBe('registered');
    const real = await buy(clinic, friend.id, clinic.service);
    expect(real.isDeal).toBe(true);
    expect((await referralEntries(clinic, friend.id)).map((entry: Json) => entry.points)).toEqual([500]);
    expect((await referralEntries(clinic, referrer.id)).map((entry: Json) => entry.points)).toEqual([500]);
    expect((await referralsOf(clinic, referrer.id)).referred[0]).toMatchObject({ stage: 'dealt', firstDealOrderId: real.id });
  });

  it('a first deal after the reward window gives nothing (but she still counts as dealt)', async () => {
    const clinic = await newClinic({ windowDays: 30 });
    clock.set('2026-04-01T02:00:00Z');
    await relogin(clinic);
    const referrer = await newCustomer(clinic, '窗口推荐人');
    const friend = await newCustomer(clinic, '窗口好友', referrer.id);
    const lateFriend = await newCustomer(clinic, '迟到好友', referrer.id);
    clock.set('2026-05-01T02:00:00Z'); // day 30: still inside
    await relogin(clinic);
    await buy(clinic, friend.id, clinic.service);
    clock.set('2026-05-02T02:00:00Z'); // day 31: outside
    await relogin(clinic);
    await buy(clinic, lateFriend.id, clinic.service);
    expect((await referralEntries(clinic, friend.id)).map((entry: Json) => entry.points)).toEqual([500]);
    expect(await referralEntries(clinic, lateFriend.id)).toEqual([]);
    expect(await referralEntries(clinic, referrer.id)).toHaveLength(1);
    const view = await referralsOf(clinic, referrer.id);
    expect(view.referred.map((entry: Json) => entry.stage)).toEqual(['dealt', 'dealt']);
  });

  it('over the monthly cap the referrer’s reward is recorded as capped and nothing is given; her friend still gets hers', async () => {
    const clinic = await newClinic({ monthlyRewardCap: 2 });
    const referrer = await newCustomer(clinic, '热心推荐人');
    const friends = [];
    for (const name of ['好友一', '好友二', '好友三']) friends.push(await newCustomer(clinic, name, referrer.id));
    for (const friend of friends) await buy(clinic, friend.id, clinic.service);
    expect((await referralEntries(clinic, referrer.id)).map((entry: Json) => entry.points)).toEqual([500, 500]);
    const view = await referralsOf(clinic, referrer.id);
    const statuses = view.rewards.map((reward: Json) => reward.status).sort();
    expect(statuses).toEqual(['capped', 'given', 'given']);
    const capped = view.rewards.find((reward: Json) => reward.status === 'capped');
    expect(capped).toMatchObject({ points: null, voucherId: null, side: 'referrer' });
    expect(capped.note).toMatch(/达到每月上限 2 位/);
    expect(view.totals.capped).toBe(1);
    for (const friend of friends) expect((await referralEntries(clinic, friend.id)).map((entry: Json) => entry.points)).toEqual([500]);
    // A new month, a new allowance.
    clock.set('2026-04-02T02:00:00Z');
    await relogin(clinic);
    const april = await newCustomer(clinic, '四月好友', referrer.id);
    await buy(clinic, april.id, clinic.service);
    expect(await referralEntries(clinic, referrer.id)).toHaveLength(3);
  });

  it('the referrer’s points follow her partner level: 金牌 gets ×1.5', async () => {
    const clinic = await newClinic({
      partnerLevels: [defaultPartnerLevels[0], { ...defaultPartnerLevels[2], minConsumptionFen: 100_000, minSuccessfulReferrals: 1 }] as never,
    });
    const referrer = await newCustomer(clinic, '金牌推荐人');
    await buy(clinic, referrer.id, { ...clinic.service, priceFen: 68_000 });
    await buy(clinic, referrer.id, clinic.service);
    const first = await newCustomer(clinic, '第一位', referrer.id);
    await buy(clinic, first.id, clinic.service);
    // ¥1,360 spent, and the referral being rewarded counts as her first success: 金牌 already.
    const second = await newCustomer(clinic, '第二位', referrer.id);
    await buy(clinic, second.id, clinic.service);
    expect((await referralEntries(clinic, referrer.id)).map((entry: Json) => entry.points).sort()).toEqual([750, 750]);
    expect((await referralEntries(clinic, second.id)).map((entry: Json) => entry.points)).toEqual([500]);
    const view = await referralsOf(clinic, referrer.id);
    expect(view.partner.level.name).toBe('金牌合伙人');
    expect(view.partner.figures).toEqual({ consumptionFen: 136_000, successfulReferrals: 2 });
    expect(view.rewards[0].note).toMatch(/金牌合伙人 ×1.5/);
  });

  it('vouchers as rewards: a voucher template for either side, recorded on the reward', async () => {
    const clinic = await newClinic();
    const template = await ok(
      clinic.api.post('/voucher-templates', {
        name: '新客券',
        kind: 'cash_off',
        faceValueFen: 10_000,
        thresholdFen: 0,
        scope: { itemIds: [], categoryIds: [] },
        channels: ['store'],
        validity: { kind: 'relative', days: 30 },
        totalStock: null,
        perCustomerLimit: 5,
        isStackable: true,
      }),
    );
    await ok(
      clinic.api.put('/settings/referrals', {
        ...referralSettingsSetting.defaults,
        deal: { points: 200, referrerVoucherTemplateId: null, referredVoucherTemplateId: template.id },
      }),
    );
    const referrer = await newCustomer(clinic, '券推荐人');
    const friend = await newCustomer(clinic, '券好友', referrer.id);
    await buy(clinic, friend.id, clinic.service);
    const wallet = await ok(clinic.api.get(`/customers/${friend.id}/vouchers`));
    expect(wallet.items.map((voucher: Json) => voucher.source)).toEqual(['referral']);
    const view = await referralsOf(clinic, friend.id);
    expect(view.rewards).toMatchObject([{ side: 'referred', kind: 'points_voucher', points: 200, status: 'given', valueFen: 10_200 }]);
    expect(view.rewards[0].voucherId).toBe(wallet.items[0].id);
  });

  it('the quote counts her coming reward, and she spends it on that first order', async () => {
    const clinic = await newClinic();
    // The monthly points-for-cash cap counts this very order, in the quote as at checkout: a new customer may spend her reward on it.
    const referrer = await newCustomer(clinic, '抵扣推荐人');
    const friend = await newCustomer(clinic, '抵扣好友', referrer.id);
    const quote = await ok(clinic.api.post('/orders/quote', { customerId: friend.id, lines: [{ itemId: clinic.service.id, quantity: 1 }], pointsToUse: 500 }));
    expect(quote.referralReward).toMatchObject({ points: 500 });
    expect(quote.points).toMatchObject({ usedPoints: 500, valueFen: 500 });
    expect(quote.payment.dueFen).toBe(67_500);
    const order = await ok(
      clinic.api.post('/orders', {
        storeId: clinic.store,
        customerId: friend.id,
        lines: [{ itemId: clinic.service.id, quantity: 1 }],
        payments: [
          { method: 'points', amountFen: 500 },
          { method: 'wechat', amountFen: 67_500 },
        ],
      }),
    );
    expect(order.paidFen).toBe(68_000);
    const points = await pointsOf(clinic, friend.id);
    expect(points.entries.map((entry: Json) => [entry.type, entry.points]).sort()).toEqual([
      ['earn', 500],
      ['earn', 675],
      ['redeem', -500],
    ]);
    // A quote for someone who already dealt, or without points, has no coming reward.
    const later = await ok(clinic.api.post('/orders/quote', { customerId: friend.id, lines: [{ itemId: clinic.service.id, quantity: 1 }], pointsToUse: 500 }));
    expect(later.referralReward).toBeNull();
    // Without points asked for, the desk still learns the order would bring her the reward.
    const plain = await newCustomer(clinic, '未用积分好友', referrer.id);
    const plainQuote = await ok(clinic.api.post('/orders/quote', { customerId: plain.id, lines: [{ itemId: clinic.service.id, quantity: 1 }] }));
    expect(plainQuote.referralReward).toMatchObject({ points: 500 });
    expect(plainQuote.points.usedPoints).toBe(0);
    // Under the deal minimum, the order would not be a deal: nothing coming.
    const another = await newCustomer(clinic, '福袋好友', referrer.id);
    await ok(
      clinic.api.put('/settings/deal-rules', {
        orderTypes: [],
        minimumFen: 9_900,
        countedKinds: { service: true, goods: true, drug: true, package: true, card: true },
      }),
    );
    const bagQuote = await ok(
      clinic.api.post('/orders/quote', { customerId: another.id, lines: [{ itemId: clinic.luckyBag.id, quantity: 1 }], pointsToUse: 100 }),
    );
    expect(bagQuote.referralReward).toBeNull();
    expect(bagQuote.points.usedPoints).toBe(0);
  });
});

describe('refunds', () => {
  const refundAll = async (clinic: Clinic, order: Json) =>
    ok(
      clinic.api.post(`/orders/${order.id}/refunds`, {
        lines: order.lines.map((line: Json) => ({ lineId: line.id })),
        payouts: [{ method: 'wechat', amountFen: order.paidFen }],
        reasonCode: 'customer_request',
      }),
    );

  it('claws the deal rewards back when the first-deal order is refunded in full (points reversed, status clawed_back)', async () => {
    const clinic = await newClinic();
    const referrer = await newCustomer(clinic, '扣回推荐人');
    const friend = await newCustomer(clinic, '扣回好友', referrer.id);
    const order = await buy(clinic, friend.id, clinic.service);
    await refundAll(clinic, order);
    const view = await referralsOf(clinic, referrer.id);
    expect(view.referred[0].rewards.map((reward: Json) => reward.status)).toEqual(['clawed_back', 'clawed_back']);
    expect(view.referred[0].rewards[0].note).toMatch(/已扣回/);
    const referrerPoints = await pointsOf(clinic, referrer.id);
    expect(referrerPoints.balance).toBe(0);
    expect(referrerPoints.entries.find((entry: Json) => entry.type === 'reverse')?.reason.label).toMatch(/推荐奖励扣回/);
    expect((await pointsOf(clinic, friend.id)).balance).toBe(0);
    // The referral stays dealt and is never rewarded again, even when she buys again.
    await buy(clinic, friend.id, clinic.service);
    expect((await referralEntries(clinic, friend.id)).map((entry: Json) => entry.points)).toEqual([500]);
  });

  it('keeps the rewards when the clinic switched clawback off, and on a partial refund', async () => {
    const clinic = await newClinic({ isClawbackOnRefund: false });
    const referrer = await newCustomer(clinic, '不扣推荐人');
    const friend = await newCustomer(clinic, '不扣好友', referrer.id);
    const order = await buy(clinic, friend.id, clinic.service);
    await refundAll(clinic, order);
    const view = await referralsOf(clinic, referrer.id);
    expect(view.referred[0].rewards.map((reward: Json) => reward.status)).toEqual(['given', 'given']);
    expect((await pointsOf(clinic, referrer.id)).balance).toBe(500);

    const partialClinic = await newClinic();
    const two = await ok(partialClinic.api.post('/items', { kind: 'goods', name: '面膜', priceFen: 20_000 }));
    const partialReferrer = await newCustomer(partialClinic, '部分推荐人');
    const partialFriend = await newCustomer(partialClinic, '部分好友', partialReferrer.id);
    const bought = await ok(
      partialClinic.api.post('/orders', {
        storeId: partialClinic.store,
        customerId: partialFriend.id,
        lines: [{ itemId: two.id, quantity: 2 }],
        payments: [{ method: 'wechat', amountFen: 40_000 }],
      }),
    );
    await ok(
      partialClinic.api.post(`/orders/${bought.id}/refunds`, {
        lines: [{ lineId: bought.lines[0].id, quantity: 1 }],
        payouts: [{ method: 'wechat', amountFen: 20_000 }],
        reasonCode: 'customer_request',
      }),
    );
    expect((await referralsOf(partialClinic, partialReferrer.id)).referred[0].rewards.map((reward: Json) => reward.status)).toEqual(['given', 'given']);
  });
});

describe('the arrival reward', () => {
  it('rewards the referrer on the friend’s first visit only, when the referrer was recorded before it', async () => {
    const clinic = await newClinic({ arrival: { referrerPoints: 100 } });
    const referrer = await newCustomer(clinic, '到店推荐人');
    const friend = await newCustomer(clinic, '到店好友', referrer.id);
    await ok(clinic.api.post('/visits', { storeId: clinic.store, customerId: friend.id }));
    await ok(clinic.api.post('/visits', { storeId: clinic.store, customerId: friend.id }));
    clock.advanceDays(3);
    await relogin(clinic);
    await ok(clinic.api.post('/visits', { storeId: clinic.store, customerId: friend.id }));
    const entries = await referralEntries(clinic, referrer.id);
    expect(entries.map((entry: Json) => entry.points)).toEqual([100]);
    expect((await pointsOf(clinic, referrer.id)).active).toBe(100);
    expect((await referralsOf(clinic, referrer.id)).referred[0].stage).toBe('arrived');

    // Walked in before anyone recorded a referrer: the referrer can no longer be set, so no arrival reward.
    const walkIn = await newCustomer(clinic, '先到店');
    await ok(clinic.api.post('/visits', { storeId: clinic.store, customerId: walkIn.id }));
    expect((await clinic.api.patch(`/customers/${walkIn.id}`, { referrerId: referrer.id })).statusCode).toBe(422);

    // Imported history: a referral recorded after the arrival it would reward gives nothing.
    const imported = await newCustomer(clinic, '导入好友');
    const later = new Date(clock.now().getTime() + 3_600_000);
    await database.db.transaction((tx) =>
      recordReferral(tx, systemActor(clinic.tenant.id), {
        referrerId: referrer.id,
        referredId: imported.id,
        channel: 'import',
        referredAt: later,
      }),
    );
    await ok(clinic.api.post('/visits', { storeId: clinic.store, customerId: imported.id }));
    expect(await referralEntries(clinic, referrer.id)).toHaveLength(1);
    const [importedReferral] = await database.db
      .select()
      .from(referrals)
      .where(and(eq(referrals.tenantId, clinic.tenant.id), eq(referrals.referredId, imported.id)));
    expect(importedReferral && referralStageOf(importedReferral)).toBe('arrived');
  });
});

describe('settings', () => {
  it('offer no cash reward: a cash field is refused, and so are unknown voucher templates and forbidden wording', async () => {
    const clinic = await newClinic();
    const defaults = await ok(clinic.api.get('/settings/referrals'));
    expect(defaults).toMatchObject({
      isEnabled: true,
      deal: { points: 500 },
      windowDays: 90,
      isClawbackOnRefund: true,
      monthlyRewardCap: 10,
      flagThreshold: 5,
    });
    expect(defaults.partnerLevels.map((level: Json) => level.name)).toEqual(['见习合伙人', '正式合伙人', '金牌合伙人']);
    const cash = await clinic.api.put('/settings/referrals', { ...defaults, deal: { ...defaults.deal, cashFen: 5000 } });
    expect(cash.statusCode).toBe(400);
    expect(cash.json().error.details).toEqual([{ path: 'body.deal.cashFen', message: '不允许的字段' }]);
    const commission = await clinic.api.put('/settings/referrals', { ...defaults, commissionPercent: 10 });
    expect(commission.statusCode).toBe(400);
    const template = await clinic.api.put('/settings/referrals', {
      ...defaults,
      deal: { ...defaults.deal, referrerVoucherTemplateId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' },
    });
    expect(template.statusCode).toBe(404);
    expect(template.json().error.details).toEqual([{ path: 'body.deal.referrerVoucherTemplateId', message: '券模板不存在' }]);
    const wording = await clinic.api.put('/settings/referrals', {
      ...defaults,
      partnerLevels: [{ ...defaults.partnerLevels[0], benefits: '享受最有效的顶级专家服务' }],
    });
    expect(wording.statusCode).toBe(422);
    expect(wording.json().error.message).toMatch(/最有效/);
    const saved = await ok(clinic.api.put('/settings/referrals', { ...defaults, windowDays: 60 }));
    expect(saved.windowDays).toBe(60);
  });
});

describe('the report and the rewards ledger', () => {
  it('counts the funnel, the conversion rate, the share of deals by referral, per-referrer rows with flags and levels, and exports the rewards', async () => {
    const clinic = await newClinic({ flagThreshold: 3 });
    const busy = await newCustomer(clinic, '活跃推荐人');
    const quiet = await newCustomer(clinic, '普通推荐人');
    const a = await newCustomer(clinic, '朋友甲', busy.id);
    const b = await newCustomer(clinic, '朋友乙', busy.id);
    await newCustomer(clinic, '朋友丙', busy.id);
    const d = await newCustomer(clinic, '朋友丁', quiet.id);
    const walkIn = await newCustomer(clinic, '自然客');
    await ok(clinic.api.post('/visits', { storeId: clinic.store, customerId: a.id }));
    await ok(clinic.api.post('/visits', { storeId: clinic.store, customerId: b.id }));
    await ok(clinic.api.post('/visits', { storeId: clinic.store, customerId: d.id }));
    await buy(clinic, a.id, clinic.service);
    await buy(clinic, d.id, clinic.service);
    await buy(clinic, walkIn.id, clinic.service);
    await buy(clinic, a.id, clinic.service);
    const report = await ok(clinic.api.get('/referrals/report'));
    expect(report.funnel).toEqual({ referred: 4, arrived: 3, dealt: 2, arrivalRatePercent: 75, conversionRatePercent: 50, arrivedToDealtPercent: 66.7 });
    // First deals: 朋友甲, 朋友丁 and 自然客; two by referral. Deal orders: four, three by referred customers.
    expect(report.firstDeals).toEqual({ total: 3, byReferral: 2, sharePercent: 66.7 });
    expect(report.dealOrders).toEqual({ total: 4, byReferral: 3, sharePercent: 75 });
    expect(report.rewards).toMatchObject({ given: 4, pointsGiven: 2000, capped: 0, clawedBack: 0, valueFen: 2000 });
    expect(report.referrers).toEqual([
      {
        customerId: busy.id,
        name: '活跃推荐人',
        referred: 3,
        arrived: 2,
        dealt: 1,
        rewardsGiven: 1,
        pointsGiven: 500,
        capped: 0,
        referralsLast30Days: 3,
        isFlagged: true,
        partnerLevel: '见习合伙人',
      },
      {
        customerId: quiet.id,
        name: '普通推荐人',
        referred: 1,
        arrived: 1,
        dealt: 1,
        rewardsGiven: 1,
        pointsGiven: 500,
        capped: 0,
        referralsLast30Days: 1,
        isFlagged: false,
        partnerLevel: '见习合伙人',
      },
    ]);
    expect((await referralsOf(clinic, busy.id)).activity).toEqual({ referralsLast30Days: 3, isFlagged: true, threshold: 3 });
    // A period before any of it is empty.
    const empty = await ok(clinic.api.get('/referrals/report?from=2025-01-01&to=2025-01-31'));
    expect(empty.funnel.referred).toBe(0);
    expect(empty.referrers).toEqual([]);

    const csv = await clinic.api.get('/referrals/rewards.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('时间,奖励编号,推荐人,被推荐人,获奖人,阶段,状态,积分,优惠券,价值（元）,订单号,说明');
    expect(lines).toHaveLength(5);
    expect(lines.filter((line) => line.includes('活跃推荐人,朋友甲,推荐人,好友首次成交,已发放,500,0,5.00'))).toHaveLength(1);
    expect(lines.slice(1).filter((line) => line.includes(',被推荐人,'))).toHaveLength(2);
  });

  it('refuses an inverted period', async () => {
    const clinic = await newClinic();
    const response = await clinic.api.get('/referrals/report?from=2026-03-10&to=2026-03-01');
    expect(response.statusCode).toBe(400);
  });
});

describe('the member portal', () => {
  const sent: string[] = [];
  let portalApp: App;
  const portal = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
    portalApp.inject({ method, url: `/api/portal/v1${url}`, payload, headers });
  const lastCode = () => /验证码为 (\d{6})/.exec(sent.at(-1) ?? '')?.[1] ?? '';

  beforeAll(async () => {
    const { buildApp } = await import('../../app.js');
    const { logSmsChannel } = await import('../messaging/dev-channel.js');
    portalApp = await buildApp({ database, clock, smsChannel: logSmsChannel({ write: (text: string) => sent.push(text) > 0 }) });
    await portalApp.ready();
  });
  afterAll(async () => {
    await portalApp.close();
  });

  it('a friend registers with ?ref=, the inviter is recorded (channel code) and rewarded for the registration; the inviter sees her', async () => {
    const clinic = await newClinic({ registration: { referrerPoints: 50, referrerVoucherTemplateId: null } });
    const inviterPhone = randomMobile();
    const inviter = await ok(clinic.api.post('/customers', { name: '邀请人张丽', gender: 'female', phone: inviterPhone }));
    // 分享领券: a share distribution also rewards the inviter when a friend registers through her link.
    const shareTemplate = await ok(
      clinic.api.post('/voucher-templates', {
        name: '邀请有礼券',
        kind: 'cash_off',
        faceValueFen: 5_000,
        thresholdFen: 0,
        scope: { itemIds: [], categoryIds: [] },
        channels: ['store'],
        validity: { kind: 'relative', days: 30 },
        totalStock: null,
        perCustomerLimit: 10,
        isStackable: true,
      }),
    );
    await ok(clinic.api.post('/voucher-distributions', { kind: 'share', name: '邀请有礼', templateId: shareTemplate.id }));
    const { code } = await ok(clinic.api.get(`/customers/${inviter.id}/referral-code`));

    const invite = await portal('GET', `/referral/invite?clinic=${clinic.tenant.code}&code=${code.toLowerCase()}`);
    expect(invite.statusCode).toBe(200);
    expect(invite.json()).toMatchObject({ clinicName: 'Referral clinic', referrerName: '邀****', code });
    expect(invite.json().lines[0]).toMatch(/双方各得 500 积分/);
    expect(invite.json().statements.noCash).toMatch(/不提供现金/);
    expect((await portal('GET', `/referral/invite?clinic=${clinic.tenant.code}&code=ZZZZZZ`)).statusCode).toBe(404);

    const phone = randomMobile();
    // A login code never goes to a stranger; a registration code does.
    const before = sent.length;
    expect((await portal('POST', '/auth/code', { tenantCode: clinic.tenant.code, phone })).statusCode).toBe(202);
    expect(sent.length).toBe(before);
    clock.set(new Date(clock.now().getTime() + 61_000));
    expect((await portal('POST', '/auth/code', { tenantCode: clinic.tenant.code, phone, purpose: 'register' })).statusCode).toBe(202);
    const smsCode = lastCode();
    // Logging in with it says she is not a member yet, and leaves the code for the registration.
    const login = await portal('POST', '/auth/login', { tenantCode: clinic.tenant.code, phone, code: smsCode });
    expect(login.statusCode).toBe(404);
    expect(login.json().error.code).toBe('MEMBER_NOT_REGISTERED');
    const withoutTerms = await portal('POST', '/auth/register', { tenantCode: clinic.tenant.code, phone, code: smsCode, name: '新朋友', referralCode: code });
    expect(withoutTerms.statusCode).toBe(400);
    const registered = await portal('POST', '/auth/register', {
      tenantCode: clinic.tenant.code,
      phone,
      code: smsCode,
      name: '新朋友小美',
      referralCode: code,
      hasAcceptedTerms: true,
    });
    expect(registered.statusCode).toBe(200);
    expect(registered.json()).toMatchObject({ isNew: true, customer: { name: '新朋友小美' } });
    const newId = registered.json().customer.id;
    const friendView = await referralsOf(clinic, newId);
    expect(friendView.referrer).toMatchObject({ customerId: inviter.id, channel: 'code' });
    expect((await ok(clinic.api.get(`/customers/${newId}`))).sourceChannel).toBe('referral');
    expect((await referralEntries(clinic, inviter.id)).map((entry: Json) => entry.points)).toEqual([50]);
    const inviterWallet = await ok(clinic.api.get(`/customers/${inviter.id}/vouchers`));
    expect(inviterWallet.items.map((voucher: Json) => [voucher.source, voucher.templateId])).toEqual([['share', shareTemplate.id]]);
    // The code was used up.
    const replay = await portal('POST', '/auth/register', {
      tenantCode: clinic.tenant.code,
      phone,
      code: smsCode,
      name: '新朋友小美',
      referralCode: code,
      hasAcceptedTerms: true,
    });
    expect(replay.statusCode).toBe(401);

    // The inviter logs in and sees her friend (masked), her code and the poster.
    clock.set(new Date(clock.now().getTime() + 61_000));
    await portal('POST', '/auth/code', { tenantCode: clinic.tenant.code, phone: inviterPhone });
    const session = await portal('POST', '/auth/login', { tenantCode: clinic.tenant.code, phone: inviterPhone, code: lastCode() });
    const cookie = `yh_mid=${session.cookies.find((entry) => entry.name === 'yh_mid')?.value}`;
    const mine = await portal('GET', '/referral', undefined, { cookie });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({
      code,
      statements: { referrerRewarded: '告知好友：推荐人将获得奖励' },
      partner: { level: '见习合伙人' },
      referred: [{ name: '新****', stage: 'registered', rewards: [{ title: '好友注册奖励', points: 50, status: '已到账' }] }],
      pointsEarned: 50,
    });
    expect(mine.json().url).toContain(`ref=${code}`);
    const poster = await portal('GET', '/referral/poster.png', undefined, { cookie });
    expect(poster.statusCode).toBe(200);
    expect(poster.headers['content-type']).toBe('image/png');
    expect(poster.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    // Opened again: the same poster, and nothing sent when the phone still has it.
    const again = await portal('GET', '/referral/poster.png', undefined, { cookie });
    expect(again.headers.etag).toBe(poster.headers.etag);
    expect(again.rawPayload.equals(poster.rawPayload)).toBe(true);
    const kept = await portal('GET', '/referral/poster.png', undefined, { cookie, 'if-none-match': String(poster.headers.etag) });
    expect(kept.statusCode).toBe(304);
    expect(kept.rawPayload.length).toBe(0);
    expect((await portal('GET', '/referral/poster.png')).statusCode).toBe(401);
  });

  it('an invite does not re-assign an existing customer: she simply logs in', async () => {
    const clinic = await newClinic();
    const inviter = await newCustomer(clinic, '邀请人');
    const { code } = await ok(clinic.api.get(`/customers/${inviter.id}/referral-code`));
    const phone = randomMobile();
    const existing = await ok(clinic.api.post('/customers', { name: '老会员', gender: 'female', phone }));
    clock.set(new Date(clock.now().getTime() + 61_000));
    await portal('POST', '/auth/code', { tenantCode: clinic.tenant.code, phone, purpose: 'register' });
    const response = await portal('POST', '/auth/register', {
      tenantCode: clinic.tenant.code,
      phone,
      code: lastCode(),
      name: '换个名字',
      referralCode: code,
      hasAcceptedTerms: true,
    });
    expect(response.json()).toMatchObject({ isNew: false, customer: { id: existing.id, name: '老会员' } });
    expect((await referralsOf(clinic, existing.id)).referrer).toBeNull();
  });
});
