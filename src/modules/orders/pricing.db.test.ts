import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../../testing/database.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
let owner: Session;
let desk: Session;
let otherDesk: Session;
let counter = 0;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database);
  other = await createTestTenant(database);
  owner = await loginAs(app, clinic, 'owner');
  desk = await loginAs(app, clinic, 'front_desk');
  otherDesk = await loginAs(app, other, 'front_desk');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const post = (session: Session, url: string, payload: object, isValueMoving = false) =>
  app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...session.writeHeaders, ...(isValueMoving ? { 'idempotency-key': `pricing-${Date.now()}-${counter++}` } : {}) },
    payload,
  });
const get = async (url: string) => (await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: owner.headers })).json();
const newCustomer = async (name: string) => (await post(desk, '/customers', { name, gender: 'female', phone: randomMobile() })).json().id as string;

/** Seed 004: a ¥199 family card with a ¥200 filling voucher for each member and 20 % off fillings. */
const dentalClinic = async () => {
  const category = (await post(owner, '/item-categories', { name: `补牙${counter++}` })).json();
  const filling = (await post(owner, '/items', { kind: 'service', name: '树脂补牙', categoryId: category.id, priceFen: 40_000 })).json();
  const cleaning = (await post(owner, '/items', { kind: 'service', name: '洗牙', priceFen: 30_000 })).json();
  const product = (
    await post(owner, '/card-products', {
      kind: 'membership',
      name: `家庭口腔卡${counter++}`,
      priceFen: 19_900,
      validity: 'annual',
      familyLimit: 8,
      discountRules: [{ categoryId: category.id, discountBasisPoints: 2_000 }],
      bundledVouchers: [{ name: '补牙代金券', faceValueFen: 20_000, quantity: 1, categoryIds: [category.id] }],
    })
  ).json();
  const holder = await newCustomer('王女士');
  const sold = await post(
    desk,
    `/customers/${holder}/cards`,
    { storeId: clinic.storeIds[0], cardProductId: product.id, payments: [{ method: 'cash', amountFen: 19_900 }] },
    true,
  );
  expect(sold.statusCode).toBe(201);
  const card = sold.json().cards[0];
  const husband = await newCustomer('李先生');
  const daughter = await newCustomer('李小妹');
  for (const member of [husband, daughter]) expect((await post(desk, `/cards/${card.id}/members`, { customerId: member })).statusCode).toBe(201);
  return { filling, cleaning, card, holder, husband, daughter };
};

const quote = (customerId: string, lines: object[], extra: object = {}) =>
  post(desk, '/orders/quote', { storeId: clinic.storeIds[0], customerId, lines, ...extra });
const open = (customerId: string, lines: object[], extra: object = {}) =>
  post(desk, '/orders', { storeId: clinic.storeIds[0], customerId, lines, ...extra }, true);

