import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import type { Deps } from '../../platform/deps.js';
import { type App, actorOf, authOf, ctxOf, errorResponses, ZIdParams } from '../../platform/http.js';
import { idempotentWrite } from '../../platform/idempotent-route.js';
import { getSetting, putSetting } from '../settings/index.js';
import type { changeTierManually } from './evaluate.js';
import { listTiers, membershipOf } from './queries.js';
import { ZManualTierChange, ZMembership, ZTier, ZTierChange, ZTierInput } from './schemas.js';
import { membershipSettingsSetting, ZMembershipSettings } from './settings.js';
import { archiveTier, createTier, reorderTiers, updateTier } from './tiers.js';

const tags = ['Membership'];

/** 手工调级 is a flow (flows/change-tier: the tier, then its gifts), given by the app: a module never imports a flow. */
export type MembershipFlows = {
  changeTier: (
    tx: Executor,
    ctx: Ctx,
    customerId: string,
    input: { tierId: string | null; reason: string },
  ) => Promise<Awaited<ReturnType<typeof changeTierManually>>['change']>;
};

export const membershipRoutes = (app: App, { db, clock }: Deps, flows: MembershipFlows) => {
  app.get(
    '/membership/tiers',
    {
      config: { permission: 'membership.read' },
      schema: {
        tags,
        summary: '会员等级: the tiers from the lowest to the highest, with criteria, benefits and holders',
        response: { 200: z.object({ items: z.array(ZTier) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await listTiers(db, authOf(req).tenantId) }),
  );

  app.post(
    '/membership/tiers',
    {
      config: { permission: 'membership.manage' },
      schema: {
        tags,
        summary: 'Create a tier (placed on top; audited)',
        description: 'The description is customer-facing: advertising-law words (最有效, 第一, 保证 …) are refused with 422 naming them.',
        body: ZTierInput,
        response: { 201: ZTier, ...errorResponses },
      },
    },
    async (req, reply) => {
      const tier = await db.transaction((tx) => createTier(tx, actorOf(req), req.body, clock.now()));
      return reply.code(201).send(tier);
    },
  );

  app.put(
    '/membership/tiers/:id',
    {
      config: { permission: 'membership.manage' },
      schema: {
        tags,
        summary: 'Change a tier (applies from the next evaluation; audited)',
        params: ZIdParams,
        body: ZTierInput,
        response: { 200: ZTier, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => updateTier(tx, actorOf(req), req.params.id, req.body, clock.now())),
  );

  app.delete(
    '/membership/tiers/:id',
    {
      config: { permission: 'membership.manage' },
      schema: { tags, summary: 'Archive a tier no customer holds (kept for history)', params: ZIdParams, response: { 204: z.null(), ...errorResponses } },
    },
    async (req, reply) => {
      await db.transaction((tx) => archiveTier(tx, actorOf(req), req.params.id, clock.now()));
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/membership/tier-order',
    {
      config: { permission: 'membership.manage' },
      schema: {
        tags,
        summary: 'Reorder the tiers: every tier id once, from the lowest to the highest',
        body: z.strictObject({ tierIds: z.array(z.uuid()).min(1).max(50) }),
        response: { 200: z.object({ items: z.array(ZTier) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await db.transaction((tx) => reorderTiers(tx, actorOf(req), req.body.tierIds, clock.now())) }),
  );

  app.get(
    '/settings/membership',
    {
      config: { permission: 'membership.read' },
      schema: {
        tags: ['Settings'],
        summary: '会员等级 settings: switched on, the rolling window and period in months',
        response: { 200: ZMembershipSettings, ...errorResponses },
      },
    },
    async (req) => getSetting(db, authOf(req).tenantId, membershipSettingsSetting),
  );

  app.put(
    '/settings/membership',
    {
      config: { permission: 'membership.manage' },
      schema: {
        tags: ['Settings'],
        summary: 'Change the 会员等级 settings (audited)',
        body: ZMembershipSettings,
        response: { 200: ZMembershipSettings, ...errorResponses },
      },
    },
    async (req) => db.transaction((tx) => putSetting(tx, actorOf(req), membershipSettingsSetting, req.body)),
  );

  app.get(
    '/customers/:id/membership',
    {
      config: { permission: 'membership.read' },
      schema: {
        tags,
        summary: "The customer's tier, period, figures in the window, progress to the next tier, birthday benefit, pending gifts and history",
        params: ZIdParams,
        response: { 200: ZMembership, ...errorResponses },
      },
    },
    async (req) => membershipOf(db, ctxOf(req, clock), req.params.id),
  );

  app.post(
    '/customers/:id/membership/tier-changes',
    {
      config: { permission: 'membership.adjust' },
      schema: {
        tags,
        summary: 'Set the tier by hand, with a reason (audited); it holds for a new period',
        description: 'Accepts an optional `Idempotency-Key`.',
        params: ZIdParams,
        body: ZManualTierChange,
        response: { 201: ZTierChange, ...errorResponses },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      return idempotentWrite(db, req, reply, { isKeyRequired: false }, async (tx) => {
        const row = await flows.changeTier(tx, ctx, req.params.id, req.body);
        return {
          status: 201,
          body: {
            id: row.id,
            fromTier: { id: row.fromTierId, name: row.fromName },
            toTier: { id: row.toTierId, name: row.toName },
            direction: 'manual' as const,
            cause: row.cause,
            sourceId: row.sourceId,
            criterion: row.criterion,
            figures: row.figures as Record<string, unknown>,
            reasons: row.reasons,
            note: row.note,
            actorId: row.actorId,
            businessDate: row.businessDate,
            createdAt: row.createdAt.toISOString(),
          },
        };
      });
    },
  );
};
