import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { pointsEntries } from '../points/tables.js';
import { referralRewards, referrals } from './tables.js';

/**
 * Races on PostgreSQL (PGlite has one connection and serialises them, so there the test still
 * passes and checks the same outcome): qualifying orders of one referred customer committed at
 * once give the deal reward exactly once per side.
 */
let database: Database;
let app: App;
let clinic: TestTenant;
let api: ReturnType<typeof apiAs>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  clinic = await createTestTenant(database, 'Referral races');
  api = apiAs(app, await loginAs(app, clinic, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const created = async (response: Promise<{ statusCode: number; body: string }>) => {
  const result = await response;
  if (result.statusCode !== 201 && result.statusCode !== 200) throw new Error(`${result.statusCode}: ${result.body}`);
  return JSON.parse(result.body) as { id: string };
};

describe('referral races on PostgreSQL', () => {
  it('four qualifying first orders committed at once: one deal reward per side, all four orders placed', async () => {
    const service = await created(api.post('/items', { kind: 'service', name: `热玛吉${crypto.randomUUID().slice(0, 4)}`, priceFen: 1_000_000 }));
    const referrer = await created(api.post('/customers', { name: '并发推荐人', gender: 'female', phone: randomMobile() }));
    const friend = await created(api.post('/customers', { name: '并发好友', gender: 'female', phone: randomMobile(), referrerId: referrer.id }));
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        api.post('/orders', {
          storeId: clinic.storeIds[0],
          customerId: friend.id,
          lines: [{ itemId: service.id, quantity: 1 }],
          payments: [{ method: 'wechat', amountFen: 1_000_000 }],
        }),
      ),
    );
    expect(results.map((response) => response.statusCode)).toEqual([201, 201, 201, 201]);
    const [referral] = await database.db
      .select()
      .from(referrals)
      .where(and(eq(referrals.tenantId, clinic.id), eq(referrals.referredId, friend.id)));
    expect(referral?.dealtAt).not.toBeNull();
    const orderIds = results.map((response) => response.json().id);
    expect(orderIds).toContain(referral?.firstDealOrderId);
    const rewards = await database.db
      .select()
      .from(referralRewards)
      .where(and(eq(referralRewards.tenantId, clinic.id), eq(referralRewards.referralId, referral?.id ?? '')));
    expect(rewards.map((reward) => [reward.side, reward.stage, reward.points, reward.status]).sort()).toEqual([
      ['referred', 'deal', 500, 'given'],
      ['referrer', 'deal', 500, 'given'],
    ]);
    expect(rewards.every((reward) => reward.orderId === referral?.firstDealOrderId)).toBe(true);
    for (const customerId of [friend.id, referrer.id]) {
      const entries = await database.db
        .select()
        .from(pointsEntries)
        .where(and(eq(pointsEntries.tenantId, clinic.id), eq(pointsEntries.customerId, customerId), eq(pointsEntries.sourceType, 'event')));
      expect(entries.map((entry) => entry.points)).toEqual([500]);
    }
  });

  it('friends of one referrer dealing at once never take her past the monthly cap', async () => {
    const settings = await (await api.get('/settings/referrals')).json();
    await api.put('/settings/referrals', { ...settings, monthlyRewardCap: 2 });
    const service = await created(api.post('/items', { kind: 'service', name: `超皮秒${crypto.randomUUID().slice(0, 4)}`, priceFen: 300_000 }));
    const referrer = await created(api.post('/customers', { name: '上限推荐人', gender: 'female', phone: randomMobile() }));
    const friends = [];
    for (let index = 0; index < 5; index++) {
      friends.push(await created(api.post('/customers', { name: `上限好友${index}`, gender: 'female', phone: randomMobile(), referrerId: referrer.id })));
    }
    const results = await Promise.all(
      friends.map((friend) =>
        api.post('/orders', {
          storeId: clinic.storeIds[0],
          customerId: friend.id,
          lines: [{ itemId: service.id, quantity: 1 }],
          payments: [{ method: 'alipay', amountFen: 300_000 }],
        }),
      ),
    );
    expect(results.map((response) => response.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const rewards = await database.db
      .select()
      .from(referralRewards)
      .where(and(eq(referralRewards.tenantId, clinic.id), eq(referralRewards.customerId, referrer.id)));
    expect(rewards.map((reward) => reward.status).sort()).toEqual(['capped', 'capped', 'capped', 'given', 'given']);
    await api.put('/settings/referrals', settings);
  });
});