describe('checkout pricing with cards', () => {
  it('prices a ¥400 filling at (400 − 200) × 0.8 = ¥160 for the card owner and each family member, and explains it', async () => {
    const { filling, card, holder, husband, daughter } = await dentalClinic();
    for (const customer of [holder, husband, daughter]) {
      const quoted = await quote(customer, [{ itemId: filling.id, quantity: 1 }]);
      expect(quoted.statusCode).toBe(200);
      const body = quoted.json();
      expect(body.orderTotalFen).toBe(16_000);
      expect(body.totals).toMatchObject({ listFen: 40_000, voucherFen: 20_000, cardDiscountFen: 4_000, payableFen: 16_000 });
      expect(body.lines[0].sentence).toContain('¥160.00');
      expect(body.explanation.map((step: { kind: string }) => step.kind)).toEqual(['list', 'voucher', 'card_discount', 'payable']);

      const opened = await open(customer, [{ itemId: filling.id, quantity: 1 }], { expectedTotalFen: body.orderTotalFen, payments: [] });
      expect(opened.statusCode).toBe(201);
      expect(opened.json()).toMatchObject({ totalFen: 16_000 });
      expect(opened.json().lines[0]).toMatchObject({ unitPriceFen: 40_000, discountFen: 24_000, amountFen: 16_000 });
    }
    // Who used what: each member's voucher and discount are recorded against the card.
    const cards = await get(`/customers/${holder}/cards`);
    const uses = cards.items.find((item: { id: string }) => item.id === card.id).uses as { customerId: string; benefit: string; amountFen: number }[];
    for (const customer of [holder, husband, daughter]) {
      expect(uses.filter((use) => use.customerId === customer).map((use) => [use.benefit, use.amountFen])).toEqual(
        expect.arrayContaining([
          ['voucher', 20_000],
          ['discount', 4_000],
        ]),
      );
    }
  });

  it('follows the clinic’s order of offers: discount first gives 400 × 0.8 − 200 = ¥120', async () => {
    const { filling, holder } = await dentalClinic();
    const settings = {
      applicationOrder: 'discount_then_vouchers',
      percentageBase: 'current',
      tierWithCard: 'best_of',
      vouchersWithDiscounts: true,
      pointsWithVouchers: true,
    };
    const put = (body: object) => app.inject({ method: 'PUT', url: '/api/v1/settings/pricing', headers: owner.writeHeaders, payload: body });
    expect((await put(settings)).statusCode).toBe(200);
    try {
      expect((await quote(holder, [{ itemId: filling.id, quantity: 1 }])).json().orderTotalFen).toBe(12_000);
    } finally {
      expect((await put({ ...settings, applicationOrder: 'vouchers_then_discount' })).statusCode).toBe(200);
    }
    expect((await put({ ...settings, applicationOrder: 'sometimes' })).statusCode).toBe(400);
  });

  it('uses each member’s voucher once: the second filling gets the 8折 only', async () => {
    const { filling, daughter } = await dentalClinic();
    expect((await open(daughter, [{ itemId: filling.id, quantity: 1 }], { payments: [] })).json().totalFen).toBe(16_000);
    const again = (await quote(daughter, [{ itemId: filling.id, quantity: 1 }])).json();
    expect(again.orderTotalFen).toBe(32_000);
    expect(again.vouchers.applied).toEqual([]);
  });

  it('refuses a stale quote with 409 PRICE_CHANGED and writes nothing', async () => {
    const { filling, husband } = await dentalClinic();
    const quoted = (await quote(husband, [{ itemId: filling.id, quantity: 1 }])).json();
    // Meanwhile the voucher is used on another order.
    expect((await open(husband, [{ itemId: filling.id, quantity: 1 }], { payments: [] })).statusCode).toBe(201);
    const before = (await get(`/orders?customerId=${husband}`)).total;
    const stale = await open(husband, [{ itemId: filling.id, quantity: 1 }], { expectedTotalFen: quoted.orderTotalFen, payments: [] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'PRICE_CHANGED' });
    expect(stale.json().error.message).toContain('¥320.00');
    expect((await get(`/orders?customerId=${husband}`)).total).toBe(before);
  });

  it('gives the card benefits back when the order is voided or the line refunded', async () => {
    const { filling, holder } = await dentalClinic();
    const queued = (await open(holder, [{ itemId: filling.id, quantity: 1 }])).json();
    expect(queued.totalFen).toBe(16_000);
    const voided = await post(desk, `/orders/${queued.id}/void`, { reason: '客户改约' });
    expect(voided.statusCode).toBeLessThan(300);
    const paid = (await open(holder, [{ itemId: filling.id, quantity: 1 }], { payments: [{ method: 'cash', amountFen: 16_000 }] })).json();
    expect(paid.totalFen).toBe(16_000);
    const refund = await post(
      owner,
      `/orders/${paid.id}/refunds`,
      { lines: [{ lineId: paid.lines[0].id, quantity: 1 }], payouts: [{ method: 'cash', amountFen: 16_000 }], reasonCode: 'customer_request' },
      true,
    );
    expect(refund.statusCode).toBe(200);
    expect((await quote(holder, [{ itemId: filling.id, quantity: 1 }])).json().orderTotalFen).toBe(16_000);
  });

  it('gives no card price to a customer without the card, nor with member pricing off; another clinic’s desk cannot quote her', async () => {
    const { filling, cleaning, holder } = await dentalClinic();
    const stranger = await newCustomer('路人');
    expect((await quote(stranger, [{ itemId: filling.id, quantity: 1 }])).json().orderTotalFen).toBe(40_000);
    expect((await quote(holder, [{ itemId: filling.id, quantity: 1 }], { memberPricing: false })).json().orderTotalFen).toBe(40_000);
    // The card covers fillings only: cleaning stays at list price, and lines always sum to the total.
    const mixed = (
      await quote(holder, [
        { itemId: filling.id, quantity: 1 },
        { itemId: cleaning.id, quantity: 1 },
      ])
    ).json();
    expect(mixed.orderTotalFen).toBe(16_000 + 30_000);
    expect(mixed.lines.reduce((sum: number, line: { finalFen: number }) => sum + line.finalFen, 0)).toBe(mixed.totals.payableFen);
    const foreign = await post(otherDesk, '/orders/quote', { customerId: holder, lines: [{ itemId: filling.id, quantity: 1 }] });
    expect(foreign.statusCode).toBe(404);
  });

  it('never discounts a card line: a membership card or top-up sells at its price, even under a whole-order card', async () => {
    const { cleaning } = await dentalClinic();
    const product = (
      await post(owner, '/card-products', {
        kind: 'membership',
        name: `通用卡${counter++}`,
        priceFen: 19_900,
        validity: 'annual',
        discountRules: [{ categoryId: null, discountBasisPoints: 1_000 }],
        bundledVouchers: [{ name: '通用券', faceValueFen: 5_000, quantity: 1 }],
      })
    ).json();
    const member = await newCustomer('赵女士');
    const sold = await post(
      desk,
      `/customers/${member}/cards`,
      { storeId: clinic.storeIds[0], cardProductId: product.id, payments: [{ method: 'cash', amountFen: 19_900 }] },
      true,
    );
    expect(sold.statusCode).toBe(201);
    const quoted = (
      await quote(member, [
        { itemId: product.itemId, quantity: 1 },
        { itemId: cleaning.id, quantity: 1 },
      ])
    ).json();
    const cardLine = quoted.lines.find((line: { itemId: string }) => line.itemId === product.itemId);
    expect(cardLine).toMatchObject({ listFen: 19_900, finalFen: 19_900, deductions: [] });
    // The cleaning takes the whole-order voucher and the 9折: (300 − 50) × 0.9 = 225.
    expect(quoted.orderTotalFen).toBe(19_900 + 22_500);
  });

  it('gives the tier’s birthday-month gift once a year, in her birthday month only', async () => {
    const category = (await post(owner, '/item-categories', { name: `护理${counter++}` })).json();
    const facial = (await post(owner, '/items', { kind: 'service', name: '生日护理', categoryId: category.id, priceFen: 68_000 })).json();
    const tier = await post(owner, '/membership/tiers', {
      name: `金卡${counter++}`,
      criteria: { match: 'any', growth: 1_000_000, consumptionFen: null, visits: null, topUpFen: null },
      retention: 'never_down',
      benefits: {
        categoryDiscounts: [],
        pointsBasisPoints: 10_000,
        birthday: { kind: 'free_item', categoryId: category.id, quantity: 1 },
        isPriorityBooking: false,
        hasDedicatedConsultant: false,
        upgradeGifts: [],
      },
    });
    expect(tier.statusCode).toBe(201);
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    const otherMonth = `1990-${today.slice(5, 7) === '06' ? '07' : '06'}-10`;
    const born = async (date: string) => {
      const id = (await post(desk, '/customers', { name: '寿星', gender: 'female', phone: randomMobile(), birthday: { calendar: 'solar', date } })).json().id;
      const set = await post(owner, `/customers/${id}/membership/tier-changes`, { tierId: tier.json().id, reason: '测试' });
      expect(set.statusCode).toBeLessThan(300);
      return id as string;
    };
    const celebrant = await born(`1990-${today.slice(5, 7)}-01`);
    const first = (await quote(celebrant, [{ itemId: facial.id, quantity: 1 }])).json();
    expect(first.orderTotalFen).toBe(0);
    expect(first.vouchers.applied.map((voucher: { voucherId: string }) => voucher.voucherId)).toEqual([`birthday:${today.slice(0, 4)}:1`]);
    expect((await open(celebrant, [{ itemId: facial.id, quantity: 1 }], { payments: [] })).json().totalFen).toBe(0);
    expect((await quote(celebrant, [{ itemId: facial.id, quantity: 1 }])).json().orderTotalFen).toBe(68_000);
    const notYet = await born(otherMonth);
    expect((await quote(notYet, [{ itemId: facial.id, quantity: 1 }])).json().orderTotalFen).toBe(68_000);
  });
});

