// What flows and other modules may call.

export { bookingSetting, bookingSettingsRoutes, ZBookingSettings } from './booking.js';
export { visitPortalRoutes } from './portal-routes.js';
export { visitRoutes } from './routes.js';
export {
  appointmentForArrival,
  bookedNotArrivedCondition,
  checkVisitInput,
  createAppointment,
  customerVisitsOutside,
  dayAtTheDoor,
  findDayVisit,
  markAppointmentArrived,
  recordVisit,
  retypeDayVisits,
  updateAppointment,
  type VisitInput,
  visitHistoryOf,
} from './service.js';
export { appointments, visits } from './tables.js';
export { proposeVisitType, type VisitType } from './visit-type.js';
