// What flows and other modules may call: points moved by an order's payments and refunds.
export {
  earnForOrderPayments,
  redeemForPayment,
  restorePointsForPayment,
  restorePointsForRefund,
  reversePointsForPayment,
  reversePointsForRefund,
} from './order-points.js';
