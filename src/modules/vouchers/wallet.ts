import { type AnyColumn, and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { addDays } from '../../platform/clock.js';
import { assertStoreAccess, type Ctx } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertDayOpen } from '../orders/index.js';
import type { PricingVoucher } from '../pricing/index.js';
import type { CustomerVoucherRow } from './issue.js';
import type { CustomerVoucher, VoucherSnapshot } from './schemas.js';
import { customerVouchers, voucherEvents } from './tables.js';

/** Vouchers ending within this many days carry the 即将过期 badge. */
export const expiringSoonDays = 7;

export const walletStatusOf = (row: Pick<CustomerVoucherRow, 'status' | 'validTo'>, today: string): CustomerVoucher['status'] => {
  if (row.status === 'available' && row.validTo < today) return 'expired';
  return row.status as CustomerVoucher['status'];
};

export const toVoucherView = (row: CustomerVoucherRow, today: string): CustomerVoucher => {
  const status = walletStatusOf(row, today);
  return {
    id: row.id,
    templateId: row.templateId,
    customerId: row.customerId,
    source: row.source as CustomerVoucher['source'],
    distributionId: row.distributionId,
    code: row.code,
    snapshot: row.snapshot as VoucherSnapshot,
    validFrom: row.validFrom,
    validTo: row.validTo,
    status,
    isExpiringSoon: status === 'available' && row.validTo <= addDays(today, expiringSoonDays),
    isUsableToday: status === 'available' && row.validFrom <= today,
    usedAt: row.usedAt?.toISOString() ?? null,
    usedOrderId: row.usedOrderId,
    usedAmountFen: row.usedAmountFen,
    issuedAt: row.issuedAt.toISOString(),
  };
};

/** 券包: usable first (soonest ending first), then used, expired and voided. */
export const listWallet = async (
  tx: Executor,
  ctx: Pick<Ctx, 'tenantId' | 'today'>,
  customerId: string,
  options: { status?: CustomerVoucher['status'] } = {},
) => {
  const rows = await tx
    .select()
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, ctx.tenantId), eq(customerVouchers.customerId, customerId)))
    .orderBy(asc(customerVouchers.validTo), desc(customerVouchers.issuedAt));
  const rank: Record<CustomerVoucher['status'], number> = { available: 0, used: 1, expired: 2, voided: 3 };
  return rows
    .map((row) => toVoucherView(row, ctx.today))
    .filter((view) => !options.status || view.status === options.status)
    .sort((a, b) => rank[a.status] - rank[b.status]);
};

const pricingIdPrefix = 'wallet:';
export const walletPricingId = (voucherId: string) => `${pricingIdPrefix}${voucherId}`;
export const parseWalletPricingId = (id: string) => (id.startsWith(pricingIdPrefix) ? id.slice(pricingIdPrefix.length) : undefined);

/** A wallet voucher as the pricing function takes it; an empty scope means the order's non-card items. */
export const toPricingVoucher = (row: CustomerVoucherRow, wholeOrder: { itemIds: string[]; categoryIds: string[] }): PricingVoucher => {
  const snapshot = row.snapshot as VoucherSnapshot;
  const base = {
    id: walletPricingId(row.id),
    name: snapshot.name,
    scope: snapshot.scope.itemIds.length === 0 && snapshot.scope.categoryIds.length === 0 ? wholeOrder : snapshot.scope,
    isStackable: snapshot.isStackable,
  };
  switch (snapshot.kind) {
    case 'cash_off':
      return { ...base, kind: 'cash_off', faceValueFen: snapshot.faceValueFen ?? 1, thresholdFen: snapshot.thresholdFen };
    case 'discount':
      // Pricing takes the rate paid; the template keeps the share off.
      return { ...base, kind: 'discount', rateBp: 10_000 - (snapshot.discountBasisPoints ?? 0), maxOffFen: snapshot.maxOffFen };
    case 'item':
      return { ...base, kind: 'item', faceValueFen: snapshot.faceValueFen };
    case 'gift':
      return { ...base, kind: 'gift' };
    default:
      return snapshot.kind;
  }
};

