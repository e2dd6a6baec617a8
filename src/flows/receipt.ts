import { z } from 'zod';
import type { Executor } from '../db/client.js';
import { orderStoredValueSummary } from '../modules/cards/index.js';
import { getCustomerRow } from '../modules/customers/index.js';
import { getOrderView, ZOrder } from '../modules/orders/index.js';
import { orderPointsSummary } from '../modules/points/index.js';
import { getTenant, hasClinicLogo, listStores } from '../modules/tenants/index.js';
import { vouchersUsedOnOrder } from '../modules/vouchers/index.js';
import type { Ctx } from '../platform/context.js';
import type { Deps } from '../platform/deps.js';
import { notFound } from '../platform/errors.js';
import { type App, ctxOf, errorResponses, memberCtx, memberOf, ZIdParams } from '../platform/http.js';
import { maskMobile } from '../platform/phone.js';

/**
 * Everything a printed receipt says (SPEC §4): the clinic (logo, header, footer), the store, the
 * order's lines and payments with the cashier, the vouchers it used, the points it earned and
 * spent with her balance after, the stored value it spent with the balance after, and her
 * masked phone. Another store's order is not found for staff scoped to their stores, another customer's for a member.
 */
export const receiptOf = async (tx: Executor, ctx: Ctx, orderId: string, wall: { customerId?: string } = {}) => {
  const order = await getOrderView(tx, ctx.tenantId, orderId);
  const isHidden = (ctx.storeIds && !ctx.storeIds.includes(order.storeId)) || (wall.customerId !== undefined && order.customerId !== wall.customerId);
  if (isHidden) throw notFound('订单', 'ORDER_NOT_FOUND');
  const tenant = await getTenant(tx, ctx.tenantId);
  const store = (await listStores(tx, ctx.tenantId)).find((row) => row.id === order.storeId);
  const customer = await getCustomerRow(tx, ctx.tenantId, order.customerId);
  const cashiers = [...new Set(order.payments.map((payment) => payment.cashierName).filter((name): name is string => Boolean(name)))];
  return {
    order,
    clinic: {
      name: tenant.name,
      logoUrl: (await hasClinicLogo(tx, ctx.tenantId)) ? `/api/clinics/${encodeURIComponent(tenant.code)}/logo` : null,
      header: tenant.receiptHeader,
      footer: tenant.receiptFooter,
      timezone: tenant.timezone,
    },
    store: { name: store?.name ?? '', address: store?.address ?? null, phone: store?.phone ?? null },
    customer: { name: customer.name, maskedPhone: maskMobile(customer.phone) },
    cashierNames: cashiers,
    vouchers: await vouchersUsedOnOrder(tx, ctx.tenantId, orderId),
    points: await orderPointsSummary(tx, ctx.tenantId, orderId),
    storedValue: await orderStoredValueSummary(tx, ctx.tenantId, orderId),
    printedAt: ctx.now.toISOString(),
  };
};

const ZReceipt = z
  .object({
    order: ZOrder,
    clinic: z.object({ name: z.string(), logoUrl: z.string().nullable(), header: z.string().nullable(), footer: z.string().nullable(), timezone: z.string() }),
    store: z.object({ name: z.string(), address: z.string().nullable(), phone: z.string().nullable() }),
    customer: z.object({ name: z.string(), maskedPhone: z.string() }),
    cashierNames: z.array(z.string()),
    vouchers: z.array(z.object({ title: z.string(), amountFen: z.number().int() })),
    points: z.object({ earned: z.number().int(), spent: z.number().int(), balanceAfter: z.number().int() }).nullable(),
    storedValue: z.object({ spentFen: z.number().int(), balanceAfterFen: z.number().int() }).nullable(),
    printedAt: z.string(),
  })
  .meta({ id: 'Receipt' });

export const receiptRoutes = (app: App, { db, clock }: Deps) => {
  app.get(
    '/orders/:id/receipt-view',
    {
      config: { permission: 'orders.read' },
      schema: {
        tags: ['Orders'],
        summary: "A receipt's content for the console's print page: order, clinic and store, vouchers used, points and stored value with balances after",
        params: ZIdParams,
        response: { 200: ZReceipt, ...errorResponses },
      },
    },
    async (req) => receiptOf(db, ctxOf(req, clock), req.params.id),
  );
};

const ZPortalReceipt = ZReceipt.pick({ clinic: true, store: true, vouchers: true, points: true, storedValue: true })
  .extend({
    number: z.string(),
    status: z.string(),
    businessDate: z.string(),
    placedAt: z.string().nullable(),
    lines: z.array(
      z.object({
        name: z.string(),
        quantity: z.number().int(),
        unitPriceFen: z.number().int(),
        discountFen: z.number().int(),
        amountFen: z.number().int(),
        refundedFen: z.number().int(),
      }),
    ),
    payments: z.array(z.object({ kind: z.enum(['payment', 'refund', 'reversal']), method: z.string(), amountFen: z.number().int(), createdAt: z.string() })),
    totalFen: z.number().int(),
    paidFen: z.number().int(),
    arrearsFen: z.number().int(),
    refundedFen: z.number().int(),
  })
  .meta({ id: 'PortalReceipt' });

/**
 * Her own order's receipt in the member portal (/api/portal/v1): what the printed one says,
 * without the desk's internals (attribution, notes, deal reasons, staff ids); another
 * customer's order is 404, as an unknown one.
 */
export const receiptPortalRoutes = (app: App, { db, clock }: Deps) => {
  app.get(
    '/orders/:id/receipt',
    { schema: { tags: ['Member portal'], summary: "My order's receipt", params: ZIdParams, response: { 200: ZPortalReceipt, ...errorResponses } } },
    async (req) => {
      const member = memberOf(req);
      const { order, clinic, store, vouchers, points, storedValue } = await receiptOf(db, memberCtx(member, clock.now()), req.params.id, {
        customerId: member.customerId,
      });
      return {
        clinic,
        store,
        vouchers,
        points,
        storedValue,
        number: order.number,
        status: order.status,
        businessDate: order.businessDate,
        placedAt: order.placedAt,
        lines: order.lines.map(({ name, quantity, unitPriceFen, discountFen, amountFen, refundedFen }) => ({
          name,
          quantity,
          unitPriceFen,
          discountFen,
          amountFen,
          refundedFen,
        })),
        payments: order.payments.map(({ kind, method, amountFen, createdAt }) => ({ kind, method, amountFen, createdAt })),
        totalFen: order.totalFen,
        paidFen: order.paidFen,
        arrearsFen: order.arrearsFen,
        refundedFen: order.refundedFen,
      };
    },
  );
};
