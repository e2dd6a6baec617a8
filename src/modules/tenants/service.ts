import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type Actor, writeAudit } from '../../platform/audit.js';
import { isValidTimeZone } from '../../platform/clock.js';
import { DomainError, mapConstraintError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { stores, tenantLogos, tenants } from './tables.js';

export type Tenant = typeof tenants.$inferSelect;
export type Store = typeof stores.$inferSelect;

/** Clinic codes: what staff type at login and members see in the portal's address. */
export const tenantCodePattern = /^[a-z][a-z0-9-]{1,39}$/;

const codeTaken = (code: string) => new DomainError('conflict', 'TENANT_CODE_TAKEN', `诊所代码 ${code} 已被使用`, [{ path: 'body.code', message: '已被使用' }]);

const checkTimeZone = (timezone: string, path = 'body.timezone') => {
  if (!isValidTimeZone(timezone)) throw new DomainError('invalid', 'TIMEZONE_INVALID', `无效的时区：${timezone}`, [{ path, message: '无效的时区' }]);
};

export const createTenant = async (tx: Executor, input: { code: string; name: string; timezone?: string }): Promise<Tenant> => {
  const timezone = input.timezone ?? 'Asia/Shanghai';
  checkTimeZone(timezone);
  const code = input.code.trim().toLowerCase();
  if (!tenantCodePattern.test(code)) {
    throw new DomainError('invalid', 'TENANT_CODE_INVALID', '诊所代码须以小写字母开头，2–40 位小写字母、数字或 -', [
      { path: 'body.code', message: '格式不正确' },
    ]);
  }
  const [tenant] = await tx
    .insert(tenants)
    .values({ id: newId(), code, name: input.name, timezone })
    .returning()
    .catch((error: unknown) => mapConstraintError(error, { tenants_code_key: codeTaken(code) }));
  if (!tenant) throw new Error('tenant insert returned nothing');
  return tenant;
};

export const findTenantByCode = async (tx: Executor, code: string): Promise<Tenant | undefined> => {
  const [tenant] = await tx.select().from(tenants).where(eq(tenants.code, code));
  return tenant;
};

export const getTenant = async (tx: Executor, id: string): Promise<Tenant> => {
  const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, id));
  if (!tenant) throw notFound('诊所');
  return tenant;
};

export const listTenants = async (tx: Executor): Promise<(Tenant & { storeCount: number })[]> => {
  const rows = await tx
    .select({ tenant: tenants, storeCount: sql<number>`(select count(*)::int from stores s where s.tenant_id = tenants.id and s.closed_at is null)` })
    .from(tenants)
    .orderBy(asc(tenants.createdAt), asc(tenants.code));
  return rows.map((row) => ({ ...row.tenant, storeCount: Number(row.storeCount) }));
};

export const hasAnyTenant = async (tx: Executor): Promise<boolean> => {
  const [row] = await tx.select({ id: tenants.id }).from(tenants).limit(1);
  return Boolean(row);
};

export type ClinicProfileInput = {
  name: string;
  timezone: string;
  contactPhone: string | null;
  address: string | null;
  receiptHeader: string | null;
  receiptFooter: string | null;
  businessDayStart: string;
};

const profileOf = (tenant: Tenant): ClinicProfileInput => ({
  name: tenant.name,
  timezone: tenant.timezone,
  contactPhone: tenant.contactPhone,
  address: tenant.address,
  receiptHeader: tenant.receiptHeader,
  receiptFooter: tenant.receiptFooter,
  businessDayStart: tenant.businessDayStart,
});

/** 诊所设置: the clinic's name, time zone, contact and receipt texts (the code never changes: staff and links use it). */
export const updateClinicProfile = async (tx: Executor, actor: Actor, input: ClinicProfileInput): Promise<Tenant> => {
  checkTimeZone(input.timezone);
  const [before] = await tx.select().from(tenants).where(eq(tenants.id, actor.tenantId)).for('update');
  if (!before) throw notFound('诊所');
  const [after] = await tx.update(tenants).set(input).where(eq(tenants.id, actor.tenantId)).returning();
  if (!after) throw notFound('诊所');
  await writeAudit(tx, actor, { action: 'clinic.update', entityType: 'tenant', entityId: actor.tenantId, before: profileOf(before), after: profileOf(after) });
  return after;
};

