import { z } from 'zod';
import { ZPageQuery, ZTimestamp } from '../../platform/http.js';
import { visitTypes } from '../customers/index.js';
import { attributionRoles } from './attribution.js';
import { lineKinds } from './deal-rules.js';
import { ZReversalReason } from './settings.js';

/** Methods the desk takes; `points` is 积分抵现 (its amount is the cash value); `stored_value` spends 储值 (modules/cards). Vouchers join as their module lands. */
export const paymentMethods = ['cash', 'bank_card', 'wechat', 'alipay', 'points', 'stored_value'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];
export const paymentMethodLabels: Record<string, string> = {
  cash: '现金',
  bank_card: '银行卡',
  wechat: '微信支付',
  alipay: '支付宝',
  points: '积分抵现',
  stored_value: '储值',
};

const ZFen = z.number().int('金额须为整数（分）');

export const ZAttributionShare = z.strictObject({
  staffId: z.uuid(),
  role: z.enum(attributionRoles),
  ratioPercent: z.number().gt(0).max(100),
});

export const ZOrderLineInput = z.strictObject({
  itemId: z.uuid(),
  quantity: z.number().int('数量须为整数').min(1, '数量至少为 1').max(999),
  /** Defaults to the item's price. */
  unitPriceFen: ZFen.min(0, '单价不能为负').max(100_000_000).optional(),
  discountFen: ZFen.min(0, '优惠不能为负').optional(),
  attribution: z.array(ZAttributionShare).max(10).optional(),
});

export const ZPaymentInput = z.strictObject({ method: z.enum(paymentMethods), amountFen: ZFen.min(1, '金额须大于 0').max(100_000_000) });

export const ZOpenOrderRequest = z.strictObject({
  storeId: z.uuid(),
  customerId: z.uuid(),
  orderType: z.string().trim().min(1).max(20).optional(),
  lines: z.array(ZOrderLineInput).min(1, '请至少添加一个品项').max(100),
  notes: z.string().max(500).nullable().optional(),
  /** Check out at once with these payments (may be empty: everything becomes arrears). Omit to queue the order unpaid. */
  payments: z.array(ZPaymentInput).max(10).optional(),
  /** Tier, card and card-voucher prices (default on); off: list prices and manual discounts only. */
  memberPricing: z.boolean().optional(),
  /** The total the desk showed (a quote's `orderTotalFen`): if prices changed meanwhile, 409 PRICE_CHANGED and nothing is written. */
  expectedTotalFen: ZFen.min(0).optional(),
  /** Vouchers from the customer's wallet (券包) to use on this order: each must apply, or 422 and nothing is written. */
  voucherIds: z.array(z.uuid()).max(10).optional(),
});
export type OpenOrderRequest = z.infer<typeof ZOpenOrderRequest>;

export const ZPaymentsRequest = z.strictObject({ payments: z.array(ZPaymentInput).max(10) });

export const ZReversalRequest = z.strictObject({ reasonCode: ZReversalReason, note: z.string().max(500).nullable().optional() });

export const ZVoidRequest = z.strictObject({ reason: z.string().trim().min(1, '请填写作废原因').max(200) });

export const ZRefundRequest = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        lineId: z.uuid(),
        /** Goods, drugs and service lines: how many units. Course lines refund every unused session and ignore it. */
        quantity: z.number().int().min(1).max(999).optional(),
      }),
    )
    .min(1, '请选择要退的品项')
    .max(100),
  payouts: z.array(ZPaymentInput).max(10),
  reasonCode: ZReversalReason,
  note: z.string().max(500).nullable().optional(),
});
export type RefundRequest = z.infer<typeof ZRefundRequest>;

export const ZOrderStatus = z.enum(['open', 'placed', 'voided']);

export const ZPayment = z.object({
  id: z.uuid(),
  kind: z.enum(['payment', 'refund', 'reversal']),
  method: z.enum(paymentMethods),
  amountFen: z.number().int(),
  reversesId: z.uuid().nullable(),
  isReversed: z.boolean(),
  reasonCode: z.string().nullable(),
  note: z.string().nullable(),
  cashierId: z.uuid().nullable(),
  cashierName: z.string().nullable(),
  businessDate: z.string(),
  createdAt: ZTimestamp,
});

export const ZOrderLine = z.object({
  id: z.uuid(),
  lineNo: z.number().int(),
  itemId: z.uuid(),
  kind: z.enum(lineKinds),
  name: z.string(),
  unitPriceFen: z.number().int(),
  quantity: z.number().int(),
  discountFen: z.number().int(),
  amountFen: z.number().int(),
  refundedQuantity: z.number().int(),
  refundedFen: z.number().int(),
  attribution: z.array(
    z.object({ staffId: z.uuid(), staffName: z.string().nullable(), role: z.enum(attributionRoles), ratioPercent: z.number(), amountFen: z.number().int() }),
  ),
});

