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

const countColumns = [
  'order_count',
  'deal_count',
  'line_count',
  'deduction_count',
  'visit_count',
  'consumption_fen',
  'money_fen',
  'arrears_fen',
  'category_fen',
  'executed_fen',
  'growth',
  'referred_count',
  'referred_deal_count',
] as const;
type CountColumn = (typeof countColumns)[number];

type SourceRow = {
  source_type: string;
  source_id: string;
  customer_id: string;
  order_id: string | null;
  on_date: string;
  category_id: string | null;
  visit_at: string | null;
  visit_type: string | null;
} & Record<CountColumn, number>;

const sourceColumns = sql.raw(
  `source_type, source_id, customer_id, order_id, on_date::text as on_date, category_id, visit_at::text as visit_at, visit_type, ${countColumns
    .map((column) => `${column}::float8 as ${column}`)
    .join(', ')}`,
);

const keyOf = (row: Pick<SourceRow, 'source_type' | 'source_id'>) => `${row.source_type}:${row.source_id}`;

const isSame = (a: SourceRow, b: SourceRow) =>
  a.customer_id === b.customer_id &&
  a.order_id === b.order_id &&
  a.on_date === b.on_date &&
  a.category_id === b.category_id &&
  a.visit_at === b.visit_at &&
  a.visit_type === b.visit_type &&
  countColumns.every((column) => Number(a[column]) === Number(b[column]));

/** Sums keyed by a string, each a record of column deltas. */
class Deltas<C extends string> {
  readonly byKey = new Map<string, { key: string[]; values: Record<C, number> }>();
  constructor(private readonly columns: readonly C[]) {}
  add(key: string[], values: Partial<Record<C, number>>, sign: 1 | -1) {
    const id = key.join('|');
    let entry = this.byKey.get(id);
    if (!entry) {
      entry = { key, values: Object.fromEntries(this.columns.map((column) => [column, 0])) as Record<C, number> };
      this.byKey.set(id, entry);
    }
    for (const column of this.columns) entry.values[column] += sign * Number(values[column] ?? 0);
  }
  nonZero() {
    return [...this.byKey.values()].filter((entry) => this.columns.some((column) => entry.values[column] !== 0));
  }
}

const factColumns = [
  'order_count',
  'deal_count',
  'deduction_count',
  'visit_count',
  'consumption_fen',
  'money_fen',
  'arrears_fen',
  'executed_fen',
  'growth',
  'referred_count',
  'referred_deal_count',
] as const;
const dayColumns = ['growth', 'money_fen', 'visit_count'] as const;
const monthColumns = ['consumption_fen', 'executed_fen', 'order_count', 'visit_count'] as const;
const categoryColumns = ['category_fen', 'line_count'] as const;

const monthOf = (date: string) => `${date.slice(0, 7)}-01`;

