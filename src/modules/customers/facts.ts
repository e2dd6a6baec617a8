import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';

/**
 * 客户事实 (DESIGN §5, customer facts): per-customer aggregates moved in the transaction of the
 * change that moves them, so tier evaluation, dynamic tags, RFM and dashboards read one row per
 * customer instead of her whole history.
 *
 * Every piece of history (an order, an order line, the growth of an earn entry, a 划扣, a visit,
 * a referral) is a source whose contribution is defined once, in SQL, by the view
 * `customer_fact_contributions` (migration 0011). Applying a change reads the new contribution
 * of the sources it touched, diffs it with the stored one (`customer_fact_sources`) and moves the
 * aggregates by the difference: the cost is that of the sources touched, never of the history,
 * and applying the same change twice moves nothing.
 */

type FactKind = 'order' | 'deduction' | 'visit' | 'referral';

/**
 * Moves the aggregates by (new − stored) for the sources of one change, stores the new
 * contributions and returns the facts of the customers it touched: one statement, the SQL
 * function `customer_facts_apply` (migration 0012).
 */
const applySources = async (tx: Executor, tenantId: string, kind: FactKind, id: string): Promise<Map<string, CustomerFacts>> => {
  const rows = await queryRows<FactRow>(tx, sql`select ${factSelection} from customer_facts_apply(${tenantId}::uuid, ${kind}, ${id}::uuid)`);
  return new Map(rows.map((row) => [String(row.customer_id), toFacts(row)]));
};

/**
 * An order changed: placed (deal or not), paid, arrears paid, refunded in part or in full,
 * voided, a payment reversed. Its own row, its lines and the growth its payments earned are
 * brought to what they now are.
 */
export const applyOrderFacts = async (tx: Executor, ctx: Pick<Ctx, 'tenantId'>, input: { orderId: string }) =>
  applySources(tx, ctx.tenantId, 'order', input.orderId);

/** 划扣 executed or reversed: pass the deduction executed (for a reversal, the one it reverses). */
export const applyDeductionFacts = async (tx: Executor, ctx: Pick<Ctx, 'tenantId'>, input: { deductionId: string }) =>
  applySources(tx, ctx.tenantId, 'deduction', input.deductionId);

/** A visit recorded (arrival) or its type changed. */
export const applyVisitFacts = async (tx: Executor, ctx: Pick<Ctx, 'tenantId'>, input: { visitId: string }) =>
  applySources(tx, ctx.tenantId, 'visit', input.visitId);

/** A referral recorded, its referrer changed, or the referred customer's first deal. */
export const applyReferralFacts = async (tx: Executor, ctx: Pick<Ctx, 'tenantId'>, input: { referralId: string }) =>
  applySources(tx, ctx.tenantId, 'referral', input.referralId);

/** Rebuilds the facts of a tenant (or one customer) from raw history: the backfill, and what verify compares with. */
export const recomputeFacts = async (tx: Executor, tenantId: string, customerId?: string) => {
  await tx.execute(sql`select customer_facts_rebuild(${tenantId}::uuid, ${customerId ?? null}::uuid)`);
};

export type CustomerFacts = {
  orderCount: number;
  dealCount: number;
  deductionCount: number;
  visitCount: number;
  consumptionFen: number;
  moneyFen: number;
  arrearsFen: number;
  executedFen: number;
  growth: number;
  referredCount: number;
  referredDealCount: number;
  firstDealOn: string | null;
  firstDealOrderId: string | null;
  lastDealOn: string | null;
  lastDealOrderId: string | null;
  lastConsumptionOn: string | null;
  lastVisitAt: string | null;
  lastVisitOn: string | null;
  lastVisitType: string | null;
};

const noFacts: CustomerFacts = {
  orderCount: 0,
  dealCount: 0,
  deductionCount: 0,
  visitCount: 0,
  consumptionFen: 0,
  moneyFen: 0,
  arrearsFen: 0,
  executedFen: 0,
  growth: 0,
  referredCount: 0,
  referredDealCount: 0,
  firstDealOn: null,
  firstDealOrderId: null,
  lastDealOn: null,
  lastDealOrderId: null,
  lastConsumptionOn: null,
  lastVisitAt: null,
  lastVisitOn: null,
  lastVisitType: null,
};

