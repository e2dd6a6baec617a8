import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import { queryRows } from '../src/db/client.js';
import type { App } from '../src/platform/http.js';
import { type Permission, type Role, rolePermissions, roles } from '../src/platform/permissions.js';
import { buildTestApp, createTestTenant, loginAs, openTestDatabase, randomMobile, type Session, type TestTenant } from '../src/testing/database.js';
import { openApiOperations, stringsLike } from '../src/testing/openapi.js';

/**
 * Generated from the app's own route list, so a new route is covered the day it lands:
 * deny by default, every role × operation, and another tenant's ids → 404.
 */
let database: Database;
let app: App;
let tenantA: TestTenant;
let tenantB: TestTenant;
const sessionsA = {} as Record<Role, Session>;
let ownerB: Session;
// Path parameters that are not ids: a message topic and channel, a phone on the opt-out list, an SMS provider.
const idsA: Record<string, string> = { topic: 'points.expiring', channel: 'sms', phone: '13900000000', provider: 'aliyun' };

/** A valid body per operation, so a request reaches the handler rather than stopping at validation. */
const sampleBodies: Record<string, () => unknown> = {
  'POST /api/v1/auth/login': () => ({ tenantCode: 'nobody', username: 'nobody', password: 'x' }),
  'POST /api/v1/auth/logout': () => undefined,
  'POST /api/v1/staff': () => ({ username: `u${Date.now()}`, displayName: '新员工', role: 'front_desk', password: 'long-enough-password' }),
  'POST /api/v1/api-keys': () => ({ name: 'HIS', role: 'front_desk' }),
  'PATCH /api/v1/staff/:id': () => ({ displayName: '跨租户' }),
  'POST /api/v1/staff/:id/disable': () => undefined,
  'POST /api/v1/staff/:id/enable': () => undefined,
  'POST /api/v1/staff/:id/unlock': () => undefined,
  'POST /api/v1/staff/:id/password-reset': () => ({ temporaryPassword: 'Temporary-Pass-2026' }),
  'POST /api/v1/auth/password': () => ({ currentPassword: 'test-password-1', newPassword: 'Another-Pass-2026' }),
  'POST /api/v1/setup': () => ({
    code: `s-${Date.now()}`,
    name: '新诊所',
    store: { name: '总店' },
    owner: { username: 'boss', displayName: '老板', password: 'Setup-Pass-2026' },
  }),
  'PUT /api/v1/settings/clinic': () => ({
    name: '跨租户',
    timezone: 'Asia/Shanghai',
    contactPhone: null,
    address: null,
    receiptHeader: null,
    receiptFooter: null,
    businessDayStart: '00:00',
  }),
  'PUT /api/v1/settings/clinic/logo': () => ({ dataBase64: 'iVBORw0KGgo=' }),
  'POST /api/v1/stores': () => ({ name: `门店${Date.now()}` }),
  'PATCH /api/v1/stores/:id': () => ({ name: '跨租户' }),
  'POST /api/v1/stores/:id/close': () => undefined,
  'POST /api/v1/stores/:id/reopen': () => undefined,
  'POST /api/v1/customers': () => ({ name: '测试', gender: 'female', phone: randomMobile() }),
  'PATCH /api/v1/customers/:id': () => ({ notes: '跨租户' }),
  'POST /api/v1/customers/:id/family': () => ({ memberId: idsA.memberId }),
  'POST /api/v1/item-categories': () => ({ name: `分类${Date.now()}` }),
  'POST /api/v1/items': () => ({ kind: 'service', name: '测试项目', priceFen: 100 }),
  'PATCH /api/v1/items/:id': () => ({ priceFen: 200 }),
  'POST /api/v1/appointments': () => ({ storeId: tenantA.storeIds[0], customerId: idsA.customerId, startsAt: '2026-11-24T02:00:00Z' }),
  'PATCH /api/v1/appointments/:id': () => ({ notes: '跨租户' }),
  'POST /api/v1/appointments/:id/arrive': () => ({}),
  'POST /api/v1/visits': () => ({ storeId: tenantA.storeIds[0], customerId: idsA.customerId }),
  'PATCH /api/v1/visits/:id': () => ({ visitType: 'return' }),
  'POST /api/v1/orders': () => ({ storeId: tenantA.storeIds[0], customerId: idsA.customerId, lines: [{ itemId: idsA.itemId, quantity: 1 }] }),
  'PUT /api/v1/settings/points/holidays/:day': () => ({ name: '店庆', isHoliday: true }),
  'POST /api/v1/orders/quote': () => ({ customerId: idsA.customerId, lines: [{ itemId: idsA.itemId, quantity: 1 }] }),
  'POST /api/v1/orders/:id/checkout': () => ({ payments: [] }),
  'POST /api/v1/orders/:id/payments': () => ({ payments: [{ method: 'cash', amountFen: 1 }] }),
  'POST /api/v1/orders/:id/void': () => ({ reason: '测试' }),
  'POST /api/v1/orders/:id/refunds': () => ({ lines: [{ lineId: idsA.lineId }], payouts: [], reasonCode: 'other' }),
  'POST /api/v1/payments/:id/reversal': () => ({ reasonCode: 'duplicate' }),
  'POST /api/v1/course-items/:id/deductions': () => ({ storeId: tenantA.storeIds[0], executorId: tenantA.staff.doctor_nurse.id }),
  'POST /api/v1/deductions/:id/reversal': () => ({ reasonCode: 'wrong_item' }),
  'POST /api/v1/shift-closes': () => ({ storeId: tenantA.storeIds[0] }),
  'POST /api/v1/shift-closes/reopen': () => ({ storeId: tenantA.storeIds[0], reason: '补录' }),
  'PUT /api/v1/settings/deal-rules': () => ({
    orderTypes: [],
    minimumFen: 0,
    countedKinds: { service: true, goods: true, drug: true, package: true, card: true },
  }),
  'PUT /api/v1/settings/activity': () => ({ newMemberDays: 30, sleepingAfterDays: 90, deepSleepAfterDays: 180 }),
  'PUT /api/v1/settings/message-automations': () => ({
    appointmentReminder: { isOn: true, sendAt: '10:00' },
    birthday: { isOn: false, sendAt: '10:00' },
    wakeup: { isOn: false, everyDays: 90 },
    welcome: { isOn: true, onSince: null },
    careSeries: [
      {
        id: '0193a000-0000-7000-8000-000000000001',
        name: '光子嫩肤术后',
        isOn: true,
        itemIds: [idsA.itemId],
        categoryIds: [],
        sendAt: '10:00',
        steps: [{ days: 1, text: '今天请避免用热水洗脸。' }],
      },
    ],
  }),
  'PUT /api/v1/settings/messaging': () => ({
    sms: { provider: 'log', signName: '悦会', sdkApp: '', region: 'ap-guangzhou' },
    marketingHours: { from: '08:00', to: '22:00' },
    marketingPerCustomerPerWeek: 2,
    dailySmsBudget: 500,
    isMarketingSmsOn: false,
    wechat: {
      templates: [
        {
          topic: 'points.expiring',
          templateId: 'TPL-points',
          fields: [
            { key: 'thing1', value: '{姓名}的积分即将到期' },
            { key: 'number2', value: '{积分}' },
          ],
        },
      ],
    },
  }),
  'PUT /api/v1/message-templates/:topic/:channel': () => ({
    body: '{姓名}您好，您有 {积分} 积分将于 {到期日} 到期。',
    providerTemplateCode: null,
    isEnabled: true,
  }),
  'POST /api/v1/message-templates/:topic/:channel/preview': () => ({ body: '{姓名}您好', customerId: '00000000-0000-4000-8000-000000000000' }),
  'PUT /api/v1/customers/:id/consents': () => ({ sms: true, portal: true, wechat: true }),
  'POST /api/v1/message-suppressions': () => ({ phone: '13900000000', note: null }),
  'POST /api/v1/message-campaigns': () => sampleCampaign(`群发${Date.now()}`),
  'POST /api/v1/message-campaigns/preview': () => ({ channel: 'portal', audience: { kind: 'filter', filter: { tags: ['无此标签'] } } }),
  'POST /api/v1/message-campaigns/:id/cancel': () => ({}),
  'PUT /api/v1/messaging/provider-keys/:provider': () => ({ accessKey: 'LTAI-sample-key', secret: 'sample-secret-value' }),
  'POST /api/v1/followup-tasks': () => ({ customerId: idsA.customerId, dueDate: '2026-12-31', title: '回访' }),
  'POST /api/v1/followup-tasks/:id/outcome': () => ({ outcome: 'reached' }),
  'PATCH /api/v1/followup-tasks/:id': () => ({ dueDate: '2026-12-31' }),
  'POST /api/v1/followup-rules': () => ({ name: '术后回访', trigger: 'treatment', offsetsDays: [1, 7], assignee: 'consultant', channel: 'call', script: '' }),
  'POST /api/v1/followup-campaigns': () => ({
    name: '老客回访',
    audience: { kind: 'customers', customerIds: [idsA.customerId] },
    goal: 1,
    dueOn: '2030-12-31',
    staffIds: [tenantA.staff.consultant.id],
  }),
  'POST /api/v1/followup-campaigns/preview': () => ({
    audience: { kind: 'customers', customerIds: [idsA.customerId] },
    staffIds: [tenantA.staff.consultant.id],
  }),
  'POST /api/v1/followup-campaigns/:id/cancel': () => ({}),
  'PUT /api/v1/followup-rules/:id': () => ({
    name: '术后回访',
    trigger: 'treatment',
    offsetsDays: [1, 7],
    assignee: 'consultant',
    channel: 'call',
    script: '',
  }),
  'PUT /api/v1/settings/booking': () => ({ isOpen: true, opensAt: '10:00', closesAt: '20:00', slotMinutes: 30, perSlot: 2, daysAhead: 14, leadMinutes: 120 }),
  'POST /api/v1/customers/:id/points/adjustments': () => ({ points: 10, reason: '测试调整' }),
  'PUT /api/v1/settings/points': () => ({}),
  'POST /api/v1/customers/:id/points/events': () => ({ event: 'survey', reference: 'x' }),
  'POST /api/v1/settings/points/impact': () => ({}),
  'POST /api/v1/points/preview': () => ({ amountFen: 100, date: '2026-03-08' }),
  'PUT /api/v1/settings/pricing': () => ({
    applicationOrder: 'vouchers_then_discount',
    percentageBase: 'current',
    tierWithCard: 'best_of',
    vouchersWithDiscounts: true,
    pointsWithVouchers: true,
  }),
  'PUT /api/v1/settings/orders': () => ({ orderTypes: ['医美'], defaultOrderType: '医美', recheckWindowDays: 30 }),
  'POST /api/v1/membership/tiers': () => sampleTier(`等级${Date.now()}`),
  'PUT /api/v1/membership/tiers/:id': () => sampleTier('跨租户'),
  'DELETE /api/v1/membership/tiers/:id': () => undefined,
  'PUT /api/v1/membership/tier-order': () => ({ tierIds: [idsA.tierId] }),
  'PUT /api/v1/settings/membership': () => ({ isEnabled: true, windowMonths: 12 }),
  'POST /api/v1/customers/:id/membership/tier-changes': () => ({ tierId: idsA.tierId, reason: '测试' }),
  'POST /api/v1/card-products': () => ({ kind: 'membership', name: `会员卡${Date.now()}`, priceFen: 19900 }),
  'PATCH /api/v1/card-products/:id': () => ({ description: '跨租户' }),
  'PUT /api/v1/settings/stored-value': () => ({ isSellingEnabled: true, spendingPolicy: 'proportional', maxPrincipalFen: 500000, policyText: '本金可退' }),
  'POST /api/v1/customers/:id/stored-value/top-ups': () => ({
    storeId: tenantA.storeIds[0],
    cardProductId: idsA.storedValueProductId,
    payments: [{ method: 'cash', amountFen: 10000 }],
  }),
  'POST /api/v1/stored-value/top-ups/:id/refund': () => ({ payouts: [{ method: 'cash', amountFen: 1 }], reasonCode: 'other' }),
  'POST /api/v1/customers/:id/cards': () => ({
    storeId: tenantA.storeIds[0],
    cardProductId: idsA.cardProductId,
    payments: [{ method: 'cash', amountFen: 19900 }],
  }),
  'POST /api/v1/cards/:id/members': () => ({ customerId: idsA.memberId }),
  'POST /api/v1/cards/:id/uses': () => ({ customerId: idsA.customerId, benefit: 'discount', amountFen: 100 }),
  'POST /api/v1/voucher-templates': () => sampleVoucherTemplate(`代金券${Date.now()}`),
  'PATCH /api/v1/voucher-templates/:id': () => ({ description: '跨租户' }),
  'POST /api/v1/customers/:id/vouchers': () => ({ templateId: idsA.voucherTemplateId }),
  'POST /api/v1/vouchers/:id/void': () => ({ reason: '跨租户' }),
  'POST /api/v1/voucher-redemptions': () => ({ code: '123456789012', storeId: tenantA.storeIds[0] }),
  'POST /api/v1/voucher-distributions': () => ({ kind: 'claim_link', name: `领券${Date.now()}`, templateId: idsA.voucherTemplateId }),
  'POST /api/v1/voucher-distributions/audience-preview': () => ({ audience: { kind: 'filter', filter: { noOrderDays: 15 } } }),
  'POST /api/v1/voucher-distributions/:id/run': () => ({}),
  'POST /api/v1/voucher-distributions/:id/cancel': () => ({}),
  'PUT /api/v1/settings/voucher-distribution': () => ({ reminderDaysBefore: [3], upgradeGiftValidDays: 90 }),
  'PUT /api/v1/settings/referrals': () => ({
    isEnabled: true,
    deal: { points: 500, referrerVoucherTemplateId: null, referredVoucherTemplateId: null },
    arrival: { referrerPoints: 0 },
    registration: { referrerPoints: 0, referrerVoucherTemplateId: null },
    windowDays: 90,
    isClawbackOnRefund: true,
    monthlyRewardCap: 10,
    flagThreshold: 5,
    partnerLevels: [{ name: '见习合伙人', minConsumptionFen: 0, minSuccessfulReferrals: 0, benefits: '', referrerMultiplierBasisPoints: 10000 }],
  }),
};

