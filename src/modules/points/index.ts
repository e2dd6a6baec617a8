// What flows and other modules may call: points moved by an order's payments and refunds.

export { seedHolidayCalendar } from './calendar.js';
export { expireDueLotsBatch } from './expiry.js';
export { earnPoints, reverseEntry } from './ledger.js';
export {
  earnForOrderPayments,
  redeemForPayment,
  restorePointsForPayment,
  restorePointsForRefund,
  reversePointsForPayment,
  reversePointsForRefund,
} from './order-points.js';
export { orderPointsSummary, pointsExpiringCondition, pointsOverview } from './queries.js';
export { queueExpiryReminders } from './reminders.js';
export { pointsRoutes } from './routes.js';
export { expiryFor, pointsSettingsSetting } from './settings.js';
export { verifyPointsLedgers } from './verify.js';
