import { and, asc, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { pinyin } from 'pinyin-pro';
import type { Executor } from '../../db/client.js';
import { type Actor, writeAudit } from '../../platform/audit.js';
import { DomainError, mapConstraintError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { pinyinKeys } from '../../platform/pinyin.js';
import { scoped } from '../../platform/tx-scope.js';
import type { ItemInput, ItemView } from './schemas.js';
import { itemCategories, items, packageContents } from './tables.js';

export type ItemRow = typeof items.$inferSelect;

const courseKinds = new Set(['package', 'card']);

/** SGZS for 水光注射: the first letters of the everyday reading. */
export const defaultShortCode = (name: string) =>
  pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .slice(0, 20) || 'ITEM';

const searchKeysOf = (name: string, shortCode: string) => [...new Set([...pinyinKeys(name), shortCode.toLowerCase()])];

export const listCategories = async (tx: Executor, tenantId: string) => {
  const rows = await tx
    .select({ id: itemCategories.id, name: itemCategories.name, sortOrder: itemCategories.sortOrder, itemCount: count(items.id) })
    .from(itemCategories)
    .leftJoin(items, and(eq(items.tenantId, itemCategories.tenantId), eq(items.categoryId, itemCategories.id)))
    .where(eq(itemCategories.tenantId, tenantId))
    .groupBy(itemCategories.tenantId, itemCategories.id)
    .orderBy(asc(itemCategories.sortOrder), asc(itemCategories.name));
  return rows.map((row) => ({ ...row, itemCount: Number(row.itemCount) }));
};

export const createCategory = async (tx: Executor, actor: Actor, input: { name: string; sortOrder?: number }) => {
  const [row] = await tx
    .insert(itemCategories)
    .values({ tenantId: actor.tenantId, id: newId(), name: input.name, sortOrder: input.sortOrder ?? 0 })
    .returning()
    .catch((error: unknown) =>
      mapConstraintError(error, { item_categories_name_key: new DomainError('conflict', 'CATEGORY_NAME_TAKEN', `分类「${input.name}」已存在`) }),
    );
  if (!row) throw new Error('category insert returned nothing');
  await writeAudit(tx, actor, { action: 'catalog.category.create', entityType: 'item_category', entityId: row.id, after: row });
  return { ...row, itemCount: 0 };
};

const contentsOf = async (tx: Executor, tenantId: string, packageIds: string[]) => {
  if (packageIds.length === 0) return new Map<string, ItemView['contents']>();
  const rows = await tx
    .select({
      packageId: packageContents.packageId,
      itemId: packageContents.itemId,
      sessions: packageContents.sessions,
      name: items.name,
      priceFen: items.priceFen,
    })
    .from(packageContents)
    .innerJoin(items, and(eq(items.tenantId, packageContents.tenantId), eq(items.id, packageContents.itemId)))
    .where(and(eq(packageContents.tenantId, tenantId), inArray(packageContents.packageId, packageIds)))
    .orderBy(asc(items.name));
  const byPackage = new Map<string, ItemView['contents']>();
  for (const row of rows) {
    const list = byPackage.get(row.packageId) ?? [];
    list.push({ itemId: row.itemId, name: row.name, sessions: row.sessions, priceFen: row.priceFen });
    byPackage.set(row.packageId, list);
  }
  return byPackage;
};

export const toItemViews = async (tx: Executor, tenantId: string, rows: ItemRow[]): Promise<ItemView[]> => {
  const contents = await contentsOf(
    tx,
    tenantId,
    rows.filter((row) => courseKinds.has(row.kind)).map((row) => row.id),
  );
  const categoryIds = [...new Set(rows.flatMap((row) => (row.categoryId ? [row.categoryId] : [])))];
  const categories = categoryIds.length
    ? await tx
        .select({ id: itemCategories.id, name: itemCategories.name })
        .from(itemCategories)
        .where(and(eq(itemCategories.tenantId, tenantId), inArray(itemCategories.id, categoryIds)))
    : [];
  const categoryNames = new Map(categories.map((category) => [category.id, category.name]));
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as ItemView['kind'],
    name: row.name,
    categoryId: row.categoryId,
    categoryName: row.categoryId ? (categoryNames.get(row.categoryId) ?? null) : null,
    shortCode: row.shortCode,
    priceFen: row.priceFen,
    unit: row.unit,
    validityDays: row.validityDays,
    isActive: row.isActive,
    contents: contents.get(row.id) ?? [],
    createdAt: row.createdAt.toISOString(),
  }));
};