export const ZOrder = z
  .object({
    id: z.uuid(),
    number: z.string(),
    storeId: z.uuid(),
    storeName: z.string(),
    customerId: z.uuid(),
    customerName: z.string(),
    hasAllergy: z.boolean(),
    allergies: z.array(z.string()),
    orderType: z.string(),
    status: ZOrderStatus,
    totalFen: z.number().int(),
    refundedFen: z.number().int(),
    dueFen: z.number().int(),
    paidFen: z.number().int(),
    arrearsFen: z.number().int(),
    businessDate: z.string(),
    visitType: z.enum([...visitTypes, 'not_visited']),
    isDeal: z.boolean().nullable(),
    dealReasons: z.array(z.string()),
    openedBy: z.uuid().nullable(),
    openedByName: z.string().nullable(),
    placedAt: ZTimestamp.nullable(),
    voidReason: z.string().nullable(),
    notes: z.string().nullable(),
    lines: z.array(ZOrderLine),
    payments: z.array(ZPayment),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof ZOrder>;

export const ZOrderSummary = ZOrder.omit({ lines: true, payments: true, dealReasons: true }).extend({ itemNames: z.array(z.string()) });

export const ZOrderListQuery = ZPageQuery.extend({
  storeId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  status: ZOrderStatus.optional(),
  businessDate: z.iso.date().optional(),
  hasArrears: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
}).strict();

export const ZCourseItem = z.object({
  id: z.uuid(),
  itemId: z.uuid(),
  name: z.string(),
  totalSessions: z.number().int(),
  usedSessions: z.number().int(),
  refundedSessions: z.number().int(),
  remainingSessions: z.number().int(),
  valueFen: z.number().int(),
  /** What the unused sessions are worth: the amount a refund of this course item returns. */
  remainingValueFen: z.number().int(),
});

export const ZCourse = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    orderId: z.uuid(),
    orderNumber: z.string(),
    name: z.string(),
    expiresOn: z.string().nullable(),
    isExpired: z.boolean(),
    isFinished: z.boolean(),
    items: z.array(ZCourseItem),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'Course' });

export const ZDeductRequest = z.strictObject({
  storeId: z.uuid(),
  sessions: z.number().int().min(1).max(50).default(1),
  executorId: z.uuid(),
  attribution: z.array(ZAttributionShare).max(10).optional(),
  visitId: z.uuid().nullable().optional(),
  note: z.string().max(500).nullable().optional(),
});

export const ZDeduction = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    courseItemId: z.uuid(),
    courseName: z.string(),
    itemName: z.string(),
    customerId: z.uuid(),
    storeId: z.uuid(),
    sessions: z.number().int(),
    valueFen: z.number().int(),
    executorId: z.uuid().nullable(),
    executorName: z.string().nullable(),
    reversesId: z.uuid().nullable(),
    isReversed: z.boolean(),
    reasonCode: z.string().nullable(),
    note: z.string().nullable(),
    businessDate: z.string(),
    createdAt: ZTimestamp,
  })
  .meta({ id: 'Deduction' });

export const ZShiftQuery = z.strictObject({
  storeId: z.uuid(),
  businessDate: z.iso.date().optional(),
  cashierId: z.uuid().optional(),
});

/** 日结 / 交班: with the cash the desk counted, if it counted. */
export const ZShiftClose = ZShiftQuery.extend({ countedCashFen: z.number().int().min(0).max(100_000_000_00).nullable().optional() });

/** 重新开账 of a store's closed day: the reason is kept in the audit log. */
export const ZDayReopen = z.strictObject({
  storeId: z.uuid(),
  businessDate: z.iso.date().optional(),
  reason: z.string().trim().min(1, '请填写重新开账的原因').max(500),
});

export const ZShiftTotals = z
  .object({
    storeId: z.uuid(),
    businessDate: z.string(),
    scope: z.string(),
    byMethod: z.array(
      z.object({
        method: z.string(),
        /** Money the clinic holds (cash, card, WeChat, Alipay); false for 积分抵现 and 储值. */
        isMoney: z.boolean(),
        paymentsFen: z.number().int(),
        refundsFen: z.number().int(),
        reversalsFen: z.number().int(),
        netFen: z.number().int(),
        count: z.number().int(),
      }),
    ),
    paymentsFen: z.number().int(),
    refundsFen: z.number().int(),
    reversalsFen: z.number().int(),
    netFen: z.number().int(),
    ordersPlaced: z.number().int(),
    salesFen: z.number().int(),
    arrearsCreatedFen: z.number().int(),
    deductions: z.number().int(),
    deductionReversals: z.number().int(),
    /** Settled without money: points (积分抵现), stored value (储值), vouchers, course sessions (划扣) — net of refunds and reversals. */
    nonCash: z.object({
      pointsFen: z.number().int(),
      storedValueFen: z.number().int(),
      vouchersFen: z.number().int(),
      deductionValueFen: z.number().int(),
    }),
    /** Expected cash (cash taken less cash paid back), the counted cash and the difference (+ 长款, − 短款). */
    cash: z.object({ expectedFen: z.number().int(), countedFen: z.number().int().nullable(), differenceFen: z.number().int().nullable() }),
    /** A store's day only (no cashier): what is still open before its 日结. */
    openItems: z
      .object({
        unpaidOrders: z.number().int(),
        unpaidOrdersFen: z.number().int(),
        appointmentsNotArrived: z.number().int(),
        shiftsNotClosed: z.array(z.object({ cashierId: z.uuid(), name: z.string() })),
      })
      .optional(),
    reversalsByReason: z.array(z.object({ reasonCode: z.string(), count: z.number().int(), amountFen: z.number().int() })),
    closedAt: ZTimestamp.nullable(),
    closedByName: z.string().nullable(),
  })
  .meta({ id: 'ShiftTotals' });
