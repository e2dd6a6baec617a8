import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { storeScope } from '../../platform/context.js';
import type { Deps } from '../../platform/deps.js';
import { type App, authOf, can, ctxOf, errorResponses, ZIdParams } from '../../platform/http.js';
import {
  ZAppointment,
  ZAppointmentInput,
  ZAppointmentListQuery,
  ZAppointmentPatch,
  ZArriveInput,
  ZVisit,
  ZVisitInput,
  ZVisitListQuery,
  ZVisitProposal,
  ZVisitType,
} from './schemas.js';
import { createAppointment, getAppointmentView, getVisitView, listAppointments, listVisits, updateAppointment, type VisitInput } from './service.js';
import type { VisitType, VisitTypeProposal } from './visit-type.js';

const tags = ['Appointments & visits'];

/** The arrival flows (src/flows/arrive.ts), given by the app: a module never imports a flow. */
export type VisitFlows = {
  proposeArrivalType: (tx: Executor, ctx: Ctx, customerId: string) => Promise<VisitTypeProposal & { isDayTypeFixed: boolean }>;
  arrive: (tx: Executor, ctx: Ctx, input: VisitInput) => Promise<string>;
  arriveByAppointment: (
    tx: Executor,
    ctx: Ctx,
    appointmentId: string,
    input: { visitType?: VisitType; consultantId?: string | null; notes?: string | null },
  ) => Promise<string>;
  retypeVisit: (tx: Executor, ctx: Ctx, visitId: string, visitType: VisitType) => Promise<void>;
};

export const visitRoutes = (app: App, { db, clock }: Deps, flows: VisitFlows) => {
  const oneAppointment = (req: Parameters<typeof can>[0], id: string) =>
    getAppointmentView(db, authOf(req).tenantId, id, { canSeePhone: can(req, 'customers.phone.full') });

  app.get(
    '/appointments',
    {
      config: { permission: 'visits.read' },
      schema: {
        tags,
        summary: 'Appointments: a day per store (and staff), or a customer’s',
        querystring: ZAppointmentListQuery,
        response: { 200: z.object({ items: z.array(ZAppointment) }), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return {
        items: await listAppointments(
          db,
          ctx.tenantId,
          { ...req.query, ...storeScope(ctx, req.query.storeId) },
          { canSeePhone: can(req, 'customers.phone.full') },
        ),
      };
    },
  );

  app.post(
    '/appointments',
    {
      config: { permission: 'visits.write' },
      schema: { tags, summary: 'Book an appointment', body: ZAppointmentInput, response: { 201: ZAppointment, ...errorResponses } },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const id = await db.transaction((tx) => createAppointment(tx, ctx, req.body));
      return reply.code(201).send(await oneAppointment(req, id));
    },
  );

  app.patch(
    '/appointments/:id',
    {
      config: { permission: 'visits.write' },
      schema: {
        tags,
        summary: 'Reschedule, cancel or mark a no-show',
        params: ZIdParams,
        body: ZAppointmentPatch,
        response: { 200: ZAppointment, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      await db.transaction((tx) => updateAppointment(tx, ctx, req.params.id, req.body));
      return oneAppointment(req, req.params.id);
    },
  );

  app.post(
    '/appointments/:id/arrive',
    {
      config: { permission: 'visits.write' },
      schema: { tags, summary: '到店: register the arrival as a visit', params: ZIdParams, body: ZArriveInput, response: { 201: ZVisit, ...errorResponses } },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const visitId = await db.transaction((tx) => flows.arriveByAppointment(tx, ctx, req.params.id, req.body));
      return reply.code(201).send(await getVisitView(db, ctx.tenantId, visitId));
    },
  );

  app.get(
    '/visits',
    {
      config: { permission: 'visits.read' },
      schema: {
        tags,
        summary: 'Visits by store, day or customer',
        querystring: ZVisitListQuery,
        response: { 200: z.object({ items: z.array(ZVisit) }), ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return { items: await listVisits(db, ctx.tenantId, { ...req.query, ...storeScope(ctx, req.query.storeId) }) };
    },
  );

  app.get(
    '/customers/:id/visit-proposal',
    {
      config: { permission: 'visits.read' },
      schema: {
        tags,
        summary: 'The visit type the system proposes for an arrival now, with its reason',
        params: ZIdParams,
        response: { 200: ZVisitProposal, ...errorResponses },
      },
    },
    async (req) => flows.proposeArrivalType(db, ctxOf(req, clock), req.params.id),
  );

  app.post(
    '/visits',
    {
      config: { permission: 'visits.write' },
      schema: { tags, summary: '到访登记 without an appointment', body: ZVisitInput, response: { 201: ZVisit, ...errorResponses } },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const visitId = await db.transaction((tx) => flows.arrive(tx, ctx, req.body));
      return reply.code(201).send(await getVisitView(db, ctx.tenantId, visitId));
    },
  );

  app.patch(
    '/visits/:id',
    {
      config: { permission: 'visits.write' },
      schema: {
        tags,
        summary: "Override the visit type (changes the customer's whole day)",
        params: ZIdParams,
        body: z.strictObject({ visitType: ZVisitType }),
        response: { 200: ZVisit, ...errorResponses },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      await db.transaction((tx) => flows.retypeVisit(tx, ctx, req.params.id, req.body.visitType));
      return getVisitView(db, ctx.tenantId, req.params.id);
    },
  );
};
