import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { scoped } from '../../platform/tx-scope.js';
import { listCategories } from '../catalog/index.js';
import { getCustomerRow } from '../customers/index.js';
import { getSetting } from '../settings/index.js';
import { birthdayBenefitStatus, birthdayFromColumns } from './birthday.js';
import { activeTiers, measureFigures, toTierRule } from './evaluate.js';
import { progressToNext, type Retention, type TierBenefits } from './rules.js';
import type { MembershipView, TierView } from './schemas.js';
import { membershipSettingsSetting } from './settings.js';
import { customerTierChanges, customerTiers, membershipPendingGifts, membershipTiers } from './tables.js';

type TierRow = typeof membershipTiers.$inferSelect;

export const toTierView = (row: TierRow, customerCount = 0): TierView => ({
  id: row.id,
  name: row.name,
  rank: row.rank,
  description: row.description,
  criteria: row.criteria,
  retention: row.retention as Retention,
  benefits: row.benefits,
  customerCount,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** The tenant's tiers in rank order, with how many customers hold each. */
export const listTiers = async (tx: Executor, tenantId: string): Promise<TierView[]> => {
  const rows = await activeTiers(tx, tenantId);
  const counts = await tx
    .select({ tierId: customerTiers.tierId, customers: count() })
    .from(customerTiers)
    .where(eq(customerTiers.tenantId, tenantId))
    .groupBy(customerTiers.tierId);
  return rows.map((row) => toTierView(row, Number(counts.find((entry) => entry.tierId === row.id)?.customers ?? 0)));
};

export type CurrentTier = { id: string; name: string; rank: number; benefits: TierBenefits };

/** The scope key of a customer's current tier in a flow's transaction; the flow forgets it once the tier is weighed. */
export const currentTierScopeKey = (tenantId: string, customerId: string) => `current-tier:${tenantId}:${customerId}`;

/**
 * The tier a customer holds now, with its benefits (points weight, category discounts, …), for
 * the points rules at checkout and for pricing. Undefined: no tier (or tiers switched off).
 */

export const currentTierOf = async (tx: Executor, tenantId: string, customerId: string): Promise<CurrentTier | undefined> => {
  // Read by pricing and by the points earn of one checkout: once per flow.
  const [row] = await scoped(tx, currentTierScopeKey(tenantId, customerId), () => readCurrentTier(tx, tenantId, customerId));
  if (!row) return undefined;
  const settings = await getSetting(tx, tenantId, membershipSettingsSetting);
  if (!settings.isEnabled) return undefined;
  return { id: row.tier.id, name: row.tier.name, rank: row.tier.rank, benefits: row.tier.benefits };
};

const readCurrentTier = (tx: Executor, tenantId: string, customerId: string) =>
  tx
    .select({ tier: membershipTiers })
    .from(customerTiers)
    .innerJoin(membershipTiers, and(eq(membershipTiers.tenantId, customerTiers.tenantId), eq(membershipTiers.id, customerTiers.tierId)))
    .where(and(eq(customerTiers.tenantId, tenantId), eq(customerTiers.customerId, customerId), isNull(membershipTiers.archivedAt)));

/** The tier as the pricing function takes it: category id → rate in basis points (8000 = 8折); null without a tier. */
export const pricingTierOf = async (
  tx: Executor,
  tenantId: string,
  customerId: string,
): Promise<{ id: string; name: string; categoryDiscounts: Record<string, number> } | null> => {
  const tier = await currentTierOf(tx, tenantId, customerId);
  return tier ? toPricingTier(tier) : null;
};

/** A current tier as the pricing function takes it. */
export const toPricingTier = (tier: CurrentTier) => ({
  id: tier.id,
  name: tier.name,
  categoryDiscounts: Object.fromEntries(tier.benefits.categoryDiscounts.map((discount) => [discount.categoryId, discount.basisPoints])),
});

/** The customer's membership: tier, period, figures, progress to the next tier, birthday benefit, pending gifts and history. */
export const membershipOf = async (tx: Executor, ctx: Pick<Ctx, 'tenantId' | 'today' | 'timezone'>, customerId: string): Promise<MembershipView> => {
  const customer = await getCustomerRow(tx, ctx.tenantId, customerId);
  const settings = await getSetting(tx, ctx.tenantId, membershipSettingsSetting);
  const tiers = await activeTiers(tx, ctx.tenantId);
  const [held] = await tx
    .select()
    .from(customerTiers)
    .where(and(eq(customerTiers.tenantId, ctx.tenantId), eq(customerTiers.customerId, customerId)));
  const tier = tiers.find((entry) => entry.id === held?.tierId) ?? null;
  const figures = await measureFigures(tx, {
    tenantId: ctx.tenantId,
    customerId,
    today: ctx.today,
    timezone: ctx.timezone,
    windowMonths: settings.windowMonths,
    measure: settings.measure,
  });
  const progress = progressToNext(tiers.map(toTierRule), figures, tier?.id ?? null);
  const nextRow = tiers.find((entry) => entry.id === progress.next?.id);
  const birthday = birthdayBenefitStatus(tier?.benefits.birthday ?? null, birthdayFromColumns(customer), ctx.today);
  const gifts = await tx
    .select()
    .from(membershipPendingGifts)
    .where(
      and(eq(membershipPendingGifts.tenantId, ctx.tenantId), eq(membershipPendingGifts.customerId, customerId), eq(membershipPendingGifts.status, 'pending')),
    )
    .orderBy(membershipPendingGifts.createdAt, membershipPendingGifts.position);
  const history = await tx
    .select()
    .from(customerTierChanges)
    .where(and(eq(customerTierChanges.tenantId, ctx.tenantId), eq(customerTierChanges.customerId, customerId)))
    .orderBy(desc(customerTierChanges.createdAt), desc(customerTierChanges.id))
    .limit(100);
  const { customerCount: _, ...tierView } = tier ? toTierView(tier) : { customerCount: 0 };
  const categories = await listCategories(tx, ctx.tenantId);
  return {
    isEnabled: settings.isEnabled,
    tier: tier ? (tierView as MembershipView['tier']) : null,
    since: held && tier ? held.since.toISOString() : null,
    periodEndsOn: held && tier ? held.periodEndsOn : null,
    figures,
    next:
      progress.next && nextRow
        ? {
            tier: { id: nextRow.id, name: nextRow.name, rank: nextRow.rank, benefits: nextRow.benefits, description: nextRow.description },
            match: progress.next.match,
            percent: progress.percent,
            items: progress.items,
          }
        : null,
    birthday: { calendar: birthday.calendar, isBirthdayMonth: birthday.isBirthdayMonth, dates: birthday.dates, isAvailable: birthday.isAvailable },
    pendingGifts: gifts.map((gift) => ({
      id: gift.id,
      tierId: gift.tierId,
      name: gift.name,
      faceValueFen: gift.faceValueFen,
      quantity: gift.quantity,
      createdAt: gift.createdAt.toISOString(),
    })),
    history: history.map((row) => ({
      id: row.id,
      fromTier: { id: row.fromTierId, name: row.fromName },
      toTier: { id: row.toTierId, name: row.toName },
      direction: row.direction as 'up' | 'down' | 'manual',
      cause: row.cause,
      sourceId: row.sourceId,
      criterion: row.criterion,
      figures: row.figures as Record<string, unknown>,
      reasons: row.reasons,
      note: row.note,
      actorId: row.actorId,
      businessDate: row.businessDate,
      createdAt: row.createdAt.toISOString(),
    })),
    categoryNames: Object.fromEntries(categories.map((category) => [category.id, category.name])),
  };
};
