import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { openOrder } from '../../flows/checkout.js';
import { refundOrder } from '../../flows/refund-order.js';
import { runTierRetentionSweep } from '../../jobs/sweeps.js';
import { makeCtx } from '../../platform/context.js';
import { createTestTenant, openTestDatabase, randomMobile, type TestTenant } from '../../testing/database.js';
import { createCategory, createItem } from '../catalog/service.js';
import type { CustomerInput } from '../customers/schemas.js';
import { createCustomer } from '../customers/service.js';
import { orderLines } from '../orders/tables.js';
import { redeemPoints } from '../points/ledger.js';
import { pointsAccounts, pointsEntries } from '../points/tables.js';
import { putSetting } from '../settings/service.js';
import { customerVouchers } from '../vouchers/tables.js';
import { changeTierManually, evaluateTier } from './evaluate.js';
import { membershipOf, pricingTierOf } from './queries.js';
import type { TierInput } from './schemas.js';
import { membershipSettingsSetting } from './settings.js';
import { customerTierChanges, customerTiers, membershipPendingGifts } from './tables.js';
import { createTier } from './tiers.js';

/** Tiers evaluated with the changes that move them, in their transactions; retention at period end; birthday months. */
let database: Database;
let clinic: TestTenant;
let itemId = '';
let categoryId = '';
const tiers: Record<'basic' | 'silver' | 'gold' | 'diamond', string> = { basic: '', silver: '', gold: '', diamond: '' };

const none = { growth: null, consumptionFen: null, visits: null, topUpFen: null };
const benefits = { categoryDiscounts: [], birthday: null, isPriorityBooking: false, hasDedicatedConsultant: false, upgradeGifts: [] };
const tierInput = (
  name: string,
  criteria: Partial<TierInput['criteria']>,
  retention: TierInput['retention'],
  more: Partial<TierInput['benefits']> = {},
): TierInput => ({
  name,
  description: '',
  criteria: { match: 'any', ...none, ...criteria },
  retention,
  benefits: { ...benefits, pointsBasisPoints: 10_000, ...more },
});

const ctxAt = (tenant: TestTenant, iso: string) => makeCtx({ tenantId: tenant.id, type: 'staff', id: tenant.staff.owner.id }, new Date(iso), 'Asia/Shanghai');
const at = (iso: string) => ctxAt(clinic, iso);

/** 普通 (entry) < 银卡 (成长值 1 000 or one ¥2 980 top-up, ×1.2, a ¥50 voucher) < 金卡 (成长值 5 000, down one level, birthday gift) < 钻石 (20 000, never down). */
const createTiers = async (tenant: TestTenant) =>
  database.db.transaction(async (tx) => {
    const actor = ctxAt(tenant, '2026-01-01T02:00:00Z').actor;
    const now = new Date('2026-01-01T02:00:00Z');
    const category = await createCategory(tx, actor, { name: `光子 ${tenant.code}` });
    const basic = await createTier(tx, actor, tierInput('普通会员', {}, 're_evaluate'), now);
    const silver = await createTier(
      tx,
      actor,
      tierInput('银卡', { growth: 1_000, topUpFen: 298_000 }, 're_evaluate', {
        pointsBasisPoints: 12_000,
        upgradeGifts: [{ name: '¥50 代金券', faceValueFen: 5_000, quantity: 1 }],
      }),
      now,
    );
    const gold = await createTier(
      tx,
      actor,
      tierInput('金卡', { growth: 5_000 }, 'down_one', {
        pointsBasisPoints: 15_000,
        categoryDiscounts: [{ categoryId: category?.id ?? '', basisPoints: 8_000 }],
        birthday: { kind: 'free_item', categoryId: category?.id ?? '', quantity: 1 },
      }),
      now,
    );
    const diamond = await createTier(tx, actor, tierInput('钻石', { growth: 20_000 }, 'never_down', { pointsBasisPoints: 20_000 }), now);
    return { basic: basic.id, silver: silver.id, gold: gold.id, diamond: diamond.id, categoryId: category?.id ?? '' };
  });

