import { and, asc, eq, gt } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { checkoutOrder, openOrder } from '../flows/checkout.js';
import { listItems } from '../modules/catalog/index.js';
import { customers } from '../modules/customers/index.js';
import { findOrder } from '../modules/orders/index.js';
import {
  claimByCode,
  createDistribution,
  createVoucherTemplate,
  customerVouchers,
  issueRegistrationVouchers,
  issueShareRewards,
  queueVoucherExpiryReminders,
  redeemByCode,
  runDistributionJobStep,
} from '../modules/vouchers/index.js';
import type { Actor } from '../platform/audit.js';
import { makeCtx } from '../platform/context.js';
import { DomainError } from '../platform/errors.js';
import { runJobInline } from '../platform/jobs.js';

type Random = { int: (min: number, max: number) => number; pick: <T>(items: readonly T[]) => T; chance: (probability: number) => boolean };

const day = 86_400_000;

/**
 * The demo clinic's 发券 (seed 003): a ¥50 new-customer voucher given on registration (replayed for
 * those who signed up in the last two months), a 小气泡 claim link with stock that customers have
 * been claiming, share-to-get, a wake-up voucher sent to customers with no order for half a month
 * that already ran, and a monthly member-day voucher; some vouchers used at checkout or the 核销
 * desk, some left to expire, so the statistics page has history. Everything goes through the same
 * functions the API uses, at the time it happened.
 */
