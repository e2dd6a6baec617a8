/** English UI text of checkout pricing; the same keys as `pricing-zh-CN.ts`. */
export const pricingEn = {
  pricing: {
    panel: {
      title: 'Price explanation',
      empty: 'Choose a member and add items to see the price step by step: list price → member/card discount → vouchers → points → payable.',
      memberPricing: 'Member pricing',
      memberPricingOff: 'This order uses no tier discount, card discount or card voucher: list prices and the desk’s own discounts only.',
      steps: {
        title: 'Price steps',
        list: 'List price',
        manual: 'Desk discount',
        tier_discount: 'Tier discount',
        card_discount: 'Card discount',
        voucher: 'Voucher',
        points: 'Points',
        payable: 'Payable',
        stored_value: 'Stored value',
        due: 'Still to pay',
      },
      subtotal: 'Subtotal {{amount}}',
      orderTotal: 'Order total',
      pointsNote: 'Points worth {{amount}} are taken as a payment; the order total is before points.',
      lines: 'Line by line',
      applied: 'Benefits used',
      ownCard: 'Own card',
      familyCard: 'Family card',
      cardApplied: '{{name}} saves {{amount}}',
      voucher: 'Card voucher',
      birthdayVoucher: 'Birthday benefit',
      totalChanged: 'The price is now {{amount}}; confirm it with the customer before submitting',
    },
    settings: {
      tab: 'Checkout pricing',
      intro: 'How tier discounts, card discounts, card vouchers and points combine at checkout. Changes apply to orders opened afterwards.',
      applicationOrder: 'Vouchers and discounts: which first',
      applicationOrders: {
        vouchers_then_discount: 'Vouchers first, then the discount',
        discount_then_vouchers: 'Discount first, then vouchers',
      },
      applicationOrderHelp: {
        vouchers_then_discount: 'Voucher first: (400 − 200) × 0.8 = 160',
        discount_then_vouchers: 'Discount first: 400 × 0.8 − 200 = 120',
      },
      percentageBase: 'A percentage applies to',
      percentageBases: {
        current: 'The amount after earlier offers',
        list: 'The list price',
      },
      percentageBaseHelp: {
        current: '¥200 left after the voucher, 20 % off saves ¥40: (400 − 200) × 0.8 = 160',
        list: '20 % of the ¥400 list price saves ¥80: 400 − 200 − 80 = 120',
      },
      tierWithCard: 'Tier discount with card discount',
      tiersWithCard: {
        best_of: 'The better of the two',
        multiply: 'Both (multiplied)',
      },
      tierWithCardHelp: {
        best_of: 'A 10 %-off member with a 20 %-off card: 20 % off',
        multiply: 'A 10 %-off member with a 20 %-off card: 0.9 × 0.8 = 28 % off',
      },
      vouchersWithDiscounts: 'Vouchers combine with discounts',
      vouchersWithDiscountsHelp: 'When off, a voucher and a discount do not stack: the customer gets the cheaper one and keeps an unused voucher.',
      pointsWithVouchers: 'Points may pay for lines that took a voucher',
      pointsWithVouchersHelp: 'When off, points only pay for lines without a voucher.',
    },
  },
};
