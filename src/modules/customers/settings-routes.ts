import type { Deps } from '../../platform/deps.js';
import { type App, ctxOf } from '../../platform/http.js';
import { exposeSetting } from '../settings/index.js';
import { activitySetting, ZActivityThresholds } from './activity-setting.js';
import { sweepActivity } from './dynamic-tags.js';

/** 会员活跃度 thresholds; new thresholds re-label every customer at once, in the same transaction. */
export const customerSettingsRoutes = (app: App, { db, clock }: Deps) => {
  exposeSetting(app, db, {
    path: '/settings/activity',
    setting: activitySetting,
    schema: ZActivityThresholds,
    summary: '会员活跃度 thresholds in days',
    afterSave: async (tx, req, thresholds) => {
      const ctx = ctxOf(req, clock);
      await sweepActivity(tx, ctx.tenantId, ctx.today, thresholds);
    },
  });
};
