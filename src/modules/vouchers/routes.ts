import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { type App, authOf, can, ctxOf, errorResponses, ZIdParams } from '../../platform/http.js';
import { idempotentWrite } from '../../platform/idempotent-route.js';
import { maskMobile } from '../../platform/phone.js';
import { getCustomerRow } from '../customers/index.js';
import { issueOrRefuse } from './issue.js';
import {
  walletStatuses,
  ZCustomerVoucher,
  ZIssueRequest,
  ZRedeemCodeRequest,
  ZVoucherEvent,
  ZVoucherTemplate,
  ZVoucherTemplateInput,
  ZVoucherTemplatePatch,
} from './schemas.js';
import { createVoucherTemplate, getVoucherTemplate, listVoucherTemplates, updateVoucherTemplate } from './templates.js';
import { findVoucherByCode, getWalletVoucherRow, listWallet, redeemByCode, toVoucherView, voidVoucher, voucherHistory } from './wallet.js';

const tags = ['Vouchers'];
const valueMoving = 'Moves value: requires an `Idempotency-Key` header; a replay returns the first response.';

const ZCustomerParams = z.strictObject({ id: z.uuid() });
const ZVoucherWithHolder = z.object({
  voucher: ZCustomerVoucher,
  customer: z.object({ id: z.uuid(), name: z.string(), phone: z.string().nullable() }),
});