type FactRow = Record<string, string | number | null>;

const factSelection = sql.raw(`customer_id, order_count::float8, deal_count::float8, deduction_count::float8, visit_count::float8, consumption_fen::float8,
  money_fen::float8, arrears_fen::float8, executed_fen::float8, growth::float8, referred_count::float8, referred_deal_count::float8,
  first_deal_on::text, first_deal_order_id, last_deal_on::text, last_deal_order_id, last_consumption_on::text,
  last_visit_at::text, last_visit_on::text, last_visit_type`);

const toFacts = (row: FactRow): CustomerFacts => ({
  orderCount: Number(row.order_count),
  dealCount: Number(row.deal_count),
  deductionCount: Number(row.deduction_count),
  visitCount: Number(row.visit_count),
  consumptionFen: Number(row.consumption_fen),
  moneyFen: Number(row.money_fen),
  arrearsFen: Number(row.arrears_fen),
  executedFen: Number(row.executed_fen),
  growth: Number(row.growth),
  referredCount: Number(row.referred_count),
  referredDealCount: Number(row.referred_deal_count),
  firstDealOn: (row.first_deal_on as string | null) ?? null,
  firstDealOrderId: (row.first_deal_order_id as string | null) ?? null,
  lastDealOn: (row.last_deal_on as string | null) ?? null,
  lastDealOrderId: (row.last_deal_order_id as string | null) ?? null,
  lastConsumptionOn: (row.last_consumption_on as string | null) ?? null,
  lastVisitAt: (row.last_visit_at as string | null) ?? null,
  lastVisitOn: (row.last_visit_on as string | null) ?? null,
  lastVisitType: (row.last_visit_type as string | null) ?? null,
});

/** The customer's facts; zeros for one with no history yet. */
export const getCustomerFacts = async (tx: Executor, tenantId: string, customerId: string): Promise<CustomerFacts> => {
  const [row] = await queryRows<FactRow>(tx, sql`select ${factSelection} from customer_facts where tenant_id = ${tenantId} and customer_id = ${customerId}`);
  return row ? toFacts(row) : noFacts;
};

type WindowInput = { tenantId: string; customerId: string; from: string; to: string };
export type WindowFacts = { growth: number; moneyFen: number; visitDays: number };

/**
 * Tier figures between two business dates (both included), from the day facts: growth by the
 * date it was earned, money paid by the order's business date, and the days she visited. As a
 * SQL expression (one JSON value), so a caller can read them in a statement of its own.
 */
export const windowFactsExpression = (input: WindowInput) =>
  sql`(select json_build_object('growth', coalesce(sum(growth), 0), 'moneyFen', coalesce(sum(money_fen), 0), 'visitDays', count(*) filter (where visit_count > 0))
       from customer_fact_days
       where tenant_id = ${input.tenantId} and customer_id = ${input.customerId} and on_date >= ${input.from}::date and on_date <= ${input.to}::date)`;

/** Money a customer paid from a business date on, as a SQL expression over a column naming her (for set-based reports). */
export const paidSinceExpression = (tenantId: string, customerId: SQL, from: string) =>
  sql`(select coalesce(sum(money_fen), 0) from customer_fact_days where tenant_id = ${tenantId} and customer_id = ${customerId} and on_date >= ${from}::date)`;

/**
 * A customer's value, best first, as SQL over a column naming her (a call campaign's order): what
 * she paid in total, then what she consumed (0 for a customer without facts yet).
 */
export const customerValueOrder = (tenantId: string, customerId: SQL): SQL =>
  sql`coalesce((select f.money_fen from customer_facts f where f.tenant_id = ${tenantId} and f.customer_id = ${customerId}), 0) desc,
      coalesce((select f.consumption_fen from customer_facts f where f.tenant_id = ${tenantId} and f.customer_id = ${customerId}), 0) desc`;