/** Logos: raster images only (an SVG could carry script), recognised by their first bytes, not by what the client claims. */
export const logoMaxBytes = 256 * 1024;
const signatures: { contentType: string; matches: (bytes: Uint8Array) => boolean }[] = [
  { contentType: 'image/png', matches: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { contentType: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { contentType: 'image/webp', matches: (b) => String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP' },
  { contentType: 'image/gif', matches: (b) => String.fromCharCode(...b.slice(0, 4)) === 'GIF8' },
];

export const imageTypeOf = (bytes: Uint8Array): string | undefined => signatures.find((signature) => signature.matches(bytes))?.contentType;

export const putClinicLogo = async (tx: Executor, actor: Actor, bytes: Uint8Array): Promise<{ contentType: string; size: number }> => {
  if (bytes.length === 0) throw new DomainError('invalid', 'LOGO_EMPTY', '请选择图片文件', [{ path: 'body.dataBase64', message: '必填' }]);
  if (bytes.length > logoMaxBytes) {
    throw new DomainError('invalid', 'LOGO_TOO_LARGE', `图片不能超过 ${logoMaxBytes / 1024} KB`, [{ path: 'body.dataBase64', message: '文件过大' }]);
  }
  const contentType = imageTypeOf(bytes);
  if (!contentType) {
    throw new DomainError('invalid', 'LOGO_NOT_IMAGE', '只支持 PNG、JPEG、WebP 或 GIF 图片', [{ path: 'body.dataBase64', message: '不是支持的图片格式' }]);
  }
  await tx
    .insert(tenantLogos)
    .values({ tenantId: actor.tenantId, contentType, bytes })
    .onConflictDoUpdate({ target: tenantLogos.tenantId, set: { contentType, bytes, updatedAt: new Date() } });
  await writeAudit(tx, actor, { action: 'clinic.logo.update', entityType: 'tenant', entityId: actor.tenantId, after: { contentType, size: bytes.length } });
  return { contentType, size: bytes.length };
};

export const deleteClinicLogo = async (tx: Executor, actor: Actor): Promise<void> => {
  await tx.delete(tenantLogos).where(eq(tenantLogos.tenantId, actor.tenantId));
  await writeAudit(tx, actor, { action: 'clinic.logo.delete', entityType: 'tenant', entityId: actor.tenantId });
};

export const findClinicLogo = async (tx: Executor, tenantId: string): Promise<{ contentType: string; bytes: Uint8Array; updatedAt: Date } | undefined> => {
  const [row] = await tx
    .select({ contentType: tenantLogos.contentType, bytes: tenantLogos.bytes, updatedAt: tenantLogos.updatedAt })
    .from(tenantLogos)
    .where(eq(tenantLogos.tenantId, tenantId));
  return row;
};

export const hasClinicLogo = async (tx: Executor, tenantId: string): Promise<boolean> => {
  const [row] = await tx.select({ tenantId: tenantLogos.tenantId }).from(tenantLogos).where(eq(tenantLogos.tenantId, tenantId));
  return Boolean(row);
};

const storeNameTaken = (name: string) =>
  new DomainError('conflict', 'STORE_NAME_TAKEN', `门店名称「${name}」已存在`, [{ path: 'body.name', message: '已存在' }]);

export type StoreInput = { name: string; address?: string | null; phone?: string | null };

export const createStore = async (tx: Executor, tenantId: string, input: StoreInput): Promise<Store> => {
  const [store] = await tx
    .insert(stores)
    .values({ tenantId, id: newId(), ...input })
    .returning()
    .catch((error: unknown) => mapConstraintError(error, { stores_name_key: storeNameTaken(input.name) }));
  if (!store) throw new Error('store insert returned nothing');
  return store;
};

/** A new store, audited: the console's 门店 page. */
export const openStore = async (tx: Executor, actor: Actor, input: StoreInput): Promise<Store> => {
  const store = await createStore(tx, actor.tenantId, input);
  await writeAudit(tx, actor, { action: 'store.create', entityType: 'store', entityId: store.id, after: store });
  return store;
};

const lockStore = async (tx: Executor, tenantId: string, storeId: string): Promise<Store> => {
  const [store] = await tx
    .select()
    .from(stores)
    .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId)))
    .for('update');
  if (!store) throw notFound('门店', 'STORE_NOT_FOUND');
  return store;
};

export const updateStore = async (tx: Executor, actor: Actor, storeId: string, input: Partial<StoreInput>): Promise<Store> => {
  const before = await lockStore(tx, actor.tenantId, storeId);
  const [after] = await tx
    .update(stores)
    .set(input)
    .where(and(eq(stores.tenantId, actor.tenantId), eq(stores.id, storeId)))
    .returning()
    .catch((error: unknown) => mapConstraintError(error, { stores_name_key: storeNameTaken(input.name ?? '') }));
  if (!after) throw notFound('门店', 'STORE_NOT_FOUND');
  await writeAudit(tx, actor, { action: 'store.update', entityType: 'store', entityId: storeId, before, after });
  return after;
};

/**
 * 关店: a store is closed, never deleted, so its orders, visits and shift closes keep naming it.
 * The last open store cannot close: a clinic always has somewhere to take orders.
 */
