import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { createTestTenant, loginAs, openTestDatabase, portalLogin, randomMobile, type TestTenant } from '../../testing/database.js';
import { logSmsChannel } from '../messaging/dev-channel.js';

let database: Database;
let app: App;
let clinic: TestTenant;
const sent: string[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildApp({ database, smsChannel: logSmsChannel({ write: (text: string) => sent.push(text) > 0 }) });
  await app.ready();
  clinic = await createTestTenant(database, 'Cards portal clinic');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('stored value and family cards in the member portal', () => {
  it('a member reads her principal and bonus, her history and the family members on the card she shares', async () => {
    const desk = await loginAs(app, clinic, 'owner');
    const post = (url: string, payload: object) =>
      app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { ...desk.writeHeaders, 'idempotency-key': `portal-${crypto.randomUUID()}` }, payload });
    const phone = randomMobile();
    const holder = (await post('/customers', { name: '持卡妈妈', gender: 'female', phone: randomMobile() })).json();
    const member = (await post('/customers', { name: '会员女儿', gender: 'female', phone })).json();
    const card = (await post('/card-products', { kind: 'membership', name: '家庭卡', priceFen: 19_900 })).json();
    const storedValue = (await post('/card-products', { kind: 'stored_value', name: '储值一千', priceFen: 100_000, bonusFen: 10_000 })).json();
    const sale = (
      await post(`/customers/${holder.id}/cards`, { storeId: clinic.storeIds[0], cardProductId: card.id, payments: [{ method: 'cash', amountFen: 19_900 }] })
    ).json();
    await post(`/cards/${sale.cards[0].id}/members`, { customerId: member.id, relation: '女儿' });
    await post(`/customers/${member.id}/stored-value/top-ups`, {
      storeId: clinic.storeIds[0],
      cardProductId: storedValue.id,
      payments: [{ method: 'cash', amountFen: 100_000 }],
    });

    const { cookie } = await portalLogin(app, clinic, phone, sent);
    const balance = (await app.inject({ method: 'GET', url: '/api/portal/v1/stored-value', headers: { cookie } })).json();
    expect(balance).toMatchObject({
      principalFen: 100_000,
      bonusFen: 10_000,
      balanceFen: 110_000,
      history: [{ title: '充值', principalFen: 100_000, bonusFen: 10_000 }],
    });
    const cards = (await app.inject({ method: 'GET', url: '/api/portal/v1/cards', headers: { cookie } })).json();
    expect(cards.items).toEqual([
      expect.objectContaining({ name: '家庭卡', isOwner: false, ownerName: '持卡妈妈', members: [{ name: '会员女儿', relation: '女儿' }] }),
    ]);
    expect((await app.inject({ method: 'GET', url: '/api/portal/v1/stored-value' })).statusCode).toBe(401);
  });
});