describe('points for cash in the quote and at checkout', () => {
  const grant = async (customerId: string, points: number) =>
    expect((await post(owner, `/customers/${customerId}/points/adjustments`, { points, reason: '测试积分' }, true)).statusCode).toBe(201);
  const balanceOf = async (customerId: string) => (await get(`/customers/${customerId}/points`)).active as number;

  it('quotes the most points she may use (her balance, the month counting this order), and the checkout accepts exactly that', async () => {
    const item = (await post(owner, '/items', { kind: 'service', name: '洁面护理', priceFen: 30_000 })).json();
    const line = [{ itemId: item.id, quantity: 1 }];
    // A member with no other spending this month: the month's 30 % counts this ¥300 order, as the checkout does.
    const member = await newCustomer('积分会员');
    await grant(member, 2_556);
    const quoted = (await quote(member, line)).json();
    expect(quoted.usablePoints).toMatchObject({ points: 2_556, valueFen: 2_556, balancePoints: 2_556 });
    const using = (await quote(member, line, { pointsToUse: 2_556 })).json();
    expect(using.points).toMatchObject({ usedPoints: 2_556, valueFen: 2_556 });
    expect(using.points.message).not.toContain('¥0.00');
    const paid = await open(member, line, {
      expectedTotalFen: quoted.orderTotalFen,
      payments: [
        { method: 'points', amountFen: 2_556 },
        { method: 'wechat', amountFen: 30_000 - 2_556 },
      ],
    });
    expect(paid.statusCode).toBe(201);
    expect(await balanceOf(member)).toBe(0);

    // A richer member: the month's cap (30 % of ¥300 = ¥90) is the limit, in the quote and at the checkout alike.
    const rich = await newCustomer('积分大户');
    await grant(rich, 20_000);
    const capped = (await quote(rich, line)).json();
    expect(capped.usablePoints).toMatchObject({ points: 9_000, valueFen: 9_000, balancePoints: 20_000 });
    const over = await open(rich, line, {
      payments: [
        { method: 'points', amountFen: 9_001 },
        { method: 'wechat', amountFen: 30_000 - 9_001 },
      ],
    });
    expect(over.statusCode).toBe(422);
    expect(over.json().error.message).toContain('¥90.00');
    const most = await open(rich, line, {
      payments: [
        { method: 'points', amountFen: 9_000 },
        { method: 'wechat', amountFen: 21_000 },
      ],
    });
    expect(most.statusCode).toBe(201);
    expect(await balanceOf(rich)).toBe(11_000);
  });

  it('keeps points off lines a voucher applied to when the clinic says so, in the quote and at the checkout alike', async () => {
    const { filling, cleaning, husband } = await dentalClinic();
    await grant(husband, 2_000);
    const settings = (await get('/settings/pricing')) as Record<string, unknown>;
    const put = (body: object) => app.inject({ method: 'PUT', url: '/api/v1/settings/pricing', headers: owner.writeHeaders, payload: body });
    expect((await put({ ...settings, pointsWithVouchers: false })).statusCode).toBe(200);
    try {
      // The filling takes the family card's voucher: no points on it; the cleaning beside it takes them.
      const fillingOnly = [{ itemId: filling.id, quantity: 1 }];
      expect((await quote(husband, fillingOnly)).json().usablePoints).toMatchObject({ points: 0, valueFen: 0 });
      const refused = await open(husband, fillingOnly, {
        payments: [
          { method: 'points', amountFen: 1_000 },
          { method: 'wechat', amountFen: 15_000 },
        ],
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.code).toBe('POINTS_REDEMPTION_REFUSED');
      const both = [...fillingOnly, { itemId: cleaning.id, quantity: 1 }];
      const quoted = (await quote(husband, both)).json();
      expect(quoted.usablePoints).toMatchObject({ points: 2_000, valueFen: 2_000 });
      const paid = await open(husband, both, {
        expectedTotalFen: quoted.orderTotalFen,
        payments: [
          { method: 'points', amountFen: 2_000 },
          { method: 'wechat', amountFen: quoted.orderTotalFen - 2_000 },
        ],
      });
      expect(paid.statusCode).toBe(201);
      expect(await balanceOf(husband)).toBe(0);
    } finally {
      expect((await put(settings)).statusCode).toBe(200);
    }
  });

  it('has no usable points when the clinic does not take points for cash', async () => {
    const item = (await post(owner, '/items', { kind: 'service', name: '补水护理', priceFen: 20_000 })).json();
    const member = await newCustomer('无积分抵现');
    await grant(member, 1_000);
    const settings = await get('/settings/points');
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/settings/points',
      headers: owner.writeHeaders,
      payload: { ...settings, redemption: { ...settings.redemption, isEnabled: false } },
    });
    expect(put.statusCode).toBe(200);
    try {
      expect((await quote(member, [{ itemId: item.id, quantity: 1 }])).json().usablePoints).toBeNull();
    } finally {
      await app.inject({ method: 'PUT', url: '/api/v1/settings/points', headers: owner.writeHeaders, payload: settings });
    }
  });
});