const unusable = (row: CustomerVoucherRow, today: string): string | undefined => {
  const title = (row.snapshot as VoucherSnapshot).title;
  if (row.status === 'used') return `「${title}」已使用`;
  if (row.status === 'voided') return `「${title}」已作废`;
  if (row.validTo < today) return `「${title}」已于 ${row.validTo} 过期`;
  if (row.validFrom > today) return `「${title}」${row.validFrom} 起可用`;
  if (!(row.snapshot as VoucherSnapshot).channels.includes('store')) return `「${title}」仅限线上商城使用`;
  return undefined;
};

/**
 * The wallet vouchers the desk chose for an order: hers, usable today in store. Locked when the
 * order commits, so two desks cannot both use the same voucher.
 */
export const vouchersForOrder = async (
  tx: Executor,
  ctx: Ctx,
  input: { customerId: string; voucherIds: readonly string[]; forUpdate?: boolean },
): Promise<CustomerVoucherRow[]> => {
  if (input.voucherIds.length === 0) return [];
  const ids = [...new Set(input.voucherIds)].sort();
  const query = tx
    .select()
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, ctx.tenantId), inArray(customerVouchers.id, ids)))
    .orderBy(asc(customerVouchers.id));
  const rows = input.forUpdate ? await query.for('update') : await query;
  return input.voucherIds.map((id, index) => {
    const row = rows.find((candidate) => candidate.id === id && candidate.customerId === input.customerId);
    const path = `body.voucherIds.${index}`;
    if (!row) throw new DomainError('rule', 'VOUCHER_NOT_FOUND', '该券不在客户的券包中', [{ path, message: '券不存在' }]);
    const problem = unusable(row, ctx.today);
    if (problem) throw new DomainError('rule', row.status === 'used' ? 'VOUCHER_USED' : 'VOUCHER_UNUSABLE', problem, [{ path, message: problem }]);
    return row;
  });
};

const addEvent = (
  tx: Executor,
  ctx: Ctx,
  event: { voucherId: string; type: string; orderId?: string | null; storeId?: string | null; amountFen?: number | null; reason?: unknown },
) =>
  tx.insert(voucherEvents).values({
    tenantId: ctx.tenantId,
    id: newId(),
    voucherId: event.voucherId,
    type: event.type,
    orderId: event.orderId ?? null,
    storeId: event.storeId ?? null,
    amountFen: event.amountFen ?? null,
    reason: event.reason ?? null,
    actorId: ctx.actor.id,
    createdAt: ctx.now,
  });

/** Marks the order's vouchers used (rows already locked by `vouchersForOrder`). */
export const useVouchersForOrder = async (
  tx: Executor,
  ctx: Ctx,
  input: { orderId: string; storeId: string; uses: readonly { voucherId: string; amountFen: number; lineIds: string[] }[] },
) => {
  for (const use of input.uses) {
    const updated = await tx
      .update(customerVouchers)
      .set({ status: 'used', usedAt: ctx.now, usedOrderId: input.orderId, usedStoreId: input.storeId, usedAmountFen: use.amountFen, updatedAt: ctx.now })
      .where(and(eq(customerVouchers.tenantId, ctx.tenantId), eq(customerVouchers.id, use.voucherId), eq(customerVouchers.status, 'available')))
      .returning({ id: customerVouchers.id });
    if (updated.length === 0) throw new DomainError('conflict', 'VOUCHER_USED', '该券刚刚已被使用，请刷新后重试');
    await addEvent(tx, ctx, {
      voucherId: use.voucherId,
      type: 'use',
      orderId: input.orderId,
      storeId: input.storeId,
      amountFen: use.amountFen,
      reason: { lineIds: use.lineIds },
    });
  }
};

/**
 * Gives back the vouchers an order used — all of them when it is voided, on a refund those whose
 * lines are all fully refunded — if still within their dates; an expired one stays used, and
 * says why (SPEC §10: restore on refund if still valid).
 */
