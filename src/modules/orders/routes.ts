import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Executor, Tx } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { assertStoreAccess, storeScope } from '../../platform/context.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { type App, authOf, can, ctxOf, errorResponses, ZIdParams } from '../../platform/http.js';
import { idempotentWrite } from '../../platform/idempotent-route.js';
import { maskMobile } from '../../platform/phone.js';
import { getCustomerRow } from '../customers/index.js';
import type { PricingResult } from '../pricing/index.js';
import { getTenant, hasClinicLogo, listStores } from '../tenants/index.js';
import { deductSessions, getDeductionView, listCourses, listDeductions, reverseDeduction } from './courses.js';
import { nextOrderNumber } from './numbers.js';
import { type PaymentInput, resolveOrderLines } from './place-order.js';
import { type PricingOptions, quoteOf, ZQuote } from './pricing.js';
import { getOrderView, listOrders } from './queries.js';
import { renderReceipt } from './receipt.js';
import {
  type OpenOrderRequest,
  type RefundRequest,
  ZCourse,
  ZDayReopen,
  ZDeduction,
  ZDeductRequest,
  ZOpenOrderRequest,
  ZOrder,
  ZOrderListQuery,
  ZOrderSummary,
  ZPaymentsRequest,
  ZRefundRequest,
  ZReversalRequest,
  ZShiftClose,
  ZShiftQuery,
  ZShiftTotals,
  ZVoidRequest,
} from './schemas.js';
import { closeShift, dayOpenItems, performanceReport, reopenDay, reversalReport, shiftTotals } from './shift-close.js';

const tags = ['Orders & courses'];
const valueMoving = 'Moves value: requires an `Idempotency-Key` header; a replay returns the first response.';

/**
 * The order flows these routes trigger (src/flows/), given by app.ts: a module never imports a
 * flow. Each runs inside the transaction the route opens.
 */
export type OrderFlows = {
  priceForCustomer: (
    tx: Executor,
    ctx: Ctx,
    options: PricingOptions,
  ) => Promise<{ result: PricingResult; referralPoints: number; usablePoints: Parameters<typeof quoteOf>[2] }>;
  openOrder: (tx: Executor, ctx: Ctx, input: OpenOrderRequest, number?: string) => Promise<string>;
  checkoutOrder: (tx: Executor, ctx: Ctx, orderId: string, payments: readonly PaymentInput[]) => Promise<void>;
  payArrears: (tx: Executor, ctx: Ctx, orderId: string, payments: readonly PaymentInput[]) => Promise<void>;
  voidOrder: (tx: Executor, ctx: Ctx, orderId: string, reason: string) => Promise<void>;
  refundOrder: (tx: Executor, ctx: Ctx, orderId: string, input: RefundRequest) => Promise<string>;
  reversePayment: (tx: Executor, ctx: Ctx, paymentId: string, input: { reasonCode: string; note?: string | null }) => Promise<{ orderId: string }>;
};

