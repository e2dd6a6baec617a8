import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Tx } from '../../db/client.js';
import type { Deps } from '../../platform/deps.js';
import { type App, actorOf, authOf, ctxOf, errorResponses } from '../../platform/http.js';
import { sweepActivity } from '../customers/dynamic-tags.js';
import { pricingSettingsSetting } from '../orders/pricing.js';
import {
  activitySetting,
  dealRulesSetting,
  orderSettingsSetting,
  reversalReasons,
  ZActivityThresholds,
  ZDealRules,
  ZOrderSettings,
} from '../orders/settings.js';
import { getSetting, putSetting, type SettingDefinition } from './service.js';

const tags = ['Settings'];

export const settingsRoutes = (app: App, { db, clock }: Deps) => {
  const expose = <T>(
    path: string,
    setting: SettingDefinition<T>,
    schema: z.ZodType,
    summary: string,
    afterSave?: (tx: Tx, req: FastifyRequest, value: T) => Promise<void>,
  ) => {
    app.get(path, { config: { permission: 'orders.read' }, schema: { tags, summary, response: { 200: schema, ...errorResponses } } }, async (req) =>
      getSetting(db, authOf(req).tenantId, setting),
    );
    app.put(
      path,
      {
        config: { permission: 'settings.manage' },
        schema: { tags, summary: `Change: ${summary}`, body: schema, response: { 200: schema, ...errorResponses } },
      },
      async (req) =>
        db.transaction(async (tx) => {
          const value = await putSetting(tx, actorOf(req), setting, req.body as T);
          if (afterSave) await afterSave(tx, req, value);
          return value;
        }),
    );
  };
  expose('/settings/deal-rules', dealRulesSetting, ZDealRules, '成交配置: order types, minimum amount, counted line kinds');
  expose('/settings/activity', activitySetting, ZActivityThresholds, '会员活跃度 thresholds in days', async (tx, req, thresholds) => {
    // New thresholds re-label every customer at once, in the same transaction.
    const ctx = ctxOf(req, clock);
    await sweepActivity(tx, ctx.tenantId, ctx.today, thresholds);
  });
  expose('/settings/orders', orderSettingsSetting, ZOrderSettings, '开单设置: order types and the re-check window');
  expose(
    '/settings/pricing',
    pricingSettingsSetting,
    pricingSettingsSetting.schema,
    '开单定价: the order offers apply in, the base of percentages, tier with card, and what combines',
  );

  app.get(
    '/settings/reversal-reasons',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary: 'Reason codes for reversals and refunds',
        response: { 200: z.object({ items: z.array(z.object({ code: z.string(), label: z.string() })) }), ...errorResponses },
      },
    },
    async () => ({ items: Object.entries(reversalReasons).map(([code, label]) => ({ code: code as keyof typeof reversalReasons, label })) }),
  );
};
