// What other modules and flows may use of the customers module.

export { activityStatuses, defaultActivityThresholds } from './activity.js';
export { activitySetting, ZActivityThresholds } from './activity-setting.js';
export { type DealStatus, dealStatuses, dealStatusOf } from './deal-status.js';
export { applyConsumptionTags, applyVisitTag, sweepActivity } from './dynamic-tags.js';
export {
  applyDeductionFacts,
  applyOrderFacts,
  applyReferralFacts,
  applyVisitFacts,
  type CustomerFacts,
  customerValueOrder,
  type FactDifference,
  getCustomerFacts,
  paidSinceExpression,
  recomputeFacts,
  toWindowFacts,
  verifyFactLedgers,
  verifyFacts,
  windowFactsExpression,
} from './facts.js';
export { customerRoutes } from './routes.js';
export { type CustomerInput, type CustomerPatch, ZMobile } from './schemas.js';
export {
  assertCustomerExists,
  birthdayWithinCondition,
  type CustomerIdCondition,
  type CustomerListConditions,
  type CustomerRow,
  countCustomers,
  createCustomer,
  customerLockScopeKey,
  getCustomerRow,
  linkFamilyMember,
  upcomingWindow,
  updateCustomer,
} from './service.js';
export { customerSettingsRoutes } from './settings-routes.js';
export { customers } from './tables.js';
export { type OrderVisitType, type VisitType, visitTypeLabels, visitTypes } from './visit-types.js';