export const orderRoutes = (app: App, deps: Deps, flows: OrderFlows) => {
  const { checkoutOrder, openOrder, payArrears, refundOrder, reversePayment, voidOrder } = flows;
  const { db, clock } = deps;
  /**
   * One order as a reader may see it: staff scoped to some stores see only those stores' orders,
   * one by one as in the list — another store's order is "not found", like another clinic's.
   */
  const visibleOrderView = async (req: FastifyRequest, orderId: string) => {
    const auth = authOf(req);
    const order = await getOrderView(db, auth.tenantId, orderId);
    if (auth.storeIds && !auth.storeIds.includes(order.storeId)) throw notFound('订单', 'ORDER_NOT_FOUND');
    return order;
  };

  app.get(
    '/orders',
    {
      config: { permission: 'orders.read' },
      schema: {
        tags,
        summary: "List orders (status=open&businessDate=… is the front desk's unpaid queue)",
        querystring: ZOrderListQuery,
        response: { 200: z.object({ items: z.array(ZOrderSummary), total: z.number().int() }), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return listOrders(db, ctx.tenantId, { ...req.query, ...storeScope(ctx, req.query.storeId) });
    },
  );

  app.get(
    '/orders/:id',
    {
      config: { permission: 'orders.read' },
      schema: { tags, summary: 'One order with lines and payments', params: ZIdParams, response: { 200: ZOrder, ...errorResponses } },
    },
    async (req) => visibleOrderView(req, req.params.id),
  );

  app.post(
    '/orders/quote',
    {
      config: { permission: 'orders.open' },
      schema: {
        tags,
        summary: '开单定价预览: price lines for a customer with her tier, cards, card vouchers, points and stored value — no side effects',
        description:
          'The same pricing the order is opened with. Send `orderTotalFen` back as `expectedTotalFen` when opening the order: if anything changed meanwhile, the order is refused with 409 PRICE_CHANGED.',
        body: z.strictObject({
          storeId: z.uuid().optional(),
          customerId: z.uuid(),
          lines: ZOpenOrderRequest.shape.lines,
          memberPricing: z.boolean().optional(),
          /** Points she would use (paid as a payment at checkout). */
          pointsToUse: z.number().int().min(0).max(1_000_000_000).optional(),
          /** Plan paying from her stored value. */
          useStoredValue: z.boolean().optional(),
          /** Vouchers from her wallet (券包) to try on this order. */
          voucherIds: z.array(z.uuid()).max(10).optional(),
          /** The order type (default: the clinic's default type): decides whether the order would be a deal, e.g. a referred customer's first. */
          orderType: z.string().trim().min(1).max(20).optional(),
        }),
        response: { 200: ZQuote, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      if (req.body.storeId) assertStoreAccess(ctx, req.body.storeId);
      await getCustomerRow(db, ctx.tenantId, req.body.customerId);
      const lines = await resolveOrderLines(db, ctx, req.body.lines);
      const { result, referralPoints, usablePoints } = await flows.priceForCustomer(db, ctx, {
        customerId: req.body.customerId,
        lines,
        memberPricing: req.body.memberPricing ?? true,
        pointsToUse: req.body.pointsToUse,
        useStoredValue: req.body.useStoredValue,
        voucherIds: req.body.voucherIds ?? [],
        orderType: req.body.orderType,
      });
      return quoteOf(result, referralPoints, usablePoints);
    },
  );

  app.post(
    '/orders',
    {
      config: { permission: 'orders.open' },
      schema: {
        tags,
        summary: '开单: open an order (queued unpaid), or check it out at once with `payments`',
        description: `${valueMoving} Checking out needs the orders.checkout permission.`,
        body: ZOpenOrderRequest,
        response: { 201: ZOrder, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (req.body.payments && !can(req, 'orders.checkout')) throw new DomainError('forbidden', 'FORBIDDEN', '没有收银权限：请将订单提交到前台待收银');
      const ctx = ctxOf(req, clock);
      // The number first, in its own statement: the day's counter is never held through a checkout.
      const number = await nextOrderNumber(db, ctx.tenantId, ctx.today);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx: Tx) => {
        const id = await openOrder(tx, ctx, req.body, number);
        return { status: 201, body: await getOrderView(tx, ctx.tenantId, id) };
      });
    },
  );

  app.post(
    '/orders/:id/checkout',
    {
      config: { permission: 'orders.checkout' },
      schema: {
        tags,
        summary: '收银: place an open order with payments (the rest is arrears)',
        description: valueMoving,
        params: ZIdParams,
        body: ZPaymentsRequest,
        response: { 200: ZOrder, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        await checkoutOrder(tx, ctx, req.params.id, req.body.payments);
        return { status: 200, body: await getOrderView(tx, ctx.tenantId, req.params.id) };
      });
    },
  );

  app.post(
    '/orders/:id/payments',
    {
      config: { permission: 'orders.checkout' },
      schema: {
        tags,
        summary: '补缴: pay arrears of a placed order',
        description: valueMoving,
        params: ZIdParams,
        body: ZPaymentsRequest,
        response: { 200: ZOrder, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        await payArrears(tx, ctx, req.params.id, req.body.payments);
        return { status: 200, body: await getOrderView(tx, ctx.tenantId, req.params.id) };
      });
    },
  );

  app.post(
    '/orders/:id/void',
    {
      config: { permission: 'orders.checkout' },
      schema: {
        tags,
        summary: 'Void an order still waiting for checkout',
        params: ZIdParams,
        body: ZVoidRequest,
        response: { 200: ZOrder, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return db.transaction(async (tx) => {
        await voidOrder(tx, ctx, req.params.id, req.body.reason);
        return getOrderView(tx, ctx.tenantId, req.params.id);
      });
    },
  );

  app.post(
    '/orders/:id/refunds',
    {
      config: { permission: 'orders.refund' },
      schema: {
        tags,
        summary: '退款: return lines (or unused course sessions) and pay money back',
        description: valueMoving,
        params: ZIdParams,
        body: ZRefundRequest,
        response: { 200: ZOrder, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        await refundOrder(tx, ctx, req.params.id, req.body);
        return { status: 200, body: await getOrderView(tx, ctx.tenantId, req.params.id) };
      });
    },
  );

  app.post(
    '/payments/:id/reversal',
    {
      config: { permission: 'orders.reverse' },
      schema: {
        tags,
        summary: '撤销收款: reverse a wrong payment with a reason',
        description: valueMoving,
        params: ZIdParams,
        body: ZReversalRequest,
        response: { 200: ZOrder, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        const { orderId } = await reversePayment(tx, ctx, req.params.id, req.body);
        return { status: 200, body: await getOrderView(tx, ctx.tenantId, orderId) };
      });
    },
  );

  app.get(
    '/orders/:id/receipt',
    {
      config: { permission: 'orders.read' },
      schema: {
        tags,
        summary: 'Printable receipt (HTML for 58 or 80 mm paper)',
        params: ZIdParams,
        querystring: z.strictObject({ width: z.enum(['58', '80']).default('80') }),
        response: { 200: z.string(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { tenantId, timezone } = authOf(req);
      const order = await visibleOrderView(req, req.params.id);
      const tenant = await getTenant(db, tenantId);
      const store = (await listStores(db, tenantId)).find((row) => row.id === order.storeId);
      const customer = await getCustomerRow(db, tenantId, order.customerId);
      const html = renderReceipt(order, {
        tenantName: tenant.name,
        logoUrl: (await hasClinicLogo(db, tenantId)) ? `/api/clinics/${encodeURIComponent(tenant.code)}/logo` : null,
        header: tenant.receiptHeader,
        footer: tenant.receiptFooter,
        store: { name: store?.name ?? '', address: store?.address ?? null, phone: store?.phone ?? null },
        maskedPhone: maskMobile(customer.phone),
        printedAt: clock.now().toLocaleString('zh-CN', { hour12: false, timeZone: timezone }),
        timezone,
        widthMm: req.query.width === '58' ? 58 : 80,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );

  app.get(
    '/customers/:id/courses',
    {
      config: { permission: 'orders.read' },
      schema: {
        tags,
        summary: "A customer's courses with remaining sessions",
        params: ZIdParams,
        response: { 200: z.object({ items: z.array(ZCourse) }), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      await getCustomerRow(db, ctx.tenantId, req.params.id);
      return { items: await listCourses(db, ctx, req.params.id) };
    },
  );

  app.get(
    '/deductions',
    {
      config: { permission: 'orders.read' },
      schema: {
        tags,
        summary: 'Deductions (划扣) by customer, store or day',
        querystring: z.strictObject({ customerId: z.uuid().optional(), storeId: z.uuid().optional(), businessDate: z.iso.date().optional() }),
        response: { 200: z.object({ items: z.array(ZDeduction) }), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return { items: await listDeductions(db, ctx.tenantId, { ...req.query, ...storeScope(ctx, req.query.storeId) }) };
    },
  );

  app.post(
    '/course-items/:id/deductions',
    {
      config: { permission: 'courses.deduct' },
      schema: {
        tags,
        summary: '划扣: execute sessions of a course item',
        description: valueMoving,
        params: ZIdParams,
        body: ZDeductRequest,
        response: { 201: ZDeduction, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        const id = await deductSessions(tx, ctx, req.params.id, req.body);
        return { status: 201, body: await getDeductionView(tx, ctx.tenantId, id) };
      });
    },
  );

  app.post(
    '/deductions/:id/reversal',
    {
      config: { permission: 'orders.reverse' },
      schema: {
        tags,
        summary: '撤销划扣: reverse a wrong deduction with a reason',
        description: valueMoving,
        params: ZIdParams,
        body: ZReversalRequest,
        response: { 201: ZDeduction, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        const id = await reverseDeduction(tx, ctx, req.params.id, req.body);
        return { status: 201, body: await getDeductionView(tx, ctx.tenantId, id) };
      });
    },
  );

  app.get(
    '/shift-close',
    {
      config: { permission: 'shifts.close' },
      schema: {
        tags,
        summary: '交班 / 日结 totals for a store, day and optionally one cashier',
        querystring: ZShiftQuery,
        response: { 200: ZShiftTotals, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      storeScope(ctx, req.query.storeId);
      const scope = { storeId: req.query.storeId, businessDate: req.query.businessDate ?? ctx.today, cashierId: req.query.cashierId };
      const totals = await shiftTotals(db, ctx.tenantId, scope);
      return scope.cashierId ? totals : { ...totals, openItems: await dayOpenItems(db, ctx.tenantId, scope) };
    },
  );

  app.post(
    '/shift-closes',
    {
      config: { permission: 'shifts.close' },
      schema: {
        tags,
        summary: 'Record a shift (one cashier) or daily (whole store) close',
        body: ZShiftClose,
        response: { 201: ZShiftTotals, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const totals = await db.transaction((tx) =>
        closeShift(
          tx,
          ctx,
          { storeId: req.body.storeId, businessDate: req.body.businessDate ?? ctx.today, cashierId: req.body.cashierId },
          { countedCashFen: req.body.countedCashFen },
        ),
      );
      return reply.code(201).send(totals);
    },
  );

  app.post(
    '/shift-closes/reopen',
    {
      config: { permission: 'shifts.reopen' },
      schema: {
        tags,
        summary: "重新开账: withdraw a store's 日结 so the day takes writes again (reason audited)",
        body: ZDayReopen,
        response: { 200: ZShiftTotals, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return db.transaction((tx) => reopenDay(tx, ctx, { storeId: req.body.storeId, businessDate: req.body.businessDate ?? ctx.today }, req.body.reason));
    },
  );

  app.get(
    '/reports/reversals',
    {
      config: { permission: 'reports.read' },
      schema: {
        tags: ['Reports'],
        summary: 'Reversals and refunds by reason code',
        querystring: z.strictObject({ from: z.iso.date(), to: z.iso.date(), storeId: z.uuid().optional() }),
        response: {
          200: z.object({ items: z.array(z.object({ kind: z.string(), reasonCode: z.string(), count: z.number().int(), amountFen: z.number().int() })) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return { items: await reversalReport(db, ctx.tenantId, { from: req.query.from, to: req.query.to, ...storeScope(ctx, req.query.storeId) }) };
    },
  );

  app.get(
    '/reports/performance',
    {
      config: { permission: 'reports.read' },
      schema: {
        tags: ['Reports'],
        summary: '业绩: sales and execution credited to each staff member',
        querystring: z.strictObject({ from: z.iso.date(), to: z.iso.date(), storeId: z.uuid().optional() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                staffId: z.uuid(),
                staffName: z.string(),
                salesFen: z.number().int(),
                refundsFen: z.number().int(),
                netSalesFen: z.number().int(),
                executionFen: z.number().int(),
                lines: z.number().int(),
                deductions: z.number().int(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return { items: await performanceReport(db, ctx.tenantId, { from: req.query.from, to: req.query.to, ...storeScope(ctx, req.query.storeId) }) };
    },
  );
};
