import { randomInt } from 'node:crypto';
import { and, eq, inArray, isNotNull, like, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { addDays } from '../../platform/clock.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { requestHash } from '../../platform/idempotency.js';
import { newId } from '../../platform/ids.js';
import { claimOrReplay } from '../../platform/ledger.js';
import { getCustomerRow } from '../customers/service.js';
import { customers } from '../customers/tables.js';
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

/**
 * Issues to many customers at once (a distribution's run), set-based: the template row is locked
 * for the run, customers already served under `keyPrefix` are passed over (a re-run issues
 * nothing twice), those at their limit are skipped, and the stock is taken in one update for the
 * customers it covers, in the order given.
 */
export const issueToMany = async (
  tx: Executor,
  ctx: Ctx,
  options: { templateId: string; customerIds: readonly string[]; keyPrefix: string; source: VoucherSource; distributionId?: string | null; quantity?: number },
): Promise<BatchResult> => {
  const quantity = options.quantity ?? 1;
  const result: BatchResult = { issued: 0, replayed: 0, skipped: { out_of_stock: 0, over_limit: 0, inactive: 0, ended: 0, not_found: 0 } };
  const template = await getVoucherTemplateRow(tx, ctx.tenantId, options.templateId, { forUpdate: true });
  const wanted = [...new Set(options.customerIds)];
  if (wanted.length === 0) return result;
  if (!template.isActive || !datesFor(template, ctx.today)) {
    result.skipped[template.isActive ? 'ended' : 'inactive'] = wanted.length;
    return result;
  }
  const dates = datesFor(template, ctx.today) as { validFrom: string; validTo: string };
  const known = new Set<string>();
  for (let start = 0; start < wanted.length; start += 5000) {
    const rows = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.tenantId, ctx.tenantId), inArray(customers.id, wanted.slice(start, start + 5000))));
    for (const row of rows) known.add(row.id);
  }
  const served = new Set(
    (
      await queryRows<{ customer_id: string }>(
        tx,
        sql`select distinct customer_id from ${customerVouchers} where tenant_id = ${ctx.tenantId} and issue_key like ${`${options.keyPrefix}:%`}`,
      )
    ).map((row) => row.customer_id),
  );
  // Every holder of the template at once: no list of ids, however large the audience.
  const held = await heldBy(tx, ctx.tenantId, template.id);
  let stockLeft = template.totalStock === null ? Number.POSITIVE_INFINITY : template.totalStock - template.issuedCount;
  const toIssue: NewVoucher[] = [];
  const snapshot = snapshotOf(template, dates);
  for (const customerId of wanted) {
    if (!known.has(customerId)) {
      result.skipped.not_found++;
      continue;
    }
    if (served.has(customerId)) {
      result.replayed++;
      continue;
    }
    const has = held.get(customerId) ?? 0;
    if (has + quantity > template.perCustomerLimit) {
      result.skipped.over_limit++;
      continue;
    }
    if (stockLeft < quantity) {
      result.skipped.out_of_stock++;
      continue;
    }
    stockLeft -= quantity;
    for (const [index, issueKey] of keysOf(`${options.keyPrefix}:${customerId}`, quantity).entries()) {
      toIssue.push({ customerId, issueKey, useNo: has + index + 1, templateId: template.id, snapshot, ...dates });
    }
    result.issued++;
  }
  if (toIssue.length > 0) {
    await tx
      .update(voucherTemplates)
      .set({ issuedCount: sql`${voucherTemplates.issuedCount} + ${toIssue.length}` })
      .where(and(eq(voucherTemplates.tenantId, ctx.tenantId), eq(voucherTemplates.id, template.id)));
    await insertVouchers(tx, ctx, toIssue, { source: options.source, distributionId: options.distributionId ?? null });
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