beforeAll(async () => {
  database = await openTestDatabase();
  clinic = await createTestTenant(database);
  const created = await createTiers(clinic);
  Object.assign(tiers, created);
  categoryId = created.categoryId;
  itemId = (
    await database.db.transaction((tx) => createItem(tx, at('2026-01-01T02:00:00Z').actor, { kind: 'service', name: '光子嫩肤', priceFen: 10_000, categoryId }))
  ).id;
});

afterAll(async () => {
  await database.close();
});

const newCustomer = async (tenant: TestTenant = clinic, extra: Partial<CustomerInput> = {}) =>
  (
    await database.db.transaction((tx) =>
      createCustomer(tx, ctxAt(tenant, '2026-01-01T02:00:00Z'), { name: '等级客户', gender: 'female', phone: randomMobile(), ...extra }),
    )
  ).id;

/** Buys `quantity` × ¥100 paid in full by WeChat: 100 成长值 per unit. */
const buy = async (
  customerId: string,
  quantity: number,
  iso: string,
  payments?: { method: 'wechat' | 'points'; amountFen: number }[],
  tenant = clinic,
  item = itemId,
) =>
  database.db.transaction((tx) =>
    openOrder(tx, ctxAt(tenant, iso), {
      storeId: tenant.storeIds[0] ?? '',
      customerId,
      lines: [{ itemId: item, quantity }],
      payments: payments ?? [{ method: 'wechat', amountFen: quantity * 10_000 }],
      // List prices: these tests weigh figures, not the tier's 8折 (the pricing tests cover that).
      memberPricing: false,
    }),
  );

const tierOf = async (customerId: string, tenantId = clinic.id) => {
  const [row] = await database.db
    .select()
    .from(customerTiers)
    .where(and(eq(customerTiers.tenantId, tenantId), eq(customerTiers.customerId, customerId)));
  return row;
};
const historyOf = async (customerId: string, tenantId = clinic.id) =>
  database.db
    .select()
    .from(customerTierChanges)
    .where(and(eq(customerTierChanges.tenantId, tenantId), eq(customerTierChanges.customerId, customerId)))
    .orderBy(asc(customerTierChanges.createdAt), asc(customerTierChanges.id));
const giftsOf = async (customerId: string) =>
  database.db
    .select()
    .from(membershipPendingGifts)
    .where(and(eq(membershipPendingGifts.tenantId, clinic.id), eq(membershipPendingGifts.customerId, customerId)));

const giftVouchersOf = async (customerId: string) =>
  database.db
    .select()
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, clinic.id), eq(customerVouchers.customerId, customerId), eq(customerVouchers.source, 'tier_gift')));

