import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import type { Deps } from '../../platform/deps.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { type App, actorOf, authOf, can, ctxOf, errorResponses, ZIdParams } from '../../platform/http.js';
import { idempotentWrite } from '../../platform/idempotent-route.js';
import { getCustomerRow } from '../customers/index.js';
import { getOrderView, type OpenOrderRequest, type RefundRequest, ZOrder, ZPaymentInput, ZReversalReason } from '../orders/index.js';
import { getSetting, putSetting } from '../settings/index.js';
import { addCardMember, listCustomerCards, recordCardUse, removeCardMember, resolveCardsForCustomer } from './customer-cards.js';
import { createCardProduct, getCardProduct, getCardProductRow, listCardProducts, updateCardProduct } from './products.js';
import { storedValueBalanceOf, storedValueOverview } from './queries.js';
import {
  cardProductKinds,
  ZAddMemberRequest,
  ZCardProduct,
  ZCardProductInput,
  ZCardProductPatch,
  ZCardUseRequest,
  ZCardVoucher,
  ZCustomerCard,
  ZSellRequest,
  ZStoredValueOverview,
  ZStoredValueSettingsView,
} from './schemas.js';
import { storedValueSetting, ZStoredValueSettings } from './settings.js';
import { customerCards, storedValueTopUps } from './tables.js';

const tags = ['Cards & stored value'];
const valueMoving = 'Moves value: requires an `Idempotency-Key` header; a replay returns the first response.';

const ZBalance = z.object({ principalFen: z.number().int(), bonusFen: z.number().int(), balanceFen: z.number().int() });
const ZSaleResponse = z.object({ order: ZOrder, balance: ZBalance, cards: z.array(ZCustomerCard) });

/** The order flows a card sale and a top-up refund run (src/flows/), given by app.ts. */
export type CardOrderFlows = {
  takeOrderNumber: (db: Executor, ctx: Ctx) => Promise<string>;
  openOrder: (tx: Executor, ctx: Ctx, input: OpenOrderRequest, number?: string) => Promise<string>;
  refundOrder: (tx: Executor, ctx: Ctx, orderId: string, input: RefundRequest) => Promise<string>;
};

/** 售卡 / 充值 at the desk: an order with the card's line, checked out at once with the payments. */
const sellCard = async (
  tx: Executor,
  ctx: Ctx,
  customerId: string,
  input: z.infer<typeof ZSellRequest>,
  expected: 'stored_value' | 'membership',
  flows: CardOrderFlows,
  number: string,
) => {
  await getCustomerRow(tx, ctx.tenantId, customerId);
  const product = await getCardProductRow(tx, ctx.tenantId, input.cardProductId).catch(() => {
    throw new DomainError('rule', 'CARD_PRODUCT_NOT_FOUND', '卡项不存在', [{ path: 'body.cardProductId', message: '卡项不存在' }]);
  });
  if (product.kind !== expected) {
    throw new DomainError('rule', 'CARD_PRODUCT_KIND', expected === 'stored_value' ? '请选择储值卡项' : '请选择会员卡项', [
      { path: 'body.cardProductId', message: '卡项类型不符' },
    ]);
  }
  if (!product.isActive)
    throw new DomainError('rule', 'CARD_PRODUCT_INACTIVE', `「${product.name}」已停售`, [{ path: 'body.cardProductId', message: '已停售' }]);
  if (input.amountFen !== undefined && expected !== 'stored_value') {
    throw new DomainError('invalid', 'CARD_AMOUNT_NOT_ALLOWED', '会员卡按标价出售', [{ path: 'body.amountFen', message: '不适用' }]);
  }
  const orderId = await flows.openOrder(
    tx,
    ctx,
    {
      storeId: input.storeId,
      customerId,
      lines: [{ itemId: product.itemId, quantity: 1, ...(input.amountFen !== undefined ? { unitPriceFen: input.amountFen } : {}) }],
      notes: input.notes ?? null,
      payments: input.payments,
    },
    number,
  );
  return {
    order: await getOrderView(tx, ctx.tenantId, orderId),
    balance: await storedValueBalanceOf(tx, ctx.tenantId, customerId),
    cards: (await listCustomerCards(tx, ctx, customerId)).filter((card) => card.orderId === orderId),
  };
};