export const getItemRow = async (tx: Executor, tenantId: string, id: string) => {
  const [row] = await tx
    .select()
    .from(items)
    .where(and(eq(items.tenantId, tenantId), eq(items.id, id)));
  if (!row) throw notFound('品项', 'ITEM_NOT_FOUND');
  return row;
};

export const itemsByIds = async (tx: Executor, tenantId: string, ids: string[]): Promise<ItemRow[]> =>
  // Read by the lines, then by the points earn of one checkout: once per flow.
  ids.length === 0 ? [] : scoped(tx, `items:${tenantId}:${[...ids].sort().join(',')}`, () => readItemsByIds(tx, tenantId, ids));

const readItemsByIds = async (tx: Executor, tenantId: string, ids: string[]) =>
  ids.length === 0
    ? []
    : tx
        .select()
        .from(items)
        .where(and(eq(items.tenantId, tenantId), inArray(items.id, [...new Set(ids)])));

/** A package or card holds service items (each at least one session); other kinds hold nothing. */
const checkContents = async (tx: Executor, tenantId: string, kind: string, contents: ItemInput['contents'], selfId?: string) => {
  if (!courseKinds.has(kind)) {
    if (contents && contents.length > 0)
      throw new DomainError('rule', 'ITEM_CONTENTS_NOT_ALLOWED', '只有套餐和卡项可以包含项目', [
        { path: 'body.contents', message: '只有套餐和卡项可以包含项目' },
      ]);
    return;
  }
  if (!contents || contents.length === 0)
    throw new DomainError('rule', 'ITEM_CONTENTS_REQUIRED', '套餐或卡项至少包含一个服务项目', [{ path: 'body.contents', message: '请添加包含的项目' }]);
  const ids = contents.map((content) => content.itemId);
  if (new Set(ids).size !== ids.length)
    throw new DomainError('rule', 'ITEM_CONTENTS_DUPLICATE', '同一项目只能添加一次', [{ path: 'body.contents', message: '项目重复' }]);
  const found = await itemsByIds(tx, tenantId, ids);
  contents.forEach((content, index) => {
    const item = found.find((row) => row.id === content.itemId);
    if (!item || item.id === selfId)
      throw new DomainError('rule', 'ITEM_NOT_FOUND', '包含的项目不存在', [{ path: `body.contents.${index}.itemId`, message: '项目不存在' }]);
    if (item.kind !== 'service') {
      throw new DomainError('rule', 'ITEM_CONTENTS_KIND', `「${item.name}」不是服务项目，不能作为疗程内容`, [
        { path: `body.contents.${index}.itemId`, message: '只能包含服务项目' },
      ]);
    }
  });
};

const checkCategory = async (tx: Executor, tenantId: string, categoryId: string | null | undefined) => {
  if (!categoryId) return;
  const [row] = await tx
    .select({ id: itemCategories.id })
    .from(itemCategories)
    .where(and(eq(itemCategories.tenantId, tenantId), eq(itemCategories.id, categoryId)));
  if (!row) throw new DomainError('rule', 'CATEGORY_NOT_FOUND', '分类不存在', [{ path: 'body.categoryId', message: '分类不存在' }]);
};

const writeContents = async (tx: Executor, tenantId: string, packageId: string, contents: ItemInput['contents']) => {
  await tx.delete(packageContents).where(and(eq(packageContents.tenantId, tenantId), eq(packageContents.packageId, packageId)));
  if (contents && contents.length > 0) {
    await tx.insert(packageContents).values(contents.map((content) => ({ tenantId, packageId, itemId: content.itemId, sessions: content.sessions })));
  }
};

/**
 * `isCardProduct`: the item is the price carrier of a membership or stored-value card product
 * (modules/cards), which holds no sessions.
 */
export const createItem = async (tx: Executor, actor: Actor, input: ItemInput, options: { isCardProduct?: boolean } = {}): Promise<ItemView> => {
  await checkCategory(tx, actor.tenantId, input.categoryId);
  if (!options.isCardProduct) await checkContents(tx, actor.tenantId, input.kind, input.contents);
  const shortCode = (input.shortCode ?? defaultShortCode(input.name)).toUpperCase();
  const [row] = await tx
    .insert(items)
    .values({
      tenantId: actor.tenantId,
      id: newId(),
      kind: input.kind,
      name: input.name,
      categoryId: input.categoryId ?? null,
      shortCode,
      searchKeys: searchKeysOf(input.name, shortCode),
      priceFen: input.priceFen,
      unit: input.unit ?? (courseKinds.has(input.kind) ? '份' : '次'),
      validityDays: courseKinds.has(input.kind) ? (input.validityDays ?? null) : null,
      isActive: input.isActive ?? true,
    })
    .returning();
  if (!row) throw new Error('item insert returned nothing');
  await writeContents(tx, actor.tenantId, row.id, input.contents);
  await writeAudit(tx, actor, { action: 'catalog.item.create', entityType: 'item', entityId: row.id, after: { ...row, contents: input.contents ?? [] } });
  const [view] = await toItemViews(tx, actor.tenantId, [row]);
  if (!view) throw new Error('item view missing');
  return view;
};