export const restoreVouchersOfOrder = async (
  tx: Executor,
  ctx: Ctx,
  input: { orderId: string; fullyRefundedLineIds?: readonly string[]; cause: 'void' | 'refund'; refundId?: string },
): Promise<{ restored: string[]; refused: string[] }> => {
  const rows = await tx
    .select()
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, ctx.tenantId), eq(customerVouchers.usedOrderId, input.orderId), eq(customerVouchers.status, 'used')))
    .orderBy(asc(customerVouchers.id))
    .for('update');
  const outcome = { restored: [] as string[], refused: [] as string[] };
  for (const row of rows) {
    if (input.fullyRefundedLineIds) {
      const [use] = await tx
        .select({ reason: voucherEvents.reason })
        .from(voucherEvents)
        .where(
          and(
            eq(voucherEvents.tenantId, ctx.tenantId),
            eq(voucherEvents.voucherId, row.id),
            eq(voucherEvents.type, 'use'),
            eq(voucherEvents.orderId, input.orderId),
          ),
        )
        .orderBy(desc(voucherEvents.createdAt))
        .limit(1);
      const lineIds = (use?.reason as { lineIds?: string[] } | null)?.lineIds ?? [];
      if (lineIds.length === 0 || !lineIds.every((lineId) => input.fullyRefundedLineIds?.includes(lineId))) continue;
    }
    const reason = { cause: input.cause, refundId: input.refundId ?? null };
    if (row.validTo < ctx.today) {
      const [already] = await tx
        .select({ id: voucherEvents.id })
        .from(voucherEvents)
        .where(
          and(
            eq(voucherEvents.tenantId, ctx.tenantId),
            eq(voucherEvents.voucherId, row.id),
            eq(voucherEvents.type, 'restore_refused'),
            eq(voucherEvents.orderId, input.orderId),
          ),
        );
      if (!already)
        await addEvent(tx, ctx, { voucherId: row.id, type: 'restore_refused', orderId: input.orderId, reason: { ...reason, expiredOn: row.validTo } });
      outcome.refused.push(row.id);
      continue;
    }
    await tx
      .update(customerVouchers)
      .set({ status: 'available', usedAt: null, usedOrderId: null, usedStoreId: null, usedAmountFen: null, updatedAt: ctx.now })
      .where(and(eq(customerVouchers.tenantId, ctx.tenantId), eq(customerVouchers.id, row.id)));
    await addEvent(tx, ctx, { voucherId: row.id, type: 'restore', orderId: input.orderId, amountFen: row.usedAmountFen, reason });
    outcome.restored.push(row.id);
  }
  return outcome;
};

export const getWalletVoucherRow = async (tx: Executor, tenantId: string, id: string, options: { forUpdate?: boolean } = {}) => {
  const query = tx
    .select()
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, tenantId), eq(customerVouchers.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('券', 'VOUCHER_NOT_FOUND');
  return row;
};

export const findVoucherByCode = async (tx: Executor, tenantId: string, code: string, options: { forUpdate?: boolean } = {}) => {
  const query = tx
    .select()
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, tenantId), eq(customerVouchers.code, code)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row) throw new DomainError('not_found', 'VOUCHER_CODE_NOT_FOUND', '核销码不存在，请核对后重新输入');
  return row;
};

/**
 * 核销 at the desk: an item or gift voucher's single-use code. A second scan of the same code is
 * refused with when and where it was used (a replay with the same Idempotency-Key gets the first
 * answer instead). Cash-off and discount vouchers are used through checkout.
 */