export const closeStore = async (tx: Executor, actor: Actor, storeId: string, now: Date): Promise<Store> => {
  const before = await lockStore(tx, actor.tenantId, storeId);
  if (before.closedAt) return before;
  const open = await tx
    .select({ id: stores.id })
    .from(stores)
    .where(and(eq(stores.tenantId, actor.tenantId), isNull(stores.closedAt)));
  if (open.length <= 1) throw new DomainError('rule', 'STORE_LAST_OPEN', '至少需要保留一家营业中的门店');
  const [after] = await tx
    .update(stores)
    .set({ closedAt: now, isActive: false })
    .where(and(eq(stores.tenantId, actor.tenantId), eq(stores.id, storeId)))
    .returning();
  if (!after) throw notFound('门店', 'STORE_NOT_FOUND');
  await writeAudit(tx, actor, { action: 'store.close', entityType: 'store', entityId: storeId, before, after });
  return after;
};

export const reopenStore = async (tx: Executor, actor: Actor, storeId: string): Promise<Store> => {
  const before = await lockStore(tx, actor.tenantId, storeId);
  const [after] = await tx
    .update(stores)
    .set({ closedAt: null, isActive: true })
    .where(and(eq(stores.tenantId, actor.tenantId), eq(stores.id, storeId)))
    .returning();
  if (!after) throw notFound('门店', 'STORE_NOT_FOUND');
  await writeAudit(tx, actor, { action: 'store.reopen', entityType: 'store', entityId: storeId, before, after });
  return after;
};

export const listStores = async (tx: Executor, tenantId: string): Promise<Store[]> =>
  tx.select().from(stores).where(eq(stores.tenantId, tenantId)).orderBy(asc(stores.createdAt), asc(stores.id));

/**
 * A store new business may be booked at: 404-style STORE_NOT_FOUND when it is not the clinic's,
 * 422 STORE_CLOSED when it has been closed (its history stays, nothing new goes to it).
 */
export const assertStoreOpen = async (tx: Executor, tenantId: string, storeId: string, path = 'body.storeId'): Promise<void> => {
  const [row] = await tx
    .select({ closedAt: stores.closedAt })
    .from(stores)
    .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId)));
  if (!row) throw new DomainError('rule', 'STORE_NOT_FOUND', '门店不存在', [{ path, message: '门店不存在' }]);
  if (row.closedAt) throw new DomainError('rule', 'STORE_CLOSED', '该门店已停业，不能再开单、预约或登记到店', [{ path, message: '门店已停业' }]);
};

/**
 * The store's row locked in share mode for a value-moving write: STORE_NOT_FOUND when it is not
 * the clinic's, STORE_CLOSED (unless `allowClosed`, as for refunds of its history) when it has
 * closed down; returns the latest business day closed there. A 日结 updates this row, so a write
 * waits for a close in progress and then reads the day it closed.
 */
export const lockStoreForWrite = async (
  tx: Executor,
  tenantId: string,
  storeId: string,
  options: { path?: string; allowClosed?: boolean } = {},
): Promise<{ lastClosedDay: string | null }> => {
  const path = options.path ?? 'body.storeId';
  const [row] = await tx
    .select({ closedAt: stores.closedAt, lastClosedDay: stores.lastClosedDay })
    .from(stores)
    .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId)))
    .for('share');
  if (!row) throw new DomainError('rule', 'STORE_NOT_FOUND', '门店不存在', [{ path, message: '门店不存在' }]);
  if (row.closedAt && !options.allowClosed)
    throw new DomainError('rule', 'STORE_CLOSED', '该门店已停业，不能再开单、预约或登记到店', [{ path, message: '门店已停业' }]);
  return { lastClosedDay: row.lastClosedDay };
};

/** Records the store's latest closed business day (null: none stands), taking the row's lock until commit. */
export const setStoreLastClosedDay = async (tx: Executor, tenantId: string, storeId: string, day: string | null): Promise<void> => {
  await tx
    .update(stores)
    .set({ lastClosedDay: day })
    .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId)));
};

/** 日结 of `day`: the store's latest closed day moves to it (never back), the row locked until commit. */
export const markStoreDayClosed = async (tx: Executor, tenantId: string, storeId: string, day: string): Promise<void> => {
  await tx
    .update(stores)
    .set({ lastClosedDay: sql`greatest(coalesce(${stores.lastClosedDay}, ${day}::date), ${day}::date)` })
    .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId)));
};

export const storeExists = async (tx: Executor, tenantId: string, storeId: string): Promise<boolean> => {
  const [row] = await tx
    .select({ id: stores.id })
    .from(stores)
    .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId)));
  return Boolean(row);
};
