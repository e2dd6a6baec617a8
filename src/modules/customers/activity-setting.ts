import { z } from 'zod';
import { defineSetting } from '../settings/index.js';
import { defaultActivityThresholds, validateThresholds } from './activity.js';

export const ZActivityThresholds = z
  .strictObject({
    newMemberDays: z.number().int().min(1).max(3650),
    sleepingAfterDays: z.number().int().min(1).max(3650),
    deepSleepAfterDays: z.number().int().min(1).max(3650),
  })
  .superRefine((value, context) => {
    const problem = validateThresholds(value);
    if (problem) context.addIssue({ code: 'custom', message: problem, path: ['deepSleepAfterDays'] });
  })
  .meta({ id: 'ActivityThresholds' });

export const activitySetting = defineSetting({
  key: 'activity_thresholds',
  schema: ZActivityThresholds,
  defaults: defaultActivityThresholds,
  label: '会员活跃度',
});
