import type { Executor } from '../db/client.js';
import { applyVisitFacts, applyVisitTag, getCustomerRow } from '../modules/customers/index.js';
import { courseFacts, dealCountBefore, linkOrdersToVisit, orderSettingsSetting, retypeVisitOrders } from '../modules/orders/index.js';
import { recordArrival } from '../modules/referrals/index.js';
import { getSetting } from '../modules/settings/index.js';
import {
  appointmentForArrival,
  checkVisitInput,
  markAppointmentArrived,
  proposeVisitType,
  recordVisit,
  retypeDayVisits,
  type VisitInput,
  type VisitType,
  visitHistoryOf,
} from '../modules/visits/index.js';
import type { Ctx } from '../platform/context.js';

/**
 * The visit type proposed for her arrival today, with its reason: from her visits (earlier ones,
 * today's first), her deals before today and her courses (sessions left, last session), and the
 * clinic's re-check window.
 */
export const proposeArrivalType = async (tx: Executor, ctx: Ctx, customerId: string) => {
  await getCustomerRow(tx, ctx.tenantId, customerId);
  const history = await visitHistoryOf(tx, ctx, customerId);
  const courses = await courseFacts(tx, ctx.tenantId, customerId, ctx.today);
  const { recheckWindowDays } = await getSetting(tx, ctx.tenantId, orderSettingsSetting);
  const dealCount = await dealCountBefore(tx, ctx.tenantId, customerId, ctx.today);
  const proposal = proposeVisitType({ ...history, dealCount, ...courses }, { recheckWindowDays });
  return { ...proposal, isDayTypeFixed: history.firstVisitTypeToday !== null };
};

/**
 * 到访登记: she arrives. In one transaction, with her record locked:
 * 1. the visit, with the proposed type (or the one staff chose on the day's first visit);
 * 2. the day's orders follow the visit and its type;
 * 3. her 到访 tag and her facts (last visit and its type, visits per day and month);
 * 4. a referred customer's first visit moves her referral to 已到店 (and may reward the referrer).
 */
export const arrive = async (tx: Executor, ctx: Ctx, input: VisitInput): Promise<string> => {
  await getCustomerRow(tx, ctx.tenantId, input.customerId, { forUpdate: true });
  await checkVisitInput(tx, ctx, input);
  const proposal = await proposeArrivalType(tx, ctx, input.customerId);
  const visit = await recordVisit(tx, ctx, input, proposal);
  await linkOrdersToVisit(tx, ctx.tenantId, input.customerId, { id: visit.id, visitType: visit.visitType, businessDate: ctx.today });
  await applyVisitTag(tx, ctx.tenantId, input.customerId, { visitType: visit.visitType, businessDate: ctx.today });
  await applyVisitFacts(tx, ctx, { visitId: visit.id });
  await recordArrival(tx, ctx, { customerId: input.customerId, visitId: visit.id, arrivedAt: ctx.now });
  return visit.id;
};

/** 到店: today's appointment becomes a visit, and the appointment is marked arrived. */
export const arriveByAppointment = async (
  tx: Executor,
  ctx: Ctx,
  appointmentId: string,
  input: { visitType?: VisitType; consultantId?: string | null; notes?: string | null },
): Promise<string> => {
  const appointment = await appointmentForArrival(tx, ctx, appointmentId);
  const visitId = await arrive(tx, ctx, { customerId: appointment.customerId, storeId: appointment.storeId, ...input, appointmentId });
  await markAppointmentArrived(tx, ctx, appointmentId, visitId);
  return visitId;
};

/** Staff override a visit's type: the day's visits, then the day's orders, then her tag if it was her last visit. */
export const retypeVisit = async (tx: Executor, ctx: Ctx, visitId: string, visitType: VisitType): Promise<void> => {
  const { visit, customer, dayVisitIds } = await retypeDayVisits(tx, ctx, visitId, visitType);
  await retypeVisitOrders(tx, ctx.tenantId, dayVisitIds, visitType);
  for (const dayVisitId of dayVisitIds) await applyVisitFacts(tx, ctx, { visitId: dayVisitId });
  if (customer.lastVisitDate === visit.businessDate) await applyVisitTag(tx, ctx.tenantId, visit.customerId, { visitType, businessDate: visit.businessDate });
};