export const redeemByCode = async (tx: Executor, ctx: Ctx, input: { code: string; storeId: string; note?: string | null }) => {
  assertStoreAccess(ctx, input.storeId);
  // A use at the store counts in its day's 日结: the store's row in share mode, refused once the day is closed.
  await assertDayOpen(tx, ctx, input.storeId);
  const row = await findVoucherByCode(tx, ctx.tenantId, input.code, { forUpdate: true });
  const snapshot = row.snapshot as VoucherSnapshot;
  if (row.status === 'used') {
    const when = row.usedAt ? row.usedAt.toISOString().slice(0, 16).replace('T', ' ') : '';
    throw new DomainError('conflict', 'VOUCHER_ALREADY_REDEEMED', `该券已于 ${when} 核销，不能重复使用`);
  }
  const problem = unusable(row, ctx.today);
  if (problem) throw new DomainError('rule', 'VOUCHER_UNUSABLE', problem);
  if (snapshot.kind !== 'item' && snapshot.kind !== 'gift') {
    throw new DomainError(
      'rule',
      'VOUCHER_USE_AT_CHECKOUT',
      `「${snapshot.title}」是${snapshot.kind === 'cash_off' ? '代金券' : '折扣券'}，请在收银开单时使用`,
    );
  }
  await tx
    .update(customerVouchers)
    .set({ status: 'used', usedAt: ctx.now, usedStoreId: input.storeId, usedAmountFen: snapshot.faceValueFen, updatedAt: ctx.now })
    .where(and(eq(customerVouchers.tenantId, ctx.tenantId), eq(customerVouchers.id, row.id)));
  await addEvent(tx, ctx, {
    voucherId: row.id,
    type: 'use',
    storeId: input.storeId,
    amountFen: snapshot.faceValueFen,
    reason: { via: 'code', note: input.note ?? null },
  });
  await writeAudit(tx, ctx.actor, {
    action: 'voucher.redeem',
    entityType: 'customer_voucher',
    entityId: row.id,
    before: { status: 'available' },
    after: { status: 'used', storeId: input.storeId },
  });
  return getWalletVoucherRow(tx, ctx.tenantId, row.id);
};

/** 作废: staff withdraw an unused voucher (issued by mistake), with a reason. */
export const voidVoucher = async (tx: Executor, ctx: Ctx, input: { voucherId: string; reason: string }) => {
  const row = await getWalletVoucherRow(tx, ctx.tenantId, input.voucherId, { forUpdate: true });
  if (row.status !== 'available') throw new DomainError('conflict', 'VOUCHER_NOT_AVAILABLE', row.status === 'used' ? '已使用的券不能作废' : '该券已作废');
  await tx
    .update(customerVouchers)
    .set({ status: 'voided', updatedAt: ctx.now })
    .where(and(eq(customerVouchers.tenantId, ctx.tenantId), eq(customerVouchers.id, row.id)));
  await addEvent(tx, ctx, { voucherId: row.id, type: 'void', reason: { reason: input.reason } });
  await writeAudit(tx, ctx.actor, {
    action: 'voucher.void',
    entityType: 'customer_voucher',
    entityId: row.id,
    before: { status: row.status },
    after: { status: 'voided', reason: input.reason },
  });
  return getWalletVoucherRow(tx, ctx.tenantId, row.id);
};

export const voucherHistory = async (tx: Executor, tenantId: string, voucherId: string) =>
  (
    await tx
      .select()
      .from(voucherEvents)
      .where(and(eq(voucherEvents.tenantId, tenantId), eq(voucherEvents.voucherId, voucherId)))
      .orderBy(asc(voucherEvents.createdAt), sql`${voucherEvents.id}`)
  ).map((event) => ({ ...event, amountFen: event.amountFen === null ? null : Number(event.amountFen), createdAt: event.createdAt.toISOString() }));

/** For customer filters: she holds an unused voucher whose last day falls from `today` through `days` days on (券将过期). */
export const vouchersExpiringCondition =
  (tenantId: string, today: string, days: number) =>
  (customerIdColumn: AnyColumn): SQL =>
    sql`exists (select 1 from ${customerVouchers} v where v.tenant_id = ${tenantId} and v.customer_id = ${customerIdColumn}
          and v.status = 'available' and v.valid_to >= ${today}::date and v.valid_to <= ${addDays(today, days)}::date)`;

/** For a receipt: the wallet vouchers an order used, with their customer-facing titles and amounts. */
export const vouchersUsedOnOrder = async (tx: Executor, tenantId: string, orderId: string) => {
  const rows = await tx
    .select({ snapshot: customerVouchers.snapshot, amountFen: customerVouchers.usedAmountFen })
    .from(customerVouchers)
    .where(and(eq(customerVouchers.tenantId, tenantId), eq(customerVouchers.usedOrderId, orderId)))
    .orderBy(asc(customerVouchers.usedAt), asc(customerVouchers.id));
  return rows.map((row) => ({ title: (row.snapshot as VoucherSnapshot).title, amountFen: row.amountFen ?? 0 }));
};
