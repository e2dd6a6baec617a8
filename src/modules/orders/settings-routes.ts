import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { type App, errorResponses } from '../../platform/http.js';
import { exposeSetting } from '../settings/index.js';
import { pricingSettingsSetting } from './pricing.js';
import { dealRulesSetting, orderSettingsSetting, reversalReasons, ZDealRules, ZOrderSettings } from './settings.js';

/** The order settings a clinic manages: 成交配置, 开单设置, 开单定价, and the reversal reason codes. */
export const orderSettingsRoutes = (app: App, { db }: Deps) => {
  exposeSetting(app, db, {
    path: '/settings/deal-rules',
    setting: dealRulesSetting,
    schema: ZDealRules,
    summary: '成交配置: order types, minimum amount, counted line kinds',
  });
  exposeSetting(app, db, {
    path: '/settings/orders',
    setting: orderSettingsSetting,
    schema: ZOrderSettings,
    summary: '开单设置: order types and the re-check window',
  });
  exposeSetting(app, db, {
    path: '/settings/pricing',
    setting: pricingSettingsSetting,
    schema: pricingSettingsSetting.schema,
    summary: '开单定价: the order offers apply in, the base of percentages, tier with card, and what combines',
  });

  app.get(
    '/settings/reversal-reasons',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['Settings'],
        summary: 'Reason codes for reversals and refunds',
        response: { 200: z.object({ items: z.array(z.object({ code: z.string(), label: z.string() })) }), ...errorResponses },
      },
    },
    async () => ({ items: Object.entries(reversalReasons).map(([code, label]) => ({ code: code as keyof typeof reversalReasons, label })) }),
  );
};
