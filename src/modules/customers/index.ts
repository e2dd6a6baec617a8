// What other modules and flows may use of the customers module.
export {
  applyDeductionFacts,
  applyOrderFacts,
  applyReferralFacts,
  applyVisitFacts,
  type CustomerFacts,
  type FactDifference,
  getCustomerFacts,
  recomputeFacts,
  verifyFactLedgers,
  verifyFacts,
  windowFacts,
} from './facts.js';
export { type CustomerRow, getCustomerRow } from './service.js';
