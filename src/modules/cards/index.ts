// What other modules may call: the checkout's stored-value and card hooks, the card benefits
// a customer may use (for pricing) and the record of a card's use.
export {
  type CardBenefit,
  isCardValidOn,
  recordCardUse,
  resolveCardsForCustomer,
  reverseCardUse,
  reverseCardUsesOfOrder,
} from './customer-cards.js';
export {
  applyCardLines,
  assertPaymentReversible,
  refundCardLine,
  restoreForPayment,
  restoreForRefund,
  spendForPayment,
} from './order-hooks.js';
export { storedValueBalanceOf } from './queries.js';
export { storedValueSetting } from './settings.js';
export { verifyStoredValueLedgers } from './verify.js';
