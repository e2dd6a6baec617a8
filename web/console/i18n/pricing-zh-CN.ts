/**
 * UI text of checkout pricing (开单定价, SPEC §8): the desk's price explanation panel and the
 * pricing settings. Spread into `zh-CN.ts` as the top-level `pricing` namespace; `pricing-en.ts`
 * must have the same keys.
 */
export const pricingZhCN = {
  pricing: {
    panel: {
      title: '价格说明',
      empty: '选择会员并添加品项后，这里逐步说明价格：原价 → 会员/卡折扣 → 代金券 → 积分 → 应付。',
      memberPricing: '会员价',
      memberPricingOff: '本单不使用会员等级折扣、会员卡折扣和卡内券，按原价与门店优惠结算。',
      steps: {
        title: '价格步骤',
        list: '原价',
        manual: '门店优惠',
        tier_discount: '会员折扣',
        card_discount: '卡折扣',
        voucher: '代金券',
        points: '积分抵现',
        payable: '应付',
        stored_value: '储值支付',
        due: '还需支付',
      },
      subtotal: '小计 {{amount}}',
      orderTotal: '本单金额',
      pointsNote: '积分抵现 {{amount}} 作为收款方式记入本单，本单金额不含积分抵扣。',
      lines: '逐项说明',
      applied: '已使用的权益',
      ownCard: '本人卡',
      familyCard: '家庭共享',
      cardApplied: '{{name}} 优惠 {{amount}}',
      voucher: '卡内券',
      birthdayVoucher: '生日礼遇',
      totalChanged: '价格已更新为 {{amount}}，请与客户确认后再提交',
    },
    settings: {
      tab: '开单定价',
      intro: '会员等级折扣、会员卡折扣、卡内券和积分在收银时如何叠加。修改只影响之后开出的订单。',
      applicationOrder: '券与折扣的先后',
      applicationOrders: {
        vouchers_then_discount: '先减券，后打折',
        discount_then_vouchers: '先打折，后减券',
      },
      applicationOrderHelp: {
        vouchers_then_discount: '先减券后打折：(400 − 200) × 0.8 = 160',
        discount_then_vouchers: '先打折后减券：400 × 0.8 − 200 = 120',
      },
      percentageBase: '折扣按什么金额计算',
      percentageBases: {
        current: '按已优惠后的金额',
        list: '按原价',
      },
      percentageBaseHelp: {
        current: '减券后剩 ¥200，8 折优惠 ¥40：(400 − 200) × 0.8 = 160',
        list: '8 折按原价 ¥400 计，优惠 ¥80：400 − 200 − 80 = 120',
      },
      tierWithCard: '会员等级折扣与会员卡折扣',
      tiersWithCard: {
        best_of: '取更优惠的一个',
        multiply: '两个都享（相乘）',
      },
      tierWithCardHelp: {
        best_of: '9 折会员持 8 折卡：按 8 折',
        multiply: '9 折会员持 8 折卡：0.9 × 0.8 = 7.2 折',
      },
      vouchersWithDiscounts: '代金券可与折扣同享',
      vouchersWithDiscountsHelp: '关闭后，券与折扣只取其一：系统为客户选更便宜的一种，未用的券留在卡里。',
      pointsWithVouchers: '用了券的品项仍可用积分抵现',
      pointsWithVouchersHelp: '关闭后，积分只抵扣没有用券的品项。',
    },
  },
};
