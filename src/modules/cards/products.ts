import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type Actor, writeAudit } from '../../platform/audit.js';
import { DomainError, mapConstraintError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { createItem, getItemRow, itemsByIds, packageContentsOf, updateItem } from '../catalog/index.js';
import { assertCustomerWording } from '../membership/index.js';
import type { CardProductInput, CardProductKind, CardProductPatch, CardProductView } from './schemas.js';
import { cardProducts, type MemberLimits } from './tables.js';

export type CardProductRow = typeof cardProducts.$inferSelect;

/** Seed 004: 一家最多八人共享 — eight people, the owner included. */
export const defaultFamilyLimit = 8;
const defaultMemberLimits: MemberLimits = { usesPerMember: null, period: 'year' };

const rule = (code: string, message: string, path: string) => new DomainError('rule', code, message, [{ path, message }]);

const toViews = async (tx: Executor, tenantId: string, rows: CardProductRow[]): Promise<CardProductView[]> => {
  const found = await itemsByIds(
    tx,
    tenantId,
    rows.map((row) => row.itemId),
  );
  const views: CardProductView[] = [];
  for (const row of rows) {
    const item = found.find((candidate) => candidate.id === row.itemId);
    const contents = row.kind === 'course' ? await packageContentsOf(tx, tenantId, row.itemId) : [];
    views.push({
      id: row.id,
      kind: row.kind as CardProductKind,
      itemId: row.itemId,
      itemKind: item?.kind ?? 'card',
      name: row.name,
      description: row.description,
      priceFen: item?.priceFen ?? 0,
      isActive: row.isActive && (item?.isActive ?? false),
      validity: row.validity as 'annual' | 'lifetime' | null,
      familyLimit: row.familyLimit,
      discountRules: row.discountRules,
      bundledVouchers: row.bundledVouchers,
      memberLimits: row.memberLimits,
      bonusFen: row.bonusFen,
      grantsTierId: row.grantsTierId,
      terms: row.terms,
      contents: contents.map((content) => ({ itemId: content.itemId, name: content.name, sessions: content.sessions })),
      createdAt: row.createdAt.toISOString(),
    });
  }
  return views;
};

export const listCardProducts = async (tx: Executor, tenantId: string, options: { kind?: CardProductKind; includeInactive?: boolean } = {}) => {
  const rows = await tx
    .select()
    .from(cardProducts)
    .where(and(eq(cardProducts.tenantId, tenantId), options.kind ? eq(cardProducts.kind, options.kind) : undefined))
    .orderBy(asc(cardProducts.kind), asc(cardProducts.createdAt));
  const views = await toViews(tx, tenantId, rows);
  return options.includeInactive ? views : views.filter((view) => view.isActive);
};

export const getCardProductRow = async (tx: Executor, tenantId: string, id: string) => {
  const [row] = await tx
    .select()
    .from(cardProducts)
    .where(and(eq(cardProducts.tenantId, tenantId), eq(cardProducts.id, id)));
  if (!row) throw notFound('卡项', 'CARD_PRODUCT_NOT_FOUND');
  return row;
};

export const getCardProduct = async (tx: Executor, tenantId: string, id: string): Promise<CardProductView> => {
  const [view] = await toViews(tx, tenantId, [await getCardProductRow(tx, tenantId, id)]);
  if (!view) throw notFound('卡项', 'CARD_PRODUCT_NOT_FOUND');
  return view;
};

/** The card products behind catalog items (an order's lines), by item id. */
export const cardProductsByItems = async (tx: Executor, tenantId: string, itemIds: string[]) =>
  itemIds.length === 0
    ? []
    : tx
        .select()
        .from(cardProducts)
        .where(and(eq(cardProducts.tenantId, tenantId), inArray(cardProducts.itemId, [...new Set(itemIds)])));

const checkShape = (input: CardProductInput | (CardProductPatch & { kind: CardProductKind })) => {
  if (input.kind !== 'membership') {
    for (const field of ['validity', 'familyLimit', 'discountRules', 'bundledVouchers', 'memberLimits'] as const) {
      if (input[field] !== undefined)
        throw new DomainError('invalid', 'CARD_PRODUCT_FIELD', '只有付费会员卡可以设置该项', [{ path: `body.${field}`, message: '仅会员卡' }]);
    }
  }
  if (input.kind !== 'stored_value' && input.bonusFen) {
    throw new DomainError('invalid', 'CARD_PRODUCT_FIELD', '只有储值卡可以设置赠送金额', [{ path: 'body.bonusFen', message: '仅储值卡' }]);
  }
  if (input.kind === 'course' && input.grantsTierId) {
    throw new DomainError('invalid', 'CARD_PRODUCT_FIELD', '疗程卡不授予等级', [{ path: 'body.grantsTierId', message: '不适用' }]);
  }
};

/**
 * 新建卡项. Membership and stored-value cards get a catalog item of kind `card` carrying the
 * price, so they sell at the desk like any item; a course product links an existing package.
 */
/** The card product's texts a customer reads: name, description and the vouchers it bundles. */
const checkWording = (input: { name?: string | undefined; description?: string | null | undefined; bundledVouchers?: { name: string }[] | undefined }) =>
  assertCustomerWording({
    'body.name': input.name,
    'body.description': input.description,
    ...Object.fromEntries((input.bundledVouchers ?? []).map((voucher, index) => [`body.bundledVouchers.${index}.name`, voucher.name])),
  });

export const createCardProduct = async (tx: Executor, actor: Actor, input: CardProductInput): Promise<CardProductView> => {
  checkShape(input);
  checkWording(input);
  let itemId: string;
  if (input.kind === 'course') {
    if (!input.itemId) throw new DomainError('invalid', 'CARD_PRODUCT_ITEM_REQUIRED', '请选择疗程或套餐', [{ path: 'body.itemId', message: '必填' }]);
    const item = await getItemRow(tx, actor.tenantId, input.itemId).catch(() => {
      throw rule('ITEM_NOT_FOUND', '品项不存在', 'body.itemId');
    });
    if (item.kind !== 'package' && item.kind !== 'card') throw rule('CARD_PRODUCT_ITEM_KIND', '只能关联套餐或疗程卡', 'body.itemId');
    itemId = item.id;
  } else {
    if (input.itemId) throw new DomainError('invalid', 'CARD_PRODUCT_FIELD', '会员卡与储值卡会自动生成品项', [{ path: 'body.itemId', message: '不适用' }]);
    if (input.priceFen === undefined)
      throw new DomainError('invalid', 'CARD_PRODUCT_PRICE_REQUIRED', '请填写价格', [{ path: 'body.priceFen', message: '必填' }]);
    if (input.kind === 'stored_value' && input.priceFen <= 0) throw rule('CARD_PRODUCT_PRICE', '储值金额须大于 0', 'body.priceFen');
    const item = await createItem(
      tx,
      actor,
      { kind: 'card', name: input.name, categoryId: input.categoryId ?? null, priceFen: input.priceFen, unit: '张', isActive: input.isActive ?? true },
      { isCardProduct: true },
    );
    itemId = item.id;
  }
  const row: Omit<CardProductRow, 'createdAt' | 'updatedAt'> = {
    tenantId: actor.tenantId,
    id: newId(),
    kind: input.kind,
    itemId,
    name: input.name,
    description: input.description ?? null,
    isActive: input.isActive ?? true,
    validity: input.kind === 'membership' ? (input.validity ?? 'annual') : null,
    familyLimit: input.kind === 'membership' ? (input.familyLimit ?? defaultFamilyLimit) : null,
    discountRules: input.discountRules ?? [],
    bundledVouchers: input.bundledVouchers ?? [],
    memberLimits: input.memberLimits ?? defaultMemberLimits,
    bonusFen: input.kind === 'stored_value' ? (input.bonusFen ?? 0) : 0,
    grantsTierId: input.grantsTierId ?? null,
    terms: input.terms ?? null,
  };
  await tx
    .insert(cardProducts)
    .values(row)
    .catch((error: unknown) =>
      mapConstraintError(error, {
        card_products_item_key: new DomainError('conflict', 'CARD_PRODUCT_EXISTS', '该品项已经是卡项', [{ path: 'body.itemId', message: '已存在' }]),
      }),
    );
  await writeAudit(tx, actor, { action: 'cards.product.create', entityType: 'card_product', entityId: row.id, after: row });
  return getCardProduct(tx, actor.tenantId, row.id);
};

/** Changes apply to future sales; cards already sold keep the terms they were sold with. */
export const updateCardProduct = async (tx: Executor, actor: Actor, id: string, patch: CardProductPatch): Promise<CardProductView> => {
  const [before] = await tx
    .select()
    .from(cardProducts)
    .where(and(eq(cardProducts.tenantId, actor.tenantId), eq(cardProducts.id, id)))
    .for('update');
  if (!before) throw notFound('卡项', 'CARD_PRODUCT_NOT_FOUND');
  const kind = before.kind as CardProductKind;
  checkShape({ ...patch, kind });
  checkWording(patch);
  if (kind !== 'course' && (patch.name !== undefined || patch.priceFen !== undefined || patch.isActive !== undefined || patch.categoryId !== undefined)) {
    await updateItem(tx, actor, before.itemId, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.priceFen !== undefined ? { priceFen: patch.priceFen } : {}),
      ...(patch.isActive !== undefined ? { isActive: patch.isActive } : {}),
      ...(patch.categoryId !== undefined ? { categoryId: patch.categoryId } : {}),
    });
  } else if (kind === 'course' && patch.priceFen !== undefined) {
    throw new DomainError('invalid', 'CARD_PRODUCT_FIELD', '疗程卡的价格请在品项中修改', [{ path: 'body.priceFen', message: '不适用' }]);
  }
  const changes = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.isActive !== undefined ? { isActive: patch.isActive } : {}),
    ...(patch.validity !== undefined ? { validity: patch.validity } : {}),
    ...(patch.familyLimit !== undefined ? { familyLimit: patch.familyLimit } : {}),
    ...(patch.discountRules !== undefined ? { discountRules: patch.discountRules } : {}),
    ...(patch.bundledVouchers !== undefined ? { bundledVouchers: patch.bundledVouchers } : {}),
    ...(patch.memberLimits !== undefined ? { memberLimits: patch.memberLimits } : {}),
    ...(patch.bonusFen !== undefined ? { bonusFen: patch.bonusFen } : {}),
    ...(patch.grantsTierId !== undefined ? { grantsTierId: patch.grantsTierId } : {}),
    ...(patch.terms !== undefined ? { terms: patch.terms } : {}),
    updatedAt: sql`now()`,
  };
  const [after] = await tx
    .update(cardProducts)
    .set(changes)
    .where(and(eq(cardProducts.tenantId, actor.tenantId), eq(cardProducts.id, id)))
    .returning();
  await writeAudit(tx, actor, { action: 'cards.product.update', entityType: 'card_product', entityId: id, before, after });
  return getCardProduct(tx, actor.tenantId, id);
};
