import { randomInt } from 'node:crypto';
import { and, eq, inArray, isNotNull, like, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { addDays } from '../../platform/clock.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError, isUniqueViolation } from '../../platform/errors.js';
import { requestHash } from '../../platform/idempotency.js';
import { newId, sqlNewId } from '../../platform/ids.js';
import { claimOrReplay } from '../../platform/ledger.js';
import { customers, getCustomerRow } from '../customers/index.js';
import type { VoucherSnapshot, VoucherSource } from './schemas.js';
import { customerVouchers, voucherEvents, voucherTemplates } from './tables.js';
import { getVoucherTemplateRow, snapshotOf, type VoucherTemplateRow } from './templates.js';

export type CustomerVoucherRow = typeof customerVouchers.$inferSelect;

export type IssueSkip = 'out_of_stock' | 'over_limit' | 'inactive' | 'ended';
export const skipMessages: Record<IssueSkip, string> = {
  out_of_stock: '券已发完',
  over_limit: '已达每人限领数量',
  inactive: '券已停发',
  ended: '券已过期，不能再发放',
};

export type IssueOutcome = { status: 'issued' | 'replayed'; vouchers: CustomerVoucherRow[] } | { status: 'skipped'; reason: IssueSkip; message: string };

export type IssueOptions = {
  templateId: string;
  customerId: string;
  source: VoucherSource;
  sourceRef?: string | null;
  distributionId?: string | null;
  /** Names the issuance: the same key never issues twice (a replayed claim, a re-run batch). */
  issueKey: string;
  quantity?: number;
};

/** 核销码: 12 digits, not starting with 0, drawn at random (10^11 · 9 per tenant). */
export const newRedemptionCode = (): string =>
  `${randomInt(1, 10)}${String(randomInt(0, 100_000)).padStart(5, '0')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;

const keysOf = (issueKey: string, quantity: number) =>
  quantity === 1 ? [issueKey] : Array.from({ length: quantity }, (_, index) => `${issueKey}#${index + 1}`);

/** The dates a voucher received today holds: the template's fixed dates, or N days from today. */
export const datesFor = (template: VoucherTemplateRow, today: string): { validFrom: string; validTo: string } | undefined => {
  if (template.validityKind === 'fixed') {
    const validTo = template.validTo ?? today;
    return validTo < today ? undefined : { validFrom: template.validFrom ?? today, validTo };
  }
  return { validFrom: today, validTo: addDays(today, (template.validDays ?? 1) - 1) };
};

/** Takes `quantity` from the stock in one conditional update: never past `total_stock` (COMPLIANCE I8). */
const takeStock = async (tx: Executor, tenantId: string, templateId: string, quantity: number): Promise<boolean> => {
  const taken = await tx
    .update(voucherTemplates)
    .set({ issuedCount: sql`${voucherTemplates.issuedCount} + ${quantity}` })
    .where(
      and(
        eq(voucherTemplates.tenantId, tenantId),
        eq(voucherTemplates.id, templateId),
        sql`(${voucherTemplates.totalStock} is null or ${voucherTemplates.issuedCount} + ${quantity} <= ${voucherTemplates.totalStock})`,
      ),
    )
    .returning({ id: voucherTemplates.id });
  return taken.length > 0;
};

const giveBackStock = (tx: Executor, tenantId: string, templateId: string, quantity: number) =>
  tx
    .update(voucherTemplates)
    .set({ issuedCount: sql`${voucherTemplates.issuedCount} - ${quantity}` })
    .where(and(eq(voucherTemplates.tenantId, tenantId), eq(voucherTemplates.id, templateId)));

/** How many numbered vouchers of the template each customer holds (all holders when `customerIds` is omitted). */
const heldBy = async (tx: Executor, tenantId: string, templateId: string, customerIds?: readonly string[]) => {
  if (customerIds?.length === 0) return new Map<string, number>();
  const rows = await tx
    .select({ customerId: customerVouchers.customerId, held: sql<number>`count(*)::int` })
    .from(customerVouchers)
    .where(
      and(
        eq(customerVouchers.tenantId, tenantId),
        eq(customerVouchers.templateId, templateId),
        customerIds ? inArray(customerVouchers.customerId, [...customerIds]) : undefined,
        isNotNull(customerVouchers.useNo),
      ),
    )
    .groupBy(customerVouchers.customerId);
  return new Map(rows.map((row) => [row.customerId, Number(row.held)]));
};

type NewVoucher = {
  customerId: string;
  issueKey: string;
  useNo: number | null;
  templateId: string | null;
  snapshot: VoucherSnapshot;
  validFrom: string;
  validTo: string;
};

/** Writes wallet vouchers and their issue events (codes drawn fresh, checked against the tenant's). */
export const insertVouchers = async (
  tx: Executor,
  ctx: Ctx,
  list: readonly NewVoucher[],
  origin: { source: VoucherSource; sourceRef?: string | null | undefined; distributionId?: string | null | undefined },
): Promise<CustomerVoucherRow[]> => {
  if (list.length === 0) return [];
  const codes = new Set<string>();
  while (codes.size < list.length) codes.add(newRedemptionCode());
  // Checked in chunks: a statement takes at most 65 535 parameters.
  const drawn = [...codes];
  const taken: { code: string }[] = [];
  for (let start = 0; start < drawn.length; start += 10_000) {
    taken.push(
      ...(await tx
        .select({ code: customerVouchers.code })
        .from(customerVouchers)
        .where(and(eq(customerVouchers.tenantId, ctx.tenantId), inArray(customerVouchers.code, drawn.slice(start, start + 10_000))))),
    );
  }
  for (const { code } of taken) {
    codes.delete(code);
    let fresh = newRedemptionCode();
    while (codes.has(fresh)) fresh = newRedemptionCode();
    codes.add(fresh);
  }
  const codeList = [...codes];
  const rows: CustomerVoucherRow[] = list.map((voucher, index) => ({
    tenantId: ctx.tenantId,
    id: newId(),
    templateId: voucher.templateId,
    customerId: voucher.customerId,
    distributionId: origin.distributionId ?? null,
    source: origin.source,
    sourceRef: origin.sourceRef ?? null,
    issueKey: voucher.issueKey,
    useNo: voucher.useNo,
    code: codeList[index] ?? newRedemptionCode(),
    snapshot: voucher.snapshot,
    validFrom: voucher.validFrom,
    validTo: voucher.validTo,
    status: 'available',
    usedAt: null,
    usedOrderId: null,
    usedStoreId: null,
    usedAmountFen: null,
    issuedBy: ctx.actor.type === 'staff' ? ctx.actor.id : null,
    issuedAt: ctx.now,
    updatedAt: ctx.now,
  }));
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    await tx.insert(customerVouchers).values(chunk);
    await tx.insert(voucherEvents).values(
      chunk.map((row) => ({
        tenantId: ctx.tenantId,
        id: newId(),
        voucherId: row.id,
        type: 'issue',
        reason: { source: origin.source, sourceRef: origin.sourceRef ?? null, distributionId: origin.distributionId ?? null },
        actorId: ctx.actor.id,
        createdAt: ctx.now,
      })),
    );
  }
  return rows;
};