function sampleVoucherTemplate(name: string) {
  return {
    name,
    kind: 'cash_off',
    faceValueFen: 5000,
    thresholdFen: 0,
    scope: { itemIds: [], categoryIds: [] },
    channels: ['store'],
    validity: { kind: 'relative', days: 30 },
    totalStock: null,
    perCustomerLimit: 5,
    isStackable: true,
  };
}

function sampleTier(name: string) {
  return {
    name,
    criteria: { match: 'any', growth: 1000, consumptionFen: null, visits: null, topUpFen: null },
    retention: 're_evaluate',
    benefits: { categoryDiscounts: [], pointsBasisPoints: 10000, birthday: null, isPriorityBooking: false, hasDedicatedConsultant: false, upgradeGifts: [] },
  };
}

/** A campaign to nobody yet, for a later day: creating it sends nothing. */
const sampleCampaign = (name: string) => ({
  name,
  channel: 'portal',
  audience: { kind: 'filter', filter: { tags: ['无此标签'] } },
  title: '新年问候',
  body: '{姓名}您好，{诊所}祝您新年快乐。',
  when: { kind: 'at', sendAt: '2031-01-05T02:00:00Z' },
});

/** Which of tenant A's ids a route's `:id` names, by the resource in its path. */
const idFor = (url: string): string => {
  const resource = url.split('/')[3] ?? '';
  const byResource: Record<string, string | undefined> = {
    customers: idsA.customerId,
    'api-keys': idsA.apiKeyId,
    staff: tenantA.staff.front_desk.id,
    stores: tenantA.storeIds[0],
    items: idsA.itemId,
    appointments: idsA.appointmentId,
    visits: idsA.visitId,
    orders: idsA.orderId,
    payments: idsA.paymentId,
    'course-items': idsA.courseItemId,
    deductions: idsA.deductionId,
    points: idsA.pointsEntryId,
    membership: idsA.tierId,
    'card-products': idsA.cardProductId,
    cards: idsA.cardId,
    'stored-value': idsA.topUpId,
    settings: idsA.holidayId,
    'voucher-templates': idsA.voucherTemplateId,
    vouchers: idsA.voucherId,
    'voucher-distributions': idsA.voucherDistributionId,
    jobs: idsA.jobId,
    'followup-tasks': idsA.followupTaskId,
    'followup-rules': idsA.followupRuleId,
    'message-campaigns': idsA.messageCampaignId,
    'followup-campaigns': idsA.followupCampaignId,
  };
  const id = byResource[resource];
  if (!id) throw new Error(`no tenant-A id for ${url}: add one to the security suite`);
  return id;
};