describe('tiers at checkout', () => {
  it('a checkout raises the tier in its own transaction, with the criterion, the figures and the upgrade gift in the wallet', async () => {
    const customerId = await newCustomer();
    await buy(customerId, 12, '2026-03-02T02:00:00Z');
    expect(await tierOf(customerId)).toMatchObject({ tierId: tiers.silver, periodEndsOn: '2027-03-02', floorTierId: null });
    const [change] = await historyOf(customerId);
    expect(change).toMatchObject({
      fromTierId: null,
      toTierId: tiers.silver,
      toName: '银卡',
      direction: 'up',
      cause: 'order_payment',
      criterion: 'growth',
      figures: { growth: 1_200, consumptionFen: 120_000, windowMonths: 12, from: '2025-03-03', to: '2026-03-02' },
      reasons: ['「银卡」：近 12 个月成长值 1,200 ≥ 1,000'],
      businessDate: '2026-03-02',
    });
    expect(await giftsOf(customerId)).toMatchObject([{ tierId: tiers.silver, name: '¥50 代金券', faceValueFen: 5_000, status: 'issued' }]);
    expect(await giftVouchersOf(customerId)).toMatchObject([
      { source: 'tier_gift', status: 'available', validFrom: '2026-03-02', validTo: '2026-05-30', snapshot: { kind: 'cash_off', faceValueFen: 5_000 } },
    ]);
  });

  it('a checkout that fails after paying leaves no tier behind (same transaction)', async () => {
    const customerId = await newCustomer();
    await expect(
      database.db.transaction(async (tx) => {
        await openOrder(tx, at('2026-03-02T02:00:00Z'), {
          storeId: clinic.storeIds[0] ?? '',
          customerId,
          lines: [{ itemId, quantity: 12 }],
          payments: [{ method: 'wechat', amountFen: 120_000 }],
        });
        const [inside] = await tx
          .select()
          .from(customerTiers)
          .where(and(eq(customerTiers.tenantId, clinic.id), eq(customerTiers.customerId, customerId)));
        expect(inside?.tierId).toBe(tiers.silver);
        throw new Error('printer on fire');
      }),
    ).rejects.toThrow('printer on fire');
    expect(await tierOf(customerId)).toBeUndefined();
    expect(await historyOf(customerId)).toEqual([]);
  });

  it("points earned at checkout carry the customer's tier weight (银卡 ×1.2)", async () => {
    const customerId = await newCustomer();
    await buy(customerId, 10, '2026-03-02T02:00:00Z'); // no tier yet when paying: ×1, then 银卡
    await buy(customerId, 1, '2026-03-03T02:00:00Z');
    const entries = await database.db
      .select()
      .from(pointsEntries)
      .where(and(eq(pointsEntries.tenantId, clinic.id), eq(pointsEntries.customerId, customerId)))
      .orderBy(asc(pointsEntries.createdAt));
    expect(entries.map((entry) => entry.points)).toEqual([1_000, 120]);
    // Growth follows money, never the multiplier.
    expect(entries.map((entry) => entry.growth)).toEqual([1_000, 100]);
    expect(entries[1]?.reason).toMatchObject({ tierId: tiers.silver, explanation: ['光子嫩肤：基础 100 × 等级（银卡） 1.2 = 120 积分'] });
  });

  it('spending points — at the desk or anywhere — never lowers a tier', async () => {
    const customerId = await newCustomer();
    await buy(customerId, 50, '2026-03-02T02:00:00Z'); // 5 000 成长值 → 金卡, 5 000 points pending 7 days
    expect((await tierOf(customerId))?.tierId).toBe(tiers.gold);
    // Ten days later the points are active: pay ¥50 of a ¥100 order with 5 000 points.
    await buy(customerId, 1, '2026-03-12T02:00:00Z', [
      { method: 'points', amountFen: 5_000 },
      { method: 'wechat', amountFen: 5_000 },
    ]);
    expect((await tierOf(customerId))?.tierId).toBe(tiers.gold);
    // The ¥50 paid by WeChat earned 75 points (×1.5); spend them in the mall once active.
    await database.db.transaction((tx) =>
      redeemPoints(tx, {
        tenantId: clinic.id,
        customerId,
        idempotencyKey: `mall:${customerId}`,
        now: new Date('2026-03-20T02:00:00Z'),
        sourceType: 'manual',
        reason: { rule: 'mall' },
        points: 75,
      }),
    );
    const after = await database.db
      .select()
      .from(pointsAccounts)
      .where(and(eq(pointsAccounts.tenantId, clinic.id), eq(pointsAccounts.customerId, customerId)));
    expect(after[0]?.balance).toBe(0);
    // Even a loss-side evaluation (as a refund would run) keeps 金卡: growth is still 5 050.
    const evaluation = await database.db.transaction((tx) =>
      evaluateTier(tx, at('2026-03-20T03:00:00Z'), customerId, { kind: 'payment_reversal', orderId: customerId, paymentId: customerId }),
    );
    expect(evaluation).toMatchObject({ tierId: tiers.gold, changed: false, figures: { growth: 5_050 } });
    expect((await historyOf(customerId)).map((change) => change.direction)).toEqual(['up']);
  });

  it('pricing gets the current tier with its category discounts (8折 on 光子)', async () => {
    const customerId = await newCustomer();
    expect(await pricingTierOf(database.db, clinic.id, customerId)).toBeNull();
    await buy(customerId, 50, '2026-03-02T02:00:00Z');
    expect(await pricingTierOf(database.db, clinic.id, customerId)).toEqual({ id: tiers.gold, name: '金卡', categoryDiscounts: { [categoryId]: 8_000 } });
  });
});

