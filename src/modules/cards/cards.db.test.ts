import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { systemActor } from '../../platform/audit.js';
import { makeCtx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../../testing/database.js';
import { recordCardUse, resolveCardsForCustomer } from './customer-cards.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let owner: Session;
let desk: Session;
let counter = 0;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database);
  owner = await loginAs(app, clinic, 'owner');
  desk = await loginAs(app, clinic, 'front_desk');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const post = (session: Session, url: string, payload: object, isValueMoving = false) =>
  app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...session.writeHeaders, ...(isValueMoving ? { 'idempotency-key': `cards-${Date.now()}-${counter++}` } : {}) },
    payload,
  });
const get = async (url: string) => (await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: owner.headers })).json();
const newCustomer = async (name = '家庭成员') => (await post(desk, '/customers', { name, gender: 'female', phone: randomMobile() })).json().id as string;

const familyCard = async (familyLimit = 3, usesPerMember: number | null = null) => {
  const category = (await post(owner, '/item-categories', { name: `补牙${counter++}` })).json();
  const product = await post(owner, '/card-products', {
    kind: 'membership',
    name: `家庭口腔卡${counter++}`,
    priceFen: 19_900,
    validity: 'annual',
    familyLimit,
    discountRules: [{ categoryId: category.id, discountBasisPoints: 2_000 }],
    bundledVouchers: [{ name: '补牙代金券', faceValueFen: 20_000, quantity: 1 }],
    memberLimits: { usesPerMember, period: 'year' },
  });
  expect(product.statusCode).toBe(201);
  return { product: product.json(), category };
};
const sell = async (customerId: string, productId: string) =>
  post(
    desk,
    `/customers/${customerId}/cards`,
    { storeId: clinic.storeIds[0], cardProductId: productId, payments: [{ method: 'cash', amountFen: 19_900 }] },
    true,
  );

