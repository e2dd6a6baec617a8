import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { runTierGiftSweep, runVoucherReminderSweep } from '../../jobs/sweeps.js';
import type { App } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { outbox } from '../../platform/outbox.js';
import { hashSecret, randomSecret } from '../../platform/passwords.js';
import { apiAs, buildTestApp, createTestTenant, loginAs, movableClock, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { membershipPendingGifts } from '../membership/tables.js';
import { customerSessions } from '../portal/tables.js';
import { customerVouchers } from './tables.js';

/** 券统计 for a small known story, expiry reminders queued once, and pending upgrade gifts swept into wallets. */
let database: Database;
let app: App;
let clinic: TestTenant;
let owner: ReturnType<typeof apiAs>;
// 2026-05-10 10:00 in Shanghai.
const clock = movableClock('2026-05-10T02:00:00Z');

beforeAll(async () => {
  database = await openTestDatabase();
  app = await buildTestApp(database, { clock });
  clinic = await createTestTenant(database, 'Stats clinic');
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const at = async (instant: string) => {
  clock.set(instant);
  owner = apiAs(app, await loginAs(app, clinic, 'owner'));
};

const newCustomer = async () => (await owner.post('/customers', { name: '统计客户', gender: 'female', phone: randomMobile() })).json().id as string;

const walletOf = async (customerId: string) => (await owner.get(`/customers/${customerId}/vouchers`)).json().items as { id: string; status: string }[];

const reminders = (customerId: string) =>
  database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.tenantId, clinic.id), eq(outbox.customerId, customerId), eq(outbox.topic, 'vouchers.expiring')));

describe('voucher statistics', () => {
  it('counts issued, claimed, used, expired and voided vouchers, the rates, and the revenue of the orders that used them net of refunds', async () => {
    const bubble = (await owner.post('/items', { kind: 'service', name: '小气泡清洁', priceFen: 10_000 })).json();
    const mask = (await owner.post('/items', { kind: 'goods', name: '修复面膜', priceFen: 8_000 })).json();
    const template = (
      await owner.post('/voucher-templates', {
        name: '体验券',
        kind: 'cash_off',
        faceValueFen: 5_000,
        thresholdFen: 0,
        scope: { itemIds: [], categoryIds: [] },
        channels: ['store'],
        validity: { kind: 'relative', days: 2 },
        totalStock: 10,
        perCustomerLimit: 5,
        isStackable: true,
      })
    ).json();
    const [claimer, voided, expiring] = [await newCustomer(), await newCustomer(), await newCustomer()];
    const link = (await owner.post('/voucher-distributions', { kind: 'claim_link', name: '体验券领取', templateId: template.id })).json().distribution;
    const batch = (
      await owner.post('/voucher-distributions', {
        kind: 'batch',
        name: '老客赠券',
        templateId: template.id,
        audience: { kind: 'customers', customerIds: [voided, expiring] },
      })
    ).json().distribution;
    // The claimer takes hers on the portal.
    const secret = randomSecret();
    const sessionId = newId();
    await database.db.insert(customerSessions).values({
      tenantId: clinic.id,
      id: sessionId,
      customerId: claimer,
      secretHash: hashSecret(secret),
      csrfToken: 'stats-csrf-token',
      createdAt: clock.now(),
      lastSeenAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + 86_400_000),
    });
    const claimed = await app.inject({
      method: 'POST',
      url: `/api/portal/v1/claims/${link.claimCode}`,
      headers: { cookie: `yh_mid=${clinic.id}.${sessionId}.${secret}`, 'x-csrf-token': 'stats-csrf-token', 'idempotency-key': 'stats-claim-1' },
      payload: {},
    });
    expect(claimed.statusCode, claimed.body).toBe(201);

    // Reminders: all three end tomorrow, within the 3-day horizon; a second sweep queues nothing more.
    expect(await runVoucherReminderSweep(database.db, clock)).toBe(3);
    expect(await runVoucherReminderSweep(database.db, clock)).toBe(0);
    expect((await reminders(claimer)).map((message) => message.payload)).toEqual([
      expect.objectContaining({ count: 1, expiresOn: '2026-05-11', daysBefore: 3, titles: [expect.stringContaining('¥50 体验券')] }),
    ]);

    const [toVoid] = await walletOf(voided);
    expect((await owner.post(`/vouchers/${toVoid?.id}/void`, { reason: '发错客户' })).statusCode).toBe(200);

    // The claimer uses hers on a two-line order, then the mask is refunded.
    await at('2026-05-10T05:00:00Z');
    const [mine] = await walletOf(claimer);
    const lines = [
      { itemId: bubble.id, quantity: 1 },
      { itemId: mask.id, quantity: 1 },
    ];
    const quote = (await owner.post('/orders/quote', { customerId: claimer, lines, voucherIds: [mine?.id] })).json();
    expect(quote.totals.voucherFen).toBe(5_000);
    const order = await owner.post('/orders', {
      storeId: clinic.storeIds[0],
      customerId: claimer,
      lines,
      voucherIds: [mine?.id],
      payments: [{ method: 'cash', amountFen: quote.orderTotalFen }],
    });
    expect(order.statusCode, order.body).toBe(201);
    const maskLine = order.json().lines.find((line: { itemId: string }) => line.itemId === mask.id);
    const refund = await owner.post(`/orders/${order.json().id}/refunds`, {
      lines: [{ lineId: maskLine.id }],
      payouts: [{ method: 'cash', amountFen: maskLine.amountFen }],
      reasonCode: 'other',
    });
    expect(refund.statusCode, refund.body).toBe(200);
    const refunded = (await owner.get(`/orders/${order.json().id}`)).json();
    const revenueFen = refunded.totalFen - refunded.refundedFen;
    expect(refunded.refundedFen).toBeGreaterThan(0);
    expect(revenueFen).toBeLessThan(quote.orderTotalFen);

    // Two days on, the batch voucher nobody used has expired.
    await at('2026-05-13T02:00:00Z');
    const stats = await owner.get('/voucher-stats?from=2026-05-01&to=2026-05-13');
    expect(stats.statusCode, stats.body).toBe(200);
    const body = stats.json();
    const row = body.templates.find((entry: { templateId: string }) => entry.templateId === template.id);
    expect(row).toEqual({
      templateId: template.id,
      name: '体验券',
      totalStock: 10,
      issued: 3,
      claimed: 1,
      used: 1,
      expired: 1,
      voided: 1,
      available: 0,
      claimRate: 0.1,
      useRate: 0.3333,
      orders: 1,
      revenueFen,
      averageOrderFen: revenueFen,
      discountFen: 5_000,
    });
    expect(body.totals).toMatchObject({ issued: 3, claimed: 1, used: 1, expired: 1, voided: 1, revenueFen, claimRate: null });
    expect(body.distributions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ distributionId: link.id, kind: 'claim_link', issued: 1, claimed: 1, used: 1, claimRate: 0.1, revenueFen }),
        expect.objectContaining({ distributionId: batch.id, kind: 'batch', issued: 2, expired: 1, voided: 1, useRate: 0, claimRate: null, orders: 0 }),
      ]),
    );
    expect(body.daily).toHaveLength(13);
    expect(body.daily.find((day: { date: string }) => day.date === '2026-05-10')).toEqual({ date: '2026-05-10', issued: 3, used: 1 });
    expect(body.daily.filter((day: { issued: number }) => day.issued > 0)).toHaveLength(1);
    expect(body.reminders).toEqual({ queued: 3, vouchers: 3, usedAfter: 1 });

    // A period before any of it counts nothing.
    expect((await owner.get('/voucher-stats?from=2026-04-01&to=2026-04-30')).json().totals.issued).toBe(0);
    expect((await owner.get('/voucher-stats?from=2026-05-13&to=2026-05-01')).statusCode).toBe(400);

    const csv = await owner.get('/voucher-stats.csv?from=2026-05-01&to=2026-05-13');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('voucher-stats-2026-05-01-2026-05-13.csv');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).toContain('\r\n券,发放,自领,已使用,已过期,已作废,未使用,领取率,使用率');
    expect(csv.body).toContain('\r\n体验券,3,1,1,1,1,0,10.0%,33.3%,1,');
    expect(csv.body).toContain('\r\n体验券领取,领券链接,1,1,1,');
  });
});

