import { daysBetween } from '../../platform/clock.js';

/** 会员活跃度: by days since joining and since the last consumption, in the tenant's business days. */
export const activityStatuses = ['non_member', 'new', 'active', 'sleeping', 'deep_sleep'] as const;
export type ActivityStatus = (typeof activityStatuses)[number];

export type ActivityThresholds = {
  /** A member is new for this many days after joining (day 0 is the joining day). */
  newMemberDays: number;
  /** With no consumption for this many days a member is sleeping… */
  sleepingAfterDays: number;
  /** …and for this many, in deep sleep. */
  deepSleepAfterDays: number;
};

export const defaultActivityThresholds: ActivityThresholds = { newMemberDays: 30, sleepingAfterDays: 90, deepSleepAfterDays: 180 };

/**
 * All dates are business dates (YYYY-MM-DD) in the tenant's time zone, so the status turns at
 * local midnight: joined on day D, a member is new through D + newMemberDays − 1.
 */
export const activityOf = (
  customer: { memberSince: string | null; lastConsumptionDate: string | null },
  today: string,
  thresholds: ActivityThresholds,
): ActivityStatus => {
  if (!customer.memberSince) return 'non_member';
  if (daysBetween(customer.memberSince, today) < thresholds.newMemberDays) return 'new';
  const idle = daysBetween(customer.lastConsumptionDate ?? customer.memberSince, today);
  if (idle >= thresholds.deepSleepAfterDays) return 'deep_sleep';
  if (idle >= thresholds.sleepingAfterDays) return 'sleeping';
  return 'active';
};

export const validateThresholds = (thresholds: ActivityThresholds): string | undefined => {
  if (thresholds.newMemberDays < 1) return '新会员天数至少为 1 天';
  if (thresholds.sleepingAfterDays < 1) return '沉睡天数至少为 1 天';
  if (thresholds.deepSleepAfterDays <= thresholds.sleepingAfterDays) return '深度睡眠天数必须大于沉睡天数';
  return undefined;
};