export const cardRoutes = (app: App, { db, clock }: Deps, flows: CardOrderFlows) => {
  app.get(
    '/card-products',
    {
      config: { permission: 'cards.read' },
      schema: {
        tags,
        summary: '卡项: membership cards, stored-value cards and course cards',
        querystring: z.strictObject({
          kind: z.enum(cardProductKinds).optional(),
          includeInactive: z
            .enum(['true', 'false'])
            .transform((value) => value === 'true')
            .optional(),
        }),
        response: { 200: z.object({ items: z.array(ZCardProduct) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await listCardProducts(db, authOf(req).tenantId, req.query) }),
  );

  app.get(
    '/card-products/:id',
    {
      config: { permission: 'cards.read' },
      schema: { tags, summary: 'One card product', params: ZIdParams, response: { 200: ZCardProduct, ...errorResponses } },
    },
    async (req) => getCardProduct(db, authOf(req).tenantId, req.params.id),
  );

  app.post(
    '/card-products',
    {
      config: { permission: 'cards.manage' },
      schema: {
        tags,
        summary: 'Create a card product (membership and stored-value cards get their catalog item)',
        body: ZCardProductInput,
        response: { 201: ZCardProduct, ...errorResponses },
      },
    },
    async (req, reply) => {
      const product = await db.transaction((tx) => createCardProduct(tx, actorOf(req), req.body));
      return reply.code(201).send(product);
    },
  );

  app.patch(
    '/card-products/:id',
    {
      config: { permission: 'cards.manage' },
      schema: {
        tags,
        summary: 'Change a card product (cards already sold keep their terms)',
        params: ZIdParams,
        body: ZCardProductPatch,
        response: { 200: ZCardProduct, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => updateCardProduct(tx, actorOf(req), req.params.id, req.body)),
  );

  app.get(
    '/settings/stored-value',
    {
      config: { permission: 'cards.read' },
      schema: {
        tags,
        summary: '储值设置: selling switch, spending policy, limit, policy text',
        response: { 200: ZStoredValueSettingsView, ...errorResponses },
      },
    },
    async (req) => getSetting(db, authOf(req).tenantId, storedValueSetting),
  );

  app.put(
    '/settings/stored-value',
    {
      config: { permission: 'cards.manage' },
      schema: { tags, summary: 'Change the stored-value settings', body: ZStoredValueSettings, response: { 200: ZStoredValueSettingsView, ...errorResponses } },
    },
    async (req) => db.transaction((tx) => putSetting(tx, actorOf(req), storedValueSetting, req.body)),
  );

  app.get(
    '/customers/:id/stored-value',
    {
      config: { permission: 'cards.read' },
      schema: {
        tags,
        summary: 'Stored value: principal and bonus, top-ups with their contracts and refundable principal, and the ledger',
        params: ZIdParams,
        response: { 200: ZStoredValueOverview, ...errorResponses },
      },
    },
    async (req) => {
      const { tenantId } = authOf(req);
      await getCustomerRow(db, tenantId, req.params.id);
      return storedValueOverview(db, tenantId, req.params.id);
    },
  );

  app.post(
    '/customers/:id/stored-value/top-ups',
    {
      config: { permission: 'stored_value.top_up' },
      schema: {
        tags,
        summary: '充值: top up at the desk (an order with the stored-value card line, paid in full)',
        description: `${valueMoving} Appears in the shift close under its payment methods.`,
        params: ZIdParams,
        body: ZSellRequest,
        response: { 201: ZSaleResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const number = await flows.takeOrderNumber(db, ctx);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => ({
        status: 201,
        body: await sellCard(tx, ctx, req.params.id, req.body, 'stored_value', flows, number),
      }));
    },
  );

  app.post(
    '/stored-value/top-ups/:id/refund',
    {
      config: { permission: 'orders.refund' },
      schema: {
        tags,
        summary: '储值退款: refund a top-up — its unused principal is paid back, its unused bonus is void',
        description: valueMoving,
        params: ZIdParams,
        body: z.strictObject({
          payouts: z.array(ZPaymentInput).min(1).max(10),
          reasonCode: ZReversalReason,
          note: z.string().max(500).nullable().optional(),
        }),
        response: { 200: z.object({ order: ZOrder, balance: ZBalance }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        const [lot] = await tx
          .select()
          .from(storedValueTopUps)
          .where(and(eq(storedValueTopUps.tenantId, ctx.tenantId), eq(storedValueTopUps.id, req.params.id)));
        if (!lot) throw notFound('充值记录', 'TOP_UP_NOT_FOUND');
        if (!lot.orderId || !lot.orderLineId) throw new DomainError('rule', 'TOP_UP_NOT_REFUNDABLE', '该笔储值不是充值订单产生的，不能在此退款');
        await flows.refundOrder(tx, ctx, lot.orderId, {
          lines: [{ lineId: lot.orderLineId }],
          payouts: req.body.payouts,
          reasonCode: req.body.reasonCode,
          note: req.body.note,
        });
        return {
          status: 200,
          body: { order: await getOrderView(tx, ctx.tenantId, lot.orderId), balance: await storedValueBalanceOf(tx, ctx.tenantId, lot.customerId) },
        };
      });
    },
  );

  app.get(
    '/customers/:id/cards',
    {
      config: { permission: 'cards.read' },
      schema: {
        tags,
        summary: "A customer's cards: her own and family cards she is on, with members and who used what",
        params: ZIdParams,
        response: { 200: z.object({ items: z.array(ZCustomerCard) }), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      await getCustomerRow(db, ctx.tenantId, req.params.id);
      return { items: await listCustomerCards(db, ctx, req.params.id) };
    },
  );

  app.post(
    '/customers/:id/cards',
    {
      config: { permission: 'cards.sell' },
      schema: {
        tags,
        summary: '售卡: sell a paid membership card at the desk (an order with the card line, checked out at once)',
        description: valueMoving,
        params: ZIdParams,
        body: ZSellRequest,
        response: { 201: ZSaleResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      if (!can(req, 'orders.checkout')) throw new DomainError('forbidden', 'FORBIDDEN', '没有收银权限');
      const ctx = ctxOf(req, clock);
      const number = await flows.takeOrderNumber(db, ctx);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => ({
        status: 201,
        body: await sellCard(tx, ctx, req.params.id, req.body, 'membership', flows, number),
      }));
    },
  );

  app.get(
    '/customers/:id/card-benefits',
    {
      config: { permission: 'cards.read' },
      schema: {
        tags,
        summary: 'Cards whose benefits the customer may use on a date (own and family), with validity and uses left',
        params: ZIdParams,
        querystring: z.strictObject({ date: z.iso.date().optional() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                cardId: z.uuid(),
                cardProductId: z.uuid(),
                name: z.string(),
                ownerId: z.uuid(),
                isOwner: z.boolean(),
                validFrom: z.string(),
                validTo: z.string().nullable(),
                isValid: z.boolean(),
                discountRules: z.array(z.object({ categoryId: z.uuid().nullable(), discountBasisPoints: z.number().int() })),
                memberLimits: z.object({ usesPerMember: z.number().int().nullable(), period: z.enum(['year', 'card']) }),
                usesLeft: z.number().int().nullable(),
                pendingVouchers: z.array(z.object({ name: z.string(), faceValueFen: z.number().int(), quantity: z.number().int(), status: z.string() })),
                vouchers: z.array(ZCardVoucher),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      await getCustomerRow(db, ctx.tenantId, req.params.id);
      return {
        items: await resolveCardsForCustomer(db, {
          tenantId: ctx.tenantId,
          customerId: req.params.id,
          date: req.query.date ?? ctx.today,
          timezone: ctx.timezone,
        }),
      };
    },
  );

  app.post(
    '/cards/:id/members',
    {
      config: { permission: 'cards.sell' },
      schema: {
        tags,
        summary: '添加家庭成员: share the card with an existing customer, up to its limit',
        params: ZIdParams,
        body: ZAddMemberRequest,
        response: { 201: ZCustomerCard, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const card = await db.transaction(async (tx) => {
        await addCardMember(tx, ctx, { cardId: req.params.id, customerId: req.body.customerId, relation: req.body.relation });
        return cardView(tx, ctx, req.params.id);
      });
      return reply.code(201).send(card);
    },
  );

  app.delete(
    '/cards/:id/members/:customerId',
    {
      config: { permission: 'cards.sell' },
      schema: {
        tags,
        summary: '移除家庭成员 (the history keeps who was on the card and when)',
        params: z.strictObject({ id: z.uuid(), customerId: z.uuid() }),
        response: { 200: ZCustomerCard, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return db.transaction(async (tx) => {
        await removeCardMember(tx, ctx, { cardId: req.params.id, customerId: req.params.customerId });
        return cardView(tx, ctx, req.params.id);
      });
    },
  );

  app.post(
    '/cards/:id/uses',
    {
      config: { permission: 'orders.checkout' },
      schema: {
        tags,
        summary: "用卡记录: record a use of the card's benefit by the owner or a family member (checked against per-member limits)",
        description: valueMoving,
        params: ZIdParams,
        body: ZCardUseRequest,
        response: { 201: ZCustomerCard, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      return idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        await recordCardUse(tx, ctx, { cardId: req.params.id, ...req.body });
        return { status: 201, body: await cardView(tx, ctx, req.params.id) };
      });
    },
  );
};

const cardView = async (tx: Executor, ctx: Ctx, cardId: string) => {
  const [card] = await tx
    .select({ customerId: customerCards.customerId })
    .from(customerCards)
    .where(and(eq(customerCards.tenantId, ctx.tenantId), eq(customerCards.id, cardId)));
  if (!card) throw notFound('会员卡', 'CARD_NOT_FOUND');
  const view = (await listCustomerCards(tx, ctx, card.customerId)).find((row) => row.id === cardId);
  if (!view) throw notFound('会员卡', 'CARD_NOT_FOUND');
  return view;
};
