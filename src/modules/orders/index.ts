// What flows and other modules may call: the order's own rows and decisions. Checkout, refund,
// void, payment reversal and arrears are flows (src/flows/), which call these.
export { type AttributionShare, splitAttribution } from './attribution.js';
export { courseFacts, createCourses, deductSessions, listCourses, remainingOf, valueOfSessions } from './courses.js';
export { decideDeal, type LineKind } from './deal-rules.js';
export { nextOrderNumber } from './numbers.js';
export {
  arrearsOf,
  checkAttribution,
  creditPerformance,
  dueOf,
  findOrder,
  getPayment,
  insertOrder,
  insertPayments,
  insertReversal,
  isPaymentReversed,
  linesOfOrder,
  linkOrdersToVisit,
  lockOrder,
  markPlaced,
  markVoided,
  type OrderLineRow,
  type OrderRow,
  type PaymentInput,
  type PaymentRow,
  pointsPaidOnOrder,
  resolveOrderLines,
  retypeVisitOrders,
  setPaid,
  tooMuch,
} from './place-order.js';
export { monthOfPoints } from './points-month.js';
export { orderPortalRoutes } from './portal-routes.js';
export { type LineToPrice, type PricingOptions, pricingSettingsSetting, quoteOf, ZQuote } from './pricing.js';
export { customerOrdersOutside, getOrderView } from './queries.js';
export { lockOrderForRefund, refundOrderLines } from './refund-order.js';
export type { OrderFlows } from './routes.js';
export { orderRoutes } from './routes.js';
export type { OpenOrderRequest, PaymentMethod, RefundRequest } from './schemas.js';
export { ZOrder, ZPaymentInput } from './schemas.js';
export { activitySetting, dealRulesSetting, orderSettingsSetting, ZReversalReason } from './settings.js';
export { orderSettingsRoutes } from './settings-routes.js';
export { assertDayOpen } from './shift-close.js';
export { courseItems, deductions, orderLines, orders, payments } from './tables.js';
export { dealCountBefore, refreshConsumptionTags } from './tags.js';
export { deskDay } from './today.js';
