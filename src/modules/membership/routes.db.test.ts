import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import type { App } from '../../platform/http.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../../testing/database.js';

let database: Database;
let app: App;
let clinic: TestTenant;
let other: TestTenant;
let owner: Session;
let manager: Session;
let desk: Session;
let otherOwner: Session;
const now = Date.parse('2026-03-08T02:00:00Z');

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock: { now: () => new Date(now) } });
  clinic = await createTestTenant(database);
  other = await createTestTenant(database, 'Other clinic');
  owner = await loginAs(app, clinic, 'owner');
  manager = await loginAs(app, clinic, 'store_manager');
  desk = await loginAs(app, clinic, 'front_desk');
  otherOwner = await loginAs(app, other, 'owner');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const send = (session: Session, method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...session.writeHeaders, 'idempotency-key': `k-${crypto.randomUUID()}` },
    ...(payload ? { payload } : {}),
  });
const get = (session: Session, url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: session.headers });

const tier = (name: string, growth: number | null, extra: object = {}) => ({
  name,
  description: '消费满额可升级，享专属顾问与生日礼遇。',
  criteria: { match: 'any', growth, consumptionFen: null, visits: null, topUpFen: null },
  retention: 'down_one',
  benefits: {
    categoryDiscounts: [],
    pointsBasisPoints: 10_000,
    birthday: null,
    isPriorityBooking: false,
    hasDedicatedConsultant: false,
    upgradeGifts: [],
  },
  ...extra,
});

describe('tiers over the API', () => {
  it('creates tiers in rank order, reorders them, and refuses wording the advertising law forbids', async () => {
    const basic = await send(owner, 'POST', '/membership/tiers', tier('普通会员', null));
    expect(basic.statusCode).toBe(201);
    const gold = (await send(owner, 'POST', '/membership/tiers', tier('金卡', 5_000))).json();
    const silver = (await send(owner, 'POST', '/membership/tiers', tier('银卡', 1_000))).json();
    expect(silver.rank).toBe(3);
    const reordered = await send(owner, 'PUT', '/membership/tier-order', { tierIds: [basic.json().id, silver.id, gold.id] });
    expect(reordered.json().items.map((item: { name: string; rank: number }) => [item.name, item.rank])).toEqual([
      ['普通会员', 1],
      ['银卡', 2],
      ['金卡', 3],
    ]);
    const refused = await send(owner, 'POST', '/membership/tiers', tier('钻石', 20_000, { description: '全城最有效的抗衰方案，效果保证' }));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'WORDING_FORBIDDEN', message: '面向客户的文字含广告法禁用词：最有效、保证' });
    expect((await send(owner, 'POST', '/membership/tiers', { ...tier('钻石', 1), tenantId: other.id })).statusCode).toBe(400);
  });

  it('only roles with membership.manage define tiers; another tenant sees none of them', async () => {
    expect((await send(desk, 'POST', '/membership/tiers', tier('前台等级', 10))).statusCode).toBe(403);
    expect((await get(desk, '/membership/tiers')).statusCode).toBe(200);
    const mine = (await get(owner, '/membership/tiers')).json().items;
    expect((await get(otherOwner, '/membership/tiers')).json().items).toEqual([]);
    expect((await send(otherOwner, 'PUT', `/membership/tiers/${mine[0].id}`, tier('改名', null))).statusCode).toBe(404);
  });

  it("shows a customer's membership with progress to the next tier; a manual change needs a reason and is audited", async () => {
    const customer = (await send(desk, 'POST', '/customers', { name: '会员', gender: 'female', phone: randomMobile() })).json();
    const item = (await send(owner, 'POST', '/items', { kind: 'service', name: '水光', priceFen: 30_000 })).json();
    await send(desk, 'POST', '/orders', {
      storeId: clinic.storeIds[0],
      customerId: customer.id,
      lines: [{ itemId: item.id, quantity: 1 }],
      payments: [{ method: 'wechat', amountFen: 30_000 }],
    });
    const membership = (await get(desk, `/customers/${customer.id}/membership`)).json();
    expect(membership).toMatchObject({
      tier: { name: '普通会员' },
      periodEndsOn: '2027-03-08',
      figures: { growth: 300, consumptionFen: 30_000, from: '2025-03-09', to: '2026-03-08' },
      next: { tier: { name: '银卡' }, percent: 30, items: [{ criterion: 'growth', current: 300, target: 1_000, percent: 30, isMet: false }] },
      history: [{ direction: 'up', cause: 'order_payment', toTier: { name: '普通会员' } }],
    });
    const tiers = (await get(owner, '/membership/tiers')).json().items;
    const gold = tiers.find((entry: { name: string }) => entry.name === '金卡');
    expect((await send(desk, 'POST', `/customers/${customer.id}/membership/tier-changes`, { tierId: gold.id, reason: '老客迁移' })).statusCode).toBe(403);
    expect((await send(manager, 'POST', `/customers/${customer.id}/membership/tier-changes`, { tierId: gold.id, reason: ' ' })).statusCode).toBe(400);
    const changed = await send(manager, 'POST', `/customers/${customer.id}/membership/tier-changes`, { tierId: gold.id, reason: '老客迁移' });
    expect(changed.statusCode).toBe(201);
    expect(changed.json()).toMatchObject({ direction: 'manual', toTier: { name: '金卡' }, note: '老客迁移' });
    const audit = (await get(owner, `/audit-log?entityType=customer&entityId=${customer.id}`)).json();
    expect(JSON.stringify(audit)).toContain('membership.tier_change');
    // A tier someone holds cannot be archived.
    expect((await send(owner, 'DELETE', `/membership/tiers/${gold.id}`)).statusCode).toBe(422);
    expect((await get(otherOwner, `/customers/${customer.id}/membership`)).statusCode).toBe(404);
  });
});