describe('refunds', () => {
  it('a full refund takes the upgrade back in the same transaction and voids its unused gift', async () => {
    const customerId = await newCustomer();
    const orderId = await buy(customerId, 12, '2026-03-02T02:00:00Z');
    const [line] = await database.db
      .select()
      .from(orderLines)
      .where(and(eq(orderLines.tenantId, clinic.id), eq(orderLines.orderId, orderId)));
    await database.db.transaction((tx) =>
      refundOrder(tx, at('2026-03-04T02:00:00Z'), orderId, {
        lines: [{ lineId: line?.id ?? '' }],
        payouts: [{ method: 'wechat', amountFen: 120_000 }],
        reasonCode: 'customer_request',
      }),
    );
    expect((await tierOf(customerId))?.tierId).toBe(tiers.basic);
    const history = await historyOf(customerId);
    expect(history.map((change) => [change.direction, change.cause, change.toName])).toEqual([
      ['up', 'order_payment', '银卡'],
      ['down', 'refund', '普通会员'],
    ]);
    expect(history[1]?.figures).toMatchObject({ growth: 0, consumptionFen: 0 });
    expect((await giftsOf(customerId)).map((gift) => gift.status)).toEqual(['voided']);
    expect((await giftVouchersOf(customerId)).map((voucher) => voucher.status)).toEqual(['voided']);
  });

  it('a partial refund that leaves the threshold met keeps the tier', async () => {
    const customerId = await newCustomer();
    const orderId = await buy(customerId, 12, '2026-03-02T02:00:00Z');
    const [line] = await database.db
      .select()
      .from(orderLines)
      .where(and(eq(orderLines.tenantId, clinic.id), eq(orderLines.orderId, orderId)));
    await database.db.transaction((tx) =>
      refundOrder(tx, at('2026-03-04T02:00:00Z'), orderId, {
        lines: [{ lineId: line?.id ?? '', quantity: 2 }],
        payouts: [{ method: 'wechat', amountFen: 20_000 }],
        reasonCode: 'customer_request',
      }),
    );
    expect((await tierOf(customerId))?.tierId).toBe(tiers.silver);
  });

  it('a refund never drops below the floor of the period (a tier set by hand)', async () => {
    const customerId = await newCustomer();
    await database.db.transaction((tx) => changeTierManually(tx, at('2026-03-01T02:00:00Z'), customerId, { tierId: tiers.silver, reason: '老客迁移' }));
    const orderId = await buy(customerId, 50, '2026-03-02T02:00:00Z');
    expect((await tierOf(customerId))?.tierId).toBe(tiers.gold);
    const [line] = await database.db
      .select()
      .from(orderLines)
      .where(and(eq(orderLines.tenantId, clinic.id), eq(orderLines.orderId, orderId)));
    await database.db.transaction((tx) =>
      refundOrder(tx, at('2026-03-04T02:00:00Z'), orderId, {
        lines: [{ lineId: line?.id ?? '' }],
        payouts: [{ method: 'wechat', amountFen: 500_000 }],
        reasonCode: 'customer_request',
      }),
    );
    expect(await tierOf(customerId)).toMatchObject({ tierId: tiers.silver, floorTierId: tiers.silver });
    expect((await historyOf(customerId)).map((change) => [change.direction, change.cause, change.criterion])).toEqual([
      ['manual', 'manual', 'manual'],
      ['up', 'order_payment', 'growth'],
      ['down', 'refund', 'floor'],
    ]);
  });
});

