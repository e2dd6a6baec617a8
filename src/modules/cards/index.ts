// What other modules may call: the checkout's stored-value and card hooks, the card benefits
// a customer may use (for pricing) and the record of a card's use.
export {
  addCardMember,
  type CardBenefit,
  isCardValidOn,
  listCustomerCards,
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
export { cardPortalRoutes } from './portal-routes.js';
export { createCardProduct } from './products.js';
export { orderStoredValueSummary, storedValueBalanceOf } from './queries.js';
export { cardRoutes } from './routes.js';
export { storedValueSetting } from './settings.js';
export { spendStoredValue, topUpStoredValue } from './stored-value.js';
export { verifyStoredValueLedgers } from './verify.js';
