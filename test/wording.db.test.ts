import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import type { App } from '../src/platform/http.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, openTestDatabase } from '../src/testing/database.js';

/** The advertising-law wording rule guards every text a customer reads, each refused with 422 naming its field. */
let database: Database;
let app: App;
let api: ReturnType<typeof apiAs>;

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  const clinic = await createTestTenant(database, 'Wording clinic');
  api = apiAs(app, await loginAs(app, clinic, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const voucherTemplate = (fields: object) => ({
  name: '体验券',
  kind: 'cash_off',
  faceValueFen: 5000,
  thresholdFen: 0,
  scope: { itemIds: [], categoryIds: [] },
  channels: ['store'],
  validity: { kind: 'relative', days: 30 },
  totalStock: null,
  perCustomerLimit: 1,
  isStackable: true,
  ...fields,
});

const expectRefused = (response: Awaited<ReturnType<typeof api.post>>, path: string) => {
  expect(response.statusCode, response.body).toBe(422);
  expect(response.json().error.code).toMatch(/WORDING_FORBIDDEN|REFERRAL_SETTINGS_INVALID/);
  expect(response.json().error.details.map((detail: { path: string }) => detail.path)).toContain(path);
};

describe('customer-facing wording', () => {
  it('refuses a card product described as the most effective top expert, guaranteed painless, and saves nothing', async () => {
    expectRefused(
      await api.post('/card-products', { kind: 'membership', name: '焕颜卡', priceFen: 19_900, description: '最有效的顶级专家…保证不痛' }),
      'body.description',
    );
    expectRefused(await api.post('/card-products', { kind: 'membership', name: '顶级焕颜卡', priceFen: 19_900 }), 'body.name');
    expectRefused(
      await api.post('/card-products', {
        kind: 'membership',
        name: '焕颜卡',
        priceFen: 19_900,
        bundledVouchers: [{ name: '保证有效体验券', faceValueFen: 1000, quantity: 1 }],
      }),
      'body.bundledVouchers.0.name',
    );
    expect((await api.get('/card-products')).json().items).toEqual([]);
    const card = await api.post('/card-products', { kind: 'membership', name: '焕颜卡', priceFen: 19_900, description: '到店护理九折' });
    expect(card.statusCode).toBe(201);
    expectRefused(await api.patch(`/card-products/${card.json().id}`, { description: '唯一根治方案' }), 'body.description');
    expect((await api.get('/card-products')).json().items[0].description).toBe('到店护理九折');
  });

  it('refuses a voucher named the top expert’s first voucher, on create and on edit', async () => {
    expectRefused(await api.post('/voucher-templates', voucherTemplate({ name: '顶级专家第一券' })), 'body.name');
    expectRefused(await api.post('/voucher-templates', voucherTemplate({ description: '100% 无副作用' })), 'body.description');
    const template = await api.post('/voucher-templates', voucherTemplate({}));
    expect(template.statusCode).toBe(201);
    expectRefused(await api.patch(`/voucher-templates/${template.json().id}`, { name: '最佳体验券' }), 'body.name');
    expectRefused(await api.patch(`/voucher-templates/${template.json().id}`, { description: '永久保持' }), 'body.description');
    expect((await api.get(`/voucher-templates/${template.json().id}`)).json()).toMatchObject({ name: '体验券', description: null });
  });

  it('refuses partner levels whose name or benefits break the rule, naming the field', async () => {
    const settings = (await api.get('/settings/referrals')).json();
    const levels = settings.partnerLevels.map((level: object, index: number) => (index === 0 ? { ...level, name: '顶级合伙人' } : level));
    expectRefused(await api.put('/settings/referrals', { ...settings, partnerLevels: levels }), 'body.partnerLevels.0.name');
    const benefits = settings.partnerLevels.map((level: object, index: number) => (index === 1 ? { ...level, benefits: '保证返现' } : level));
    expectRefused(await api.put('/settings/referrals', { ...settings, partnerLevels: benefits }), 'body.partnerLevels.1.benefits');
  });

  it('refuses tier texts as before', async () => {
    const response = await api.post('/membership/tiers', {
      name: '金卡',
      description: '国家级专家保证效果',
      criteria: { match: 'any', growth: 1000, consumptionFen: null, visits: null, topUpFen: null },
      retention: 're_evaluate',
      benefits: { categoryDiscounts: [], pointsBasisPoints: 10000, birthday: null, isPriorityBooking: false, hasDedicatedConsultant: false, upgradeGifts: [] },
    });
    expectRefused(response, 'body.description');
  });
});