/**
 * What was issued under `issueKey` already: the key itself (one voucher) or its numbered keys
 * (several), one past `quantity` included, so an issuance of another size under the key shows.
 */
const issuedUnder = async (tx: Executor, tenantId: string, issueKey: string, quantity: number) => {
  const keys = [...new Set([issueKey, ...keysOf(issueKey, Math.max(2, quantity + 1))])];
  const rows = await tx
    .select()
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, tenantId), inArray(customerVouchers.issueKey, keys)));
  return rows.length > 0 ? rows : undefined;
};

/** The request an issuance answers: the same template, customer and number of vouchers. */
const issueHash = (request: { templateId: string | null; customerId: string; quantity: number }) =>
  requestHash({ operation: 'vouchers.issue', body: { templateId: request.templateId, customerId: request.customerId, quantity: request.quantity } });

/**
 * Issues a template's voucher(s) to one customer: idempotent by `issueKey` with the request's
 * hash (the same template, customer and quantity replay; anything else under the key is a 409), within the stock and
 * her per-customer limit. Her row is locked first, so two claims of hers run one after the
 * other; the stock is a conditional update on the template, so concurrent claims by different
 * customers never take more than there is. A refusal is an outcome, not an error: automatic
 * issuance (registration, referral rewards) must not fail what caused it.
 */