describe('card products and family cards', () => {
  it('selling a ¥199 family card creates the customer card for a year, with its vouchers pending', async () => {
    const { product, category } = await familyCard();
    expect(product).toMatchObject({ kind: 'membership', priceFen: 19_900, familyLimit: 3, itemKind: 'card' });
    const holder = await newCustomer('王女士');
    const response = await sell(holder, product.id);
    expect(response.statusCode).toBe(201);
    const [card] = response.json().cards;
    expect(card).toMatchObject({
      ownerId: holder,
      isOwner: true,
      status: 'active',
      isValid: true,
      familyLimit: 3,
      discountRules: [{ categoryId: category.id, discountBasisPoints: 2_000 }],
      pendingVouchers: [{ name: '补牙代金券', faceValueFen: 20_000, quantity: 1, status: 'pending' }],
    });
    const from = new Date(`${card.validFrom}T00:00:00Z`);
    expect(card.validTo).toBe(new Date(Date.UTC(from.getUTCFullYear() + 1, from.getUTCMonth(), from.getUTCDate() - 1)).toISOString().slice(0, 10));
    expect(response.json().order.lines[0]).toMatchObject({ kind: 'card', amountFen: 19_900 });
  });

  it('the owner adds dependants up to the limit (owner included); removing one frees a place', async () => {
    const { product } = await familyCard(3);
    const holder = await newCustomer('持卡人');
    const card = (await sell(holder, product.id)).json().cards[0];
    const [daughter, husband, mother] = [await newCustomer('女儿'), await newCustomer('丈夫'), await newCustomer('母亲')];
    expect((await post(desk, `/cards/${card.id}/members`, { customerId: daughter, relation: '女儿' })).statusCode).toBe(201);
    expect((await post(desk, `/cards/${card.id}/members`, { customerId: husband, relation: '配偶' })).statusCode).toBe(201);
    const full = await post(desk, `/cards/${card.id}/members`, { customerId: mother, relation: '母亲' });
    expect(full.statusCode).toBe(422);
    expect(full.json().error.code).toBe('CARD_FAMILY_FULL');
    expect((await post(desk, `/cards/${card.id}/members`, { customerId: daughter })).statusCode).toBe(409);
    expect((await post(desk, `/cards/${card.id}/members`, { customerId: holder })).statusCode).toBe(422);
    const removed = await app.inject({ method: 'DELETE', url: `/api/v1/cards/${card.id}/members/${husband}`, headers: desk.writeHeaders });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().members.find((member: { customerId: string }) => member.customerId === husband).removedAt).not.toBeNull();
    expect((await post(desk, `/cards/${card.id}/members`, { customerId: mother, relation: '母亲' })).statusCode).toBe(201);
  });

  it('the default family limit is eight people, the owner included', async () => {
    const product = (await post(owner, '/card-products', { kind: 'membership', name: `八人卡${counter++}`, priceFen: 19_900 })).json();
    expect(product.familyLimit).toBe(8);
    const holder = await newCustomer();
    const card = (await sell(holder, product.id)).json().cards[0];
    for (let index = 0; index < 7; index++) {
      expect((await post(desk, `/cards/${card.id}/members`, { customerId: await newCustomer() })).statusCode).toBe(201);
    }
    expect((await post(desk, `/cards/${card.id}/members`, { customerId: await newCustomer() })).json().error.code).toBe('CARD_FAMILY_FULL');
  });

  it('resolves the cards a customer may use: her own and family cards, never a stranger’s', async () => {
    const { product, category } = await familyCard(4);
    const holder = await newCustomer();
    const card = (await sell(holder, product.id)).json().cards[0];
    const son = await newCustomer();
    const stranger = await newCustomer();
    await post(desk, `/cards/${card.id}/members`, { customerId: son, relation: '儿子' });
    const today = card.validFrom;
    const forSon = await resolveCardsForCustomer(database.db, { tenantId: clinic.id, customerId: son, date: today, timezone: 'Asia/Shanghai' });
    expect(forSon).toEqual([
      expect.objectContaining({
        cardId: card.id,
        ownerId: holder,
        isOwner: false,
        isValid: true,
        discountRules: [{ categoryId: category.id, discountBasisPoints: 2_000 }],
      }),
    ]);
    expect(await resolveCardsForCustomer(database.db, { tenantId: clinic.id, customerId: stranger, date: today, timezone: 'Asia/Shanghai' })).toEqual([]);
    const afterExpiry = await resolveCardsForCustomer(database.db, { tenantId: clinic.id, customerId: holder, date: '2999-01-01', timezone: 'Asia/Shanghai' });
    expect(afterExpiry[0]?.isValid).toBe(false);
    const http = await get(`/customers/${son}/card-benefits`);
    expect(http.items[0]).toMatchObject({ cardId: card.id, isOwner: false });
  });

  it('records who used what, within each member’s limit; refunding the card cancels it for everyone', async () => {
    const { product } = await familyCard(3, 1);
    const holder = await newCustomer();
    const sale = (await sell(holder, product.id)).json();
    const card = sale.cards[0];
    const daughter = await newCustomer();
    const stranger = await newCustomer();
    await post(desk, `/cards/${card.id}/members`, { customerId: daughter });
    const ctx = makeCtx({ ...systemActor(clinic.id) }, new Date(), 'Asia/Shanghai');
    await database.db.transaction((tx) => recordCardUse(tx, ctx, { cardId: card.id, customerId: daughter, benefit: 'discount', amountFen: 4_000 }));
    await expect(
      database.db.transaction((tx) => recordCardUse(tx, ctx, { cardId: card.id, customerId: daughter, benefit: 'discount', amountFen: 4_000 })),
    ).rejects.toMatchObject({ code: 'CARD_MEMBER_LIMIT' });
    await expect(
      database.db.transaction((tx) => recordCardUse(tx, ctx, { cardId: card.id, customerId: stranger, benefit: 'discount', amountFen: 1 })),
    ).rejects.toMatchObject({ code: 'CARD_NOT_MEMBER' });
    const byHttp = await post(desk, `/cards/${card.id}/uses`, { customerId: holder, benefit: 'discount', amountFen: 8_000 }, true);
    expect(byHttp.statusCode).toBe(201);
    const view = byHttp.json();
    expect(view.uses.map((use: { customerId: string; amountFen: number }) => [use.customerId, use.amountFen])).toEqual(
      expect.arrayContaining([
        [daughter, 4_000],
        [holder, 8_000],
      ]),
    );
    expect((await get(`/customers/${daughter}/card-benefits`)).items[0].usesLeft).toBe(0);
    const refund = await post(
      owner,
      `/orders/${sale.order.id}/refunds`,
      { lines: [{ lineId: sale.order.lines[0].id }], payouts: [{ method: 'cash', amountFen: 19_900 }], reasonCode: 'customer_request' },
      true,
    );
    expect(refund.statusCode).toBe(200);
    const [after] = (await get(`/customers/${daughter}/cards`)).items;
    expect(after).toMatchObject({ status: 'cancelled', isValid: false });
  });

  it('course cards from the catalog are linked to the same card products screen', async () => {
    const service = (await post(owner, '/items', { kind: 'service', name: `光子嫩肤${counter++}`, priceFen: 100_000 })).json();
    const course = (
      await post(owner, '/items', { kind: 'package', name: `光子三次${counter++}`, priceFen: 250_000, contents: [{ itemId: service.id, sessions: 3 }] })
    ).json();
    const product = await post(owner, '/card-products', { kind: 'course', name: course.name, itemId: course.id });
    expect(product.statusCode).toBe(201);
    expect(product.json()).toMatchObject({ kind: 'course', itemId: course.id, priceFen: 250_000, contents: [{ itemId: service.id, sessions: 3 }] });
    const listed = await get('/card-products');
    expect(listed.items.map((item: { id: string }) => item.id)).toContain(product.json().id);
    const notCourse = await post(owner, '/card-products', { kind: 'course', name: 'x', itemId: service.id });
    expect(notCourse.statusCode).toBe(422);
  });

  it('a front-desk clerk cannot define card products', async () => {
    const response = await post(desk, '/card-products', { kind: 'membership', name: '越权', priceFen: 100 });
    expect(response.statusCode).toBe(403);
  });
});
