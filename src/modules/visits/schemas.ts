import { z } from 'zod';
import { ZTimestamp } from '../../platform/http.js';
import { visitTypes } from './visit-type.js';

export const ZVisitType = z.enum(visitTypes);
export const appointmentStatuses = ['booked', 'arrived', 'no_show', 'cancelled'] as const;
export const ZAppointmentStatus = z.enum(appointmentStatuses);

export const ZAppointmentInput = z.strictObject({
  storeId: z.uuid(),
  customerId: z.uuid(),
  staffId: z.uuid().nullable().optional(),
  startsAt: z.iso.datetime({ offset: true }),
  durationMinutes: z.number().int().min(5).max(720).default(60),
  itemIds: z.array(z.uuid()).max(20).default([]),
  notes: z.string().max(500).nullable().optional(),
});
export type AppointmentInput = z.infer<typeof ZAppointmentInput>;

export const ZAppointmentPatch = z.strictObject({
  staffId: z.uuid().nullable().optional(),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  durationMinutes: z.number().int().min(5).max(720).optional(),
  itemIds: z.array(z.uuid()).max(20).optional(),
  notes: z.string().max(500).nullable().optional(),
  /** Mark a no-show or cancel; arrival goes through POST /appointments/{id}/arrive. */
  status: z.enum(['booked', 'no_show', 'cancelled']).optional(),
});

export const ZAppointment = z
  .object({
    id: z.uuid(),
    storeId: z.uuid(),
    customerId: z.uuid(),
    customerName: z.string(),
    customerPhone: z.string(),
    hasAllergy: z.boolean(),
    allergies: z.array(z.string()),
    staffId: z.uuid().nullable(),
    staffName: z.string().nullable(),
    startsAt: ZTimestamp,
    durationMinutes: z.number().int(),
    businessDate: z.string(),
    items: z.array(z.object({ id: z.uuid(), name: z.string() })),
    status: ZAppointmentStatus,
    notes: z.string().nullable(),
    visitId: z.uuid().nullable(),
  })
  .meta({ id: 'Appointment' });

export const ZAppointmentListQuery = z.strictObject({
  storeId: z.uuid().optional(),
  businessDate: z.iso.date().optional(),
  staffId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  status: ZAppointmentStatus.optional(),
});

export const ZVisitInput = z.strictObject({
  customerId: z.uuid(),
  storeId: z.uuid(),
  /** Override the proposed type (only the day's first visit sets the day's type). */
  visitType: ZVisitType.optional(),
  consultantId: z.uuid().nullable().optional(),
  notes: z.string().max(500).nullable().optional(),
});

export const ZArriveInput = z.strictObject({
  visitType: ZVisitType.optional(),
  consultantId: z.uuid().nullable().optional(),
  notes: z.string().max(500).nullable().optional(),
});

export const ZVisit = z
  .object({
    id: z.uuid(),
    storeId: z.uuid(),
    storeName: z.string(),
    customerId: z.uuid(),
    customerName: z.string(),
    arrivedAt: ZTimestamp,
    businessDate: z.string(),
    visitType: ZVisitType,
    proposedType: ZVisitType,
    proposalReason: z.string(),
    isOverridden: z.boolean(),
    isFirstOfDay: z.boolean(),
    appointmentId: z.uuid().nullable(),
    consultantId: z.uuid().nullable(),
    consultantName: z.string().nullable(),
    notes: z.string().nullable(),
  })
  .meta({ id: 'Visit' });

export const ZVisitProposal = z.object({ type: ZVisitType, reason: z.string(), isDayTypeFixed: z.boolean() });

export const ZVisitListQuery = z.strictObject({
  storeId: z.uuid().optional(),
  businessDate: z.iso.date().optional(),
  customerId: z.uuid().optional(),
});