export const issueVoucher = async (tx: Executor, ctx: Ctx, options: IssueOptions): Promise<IssueOutcome> => {
  const quantity = options.quantity ?? 1;
  const keys = keysOf(options.issueKey, quantity);
  await getCustomerRow(tx, ctx.tenantId, options.customerId, { forUpdate: true });
  // The same issuance again gets its vouchers; another under the key (template, customer or quantity) is a 409.
  const existing = await claimOrReplay(
    () => issuedUnder(tx, ctx.tenantId, options.issueKey, quantity),
    (rows) => ({
      hash: issueHash({ templateId: rows[0]?.templateId ?? null, customerId: rows[0]?.customerId ?? '', quantity: rows.length }),
      ownerId: rows[0]?.customerId ?? '',
    }),
    { key: options.issueKey, hash: issueHash({ templateId: options.templateId, customerId: options.customerId, quantity }), ownerId: options.customerId },
    '发券',
  );
  if (existing) return { status: 'replayed', vouchers: existing };
  const template = await getVoucherTemplateRow(tx, ctx.tenantId, options.templateId);
  if (!template.isActive) return { status: 'skipped', reason: 'inactive', message: skipMessages.inactive };
  const dates = datesFor(template, ctx.today);
  if (!dates) return { status: 'skipped', reason: 'ended', message: skipMessages.ended };
  if (!(await takeStock(tx, ctx.tenantId, template.id, quantity))) return { status: 'skipped', reason: 'out_of_stock', message: skipMessages.out_of_stock };
  // Counted after the stock update, which waits for any batch of this template still running.
  const held = (await heldBy(tx, ctx.tenantId, template.id, [options.customerId])).get(options.customerId) ?? 0;
  if (held + quantity > template.perCustomerLimit) {
    await giveBackStock(tx, ctx.tenantId, template.id, quantity);
    return { status: 'skipped', reason: 'over_limit', message: `${skipMessages.over_limit}（每人限 ${template.perCustomerLimit} 张）` };
  }
  const snapshot = snapshotOf(template, dates);
  const vouchers = await insertVouchers(
    tx,
    ctx,
    keys.map((issueKey, index) => ({ customerId: options.customerId, issueKey, useNo: held + index + 1, templateId: template.id, snapshot, ...dates })),
    options,
  );
  return { status: 'issued', vouchers };
};

/** As `issueVoucher`, for a person asking: a refusal is a 409/422 she can read. */
export const issueOrRefuse = async (tx: Executor, ctx: Ctx, options: IssueOptions): Promise<CustomerVoucherRow[]> => {
  const outcome = await issueVoucher(tx, ctx, options);
  if (outcome.status === 'skipped') {
    throw new DomainError(outcome.reason === 'out_of_stock' ? 'conflict' : 'rule', `VOUCHER_${outcome.reason.toUpperCase()}`, outcome.message);
  }
  return outcome.vouchers;
};

export type BatchResult = { issued: number; replayed: number; skipped: Record<IssueSkip | 'not_found', number> };

export const emptyBatchResult = (): BatchResult => ({
  issued: 0,
  replayed: 0,
  skipped: { out_of_stock: 0, over_limit: 0, inactive: 0, ended: 0, not_found: 0 },
});

export const addBatchResults = (a: BatchResult, b: BatchResult): BatchResult => ({
  issued: a.issued + b.issued,
  replayed: a.replayed + b.replayed,
  skipped: {
    out_of_stock: a.skipped.out_of_stock + b.skipped.out_of_stock,
    over_limit: a.skipped.over_limit + b.skipped.over_limit,
    inactive: a.skipped.inactive + b.skipped.inactive,
    ended: a.skipped.ended + b.skipped.ended,
    not_found: a.skipped.not_found + b.skipped.not_found,
  },
});

export type BatchOptions = {
  templateId: string;
  keyPrefix: string;
  source: VoucherSource;
  distributionId?: string | null;
  quantity?: number;
};

/** Customers per statement of a batch: small enough to report progress, large enough to be set-based. */
export const batchChunkSize = 10_000;

const uuidV7 = sqlNewId;

