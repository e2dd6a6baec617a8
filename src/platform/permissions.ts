/** What an action needs. Routes declare one; roles grant a set. Deny by default. */
export const permissions = [
  'customers.read',
  'customers.write',
  /** See whole phone numbers; everyone else sees 138****5678. */
  'customers.phone.full',
  'catalog.read',
  'catalog.manage',
  /** Appointments and arrivals. */
  'visits.read',
  'visits.write',
  'orders.read',
  /** Open an order that waits in the front desk's unpaid queue. */
  'orders.open',
  /** Take payments, settle arrears, void open orders. */
  'orders.checkout',
  /** Reverse (撤销) a wrong payment or deduction, with a reason. */
  'orders.reverse',
  'orders.refund',
  /** 划扣: execute sessions of a course. */
  'courses.deduct',
  /** 交班 / 日结 */
  'shifts.close',
  /** 重新开账: withdraw a store's 日结 so the day takes writes again. */
  'shifts.reopen',
  'reports.read',
  'points.read',
  /** Manual points adjustments (large ones need the owner). */
  'points.adjust',
  /** See tiers and a customer's membership. */
  'membership.read',
  /** Define tiers, their criteria and benefits, and the membership settings. */
  'membership.manage',
  /** Set a customer's tier by hand, with a reason. */
  'membership.adjust',
  /** See card products, a customer's cards, family members and stored value. */
  'cards.read',
  /** Define card products (卡项) and the stored-value settings. */
  'cards.manage',
  /** Sell membership cards and add or remove family members on a card. */
  'cards.sell',
  /** 充值: sell stored value at the desk. */
  'stored_value.top_up',
  /** See voucher templates, distributions, statistics and customers' wallets. */
  'vouchers.read',
  /** Define voucher templates and distributions (发券 to an audience, claim links, automatic issuance). */
  'vouchers.manage',
  /** Give a voucher to one customer by hand. */
  'vouchers.issue',
  /** 核销: redeem a voucher's code at the desk. */
  'vouchers.redeem',
  /** See referrals, rewards and the referral report. */
  'referrals.read',
  /** Referral rewards and partner levels settings. */
  'referrals.manage',
  /** See the message log, the topics' wording and the opt-out list. */
  'messages.read',
  /** Word the messages, keep the opt-out list. */
  'messages.manage',
  /** See follow-up tasks and rules. */
  'followups.read',
  /** Record a follow-up's outcome, add, move or hand over a task. */
  'followups.write',
  /** Define the rules that create follow-ups. */
  'followups.manage',
  'staff.read',
  /** Create, edit and disable staff accounts, and unlock a locked one. */
  'staff.manage',
  /** See staff accounts and give one a temporary password (a manager: staff below them, in their stores). */
  'staff.reset_password',
  'apikeys.manage',
  'audit.read',
  'settings.manage',
  /** The installation's state (database, last backup snapshot): the owner's alone, as no other role lists it. */
  'system.read',
] as const;

export type Permission = (typeof permissions)[number];

export const roles = ['owner', 'store_manager', 'front_desk', 'consultant', 'doctor_nurse', 'marketing'] as const;
export type Role = (typeof roles)[number];

const everything: readonly Permission[] = permissions;

export const rolePermissions: Record<Role, readonly Permission[]> = {
  owner: everything,
  store_manager: [
    'customers.read',
    'customers.write',
    'customers.phone.full',
    'catalog.read',
    'catalog.manage',
    'visits.read',
    'visits.write',
    'orders.read',
    'orders.open',
    'orders.checkout',
    'orders.reverse',
    'orders.refund',
    'courses.deduct',
    'shifts.close',
    'shifts.reopen',
    'reports.read',
    'points.read',
    'points.adjust',
    'membership.read',
    'membership.adjust',
    'cards.read',
    'cards.manage',
    'cards.sell',
    'stored_value.top_up',
    'vouchers.read',
    'vouchers.issue',
    'vouchers.redeem',
    'referrals.read',
    'messages.read',
    'messages.manage',
    'followups.read',
    'followups.write',
    'followups.manage',
    'staff.read',
    'staff.reset_password',
    'audit.read',
  ],
  front_desk: [
    'customers.read',
    'customers.write',
    'customers.phone.full',
    'catalog.read',
    'visits.read',
    'visits.write',
    'orders.read',
    'orders.open',
    'orders.checkout',
    'orders.reverse',
    'courses.deduct',
    'shifts.close',
    'points.read',
    'membership.read',
    'cards.read',
    'cards.sell',
    'stored_value.top_up',
    'vouchers.read',
    'vouchers.redeem',
    'referrals.read',
    'messages.read',
    'followups.read',
    'followups.write',
    'staff.read',
  ],
  consultant: [
    'customers.read',
    'customers.write',
    'catalog.read',
    'visits.read',
    'visits.write',
    'orders.read',
    'orders.open',
    'points.read',
    'membership.read',
    'cards.read',
    'vouchers.read',
    'referrals.read',
    'messages.read',
    'followups.read',
    'followups.write',
    'staff.read',
  ],
  doctor_nurse: [
    'customers.read',
    'catalog.read',
    'visits.read',
    'orders.read',
    'orders.open',
    'courses.deduct',
    'cards.read',
    'followups.read',
    'followups.write',
    'staff.read',
  ],
  marketing: [
    'customers.read',
    'catalog.read',
    'visits.read',
    'reports.read',
    'points.read',
    'membership.read',
    'membership.manage',
    'cards.read',
    'vouchers.read',
    'vouchers.manage',
    'vouchers.issue',
    'referrals.read',
    'referrals.manage',
    'messages.read',
    'messages.manage',
    'followups.read',
    'followups.manage',
    'staff.read',
  ],
};

export const hasPermission = (role: Role, permission: Permission): boolean => rolePermissions[role].includes(permission);
