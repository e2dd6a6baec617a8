import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { assertStoreAccess, type Ctx, dayOf } from '../../platform/context.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { maskMobile } from '../../platform/phone.js';
import { itemsByIds } from '../catalog/index.js';
import { customers, getCustomerRow } from '../customers/index.js';
import { staffExists, staffNames } from '../staff/index.js';
import { assertStoreOpen, stores } from '../tenants/index.js';
import type { AppointmentInput } from './schemas.js';
import { appointments, visits } from './tables.js';
import type { VisitType, VisitTypeProposal } from './visit-type.js';

type VisitRow = typeof visits.$inferSelect;

/** The first visit of a customer's business day: it sets the day's type. */
export const findDayVisit = async (tx: Executor, tenantId: string, customerId: string, date: string): Promise<VisitRow | undefined> => {
  const [row] = await tx
    .select()
    .from(visits)
    .where(and(eq(visits.tenantId, tenantId), eq(visits.customerId, customerId), eq(visits.businessDate, date)))
    .orderBy(asc(visits.arrivedAt), asc(visits.id))
    .limit(1);
  return row;
};

/** What her visits say for proposing today's visit type: earlier visits, and today's first visit. */
export const visitHistoryOf = async (tx: Executor, ctx: Ctx, customerId: string) => {
  const firstToday = await findDayVisit(tx, ctx.tenantId, customerId, ctx.today);
  const [earlier] = await tx
    .select({ id: visits.id })
    .from(visits)
    .where(and(eq(visits.tenantId, ctx.tenantId), eq(visits.customerId, customerId), lt(visits.businessDate, ctx.today)))
    .limit(1);
  return { hasEarlierVisits: Boolean(earlier), firstVisitTypeToday: (firstToday?.visitType as VisitType | undefined) ?? null };
};

export type VisitInput = {
  customerId: string;
  storeId: string;
  visitType?: VisitType;
  consultantId?: string | null;
  notes?: string | null;
  appointmentId?: string | null;
};

/** Checks a visit's store and consultant before anything is written. */
export const checkVisitInput = async (tx: Executor, ctx: Ctx, input: VisitInput) => {
  await assertStoreOpen(tx, ctx.tenantId, input.storeId);
  assertStoreAccess(ctx, input.storeId);
  if (input.consultantId && !(await staffExists(tx, ctx.tenantId, input.consultantId))) {
    throw new DomainError('rule', 'STAFF_NOT_FOUND', '咨询师不存在', [{ path: 'body.consultantId', message: '员工不存在' }]);
  }
};

/**
 * 到访登记: records the arrival with the proposed (or chosen) type. Later visits of a day keep
 * the day's type: it is set by the first visit.
 */
export const recordVisit = async (tx: Executor, ctx: Ctx, input: VisitInput, proposal: VisitTypeProposal & { isDayTypeFixed: boolean }) => {
  const visitType = proposal.isDayTypeFixed ? proposal.type : (input.visitType ?? proposal.type);
  const visit = {
    tenantId: ctx.tenantId,
    id: newId(),
    storeId: input.storeId,
    customerId: input.customerId,
    arrivedAt: ctx.now,
    businessDate: ctx.today,
    visitType,
    proposedType: proposal.type,
    proposalReason: proposal.reason,
    isOverridden: visitType !== proposal.type,
    appointmentId: input.appointmentId ?? null,
    consultantId: input.consultantId ?? null,
    notes: input.notes ?? null,
    createdBy: ctx.actor.id,
    createdAt: ctx.now,
  };
  await tx.insert(visits).values(visit);
  await writeAudit(tx, ctx.actor, { action: 'visit.register', entityType: 'visit', entityId: visit.id, after: visit });
  return visit;
};

/** Overriding a visit's type changes the whole day's type: its visits here, its orders in the flow. */
export const retypeDayVisits = async (tx: Executor, ctx: Ctx, visitId: string, visitType: VisitType) => {
  const [visit] = await tx
    .select()
    .from(visits)
    .where(and(eq(visits.tenantId, ctx.tenantId), eq(visits.id, visitId)));
  if (!visit) throw notFound('到访记录', 'VISIT_NOT_FOUND');
  const customer = await getCustomerRow(tx, ctx.tenantId, visit.customerId, { forUpdate: true });
  const dayVisits = await tx
    .update(visits)
    .set({ visitType, isOverridden: sql`${visitType} <> ${visits.proposedType}` })
    .where(and(eq(visits.tenantId, ctx.tenantId), eq(visits.customerId, visit.customerId), eq(visits.businessDate, visit.businessDate)))
    .returning({ id: visits.id });
  await writeAudit(tx, ctx.actor, {
    action: 'visit.retype',
    entityType: 'visit',
    entityId: visitId,
    before: { visitType: visit.visitType },
    after: { visitType },
  });
  return { visit, customer, dayVisitIds: dayVisits.map((row) => row.id) };
};