/**
 * 核销码 drawn in SQL, as `newRedemptionCode`: 12 digits not starting with 0, from the strong
 * random bits of gen_random_uuid() (48 bits for the first digit, 60 for the other eleven).
 */
const codeFromHex = sql.raw(
  `(1 + ('x' || substr(h, 1, 12))::bit(48)::bigint % 9)::text || lpad((('x' || substr(h, 18, 15))::bit(60)::bigint % 100000000000)::text, 11, '0')`,
);

type ChunkCounts = {
  not_found: number;
  replayed: number;
  over_limit: number;
  out_of_stock: number;
  issued: number;
  planned: number;
  inserted: number;
  events: number;
};

/**
 * One chunk of a batch as a single statement over the customers given (in their order): who is
 * not this clinic's, who was already served under the key prefix (nothing issued twice), who is
 * at the per-customer limit, and — in order — as many of the rest as `stockLeft` covers get
 * their vouchers, numbered after what each already holds, each with a fresh code and its issue
 * event. A code that happens to be taken already (about 1 in 100 chunks of 10 000 once a clinic
 * holds a million codes) violates the tenant's unique code and the chunk is drawn again.
 */
const issueChunkStatement = (
  ctx: Ctx,
  template: VoucherTemplateRow,
  dates: { validFrom: string; validTo: string },
  customerIds: readonly string[],
  options: BatchOptions & { stockLeft: number | null },
) => {
  const quantity = options.quantity ?? 1;
  const tenantId = ctx.tenantId;
  const keyStem = `${options.keyPrefix}:`;
  const snapshot = JSON.stringify(snapshotOf(template, dates));
  const reason = JSON.stringify({ source: options.source, sourceRef: null, distributionId: options.distributionId ?? null });
  const issuedBy = ctx.actor.type === 'staff' ? ctx.actor.id : null;
  const now = ctx.now.toISOString();
  return sql`
    with wanted as (
      select w.id as customer_id, min(w.ord) as ord
      from unnest(${`{${customerIds.join(',')}}`}::uuid[]) with ordinality as w(id, ord)
      group by w.id
    ), classified as (
      select k.customer_id, k.ord, c.id is null as is_missing,
        exists (select 1 from ${customerVouchers} v
                where v.tenant_id = ${tenantId} and v.issue_key = ${keyStem} || k.customer_id::text || ${quantity === 1 ? '' : '#1'}) as is_served,
        (select count(*) from ${customerVouchers} v
          where v.tenant_id = ${tenantId} and v.template_id = ${template.id} and v.customer_id = k.customer_id and v.use_no is not null) as held
      from wanted k
      left join ${customers} c on c.tenant_id = ${tenantId} and c.id = k.customer_id
    ), eligible as (
      select customer_id, held, row_number() over (order by ord) as rank
      from classified
      where not is_missing and not is_served and held + ${quantity} <= ${template.perCustomerLimit}
    ), chosen as (
      select customer_id, held from eligible where ${options.stockLeft}::bigint is null or rank * ${quantity} <= ${options.stockLeft}::bigint
    ), planned as (
      select ch.customer_id, (ch.held + n.n)::int as use_no,
        ${keyStem} || ch.customer_id::text || case when ${quantity}::int = 1 then '' else '#' || n.n end as issue_key,
        replace(gen_random_uuid()::text, '-', '') as h
      from chosen ch cross join generate_series(1, ${quantity}::int) as n(n)
    ), inserted as (
      insert into ${customerVouchers} (tenant_id, id, template_id, customer_id, distribution_id, source, source_ref, issue_key, use_no, code,
        snapshot, valid_from, valid_to, status, issued_by, issued_at, updated_at)
      select ${tenantId}, ${uuidV7}, ${template.id}, p.customer_id, ${options.distributionId ?? null}::uuid, ${options.source}, null, p.issue_key, p.use_no, ${codeFromHex},
        ${snapshot}::jsonb, ${dates.validFrom}::date, ${dates.validTo}::date, 'available', ${issuedBy}::uuid, ${now}::timestamptz, ${now}::timestamptz
      from planned p
      returning id
    ), events as (
      insert into ${voucherEvents} (tenant_id, id, voucher_id, type, reason, actor_id, created_at)
      select ${tenantId}, ${uuidV7}, i.id, 'issue', ${reason}::jsonb, ${ctx.actor.id}::uuid, ${now}::timestamptz from inserted i
      returning 1
    )
    select
      (select count(*) from classified where is_missing)::int as not_found,
      (select count(*) from classified where not is_missing and is_served)::int as replayed,
      (select count(*) from classified where not is_missing and not is_served and held + ${quantity} > ${template.perCustomerLimit})::int as over_limit,
      ((select count(*) from eligible) - (select count(*) from chosen))::int as out_of_stock,
      (select count(*) from chosen)::int as issued,
      (select count(*) from planned)::int as planned,
      (select count(*) from inserted)::int as inserted,
      (select count(*) from events)::int as events`;
};

