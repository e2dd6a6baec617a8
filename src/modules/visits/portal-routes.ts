import { and, asc, eq, gte } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { DomainError } from '../../platform/errors.js';
import { type App, errorResponses, type MemberPrincipal, memberCtx, memberOf, ZIdParams } from '../../platform/http.js';
import { itemsByIds, listItems } from '../catalog/index.js';
import { stores } from '../tenants/index.js';
import { bookingOptions, bookingSlots, bookOnline } from './booking.js';
import { updateAppointment } from './service.js';
import { appointments } from './tables.js';

const tags = ['Member portal'];

const ZPortalAppointment = z
  .object({
    id: z.uuid(),
    storeName: z.string(),
    startsAt: z.string(),
    durationMinutes: z.number().int(),
    itemNames: z.array(z.string()),
    status: z.string(),
  })
  .meta({ id: 'PortalAppointment' });

/** 预约到店 in the member portal: the clinic's open slots, booking one, her upcoming visits and cancelling. */
export const visitPortalRoutes = (app: App, { db, clock }: Deps) => {
  const serviceItems = async (tenantId: string) =>
    (await listItems(db, tenantId, { kind: 'service', page: 1, pageSize: 200 })).items.map((item) => ({
      id: item.id,
      name: item.name,
      priceFen: item.priceFen,
    }));

  const myAppointments = async (member: MemberPrincipal, now: Date) => {
    const rows = await db
      .select({ appointment: appointments, storeName: stores.name })
      .from(appointments)
      .innerJoin(stores, and(eq(stores.tenantId, appointments.tenantId), eq(stores.id, appointments.storeId)))
      .where(
        and(
          eq(appointments.tenantId, member.tenantId),
          eq(appointments.customerId, member.customerId),
          eq(appointments.status, 'booked'),
          gte(appointments.startsAt, new Date(now.getTime() - 2 * 3_600_000)),
        ),
      )
      .orderBy(asc(appointments.startsAt));
    const names = new Map(
      (await itemsByIds(db, member.tenantId, [...new Set(rows.flatMap((row) => row.appointment.itemIds))])).map((item) => [item.id, item.name]),
    );
    return rows.map(({ appointment, storeName }) => ({
      id: appointment.id,
      storeName,
      startsAt: appointment.startsAt.toISOString(),
      durationMinutes: appointment.durationMinutes,
      itemNames: appointment.itemIds.map((id) => names.get(id) ?? '').filter(Boolean),
      status: appointment.status,
    }));
  };

  app.get(
    '/booking',
    {
      schema: {
        tags,
        summary: 'What I may book: open stores, service items, the days ahead',
        response: {
          200: z.object({
            isOpen: z.boolean(),
            stores: z.array(z.object({ id: z.uuid(), name: z.string(), address: z.string().nullable() })),
            items: z.array(z.object({ id: z.uuid(), name: z.string(), priceFen: z.number().int() })),
            days: z.array(z.string()),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const member = memberOf(req);
      return bookingOptions(db, memberCtx(member, clock.now()), await serviceItems(member.tenantId));
    },
  );

  app.get(
    '/booking/slots',
    {
      schema: {
        tags,
        summary: "A store's slots on a day, each free or not",
        querystring: z.strictObject({ storeId: z.uuid(), date: z.iso.date() }),
        response: { 200: z.object({ slots: z.array(z.object({ startsAt: z.string(), isAvailable: z.boolean() })) }), ...errorResponses },
      },
    },
    async (req) => {
      const member = memberOf(req);
      const { slots } = await bookingSlots(db, memberCtx(member, clock.now()), req.query.storeId, req.query.date);
      return { slots };
    },
  );

  app.get(
    '/appointments',
    { schema: { tags, summary: 'My upcoming booked visits', response: { 200: z.object({ items: z.array(ZPortalAppointment) }), ...errorResponses } } },
    async (req) => ({ items: await myAppointments(memberOf(req), clock.now()) }),
  );

  app.post(
    '/appointments',
    {
      schema: {
        tags,
        summary: 'Book a visit for one item in a free slot (the same booking again returns the one made)',
        body: z.strictObject({ storeId: z.uuid(), itemId: z.uuid(), startsAt: z.iso.datetime({ offset: true }) }),
        response: { 201: ZPortalAppointment, 200: ZPortalAppointment, ...errorResponses },
      },
    },
    async (req, reply) => {
      const member = memberOf(req);
      const now = clock.now();
      const made = await db.transaction((tx) => bookOnline(tx, memberCtx(member, now), { customerId: member.customerId, ...req.body }));
      const view = (await myAppointments(member, now)).find((appointment) => appointment.id === made.id);
      if (!view) throw new DomainError('not_found', 'APPOINTMENT_NOT_FOUND', '预约不存在');
      return reply.code(made.isNew ? 201 : 200).send(view);
    },
  );

  app.post(
    '/appointments/:id/cancel',
    { schema: { tags, summary: 'Cancel my booked visit', params: ZIdParams, response: { 204: z.null(), ...errorResponses } } },
    async (req, reply) => {
      const member = memberOf(req);
      const ctx = memberCtx(member, clock.now());
      await db.transaction(async (tx) => {
        const [mine] = await tx
          .select({ status: appointments.status })
          .from(appointments)
          .where(and(eq(appointments.tenantId, member.tenantId), eq(appointments.id, req.params.id), eq(appointments.customerId, member.customerId)));
        if (!mine) throw new DomainError('not_found', 'APPOINTMENT_NOT_FOUND', '预约不存在');
        if (mine.status !== 'booked') throw new DomainError('conflict', 'APPOINTMENT_NOT_BOOKED', '该预约已到店或已取消');
        await updateAppointment(tx, ctx, req.params.id, { status: 'cancelled' });
      });
      return reply.code(204).send(null);
    },
  );
};
