import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { addDays } from '../../platform/clock.js';
import type { Ctx } from '../../platform/context.js';
import { newId } from '../../platform/ids.js';
import { membershipPendingGifts } from '../membership/index.js';
import { getSetting } from '../settings/index.js';
import { voucherDistributionSetting } from './distribution-settings.js';
import { insertVouchers } from './issue.js';
import type { VoucherSnapshot } from './schemas.js';
import { customerVouchers, voucherEvents } from './tables.js';
import { voucherTitle, wholeOrderLabel, yuanShort } from './title.js';

/** 「¥100 代金券」 already says its value; the title adds it again, so the name keeps only the words. */
const giftName = (name: string, faceValueFen: number) => name.replace(yuanShort(faceValueFen), '').trim() || '代金券';

/** A tier's upgrade gift as a wallet voucher: cash off the whole order (cards excepted), no threshold. */
export const tierGiftSnapshot = (gift: { name: string; faceValueFen: number }, validTo: string): VoucherSnapshot => {
  const fields = {
    name: giftName(gift.name, gift.faceValueFen),
    kind: 'cash_off' as const,
    faceValueFen: gift.faceValueFen,
    thresholdFen: 0,
    discountBasisPoints: null,
    maxOffFen: null,
  };
  return {
    ...fields,
    title: voucherTitle(fields, wholeOrderLabel, { kind: 'issued', to: validTo }),
    scope: { itemIds: [], categoryIds: [] },
    scopeLabel: wholeOrderLabel,
    channels: ['store'],
    isStackable: true,
    description: '会员升级礼',
  };
};

/**
 * 升级礼: turns pending upgrade gifts (membership_pending_gifts) into wallet vouchers with no
 * template, valid for the tenant's `upgradeGiftValidDays` from today, and marks them issued. Keys
 * name the gift and the tier change that earned it, so a gift regained after a refund took it away
 * is given again, and the same change never gives twice. Called in the upgrade's transaction, and
 * by the sweep for any still pending.
 */
export const issuePendingTierGifts = async (tx: Executor, ctx: Ctx, filter: { customerId?: string; limit?: number } = {}): Promise<number> => {
  const gifts = await tx
    .select()
    .from(membershipPendingGifts)
    .where(
      and(
        eq(membershipPendingGifts.tenantId, ctx.tenantId),
        eq(membershipPendingGifts.status, 'pending'),
        filter.customerId ? eq(membershipPendingGifts.customerId, filter.customerId) : undefined,
      ),
    )
    .orderBy(membershipPendingGifts.createdAt, membershipPendingGifts.id)
    .limit(filter.limit ?? 1000)
    .for('update', { skipLocked: true });
  if (gifts.length === 0) return 0;
  const { upgradeGiftValidDays } = await getSetting(tx, ctx.tenantId, voucherDistributionSetting);
  const validTo = addDays(ctx.today, upgradeGiftValidDays - 1);
  let issued = 0;
  for (const gift of gifts) {
    const snapshot = tierGiftSnapshot(gift, validTo);
    const list = Array.from({ length: gift.quantity }, (_, index) => ({
      customerId: gift.customerId,
      issueKey: `tier-gift:${gift.id}:${gift.changeId}#${index + 1}`,
      useNo: null,
      templateId: null,
      snapshot,
      validFrom: ctx.today,
      validTo,
    }));
    await insertVouchers(tx, ctx, list, { source: 'tier_gift', sourceRef: gift.id });
    await tx
      .update(membershipPendingGifts)
      .set({ status: 'issued', updatedAt: ctx.now })
      .where(and(eq(membershipPendingGifts.tenantId, ctx.tenantId), eq(membershipPendingGifts.id, gift.id)));
    issued += list.length;
  }
  return issued;
};

/**
 * When a refund takes a tier back, its upgrade gifts go too: unused gift vouchers are voided (a
 * used one stays used — the order it paid for is the refund's business). Returns the vouchers voided.
 */
export const voidTierGiftVouchers = async (tx: Executor, ctx: Ctx, giftIds: readonly string[]): Promise<number> => {
  if (giftIds.length === 0) return 0;
  const voided = await tx
    .update(customerVouchers)
    .set({ status: 'voided', updatedAt: ctx.now })
    .where(
      and(
        eq(customerVouchers.tenantId, ctx.tenantId),
        eq(customerVouchers.source, 'tier_gift'),
        inArray(customerVouchers.sourceRef, [...giftIds]),
        eq(customerVouchers.status, 'available'),
      ),
    )
    .returning({ id: customerVouchers.id });
  if (voided.length > 0) {
    await tx.insert(voucherEvents).values(
      voided.map((row) => ({
        tenantId: ctx.tenantId,
        id: newId(),
        voucherId: row.id,
        type: 'void',
        reason: { reason: '会员等级因退款回退，升级礼收回' },
        actorId: ctx.actor.id,
        createdAt: ctx.now,
      })),
    );
  }
  return voided.length;
};

/** Gifts of a customer at tiers above `rank`, pending or issued: what a lost tier takes back. */
export const giftIdsAbove = async (tx: Executor, ctx: Ctx, customerId: string, tierIds: readonly string[]) => {
  if (tierIds.length === 0) return [];
  const rows = await tx
    .select({ id: membershipPendingGifts.id })
    .from(membershipPendingGifts)
    .where(
      and(
        eq(membershipPendingGifts.tenantId, ctx.tenantId),
        eq(membershipPendingGifts.customerId, customerId),
        inArray(membershipPendingGifts.tierId, [...tierIds]),
        sql`${membershipPendingGifts.status} in ('pending', 'issued')`,
      ),
    );
  return rows.map((row) => row.id);
};