describe('upgrade gifts left pending', () => {
  it('the sweep puts them into the wallet once, valid for the clinic’s 90 days', async () => {
    await at('2026-05-13T02:00:00Z');
    const customerId = await newCustomer();
    const tier = await owner.post('/membership/tiers', {
      name: '银卡',
      criteria: { match: 'any', growth: 1000, consumptionFen: null, visits: null, topUpFen: null },
      retention: 're_evaluate',
      benefits: { categoryDiscounts: [], pointsBasisPoints: 10000, birthday: null, isPriorityBooking: false, hasDedicatedConsultant: false, upgradeGifts: [] },
    });
    expect(tier.statusCode, tier.body).toBe(201);
    const giftId = newId();
    await database.db.insert(membershipPendingGifts).values({
      tenantId: clinic.id,
      id: giftId,
      customerId,
      tierId: tier.json().id,
      position: 0,
      name: '¥100 代金券',
      faceValueFen: 10_000,
      quantity: 2,
      status: 'pending',
      changeId: newId(),
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect(await runTierGiftSweep(database.db, clock)).toBeGreaterThanOrEqual(2);
    expect(await runTierGiftSweep(database.db, clock)).toBe(0);
    const gifts = await database.db
      .select()
      .from(customerVouchers)
      .where(and(eq(customerVouchers.tenantId, clinic.id), eq(customerVouchers.customerId, customerId)));
    expect(gifts).toHaveLength(2);
    expect(gifts[0]).toMatchObject({
      source: 'tier_gift',
      sourceRef: giftId,
      templateId: null,
      validFrom: '2026-05-13',
      validTo: '2026-08-10',
      snapshot: { kind: 'cash_off', faceValueFen: 10_000, thresholdFen: 0, title: '¥100 代金券（无门槛） · 全场（卡项除外） · 有效期至 2026-08-10' },
    });
    const [gift] = await database.db
      .select()
      .from(membershipPendingGifts)
      .where(and(eq(membershipPendingGifts.tenantId, clinic.id), eq(membershipPendingGifts.id, giftId)));
    expect(gift?.status).toBe('issued');
  });
});