describe('top-ups reported by the stored-value module', () => {
  it('one ¥2 980 top-up makes 银卡; refunding it takes 银卡 back; reporting it twice counts once', async () => {
    const customerId = await newCustomer();
    const topUp = (iso: string) =>
      database.db.transaction((tx) => evaluateTier(tx, at(iso), customerId, { kind: 'top_up', topUpId: `topup-${customerId}`, amountFen: 298_000 }));
    expect(await topUp('2026-03-02T02:00:00Z')).toMatchObject({ tierId: tiers.silver, changed: true, decision: { criterion: 'topUpFen' } });
    expect(await topUp('2026-03-02T03:00:00Z')).toMatchObject({ tierId: tiers.silver, changed: false });
    await database.db.transaction((tx) => evaluateTier(tx, at('2026-03-05T02:00:00Z'), customerId, { kind: 'top_up_refund', topUpId: `topup-${customerId}` }));
    expect((await tierOf(customerId))?.tierId).toBe(tiers.basic);
  });
});

describe('the retention sweep at period end', () => {
  it("applies each tier's retention rule on the day the period ends (Asia/Shanghai), once", async () => {
    const tenant = await createTestTenant(database, 'Retention clinic');
    const own = await createTiers(tenant);
    const item = (
      await database.db.transaction((tx) =>
        createItem(tx, ctxAt(tenant, '2026-01-01T02:00:00Z').actor, { kind: 'service', name: '热玛吉', priceFen: 10_000, categoryId: own.categoryId }),
      )
    ).id;
    const silver = await newCustomer(tenant);
    const gold = await newCustomer(tenant);
    const diamond = await newCustomer(tenant);
    const keeper = await newCustomer(tenant);
    await buy(silver, 10, '2026-03-02T02:00:00Z', undefined, tenant, item);
    await buy(gold, 50, '2026-03-02T02:00:00Z', undefined, tenant, item);
    await buy(diamond, 200, '2026-03-02T02:00:00Z', undefined, tenant, item);
    await buy(keeper, 10, '2026-03-02T02:00:00Z', undefined, tenant, item);
    // The keeper buys again inside the next window: she keeps 银卡.
    await buy(keeper, 10, '2026-09-01T02:00:00Z', undefined, tenant, item);
    const tierIdOf = async (customerId: string) => (await tierOf(customerId, tenant.id))?.tierId;

    // 23:59 on 1 March 2027 in Shanghai: the periods (ending 2 March 2027) have not ended.
    await runTierRetentionSweep(database.db, { now: () => new Date('2027-03-01T15:59:00Z') });
    expect(await tierIdOf(gold)).toBe(own.gold);

    const first = await runTierRetentionSweep(database.db, { now: () => new Date('2027-03-01T16:00:00Z') });
    expect(first?.renewed).toBeGreaterThanOrEqual(4);
    expect(await tierIdOf(silver)).toBe(own.basic); // re-evaluate: nothing in the window
    expect(await tierIdOf(gold)).toBe(own.silver); // down one level, not to 普通
    expect(await tierIdOf(diamond)).toBe(own.diamond); // never down
    expect(await tierIdOf(keeper)).toBe(own.silver); // 1 000 成长值 from September: renewed
    expect(await tierOf(gold, tenant.id)).toMatchObject({ floorTierId: own.silver, periodEndsOn: '2028-03-02' });
    const [, down] = await historyOf(gold, tenant.id);
    expect(down).toMatchObject({ direction: 'down', cause: 'retention', criterion: 'down_one', figures: { growth: 0, from: '2026-03-03', to: '2027-03-02' } });

    // A second run the same day changes nothing.
    await runTierRetentionSweep(database.db, { now: () => new Date('2027-03-02T01:00:00Z') });
    expect((await historyOf(gold, tenant.id)).length).toBe(2);
    expect(await tierIdOf(gold)).toBe(own.silver);
    // The next year, down one more level.
    await runTierRetentionSweep(database.db, { now: () => new Date('2028-03-01T16:00:00Z') });
    expect(await tierIdOf(gold)).toBe(own.basic);
  });
});