export const listVisits = async (
  tx: Executor,
  tenantId: string,
  filter: { id?: string; storeId?: string; storeIds?: readonly string[]; businessDate?: string; customerId?: string },
  limit = 200,
) => {
  const rows = await tx
    .select({ visit: visits, customerName: customers.name, storeName: stores.name })
    .from(visits)
    .innerJoin(customers, and(eq(customers.tenantId, visits.tenantId), eq(customers.id, visits.customerId)))
    .innerJoin(stores, and(eq(stores.tenantId, visits.tenantId), eq(stores.id, visits.storeId)))
    .where(
      and(
        eq(visits.tenantId, tenantId),
        filter.id ? eq(visits.id, filter.id) : undefined,
        filter.storeId ? eq(visits.storeId, filter.storeId) : undefined,
        filter.storeIds ? inArray(visits.storeId, [...filter.storeIds]) : undefined,
        filter.businessDate ? eq(visits.businessDate, filter.businessDate) : undefined,
        filter.customerId ? eq(visits.customerId, filter.customerId) : undefined,
      ),
    )
    .orderBy(desc(visits.arrivedAt), desc(visits.id))
    .limit(limit);
  const names = await staffNames(
    tx,
    tenantId,
    rows.flatMap((row) => (row.visit.consultantId ? [row.visit.consultantId] : [])),
  );
  const firstIds = new Set<string>();
  const seen = new Set<string>();
  for (const row of [...rows].sort((a, b) => a.visit.arrivedAt.getTime() - b.visit.arrivedAt.getTime())) {
    const key = `${row.visit.customerId}:${row.visit.businessDate}`;
    if (!seen.has(key)) firstIds.add(row.visit.id);
    seen.add(key);
  }
  return rows.map(({ visit, customerName, storeName }) => ({
    id: visit.id,
    storeId: visit.storeId,
    storeName,
    customerId: visit.customerId,
    customerName,
    arrivedAt: visit.arrivedAt.toISOString(),
    businessDate: visit.businessDate,
    visitType: visit.visitType as VisitType,
    proposedType: visit.proposedType as VisitType,
    proposalReason: visit.proposalReason,
    isOverridden: visit.isOverridden,
    isFirstOfDay: firstIds.has(visit.id),
    appointmentId: visit.appointmentId,
    consultantId: visit.consultantId,
    consultantName: visit.consultantId ? (names.get(visit.consultantId) ?? null) : null,
    notes: visit.notes,
  }));
};

// Appointments

const checkAppointmentRefs = async (tx: Executor, ctx: Ctx, input: { storeId?: string; staffId?: string | null; itemIds?: string[] }) => {
  if (input.storeId) await assertStoreOpen(tx, ctx.tenantId, input.storeId);
  if (input.staffId && !(await staffExists(tx, ctx.tenantId, input.staffId)))
    throw new DomainError('rule', 'STAFF_NOT_FOUND', '员工不存在', [{ path: 'body.staffId', message: '员工不存在' }]);
  if (input.itemIds && input.itemIds.length > 0) {
    const found = await itemsByIds(tx, ctx.tenantId, input.itemIds);
    if (found.length !== new Set(input.itemIds).size)
      throw new DomainError('rule', 'ITEM_NOT_FOUND', '意向项目不存在', [{ path: 'body.itemIds', message: '项目不存在' }]);
  }
};

