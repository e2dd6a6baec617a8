import { z } from 'zod';
import { defineSetting } from '../settings/index.js';

export const ZMembershipSettings = z
  .strictObject({
    isEnabled: z.boolean(),
    /**
     * The rolling window the criteria are measured over, and the length of a tier's period: a
     * tier reached today holds until the same date N months later, when the retention sweep
     * applies the tier's retention rule.
     */
    windowMonths: z.number().int().min(1).max(36),
    /**
     * rolling: criteria over the window; cumulative (消费型): over everything since the first
     * visit, so the tier follows cumulative consumption. Settings saved before default to rolling.
     */
    measure: z.enum(['rolling', 'cumulative']).default('rolling'),
  })
  .meta({ id: 'MembershipSettings' });

export type MembershipSettings = z.infer<typeof ZMembershipSettings>;

export const membershipSettingsSetting = defineSetting<MembershipSettings>({
  key: 'membership',
  schema: ZMembershipSettings,
  label: '会员等级',
  defaults: { isEnabled: true, windowMonths: 12, measure: 'rolling' },
});