/**
 * One chunk of a batch, set-based, with the template row already locked by the caller (so the
 * stock it read is the stock there is): issues, takes the stock in one update, and reports the
 * counts. A unique violation (a drawn code already taken) fails the chunk's savepoint and the
 * chunk is planned and drawn again; nothing of a failed attempt remains.
 */
export const issueBatchChunk = async (
  tx: Executor,
  ctx: Ctx,
  template: VoucherTemplateRow,
  customerIds: readonly string[],
  options: BatchOptions,
): Promise<BatchResult> => {
  const result = emptyBatchResult();
  if (customerIds.length === 0) return result;
  const dates = template.isActive ? datesFor(template, ctx.today) : undefined;
  if (!dates) {
    result.skipped[template.isActive ? 'ended' : 'inactive'] = new Set(customerIds).size;
    return result;
  }
  const quantity = options.quantity ?? 1;
  const stockLeft = template.totalStock === null ? null : template.totalStock - template.issuedCount;
  for (let attempt = 1; ; attempt++) {
    try {
      const counts = await tx.transaction(async (inner) => {
        const [row] = await queryRows<ChunkCounts>(inner, issueChunkStatement(ctx, template, dates, customerIds, { ...options, stockLeft }));
        if (!row || row.inserted !== row.planned || row.events !== row.inserted) throw new Error('a voucher batch chunk wrote fewer rows than it planned');
        if (row.issued > 0) {
          await inner
            .update(voucherTemplates)
            .set({ issuedCount: sql`${voucherTemplates.issuedCount} + ${row.issued * quantity}` })
            .where(and(eq(voucherTemplates.tenantId, ctx.tenantId), eq(voucherTemplates.id, template.id)));
        }
        return row;
      });
      template.issuedCount += counts.issued * quantity;
      return {
        issued: counts.issued,
        replayed: counts.replayed,
        skipped: { out_of_stock: counts.out_of_stock, over_limit: counts.over_limit, inactive: 0, ended: 0, not_found: counts.not_found },
      };
    } catch (error) {
      // A drawn code already taken (or a voucher issued meanwhile under a key): plan the chunk again.
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
};

/**
 * Issues to many customers at once (a distribution's run), set-based: the template row is locked
 * for the run, customers already served under `keyPrefix` are passed over (a re-run issues
 * nothing twice), those at their limit are skipped, and the stock is taken for the customers it
 * covers, in the order given — chunk by chunk, each one statement.
 */
export const issueToMany = async (tx: Executor, ctx: Ctx, options: BatchOptions & { customerIds: readonly string[] }): Promise<BatchResult> => {
  const template = await getVoucherTemplateRow(tx, ctx.tenantId, options.templateId, { forUpdate: true });
  const wanted = [...new Set(options.customerIds)];
  let result = emptyBatchResult();
  for (let start = 0; start < wanted.length; start += batchChunkSize) {
    result = addBatchResults(result, await issueBatchChunk(tx, ctx, template, wanted.slice(start, start + batchChunkSize), options));
  }
  return result;
};

/** Whether a key prefix already issued anything (for a distribution that must run once per customer). */
export const hasIssuedUnder = async (tx: Executor, tenantId: string, keyPrefix: string) =>
  (
    await tx
      .select({ id: customerVouchers.id })
      .from(customerVouchers)
      .where(and(eq(customerVouchers.tenantId, tenantId), like(customerVouchers.issueKey, `${keyPrefix}%`)))
      .limit(1)
  ).length > 0;