const fillPath = (url: string) => url.replace(/:(\w+)/g, (_match, name: string) => (name === 'id' ? idFor(url) : (idsA[name] ?? '')));

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database);
  tenantA = await createTestTenant(database, 'Clinic A');
  tenantB = await createTestTenant(database, 'Clinic B');
  for (const role of roles) sessionsA[role] = await loginAs(app, tenantA, role);
  ownerB = await loginAs(app, tenantB, 'owner');
  const create = async (name: string) =>
    (
      await app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: sessionsA.owner.writeHeaders,
        payload: { name, gender: 'female', phone: randomMobile() },
      })
    ).json();
  const customer = await create('甲方客户');
  const member = await create('甲方家属');
  await app.inject({ method: 'POST', url: `/api/v1/customers/${customer.id}/family`, headers: sessionsA.owner.writeHeaders, payload: { memberId: member.id } });
  const key = (
    await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: sessionsA.owner.writeHeaders, payload: { name: 'HIS', role: 'front_desk' } })
  ).json();
  Object.assign(idsA, { id: customer.id, customerId: customer.id, memberId: member.id, apiKeyId: key.id });
  const post = async (url: string, payload: object, idempotencyKey?: string) => {
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { ...sessionsA.owner.writeHeaders, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      payload,
    });
    if (response.statusCode >= 300) throw new Error(`${url}: ${response.body}`);
    return response.json();
  };
  const service = await post('/api/v1/items', { kind: 'service', name: '水光注射', priceFen: 68000 });
  const course = await post('/api/v1/items', { kind: 'package', name: '水光三次卡', priceFen: 180000, contents: [{ itemId: service.id, sessions: 3 }] });
  const appointment = await post('/api/v1/appointments', { storeId: tenantA.storeIds[0], customerId: customer.id, startsAt: new Date().toISOString() });
  const visit = await post('/api/v1/visits', { storeId: tenantA.storeIds[0], customerId: member.id });
  const order = await post(
    '/api/v1/orders',
    { storeId: tenantA.storeIds[0], customerId: customer.id, lines: [{ itemId: course.id, quantity: 1 }], payments: [{ method: 'cash', amountFen: 100000 }] },
    'security-order-1',
  );
  const courses = (await app.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}/courses`, headers: sessionsA.owner.headers })).json();
  const courseItemId = courses.items[0].items[0].id;
  const deduction = await post(
    `/api/v1/course-items/${courseItemId}/deductions`,
    { storeId: tenantA.storeIds[0], executorId: tenantA.staff.doctor_nurse.id },
    'security-deduct-1',
  );
  Object.assign(idsA, {
    itemId: service.id,
    appointmentId: appointment.id,
    visitId: visit.id,
    orderId: order.id,
    lineId: order.lines[0].id,
    paymentId: order.payments[0].id,
    courseItemId,
    deductionId: deduction.id,
    pointsEntryId: (await app.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}/points`, headers: sessionsA.owner.headers })).json().entries[0].id,
  });
  Object.assign(idsA, { tierId: (await post('/api/v1/membership/tiers', sampleTier('甲方等级'))).id });
  const cardProduct = await post('/api/v1/card-products', { kind: 'membership', name: '甲方家庭卡', priceFen: 19900 });
  const storedValueProduct = await post('/api/v1/card-products', { kind: 'stored_value', name: '甲方储值', priceFen: 10000, bonusFen: 1000 });
  const sale = await post(
    `/api/v1/customers/${customer.id}/cards`,
    { storeId: tenantA.storeIds[0], cardProductId: cardProduct.id, payments: [{ method: 'cash', amountFen: 19900 }] },
    'security-card-1',
  );
  const topUp = await post(
    `/api/v1/customers/${customer.id}/stored-value/top-ups`,
    { storeId: tenantA.storeIds[0], cardProductId: storedValueProduct.id, payments: [{ method: 'cash', amountFen: 10000 }] },
    'security-top-up-1',
  );
  const storedValue = (await app.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}/stored-value`, headers: sessionsA.owner.headers })).json();
  expect(topUp.balance.principalFen).toBe(10000);
  Object.assign(idsA, {
    followupTaskId: (await post('/api/v1/followup-tasks', { customerId: customer.id, dueDate: '2026-12-31', title: '甲方回访' })).id,
    followupRuleId: (
      await post('/api/v1/followup-rules', { name: '甲方规则', trigger: 'sleeping', offsetsDays: [90], assignee: 'pool', channel: 'call', script: '' })
    ).id,
  });
  Object.assign(idsA, {
    followupCampaignId: (
      await post(
        '/api/v1/followup-campaigns',
        {
          name: '甲方活动',
          audience: { kind: 'customers', customerIds: [customer.id] },
          goal: 1,
          dueOn: '2030-12-31',
          staffIds: [tenantA.staff.consultant.id],
        },
        'security-campaign-1',
      )
    ).campaign.id,
  });
  Object.assign(idsA, {
    cardProductId: cardProduct.id,
    storedValueProductId: storedValueProduct.id,
    cardId: sale.cards[0].id,
    topUpId: storedValue.topUps[0].id,
  });
  const holiday = await app.inject({
    method: 'PUT',
    url: '/api/v1/settings/points/holidays/2026-03-08',
    headers: sessionsA.owner.writeHeaders,
    payload: { name: '三八妇女节', isHoliday: true },
  });
  Object.assign(idsA, { day: '2026-03-08', holidayId: holiday.json().id ?? holiday.json().overrideId });
  const voucherTemplate = await post('/api/v1/voucher-templates', sampleVoucherTemplate('甲方代金券'));
  const issued = await post(`/api/v1/customers/${customer.id}/vouchers`, { templateId: voucherTemplate.id }, 'security-voucher-1');
  Object.assign(idsA, { voucherTemplateId: voucherTemplate.id, voucherId: issued.items[0].id });
  const distribution = await post(
    '/api/v1/voucher-distributions',
    { kind: 'batch', name: '甲方批量发券', templateId: voucherTemplate.id, audience: { kind: 'customers', customerIds: [customer.id] } },
    'security-distribution-1',
  );
  Object.assign(idsA, { voucherDistributionId: distribution.distribution.id, jobId: distribution.job.id });
  Object.assign(idsA, { messageCampaignId: (await post('/api/v1/message-campaigns', sampleCampaign('甲方群发'), 'security-message-campaign-1')).campaign.id });
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('deny by default', () => {
  it('every API route names a permission or is explicitly public', () => {
    const unguarded = app.routeCatalog.filter((route) => !route.isPublic && !route.permission);
    expect(unguarded).toEqual([]);
    expect(app.routeCatalog.filter((route) => route.isPublic).map((route) => `${route.method} ${route.url}`)).toEqual([
      'POST /api/v1/auth/login',
      'GET /api/v1/setup',
      'POST /api/v1/setup',
    ]);
  });

  it('every operation has a sample body for the generated suites', () => {
    const missing = app.routeCatalog
      .filter((route) => ['POST', 'PATCH', 'PUT'].includes(route.method))
      .filter((route) => route.url !== '/api/v1/auth/logout')
      .map((route) => `${route.method} ${route.url}`)
      .filter((operation) => !sampleBodies[operation]);
    expect(missing).toEqual([]);
  });

  it('refuses every operation without a session with 401', async () => {
    for (const route of app.routeCatalog.filter((entry) => !entry.isPublic)) {
      const response = await app.inject({
        method: route.method as 'GET',
        url: fillPath(route.url),
        payload: sampleBodies[`${route.method} ${route.url}`]?.() as object,
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});

describe('role × operation', () => {
  it('refuses each role the operations its permissions do not include, with 403', async () => {
    let checked = 0;
    for (const route of app.routeCatalog.filter((entry) => entry.permission && entry.permission !== 'authenticated')) {
      for (const role of roles) {
        if (rolePermissions[role].includes(route.permission as Permission)) continue;
        const session = sessionsA[role];
        const response = await app.inject({
          method: route.method as 'GET',
          url: fillPath(route.url),
          headers: route.method === 'GET' ? session.headers : { ...session.writeHeaders, 'idempotency-key': `role-${crypto.randomUUID()}` },
          payload: sampleBodies[`${route.method} ${route.url}`]?.() as object,
        });
        expect(response.statusCode, `${role} ${route.method} ${route.url}`).toBe(403);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('accepts API keys with the permissions of their role, without a CSRF token', async () => {
    const created = (
      await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: sessionsA.owner.writeHeaders, payload: { name: 'HIS 2', role: 'marketing' } })
    ).json();
    const bearer = { authorization: `Bearer ${created.token}` };
    const list = await app.inject({ method: 'GET', url: '/api/v1/customers', headers: bearer });
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0].isPhoneMasked).toBe(true);
    const write = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: bearer,
      payload: { name: '接口', gender: 'female', phone: randomMobile() },
    });
    expect(write.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization: `Bearer ${created.token}x` } })).statusCode).toBe(401);
    await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${created.id}`, headers: sessionsA.owner.writeHeaders });
    expect((await app.inject({ method: 'GET', url: '/api/v1/customers', headers: bearer })).statusCode).toBe(401);
  });
});