/** Reads what `windowFactsExpression` returns. */
export const toWindowFacts = (value: Partial<Record<keyof WindowFacts, number | string>> | null | undefined): WindowFacts => ({
  growth: Number(value?.growth ?? 0),
  moneyFen: Number(value?.moneyFen ?? 0),
  visitDays: Number(value?.visitDays ?? 0),
});

const factTables = [
  { table: 'customer_facts', keys: ['customer_id'] },
  { table: 'customer_fact_days', keys: ['customer_id', 'on_date'] },
  { table: 'customer_fact_months', keys: ['customer_id', 'month'] },
  { table: 'customer_fact_categories', keys: ['customer_id', 'category_id'] },
] as const;

export type FactDifference = { tenantId: string; customerId: string; table: string; key: string; field: string; stored: unknown; recomputed: unknown };

const snapshotFacts = async (tx: Executor, tenantId: string, customerId: string | undefined) => {
  const rows = new Map<string, { customerId: string; table: string; key: string; values: Record<string, unknown> }>();
  for (const { table, keys } of factTables) {
    const found = await queryRows<Record<string, unknown>>(
      tx,
      sql`select to_jsonb(t) as row from ${sql.raw(table)} t where tenant_id = ${tenantId} ${customerId ? sql`and customer_id = ${customerId}` : sql``}`,
    );
    for (const { row } of found as { row: Record<string, unknown> }[]) {
      const key = keys.map((column) => String(row[column])).join('|');
      rows.set(`${table}|${key}`, { customerId: String(row.customer_id), table, key, values: row });
    }
  }
  return rows;
};

const factKeyFields = new Set<string>(factTables.flatMap(({ keys }) => keys));
const isZero = (value: unknown) => value === null || value === 0 || value === '0';

class Rollback extends Error {}

/**
 * Recomputes the facts from raw history and lists every difference with the stored facts, per
 * customer, table and field. Read-only: the recomputation runs in a savepoint rolled back.
 */
export const verifyFacts = async (tx: Executor, tenantId: string, customerId?: string): Promise<FactDifference[]> => {
  const stored = await snapshotFacts(tx, tenantId, customerId);
  let recomputed = new Map<string, { customerId: string; table: string; key: string; values: Record<string, unknown> }>();
  try {
    await tx.transaction(async (savepoint) => {
      await recomputeFacts(savepoint, tenantId, customerId);
      recomputed = await snapshotFacts(savepoint, tenantId, customerId);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  const differences: FactDifference[] = [];
  for (const key of new Set([...stored.keys(), ...recomputed.keys()])) {
    const a = stored.get(key);
    const b = recomputed.get(key);
    const base = a ?? b;
    if (!base) continue;
    const fields = new Set([...Object.keys(a?.values ?? {}), ...Object.keys(b?.values ?? {})]);
    for (const field of fields) {
      const left = a?.values[field] ?? null;
      const right = b?.values[field] ?? null;
      if (JSON.stringify(left) === JSON.stringify(right)) continue;
      // A row the write path kept at zero is the same as no row at all.
      if ((!a || !b) && (field === 'tenant_id' || factKeyFields.has(field) || (isZero(left) && isZero(right)))) continue;
      differences.push({ tenantId, customerId: base.customerId, table: base.table, key: base.key, field, stored: left, recomputed: right });
    }
  }
  return differences;
};

/**
 * verify-ledgers' part for facts: every tenant (or one), each difference between the kept facts
 * and a recomputation from raw history as one problem naming the customer, table and field.
 */
export const verifyFactLedgers = async (
  tx: Executor,
  tenantId?: string,
): Promise<{ tenantId: string; customerId: string | null; problem: string; detail: string }[]> => {
  const tenantIds = tenantId ? [tenantId] : (await queryRows<{ id: string }>(tx, sql`select id from tenants order by id`)).map((row) => row.id);
  const problems = [];
  for (const id of tenantIds) {
    for (const difference of await verifyFacts(tx, id)) {
      problems.push({
        tenantId: difference.tenantId,
        customerId: difference.customerId,
        problem: 'customer_facts',
        detail: `${difference.table} ${difference.key} ${difference.field}: kept ${JSON.stringify(difference.stored)}, recomputed ${JSON.stringify(difference.recomputed)}`,
      });
    }
  }
  return problems;
};
