import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { isValidTimeZone } from '../../platform/clock.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { stores, tenants } from './tables.js';

export type Tenant = typeof tenants.$inferSelect;
export type Store = typeof stores.$inferSelect;

export const createTenant = async (tx: Executor, input: { code: string; name: string; timezone?: string }): Promise<Tenant> => {
  const timezone = input.timezone ?? 'Asia/Shanghai';
  if (!isValidTimeZone(timezone)) throw new DomainError('invalid', 'TIMEZONE_INVALID', `无效的时区：${timezone}`);
  const [tenant] = await tx.insert(tenants).values({ id: newId(), code: input.code, name: input.name, timezone }).returning();
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

export const createStore = async (tx: Executor, tenantId: string, input: { name: string; address?: string; phone?: string }): Promise<Store> => {
  const [store] = await tx
    .insert(stores)
    .values({ tenantId, id: newId(), ...input })
    .returning();
  if (!store) throw new Error('store insert returned nothing');
  return store;
};

export const listStores = async (tx: Executor, tenantId: string): Promise<Store[]> =>
  tx.select().from(stores).where(eq(stores.tenantId, tenantId)).orderBy(asc(stores.createdAt), asc(stores.id));

export const storeExists = async (tx: Executor, tenantId: string, storeId: string): Promise<boolean> => {
  const [row] = await tx
    .select({ id: stores.id })
    .from(stores)
    .where(and(eq(stores.tenantId, tenantId), eq(stores.id, storeId)));
  return Boolean(row);
};