/** Moves the aggregates by (new − stored) for the sources `where` selects, and stores the new contributions. */
const applySources = async (tx: Executor, tenantId: string, selections: SQL[]) => {
  // One branch per selection, never an OR: each reaches the view's branches through their own indexes.
  const fresh = await queryRows<SourceRow>(
    tx,
    sql.join(
      selections.map((where) => sql`(select ${sourceColumns} from customer_fact_contributions where tenant_id = ${tenantId} and ${where})`),
      sql` union all `,
    ),
  );
  const stored = await queryRows<SourceRow>(
    tx,
    sql`select ${sourceColumns} from customer_fact_sources where tenant_id = ${tenantId} and (${sql.join(selections, sql` or `)}) for update`,
  );
  const before = new Map(stored.map((row) => [keyOf(row), row]));
  const after = new Map(fresh.map((row) => [keyOf(row), row]));
  const facts = new Deltas(factColumns);
  const days = new Deltas(dayColumns);
  const months = new Deltas(monthColumns);
  const categories = new Deltas(categoryColumns);
  const customers = new Set<string>();
  const touchedCategories = new Map<string, [string, string]>();
  const upserts: SourceRow[] = [];
  const removals: SourceRow[] = [];
  const move = (row: SourceRow, sign: 1 | -1) => {
    customers.add(row.customer_id);
    facts.add([row.customer_id], row, sign);
    days.add([row.customer_id, row.on_date], row, sign);
    months.add([row.customer_id, monthOf(row.on_date)], row, sign);
    if (row.source_type === 'line' && row.category_id) {
      categories.add([row.customer_id, row.category_id], row, sign);
      touchedCategories.set(`${row.customer_id}|${row.category_id}`, [row.customer_id, row.category_id]);
    }
  };
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(key);
    const next = after.get(key);
    if (old && next && isSame(old, next)) continue;
    if (old) move(old, -1);
    if (next) {
      move(next, 1);
      upserts.push(next);
    } else if (old) removals.push(old);
  }
  if (upserts.length === 0 && removals.length === 0) return;

  if (upserts.length > 0) {
    const values = upserts.map(
      (row) =>
        sql`(${tenantId}::uuid, ${row.source_type}, ${row.source_id}::uuid, ${row.customer_id}::uuid, ${row.order_id}::uuid, ${row.on_date}::date, ${row.category_id}::uuid,
             ${row.visit_at}::timestamptz, ${row.visit_type}, ${sql.join(
               countColumns.map((column) => sql`${Number(row[column])}`),
               sql`, `,
             )})`,
    );
    await tx.execute(sql`insert into customer_fact_sources (tenant_id, source_type, source_id, customer_id, order_id, on_date, category_id, visit_at, visit_type,
                           ${sql.raw(countColumns.join(', '))})
                         values ${sql.join(values, sql`, `)}
                         on conflict (tenant_id, source_type, source_id) do update set
                           customer_id = excluded.customer_id, order_id = excluded.order_id, on_date = excluded.on_date, category_id = excluded.category_id,
                           visit_at = excluded.visit_at, visit_type = excluded.visit_type,
                           ${sql.raw(countColumns.map((column) => `${column} = excluded.${column}`).join(', '))}`);
  }
  for (const row of removals) {
    await tx.execute(
      sql`delete from customer_fact_sources where tenant_id = ${tenantId} and source_type = ${row.source_type} and source_id = ${row.source_id}::uuid`,
    );
  }

  await addTo(tx, tenantId, 'customer_facts', ['customer_id'], ['uuid'], factColumns, facts, { keepZeroRows: true });
  await addTo(tx, tenantId, 'customer_fact_days', ['customer_id', 'on_date'], ['uuid', 'date'], dayColumns, days);
  await addTo(tx, tenantId, 'customer_fact_months', ['customer_id', 'month'], ['uuid', 'date'], monthColumns, months, {
    rename: {},
  });
  await addTo(tx, tenantId, 'customer_fact_categories', ['customer_id', 'category_id'], ['uuid', 'uuid'], ['amount_fen', 'line_count'], categories, {
    rename: { amount_fen: 'category_fen' },
  });
  for (const [customerId, categoryId] of touchedCategories.values()) {
    await tx.execute(sql`update customer_fact_categories c set
                           first_bought_on = (select min(s.on_date) from customer_fact_sources s where s.tenant_id = c.tenant_id and s.customer_id = c.customer_id
                                                and s.source_type = 'line' and s.category_id = c.category_id and s.line_count > 0),
                           last_bought_on = (select max(s.on_date) from customer_fact_sources s where s.tenant_id = c.tenant_id and s.customer_id = c.customer_id
                                               and s.source_type = 'line' and s.category_id = c.category_id and s.line_count > 0)
                         where c.tenant_id = ${tenantId} and c.customer_id = ${customerId} and c.category_id = ${categoryId}`);
  }
  // Not sums: the first and last deal, last consumption and last visit are read back from the sources.
  for (const customerId of customers) await tx.execute(sql`select customer_facts_extremes(${tenantId}::uuid, ${customerId}::uuid)`);
};

/**
 * Adds the deltas into an aggregate table (one multi-row upsert), then drops rows that fell to
 * zero so a recomputation, which never writes empty rows, finds the same table.
 */
const addTo = async <C extends string>(
  tx: Executor,
  tenantId: string,
  table: string,
  keys: readonly string[],
  keyTypes: readonly string[],
  columns: readonly string[],
  deltas: Deltas<C>,
  options: { keepZeroRows?: boolean; rename?: Record<string, C> } = {},
) => {
  const rows = options.keepZeroRows ? [...deltas.byKey.values()] : deltas.nonZero();
  if (rows.length === 0) return;
  const sourceOf = (column: string) => (options.rename?.[column] ?? column) as C;
  const values = rows.map(
    (row) =>
      sql`(${tenantId}::uuid, ${sql.join(
        row.key.map((part, index) => sql`${part}::${sql.raw(keyTypes[index] ?? 'text')}`),
        sql`, `,
      )}, ${sql.join(
        columns.map((column) => sql`${row.values[sourceOf(column)]}`),
        sql`, `,
      )})`,
  );
  const keyList = keys.join(', ');
  await tx.execute(sql`insert into ${sql.raw(table)} as t (tenant_id, ${sql.raw(keyList)}, ${sql.raw(columns.join(', '))})
                       values ${sql.join(values, sql`, `)}
                       on conflict (tenant_id, ${sql.raw(keyList)}) do update set
                       ${sql.raw(columns.map((column) => `${column} = t.${column} + excluded.${column}`).join(', '))}`);
  if (options.keepZeroRows) return;
  await tx.execute(
    sql`delete from ${sql.raw(table)} where tenant_id = ${tenantId} and (${sql.join(
      rows.map(
        (row) =>
          sql`(${sql.join(
            keys.map((key, index) => sql`${sql.raw(key)} = ${row.key[index]}::${sql.raw(keyTypes[index] ?? 'text')}`),
            sql` and `,
          )})`,
      ),
      sql` or `,
    )}) and ${sql.raw(columns.map((column) => `${column} = 0`).join(' and '))}`,
  );
};