export const voucherRoutes = (app: App, { db, clock }: Deps) => {
  app.get(
    '/voucher-templates',
    {
      config: { permission: 'vouchers.read' },
      schema: {
        tags,
        summary: '券模板: the clinic’s vouchers, with the title customers see and the stock left',
        querystring: z.strictObject({
          includeInactive: z
            .enum(['true', 'false'])
            .transform((value) => value === 'true')
            .optional(),
        }),
        response: { 200: z.object({ items: z.array(ZVoucherTemplate) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await listVoucherTemplates(db, authOf(req).tenantId, req.query) }),
  );

  app.get(
    '/voucher-templates/:id',
    {
      config: { permission: 'vouchers.read' },
      schema: { tags, summary: 'One voucher template', params: ZIdParams, response: { 200: ZVoucherTemplate, ...errorResponses } },
    },
    async (req) => getVoucherTemplate(db, authOf(req).tenantId, req.params.id),
  );

  app.post(
    '/voucher-templates',
    {
      config: { permission: 'vouchers.manage' },
      schema: {
        tags,
        summary: 'Create a voucher template (kind, value, scope, channels, validity, stock, per-customer limit, stacking)',
        body: ZVoucherTemplateInput,
        response: { 201: ZVoucherTemplate, ...errorResponses },
      },
    },
    async (req, reply) => {
      const template = await db.transaction((tx) => createVoucherTemplate(tx, ctxOf(req, clock), req.body));
      return reply.code(201).send(template);
    },
  );

  app.patch(
    '/voucher-templates/:id',
    {
      config: { permission: 'vouchers.manage' },
      schema: {
        tags,
        summary: 'Edit a voucher template: vouchers issued from now on follow it; those already issued keep theirs',
        params: ZIdParams,
        body: ZVoucherTemplatePatch,
        response: { 200: ZVoucherTemplate, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => updateVoucherTemplate(tx, ctxOf(req, clock), req.params.id, req.body)),
  );

  app.get(
    '/customers/:id/vouchers',
    {
      config: { permission: 'vouchers.read' },
      schema: {
        tags,
        summary: '券包: a customer’s vouchers — usable first (soonest ending first), then used, expired, voided',
        params: ZCustomerParams,
        querystring: z.strictObject({ status: z.enum(walletStatuses).optional() }),
        response: { 200: z.object({ items: z.array(ZCustomerVoucher) }), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      await getCustomerRow(db, ctx.tenantId, req.params.id);
      return { items: await listWallet(db, ctx, req.params.id, req.query) };
    },
  );

  app.post(
    '/customers/:id/vouchers',
    {
      config: { permission: 'vouchers.issue' },
      schema: {
        tags,
        summary: '赠券: give a customer a template’s voucher(s) by hand, within the stock and her limit',
        description: valueMoving,
        params: ZCustomerParams,
        body: ZIssueRequest,
        response: { 201: z.object({ items: z.array(ZCustomerVoucher) }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        const ctx = ctxOf(req, clock);
        const vouchers = await issueOrRefuse(tx, ctx, {
          templateId: req.body.templateId,
          customerId: req.params.id,
          source: 'manual',
          sourceRef: req.body.note ?? null,
          // The request's own key: a retry replays the issuance, another body under it is a 409.
          issueKey: `manual:${String(req.headers['idempotency-key'])}`,
          quantity: req.body.quantity ?? 1,
        });
        return { status: 201, body: { items: vouchers.map((row) => toVoucherView(row, ctx.today)) } };
      }),
  );

  app.get(
    '/vouchers/:id',
    {
      config: { permission: 'vouchers.read' },
      schema: {
        tags,
        summary: 'One wallet voucher with its history (issued, used, restored, voided)',
        params: ZIdParams,
        response: { 200: z.object({ voucher: ZCustomerVoucher, events: z.array(ZVoucherEvent) }), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const row = await getWalletVoucherRow(db, ctx.tenantId, req.params.id);
      return { voucher: toVoucherView(row, ctx.today), events: await voucherHistory(db, ctx.tenantId, row.id) };
    },
  );

  app.post(
    '/vouchers/:id/void',
    {
      config: { permission: 'vouchers.issue' },
      schema: {
        tags,
        summary: '作废: withdraw an unused voucher, with a reason',
        params: ZIdParams,
        body: z.strictObject({ reason: z.string().trim().min(1, '请填写作废原因').max(200) }),
        response: { 200: ZCustomerVoucher, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const row = await db.transaction((tx) => voidVoucher(tx, ctx, { voucherId: req.params.id, reason: req.body.reason }));
      return toVoucherView(row, ctx.today);
    },
  );

  app.get(
    '/voucher-codes/:code',
    {
      config: { permission: 'vouchers.redeem' },
      schema: {
        tags,
        summary: '核销 lookup: the voucher behind a code and whose it is, before redeeming it',
        params: z.strictObject({ code: z.string().regex(/^\d{12}$/, '核销码为 12 位数字') }),
        response: { 200: ZVoucherWithHolder, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const row = await findVoucherByCode(db, ctx.tenantId, req.params.code);
      const customer = await getCustomerRow(db, ctx.tenantId, row.customerId);
      const phone = customer.phone ? (can(req, 'customers.phone.full') ? customer.phone : maskMobile(customer.phone)) : null;
      return { voucher: toVoucherView(row, ctx.today), customer: { id: customer.id, name: customer.name, phone } };
    },
  );

  app.post(
    '/voucher-redemptions',
    {
      config: { permission: 'vouchers.redeem' },
      schema: {
        tags,
        summary: '核销: redeem an item or gift voucher by its single-use code at the desk',
        description: `${valueMoving} A second redemption of the same code is refused with 409 VOUCHER_ALREADY_REDEEMED.`,
        body: ZRedeemCodeRequest,
        response: { 201: ZVoucherWithHolder, ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotentWrite(db, req, reply, { isKeyRequired: true }, async (tx) => {
        const ctx = ctxOf(req, clock);
        const row = await redeemByCode(tx, ctx, req.body);
        const customer = await getCustomerRow(tx, ctx.tenantId, row.customerId);
        const phone = customer.phone ? (can(req, 'customers.phone.full') ? customer.phone : maskMobile(customer.phone)) : null;
        return { status: 201, body: { voucher: toVoucherView(row, ctx.today), customer: { id: customer.id, name: customer.name, phone } } };
      }),
  );
};