export const updateItem = async (tx: Executor, actor: Actor, id: string, patch: Partial<ItemInput>): Promise<ItemView> => {
  const [before] = await tx
    .select()
    .from(items)
    .where(and(eq(items.tenantId, actor.tenantId), eq(items.id, id)))
    .for('update');
  if (!before) throw notFound('品项', 'ITEM_NOT_FOUND');
  if (patch.kind && patch.kind !== before.kind)
    throw new DomainError('rule', 'ITEM_KIND_FIXED', '品项类别创建后不能修改，请新建品项', [{ path: 'body.kind', message: '不能修改' }]);
  await checkCategory(tx, actor.tenantId, patch.categoryId);
  if (patch.contents !== undefined) await checkContents(tx, actor.tenantId, before.kind, patch.contents, id);
  const name = patch.name ?? before.name;
  // A rename keeps the desk's short code; only an explicit new code changes it.
  const shortCode = (patch.shortCode ?? before.shortCode).toUpperCase();
  const [after] = await tx
    .update(items)
    .set({
      name,
      shortCode,
      searchKeys: searchKeysOf(name, shortCode),
      ...(patch.categoryId !== undefined ? { categoryId: patch.categoryId } : {}),
      ...(patch.priceFen !== undefined ? { priceFen: patch.priceFen } : {}),
      ...(patch.unit !== undefined ? { unit: patch.unit } : {}),
      ...(patch.validityDays !== undefined && courseKinds.has(before.kind) ? { validityDays: patch.validityDays } : {}),
      ...(patch.isActive !== undefined ? { isActive: patch.isActive } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(items.tenantId, actor.tenantId), eq(items.id, id)))
    .returning();
  if (!after) throw notFound('品项', 'ITEM_NOT_FOUND');
  if (patch.contents !== undefined) await writeContents(tx, actor.tenantId, id, patch.contents);
  await writeAudit(tx, actor, { action: 'catalog.item.update', entityType: 'item', entityId: id, before, after });
  const [view] = await toItemViews(tx, actor.tenantId, [after]);
  if (!view) throw new Error('item view missing');
  return view;
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export const listItems = async (
  tx: Executor,
  tenantId: string,
  query: { q?: string; kind?: string; categoryId?: string; includeInactive?: boolean; page: number; pageSize: number },
) => {
  const q = query.q?.trim();
  const latin = q?.toLowerCase().replace(/\s+/g, '');
  const conditions: (SQL | undefined)[] = [
    eq(items.tenantId, tenantId),
    query.kind ? eq(items.kind, query.kind) : undefined,
    query.categoryId ? eq(items.categoryId, query.categoryId) : undefined,
    query.includeInactive ? undefined : eq(items.isActive, true),
    q
      ? latin && /^[a-z0-9]+$/.test(latin)
        ? sql`(exists (select 1 from unnest(${items.searchKeys}) as key where key like ${`${latin}%`}) or ${items.name} ilike ${`%${escapeLike(q)}%`})`
        : sql`${items.name} ilike ${`%${escapeLike(q)}%`}`
      : undefined,
  ];
  const where = and(...conditions);
  // What the desk typed exactly (a short code, the pinyin initials, the whole name) comes first,
  // then names that start with it, then the rest: Enter on `xy` adds 洗牙, not 洗牙年卡.
  const ranked = q
    ? [
        sql`(case when ${latin ?? ''} = any(${items.searchKeys}) or ${items.name} = ${q} then 0
                when ${items.name} like ${`${escapeLike(q)}%`} or exists (select 1 from unnest(${items.searchKeys}) as key where key like ${`${latin ?? ''}%`} and ${latin ?? ''} <> '') then 1
                else 2 end)`,
      ]
    : [];
  const rows = await tx
    .select()
    .from(items)
    .where(where)
    .orderBy(desc(items.isActive), ...ranked, asc(items.kind), asc(items.name))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const [total] = await tx.select({ total: count() }).from(items).where(where);
  return { items: await toItemViews(tx, tenantId, rows), total: Number(total?.total ?? 0) };
};

export const packageContentsOf = async (tx: Executor, tenantId: string, packageId: string) =>
  (await contentsOf(tx, tenantId, [packageId])).get(packageId) ?? [];