export const seedVoucherDistributions = async (
  tx: Tx,
  input: {
    tenantId: string;
    storeIds: string[];
    staff: { id: string; role: string }[];
    customers: { id: string }[];
    random: Random;
    now: number;
  },
) => {
  const { tenantId, random, now } = input;
  const store = input.storeIds[0];
  if (!store) return;
  const marketing = input.staff.find((member) => member.role === 'marketing') ?? input.staff[0];
  const desk = input.staff.find((member) => member.role === 'front_desk') ?? input.staff[0];
  const actorOf = (id: string | undefined): Actor => ({ tenantId, type: 'staff', id: id ?? null });
  const ctxAt = (at: number, staffId = marketing?.id) => makeCtx(actorOf(staffId), new Date(at), 'Asia/Shanghai');
  // Refusals (sold out, over the limit, a voucher that does not apply) are part of life: the demo moves on.
  const attempt = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await tx.transaction(work);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return undefined;
    }
  };

  const [bubble] = (await listItems(tx, tenantId, { q: '小气泡', page: 1, pageSize: 1 })).items;
  const [hydration] = (await listItems(tx, tenantId, { q: '水光针', page: 1, pageSize: 1 })).items;
  const start = now - 60 * day;
  const template = (fields: Parameters<typeof createVoucherTemplate>[2]) => createVoucherTemplate(tx, ctxAt(start), fields);
  const newcomer = await template({
    name: '新客礼代金券',
    kind: 'cash_off',
    faceValueFen: 5_000,
    thresholdFen: 20_000,
    scope: { itemIds: [], categoryIds: [] },
    channels: ['store'],
    validity: { kind: 'relative', days: 30 },
    totalStock: null,
    perCustomerLimit: 1,
    isStackable: true,
    description: '新客户专享，到店消费满 ¥200 可用。',
  });
  const bubbleTrial = bubble
    ? await template({
        name: '小气泡清洁体验券',
        kind: 'item',
        faceValueFen: null,
        scope: { itemIds: [bubble.id], categoryIds: [] },
        channels: ['store'],
        validity: { kind: 'relative', days: 14 },
        totalStock: 200,
        perCustomerLimit: 1,
        isStackable: true,
        description: '到店出示核销码，免费体验小气泡清洁 1 次。',
      })
    : undefined;
  const wakeUp = await template({
    name: '老客回店券',
    kind: 'cash_off',
    faceValueFen: 10_000,
    thresholdFen: 50_000,
    scope: { itemIds: [], categoryIds: [] },
    channels: ['store'],
    validity: { kind: 'relative', days: 15 },
    totalStock: 500,
    perCustomerLimit: 3,
    isStackable: false,
  });
  const invite = await template({
    name: '邀请有礼代金券',
    kind: 'cash_off',
    faceValueFen: 3_000,
    thresholdFen: 10_000,
    scope: { itemIds: [], categoryIds: [] },
    channels: ['store'],
    validity: { kind: 'relative', days: 60 },
    totalStock: null,
    perCustomerLimit: 20,
    isStackable: true,
  });
  const memberDay = await template({
    name: '会员日折扣券',
    kind: 'discount',
    discountBasisPoints: 1_000,
    maxOffFen: 20_000,
    scope: { itemIds: [], categoryIds: [] },
    channels: ['store'],
    validity: { kind: 'relative', days: 7 },
    totalStock: null,
    perCustomerLimit: 12,
    isStackable: false,
  });

  // 新客注册礼 and 邀请有礼, from two months ago: customers who signed up since received theirs then.
  await createDistribution(tx, ctxAt(start), { kind: 'registration', name: '新客注册礼', templateId: newcomer.id });
  await createDistribution(tx, ctxAt(start), { kind: 'share', name: '邀请好友得 ¥30', templateId: invite.id });
  const recent = await tx
    .select({ id: customers.id, createdAt: customers.createdAt, referrerId: customers.referrerId })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), gt(customers.createdAt, new Date(start))))
    .orderBy(asc(customers.createdAt), asc(customers.id));
  for (const customer of recent) {
    await issueRegistrationVouchers(tx, { tenantId, type: 'system', id: null }, customer.id, customer.createdAt);
    if (customer.referrerId) {
      await issueShareRewards(tx, makeCtx({ tenantId, type: 'system', id: null }, customer.createdAt, 'Asia/Shanghai'), {
        inviterId: customer.referrerId,
        friendId: customer.id,
      });
    }
  }

  // Some newcomers come in and spend their ¥50 on a 水光针.
  if (hydration) {
    for (const customer of recent.filter(() => random.chance(0.35))) {
      const at = customer.createdAt.getTime() + random.int(1, 20) * day;
      if (at > now - day) continue;
      const ctx = ctxAt(at, desk?.id);
      await attempt(async () => {
        const [voucher] = await tx
          .select()
          .from(customerVouchers)
          .where(and(eq(customerVouchers.tenantId, tenantId), eq(customerVouchers.customerId, customer.id), eq(customerVouchers.templateId, newcomer.id)));
        if (!voucher || voucher.validTo < ctx.today) return;
        const orderId = await openOrder(tx, ctx, {
          storeId: store,
          customerId: customer.id,
          lines: [{ itemId: hydration.id, quantity: 1 }],
          voucherIds: [voucher.id],
        });
        const order = await findOrder(tx, tenantId, orderId);
        await checkoutOrder(tx, ctx, orderId, [{ method: random.pick(['wechat', 'alipay'] as const), amountFen: order.totalFen }]);
      });
    }
  }

  // 小气泡 claim link, a month old: customers claim it on the portal; many come in to redeem it, some let it lapse.
  if (bubbleTrial) {
    const link = await createDistribution(tx, ctxAt(now - 30 * day), { kind: 'claim_link', name: '小气泡体验 · 扫码领取', templateId: bubbleTrial.id });
    const code = link.distribution.claimCode ?? '';
    const pool = [...input.customers];
    const claimers = Array.from({ length: Math.min(46, pool.length) }, () => pool.splice(random.int(0, pool.length - 1), 1)[0]).filter(
      (customer) => customer !== undefined,
    );
    for (const customer of claimers) {
      const at = now - random.int(1, 29) * day - random.int(0, 8) * 3_600_000;
      const customerCtx = makeCtx({ tenantId, type: 'customer', id: customer.id }, new Date(at), 'Asia/Shanghai');
      const vouchers = await attempt(() => claimByCode(tx, customerCtx, { code, customerId: customer.id }));
      const voucher = vouchers?.[0];
      if (!voucher || !random.chance(0.55)) continue;
      const usedAt = at + random.int(1, 10) * day;
      if (usedAt > now - 3_600_000) continue;
      await attempt(() => redeemByCode(tx, ctxAt(usedAt, desk?.id), { code: voucher.code, storeId: store, note: null }));
    }
  }

  // 超过半个月没有下单 (seed 003): sent ten days ago to the sleeping customers, already done; some came back.
  const wakeUpRun = await createDistribution(tx, ctxAt(now - 10 * day), {
    kind: 'operations',
    name: '超过半个月没有下单 · 回店礼',
    templateId: wakeUp.id,
    audience: { kind: 'filter', filter: { noOrderDays: 15, activity: ['sleeping', 'deep_sleep'] } },
  });
  // Its run is a background job: here it runs to the end in the seed's transaction, at the same moment.
  if (wakeUpRun.job) await runJobInline(tx, { tenantId, id: wakeUpRun.job.id }, runDistributionJobStep, new Date(now - 10 * day));

  if (hydration) {
    const sent = await tx
      .select({ id: customerVouchers.id, customerId: customerVouchers.customerId })
      .from(customerVouchers)
      .where(and(eq(customerVouchers.tenantId, tenantId), eq(customerVouchers.distributionId, wakeUpRun.distribution.id)))
      .orderBy(asc(customerVouchers.id));
    for (const voucher of sent.filter(() => random.chance(0.15))) {
      const ctx = ctxAt(now - random.int(1, 9) * day + random.int(1, 8) * 3_600_000, desk?.id);
      await attempt(async () => {
        const orderId = await openOrder(tx, ctx, {
          storeId: store,
          customerId: voucher.customerId,
          lines: [{ itemId: hydration.id, quantity: 1 }],
          voucherIds: [voucher.id],
        });
        const order = await findOrder(tx, tenantId, orderId);
        await checkoutOrder(tx, ctx, orderId, [{ method: 'wechat', amountFen: order.totalFen }]);
      });
    }
  }

  // 会员日: every month on the 8th to active members (runs from next month's 8th on).
  await createDistribution(tx, ctxAt(now), {
    kind: 'periodic',
    name: '每月 8 日会员日',
    templateId: memberDay.id,
    schedule: { every: 'month', day: 8 },
    audience: { kind: 'filter', filter: { activity: ['new', 'active'] } },
  });

  // Reminders for vouchers about to expire, as the hourly sweep would have queued them.
  await queueVoucherExpiryReminders(tx, new Date(now), tenantId);
};
