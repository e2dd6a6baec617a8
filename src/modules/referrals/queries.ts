import { aliasedTable, and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { addDays } from '../../platform/clock.js';
import type { Ctx } from '../../platform/context.js';
import { dayBegins } from '../../platform/context.js';
import { customers, getCustomerRow } from '../customers/index.js';
import { windowOf } from '../membership/index.js';
import { orders } from '../orders/index.js';
import { getSetting } from '../settings/index.js';
import { findReferralCode } from './codes.js';
import { type PartnerFigures, partnerStandingOf } from './partner-levels.js';
import { findReferralOf, referrerChangeProblem } from './record-referral.js';
import { isFlagged, type RewardSide, type RewardStage, type RewardStatus, rateOf, referralStageOf, sideLabels, stageLabels } from './rules.js';
import type { CustomerReferrals, ReferralReport, ReferralRewardView } from './schemas.js';
import { referralSettingsSetting } from './settings.js';
import { referralRewards, referrals } from './tables.js';

type RewardRow = typeof referralRewards.$inferSelect;
type Channel = CustomerReferrals['referred'][number]['channel'];

const idList = (ids: readonly string[]) => `{${ids.join(',')}}`;

/**
 * 美学合伙人 figures for many customers at once: money paid in the last 12 months (as the
 * membership tiers measure it: not points, vouchers or stored-value spending; refunds net off)
 * and successful referrals (referred customers who dealt, unless that first deal was refunded in full).
 */
export const partnerFiguresOf = async (tx: Executor, ctx: Pick<Ctx, 'tenantId' | 'today'>, customerIds: readonly string[]) => {
  const figures = new Map<string, PartnerFigures>();
  if (customerIds.length === 0) return figures;
  const { from, to } = windowOf(ctx.today, 12);
  const rows = await queryRows<{ id: string; consumption: number; successful: number }>(
    tx,
    sql`select c.id,
          (select coalesce(sum(p.amount_fen), 0) from payments p join orders o on o.tenant_id = p.tenant_id and o.id = p.order_id
            where p.tenant_id = c.tenant_id and p.customer_id = c.id and p.method not in ('points', 'voucher', 'stored_value')
              and o.status = 'placed' and o.business_date >= ${from}::date and o.business_date <= ${to}::date)::bigint as consumption,
          (select count(*) from ${referrals} r
            where r.tenant_id = c.tenant_id and r.referrer_id = c.id and r.dealt_at is not null
              and not exists (select 1 from orders o where o.tenant_id = r.tenant_id and o.id = r.first_deal_order_id and o.refunded_fen >= o.total_fen))::int as successful
        from ${customers} c where c.tenant_id = ${ctx.tenantId} and c.id = any(${idList(customerIds)}::uuid[])`,
  );
  for (const row of rows) figures.set(row.id, { consumptionFen: Math.max(0, Number(row.consumption)), successfulReferrals: Number(row.successful) });
  return figures;
};

/** Referrals each referrer recorded in the last 30 days (up to today), for the unusual-activity flag. */
const recentReferralCounts = async (tx: Executor, ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>, referrerIds: readonly string[]) => {
  const counts = new Map<string, number>();
  if (referrerIds.length === 0) return counts;
  const since = dayBegins(ctx, addDays(ctx.today, -29));
  const rows = await queryRows<{ referrer_id: string; count: number }>(
    tx,
    sql`select referrer_id, count(*)::int as count from ${referrals}
        where tenant_id = ${ctx.tenantId} and referrer_id = any(${idList(referrerIds)}::uuid[]) and referred_at >= ${since.toISOString()}::timestamptz
        group by referrer_id`,
  );
  for (const row of rows) counts.set(row.referrer_id, Number(row.count));
  return counts;
};

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A reward as staff read it: what it was and what became of it. */
export const rewardNote = (row: Pick<RewardRow, 'stage' | 'side' | 'status' | 'points' | 'voucherId' | 'reason'>): string => {
  const reason = (row.reason ?? {}) as Record<string, unknown>;
  const label = typeof reason.label === 'string' ? reason.label : `${stageLabels[row.stage as RewardStage]}·${sideLabels[row.side as RewardSide]}奖励`;
  const given = [row.points ? `${row.points.toLocaleString('en-US')} 积分` : null, row.voucherId ? '优惠券 1 张' : null].filter(Boolean).join(' + ');
  const multiplier = typeof reason.multiplierBasisPoints === 'number' && reason.multiplierBasisPoints !== 10_000 ? reason.multiplierBasisPoints : null;
  const level = multiplier && typeof reason.partnerLevel === 'string' ? `（${reason.partnerLevel} ×${multiplier / 10_000}）` : '';
  const skipped = typeof reason.voucherSkipped === 'string' ? `；券未发放：${reason.voucherSkipped}` : '';
  switch (row.status as RewardStatus) {
    case 'given':
      return `${label}：${given}${level}${skipped}`;
    case 'capped':
      return `${label}：${typeof reason.capped === 'string' ? reason.capped : '超过每月奖励上限，未发放'}`;
    case 'skipped':
      return `${label}：未发放${skipped}`;
    case 'clawed_back': {
      const clawback = (reason.clawback ?? {}) as Record<string, unknown>;
      const voucher = clawback.voucher === 'already_used' ? '；券已使用，未能收回' : clawback.voucher === 'voided' ? '；券已作废' : '';
      return `${label}：${given}，已扣回（首次成交订单全额退款）${voucher}`;
    }
    default:
      return label;
  }
};

const toRewardView = (row: RewardRow, customerName: string): ReferralRewardView => ({
  id: row.id,
  referralId: row.referralId,
  customerId: row.customerId,
  customerName,
  side: row.side as RewardSide,
  stage: row.stage as RewardStage,
  kind: row.kind,
  points: row.points,
  voucherId: row.voucherId,
  orderId: row.orderId,
  status: row.status as RewardStatus,
  note: rewardNote(row),
  valueFen: Number(row.valueFen ?? 0),
  createdAt: row.createdAt.toISOString(),
});

const rewardsWhere = async (tx: Executor, tenantId: string, condition: ReturnType<typeof and>) => {
  const rows = await tx
    .select({ reward: referralRewards, name: customers.name })
    .from(referralRewards)
    .innerJoin(customers, and(eq(customers.tenantId, referralRewards.tenantId), eq(customers.id, referralRewards.customerId)))
    .where(and(eq(referralRewards.tenantId, tenantId), condition))
    .orderBy(desc(referralRewards.createdAt), desc(referralRewards.id))
    .limit(1000);
  return rows.map((row) => toRewardView(row.reward, row.name));
};

/** 转介绍 of one customer for the 360 page: her referrer, the people she brought and how far they came, her rewards, her partner level. */
export const customerReferrals = async (
  tx: Executor,
  ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>,
  customerId: string,
): Promise<CustomerReferrals> => {
  await getCustomerRow(tx, ctx.tenantId, customerId);
  const settings = await getSetting(tx, ctx.tenantId, referralSettingsSetting);
  const own = await findReferralOf(tx, ctx.tenantId, customerId);
  const referrer = own ? await getCustomerRow(tx, ctx.tenantId, own.referrerId) : undefined;
  const referred = aliasedTable(customers, 'referred');
  const brought = await tx
    .select({ referral: referrals, name: referred.name })
    .from(referrals)
    .innerJoin(referred, and(eq(referred.tenantId, referrals.tenantId), eq(referred.id, referrals.referredId)))
    .where(and(eq(referrals.tenantId, ctx.tenantId), eq(referrals.referrerId, customerId)))
    .orderBy(desc(referrals.referredAt), desc(referrals.id))
    .limit(500);
  const referralIds = brought.map((row) => row.referral.id);
  const rewards = await rewardsWhere(
    tx,
    ctx.tenantId,
    or(eq(referralRewards.customerId, customerId), referralIds.length > 0 ? inArray(referralRewards.referralId, referralIds) : undefined),
  );
  const figures = (await partnerFiguresOf(tx, ctx, [customerId])).get(customerId) ?? { consumptionFen: 0, successfulReferrals: 0 };
  const recent = (await recentReferralCounts(tx, ctx, [customerId])).get(customerId) ?? 0;
  const problem = (await referrerChangeProblem(tx, ctx.tenantId, customerId)) ?? null;
  const mine = rewards.filter((reward) => reward.customerId === customerId);
  return {
    customerId,
    code: (await findReferralCode(tx, ctx.tenantId, customerId)) ?? null,
    referrer:
      own && referrer
        ? {
            referralId: own.id,
            customerId: referrer.id,
            name: referrer.name,
            channel: own.channel as Channel,
            stage: referralStageOf(own),
            referredAt: own.referredAt.toISOString(),
          }
        : null,
    canChangeReferrer: problem === null,
    changeProblem: problem,
    referred: brought.map(({ referral, name }) => ({
      referralId: referral.id,
      customerId: referral.referredId,
      name,
      channel: referral.channel as Channel,
      stage: referralStageOf(referral),
      referredAt: referral.referredAt.toISOString(),
      arrivedAt: iso(referral.arrivedAt),
      dealtAt: iso(referral.dealtAt),
      firstDealOrderId: referral.firstDealOrderId,
      rewards: rewards.filter((reward) => reward.referralId === referral.id),
    })),
    rewards: mine,
    totals: {
      referred: brought.length,
      arrived: brought.filter((row) => row.referral.arrivedAt).length,
      dealt: brought.filter((row) => row.referral.dealtAt).length,
      pointsGiven: mine.filter((reward) => reward.status === 'given').reduce((sum, reward) => sum + (reward.points ?? 0), 0),
      capped: mine.filter((reward) => reward.status === 'capped').length,
      clawedBack: mine.filter((reward) => reward.status === 'clawed_back').length,
    },
    partner: { figures, ...partnerStandingOf(settings.partnerLevels, figures) },
    activity: { referralsLast30Days: recent, isFlagged: isFlagged(recent, settings.flagThreshold), threshold: settings.flagThreshold },
  };
};

/** The period of a report: business dates in the tenant's zone, the last 30 days by default. */
export const periodOf = (ctx: Pick<Ctx, 'today' | 'timezone' | 'dayStart'>, query: { from?: string | undefined; to?: string | undefined }) => {
  const to = query.to ?? ctx.today;
  const from = query.from ?? addDays(to, -29);
  return { from, to, start: dayBegins(ctx, from), end: dayBegins(ctx, addDays(to, 1)) };
};

/**
 * 转介绍报表: the funnel of the period's referrals (registered → arrived → dealt, up to now),
 * the referral conversion rate, the share of the period's first deals and of its deal orders
 * that came by referral, the rewards recorded, and one row per referrer with her flags and level.
 */
export const referralReport = async (
  tx: Executor,
  ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<ReferralReport> => {
  const settings = await getSetting(tx, ctx.tenantId, referralSettingsSetting);
  const { from, to, start, end } = periodOf(ctx, query);
  const inPeriod = (column: string) =>
    sql`${sql.raw(column)} >= ${start.toISOString()}::timestamptz and ${sql.raw(column)} < ${end.toISOString()}::timestamptz`;
  const [funnel] = await queryRows<{ referred: number; arrived: number; dealt: number }>(
    tx,
    sql`select count(*)::int as referred, count(arrived_at)::int as arrived, count(dealt_at)::int as dealt
        from ${referrals} r where r.tenant_id = ${ctx.tenantId} and ${inPeriod('r.referred_at')}`,
  );
  const [deals] = await queryRows<{ first_total: number; first_referred: number; orders_total: number; orders_referred: number }>(
    tx,
    sql`with deal_orders as (
          select o.customer_id, o.business_date from orders o
          where o.tenant_id = ${ctx.tenantId} and o.status = 'placed' and o.is_deal),
        firsts as (select customer_id, min(business_date) as first_date from deal_orders group by customer_id)
        select
          (select count(*) from firsts f where f.first_date >= ${from}::date and f.first_date <= ${to}::date)::int as first_total,
          (select count(*) from firsts f where f.first_date >= ${from}::date and f.first_date <= ${to}::date
             and exists (select 1 from ${referrals} r where r.tenant_id = ${ctx.tenantId} and r.referred_id = f.customer_id))::int as first_referred,
          (select count(*) from deal_orders d where d.business_date >= ${from}::date and d.business_date <= ${to}::date)::int as orders_total,
          (select count(*) from deal_orders d where d.business_date >= ${from}::date and d.business_date <= ${to}::date
             and exists (select 1 from ${referrals} r where r.tenant_id = ${ctx.tenantId} and r.referred_id = d.customer_id))::int as orders_referred`,
  );
  const [rewards] = await queryRows<{
    given: number;
    points: number;
    vouchers: number;
    capped: number;
    skipped: number;
    clawed: number;
    value: number;
  }>(
    tx,
    sql`select count(*) filter (where status = 'given')::int as given,
               coalesce(sum(points) filter (where status = 'given'), 0)::bigint as points,
               count(voucher_id) filter (where status = 'given')::int as vouchers,
               count(*) filter (where status = 'capped')::int as capped,
               count(*) filter (where status = 'skipped')::int as skipped,
               count(*) filter (where status = 'clawed_back')::int as clawed,
               coalesce(sum(value_fen) filter (where status = 'given'), 0)::bigint as value
        from ${referralRewards} w where w.tenant_id = ${ctx.tenantId} and ${inPeriod('w.created_at')}`,
  );
  const rows = await queryRows<{ referrer_id: string; name: string; referred: number; arrived: number; dealt: number }>(
    tx,
    sql`select r.referrer_id, c.name, count(*)::int as referred, count(r.arrived_at)::int as arrived, count(r.dealt_at)::int as dealt
        from ${referrals} r join ${customers} c on c.tenant_id = r.tenant_id and c.id = r.referrer_id
        where r.tenant_id = ${ctx.tenantId} and ${inPeriod('r.referred_at')}
        group by r.referrer_id, c.name order by count(*) desc, count(r.dealt_at) desc, c.name limit 200`,
  );
  const referrerIds = rows.map((row) => row.referrer_id);
  const rewardRows =
    referrerIds.length === 0
      ? []
      : await queryRows<{ customer_id: string; given: number; points: number; capped: number }>(
          tx,
          sql`select customer_id, count(*) filter (where status = 'given')::int as given,
                     coalesce(sum(points) filter (where status = 'given'), 0)::bigint as points,
                     count(*) filter (where status = 'capped')::int as capped
              from ${referralRewards} w
              where w.tenant_id = ${ctx.tenantId} and w.side = 'referrer' and w.customer_id = any(${idList(referrerIds)}::uuid[]) and ${inPeriod('w.created_at')}
              group by customer_id`,
        );
  const recent = await recentReferralCounts(tx, ctx, referrerIds);
  const figures = await partnerFiguresOf(tx, ctx, referrerIds);
  const referred = Number(funnel?.referred ?? 0);
  const arrived = Number(funnel?.arrived ?? 0);
  const dealt = Number(funnel?.dealt ?? 0);
  const firstTotal = Number(deals?.first_total ?? 0);
  const firstReferred = Number(deals?.first_referred ?? 0);
  const ordersTotal = Number(deals?.orders_total ?? 0);
  const ordersReferred = Number(deals?.orders_referred ?? 0);
  return {
    from,
    to,
    funnel: {
      referred,
      arrived,
      dealt,
      arrivalRatePercent: rateOf(arrived, referred),
      conversionRatePercent: rateOf(dealt, referred),
      arrivedToDealtPercent: rateOf(dealt, arrived),
    },
    firstDeals: { total: firstTotal, byReferral: firstReferred, sharePercent: rateOf(firstReferred, firstTotal) },
    dealOrders: { total: ordersTotal, byReferral: ordersReferred, sharePercent: rateOf(ordersReferred, ordersTotal) },
    rewards: {
      given: Number(rewards?.given ?? 0),
      pointsGiven: Number(rewards?.points ?? 0),
      vouchersGiven: Number(rewards?.vouchers ?? 0),
      capped: Number(rewards?.capped ?? 0),
      skipped: Number(rewards?.skipped ?? 0),
      clawedBack: Number(rewards?.clawed ?? 0),
      valueFen: Number(rewards?.value ?? 0),
    },
    referrers: rows.map((row) => {
      const given = rewardRows.find((entry) => entry.customer_id === row.referrer_id);
      const last30 = recent.get(row.referrer_id) ?? 0;
      return {
        customerId: row.referrer_id,
        name: row.name,
        referred: Number(row.referred),
        arrived: Number(row.arrived),
        dealt: Number(row.dealt),
        rewardsGiven: Number(given?.given ?? 0),
        pointsGiven: Number(given?.points ?? 0),
        capped: Number(given?.capped ?? 0),
        referralsLast30Days: last30,
        isFlagged: isFlagged(last30, settings.flagThreshold),
        partnerLevel: partnerStandingOf(settings.partnerLevels, figures.get(row.referrer_id) ?? { consumptionFen: 0, successfulReferrals: 0 }).level.name,
      };
    }),
    flagThreshold: settings.flagThreshold,
  };
};

const statusLabels: Record<RewardStatus, string> = { given: '已发放', capped: '超上限未发放', skipped: '未发放', clawed_back: '已扣回' };

const csvCell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  // Quote everything that could break a row; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * 推荐奖励台账 (COMPLIANCE §7: rewards recorded and exportable): every reward recorded in the
 * period, one row each, as CSV with a BOM so Excel opens the Chinese correctly.
 */
export const rewardsCsv = async (
  tx: Executor,
  ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>,
  query: { from?: string | undefined; to?: string | undefined },
) => {
  const { start, end } = periodOf(ctx, query);
  const referrer = aliasedTable(customers, 'referrer');
  const referred = aliasedTable(customers, 'referred');
  const rows = await tx
    .select({ reward: referralRewards, referrerName: referrer.name, referredName: referred.name, orderNumber: orders.number })
    .from(referralRewards)
    .innerJoin(referrals, and(eq(referrals.tenantId, referralRewards.tenantId), eq(referrals.id, referralRewards.referralId)))
    .innerJoin(referrer, and(eq(referrer.tenantId, referrals.tenantId), eq(referrer.id, referrals.referrerId)))
    .innerJoin(referred, and(eq(referred.tenantId, referrals.tenantId), eq(referred.id, referrals.referredId)))
    .leftJoin(orders, and(eq(orders.tenantId, referralRewards.tenantId), eq(orders.id, referralRewards.orderId)))
    .where(
      and(
        eq(referralRewards.tenantId, ctx.tenantId),
        sql`${referralRewards.createdAt} >= ${start.toISOString()}::timestamptz and ${referralRewards.createdAt} < ${end.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(referralRewards.createdAt, referralRewards.id);
  const header = ['时间', '奖励编号', '推荐人', '被推荐人', '获奖人', '阶段', '状态', '积分', '优惠券', '价值（元）', '订单号', '说明'];
  const lines = rows.map(({ reward, referrerName, referredName, orderNumber }) =>
    [
      reward.createdAt.toLocaleString('sv-SE', { timeZone: ctx.timezone }),
      reward.id,
      referrerName,
      referredName,
      sideLabels[reward.side as RewardSide],
      stageLabels[reward.stage as RewardStage],
      statusLabels[reward.status as RewardStatus] ?? reward.status,
      reward.points,
      reward.voucherId ? 1 : 0,
      (Number(reward.valueFen ?? 0) / 100).toFixed(2),
      orderNumber,
      rewardNote(reward),
    ]
      .map(csvCell)
      .join(','),
  );
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
};