export const createAppointment = async (tx: Executor, ctx: Ctx, input: AppointmentInput) => {
  await getCustomerRow(tx, ctx.tenantId, input.customerId);
  await checkAppointmentRefs(tx, ctx, input);
  assertStoreAccess(ctx, input.storeId);
  const startsAt = new Date(input.startsAt);
  const appointment = {
    tenantId: ctx.tenantId,
    id: newId(),
    storeId: input.storeId,
    customerId: input.customerId,
    staffId: input.staffId ?? null,
    startsAt,
    durationMinutes: input.durationMinutes,
    businessDate: dayOf(ctx, startsAt),
    itemIds: [...new Set(input.itemIds)],
    status: 'booked',
    notes: input.notes ?? null,
    createdBy: ctx.actor.type === 'staff' ? ctx.actor.id : null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await tx.insert(appointments).values(appointment);
  await writeAudit(tx, ctx.actor, { action: 'appointment.create', entityType: 'appointment', entityId: appointment.id, after: appointment });
  return appointment.id;
};

const lockAppointment = async (tx: Executor, tenantId: string, id: string) => {
  const [row] = await tx
    .select()
    .from(appointments)
    .where(and(eq(appointments.tenantId, tenantId), eq(appointments.id, id)))
    .for('update');
  if (!row) throw notFound('预约', 'APPOINTMENT_NOT_FOUND');
  return row;
};

export const updateAppointment = async (
  tx: Executor,
  ctx: Ctx,
  id: string,
  patch: {
    staffId?: string | null;
    startsAt?: string;
    durationMinutes?: number;
    itemIds?: string[];
    notes?: string | null;
    status?: 'booked' | 'no_show' | 'cancelled';
  },
) => {
  const before = await lockAppointment(tx, ctx.tenantId, id);
  assertStoreAccess(ctx, before.storeId);
  if (before.status === 'arrived') throw new DomainError('conflict', 'APPOINTMENT_ARRIVED', '客户已到店，预约不能再修改');
  await checkAppointmentRefs(tx, ctx, patch);
  const startsAt = patch.startsAt ? new Date(patch.startsAt) : undefined;
  const [after] = await tx
    .update(appointments)
    .set({
      ...(patch.staffId !== undefined ? { staffId: patch.staffId } : {}),
      ...(startsAt ? { startsAt, businessDate: dayOf(ctx, startsAt) } : {}),
      ...(patch.durationMinutes !== undefined ? { durationMinutes: patch.durationMinutes } : {}),
      ...(patch.itemIds !== undefined ? { itemIds: [...new Set(patch.itemIds)] } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      updatedAt: ctx.now,
    })
    .where(and(eq(appointments.tenantId, ctx.tenantId), eq(appointments.id, id)))
    .returning();
  await writeAudit(tx, ctx.actor, { action: 'appointment.update', entityType: 'appointment', entityId: id, before, after });
};

/** 到店: only today's booked appointment can become a visit; locked until the flow marks it arrived. */
export const appointmentForArrival = async (tx: Executor, ctx: Ctx, id: string) => {
  const appointment = await lockAppointment(tx, ctx.tenantId, id);
  assertStoreAccess(ctx, appointment.storeId);
  if (appointment.status === 'arrived') throw new DomainError('conflict', 'APPOINTMENT_ARRIVED', '该预约已登记到店');
  // A visit is always recorded today: only today's appointments can turn into one.
  if (appointment.businessDate !== ctx.today)
    throw new DomainError('rule', 'APPOINTMENT_NOT_TODAY', `该预约在 ${appointment.businessDate}，只能登记当天预约的到店；请直接登记到访`);
  if (appointment.status === 'cancelled') throw new DomainError('conflict', 'APPOINTMENT_CANCELLED', '该预约已取消');
  return appointment;
};

export const markAppointmentArrived = async (tx: Executor, ctx: Ctx, id: string, visitId: string) => {
  await tx
    .update(appointments)
    .set({ status: 'arrived', visitId, updatedAt: ctx.now })
    .where(and(eq(appointments.tenantId, ctx.tenantId), eq(appointments.id, id)));
};

export const listAppointments = async (
  tx: Executor,
  tenantId: string,
  filter: { id?: string; storeId?: string; storeIds?: readonly string[]; businessDate?: string; staffId?: string; customerId?: string; status?: string },
  options: { canSeePhone: boolean },
) => {
  const rows = await tx
    .select({ appointment: appointments, customerName: customers.name, phone: customers.phone, allergies: customers.allergies })
    .from(appointments)
    .innerJoin(customers, and(eq(customers.tenantId, appointments.tenantId), eq(customers.id, appointments.customerId)))
    .where(
      and(
        eq(appointments.tenantId, tenantId),
        filter.id ? eq(appointments.id, filter.id) : undefined,
        filter.storeId ? eq(appointments.storeId, filter.storeId) : undefined,
        filter.storeIds ? inArray(appointments.storeId, [...filter.storeIds]) : undefined,
        filter.businessDate ? eq(appointments.businessDate, filter.businessDate) : undefined,
        filter.staffId ? eq(appointments.staffId, filter.staffId) : undefined,
        filter.customerId ? eq(appointments.customerId, filter.customerId) : undefined,
        filter.status ? eq(appointments.status, filter.status) : undefined,
      ),
    )
    .orderBy(filter.customerId ? desc(appointments.startsAt) : asc(appointments.startsAt), asc(appointments.id))
    .limit(500);
  const names = await staffNames(
    tx,
    tenantId,
    rows.flatMap((row) => (row.appointment.staffId ? [row.appointment.staffId] : [])),
  );
  const itemIds = [...new Set(rows.flatMap((row) => row.appointment.itemIds))];
  const itemNames = new Map((await itemsByIds(tx, tenantId, itemIds)).map((item) => [item.id, item.name]));
  return rows.map(({ appointment, customerName, phone, allergies }) => ({
    id: appointment.id,
    storeId: appointment.storeId,
    customerId: appointment.customerId,
    customerName,
    customerPhone: options.canSeePhone ? phone : maskMobile(phone),
    hasAllergy: allergies.length > 0,
    allergies,
    staffId: appointment.staffId,
    staffName: appointment.staffId ? (names.get(appointment.staffId) ?? null) : null,
    startsAt: appointment.startsAt.toISOString(),
    durationMinutes: appointment.durationMinutes,
    businessDate: appointment.businessDate,
    items: appointment.itemIds.map((itemId) => ({ id: itemId, name: itemNames.get(itemId) ?? '' })),
    status: appointment.status as 'booked' | 'arrived' | 'no_show' | 'cancelled',
    notes: appointment.notes,
    visitId: appointment.visitId,
  }));
};

export const getVisitView = async (tx: Executor, tenantId: string, id: string) => {
  const [view] = await listVisits(tx, tenantId, { id }, 1);
  if (!view) throw notFound('到访记录', 'VISIT_NOT_FOUND');
  return view;
};

export const getAppointmentView = async (tx: Executor, tenantId: string, id: string, options: { canSeePhone: boolean }) => {
  const [view] = await listAppointments(tx, tenantId, { id }, options);
  if (!view) throw notFound('预约', 'APPOINTMENT_NOT_FOUND');
  return view;
};

/** For customer filters: has an appointment on or before `today` that was never arrived. */
export const bookedNotArrivedCondition = (tenantId: string, today: string) => (customerIdColumn: typeof customers.id) =>
  sql`exists (select 1 from ${appointments} a where a.tenant_id = ${tenantId} and a.customer_id = ${customerIdColumn}
        and a.status in ('booked', 'no_show') and a.business_date <= ${today}::date)`;

/** A store's appointments and arrivals on a business date, by state (the today screen). */
export const dayAtTheDoor = async (tx: Executor, tenantId: string, storeId: string, businessDate: string) => {
  const [row] = await queryRows<{ booked: number; arrived: number; no_show: number; visits: number }>(
    tx,
    sql`select count(*) filter (where a.status = 'booked')::int as booked,
               count(*) filter (where a.status = 'arrived')::int as arrived,
               count(*) filter (where a.status = 'no_show')::int as no_show,
               (select count(*)::int from ${visits} v where v.tenant_id = ${tenantId} and v.store_id = ${storeId} and v.business_date = ${businessDate}::date) as visits
          from ${appointments} a
         where a.tenant_id = ${tenantId} and a.store_id = ${storeId} and a.business_date = ${businessDate}::date`,
  );
  return { toCome: row?.booked ?? 0, arrived: row?.arrived ?? 0, noShow: row?.no_show ?? 0, visits: row?.visits ?? 0 };
};

/** A customer's visits and appointments per store, in the stores not listed (what a store-scoped account does not see). */
export const customerVisitsOutside = async (tx: Executor, tenantId: string, customerId: string, visibleStoreIds: readonly string[]) =>
  (
    await queryRows<{ store_id: string; visits: number; appointments: number }>(
      tx,
      sql`select store_id, sum(visits)::int as visits, sum(appointments)::int as appointments from (
            select store_id, 1 as visits, 0 as appointments from visits where tenant_id = ${tenantId} and customer_id = ${customerId}
            union all
            select store_id, 0, 1 from appointments where tenant_id = ${tenantId} and customer_id = ${customerId}
          ) seen
          where not (store_id = any(${`{${visibleStoreIds.join(',')}}`}::uuid[]))
          group by store_id`,
    )
  ).map((row) => ({ storeId: row.store_id, visits: Number(row.visits), appointments: Number(row.appointments) }));