describe('tenant isolation', () => {
  it("answers 404 for every operation on another tenant's ids, and changes nothing", async () => {
    // Routes keyed by ids (a day, e.g. a clinic's holiday, belongs to whoever asks).
    const withIds = app.routeCatalog.filter((route) => /:\w*[iI]d\b/.test(route.url));
    expect(withIds.length).toBeGreaterThanOrEqual(5);
    for (const route of withIds) {
      const response = await app.inject({
        method: route.method as 'GET',
        url: fillPath(route.url),
        headers: route.method === 'GET' ? ownerB.headers : { ...ownerB.writeHeaders, 'idempotency-key': `cross-${crypto.randomUUID()}` },
        payload: sampleBodies[`${route.method} ${route.url}`]?.() as object,
      });
      // 422 would reveal the referenced row exists elsewhere: only 404 is acceptable.
      expect(response.statusCode, `${route.method} ${route.url}: ${response.body}`).toBe(404);
    }
    const stillThere = await app.inject({ method: 'GET', url: `/api/v1/customers/${idsA.id}/360`, headers: sessionsA.owner.headers });
    expect(stillThere.json().customer.notes).toBeNull();
    expect(stillThere.json().family.members).toHaveLength(2);
  });

  it("never lists another tenant's rows", async () => {
    const listB = (await app.inject({ method: 'GET', url: '/api/v1/customers?pageSize=100', headers: ownerB.headers })).json();
    expect(listB.items.map((item: { id: string }) => item.id)).not.toContain(idsA.id);
    expect(listB.total).toBe(0);
    const searchB = (await app.inject({ method: 'GET', url: `/api/v1/customers?q=${encodeURIComponent('甲方')}`, headers: ownerB.headers })).json();
    expect(searchB.total).toBe(0);
    const staffB = (await app.inject({ method: 'GET', url: '/api/v1/staff', headers: ownerB.headers })).json();
    expect(staffB.items.map((item: { id: string }) => item.id)).not.toContain(tenantA.staff.owner.id);
    const tagsB = (await app.inject({ method: 'GET', url: '/api/v1/customer-tags', headers: ownerB.headers })).json();
    expect(tagsB.items).toEqual([]);
  });

  it("refuses to link tenant A's customer into tenant B's data", async () => {
    const own = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: ownerB.writeHeaders,
        payload: { name: '乙方', gender: 'female', phone: randomMobile() },
      })
    ).json();
    const link = await app.inject({ method: 'POST', url: `/api/v1/customers/${own.id}/family`, headers: ownerB.writeHeaders, payload: { memberId: idsA.id } });
    expect(link.statusCode).toBe(404);
    const referrer = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${own.id}`,
      headers: ownerB.writeHeaders,
      payload: { referrerId: idsA.id, consultantId: tenantA.staff.consultant.id },
    });
    // Another clinic's ids in a body: 404 naming each field, the same answer as for ids no clinic has.
    expect(referrer.statusCode).toBe(404);
    expect(referrer.json().error.details).toEqual(
      expect.arrayContaining([
        { path: 'body.referrerId', message: '推荐人不存在' },
        { path: 'body.consultantId', message: '顾问不存在' },
      ]),
    );
    expect(referrer.body).not.toContain('甲方');
  });
});

/** How many rows each table holds for a tenant: equal before and after means nothing was written. */
const tenantRowCounts = async (tenantId: string) => {
  const tables = await queryRows<{ table_name: string }>(
    database.db,
    sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' and table_name in (select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE') order by table_name`,
  );
  const counts = await queryRows<{ table_name: string; count: string }>(
    database.db,
    sql.join(
      tables.map(
        ({ table_name }) =>
          sql`select ${table_name}::text as table_name, count(*)::text as count from ${sql.identifier(table_name)} where tenant_id = ${tenantId}::uuid`,
      ),
      sql` union all `,
    ),
  );
  return Object.fromEntries(counts.map((row) => [row.table_name, Number(row.count)]));
};

