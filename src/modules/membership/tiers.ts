import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { type Actor, writeAudit } from '../../platform/audit.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { itemCategories } from '../catalog/index.js';
import { activeTiers } from './evaluate.js';
import { listTiers, toTierView } from './queries.js';
import type { TierInput, TierView } from './schemas.js';
import { customerTiers, membershipTiers } from './tables.js';
import { forbiddenWordsIn } from './wording.js';

/** Checks what zod cannot: wording of customer-facing text, unique names, categories that exist. */
const checkTier = async (tx: Executor, tenantId: string, input: TierInput, id: string | null) => {
  const words = [
    ...new Set([
      ...forbiddenWordsIn(input.description),
      ...forbiddenWordsIn(input.name),
      ...input.benefits.upgradeGifts.flatMap((gift) => forbiddenWordsIn(gift.name)),
    ]),
  ];
  if (words.length > 0) {
    throw new DomainError('rule', 'WORDING_FORBIDDEN', `面向客户的文字含广告法禁用词：${words.join('、')}`, [
      { path: 'body.description', message: `禁用词：${words.join('、')}` },
    ]);
  }
  const tiers = await activeTiers(tx, tenantId);
  if (tiers.some((tier) => tier.name === input.name && tier.id !== id)) {
    throw new DomainError('conflict', 'TIER_NAME_TAKEN', `已有名为「${input.name}」的等级`, [{ path: 'body.name', message: '名称已存在' }]);
  }
  const categoryIds = [
    ...input.benefits.categoryDiscounts.map((discount) => discount.categoryId),
    ...(input.benefits.birthday?.categoryId ? [input.benefits.birthday.categoryId] : []),
  ];
  if (categoryIds.length > 0) {
    const found = await tx
      .select({ id: itemCategories.id })
      .from(itemCategories)
      .where(and(eq(itemCategories.tenantId, tenantId), inArray(itemCategories.id, categoryIds)));
    const missing = categoryIds.filter((categoryId) => !found.some((row) => row.id === categoryId));
    if (missing.length > 0) throw new DomainError('rule', 'CATEGORY_NOT_FOUND', '品项分类不存在', [{ path: 'body.benefits', message: '分类不存在' }]);
  }
};

const getTierRow = async (tx: Executor, tenantId: string, id: string) => {
  const [row] = await tx
    .select()
    .from(membershipTiers)
    .where(and(eq(membershipTiers.tenantId, tenantId), eq(membershipTiers.id, id), isNull(membershipTiers.archivedAt)))
    .for('update');
  if (!row) throw notFound('会员等级', 'TIER_NOT_FOUND');
  return row;
};

/** A new tier goes on top (the highest rank); reorder to move it. */
export const createTier = async (tx: Executor, actor: Actor, input: TierInput, now: Date): Promise<TierView> => {
  await checkTier(tx, actor.tenantId, input, null);
  const [top] = await queryRows<{ rank: number }>(
    tx,
    sql`select coalesce(max(rank), 0)::int as rank from ${membershipTiers} where tenant_id = ${actor.tenantId} and archived_at is null`,
  );
  const row = {
    tenantId: actor.tenantId,
    id: newId(),
    name: input.name,
    rank: Number(top?.rank ?? 0) + 1,
    description: input.description,
    criteria: input.criteria,
    retention: input.retention,
    benefits: input.benefits,
    archivedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await tx.insert(membershipTiers).values(row);
  await writeAudit(tx, actor, { action: 'membership.tier_create', entityType: 'membership_tier', entityId: row.id, after: row });
  return toTierView(row);
};

/** Changing criteria applies from the next evaluation on; tiers already held change only through evaluation or retention. */
export const updateTier = async (tx: Executor, actor: Actor, id: string, input: TierInput, now: Date): Promise<TierView> => {
  const before = await getTierRow(tx, actor.tenantId, id);
  await checkTier(tx, actor.tenantId, input, id);
  const after = { ...before, ...input, updatedAt: now };
  await tx
    .update(membershipTiers)
    .set({ name: input.name, description: input.description, criteria: input.criteria, retention: input.retention, benefits: input.benefits, updatedAt: now })
    .where(and(eq(membershipTiers.tenantId, actor.tenantId), eq(membershipTiers.id, id)));
  await writeAudit(tx, actor, { action: 'membership.tier_update', entityType: 'membership_tier', entityId: id, before, after });
  return toTierView(after);
};

/** Tiers are archived, never deleted (history names them); one still held by customers cannot go. */
export const archiveTier = async (tx: Executor, actor: Actor, id: string, now: Date) => {
  const before = await getTierRow(tx, actor.tenantId, id);
  const [held] = await queryRows<{ customers: number }>(
    tx,
    sql`select count(*)::int as customers from ${customerTiers} where tenant_id = ${actor.tenantId} and (tier_id = ${id} or floor_tier_id = ${id})`,
  );
  const customers = Number(held?.customers ?? 0);
  if (customers > 0) throw new DomainError('rule', 'TIER_IN_USE', `还有 ${customers} 位客户持有「${before.name}」，请先调整他们的等级`);
  await tx
    .update(membershipTiers)
    .set({ archivedAt: now, updatedAt: now })
    .where(and(eq(membershipTiers.tenantId, actor.tenantId), eq(membershipTiers.id, id)));
  await writeAudit(tx, actor, { action: 'membership.tier_archive', entityType: 'membership_tier', entityId: id, before });
};

/** Reorders every tier at once: the list goes from the lowest tier to the highest. */
export const reorderTiers = async (tx: Executor, actor: Actor, tierIds: string[], now: Date): Promise<TierView[]> => {
  const tiers = await tx
    .select()
    .from(membershipTiers)
    .where(and(eq(membershipTiers.tenantId, actor.tenantId), isNull(membershipTiers.archivedAt)))
    .for('update');
  const known = new Set(tiers.map((tier) => tier.id));
  if (tierIds.length !== tiers.length || new Set(tierIds).size !== tierIds.length || tierIds.some((id) => !known.has(id))) {
    throw new DomainError('invalid', 'TIER_ORDER_INVALID', '请提交全部等级，每个一次', [{ path: 'body.tierIds', message: '须包含全部等级各一次' }]);
  }
  for (const [index, id] of tierIds.entries()) {
    await tx
      .update(membershipTiers)
      .set({ rank: index + 1, updatedAt: now })
      .where(and(eq(membershipTiers.tenantId, actor.tenantId), eq(membershipTiers.id, id)));
  }
  await writeAudit(tx, actor, {
    action: 'membership.tier_reorder',
    entityType: 'membership_tier',
    before: tiers.sort((a, b) => a.rank - b.rank).map((tier) => tier.id),
    after: tierIds,
  });
  return listTiers(tx, actor.tenantId);
};