/**
 * An order changed: placed (deal or not), paid, arrears paid, refunded in part or in full,
 * voided, a payment reversed. Its own row, its lines and the growth its payments earned are
 * brought to what they now are.
 */
export const applyOrderFacts = async (tx: Executor, ctx: Pick<Ctx, 'tenantId'>, input: { orderId: string }) => {
  // The earn entries first: a list of ids reaches the view's growth branch by its key, a subquery would not.
  const earned = await queryRows<{ id: string }>(
    tx,
    sql`select id from points_entries where tenant_id = ${ctx.tenantId} and source_type = 'order' and source_id = ${input.orderId} and reverses_id is null`,
  );
  const growth = earned.map((entry) => sql`${entry.id}::uuid`);
  return applySources(tx, ctx.tenantId, [
    sql`(source_type = 'order' and order_id = ${input.orderId}::uuid)`,
    sql`(source_type = 'line' and order_id = ${input.orderId}::uuid)`,
    ...(growth.length > 0 ? [sql`(source_type = 'growth' and source_id in (${sql.join(growth, sql`, `)}))`] : []),
  ]);
};

/** 划扣 executed or reversed: pass the deduction executed (for a reversal, the one it reverses). */
export const applyDeductionFacts = async (tx: Executor, ctx: Pick<Ctx, 'tenantId'>, input: { deductionId: string }) =>
  applySources(tx, ctx.tenantId, [sql`source_type = 'deduction' and source_id = ${input.deductionId}::uuid`]);

/** A visit recorded (arrival) or its type changed. */
export const applyVisitFacts = async (tx: Executor, ctx: Pick<Ctx, 'tenantId'>, input: { visitId: string }) =>
  applySources(tx, ctx.tenantId, [sql`source_type = 'visit' and source_id = ${input.visitId}::uuid`]);

/** A referral recorded, its referrer changed, or the referred customer's first deal. */
export const applyReferralFacts = async (tx: Executor, ctx: Pick<Ctx, 'tenantId'>, input: { referralId: string }) =>
  applySources(tx, ctx.tenantId, [sql`source_type = 'referral' and source_id = ${input.referralId}::uuid`]);

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

/** The customer's facts; zeros for one with no history yet. */
export const getCustomerFacts = async (tx: Executor, tenantId: string, customerId: string): Promise<CustomerFacts> => {
  const [row] = await queryRows<Record<string, string | number | null>>(
    tx,
    sql`select order_count::float8, deal_count::float8, deduction_count::float8, visit_count::float8, consumption_fen::float8, money_fen::float8,
               arrears_fen::float8, executed_fen::float8, growth::float8, referred_count::float8, referred_deal_count::float8,
               first_deal_on::text, first_deal_order_id, last_deal_on::text, last_deal_order_id, last_consumption_on::text,
               last_visit_at::text, last_visit_on::text, last_visit_type
        from customer_facts where tenant_id = ${tenantId} and customer_id = ${customerId}`,
  );
  if (!row) return noFacts;
  return {
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
  };
};

/**
 * Tier figures between two business dates (both included), from the day facts: growth by the
 * date it was earned, money paid by the order's business date, and the days she visited.
 */
export const windowFacts = async (
  tx: Executor,
  input: { tenantId: string; customerId: string; from: string; to: string },
): Promise<{ growth: number; moneyFen: number; visitDays: number }> => {
  const [row] = await queryRows<{ growth: number; money: number; visit_days: number }>(
    tx,
    sql`select coalesce(sum(growth), 0)::float8 as growth, coalesce(sum(money_fen), 0)::float8 as money, (count(*) filter (where visit_count > 0))::int as visit_days
        from customer_fact_days
        where tenant_id = ${input.tenantId} and customer_id = ${input.customerId} and on_date >= ${input.from}::date and on_date <= ${input.to}::date`,
  );
  return { growth: Number(row?.growth ?? 0), moneyFen: Number(row?.money ?? 0), visitDays: Number(row?.visit_days ?? 0) };
};

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