/** Sets `path` (dot-separated, array indexes as numbers) in a copy of `body`, if every step before the last exists. */
const withField = (body: unknown, path: string[], value: unknown): unknown => {
  const copy = structuredClone(body ?? {}) as Record<string, unknown>;
  let target: Record<string, unknown> = copy;
  for (const step of path.slice(0, -1)) {
    const next = target[step];
    if (!next || typeof next !== 'object') return undefined;
    target = next as Record<string, unknown>;
  }
  target[path.at(-1) ?? ''] = value;
  return copy;
};

describe('ids in bodies and queries', () => {
  const idsB: Record<string, string> = {};
  /** The kind of row an id field names, by the field's name, answered with tenant B's row of that kind. */
  const foreignId = (field: string): string => {
    if (/store/i.test(field)) return tenantB.storeIds[0] ?? '';
    if (/^(customer|member|referrer)Ids?$/.test(field)) return idsB.customerId ?? '';
    if (/^(consultant|staff|executor|cashier)Id$/.test(field)) return tenantB.staff.consultant.id;
    if (/^itemIds?$/.test(field)) return idsB.itemId ?? '';
    if (/TemplateId$|^templateId$/.test(field)) return idsB.voucherTemplateId ?? '';
    // Kinds tenant B has no row of here: an id no clinic has gets the same answer.
    return crypto.randomUUID();
  };

  beforeAll(async () => {
    const post = async (url: string, payload: object) =>
      (await app.inject({ method: 'POST', url, headers: { ...ownerB.writeHeaders, 'idempotency-key': `b-${crypto.randomUUID()}` }, payload })).json();
    idsB.customerId = (await post('/api/v1/customers', { name: '乙方客户', gender: 'female', phone: randomMobile() })).id;
    idsB.itemId = (await post('/api/v1/items', { kind: 'service', name: '乙方项目', priceFen: 100 })).id;
    idsB.voucherTemplateId = (await post('/api/v1/voucher-templates', sampleVoucherTemplate('乙方代金券'))).id;
  });

  it("answers 404 naming the field for another clinic's id in any body or query field of any operation, and writes nothing", async () => {
    const { operations, resolve } = await openApiOperations(app);
    const isIdField = (name: string) => /Ids?$/.test(name) && name !== 'entityId';
    const requiredQuery: Record<string, string> = { from: '2026-01-01', to: '2026-01-31', year: '2026', storeId: tenantA.storeIds[0] ?? '' };
    const failures: string[] = [];
    const unreached: string[] = [];
    let checked = 0;
    for (const operation of operations.filter((entry) => entry.path.startsWith('/api/v1/'))) {
      const key = `${operation.method} ${operation.route}`;
      const url = fillPath(operation.route);
      const baseQuery = operation.queryParams.filter((parameter) => parameter.required && requiredQuery[parameter.name]);
      const withRequired = (name: string, value: string) =>
        [...baseQuery.filter((entry) => entry.name !== name).map((entry) => `${entry.name}=${requiredQuery[entry.name]}`), `${name}=${value}`].join('&');
      const cases: { field: string; url: string; payload?: unknown }[] = [];
      for (const parameter of operation.queryParams.filter((entry) => isIdField(entry.name))) {
        cases.push({ field: `query.${parameter.name}`, url: `${url}?${withRequired(parameter.name, foreignId(parameter.name))}` });
      }
      if (operation.body && sampleBodies[key]) {
        const paths = stringsLike(operation.body, resolve, () => 'x').paths.filter((path) =>
          isIdField(
            path
              .split('.')
              .filter((step) => !/^\d+$/.test(step))
              .at(-1) ?? '',
          ),
        );
        for (const path of paths) {
          const steps = path.split('.').slice(1);
          const isList = /^\d+$/.test(steps.at(-1) ?? '');
          const field = (isList ? steps.at(-2) : steps.at(-1)) ?? '';
          const payload = isList
            ? withField(sampleBodies[key](), steps.slice(0, -1), [foreignId(field)])
            : withField(sampleBodies[key](), steps, foreignId(field));
          if (payload === undefined) unreached.push(`${key} ${path}`);
          else cases.push({ field: path, url, payload });
        }
      }
      for (const testCase of cases) {
        const before = await tenantRowCounts(tenantA.id);
        const response = await app.inject({
          method: operation.method,
          url: testCase.url,
          headers: operation.method === 'GET' ? sessionsA.owner.headers : { ...sessionsA.owner.writeHeaders, 'idempotency-key': `ids-${crypto.randomUUID()}` },
          ...(testCase.payload === undefined ? {} : { payload: testCase.payload as object }),
        });
        const refusedField = response.statusCode === 400 && response.body.includes('不允许的字段');
        if (refusedField && testCase.payload !== undefined) {
          // A field of another branch of a union than the one the sample body takes (audience kinds).
          unreached.push(`${key} ${testCase.field}`);
          continue;
        }
        const details = response.statusCode === 404 ? ((response.json() as { error: { details?: { path: string }[] } }).error.details ?? []) : [];
        if (response.statusCode !== 404 || !details.some((detail) => detail.path === testCase.field)) {
          failures.push(`${key} ${testCase.field} → ${response.statusCode} ${response.body.slice(0, 160)}`);
        }
        const after = await tenantRowCounts(tenantA.id);
        if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${key} ${testCase.field} wrote rows`);
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(60);
    // Nested fields the sample bodies do not reach (a list they leave empty): named so a reader sees what is not tried.
    expect(unreached.length).toBeLessThan(checked);
  }, 300_000);

  it('answers 404 for an unknown path under /api/v1, signed in or not', async () => {
    for (const headers of [{}, sessionsA.owner.headers]) {
      const response = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('NOT_FOUND');
    }
  });
});

describe('sessions', () => {
  it('logout ends the session for good', async () => {
    const session = await loginAs(app, tenantA, 'consultant');
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers })).statusCode).toBe(200);
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.writeHeaders });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers })).statusCode).toBe(401);
  });

  it('ends a session after 30 minutes idle and after 12 hours in any case', async () => {
    let now = Date.parse('2026-11-23T01:00:00Z');
    const clockApp = await buildTestApp(database, { clock: { now: () => new Date(now) } });
    try {
      const session = await loginAs(clockApp, tenantA, 'front_desk');
      const me = () => clockApp.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers });
      now += 29 * 60_000;
      expect((await me()).statusCode).toBe(200);
      now += 29 * 60_000; // active: the idle clock restarted at the last request
      expect((await me()).statusCode).toBe(200);
      now += 31 * 60_000;
      expect((await me()).statusCode).toBe(401);

      const busy = await loginAs(clockApp, tenantA, 'front_desk');
      for (let hour = 0; hour < 12 * 4; hour++) {
        now += 15 * 60_000;
        const response = await clockApp.inject({ method: 'GET', url: '/api/v1/auth/me', headers: busy.headers });
        if (hour < 12 * 4 - 1) expect(response.statusCode).toBe(200);
        else expect(response.statusCode).toBe(401);
      }
    } finally {
      await clockApp.close();
    }
  });

  it('sets an HttpOnly SameSite cookie with a new session id at every login', async () => {
    const first = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenantCode: tenantA.code, username: 'owner', password: 'test-password-1' },
    });
    const second = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenantCode: tenantA.code, username: 'owner', password: 'test-password-1' },
    });
    const cookieA = first.cookies.find((cookie) => cookie.name === 'yh_sid');
    const cookieB = second.cookies.find((cookie) => cookie.name === 'yh_sid');
    expect(cookieA).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookieA?.value).not.toBe(cookieB?.value);
  });

  it('gives the same answer for an unknown clinic, user or password', async () => {
    const attempts = [
      { tenantCode: 'no-such-clinic', username: 'owner', password: 'test-password-1' },
      { tenantCode: tenantB.code, username: 'nobody', password: 'test-password-1' },
      { tenantCode: tenantB.code, username: 'owner', password: 'wrong-password' },
    ];
    for (const payload of attempts) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toEqual({ code: 'AUTH_INVALID', message: '诊所代码、用户名或密码不正确' });
    }
  });

  it('locks an account for the address of repeated failed logins with 429 and Retry-After', async () => {
    let response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenantCode: tenantB.code, username: 'marketing', password: 'wrong' },
    });
    for (let attempt = 0; attempt < 12 && response.statusCode !== 429; attempt++) {
      response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { tenantCode: tenantB.code, username: 'marketing', password: 'wrong' },
      });
    }
    expect(response.statusCode).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('store scoping', () => {
  it('staff limited to one store cannot act in or list another store', async () => {
    const [storeA, storeB] = tenantA.storeIds;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/staff',
      headers: sessionsA.owner.writeHeaders,
      payload: { username: 'scopeddesk', displayName: '一号店前台', role: 'front_desk', password: 'scoped-desk-password', storeIds: [storeA] },
    });
    expect(created.statusCode).toBe(201);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { tenantCode: tenantA.code, username: 'scopeddesk', password: 'scoped-desk-password' },
    });
    const cookie = `yh_sid=${login.cookies.find((entry) => entry.name === 'yh_sid')?.value}`;
    const headers = { cookie, 'x-csrf-token': login.json().csrfToken };
    // A new account's password is temporary: it is changed first.
    const changed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { currentPassword: 'scoped-desk-password', newPassword: 'Scoped-Desk-Changed-9' },
    });
    expect(changed.statusCode).toBe(200);
    const write = (url: string, payload: object) =>
      app.inject({ method: 'POST', url: `/api/v1${url}`, headers: { ...headers, 'idempotency-key': `scope-${crypto.randomUUID()}` }, payload });
    const read = (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });

    const elsewhere = await write('/orders', { storeId: storeB, customerId: idsA.customerId, lines: [{ itemId: idsA.itemId, quantity: 1 }], payments: [] });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.code).toBe('STORE_FORBIDDEN');
    expect((await write('/appointments', { storeId: storeB, customerId: idsA.customerId, startsAt: new Date().toISOString() })).statusCode).toBe(403);
    expect((await write('/visits', { storeId: storeB, customerId: idsA.customerId })).statusCode).toBe(403);
    expect((await read(`/appointments?storeId=${storeB}`)).statusCode).toBe(403);
    expect((await read(`/shift-close?storeId=${storeB}`)).statusCode).toBe(403);

    const own = await write('/orders', { storeId: storeA, customerId: idsA.customerId, lines: [{ itemId: idsA.itemId, quantity: 1 }] });
    expect(own.statusCode).toBe(201);
    const ownerOrderInB = await app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...sessionsA.owner.writeHeaders, 'idempotency-key': `scope-${crypto.randomUUID()}` },
      payload: { storeId: storeB, customerId: idsA.customerId, lines: [{ itemId: idsA.itemId, quantity: 1 }] },
    });
    expect(ownerOrderInB.statusCode).toBe(201);
    const listed = (await read('/orders?pageSize=100')).json();
    expect(listed.items.every((order: { storeId: string }) => order.storeId === storeA)).toBe(true);
    expect(listed.items.map((order: { id: string }) => order.id)).toContain(own.json().id);
    expect((await write(`/orders/${ownerOrderInB.json().id}/void`, { reason: '越权' })).statusCode).toBe(403);
    // One order and its receipt are scoped like the list: another store's order is not found.
    expect((await read(`/orders/${ownerOrderInB.json().id}`)).statusCode).toBe(404);
    expect((await read(`/orders/${ownerOrderInB.json().id}/receipt`)).statusCode).toBe(404);
    expect((await read(`/orders/${own.json().id}`)).statusCode).toBe(200);
    expect((await read(`/orders/${own.json().id}/receipt`)).statusCode).toBe(200);
    // Customers and their cards are the chain's: a scoped desk still serves every customer.
    expect((await read(`/customers/${idsA.customerId}/360`)).statusCode).toBe(200);
  });
});
