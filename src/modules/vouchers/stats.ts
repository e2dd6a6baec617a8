import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { addDays } from '../../platform/clock.js';
import type { Ctx } from '../../platform/context.js';
import { dayBegins } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { outbox } from '../../platform/outbox.js';
import { orders } from '../orders/index.js';
import type { DistributionKind, VoucherFigures, VoucherStats } from './distribution-schemas.js';
import { voucherReminderTopic } from './reminders.js';
import { customerVouchers, voucherDistributions, voucherTemplates } from './tables.js';

/** The longest period one request may cover (a daily series of at most this many points). */
export const maxStatsDays = 731;

type FigureRow = {
  key: string | null;
  issued: number;
  claimed: number;
  used: number;
  expired: number;
  voided: number;
  available: number;
  discount: number;
  orders: number;
  revenue: number;
};

const ratio = (part: number, whole: number | null) => (whole && whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

const toFigures = (row: FigureRow | undefined, claimBase: number | null): VoucherFigures => {
  const issued = Number(row?.issued ?? 0);
  const claimed = Number(row?.claimed ?? 0);
  const used = Number(row?.used ?? 0);
  const orderCount = Number(row?.orders ?? 0);
  const revenueFen = Number(row?.revenue ?? 0);
  return {
    issued,
    claimed,
    used,
    expired: Number(row?.expired ?? 0),
    voided: Number(row?.voided ?? 0),
    available: Number(row?.available ?? 0),
    claimRate: ratio(claimed, claimBase),
    useRate: ratio(used, issued),
    orders: orderCount,
    revenueFen,
    averageOrderFen: orderCount > 0 ? Math.round(revenueFen / orderCount) : null,
    discountFen: Number(row?.discount ?? 0),
  };
};

/**
 * Figures of the vouchers issued in the period, grouped by `groupBy` (a column of the cohort):
 * their status today, and the orders that used them with those orders' totals net of refunds.
 * An order that used two vouchers of a group counts once in it.
 */
const figuresBy = async (
  tx: Executor,
  ctx: Pick<Ctx, 'tenantId' | 'today'>,
  cohort: ReturnType<typeof sql>,
  groupBy: 'template_id' | 'distribution_id' | 'null',
): Promise<FigureRow[]> => {
  const key = sql.raw(groupBy === 'null' ? 'null::uuid' : `v.${groupBy}`);
  return queryRows<FigureRow>(
    tx,
    sql`with v as (${cohort}),
          f as (
            select ${key} as key,
              count(*)::int as issued,
              count(*) filter (where v.source = 'claim')::int as claimed,
              count(*) filter (where v.status = 'used')::int as used,
              count(*) filter (where v.status = 'available' and v.valid_to < ${ctx.today}::date)::int as expired,
              count(*) filter (where v.status = 'voided')::int as voided,
              count(*) filter (where v.status = 'available' and v.valid_to >= ${ctx.today}::date)::int as available,
              coalesce(sum(v.used_amount_fen) filter (where v.status = 'used'), 0)::bigint as discount
            from v group by 1
          ),
          r as (
            select u.key, count(*)::int as orders, coalesce(sum(o.total_fen - o.refunded_fen), 0)::bigint as revenue
            from (select distinct ${key} as key, v.used_order_id from v where v.status = 'used' and v.used_order_id is not null) u
            join ${orders} o on o.tenant_id = ${ctx.tenantId} and o.id = u.used_order_id and o.status = 'placed'
            group by u.key
          )
        select f.key::text as key, f.issued, f.claimed, f.used, f.expired, f.voided, f.available, f.discount,
               coalesce(r.orders, 0) as orders, coalesce(r.revenue, 0) as revenue
        from f left join r on r.key is not distinct from f.key`,
  );
};

/**
 * 券统计 (SPEC §10): the vouchers issued between `from` and `to` (business dates, inclusive) —
 * issued, self-claimed, used, expired, voided, still available; claim rate (claimed ÷ the
 * template's total stock, for limited templates handed out by claim link), use rate (used ÷
 * issued), the orders that used them and their revenue net of refunds; per template and per
 * distribution; a daily series of issued and used; and the expiry reminders queued.
 */
export const voucherStats = async (
  tx: Executor,
  ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone' | 'dayStart'>,
  query: { from?: string | undefined; to?: string | undefined; templateId?: string | undefined },
): Promise<VoucherStats> => {
  const to = query.to ?? ctx.today;
  const from = query.from ?? addDays(to, -29);
  if (from > to) throw new DomainError('invalid', 'STATS_PERIOD_INVALID', '开始日期不能晚于结束日期', [{ path: 'querystring.from', message: '晚于结束日期' }]);
  if (addDays(from, maxStatsDays - 1) < to) {
    throw new DomainError('invalid', 'STATS_PERIOD_TOO_LONG', `统计区间最长 ${maxStatsDays} 天`, [{ path: 'querystring.from', message: '区间过长' }]);
  }
  const start = dayBegins(ctx, from).toISOString();
  const end = dayBegins(ctx, addDays(to, 1)).toISOString();
  const templateFilter = query.templateId ? sql`and template_id = ${query.templateId}` : sql``;
  const cohort = sql`select * from ${customerVouchers}
    where tenant_id = ${ctx.tenantId} and issued_at >= ${start}::timestamptz and issued_at < ${end}::timestamptz ${templateFilter}`;

  const templates = await queryRows<{ id: string; name: string; total_stock: number | null; has_link: boolean }>(
    tx,
    sql`select t.id, t.name, t.total_stock,
          exists (select 1 from ${voucherDistributions} d where d.tenant_id = t.tenant_id and d.template_id = t.id and d.kind = 'claim_link') as has_link
        from ${voucherTemplates} t where t.tenant_id = ${ctx.tenantId}`,
  );
  const templateById = new Map(templates.map((row) => [row.id, row]));
  const claimBaseOf = (templateId: string | null) => {
    const template = templateId ? templateById.get(templateId) : undefined;
    return template?.has_link && template.total_stock !== null ? Number(template.total_stock) : null;
  };

  const byTemplate = await figuresBy(tx, ctx, cohort, 'template_id');
  const byDistribution = await figuresBy(tx, ctx, cohort, 'distribution_id');
  const [total] = await figuresBy(tx, ctx, cohort, 'null');
  const distributions = await queryRows<{ id: string; name: string; kind: DistributionKind; template_id: string }>(
    tx,
    sql`select id, name, kind, template_id from ${voucherDistributions} where tenant_id = ${ctx.tenantId}`,
  );
  const distributionById = new Map(distributions.map((row) => [row.id, row]));

  const daily = await queryRows<{ date: string; issued: number; used: number }>(
    tx,
    sql`with days as (select generate_series(${from}::date, ${to}::date, interval '1 day')::date as date),
          i as (select ((issued_at at time zone ${ctx.timezone}) - ${ctx.dayStart}::interval)::date as date, count(*)::int as n from (${cohort}) c group by 1),
          u as (select ((used_at at time zone ${ctx.timezone}) - ${ctx.dayStart}::interval)::date as date, count(*)::int as n from ${customerVouchers}
                where tenant_id = ${ctx.tenantId} and status = 'used' and used_at >= ${start}::timestamptz and used_at < ${end}::timestamptz ${templateFilter}
                group by 1)
        select days.date::text as date, coalesce(i.n, 0) as issued, coalesce(u.n, 0) as used
        from days left join i on i.date = days.date left join u on u.date = days.date order by days.date`,
  );

  const [reminders] = await queryRows<{ queued: number; vouchers: number; used_after: number }>(
    tx,
    sql`with m as (select id, created_at, payload from ${outbox}
                   where tenant_id = ${ctx.tenantId} and topic = ${voucherReminderTopic}
                     and created_at >= ${start}::timestamptz and created_at < ${end}::timestamptz),
          named as (select distinct on (vid) vid::uuid as voucher_id, m.created_at
                    from m cross join lateral jsonb_array_elements_text(m.payload -> 'voucherIds') as vid order by vid, m.created_at)
        select (select count(*) from m)::int as queued, (select count(*) from named)::int as vouchers,
          (select count(*) from named join ${customerVouchers} v on v.tenant_id = ${ctx.tenantId} and v.id = named.voucher_id
            where v.status = 'used' and v.used_at > named.created_at ${templateFilter})::int as used_after`,
  );

  return {
    from,
    to,
    totals: toFigures(total, null),
    templates: byTemplate
      .map((row) => ({
        ...toFigures(row, claimBaseOf(row.key)),
        templateId: row.key,
        name: row.key ? (templateById.get(row.key)?.name ?? '') : '会员升级礼',
        totalStock: row.key ? (templateById.get(row.key)?.total_stock ?? null) : null,
      }))
      .sort((a, b) => b.issued - a.issued || a.name.localeCompare(b.name)),
    distributions: byDistribution
      .filter((row) => row.key && distributionById.has(row.key))
      .map((row) => {
        const distribution = distributionById.get(row.key ?? '');
        return {
          ...toFigures(row, distribution?.kind === 'claim_link' ? claimBaseOf(distribution.template_id) : null),
          distributionId: row.key ?? '',
          name: distribution?.name ?? '',
          kind: distribution?.kind ?? 'batch',
        };
      })
      .sort((a, b) => b.issued - a.issued || a.name.localeCompare(b.name)),
    daily: daily.map((row) => ({ date: row.date, issued: Number(row.issued), used: Number(row.used) })),
    reminders: { queued: Number(reminders?.queued ?? 0), vouchers: Number(reminders?.vouchers ?? 0), usedAfter: Number(reminders?.used_after ?? 0) },
  };
};

const csvCell = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const percent = (rate: number | null) => (rate === null ? '' : `${(rate * 100).toFixed(1)}%`);
const yuan = (fen: number | null) => (fen === null ? '' : (fen / 100).toFixed(2));

/**
 * The statistics as a CSV that Excel opens with the Chinese intact: UTF-8 with a byte-order mark,
 * CRLF line ends; per template, then per distribution.
 */
export const voucherStatsCsv = (stats: VoucherStats, kindLabels: Record<DistributionKind, string>): string => {
  const header = ['发放', '自领', '已使用', '已过期', '已作废', '未使用', '领取率', '使用率', '带动订单数', '带动营收（元）', '客单价（元）', '优惠金额（元）'];
  const figures = (row: VoucherFigures) => [
    row.issued,
    row.claimed,
    row.used,
    row.expired,
    row.voided,
    row.available,
    percent(row.claimRate),
    percent(row.useRate),
    row.orders,
    yuan(row.revenueFen),
    yuan(row.averageOrderFen),
    yuan(row.discountFen),
  ];
  const lines: (string | number | null)[][] = [
    [`代金券统计 ${stats.from} 至 ${stats.to}（区间内发放的券及其当前状态）`],
    [],
    ['券', ...header],
    ...stats.templates.map((row) => [row.name, ...figures(row)]),
    ['合计', ...figures(stats.totals)],
    [],
    ['发券活动', '方式', ...header],
    ...stats.distributions.map((row) => [row.name, kindLabels[row.kind], ...figures(row)]),
    [],
    ['到期提醒', stats.reminders.queued, '提醒涉及券数', stats.reminders.vouchers, '提醒后使用', stats.reminders.usedAfter],
    [],
    ['日期', '发放', '使用'],
    ...stats.daily.map((row) => [row.date, row.issued, row.used]),
    [],
    ['说明', '领取率 = 自领张数 ÷ 券的发放总量（仅限量且有领券链接的券）；使用率 = 已使用 ÷ 发放；带动营收 = 使用了该券的订单金额（扣除退款）。'],
  ];
  return `\uFEFF${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
};