describe('the birthday-month benefit', () => {
  const goldCustomer = async (birthday: CustomerInput['birthday']) => {
    const customerId = await newCustomer(clinic, { birthday });
    await database.db.transaction((tx) => changeTierManually(tx, at('2026-01-05T02:00:00Z'), customerId, { tierId: tiers.gold, reason: '生日礼遇测试' }));
    return customerId;
  };
  const birthdayOn = async (customerId: string, iso: string) => (await membershipOf(database.db, at(iso), customerId)).birthday;

  it('a solar birthday: available all through her birth month, not the month after', async () => {
    const customerId = await goldCustomer({ calendar: 'solar', date: '1990-03-15' });
    expect(await birthdayOn(customerId, '2026-03-31T10:00:00Z')).toEqual({
      calendar: 'solar',
      isBirthdayMonth: true,
      dates: ['2026-03-15'],
      isAvailable: true,
    });
    // 1 April 00:30 in Shanghai is already April.
    expect((await birthdayOn(customerId, '2026-03-31T16:30:00Z')).isAvailable).toBe(false);
  });

  it('a lunar birthday (腊月二十) falls on 7 February 2026: February is her month, not December', async () => {
    const customerId = await goldCustomer({ calendar: 'lunar', year: 1990, month: 12, day: 20, isLeapMonth: false });
    expect(await birthdayOn(customerId, '2026-02-10T02:00:00Z')).toMatchObject({ calendar: 'lunar', isAvailable: true, dates: ['2026-02-07'] });
    expect((await birthdayOn(customerId, '2026-12-10T02:00:00Z')).isAvailable).toBe(false);
  });

  it('born in a leap month (2023 闰二月初十): kept in the ordinary second month, March 2026', async () => {
    const customerId = await goldCustomer({ calendar: 'lunar', year: 2023, month: 2, day: 10, isLeapMonth: true });
    expect(await birthdayOn(customerId, '2026-03-10T02:00:00Z')).toMatchObject({ calendar: 'lunar', isAvailable: true, dates: ['2026-03-28'] });
    expect((await birthdayOn(customerId, '2026-04-10T02:00:00Z')).isAvailable).toBe(false);
  });

  it('a tier without a birthday benefit gives nothing in the birthday month', async () => {
    const customerId = await newCustomer(clinic, { birthday: { calendar: 'solar', date: '1990-03-15' } });
    await buy(customerId, 12, '2026-03-02T02:00:00Z');
    expect(await birthdayOn(customerId, '2026-03-10T02:00:00Z')).toMatchObject({ isBirthdayMonth: true, isAvailable: false });
  });
});

describe('消费型: a tier that follows cumulative consumption', () => {
  it('counts purchases from years ago when the clinic measures cumulatively, and only the window otherwise', async () => {
    const tenant = await createTestTenant(database);
    const own = await createTiers(tenant);
    const item = (
      await database.db.transaction((tx) =>
        createItem(tx, ctxAt(tenant, '2024-01-01T02:00:00Z').actor, { kind: 'service', name: '光子嫩肤', priceFen: 10_000, categoryId: own.categoryId }),
      )
    ).id;
    const history = async () => {
      const customerId = await newCustomer(tenant);
      await buy(customerId, 6, '2024-03-01T02:00:00Z', undefined, tenant, item); // 600 成长值 two years ago
      await buy(customerId, 6, '2026-03-01T02:00:00Z', undefined, tenant, item); // 600 in the window
      return customerId;
    };
    const rolling = await history();
    expect((await tierOf(rolling, tenant.id))?.tierId).toBe(own.basic);
    await database.db.transaction((tx) =>
      putSetting(tx, ctxAt(tenant, '2026-03-01T02:00:00Z').actor, membershipSettingsSetting, { isEnabled: true, windowMonths: 12, measure: 'cumulative' }),
    );
    const cumulative = await history();
    expect((await tierOf(cumulative, tenant.id))?.tierId).toBe(own.silver);
  });
});
