import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import type { Deps } from '../../platform/deps.js';
import { type App, actorOf, authOf, can, ctxOf, errorResponses, ZIdParams } from '../../platform/http.js';
import { idempotentWrite } from '../../platform/idempotent-route.js';
import {
  type CustomerInput,
  type CustomerPatch,
  ZCustomer,
  ZCustomer360,
  ZCustomerInput,
  ZCustomerList,
  ZCustomerListQuery,
  ZCustomerPatch,
  ZFamily,
  ZFamilyLinkRequest,
  ZFamilyMemberParams,
  ZTagCounts,
} from './schemas.js';
import {
  type CustomerListConditions,
  type CustomerRow,
  customer360,
  getCustomerRow,
  linkFamilyMember,
  listCustomers,
  tagCounts,
  toCustomerView,
  unlinkFamilyMember,
} from './service.js';

const tags = ['Customers'];

/** The flows these routes start (src/flows/register-customer.ts), given by the app: a module never imports a flow. */
export type CustomerFlows = {
  registerCustomer: (tx: Executor, ctx: Ctx, input: CustomerInput) => Promise<CustomerRow>;
  changeCustomer: (tx: Executor, ctx: Ctx, customerId: string, patch: CustomerPatch) => Promise<CustomerRow>;
  /** The list's filters other modules answer (已预约未到店, points and vouchers about to expire). */
  customerListConditions: (ctx: Ctx) => CustomerListConditions;
};

export const customerRoutes = (app: App, { db, clock }: Deps, flows: CustomerFlows) => {
  const phoneVisibility = (req: Parameters<typeof can>[0]) => ({ canSeePhone: can(req, 'customers.phone.full') });

  app.get(
    '/customers',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'Search and filter customers',
        description: 'One search box `q`: part of the name, pinyin initials or full pinyin (all polyphone readings), or the phone tail.',
        querystring: ZCustomerListQuery,
        response: { 200: ZCustomerList, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const { rows, total } = await listCustomers(db, ctx.tenantId, req.query, flows.customerListConditions(ctx));
      const visibility = phoneVisibility(req);
      return { items: rows.map((row) => toCustomerView(row, visibility)), total, page: req.query.page, pageSize: req.query.pageSize };
    },
  );

  app.post(
    '/customers',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Create a customer',
        description: 'Accepts an optional `Idempotency-Key` header: a retried request returns the first response instead of a duplicate error.',
        body: ZCustomerInput,
        response: { 201: ZCustomer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const visibility = phoneVisibility(req);
      return idempotentWrite(db, req, reply, { isKeyRequired: false }, async (tx) => ({
        status: 201,
        body: toCustomerView(await flows.registerCustomer(tx, ctxOf(req, clock), req.body), visibility),
      }));
    },
  );

  app.get(
    '/customers/:id',
    { config: { permission: 'customers.read' }, schema: { tags, summary: 'One customer', params: ZIdParams, response: { 200: ZCustomer, ...errorResponses } } },
    async (req) => toCustomerView(await getCustomerRow(db, authOf(req).tenantId, req.params.id), phoneVisibility(req)),
  );

  app.patch(
    '/customers/:id',
    {
      config: { permission: 'customers.write' },
      schema: { tags, summary: 'Change a customer', params: ZIdParams, body: ZCustomerPatch, response: { 200: ZCustomer, ...errorResponses } },
    },
    async (req) => {
      const row = await db.transaction((tx) => flows.changeCustomer(tx, ctxOf(req, clock), req.params.id, req.body));
      return toCustomerView(row, phoneVisibility(req));
    },
  );

  app.get(
    '/customers/:id/360',
    {
      config: { permission: 'customers.read' },
      schema: { tags, summary: "The customer's whole picture", params: ZIdParams, response: { 200: ZCustomer360, ...errorResponses } },
    },
    async (req) => {
      const { row, ...rest } = await customer360(db, authOf(req).tenantId, req.params.id);
      return { customer: toCustomerView(row, phoneVisibility(req)), ...rest };
    },
  );

  app.post(
    '/customers/:id/family',
    {
      config: { permission: 'customers.write' },
      schema: { tags, summary: 'Add a family member', params: ZIdParams, body: ZFamilyLinkRequest, response: { 200: ZFamily, ...errorResponses } },
    },
    async (req) => {
      const family = await db.transaction((tx) => linkFamilyMember(tx, actorOf(req), req.params.id, req.body.memberId, req.body.relation ?? null));
      return family ?? { id: '', members: [] };
    },
  );

  app.delete(
    '/customers/:id/family/:memberId',
    {
      config: { permission: 'customers.write' },
      schema: { tags, summary: 'Remove a family member', params: ZFamilyMemberParams, response: { 204: z.null(), ...errorResponses } },
    },
    async (req, reply) => {
      await db.transaction((tx) => unlinkFamilyMember(tx, actorOf(req), req.params.id, req.params.memberId));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/customer-tags',
    {
      config: { permission: 'customers.read' },
      schema: { tags, summary: 'Static tags in use, with counts', response: { 200: ZTagCounts, ...errorResponses } },
    },
    async (req) => ({ items: await tagCounts(db, authOf(req).tenantId) }),
  );
};
