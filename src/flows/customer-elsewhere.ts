import { z } from 'zod';
import type { Executor } from '../db/client.js';
import { assertCustomerExists } from '../modules/customers/index.js';
import { customerOrdersOutside } from '../modules/orders/index.js';
import { listStores } from '../modules/tenants/index.js';
import { customerVisitsOutside } from '../modules/visits/index.js';
import type { Ctx } from '../platform/context.js';
import type { Deps } from '../platform/deps.js';
import { type App, can, ctxOf, errorResponses, ZIdParams } from '../platform/http.js';

/** Which of a customer's histories the caller's role may read at all. */
export type HistoryAccess = { visits: boolean; orders: boolean };

/**
 * What a store-scoped account does not see of a customer (SPEC §2, visits and orders are per
 * store): per other store, how many visits, appointments and orders she has there, so the 360
 * page says what is hidden and why instead of showing an empty history. Counts only, never the
 * records; nothing for an account that sees every store.
 */
export const customerElsewhere = async (tx: Executor, ctx: Ctx, customerId: string, access: HistoryAccess) => {
  await assertCustomerExists(tx, ctx.tenantId, customerId);
  if (!ctx.storeIds) return { isScoped: false, visibleStores: [], stores: [] };
  const visible = ctx.storeIds;
  const visits = access.visits ? await customerVisitsOutside(tx, ctx.tenantId, customerId, visible) : [];
  const orders = access.orders ? await customerOrdersOutside(tx, ctx.tenantId, customerId, visible) : [];
  const stores = await listStores(tx, ctx.tenantId);
  const nameOf = new Map(stores.map((store) => [store.id, store.name]));
  const byStore = new Map<string, { storeId: string; storeName: string; visits: number; appointments: number; orders: number }>();
  const entry = (storeId: string) => {
    const found = byStore.get(storeId) ?? { storeId, storeName: nameOf.get(storeId) ?? '', visits: 0, appointments: 0, orders: 0 };
    byStore.set(storeId, found);
    return found;
  };
  for (const row of visits) Object.assign(entry(row.storeId), { visits: row.visits, appointments: row.appointments });
  for (const row of orders) entry(row.storeId).orders = row.orders;
  return {
    isScoped: true,
    visibleStores: stores.filter((store) => visible.includes(store.id)).map((store) => store.name),
    stores: [...byStore.values()].sort((a, b) => a.storeName.localeCompare(b.storeName, 'zh-CN')),
  };
};

const ZCustomerElsewhere = z
  .object({
    isScoped: z.boolean().describe('The caller sees only some stores'),
    visibleStores: z.array(z.string()).describe("The stores' names the caller sees"),
    stores: z.array(
      z.object({
        storeId: z.uuid(),
        storeName: z.string(),
        visits: z.number().int(),
        appointments: z.number().int(),
        orders: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'CustomerElsewhere' });

export const customerElsewhereRoutes = (app: App, { db, clock }: Deps) => {
  app.get(
    '/customers/:id/elsewhere',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['Customers'],
        summary: "What the caller's store scope hides of a customer: her visits, appointments and orders per other store (counts only)",
        params: ZIdParams,
        response: { 200: ZCustomerElsewhere, ...errorResponses },
      },
    },
    async (req) => customerElsewhere(db, ctxOf(req, clock), req.params.id, { visits: can(req, 'visits.read'), orders: can(req, 'orders.read') }),
  );
};
